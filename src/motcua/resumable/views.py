"""tus 1.0 endpoints: OPTIONS/POST on the collection, HEAD/PATCH/DELETE on an upload."""

import base64

from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from motcua.accounts.services import token_user
from motcua.api.errors import error_response

from . import services

TUS_VERSION = "1.0.0"
EXTENSIONS = "creation,expiration,checksum,termination"


def _tus(response):
    response["Tus-Resumable"] = TUS_VERSION
    return response


def _error(status: int, message: str, code: str = "upload"):
    return _tus(error_response(message, code, status))


def _user(request):
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if header.startswith("Bearer "):
        return token_user(header.removeprefix("Bearer ").strip())
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def _metadata(header: str) -> dict[str, str]:
    out = {}
    for pair in filter(None, (p.strip() for p in header.split(","))):
        key, _sep, value = pair.partition(" ")
        try:
            out[key] = base64.b64decode(value).decode("utf-8") if value else ""
        except ValueError:
            continue
    return out


def _expires(session) -> str:
    from django.utils.http import http_date

    return http_date(session.expires_at.timestamp())


def _protected(view):
    """Bearer-token calls carry no cookie, so need no CSRF token; calls riding the session
    cookie (our pages' script) must present it."""
    protected = csrf_protect(view)

    def wrapper(request, *args, **kwargs):
        if request.META.get("HTTP_AUTHORIZATION", "").startswith("Bearer "):
            return view(request, *args, **kwargs)
        return protected(request, *args, **kwargs)
    return csrf_exempt(wrapper)


@_protected
def collection(request):
    if request.method == "OPTIONS":
        response = HttpResponse(status=204)
        response["Tus-Version"] = TUS_VERSION
        response["Tus-Extension"] = EXTENSIONS
        response["Tus-Max-Size"] = str(settings.UPLOAD_MAX_BYTES)
        response["Tus-Checksum-Algorithm"] = ",".join(services.CHECKSUM_ALGORITHMS)
        return _tus(response)
    if request.method != "POST":
        return _error(405, _("This address does not accept this method."), "method_not_allowed")
    user = _user(request)
    if user is None:
        return _error(401, _("Log in first."), "unauthenticated")
    if request.META.get("HTTP_TUS_RESUMABLE") != TUS_VERSION:
        return _error(412, _("Use tus version %(version)s.") % {"version": TUS_VERSION})
    try:
        length = int(request.META.get("HTTP_UPLOAD_LENGTH", ""))
    except ValueError:
        return _error(400, _("Give the file's length (Upload-Length)."))
    metadata = _metadata(request.META.get("HTTP_UPLOAD_METADATA", ""))
    try:
        session = services.upload_begin(owner=user, length=length,
                                        filename=metadata.get("filename", ""))
    except services.ResumableError as exc:
        return _error(exc.status, exc.message)
    response = HttpResponse(status=201)
    response["Location"] = f"/api/v1/uploads/{session.pk}"
    response["Upload-Expires"] = _expires(session)
    response["Upload-Offset"] = "0"
    return _tus(response)


@_protected
def resource(request, session_id):
    user = _user(request)
    if user is None:
        return _error(401, _("Log in first."), "unauthenticated")
    if request.method not in ("HEAD", "PATCH", "DELETE"):
        return _error(405, _("This address does not accept this method."), "method_not_allowed")
    if request.META.get("HTTP_TUS_RESUMABLE") != TUS_VERSION:
        return _error(412, _("Use tus version %(version)s.") % {"version": TUS_VERSION})
    try:
        if request.method == "HEAD":
            session = services.upload_find(session_id=session_id, owner=user)
            response = HttpResponse(status=200)
        elif request.method == "DELETE":
            session = services.upload_find(session_id=session_id, owner=user)
            services.upload_discard(session)
            return _tus(HttpResponse(status=204))
        else:
            if request.content_type != "application/offset+octet-stream":
                return _error(415, _("Send the piece as application/offset+octet-stream."))
            try:
                offset = int(request.META.get("HTTP_UPLOAD_OFFSET", ""))
            except ValueError:
                return _error(400, _("Give the piece's offset (Upload-Offset)."))
            checksum = services.checksum_parse(request.META.get("HTTP_UPLOAD_CHECKSUM", ""))
            session = services.upload_append(session_id=session_id, owner=user, offset=offset,
                                             data=request.body, checksum=checksum)
            response = HttpResponse(status=204)
    except services.ResumableError as exc:
        return _error(exc.status, exc.message)
    response["Upload-Offset"] = str(session.offset)
    response["Upload-Length"] = str(session.length)
    response["Upload-Expires"] = _expires(session)
    patch_cache_control(response, no_store=True)
    return _tus(response)
