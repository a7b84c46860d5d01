"""E-form schemas: what a procedure asks the citizen, described once for the page, the draft
and the API (docs/eforms.md).

A schema is a JSON Schema (draft 2020-12) of an object whose properties are the form's fields,
plus display hints in ``x-`` keywords. Only a small subset of JSON Schema is accepted, the part
the renderer and the Vietnamese messages know how to show; ``schema_check`` refuses the rest so a
province's administrator learns of a mistake at import, not from a citizen.

Nothing here touches the database except ``commune_choices`` (the unit picker's list).
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError

from motcua.core.text import fold_vi

DRAFT = "https://json-schema.org/draft/2020-12/schema"

WIDGETS = ("text", "textarea", "date", "select", "radio", "checkbox", "number", "tel", "email",
           "national_id", "unit")
# The widgets each JSON type may be shown with.
WIDGETS_BY_TYPE = {
    "string": {"text", "textarea", "date", "select", "radio", "tel", "email", "national_id",
               "unit"},
    "integer": {"number", "select", "radio"},
    "number": {"number", "select", "radio"},
    "boolean": {"checkbox"},
    "array": {"checkbox"},
}
FORMATS = ("date", "email")
# Field names become HTML ids and POST keys, and keys of the stored draft.
FIELD_NAME_RE = re.compile(r"^[a-z][a-z0-9_]{0,59}$")
ISO_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Choices shown as radio buttons when the schema names no widget; longer lists get a select.
RADIO_LIMIT = 5

TOP_KEYWORDS = {"$schema", "$id", "$comment", "title", "description", "type", "properties",
                "required", "additionalProperties", "x-order"}
FIELD_KEYWORDS = {"$comment", "type", "title", "description", "enum", "const", "pattern",
                  "minLength", "maxLength", "minimum", "maximum", "format", "items", "minItems",
                  "maxItems", "uniqueItems", "x-step", "x-widget", "x-error", "x-registry",
                  "x-labels", "x-autocomplete", "x-min-date", "x-max-date"}
ITEM_KEYWORDS = {"type", "enum", "x-labels"}
# HTML autocomplete tokens worth giving a citizen's phone (the browser fills them in).
AUTOCOMPLETE_TOKENS = {"off", "name", "given-name", "family-name", "bday", "sex", "tel",
                       "email", "street-address", "address-line1", "address-line2",
                       "country-name", "organization"}


class FormSchemaError(ValueError):
    """A schema the e-form engine refuses; ``problems`` says every reason, one per item."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


# --- the standard form ------------------------------------------------------------------------

def standard_applicant_schema() -> dict:
    """The form of a procedure that has none of its own: who is asking, how to reach them,
    where they live and what they ask for. Labels follow the active language."""
    return {
        "$schema": DRAFT,
        "title": _("Application"),
        "type": "object",
        "properties": {
            "full_name": {
                "type": "string", "title": _("Full name"), "maxLength": 100,
                "description": _("As written on your identity card"),
                "x-step": _("About you"), "x-autocomplete": "name", "x-registry": "ho_ten",
            },
            "national_id": {
                "type": "string", "title": _("Personal identification number"),
                "pattern": r"^[0-9]{12}$",
                "x-error": _("Enter the 12-digit personal identification number"),
                "description": _("The 12 digits on your identity card"),
                "x-widget": "national_id", "x-step": _("About you"),
                "x-registry": "so_dinh_danh",
            },
            "birth_date": {
                "type": "string", "format": "date", "title": _("Date of birth"),
                "x-max-date": "today", "x-step": _("About you"), "x-autocomplete": "bday",
                "x-registry": "ngay_sinh",
            },
            "sex": {
                "type": "string", "title": _("Sex"), "enum": ["male", "female"],
                "x-labels": [_("Male"), _("Female")], "x-widget": "radio",
                "x-step": _("About you"), "x-registry": "gioi_tinh",
            },
            "phone": {
                "type": "string", "title": _("Phone number"), "pattern": r"^0[0-9]{9}$",
                "x-error": _("Enter a 10-digit phone number starting with 0"),
                "description": _("We send you a message when your result is ready"),
                "x-widget": "tel", "x-step": _("How to reach you"),
            },
            "email": {
                "type": "string", "format": "email", "title": _("Email"), "maxLength": 254,
                "x-widget": "email", "x-step": _("How to reach you"),
            },
            "commune": {
                "type": "string", "title": _("Commune or ward where you live"),
                "x-widget": "unit", "x-step": _("Where you live"),
                "x-registry": "noi_thuong_tru.xa",
            },
            "address": {
                "type": "string", "title": _("Permanent address"), "maxLength": 255,
                "description": _("House number and street, village or residential group"),
                "x-step": _("Where you live"), "x-autocomplete": "street-address",
                "x-registry": "noi_thuong_tru.chi_tiet",
            },
            "request": {
                "type": "string", "title": _("What you are asking for"), "maxLength": 2000,
                "description": _("Say in your own words what you need and why"),
                "x-widget": "textarea", "x-step": _("Your request"),
            },
        },
        "required": ["full_name", "national_id", "birth_date", "sex", "phone", "commune",
                     "address", "request"],
        "additionalProperties": False,
        "x-order": ["full_name", "national_id", "birth_date", "sex", "phone", "email",
                    "commune", "address", "request"],
    }


