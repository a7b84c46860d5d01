"""The safe intake of uploaded documents: citizens' phone photos and PDFs, officials' scans.

Accepted: PDF documents, and JPEG, PNG or HEIC/HEIF photos, each at most
``settings.UPLOAD_MAX_BYTES`` (``MOTCUA_UPLOAD_MAX_BYTES``). The type is decided from the
content — magic bytes, then a real parse — never from the file name or the browser's content
type. Photos are decoded, turned upright by their EXIF orientation, reduced so their longest
side is at most ``settings.UPLOAD_IMAGE_MAX_PX``, and saved again without any metadata (no GPS
position, no camera serial, no comments): a 4 MB phone photo becomes a few hundred KB of JPEG in
which the text stays readable. PDFs are stored byte for byte, because a digital signature covers
the exact bytes of the file.

Two functions do the work:

- ``upload_inspect(fileobj)`` says what the file is and why it would be refused, storing nothing;
- ``upload_store(fileobj=…, original_name=…)`` checks, converts and stores it, and returns a
  frozen ``StoredFile``; a refusal raises ``UploadRejected(code, message)`` with a stable code
  (``REJECTION_CODES``) and a Vietnamese message that says what is accepted.

The bytes reach the storage before the caller's database row exists, so a caller keeps the two
together like this (the file is deleted when the row could not be saved; work that should only
happen once the row exists waits for the commit)::

    upload = request.FILES["file"]
    stored = upload_store(fileobj=upload, original_name=upload.name,
                          expected_sha256=form.cleaned_data["sha256"] or None)
    try:
        with transaction.atomic():
            attachment = Attachment.objects.create(dossier=dossier, file=stored.name,
                                                   sha256=stored.sha256, ...)
            transaction.on_commit(lambda: attachment_announce(attachment_id=attachment.pk))
    except BaseException:
        stored_file_discard(stored.name)
        raise

A file whose transaction rolled back is never left behind by this pattern; if an *outer*
transaction rolls back later, the file stays as an orphan that no row names — harmless, and
for a periodic sweep to collect.

No half-written file is ever readable under its final name. Django's ``FileSystemStorage``
writes ordinary content straight into the final name, chunk by chunk, so a reader (or a crash)
could meet a partial file there; but it moves content that already sits in a local file with
``os.rename``, which is atomic within one file system. So for a ``FileSystemStorage`` the bytes
are first written and flushed to disk in a hidden ``.partial-*`` file beside the final one, then
renamed into place by the storage itself. Object stores (S3 through django-storages) publish an
object only when its upload completes, so other storages get the bytes in one ``save``.
"""

import contextlib
import errno
import hashlib
import io
import logging
import os
import re
import tempfile
import unicodedata
import uuid
from dataclasses import dataclass

import pillow_heif
import pypdf
from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, Storage, default_storage
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.utils import timezone
from django.utils._os import safe_makedirs
from django.utils.translation import gettext as _
from PIL import ExifTags, Image, ImageCms, ImageOps
from pypdf.generic import ArrayObject, StreamObject

logger = logging.getLogger(__name__)

# pillow-heif brings its own libheif in the wheel; registering lets Pillow open HEIC photos.
pillow_heif.register_heif_opener()

REJECTION_CODES = (
    "empty", "too_large", "unsupported_type", "damaged", "checksum_mismatch", "encrypted_pdf",
    "storage_full",
)
# The disk (or quota) of the file storage is full: nothing is kept, the person is told to try
# later, and operators see it in the log.
STORAGE_FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT}

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "heif": "image/heic",
}
EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}

JPEG_QUALITY = 82
# Pillow's own decompression-bomb limit (about 89 megapixels) for JPEG, which is decoded at a
# reduced scale (libjpeg's DCT scaling) and so costs little memory even from a 64 MP phone;
# PNG and HEIF are decoded whole, so they get a lower ceiling that still admits a 48 MP iPhone
# photo. A PNG of 20,000 × 20,000 pixels of one colour weighs 50 KB and would need 1.2 GB.
MAX_PIXELS = {"jpeg": Image.MAX_IMAGE_PIXELS, "png": 50_000_000, "heif": 50_000_000}

