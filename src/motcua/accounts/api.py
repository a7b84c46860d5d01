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
    try:
        token = token_issue(request=request, username=credentials.username,
                            password=credentials.password)
    except AccountError as exc:
        if getattr(request, "axes_locked_out", False):
            raise ApiError(_("Too many failed attempts. Try again in 15 minutes, or ask a "
                             "one-stop desk for help."), code="locked_out", status=429) from exc
        raise ApiError(exc.message, code=exc.code, status=401) from exc
    return {"token": token}