def effective_schema(version) -> dict:
    """The form citizens fill in for a procedure version: its own, else the standard one."""
    return version.form_schema or standard_applicant_schema()


# --- reading a schema -------------------------------------------------------------------------

def form_fields(schema: dict) -> list[str]:
    """Field names in the order the form asks them. ``x-order`` keeps that order where the
    database does not keep the order of an object's keys (PostgreSQL's jsonb)."""
    properties = schema.get("properties") or {}
    order = schema.get("x-order")
    if order:
        return [name for name in order if name in properties]
    return list(properties)


def field_schema(schema: dict, name: str) -> dict:
    return schema["properties"][name]


def field_widget(prop: dict) -> str:
    """The widget a field is shown with: its ``x-widget``, else one fitting its type."""
    if prop.get("x-widget"):
        return prop["x-widget"]
    kind = prop.get("type")
    if kind in ("boolean", "array"):
        return "checkbox"
    if "enum" in prop:
        return "radio" if len(prop["enum"]) <= RADIO_LIMIT else "select"
    if prop.get("format") in ("date", "email"):
        return prop["format"]
    if kind in ("integer", "number"):
        return "number"
    return "text"


def field_choices(schema: dict, name: str) -> list[tuple[Any, str]]:
    """(value, label) of a choice field, in order; the communes of the province for a unit
    picker; empty for a field without choices."""
    prop = field_schema(schema, name)
    if field_widget(prop) == "unit":
        return commune_choices()
    source = prop.get("items", {}) if prop.get("type") == "array" else prop
    values = source.get("enum") or []
    labels = source.get("x-labels") or [str(value) for value in values]
    return list(zip(values, labels, strict=True))


def commune_choices() -> list[tuple[str, str]]:
    """(code, name) of the communes, wards and special zones of this installation's province,
    sorted by their proper name ("Xã Thanh Sơn" under T, not among all the "Xã")."""
    from django.core.cache import cache

    from motcua.geo.models import Unit

    key = f"eforms:communes:{settings.PROVINCE_CODE}"
    choices = cache.get(key)
    if choices is None:
        units = Unit.objects.filter(
            parent__code=settings.PROVINCE_CODE, is_active=True).values_list("code", "name")
        choices = sorted(
            units,
            key=lambda item: (fold_vi(_proper_name(item[1])), item[1]),
        )
        cache.set(key, choices, 3600)
    return choices


def _proper_name(name: str) -> str:
    for prefix in ("Đặc khu ", "Phường ", "Xã ", "Thị trấn "):
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


# --- steps ------------------------------------------------------------------------------------

def form_steps(schema: dict) -> list[str]:
    """Titles of the form's pages, in order of first appearance of their ``x-step``. A form
    without steps is one page titled by the schema's title."""
    steps: list[str] = []
    for name in form_fields(schema):
        title = schema["properties"][name].get("x-step")
        if title and title not in steps:
            steps.append(title)
    return steps or [schema.get("title") or _("Fill in the form")]


def step_fields(schema: dict, step: int) -> list[str]:
    """Names of the fields on page ``step`` (1 = the first page)."""
    steps = form_steps(schema)
    if not 1 <= step <= len(steps):
        raise ValueError(f"step {step} is not between 1 and {len(steps)}")
    title = steps[step - 1]
    return [name for name in form_fields(schema)
            if schema["properties"][name].get("x-step", title) == title]


def step_of_field(schema: dict, name: str) -> int:
    """The page a field is on, e.g. to send the citizen back to the first problem."""
    title = schema["properties"][name].get("x-step")
    return form_steps(schema).index(title) + 1 if title else 1


def step_progress(schema: dict, step: int) -> str:
    """"Bước 2/5": where the citizen is in the form."""
    return _("Step %(number)s of %(total)s") % {
        "number": step, "total": len(form_steps(schema)),
    }


