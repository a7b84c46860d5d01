"""Turning what a citizen posted into typed values, and checking them against the form.

``form_clean`` never drops what was typed: a value it cannot convert is kept as the citizen's
own text, so the page can show it again beside the message saying how to fix it.
``form_validate`` answers, for each field, what is wrong in plain Vietnamese, using the field's
own title ("Nhập số định danh cá nhân gồm 12 chữ số").
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterator, Mapping
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator, FormatChecker, ValidationError, validators

from .schema import (
    ISO_DATE_RE,
    commune_choices,
    date_limit,
    field_widget,
    form_fields,
    step_fields,
)

# Dates as people type them: 24/11/1958, 24-11-1958, 24.11.1958, 24 11 1958, and 24111958
# (a phone's number pad has no "/").
DMY_RE = re.compile(r"^(\d{1,2})\s*[/.\-\s]\s*(\d{1,2})\s*[/.\-\s]\s*(\d{4})$")
DMY_PACKED_RE = re.compile(r"^(\d{2})(\d{2})(\d{4})$")
# What people put inside phone and ID numbers: 0912.345.678, 0912 345 678, (024) 3825-1234.
NUMBER_SEPARATORS_RE = re.compile(r"[\s.\-()]")
INTEGER_RE = re.compile(r"^[+-]?\d+$")
GROUPED_RE = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+$")  # 30.000
DECIMAL_RE = re.compile(r"^[+-]?\d+([.,]\d+)?$")  # 2,5 (Vietnamese) or 2.5
TRUE_WORDS = {"on", "true", "1", "yes", "co", "có"}
FALSE_WORDS = {"", "off", "false", "0", "no", "khong", "không"}
# The most useful message first when a field breaks several rules: one message per field.
PRIORITY = ["type", "required", "const", "enum", "pattern", "format", "x-widget", "minLength",
            "maxLength", "minimum", "maximum", "x-min-date", "x-max-date", "minItems",
            "maxItems", "uniqueItems", "additionalProperties"]


# --- form_clean -------------------------------------------------------------------------------

def form_clean(schema: dict, raw_post: Mapping, *, step: int | None = None) -> dict:
    """Typed values from posted strings: dd/mm/yyyy → "YYYY-MM-DD", numbers, checkboxes.

    Only the form's fields are read (the CSRF token and buttons are not). With ``step``, only
    that page's fields, and an unticked box of that page — which a browser does not post at
    all — reads as False (or no choice, for a list of boxes), so the draft forgets it.
    A value that cannot be converted is kept as typed (trimmed), never dropped.
    """
    names = step_fields(schema, step) if step is not None else form_fields(schema)
    cleaned: dict[str, Any] = {}
    for name in names:
        prop = schema["properties"][name]
        kind = prop.get("type")
        if kind == "array":
            if name in raw_post:
                cleaned[name] = [_clean_scalar(prop.get("items", {}), "text", value)
                                 for value in _values(raw_post, name) if _text(value) != ""]
            elif step is not None:
                cleaned[name] = []
            continue
        if name not in raw_post:
            if step is not None and kind == "boolean":
                cleaned[name] = False
            continue
        values = _values(raw_post, name)
        cleaned[name] = _clean_scalar(prop, field_widget(prop), values[-1] if values else "")
    return cleaned


def _values(raw_post: Mapping, name: str) -> list:
    if hasattr(raw_post, "getlist"):
        return raw_post.getlist(name)
    value = raw_post[name]
    return list(value) if isinstance(value, list | tuple) else [value]


def _text(value: Any) -> str:
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", str(value)).replace("\r\n", "\n").replace("\r", "\n")
    return text.strip()


def _clean_scalar(prop: dict, widget: str, value: Any) -> Any:
    if not isinstance(value, str) and value is not None:
        return value  # already typed (an API caller's dict)
    text = _text(value)
    kind = prop.get("type", "string")
    if kind == "boolean":
        folded = text.casefold()
        if folded in TRUE_WORDS:
            return True
        if folded in FALSE_WORDS:
            return False
        return text
    if text == "":
        return ""
    if kind == "integer":
        return _to_integer(text)
    if kind == "number":
        return _to_number(text)
    if widget == "date":
        return date_from_text(text) or text
    if widget in ("tel", "national_id"):
        return _digits(text, widget)
    return text


def date_from_text(text: str) -> str | None:
    """'24/11/1958', '24111958' or '1958-11-24' → '1958-11-24'; None if not a real date."""
    text = text.strip()
    if ISO_DATE_RE.match(text):
        try:
            return dt.date.fromisoformat(text).isoformat()
        except ValueError:
            return None
    match = DMY_RE.match(text) or DMY_PACKED_RE.match(text)
    if not match:
        return None
    day, month, year = (int(part) for part in match.groups())
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _digits(text: str, widget: str) -> str:
    packed = NUMBER_SEPARATORS_RE.sub("", text)
    if widget == "tel" and re.fullmatch(r"\+?84\d{9}", packed):
        packed = "0" + packed[-9:]  # +84 912 345 678 is 0912345678
    return packed if packed.isdigit() else text


def _to_integer(text: str) -> int | str:
    packed = text.replace(" ", "")
    if INTEGER_RE.match(packed):
        return int(packed)
    if GROUPED_RE.match(packed):
        return int(packed.replace(".", ""))
    return text


def _to_number(text: str) -> int | float | str:
    packed = text.replace(" ", "")
    whole = _to_integer(packed)
    if isinstance(whole, int):
        return whole
    if DECIMAL_RE.match(packed):
        return float(packed.replace(",", "."))
    return text


# --- form_validate ----------------------------------------------------------------------------

format_checker = FormatChecker(formats=())


@format_checker.checks("date", raises=ValueError)
def _is_date(instance: Any) -> bool:
    if not isinstance(instance, str):
        return True
    if not ISO_DATE_RE.match(instance):
        return False
    dt.date.fromisoformat(instance)
    return True


@format_checker.checks("email", raises=DjangoValidationError)
def _is_email(instance: Any) -> bool:
    if isinstance(instance, str):
        validate_email(instance)
    return True


def _widget_keyword(validator, widget, instance, schema) -> Iterator[ValidationError]:
    """Checks a widget implies beyond plain JSON Schema: a real personal identification
    number, a commune of this province."""
    if not isinstance(instance, str):
        return
    if widget == "national_id":
        from motcua.accounts.models import validate_national_id

        try:
            validate_national_id(instance)
        except DjangoValidationError as exc:
            yield ValidationError(str(exc.messages[0]))
    elif widget == "unit" and instance not in {code for code, _name in commune_choices()}:
        yield ValidationError("not a commune of the province")


def _date_keyword(after: bool):
    def check(validator, limit, instance, schema) -> Iterator[ValidationError]:
        if not isinstance(instance, str) or not ISO_DATE_RE.match(instance):
            return
        try:
            value = dt.date.fromisoformat(instance)
        except ValueError:
            return  # the format check reports it
        bound = date_limit(limit)
        if (value > bound) if after else (value < bound):
            yield ValidationError(f"{instance} is out of range")

    return check


FormValidator = validators.extend(Draft202012Validator, {
    "x-widget": _widget_keyword,
    "x-max-date": _date_keyword(after=True),
    "x-min-date": _date_keyword(after=False),
})


def _is_empty(value: Any) -> bool:
    return value is None or value == [] or (isinstance(value, str) and not value.strip())


def form_validate(schema: dict, data: dict, *, step: int | None = None) -> dict[str, list[str]]:
    """What is wrong, field by field, in words that say how to fix it; {} when all is well.

    With ``step``, only that page's fields are checked (the citizen moves on page by page);
    without it, the whole form, and a key the form does not have is refused when the schema
    says ``"additionalProperties": false``. An empty value counts as not given. One message
    per field, the most useful one.
    """
    if not isinstance(data, dict):
        raise TypeError("form data must be a dict")
    filled = {key: value for key, value in data.items() if not _is_empty(value)}
    if step is not None:
        names = step_fields(schema, step)
        target = {
            "type": "object",
            "properties": {name: schema["properties"][name] for name in names},
            "required": [name for name in schema.get("required", []) if name in names],
        }
        filled = {key: value for key, value in filled.items() if key in names}
    else:
        target = schema
    found: dict[str, list[tuple[int, str]]] = {}
    for error in FormValidator(target, format_checker=format_checker).iter_errors(filled):
        for name, message in _messages(schema, error):
            rank = PRIORITY.index(error.validator) if error.validator in PRIORITY else 99
            found.setdefault(name, []).append((rank, message))
    order = {name: position for position, name in enumerate(form_fields(schema))}
    return {
        name: [min(found[name])[1]]
        for name in sorted(found, key=lambda n: (order.get(n, len(order)), n))
    }


def _messages(schema: dict, error: ValidationError) -> Iterator[tuple[str, str]]:
    properties = schema["properties"]
    if error.validator == "required":
        for name in error.validator_value:
            if name not in error.instance and name in properties:
                yield name, _required_message(properties[name])
        return
    if error.validator == "additionalProperties":
        for name in error.instance:
            if name not in properties:
                yield name, _("This is not a field of the form")
        return
    path = list(error.absolute_path)
    if not path or path[0] not in properties:
        return
    name = path[0]
    yield name, _field_message(properties[name], error)


def _title(prop: dict) -> str:
    """The field's title inside a sentence: "Nhập họ và tên", but "Nhập CCCD"."""
    title = prop.get("title", "").strip()
    if len(title) > 1 and title[0].isupper() and not title[1].isupper():
        return title[0].lower() + title[1:]
    return title


