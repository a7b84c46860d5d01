"""Whatever answers an API request — Django refusing a method, a CSRF check, a body too
large — the client gets our JSON error, never an HTML page."""

import json

from django.core.exceptions import RequestDataTooBig
from django.utils.translation import gettext as _

from .errors import error_response

MESSAGES = {
    400: ("bad_request", lambda: _("The request could not be read.")),
    403: ("forbidden", lambda: _("You may not do this.")),
    404: ("not_found", lambda: _("Not found.")),
    405: ("method_not_allowed", lambda: _("This address does not accept this method.")),
    413: ("too_large", lambda: _("The request is too large.")),
}


class ApiJsonErrorsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/api/") and _carries_a_nul(request):
            return error_response(
                _("The request contains a null character, which no field accepts."),
                "invalid", 400)
        response = self.get_response(request)
        if (request.path.startswith("/api/") and response.status_code >= 400
                and not response.get("Content-Type", "").startswith("application/json")):
            code, message = MESSAGES.get(
                response.status_code,
                ("error", lambda: _("Something went wrong on our side. Please try again later.")))
            json_response = error_response(message(), code, response.status_code)
            if response.has_header("Allow"):
                json_response["Allow"] = response["Allow"]
            return json_response
        return response


def _carries_a_nul(request) -> bool:
    """No field of ours holds U+0000, and PostgreSQL refuses it in any text or JSON value (a
    query would fail with a server error): refuse it once here, for every endpoint. Files
    travel as multipart or raw pieces, never as JSON, so their bytes are not looked at."""
    if "%00" in request.META.get("QUERY_STRING", ""):
        return True
    if not request.content_type.endswith("json"):
        return False
    try:
        body = request.body
    except RequestDataTooBig:
        return False  # the view meets the same refusal and answers it
    if b"\\u0000" not in body and b"\x00" not in body:
        return False
    try:
        return _has_nul(json.loads(body))
    except ValueError:
        return b"\x00" in body


def _has_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False
