"""Resumable uploads (tus 1.0 core, with creation, checksum, expiration and termination).

Each piece is written to the file storage under its offset before the session's offset moves
on, by one conditional UPDATE: two processes racing for the same offset cannot both win, and
a process killed mid-piece leaves the offset where it was, so the client simply sends that
piece again."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import tempfile
import uuid

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.uploads import STORAGE_FULL_ERRNOS, storage_write

from .models import UploadPiece, UploadSession

CHECKSUM_ALGORITHMS = {"sha1": hashlib.sha1, "sha256": hashlib.sha256}


class ResumableError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def _folder(session_id) -> str:
    return f"uploads/{session_id}"


def upload_begin(*, owner, length: int, filename: str = "") -> UploadSession:
    if length <= 0:
        raise ResumableError(400, _("The file is empty."))
    if length > settings.UPLOAD_MAX_BYTES:
        raise ResumableError(413, _("The file is larger than the limit."))
    return UploadSession.objects.create(
        owner=owner, length=length, filename=filename[:255],
        expires_at=timezone.now() + dt.timedelta(hours=settings.RESUMABLE_UPLOAD_HOURS),
    )


def upload_find(*, session_id: str, owner) -> UploadSession:
    try:
        key = uuid.UUID(str(session_id))
    except ValueError:
        raise ResumableError(404, _("No such upload.")) from None
    session = UploadSession.objects.filter(pk=key, owner=owner).first()
    if session is None:
        raise ResumableError(404, _("No such upload."))
    if session.expires_at <= timezone.now():
        raise ResumableError(410, _("This upload has expired; start again."))
    return session


def checksum_parse(header: str) -> tuple[str, bytes] | None:
    """`Upload-Checksum: <algorithm> <base64 digest>`."""
    if not header:
        return None
    try:
        algorithm, encoded = header.strip().split(" ", 1)
        return algorithm.lower(), base64.b64decode(encoded.strip(), validate=True)
    except ValueError:
        raise ResumableError(400, _("The checksum header cannot be read.")) from None


def upload_append(*, session_id: str, owner, offset: int, data: bytes,
                  checksum: tuple[str, bytes] | None = None) -> UploadSession:
    session = upload_find(session_id=session_id, owner=owner)
    if session.used_at is not None or session.is_complete:
        raise ResumableError(409, _("This upload is already complete."))
    if offset != session.offset:
        raise ResumableError(409, _("The upload continues from byte %(offset)s.")
                             % {"offset": session.offset})
    if offset + len(data) > session.length:
        raise ResumableError(413, _("More data than the length announced."))
    if checksum is not None:
        algorithm, expected = checksum
        if algorithm not in CHECKSUM_ALGORITHMS:
            raise ResumableError(400, _("Unknown checksum algorithm."))
        if not hmac.compare_digest(CHECKSUM_ALGORITHMS[algorithm](data).digest(), expected):
            raise ResumableError(460, _("The piece did not arrive whole; send it again."))
    if not data:
        return session
    name = f"{_folder(session.pk)}/{offset:012d}.part"
    try:
        stored = storage_write(storage=default_storage, name=name, data=data)
    except OSError as exc:
        if exc.errno not in STORAGE_FULL_ERRNOS:
            raise
        raise ResumableError(507, _("The server cannot store files right now. Nothing was "
                                    "saved; please try again later.")) from exc
    with transaction.atomic():
        moved = UploadSession.objects.filter(pk=session.pk, offset=offset).update(
            offset=offset + len(data))
        if moved:
            UploadPiece.objects.create(session=session, offset=offset, length=len(data),
                                       name=stored)
    if not moved:
        default_storage.delete(stored)
        raise ResumableError(409, _("Another request sent this piece first; ask for the "
                                    "offset again."))
    session.refresh_from_db()
    if session.is_complete:
        digest = hashlib.sha256()
        for chunk in _pieces(session):
            digest.update(chunk)
        UploadSession.objects.filter(pk=session.pk).update(
            completed_at=timezone.now(), sha256=digest.hexdigest())
        session.refresh_from_db()
    return session


def _pieces(session: UploadSession):
    """The accepted pieces in order: the database says which, not the folder's listing (a
    request that lost a race may not have removed its file yet)."""
    for name in session.pieces.order_by("offset").values_list("name", flat=True):
        with default_storage.open(name, "rb") as fh:
            yield fh.read()


def upload_file(session: UploadSession):
    """The whole file, assembled from its pieces, as a file object to hand on."""
    assembled = tempfile.SpooledTemporaryFile(max_size=4 * 1024 * 1024)  # noqa: SIM115
    for piece in _pieces(session):
        assembled.write(piece)
    assembled.seek(0)
    return File(assembled, name=session.filename or "upload")


@transaction.atomic
def upload_take(*, session_id: str, owner) -> UploadSession:
    """Claim a finished upload for a dossier, once."""
    session = upload_find(session_id=session_id, owner=owner)
    session = UploadSession.objects.select_for_update().get(pk=session.pk)
    if not session.is_complete:
        raise ResumableError(409, _("The upload is not finished yet."))
    if session.used_at is not None:
        raise ResumableError(409, _("This upload was already attached."))
    session.used_at = timezone.now()
    session.save(update_fields=["used_at"])
    return session


def upload_discard(session: UploadSession) -> None:
    """The session, its pieces, and any file a failed request left in its folder."""
    folder = _folder(session.pk)
    try:
        _dirs, files = default_storage.listdir(folder)
    except FileNotFoundError:
        files = []
    for name in files:
        default_storage.delete(f"{folder}/{name}")
    UploadSession.objects.filter(pk=session.pk).delete()


def uploads_purge(*, now=None) -> int:
    """Expired uploads and the pieces they left."""
    now = now or timezone.now()
    count = 0
    for session in UploadSession.objects.filter(expires_at__lte=now):
        upload_discard(session)
        count += 1
    return count


def upload_hand_over(*, session_id: str, owner, receive):
    """Give a finished upload to ``receive(fileobj, name, sha256)`` (e.g. a dossier's
    attachment service) exactly once; if that refuses it, the upload stays available."""
    session = upload_take(session_id=session_id, owner=owner)
    try:
        result = receive(upload_file(session), session.filename or "upload", session.sha256)
    except BaseException:
        UploadSession.objects.filter(pk=session.pk).update(used_at=None)
        raise
    upload_discard(session)
    return result