def _short(title: str, limit: int = 80) -> str:
    return title if len(title) <= limit else title[: limit - 1].rstrip() + "…"


def _required_message(prop: dict) -> str:
    widget = field_widget(prop)
    title = _title(prop)
    if widget == "checkbox" and prop.get("type") == "array":
        return _("Choose at least one option for %(title)s") % {"title": title}
    if widget == "checkbox":
        return _("Tick the box “%(title)s”") % {"title": _short(prop.get("title", ""))}
    if widget in ("radio", "select", "unit"):
        return _("Choose %(title)s") % {"title": title}
    return _("Enter %(title)s") % {"title": title}


def _field_message(prop: dict, error: ValidationError) -> str:
    title = _title(prop)
    keyword = error.validator
    instance = error.instance
    if keyword == "type":
        expected = error.validator_value
        if expected == "integer":
            return _("Enter %(title)s as a whole number, for example 2") % {"title": title}
        if expected == "number":
            return _("Enter %(title)s as a number, for example 2,5") % {"title": title}
        if expected == "boolean":
            return _required_message(prop)
        if expected == "array":
            return _("Choose %(title)s from the list") % {"title": title}
        return _("Enter %(title)s as text") % {"title": title}
    if keyword == "const":
        return _required_message(prop)
    if keyword == "enum":
        return _("Choose %(title)s from the list") % {"title": title}
    if keyword == "pattern":
        return prop.get("x-error") or _("Check %(title)s: it is not in the expected form") % {
            "title": title}
    if keyword == "format" and error.validator_value == "date":
        text = str(instance).strip()
        if DMY_RE.match(text) or DMY_PACKED_RE.match(text) or ISO_DATE_RE.match(text):
            return _("%(value)s is not a real date: check the day and the month") % {
                "value": text}
        return _("Enter %(title)s as day/month/year, for example 24/11/2026") % {
            "title": title}
    if keyword == "format":
        return _("Enter an email address in the right form, like name@example.com")
    if keyword == "x-widget" and error.validator_value == "national_id":
        return error.message
    if keyword == "x-widget":
        return _("Choose %(title)s from the list") % {"title": title}
    if keyword == "minLength":
        return _("Enter at least %(limit)s characters for %(title)s") % {
            "limit": error.validator_value, "title": title}
    if keyword == "maxLength":
        return _("Shorten %(title)s to at most %(limit)s characters (now %(count)s)") % {
            "title": title, "limit": error.validator_value, "count": len(instance)}
    if keyword == "minimum":
        return _("Enter %(title)s of at least %(limit)s") % {
            "title": title, "limit": _number_text(error.validator_value)}
    if keyword == "maximum":
        return _("Enter %(title)s of at most %(limit)s") % {
            "title": title, "limit": _number_text(error.validator_value)}
    if keyword in ("x-max-date", "x-min-date"):
        limit = error.validator_value
        if limit == "today":
            message = (_("%(title)s cannot be after today") if keyword == "x-max-date"
                       else _("%(title)s cannot be before today"))
            return message % {"title": prop.get("title", "")}
        message = (_("%(title)s cannot be after %(date)s") if keyword == "x-max-date"
                   else _("%(title)s cannot be before %(date)s"))
        return message % {"title": prop.get("title", ""),
                          "date": dt.date.fromisoformat(limit).strftime("%d/%m/%Y")}
    if keyword == "minItems":
        return _("Choose at least %(limit)s options for %(title)s") % {
            "limit": error.validator_value, "title": title}
    if keyword == "maxItems":
        return _("Choose at most %(limit)s options for %(title)s") % {
            "limit": error.validator_value, "title": title}
    return _("Check %(title)s") % {"title": title}


def _number_text(value: int | float) -> str:
    if isinstance(value, float) and not value.is_integer():
        return str(value).replace(".", ",")
    return str(int(value))
