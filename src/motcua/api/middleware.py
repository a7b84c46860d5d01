"""Whatever answers an API request — Django refusing a method, a CSRF check, a body too
large — the client gets our JSON error, never an HTML page."""

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
