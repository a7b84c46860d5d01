from django.http import QueryDict
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from ninja import Router, Schema

from motcua.api.errors import ApiError

from .services import AccountError, token_issue

router = Router(tags=["accounts"])


class Credentials(Schema):
    username: str
    password: str


class TokenOut(Schema):
    token: str


@router.post("/auth/token", response=TokenOut, summary="Get an API token", auth=None)
def token_create(request, credentials: Credentials):
    """Log in with a user name (a citizen's 12-digit identification number) and password;
    use the token as `Authorization: Bearer <token>`. Repeated failures lock the account for
    this address for a while."""
    # The credentials came as JSON. The lockout's failure handler reads request.POST, which
    # Django would parse from the raw body whatever its declared type (a broken multipart
    # header made that a server error): there is no form here, so say so.
    request._post, request._files = QueryDict(), MultiValueDict()
    try:
        token = token_issue(request=request, username=credentials.username,
                            password=credentials.password)
    except AccountError as exc:
        if getattr(request, "axes_locked_out", False):
            raise ApiError(_("Too many failed attempts. Try again in 15 minutes, or ask a "
                             "one-stop desk for help."), code="locked_out", status=429) from exc
        raise ApiError(exc.message, code=exc.code, status=401) from exc
    return {"token": token}