_READ_CHUNK = 64 * 1024
# ISO base media "ftyp" brands of HEIC/HEIF pictures (ISO/IEC 23008-12); AVIF's are not here.
_HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs"}
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PNG_IEND = b"\x00\x00\x00\x00IEND\xaeB`\x82"  # length 0, type, CRC: always these 12 bytes
_PDF_HEADER = re.compile(rb"%PDF-[12]\.\d")
_SHA256_HEX = re.compile(r"[0-9a-f]{64}")
_PILLOW_FORMATS = {"jpeg": ["JPEG"], "png": ["PNG"], "heif": ["HEIF"]}
# Pillow hands a JPEG carrying several pictures (some phones add a depth map) over as "MPO".
_PILLOW_FORMAT_OK = {"jpeg": {"JPEG", "MPO"}, "png": {"PNG"}, "heif": {"HEIF"}}


class UploadRejected(Exception):
    """The upload is refused; ``code`` is one of REJECTION_CODES, ``message`` is for the user."""

    def __init__(self, code: str, message: str):
        if code not in REJECTION_CODES:
            raise ValueError(f"unknown rejection code {code!r}")
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Inspected:
    """What an upload is, or why it is refused (then ``kind`` is None and ``code`` says why)."""

    kind: str | None          # "pdf", "jpeg", "png" or "heif"
    content_type: str         # of the upload as it arrived, e.g. "image/heic"; "" when refused
    size: int                 # bytes read; for a file refused as too large, its announced
                              # size or 0
    sha256: str               # of the bytes as they arrived; "" when they were not all read
    pages: int | None = None  # PDF
    width: int | None = None  # image, upright
    height: int | None = None
    code: str | None = None
    message: str = ""

    @property
    def accepted(self) -> bool:
        return self.code is None


@dataclass(frozen=True)
class StoredFile:
    """A file in the storage under ``name``, ready for the caller's row to point at."""

    name: str                 # storage name: attachments/YYYY/MM/<uuid>.<ext>
    content_type: str         # of the stored bytes: application/pdf, image/jpeg or image/png
    size: int                 # of the stored bytes
    sha256: str               # of the stored bytes
    original_sha256: str      # of the bytes as uploaded
    original_name: str        # cleaned file name from the user's device, for display only
    pages: int | None         # PDF
    width: int | None         # image, as stored
    height: int | None
    original_size: int = 0

    @property
    def download_name(self) -> str:
        """The user's file name with the extension of what is stored (IMG_0012.HEIC → .jpg)."""
        ext = self.name.rsplit(".", 1)[-1]
        stem = self.original_name.rsplit(".", 1)[0] if "." in self.original_name else (
            self.original_name)
        return f"{stem or self.name.rsplit('/', 1)[-1].rsplit('.', 1)[0]}.{ext}"


def format_file_size(size: int) -> str:
    """10485760 → '10 MB', 1536 → '1,5 KB' (Vietnamese decimal comma)."""
    for unit, factor in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= factor:
            return f"{size / factor:.1f}".rstrip("0").rstrip(".").replace(".", ",") + f" {unit}"
    return f"{size} byte"


# --- public functions ----------------------------------------------------------------------


def upload_inspect(fileobj, *, expected_sha256: str | None = None) -> Inspected:
    """Read the upload (at most the size limit), decide its type from its content and parse it
    fully; store nothing. The file object is rewound afterwards when it can be."""
    size = _announced_size(fileobj)
    sha256 = ""
    try:
        data = _read_limited(fileobj)
        size, sha256 = len(data), hashlib.sha256(data).hexdigest()
        _check_sha256(sha256, expected_sha256)
        examined = _examine(data)
    except UploadRejected as exc:
        return Inspected(kind=None, content_type="", size=size or 0, sha256=sha256,
                         code=exc.code, message=exc.message)
    finally:
        _rewind(fileobj)
    return Inspected(kind=examined.kind, content_type=CONTENT_TYPES[examined.kind], size=size,
                     sha256=sha256, pages=examined.pages, width=examined.width,
                     height=examined.height)


