"""What a locked-out login gets: a page for people, JSON for the API."""

from django.shortcuts import render
from django.utils.translation import gettext as _

from motcua.api.errors import error_response


def lockout_response(request, original_response=None, credentials=None):
    if request.path.startswith("/api/"):
        return error_response(
            _("Too many failed attempts. Try again in 15 minutes, or ask a one-stop desk for "
              "help."), "locked_out", 429)
    return render(request, "portal/locked_out.html", status=429)