# --- checking a schema ------------------------------------------------------------------------

def schema_check(schema: Any) -> dict:
    """Refuse a schema the engine cannot show or check, with every reason; else return it as
    it should be stored: a copy with ``x-order`` naming the fields in the order written.

    An empty object is the standard form and passes unchanged.
    """
    if not isinstance(schema, dict):
        raise FormSchemaError([_("the e-form must be a JSON object")])
    if not schema:
        return {}
    problems: list[str] = []
    unknown = sorted(set(schema) - TOP_KEYWORDS)
    if unknown:
        problems.append(_("unsupported keywords at the top of the e-form: %(keywords)s")
                        % {"keywords": ", ".join(unknown)})
    if schema.get("$schema") not in (None, DRAFT):
        problems.append(_("$schema must be %(uri)s") % {"uri": DRAFT})
    if schema.get("type") != "object":
        problems.append(_("the e-form must have \"type\": \"object\""))
    if "additionalProperties" in schema and not isinstance(schema["additionalProperties"], bool):
        problems.append(_("additionalProperties must be true or false"))
    properties = schema.get("properties")
    if not isinstance(properties, dict) or not properties:
        problems.append(_("the e-form must list its fields in \"properties\""))
        raise FormSchemaError(problems)
    for name, prop in properties.items():
        problems.extend(_field_problems(name, prop))
    required = schema.get("required", [])
    if not isinstance(required, list) or not all(isinstance(n, str) for n in required):
        problems.append(_("required must be a list of field names"))
    else:
        missing = [n for n in required if n not in properties]
        if missing:
            problems.append(_("required names fields that do not exist: %(names)s")
                            % {"names": ", ".join(missing)})
    order = schema.get("x-order")
    if order is not None and (not isinstance(order, list) or sorted(map(str, order))
                              != sorted(properties) or len(set(order)) != len(order)):
        problems.append(_("x-order must list every field exactly once"))
    with_step = [n for n, p in properties.items() if isinstance(p, dict) and "x-step" in p]
    if with_step and len(with_step) != len(properties):
        without = [n for n in properties if n not in with_step]
        problems.append(_("give every field an x-step, or none: missing on %(names)s")
                        % {"names": ", ".join(without)})
    if not problems:
        try:
            Draft202012Validator.check_schema(schema)
        except SchemaError as exc:
            where = "/".join(str(p) for p in exc.absolute_path) or "/"
            problems.append(_("not valid JSON Schema at %(where)s: %(error)s")
                            % {"where": where, "error": exc.message})
    if problems:
        raise FormSchemaError(problems)
    stored = copy.deepcopy(schema)
    stored.setdefault("x-order", list(properties))
    return stored


def _field_problems(name: str, prop: Any) -> list[str]:
    def problem(message: str, **values) -> str:
        return _("field “%(name)s”: %(problem)s") % {"name": name, "problem": message % values}

    if not FIELD_NAME_RE.match(str(name)):
        return [problem(_("field names use lower-case letters without accents, digits and _, "
                          "starting with a letter"))]
    if not isinstance(prop, dict):
        return [problem(_("must be an object"))]
    problems = []
    unknown = sorted(set(prop) - FIELD_KEYWORDS)
    if unknown:
        problems.append(problem(_("unsupported keywords: %(keywords)s"),
                                keywords=", ".join(unknown)))
    kind = prop.get("type")
    if kind not in WIDGETS_BY_TYPE:
        problems.append(problem(_("type must be one of %(types)s"),
                                types=", ".join(WIDGETS_BY_TYPE)))
        return problems
    for key in ("title", "description", "x-step", "x-error", "x-registry"):
        if key in prop and (not isinstance(prop[key], str) or not prop[key].strip()):
            problems.append(problem(_("%(key)s must be non-empty text"), key=key))
    if "title" not in prop:
        problems.append(problem(_("needs a title (the label people read)")))
    widget = prop.get("x-widget")
    if widget is not None and widget not in WIDGETS:
        problems.append(problem(_("unknown x-widget “%(widget)s”; use one of %(widgets)s"),
                                widget=widget, widgets=", ".join(WIDGETS)))
        return problems
    widget = field_widget(prop)
    if widget not in WIDGETS_BY_TYPE[kind]:
        problems.append(problem(_("a field of type %(type)s cannot be shown as %(widget)s"),
                                type=kind, widget=widget))
    problems.extend(problem(p) for p in _choice_problems(prop, kind, widget))
    problems.extend(problem(p) for p in _constraint_problems(prop, kind, widget))
    token = prop.get("x-autocomplete")
    if token is not None and token not in AUTOCOMPLETE_TOKENS:
        problems.append(problem(_("x-autocomplete must be one of %(tokens)s"),
                                tokens=", ".join(sorted(AUTOCOMPLETE_TOKENS))))
    return problems


