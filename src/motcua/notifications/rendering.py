"""The messages: which templates exist, what context each needs, and how a message is rendered
for a channel — an email (subject and body, Vietnamese with diacritics) or an SMS (one line of
at most 160 plain ASCII characters, see ``sms_fold``).

Templates live in ``templates/notifications/<key>.subject.txt``, ``<key>.txt`` and
``<key>.sms.txt``; their words are English msgids translated in ``locale/``. They are plain
text, so they are rendered by an engine of their own that does not HTML-escape.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.template import Context, Engine
from django.utils import translation
from django.utils.translation import gettext as _

from motcua.core.text import fold_vi

SMS_MAX_CHARS = 160
SUBJECT_MAX_CHARS = 255  # Notification.subject
# A value cut shorter than this says nothing useful; the template then leaves it out.
SMS_MIN_SHORTENED = 12
ELLIPSIS = "..."


class NotificationError(ValueError):
    """A notification that cannot be written as asked: unknown template, wrong context,
    bad recipient. A programming error in the caller, raised before anything is written."""


@dataclass(frozen=True)
class TemplateSpec:
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    # When the SMS is too long, these values give way, in this order: a link is left out
    # whole (a cut link is worse than none), a text is cut with "...".
    sms_give_way: tuple[str, ...] = ()

    @property
    def keys(self) -> frozenset[str]:
        return frozenset(self.required) | frozenset(self.optional)


_CITIZEN = ("dossier_code", "procedure_name")
_CITIZEN_OPTIONAL = ("applicant_name", "tracking_url")

TEMPLATES: dict[str, TemplateSpec] = {
    "dossier_submitted": TemplateSpec(
        required=(*_CITIZEN, "submitted_at"), optional=_CITIZEN_OPTIONAL,
        sms_give_way=("tracking_url", "procedure_name"),
    ),
    "dossier_received": TemplateSpec(
        required=(*_CITIZEN, "received_at", "appointment_date", "tracking_url"),
        optional=("applicant_name", "desk_name"),
        sms_give_way=("tracking_url",),
    ),
    "dossier_refused": TemplateSpec(
        required=(*_CITIZEN, "reason"), optional=_CITIZEN_OPTIONAL,
        sms_give_way=("tracking_url", "reason"),
    ),
    "supplement_requested": TemplateSpec(
        required=(*_CITIZEN, "items"), optional=(*_CITIZEN_OPTIONAL, "reason", "contact"),
        sms_give_way=("tracking_url", "items"),
    ),
    "dossier_processing": TemplateSpec(
        required=_CITIZEN, optional=(*_CITIZEN_OPTIONAL, "agency_name", "appointment_date"),
        sms_give_way=("tracking_url",),
    ),
    "dossier_apology": TemplateSpec(
        required=(*_CITIZEN, "reason", "new_appointment_date"),
        optional=(*_CITIZEN_OPTIONAL, "appointment_date"),
        sms_give_way=("tracking_url", "reason"),
    ),
    "dossier_resolved": TemplateSpec(
        required=(*_CITIZEN, "collect_how"), optional=(*_CITIZEN_OPTIONAL, "result_name"),
        sms_give_way=("tracking_url", "collect_how"),
    ),
    "dossier_returned": TemplateSpec(
        required=_CITIZEN, optional=(*_CITIZEN_OPTIONAL, "returned_at"),
    ),
    "dossier_withdrawn": TemplateSpec(required=_CITIZEN, optional=_CITIZEN_OPTIONAL),
    "dossier_stopped": TemplateSpec(
        required=(*_CITIZEN, "reason"), optional=_CITIZEN_OPTIONAL,
        sms_give_way=("tracking_url", "reason"),
    ),
    "step_due_soon": TemplateSpec(
        required=(*_CITIZEN, "step_name", "due_at"), optional=("official_name", "work_url"),
        sms_give_way=("work_url", "step_name"),
    ),
}

# Templates other apps contribute (files under their own templates/notifications/), kept apart
# from the dossier templates above, which the tests check one by one.
CONTRIBUTED: dict[str, TemplateSpec] = {}


def template_register(key: str, spec: TemplateSpec) -> None:
    """Make another app's template known to the outbox (called from its AppConfig.ready)."""
    if key in TEMPLATES:
        raise NotificationError(f"{key}: a dossier template has this name")
    CONTRIBUTED[key] = spec


def _spec(template: str) -> TemplateSpec | None:
    return TEMPLATES.get(template) or CONTRIBUTED.get(template)


_URL_KEYS = {"tracking_url", "work_url"}
_url_validator = URLValidator(schemes=["http", "https"])


def _check_value(key: str, value) -> str | None:
    """The problem with one context value, or None. The kind of a value follows its name:
    ``*_at`` a time with its time zone, ``*_date`` a calendar date, ``items`` a list of
    texts, anything else a text."""
    if key.endswith("_at"):
        if not isinstance(value, dt.datetime) or value.tzinfo is None:
            return _("%(key)s must be a date and time with its time zone") % {"key": key}
    elif key.endswith("_date"):
        if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
            return _("%(key)s must be a date") % {"key": key}
    elif key == "items":
        if not isinstance(value, list | tuple) or not value \
                or not all(isinstance(item, str) and item.strip() for item in value):
            return _("%(key)s must be a non-empty list of texts") % {"key": key}
    elif not isinstance(value, str) or not value.strip():
        return _("%(key)s must be a non-empty text") % {"key": key}
    elif key in _URL_KEYS:
        try:
            _url_validator(value)
        except ValidationError:
            return _("%(key)s must be a web address (http or https)") % {"key": key}
    return None


