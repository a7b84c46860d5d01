"""Server-rendered, accessible HTML for one page of an e-form, and the error summary above it.

No JavaScript: every page posts to the server. Each field has its label bound to it, its hint
and its error joined by ``aria-describedby``, the error beside it in words; a group of radio
buttons or boxes is a fieldset whose legend is the question. The caller writes the ``<form
method="post" novalidate>`` (the browser's own bubbles are in the browser's language and
vanish; ours stay), the CSRF token and the buttons.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from .schema import (
    ISO_DATE_RE,
    field_choices,
    field_widget,
    form_fields,
    form_steps,
    step_fields,
    step_of_field,
    step_progress,
)

__all__ = [
    "display_text",
    "error_summary_render",
    "field_anchor",
    "form_answers",
    "form_render",
    "form_steps",
    "step_fields",
    "step_of_field",
    "step_progress",
]

# What each widget's <input> is: its type, and the keyboard a phone should open.
INPUTS = {
    "text": {"type": "text"},
    "date": {"type": "text", "inputmode": "numeric", "size": "short"},
    "number": {"type": "text", "inputmode": "numeric", "size": "short"},
    "tel": {"type": "tel", "autocomplete": "tel", "size": "medium"},
    "email": {"type": "email", "autocomplete": "email", "spellcheck": "false",
              "autocapitalize": "off"},
    "national_id": {"type": "text", "inputmode": "numeric", "spellcheck": "false",
                    "size": "medium"},
}
GROUP_WIDGETS = ("radio",)
# A text field whose pattern allows only digits ("^[0-9]{12}$") opens the number pad.
DIGITS_PATTERN_RE = re.compile(r"^\^(\[0-9\]|\\d)(\{\d+(,\d*)?\}|\+)\$$")


def form_render(schema: dict, data: dict, errors: dict[str, list[str]], *,
                step: int) -> SafeString:
    """The fields of page ``step`` (1 = first), filled with ``data`` (typed values, or the
    citizen's own text where it could not be converted) and ``errors`` beside their field."""
    fields = [_field(schema, name, data, errors) for name in step_fields(schema, step)]
    return render_to_string("eforms/fields.html", {"fields": fields})


def error_summary_render(errors: dict[str, list[str]], schema: dict) -> SafeString:
    """The box at the top of the page listing every problem as a link to its field; empty
    when there is none. It takes the focus when the page loads, so a screen reader reads it
    first and a keyboard user starts there."""
    order = {name: position for position, name in enumerate(form_fields(schema))}
    items = []
    for name in sorted(errors, key=lambda n: (order.get(n, len(order)), n)):
        anchor = field_anchor(schema, name) if name in order else ""
        items.extend({"anchor": anchor, "message": message} for message in errors[name])
    if not items:
        return SafeString("")
    return render_to_string("eforms/error_summary.html", {"items": items})


def field_anchor(schema: dict, name: str) -> str:
    """The id to link to for a field: the input itself, or the first choice of a group (a
    link to a fieldset would not put the focus where one can answer)."""
    prop = schema["properties"][name]
    widget = field_widget(prop)
    if widget in GROUP_WIDGETS or (widget == "checkbox" and prop.get("type") == "array"):
        return f"f-{name}-1"
    return f"f-{name}"


def display_text(schema: dict, name: str, value: Any) -> str:
    """A value as the citizen reads it: 24/11/1958, the label of a choice, the commune's name,
    2,5; the citizen's own text as it is."""
    prop = schema["properties"][name]
    widget = field_widget(prop)
    if value is None or value == "" or value == []:
        return ""
    if widget == "checkbox" and prop.get("type") == "boolean":
        return _("Yes") if value is True else _("No") if value is False else str(value)
    if isinstance(value, list):
        return ", ".join(display_text(schema, name, item) for item in value)
    if widget in ("radio", "select", "unit", "checkbox"):
        for choice, label in field_choices(schema, name):
            if _same(choice, value):
                return label
        return str(value)
    return _input_text(prop, widget, value)


def form_answers(schema: dict, data: dict) -> list[tuple[str, list[tuple[str, str, str]]]]:
    """Everything answered, page by page, to check before sending: [(page title, [(field
    name, title, value as read)])]."""
    pages = []
    for number, title in enumerate(form_steps(schema), start=1):
        rows = [(name, schema["properties"][name]["title"],
                 display_text(schema, name, data.get(name)))
                for name in step_fields(schema, number)]
        pages.append((title, rows))
    return pages


def _input_text(prop: dict, widget: str, value: Any) -> str:
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        if isinstance(value, float) and not value.is_integer():
            return str(value).replace(".", ",")
        return str(int(value))
    text = str(value)
    if widget == "date" and ISO_DATE_RE.match(text):
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            return text
        return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"
    return text


def _same(choice: Any, value: Any) -> bool:
    return choice == value or str(choice) == str(value)


def _field(schema: dict, name: str, data: dict, errors: dict[str, list[str]]) -> dict:
    prop = schema["properties"][name]
    widget = field_widget(prop)
    field_id = f"f-{name}"
    value = data.get(name)
    messages = errors.get(name) or []
    is_list = prop.get("type") == "array"
    required = name in schema.get("required", [])
    context = {
        "name": name,
        "id": field_id,
        "widget": "boxes" if is_list else widget,
        "label": prop.get("title", name),
        "hint": prop.get("description", ""),
        "example": _("For example: 24/11/1958") if widget == "date" else "",
        "hint_id": f"{field_id}-hint",
        "error": " ".join(messages),
        "error_id": f"{field_id}-error",
        # A single box is optional by nature; everything else says when it may be left out.
        "optional": not required and not (widget == "checkbox" and not is_list),
    }
    context["describedby"] = " ".join(
        part for part, present in ((context["hint_id"], context["hint"] or context["example"]),
                                   (context["error_id"], context["error"])) if present
    )
    if widget in ("radio", "select", "unit") or is_list:
        chosen = value if isinstance(value, list) else [value]
        context["choices"] = [
            {"id": f"{field_id}-{position}", "value": choice, "label": label,
             "checked": any(_same(choice, v) for v in chosen if v not in (None, ""))}
            for position, (choice, label) in enumerate(field_choices(schema, name), start=1)
        ]
    elif widget == "checkbox":
        context["checked"] = value is True
    else:
        attrs = dict(INPUTS.get(widget, {}))
        if widget == "number" and prop.get("type") == "number":
            attrs["inputmode"] = "decimal"
        if widget == "text" and DIGITS_PATTERN_RE.match(prop.get("pattern", "")):
            attrs["inputmode"] = "numeric"
        if prop.get("x-autocomplete"):
            attrs["autocomplete"] = prop["x-autocomplete"]
        context["input"] = attrs
        context["value"] = "" if value is None else _input_text(prop, widget, value)
    return context