def _choice_problems(prop: dict, kind: str, widget: str) -> list[str]:
    problems = []
    if kind == "array":
        items = prop.get("items")
        if not isinstance(items, dict) or not items.get("enum"):
            return [_("a list of boxes needs \"items\" with an enum of the choices")]
        unknown = sorted(set(items) - ITEM_KEYWORDS)
        if unknown:
            problems.append(_("unsupported keywords in items: %(keywords)s")
                            % {"keywords": ", ".join(unknown)})
        source = items
    else:
        if "items" in prop:
            problems.append(_("items is only for a list of boxes (type array)"))
        source = prop
    enum = source.get("enum")
    if widget in ("select", "radio") and not enum:
        problems.append(_("a %(widget)s field needs an enum of its choices") % {"widget": widget})
    if enum is None:
        if "x-labels" in source:
            problems.append(_("x-labels needs an enum beside it"))
        return problems
    if not isinstance(enum, list) or not enum:
        return [*problems, _("enum must be a non-empty list")]
    if len({repr(v) for v in enum}) != len(enum):
        problems.append(_("enum has the same choice twice"))
    item_kind = source.get("type", "string")
    python_types = {"string": str, "integer": int, "number": (int, float)}.get(item_kind)
    if python_types is None or not all(
            isinstance(v, python_types) and not isinstance(v, bool) for v in enum):
        problems.append(_("every choice in enum must be of type %(type)s") % {"type": item_kind})
    labels = source.get("x-labels")
    if labels is not None and (not isinstance(labels, list) or len(labels) != len(enum)
                               or not all(isinstance(x, str) and x.strip() for x in labels)):
        problems.append(_("x-labels must be a list of texts, one for each choice of enum"))
    return problems


def _constraint_problems(prop: dict, kind: str, widget: str) -> list[str]:
    problems = []
    if "pattern" in prop:
        if kind != "string" or not isinstance(prop["pattern"], str):
            problems.append(_("pattern is only for text fields"))
        else:
            try:
                re.compile(prop["pattern"])
            except re.error as exc:
                problems.append(_("pattern is not a valid regular expression: %(error)s")
                                % {"error": exc})
            if "x-error" not in prop:
                problems.append(_("a pattern needs an x-error saying how to fix the value, "
                                  "e.g. “Nhập số điện thoại gồm 10 chữ số”"))
    elif "x-error" in prop:
        problems.append(_("x-error is the message when pattern fails: add a pattern"))
    fmt = prop.get("format")
    if fmt is not None and (fmt not in FORMATS or kind != "string"):
        problems.append(_("format must be date or email, on a text field"))
    if widget == "date" and fmt != "date":
        problems.append(_("a date field needs \"format\": \"date\""))
    if widget == "email" and fmt != "email":
        problems.append(_("an email field needs \"format\": \"email\""))
    for key in ("x-min-date", "x-max-date"):
        if key in prop:
            if fmt != "date":
                problems.append(_("%(key)s is only for date fields") % {"key": key})
            elif not _date_limit_ok(prop[key]):
                problems.append(_("%(key)s must be \"today\" or a date YYYY-MM-DD") % {"key": key})
    for key in ("minLength", "maxLength", "minItems", "maxItems"):
        if key in prop and (not isinstance(prop[key], int) or isinstance(prop[key], bool)
                            or prop[key] < 0):
            problems.append(_("%(key)s must be a whole number, 0 or more") % {"key": key})
    for key in ("minimum", "maximum"):
        if key in prop and (kind not in ("integer", "number")
                            or not isinstance(prop[key], int | float)
                            or isinstance(prop[key], bool)):
            problems.append(_("%(key)s must be a number, on a number field") % {"key": key})
    if "const" in prop and not (kind == "boolean" and prop["const"] is True):
        problems.append(_("const is only for a box that must be ticked: "
                          "{\"type\": \"boolean\", \"const\": true}"))
    return problems


def _date_limit_ok(value: Any) -> bool:
    if value == "today":
        return True
    if not isinstance(value, str) or not ISO_DATE_RE.match(value):
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def date_limit(value: str) -> dt.date:
    """The date an ``x-min-date``/``x-max-date`` names, "today" in the installation's time."""
    return timezone.localdate() if value == "today" else dt.date.fromisoformat(value)
