"""Logs that help operators without exposing the people we serve: each line carries the
request's id; identification numbers, phone numbers and email addresses are masked wherever
they slip into a message."""

import contextvars
import logging
import re
import uuid

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

# 12-digit identification numbers, Vietnamese phone numbers (0… or +84…), email addresses.
PERSONAL = re.compile(
    r"(?<!\d)\d{12}(?!\d)"
    r"|(?<![\d+])(?:\+84|0)\d{9}(?!\d)"
    r"|[\w.+-]+@[\w-]+\.[\w.-]+"
)


def mask(text: str) -> str:
    return PERSONAL.sub("[…]", text)


class MaskPersonalData(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask(message)
        if masked != message:
            record.msg, record.args = masked, None
        record.request_id = request_id_var.get()
        return True


ID_RE = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    """Takes the proxy's X-Request-ID when it is a plain token, else makes one; sends it back
    so a citizen's complaint can be matched to the log lines."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = incoming if ID_RE.match(incoming) else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response["X-Request-ID"] = request_id
        return response
