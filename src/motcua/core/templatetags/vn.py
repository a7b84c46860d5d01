from django import template

from motcua.core import formats

register = template.Library()


@register.filter
def money(amount):
    return formats.format_money(amount)


@register.filter
def vndate(value):
    return formats.format_date(value)


@register.filter
def vndatetime(value):
    return formats.format_datetime(value)


@register.filter
def get_item(mapping, key):
    """A dictionary's value in a template (labels looked up once, not included per row)."""
    return mapping.get(key, "")