def context_check(*, template: str, context: dict) -> dict:
    """The context as given, or NotificationError naming every problem. Unknown keys are
    refused: a misspelt optional key would otherwise vanish silently from the message."""
    spec = _spec(template)
    if spec is None:
        raise NotificationError(_("unknown notification template: %(key)s") % {"key": template})
    problems = []
    for key in spec.required:
        if context.get(key) in (None, "", [], ()):
            problems.append(_("%(key)s is required") % {"key": key})
    for key in sorted(set(context) - spec.keys):
        problems.append(_("%(key)s is not used by this template") % {"key": key})
    for key, value in context.items():
        if key in spec.keys and value not in (None, ""):
            problem = _check_value(key, value)
            if problem:
                problems.append(problem)
    if problems:
        raise NotificationError(f"{template}: " + "; ".join(problems))
    return {key: value for key, value in context.items() if value not in (None, "")}


# --- rendering ------------------------------------------------------------------------------

_engine = Engine(
    app_dirs=True,
    autoescape=False,  # plain text: "Hộ tịch & Chứng thực" must not become "&amp;"
    libraries={"i18n": "django.templatetags.i18n", "vn": "motcua.core.templatetags.vn"},
)
_BLANK_LINES = re.compile(r"\n{3,}")


def _render(name: str, context: dict) -> str:
    text = _engine.get_template(f"notifications/{name}").render(
        Context({"site_name": settings.SITE_NAME, **context}, autoescape=False)
    )
    # Template tags on lines of their own leave blank lines and trailing spaces behind.
    lines = [line.rstrip() for line in text.splitlines()]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str


def message_render(*, template: str, context: dict, channel: str, language: str) -> Rendered:
    """The message as it will be sent, in ``language``. The context must have passed
    ``context_check``."""
    spec = _spec(template)
    with translation.override(language):
        if channel == "sms":
            return Rendered(subject="", body=_sms_fit(template, spec, context))
        subject = " ".join(_render(f"{template}.subject.txt", context).split())
        if len(subject) > SUBJECT_MAX_CHARS:  # a very long step name, say
            subject = subject[: SUBJECT_MAX_CHARS - 1].rstrip() + "…"
        return Rendered(subject=subject, body=_render(f"{template}.txt", context) + "\n")


# --- SMS ------------------------------------------------------------------------------------

# Typographic punctuation a translator or an official may type, in plain ASCII.
_PUNCTUATION = str.maketrans({
    "“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'", "‚": "'",
    "–": "-", "—": "-", "‑": "-", "−": "-", "•": "-", "·": "-", "…": "...",
    "€": "EUR", "₫": "d",
})
# ASCII characters outside the GSM 03.38 basic alphabet: they cost two characters of the 160
# (or cannot be sent at all, for the backquote), so they become look-alikes that cost one.
_GSM_SAFE = str.maketrans({
    "[": "(", "]": ")", "{": "(", "}": ")", "\\": "/", "|": "/", "~": "-", "^": " ", "`": "'",
})
_SPACES = re.compile(r"\s+")
_ELLIPSIS_DOT = re.compile(r"\.{4,}")  # "cut text..." at the end of a sentence


def _fold_char(char: str) -> str:
    if char.isascii():
        return char if char.isprintable() else " "  # control characters: a space at most
    folded = fold_vi(char)
    if char.isupper():
        folded = folded.upper()
    return folded if folded.isascii() else "?"


def sms_fold(text: str) -> str:
    """Vietnamese without diacritics on one line, in the characters every phone and every
    SMS route shows as typed: "Hồ sơ đã được tiếp nhận" → "Ho so da duoc tiep nhan".

    Unicode SMS carry 70 characters instead of 160 and many cheap routes and old phones garble
    them; Vietnamese readers are used to unaccented SMS. Case is kept ("Đ" → "D")."""
    text = unicodedata.normalize("NFKC", text).translate(_PUNCTUATION)
    text = "".join(_fold_char(char) for char in text).translate(_GSM_SAFE)
    return _SPACES.sub(" ", text).strip()


def _sms_value(value) -> str:
    if isinstance(value, list | tuple):
        value = "; ".join(str(item).strip() for item in value)
    return sms_fold(str(value))


def _sms_fit(template: str, spec: TemplateSpec, context: dict) -> str:
    """Render the SMS and make it fit: the values of ``sms_give_way`` give way in turn (a link
    is left out, a long free text — a reason, a procedure name — is cut with "..."); only as a
    last resort is the end cut. Codes and dates come first in every SMS, so they survive."""
    values = {
        key: (_sms_value(value) if isinstance(value, str | list | tuple) else value)
        for key, value in context.items()
    }

    def render(vals: dict) -> str:
        return _ELLIPSIS_DOT.sub(ELLIPSIS, sms_fold(_render(f"{template}.sms.txt", vals)))

    text = render(values)
    for key in spec.sms_give_way:
        if len(text) <= SMS_MAX_CHARS:
            break
        if key in _URL_KEYS:
            values[key] = ""
            text = render(values)
        else:
            text = _shorten_while_long(key, values, text, render)
    if len(text) > SMS_MAX_CHARS:
        text = text[: SMS_MAX_CHARS - len(ELLIPSIS)].rstrip() + ELLIPSIS
    return text


def _shorten_while_long(
    key: str, values: dict, text: str, render: Callable[[dict], str]
) -> str:
    while len(text) > SMS_MAX_CHARS and values.get(key):
        current = values[key].removesuffix(ELLIPSIS)
        keep = len(current) - (len(text) - SMS_MAX_CHARS) - len(ELLIPSIS)
        if keep < SMS_MIN_SHORTENED:
            values[key] = ""
        else:
            values[key] = current[:keep].rstrip(" ,;.-") + ELLIPSIS
        text = render(values)
    return text