def upload_store(*, fileobj, original_name: str, expected_sha256: str | None = None,
                 storage: Storage | None = None) -> StoredFile:
    """Check the upload, reduce a photo, and store the result under a fresh name that says
    nothing about its owner. Raises UploadRejected; nothing is stored then."""
    storage = storage or default_storage
    try:
        data = _read_limited(fileobj)
        original_sha256 = hashlib.sha256(data).hexdigest()
        _check_sha256(original_sha256, expected_sha256)
        examined = _examine(data)
    except UploadRejected as exc:
        logger.info("upload refused: %s", exc.code)
        raise
    if examined.kind == "pdf":
        stored, content_type = data, CONTENT_TYPES["pdf"]
        width = height = None
    else:
        stored, content_type, width, height = _image_reduce(examined.image,
                                                            keep_png=examined.kind == "png")
    try:
        name = storage_write(storage=storage, name=_new_name(content_type), data=stored)
    except OSError as exc:
        if exc.errno not in STORAGE_FULL_ERRNOS:
            raise
        logger.error("file storage full: upload refused")
        raise UploadRejected("storage_full", _(
            "The server cannot store files right now. Nothing was saved; please try again "
            "later or bring the paper to a one-stop desk.")) from exc
    return StoredFile(
        name=name, content_type=content_type, size=len(stored),
        sha256=hashlib.sha256(stored).hexdigest(), original_sha256=original_sha256,
        original_name=_clean_original_name(original_name), pages=examined.pages,
        width=width, height=height, original_size=len(data),
    )


def stored_file_discard(name: str, *, storage: Storage | None = None) -> None:
    """Delete a stored file whose database row was not saved. Deleting twice is harmless."""
    (storage or default_storage).delete(name)


def storage_write(*, storage: Storage, name: str, data: bytes) -> str:
    """Write ``data`` under ``name`` so that no reader ever sees part of it there; returns the
    name the storage actually used."""
    if not isinstance(storage, FileSystemStorage):
        return storage.save(name, ContentFile(data))
    full_path = storage.path(name)
    directory = os.path.dirname(full_path)
    if storage.directory_permissions_mode is not None:
        safe_makedirs(directory, storage.directory_permissions_mode, exist_ok=True)
    else:
        os.makedirs(directory, exist_ok=True)
    fd, partial = tempfile.mkstemp(prefix=".partial-", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            # On disk before the rename, so a power cut cannot leave an empty file named as done.
            os.fsync(fh.fileno())
        return storage.save(name, _LocalFile(partial))
    finally:
        # Gone after a successful rename; still there if anything failed before it.
        with contextlib.suppress(FileNotFoundError):
            os.unlink(partial)


# --- Django's upload handling --------------------------------------------------------------


class OversizedUpload(UploadedFile):
    """What ``UploadLimitHandler`` hands over for a file past the limit: its name and true
    size, none of its bytes. Reading it raises ``UploadRejected("too_large")``."""

    def __init__(self, *, name: str, content_type: str | None, size: int):
        super().__init__(file=None, name=name, content_type=content_type, size=size)

    def _refuse(self, *args, **kwargs):
        raise UploadRejected("too_large", _too_large_message())

    open = read = chunks = multiple_chunks = __iter__ = _refuse

    def close(self):
        pass  # nothing was kept; the request closes every uploaded file when it ends


class UploadLimitHandler(FileUploadHandler):
    """First of ``FILE_UPLOAD_HANDLERS``: once a file passes ``UPLOAD_MAX_BYTES``, the rest of
    its bytes are read from the connection and dropped, so a huge upload fills neither memory
    nor the temporary directory; the view then gets an ``OversizedUpload``."""

    def __init__(self, request=None):
        super().__init__(request)
        self.limit = settings.UPLOAD_MAX_BYTES

    def receive_data_chunk(self, raw_data, start):
        # Returning None stops the handlers after this one from receiving the chunk.
        return raw_data if start + len(raw_data) <= self.limit else None

    def file_complete(self, file_size):
        if file_size <= self.limit:
            return None  # the next handler (memory or temporary file) has every byte
        return OversizedUpload(name=self.file_name, content_type=self.content_type,
                               size=file_size)


# --- reading and checking ------------------------------------------------------------------


class _LocalFile(File):
    """A finished local file; FileSystemStorage moves it into place instead of copying it."""

    def __init__(self, path: str):
        super().__init__(None, name=os.path.basename(path))
        self._path = path

    def temporary_file_path(self) -> str:
        return self._path


@dataclass(frozen=True)
class _Examined:
    kind: str
    pages: int | None = None
    width: int | None = None
    height: int | None = None
    image: Image.Image | None = None


def _announced_size(fileobj) -> int | None:
    size = getattr(fileobj, "size", None)
    return size if isinstance(size, int) else None


def _rewind(fileobj) -> None:
    with contextlib.suppress(AttributeError, OSError, ValueError):
        fileobj.seek(0)


def _read_limited(fileobj) -> bytes:
    """All the bytes, or UploadRejected as soon as there are more than the limit: a 2 GB
    upload costs at most the limit plus one chunk of memory."""
    limit = settings.UPLOAD_MAX_BYTES
    announced = _announced_size(fileobj)
    if announced is not None and announced > limit:
        raise UploadRejected("too_large", _too_large_message())
    _rewind(fileobj)
    buffer = io.BytesIO()
    while chunk := fileobj.read(_READ_CHUNK):
        buffer.write(chunk)
        if buffer.tell() > limit:
            raise UploadRejected("too_large", _too_large_message())
    if buffer.tell() == 0:
        raise UploadRejected("empty", _("The file is empty. Please choose the file again."))
    return buffer.getvalue()


def _check_sha256(actual: str, expected: str | None) -> None:
    if expected is None or expected == "":
        return
    expected = expected.strip().lower()
    if not _SHA256_HEX.fullmatch(expected):
        raise UploadRejected("checksum_mismatch", _(
            "The checksum sent with the file is not a valid SHA-256 value."))
    if expected != actual:
        raise UploadRejected("checksum_mismatch", _(
            "The file did not arrive whole: its checksum does not match. "
            "Please send it again."))


def _sniff(data: bytes) -> str | None:
    """The kind announced by the first bytes; the parse that follows must confirm it."""
    if _PDF_HEADER.match(data):
        return "pdf"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(_PNG_SIGNATURE):
        return "png"
    if data[4:8] == b"ftyp":
        # Major brand at 8, minor version at 12, compatible brands from 16 to the box's end.
        box_end = min(int.from_bytes(data[:4], "big"), 256, len(data))
        brands = {data[8:12]} | {data[i:i + 4] for i in range(16, box_end - 3, 4)}
        if brands & _HEIF_BRANDS:
            return "heif"
    return None


def _examine(data: bytes) -> _Examined:
    kind = _sniff(data)
    if kind is None:
        raise UploadRejected("unsupported_type", " ".join((
            _("This file is not a PDF document nor a JPEG, PNG or HEIC photo."),
            _accepted_sentence())))
    if kind == "pdf":
        return _pdf_examine(data)
    return _image_examine(data, kind)


def _pdf_examine(data: bytes) -> _Examined:
    damaged = UploadRejected("damaged", " ".join((
        _("The PDF document is damaged or was not received completely, so it cannot be "
          "opened. Please send it again."), _accepted_sentence())))
    # Readers look for the end-of-file marker in the last 1024 bytes; a file cut anywhere
    # before its end has lost it.
    if b"%%EOF" not in data[-1024:]:
        raise damaged
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise UploadRejected("encrypted_pdf", _(
                "The PDF document is protected by a password or encryption, so officials "
                "cannot open it. Please upload a copy without protection."))
        pages = len(reader.pages)
        for page in reader.pages:
            # Every page has a size and its content streams are there. They are not decoded:
            # a large drawing may inflate past pypdf's safety limits and is no less whole.
            page.mediabox  # noqa: B018
            contents = page.get("/Contents")
            contents = contents.get_object() if contents is not None else ArrayObject()
            for part in contents if isinstance(contents, ArrayObject) else [contents]:
                if not isinstance(part.get_object(), StreamObject):
                    raise damaged
    except UploadRejected:
        raise
    except Exception as exc:  # a parser of untrusted bytes may fail in any way
        raise damaged from exc
    if pages == 0:
        raise UploadRejected("damaged", " ".join((
            _("The PDF document has no pages."), _accepted_sentence())))
    return _Examined(kind="pdf", pages=pages)


def _image_examine(data: bytes, kind: str) -> _Examined:
    damaged = UploadRejected("damaged", " ".join((
        _("The photo is damaged or was not received completely, so it cannot be opened. "
          "Please send it again."), _accepted_sentence())))
    try:
        image = Image.open(io.BytesIO(data), formats=_PILLOW_FORMATS[kind])
        if image.format not in _PILLOW_FORMAT_OK[kind]:
            raise damaged
        width, height = image.size
        if width * height > MAX_PIXELS[kind]:
            raise _too_many_pixels(width, height, kind)
        if kind == "heif" and not _boxes_complete(data):
            raise damaged
        if kind == "png":
            # load() alone accepts a PNG whose end was cut off after the image data; verify()
            # checks every chunk's CRC up to IEND but not IEND's own, hence the search for the
            # whole IEND chunk. verify() uses the image up, so it is opened again.
            if _PNG_IEND not in data:
                raise damaged
            image.verify()
            image = Image.open(io.BytesIO(data), formats=_PILLOW_FORMATS[kind])
        if kind == "jpeg":
            target = _target_size(image.size)
            # Decode at 1/2, 1/4 or 1/8 scale while staying at least twice the final size,
            # as Image.thumbnail does: the whole stream is still decoded (so a cut file is
            # still caught) but a 50 MP photo never occupies 150 MB.
            image.draft(None, (target[0] * 2, target[1] * 2))
        image.load()
        if image.getexif().get(ExifTags.Base.Orientation) in (5, 6, 7, 8):
            width, height = height, width  # as the photo is seen, upright
        upright = ImageOps.exif_transpose(image)
    except UploadRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _too_many_pixels(0, 0, kind) from exc
    except Exception as exc:  # a decoder of untrusted bytes may fail in any way
        raise damaged from exc
    return _Examined(kind=kind, width=width, height=height, image=upright)


def _boxes_complete(data: bytes) -> bool:
    """Whether the top-level boxes of an ISO base media file (HEIF) end exactly where the
    file ends, as they do in any file that arrived whole."""
    position = 0
    while position < len(data):
        if position + 8 > len(data):
            return False
        size = int.from_bytes(data[position:position + 4], "big")
        if size == 1:  # a 64-bit size follows the box type
            size = int.from_bytes(data[position + 8:position + 16], "big")
        elif size == 0:  # the last box, up to the end of the file
            size = len(data) - position
        if size < 8:
            return False
        position += size
    return position == len(data)


def _too_many_pixels(width: int, height: int, kind: str) -> UploadRejected:
    limit_mp = MAX_PIXELS[kind] // 1_000_000
    if not width:
        return UploadRejected("too_large", _(
            "The image is too large. Images of at most %(megapixels)s megapixels are "
            "accepted.") % {"megapixels": limit_mp})
    return UploadRejected("too_large", _(
        "The image is too large: %(width)s × %(height)s pixels. Images of at most "
        "%(megapixels)s megapixels are accepted.") % {
        "width": width, "height": height, "megapixels": limit_mp})


def _too_large_message() -> str:
    return " ".join((
        _("The file is larger than %(limit)s. Please take the photo again at a lower "
          "resolution, or split the document into several files.") % {
            "limit": format_file_size(settings.UPLOAD_MAX_BYTES)},
        _accepted_sentence()))


def _accepted_sentence() -> str:
    return _("Accepted: PDF documents and JPEG, PNG or HEIC photos, at most %(limit)s each.") % {
        "limit": format_file_size(settings.UPLOAD_MAX_BYTES)}


# --- reducing images -----------------------------------------------------------------------


def _target_size(size: tuple[int, int]) -> tuple[int, int]:
    width, height = size
    limit = settings.UPLOAD_IMAGE_MAX_PX
    scale = min(1.0, limit / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def _image_reduce(image: Image.Image, *, keep_png: bool) -> tuple[bytes, str, int, int]:
    """Bytes, content type, width and height of the image as it will be stored: sRGB or grey,
    no transparency, longest side within the limit, no metadata at all. With ``keep_png`` a
    PNG is kept instead of the JPEG when it is smaller."""
    image = _to_srgb(image)
    image = _flatten(image)
    target = _target_size(image.size)
    if image.size != target:
        image = image.resize(target, Image.Resampling.LANCZOS, reducing_gap=3.0)
    # Nothing of the original's info (EXIF, XMP, ICC, comments, PNG text) may reach the
    # encoder: Pillow copies some of it, the JPEG comment for one, unless told otherwise.
    image.info = {}
    jpeg = io.BytesIO()
    image.save(jpeg, format="JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    best, content_type = jpeg.getvalue(), "image/jpeg"
    if keep_png:
        # Screenshots and forms with few colours are smaller, and sharper, as PNG.
        candidate = _png_encode(image)
        if len(candidate) < len(best):
            best, content_type = candidate, "image/png"
    return best, content_type, image.width, image.height


def _to_srgb(image: Image.Image) -> Image.Image:
    """Apply an embedded colour profile (an iPhone's Display P3, a scanner's CMYK) so the
    colours of stamps and signatures survive dropping it."""
    icc = image.info.get("icc_profile")
    if icc and image.mode in ("RGB", "RGBA", "CMYK"):
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            output_mode = "RGBA" if image.mode == "RGBA" else "RGB"
            converted = ImageCms.profileToProfile(image, source, _SRGB, outputMode=output_mode)
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            converted = None  # a broken profile costs colour accuracy only
        if converted is not None:
            return converted
    return image


def _flatten(image: Image.Image) -> Image.Image:
    """RGB or L, transparency painted on white (a transparent form would turn black)."""
    if image.mode.startswith("I") or image.mode == "F":
        # 16-bit scans: scale to 8 bits rather than clip everything above 255 to white.
        factor = 1 / 256 if image.getextrema()[1] > 255 else 1
        return image.convert("I").point(lambda v: v * factor).convert("L")
    if image.mode == "P":
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
    if image.mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        grey = image.mode.startswith("L")
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        flat = Image.alpha_composite(background, rgba).convert("RGB")
        return flat.convert("L") if grey else flat
    if image.mode in ("L", "RGB"):
        return image
    if image.mode == "1":
        return image.convert("L")
    return image.convert("RGB")


def _png_encode(image: Image.Image) -> bytes:
    out = io.BytesIO()
    colours = image.getcolors(256)
    if colours is not None and image.mode == "RGB":
        # At most 256 colours: an exact palette, lossless.
        palette = Image.new("P", (1, 1))
        palette.putpalette([c for _, rgb in colours for c in rgb])
        paletted = image.quantize(palette=palette, dither=Image.Dither.NONE)
        paletted.save(out, format="PNG", optimize=True)
    else:
        image.save(out, format="PNG", optimize=True)
    return out.getvalue()


# --- names ---------------------------------------------------------------------------------


def _new_name(content_type: str) -> str:
    """attachments/YYYY/MM/<uuid>.<ext>: nothing personal in it, and no two alike."""
    today = timezone.localdate()
    return f"attachments/{today:%Y/%m}/{uuid.uuid4().hex}.{EXTENSIONS[content_type]}"


def _clean_original_name(name: str) -> str:
    """The last path component, without control or direction-override characters (which can
    make "hoso‮fdp.exe" display as "hosoexe.pdf"), at most 200 characters."""
    name = unicodedata.normalize("NFC", str(name or "")).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip(" .")
    if len(name) > 200:
        stem, dot, ext = name.rpartition(".")
        name = f"{stem[:190]}.{ext[:9]}" if dot and len(ext) <= 9 else name[:200]
    return name
