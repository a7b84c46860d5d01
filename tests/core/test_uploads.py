import errno
import hashlib
import io
import os
import re

import pytest
from django.contrib.auth.models import Group
from django.core.files.storage import FileSystemStorage, InMemoryStorage
from django.core.files.uploadedfile import InMemoryUploadedFile, SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.test import RequestFactory, override_settings
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import ExifTags, Image, ImageChops, ImageOps, ImageStat

from motcua.core.uploads import (
    REJECTION_CODES,
    OversizedUpload,
    StoredFile,
    UploadRejected,
    format_file_size,
    stored_file_discard,
    upload_inspect,
    upload_store,
)

from . import upload_samples as samples

STORED_NAME = re.compile(r"attachments/\d{4}/\d{2}/[0-9a-f]{32}\.(pdf|jpg|png)")


@pytest.fixture
def storage(tmp_path):
    return FileSystemStorage(location=tmp_path / "media")


def store(data: bytes, storage, original_name: str = "tep", **params) -> StoredFile:
    return upload_store(fileobj=io.BytesIO(data), original_name=original_name,
                        storage=storage, **params)


def refusal(data: bytes, storage, **params) -> UploadRejected:
    with pytest.raises(UploadRejected) as refused:
        store(data, storage, **params)
    return refused.value


def stored_bytes(storage, stored: StoredFile) -> bytes:
    with storage.open(stored.name) as fh:
        return fh.read()


def files_in(storage) -> list[str]:
    root = storage.location
    return sorted(os.path.relpath(os.path.join(folder, name), root)
                  for folder, _dirs, names in os.walk(root) for name in names)


def jpeg_markers(data: bytes) -> list[int]:
    """Marker codes of a JPEG's segments up to its first scan: where EXIF (APP1), XMP
    (APP1), ICC (APP2), Photoshop/IPTC (APP13) and comments (COM) would sit."""
    assert data[:2] == b"\xff\xd8"
    position, markers = 2, []
    while True:
        assert data[position] == 0xFF
        marker = data[position + 1]
        markers.append(marker)
        if marker == 0xDA:  # start of scan: no metadata segment comes after
            return markers
        position += 2 + int.from_bytes(data[position + 2:position + 4], "big")


# --- what is accepted ----------------------------------------------------------------------

ACCEPTED = [
    # sample, name on the phone, kind found, stored as, pages
    (samples.pdf_two_pages, "Giấy khai sinh.pdf", "pdf", "application/pdf", 2),
    (samples.jpeg_small, "IMG_20260211_081500.jpg", "jpeg", "image/jpeg", None),
    (samples.jpeg_progressive, "anh.jpeg", "jpeg", "image/jpeg", None),
    (samples.jpeg_cmyk, "scan.jpg", "jpeg", "image/jpeg", None),
    (samples.png_photo, "anh-chup.png", "png", "image/jpeg", None),
    (samples.png_screenshot, "Screenshot_2026.png", "png", "image/png", None),
    (samples.png_16bit_grey, "scan-16bit.png", "png", "image/png", None),
    (samples.heic_photo, "IMG_0042.HEIC", "heif", "image/jpeg", None),
]


@pytest.mark.parametrize(("sample", "name", "kind", "content_type", "pages"), ACCEPTED)
def test_accepted_files_are_stored_whole_under_a_fresh_name(
        storage, sample, name, kind, content_type, pages):
    data = sample()
    inspected = upload_inspect(io.BytesIO(data))
    assert inspected.accepted and inspected.kind == kind and inspected.pages == pages

    stored = store(data, storage, original_name=name)

    assert STORED_NAME.fullmatch(stored.name)
    assert stored.content_type == content_type
    assert stored.name.endswith({"application/pdf": ".pdf", "image/jpeg": ".jpg",
                                 "image/png": ".png"}[content_type])
    assert stored.original_name == name
    assert stored.original_sha256 == hashlib.sha256(data).hexdigest() == inspected.sha256
    assert stored.original_size == len(data)
    on_disk = stored_bytes(storage, stored)
    assert stored.size == len(on_disk)
    assert stored.sha256 == hashlib.sha256(on_disk).hexdigest()
    assert stored.pages == pages
    if kind == "pdf":
        assert on_disk == data  # byte for byte: a digital signature covers the exact bytes
        assert stored.width is None and stored.height is None
    else:
        with Image.open(io.BytesIO(on_disk)) as image:
            assert image.format == content_type.split("/")[1].upper()
            assert image.size == (stored.width, stored.height)


def test_the_content_decides_not_the_name_nor_the_browser(storage):
    pdf = SimpleUploadedFile("anh-chup.jpg", samples.pdf_two_pages(), content_type="image/jpeg")
    page = SimpleUploadedFile("giay-to.pdf", samples.html_page(),
                              content_type="application/pdf")

    stored = upload_store(fileobj=pdf, original_name=pdf.name, storage=storage)
    with pytest.raises(UploadRejected) as refused:
        upload_store(fileobj=page, original_name=page.name, storage=storage)

    assert stored.content_type == "application/pdf" and stored.name.endswith(".pdf")
    assert refused.value.code == "unsupported_type"


def test_a_heic_photo_becomes_a_jpeg_every_computer_can_open(storage):
    stored = store(samples.heic_photo(), storage, original_name="IMG_0042.HEIC")

    assert stored.content_type == "image/jpeg"
    assert stored.download_name == "IMG_0042.jpg"
    with Image.open(io.BytesIO(stored_bytes(storage, stored))) as image:
        assert image.format == "JPEG" and image.size == (640, 480)


# --- what is refused -----------------------------------------------------------------------

REFUSED = [
    (samples.text_renamed, "don-de-nghi.pdf", "unsupported_type"),
    (samples.html_page, "giay-to.pdf", "unsupported_type"),
    (samples.windows_program, "ho-so.pdf", "unsupported_type"),
    (samples.zip_archive, "ho-so.zip", "unsupported_type"),
    (samples.gif_image, "anh.gif", "unsupported_type"),
    (samples.tiff_scan, "scan.tif", "unsupported_type"),
    (samples.svg_image, "anh.svg", "unsupported_type"),
    (samples.avif_photo, "anh.avif", "unsupported_type"),
    (samples.jpeg_truncated, "anh.jpg", "damaged"),
    (samples.png_truncated, "anh.png", "damaged"),
    (samples.heic_truncated, "IMG_0042.HEIC", "damaged"),
    (samples.pdf_tail_cut, "giay-khai-sinh.pdf", "damaged"),
    (samples.pdf_middle_cut, "giay-khai-sinh.pdf", "damaged"),
    (samples.pdf_header_and_trailer_only, "giay-khai-sinh.pdf", "damaged"),
    (samples.pdf_without_pages, "trong.pdf", "damaged"),
    (samples.pdf_encrypted, "sao-ke.pdf", "encrypted_pdf"),
    (samples.pdf_owner_password_only, "sao-ke.pdf", "encrypted_pdf"),
    (lambda: b"", "anh.jpg", "empty"),
    (lambda: samples.png_bomb(20_000, 20_000), "bom.png", "too_large"),
    (lambda: samples.png_bomb(8_000, 8_000), "bom.png", "too_large"),
]


@pytest.mark.parametrize(("sample", "name", "code"), REFUSED)
def test_refused_files_leave_nothing_behind(storage, sample, name, code):
    refused = refusal(sample(), storage, original_name=name)

    assert refused.code == code
    assert refused.message
    assert upload_inspect(io.BytesIO(sample())).code == code
    assert files_in(storage) == []


@pytest.mark.parametrize("code", ["unsupported_type", "damaged", "too_large"])
def test_a_refusal_says_what_is_accepted(storage, code):
    sample = {"unsupported_type": samples.zip_archive, "damaged": samples.jpeg_truncated,
              "too_large": samples.jpeg_small}[code]
    with override_settings(UPLOAD_MAX_BYTES=50_000):
        message = refusal(sample(), storage).message

    assert "PDF" in message and "JPEG" in message and "HEIC" in message


def test_refusals_are_in_vietnamese(storage):
    with translation.override("vi"):
        unsupported = refusal(samples.html_page(), storage).message
        damaged = refusal(samples.pdf_tail_cut(), storage).message
        empty = refusal(b"", storage).message

    assert unsupported.startswith("Tệp này không phải")
    assert "Chỉ nhận tài liệu PDF và ảnh JPEG, PNG hoặc HEIC" in unsupported
    assert "10 MB" in unsupported
    assert damaged.startswith("Tài liệu PDF bị hỏng")
    assert empty.startswith("Tệp trống")


def test_the_embedded_limit_is_ten_megabytes():
    from django.conf import settings as django_settings

    assert django_settings.UPLOAD_MAX_BYTES == 10 * 1024 * 1024
    assert django_settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= django_settings.UPLOAD_MAX_BYTES


@override_settings(UPLOAD_MAX_BYTES=len(samples.jpeg_small()))
def test_a_file_of_exactly_the_limit_is_accepted_and_one_byte_more_is_not(storage):
    assert store(samples.jpeg_small(), storage).original_size == len(samples.jpeg_small())
    with override_settings(UPLOAD_MAX_BYTES=len(samples.jpeg_small()) - 1):
        assert refusal(samples.jpeg_small(), storage).code == "too_large"


class UnreadableUpload(SimpleUploadedFile):
    def read(self, *args):
        raise AssertionError("the upload was read")

    chunks = read


@override_settings(UPLOAD_MAX_BYTES=1000)
def test_an_upload_announcing_its_size_is_refused_without_being_read(storage):
    upload = UnreadableUpload("anh.jpg", samples.jpeg_small(), content_type="image/jpeg")

    with pytest.raises(UploadRejected) as refused:
        upload_store(fileobj=upload, original_name=upload.name, storage=storage)

    assert refused.value.code == "too_large"
    assert "1000 byte" in refused.value.message


class EndlessUpload(io.RawIOBase):
    """A client that never stops sending zeros; counts what was read from it."""

    def __init__(self):
        self.bytes_read = 0

    def readable(self):
        return True

    def readinto(self, buffer):
        buffer[:] = bytes(len(buffer))
        self.bytes_read += len(buffer)
        return len(buffer)


@override_settings(UPLOAD_MAX_BYTES=1_000_000)
def test_a_stream_past_the_limit_is_refused_after_reading_little_more_than_the_limit(storage):
    endless = EndlessUpload()

    with pytest.raises(UploadRejected) as refused:
        upload_store(fileobj=endless, original_name="video.mp4", storage=storage)

    assert refused.value.code == "too_large"
    assert "976,6 KB" in refused.value.message
    assert 1_000_000 < endless.bytes_read <= 1_000_000 + 64 * 1024


# --- Django's own upload handling ----------------------------------------------------------


@override_settings(UPLOAD_MAX_BYTES=50_000)
def test_django_keeps_no_bytes_of_an_upload_past_the_limit(storage):
    photo = samples.jpeg_small()
    assert len(photo) > 50_000
    request = RequestFactory().post("/ho-so/", {
        "note": "mặt trước CCCD",
        "file": SimpleUploadedFile("CCCD.jpg", photo, content_type="image/jpeg")})

    upload = request.FILES["file"]

    assert isinstance(upload, OversizedUpload)
    assert upload.name == "CCCD.jpg" and upload.size == len(photo)
    assert request.POST["note"] == "mặt trước CCCD"
    with pytest.raises(UploadRejected) as refused:
        upload_store(fileobj=upload, original_name=upload.name, storage=storage)
    assert refused.value.code == "too_large"
    with pytest.raises(UploadRejected):
        upload.read()
    request.close()  # Django closes every uploaded file at the end of a request


@override_settings(UPLOAD_MAX_BYTES=200_000)
def test_django_hands_over_an_upload_within_the_limit_untouched(storage):
    photo = samples.jpeg_small()
    request = RequestFactory().post("/ho-so/", {
        "file": SimpleUploadedFile("CCCD.jpg", photo, content_type="image/jpeg")})

    upload = request.FILES["file"]
    stored = upload_store(fileobj=upload, original_name=upload.name, storage=storage)

    assert isinstance(upload, InMemoryUploadedFile)
    assert stored.original_sha256 == hashlib.sha256(photo).hexdigest()


# --- checksums -----------------------------------------------------------------------------


def test_the_checksum_from_the_client_is_checked_against_what_arrived(storage):
    data = samples.pdf_two_pages()
    digest = hashlib.sha256(data).hexdigest()

    stored = store(data, storage, expected_sha256=digest.upper())
    mismatch = refusal(data[:-1], storage, expected_sha256=digest)
    malformed = refusal(data, storage, expected_sha256="not-a-checksum")

    assert stored.original_sha256 == digest
    assert mismatch.code == malformed.code == "checksum_mismatch"
    assert mismatch.message != malformed.message
    assert files_in(storage) == [stored.name]


# --- what happens to photos ----------------------------------------------------------------


def test_gps_position_and_every_other_metadata_are_removed(storage):
    for sample in (samples.jpeg_with_gps, samples.heic_photo, samples.png_with_metadata,
                   samples.jpeg_phone_photo):
        original = Image.open(io.BytesIO(sample()))
        assert original.getexif().get_ifd(ExifTags.IFD.GPSInfo), sample.__name__

        stored = store(sample(), storage)
        data = stored_bytes(storage, stored)

        with Image.open(io.BytesIO(data)) as image:
            assert not image.getexif(), sample.__name__
            assert not {"exif", "xmp", "icc_profile", "comment", "Author"} & set(image.info)
        if stored.content_type == "image/jpeg":
            markers = jpeg_markers(data)
            assert not [m for m in markers if 0xE1 <= m <= 0xEF or m == 0xFE], sample.__name__
        for trace in (b"Exif", b"Samsung", b"Galaxy", b"Nguyen Van A", b"0912345678"):
            assert trace not in data, (sample.__name__, trace)


def test_the_photo_is_turned_upright_by_its_exif_orientation(storage):
    stored = store(samples.jpeg_rotated(), storage)

    with Image.open(io.BytesIO(stored_bytes(storage, stored))) as image:
        assert image.size == (200, 300)
        red, green, blue = image.getpixel((185, 15))
        assert red > 200 and green < 60 and blue < 60  # the square went top-right
        assert image.getpixel((15, 15)) == pytest.approx((255, 255, 255), abs=30)


def test_a_phone_photo_shrinks_to_a_few_hundred_kilobytes_and_stays_readable(storage):
    data = samples.jpeg_phone_photo()
    assert len(data) > 4_000_000

    stored = store(data, storage)
    reduced = Image.open(io.BytesIO(stored_bytes(storage, stored)))

    assert (stored.width, stored.height) == reduced.size == (2000, 1500)
    assert 50_000 < stored.size < 1_000_000
    # Against the same photo reduced losslessly: the JPEG adds only faint noise, so the
    # text and the stamp are as readable as in a 2000-pixel photo can be.
    reference = ImageOps.exif_transpose(Image.open(io.BytesIO(data))).resize(
        reduced.size, Image.Resampling.LANCZOS)
    difference = ImageStat.Stat(ImageChops.difference(reference, reduced.convert("RGB")))
    assert max(difference.mean) < 4


@override_settings(UPLOAD_IMAGE_MAX_PX=500)
def test_the_longest_side_follows_the_setting(storage):
    stored = store(samples.png_screenshot(), storage)  # 720 × 1280

    assert (stored.width, stored.height) == (281, 500)


def test_a_screenshot_with_few_colours_stays_an_exact_png(storage):
    stored = store(samples.png_screenshot(), storage)

    with Image.open(io.BytesIO(stored_bytes(storage, stored))) as image:
        assert stored.content_type == "image/png"
        assert stored.size < len(samples.png_screenshot()) * 2
        assert ImageChops.difference(image.convert("RGB"), samples.screenshot()).getbbox() is None


def test_transparency_becomes_white_paper_not_black(storage):
    stored = store(samples.png_transparent(), storage)

    with Image.open(io.BytesIO(stored_bytes(storage, stored))) as image:
        assert image.convert("RGB").getpixel((5, 5)) == (255, 255, 255)
        assert image.convert("L").getpixel((150, 12)) < 60  # the signature stroke


def test_a_16_bit_scan_keeps_its_greys(storage):
    stored = store(samples.png_16bit_grey(), storage)

    with Image.open(io.BytesIO(stored_bytes(storage, stored))) as image:
        assert image.getpixel((50, 50)) == 0
        assert image.getpixel((150, 50)) == pytest.approx(128, abs=2)


# --- names and the safe write --------------------------------------------------------------


@pytest.mark.parametrize(("given", "kept"), [
    ("C:\\Users\\Lan\\Pictures\\CCCD mặt trước.jpg", "CCCD mặt trước.jpg"),
    ("../../etc/passwd", "passwd"),
    ("ho-so\u202efdp.exe", "ho-sofdp.exe"),  # the override would show it as "ho-soexe.pdf"
    ("Nguye\u0302\u0303n.jpg", "Nguyễn.jpg"),  # decomposed, as macOS sends it
    ("  ..", ""),
    ("a" * 300 + ".jpeg", "a" * 190 + ".jpeg"),
])
def test_the_original_name_is_kept_only_for_display_and_cleaned(storage, given, kept):
    stored = store(samples.jpeg_small(), storage, original_name=given)

    assert stored.original_name == kept
    assert STORED_NAME.fullmatch(stored.name)


def test_the_same_file_sent_twice_gets_two_names(storage):
    first = store(samples.pdf_two_pages(), storage)
    second = store(samples.pdf_two_pages(), storage)

    assert first.name != second.name
    assert first.sha256 == second.sha256
    assert files_in(storage) == sorted([first.name, second.name])


class RecordingStorage(FileSystemStorage):
    """Notes, when asked to save, whether the final name already exists and which file
    (inode) it is handed to move into place."""

    def _save(self, name, content):
        self.final_existed = os.path.exists(self.path(name))
        self.handed_inode = os.stat(content.temporary_file_path()).st_ino
        return super()._save(name, content)


def test_the_file_appears_under_its_final_name_only_when_complete(tmp_path):
    storage = RecordingStorage(location=tmp_path)

    stored = store(samples.pdf_two_pages(), storage)

    assert storage.final_existed is False
    # The very file written completely beforehand was renamed into place, not copied there
    # chunk by chunk.
    assert os.stat(storage.path(stored.name)).st_ino == storage.handed_inode
    assert files_in(storage) == [stored.name]  # and no ".partial-" file is left


class FullDiskStorage(FileSystemStorage):
    def _save(self, name, content):
        raise OSError(errno.ENOSPC, "No space left on device")


def test_a_full_disk_is_a_clear_refusal_and_leaves_no_file(tmp_path):
    storage = FullDiskStorage(location=tmp_path)

    refused = refusal(samples.pdf_two_pages(), storage)

    assert refused.code == "storage_full"
    assert files_in(storage) == []


class BrokenDiskStorage(FileSystemStorage):
    def _save(self, name, content):
        raise OSError(errno.EIO, "Input/output error")


def test_another_write_failure_is_not_mistaken_for_a_full_disk(tmp_path):
    storage = BrokenDiskStorage(location=tmp_path)

    with pytest.raises(OSError, match="Input/output error"):
        store(samples.pdf_two_pages(), storage)

    assert files_in(storage) == []


def test_other_storages_receive_the_bytes_in_one_save():
    storage = InMemoryStorage()

    stored = store(samples.jpeg_small(), storage)

    assert storage.exists(stored.name)
    assert hashlib.sha256(stored_bytes(storage, stored)).hexdigest() == stored.sha256


def test_discarding_deletes_the_file_and_may_be_repeated(storage):
    stored = store(samples.pdf_two_pages(), storage)

    stored_file_discard(stored.name, storage=storage)
    stored_file_discard(stored.name, storage=storage)

    assert not storage.exists(stored.name)


# --- the caller's transaction --------------------------------------------------------------


def save_row_for(stored, storage, announced, *, fail: bool):
    """The pattern of the module docstring, with a Group standing for the attachment row."""
    try:
        with transaction.atomic():
            Group.objects.create(name=stored.name)
            transaction.on_commit(lambda: announced.append(stored.name))
            if fail:
                Group.objects.create(name=stored.name)  # same unique name: cannot be saved
    except BaseException:
        stored_file_discard(stored.name, storage=storage)
        raise


@pytest.mark.django_db
def test_a_row_that_could_not_be_saved_takes_its_file_with_it(
        storage, django_capture_on_commit_callbacks):
    stored = store(samples.pdf_two_pages(), storage)
    announced = []

    with django_capture_on_commit_callbacks(execute=True) as callbacks, \
            pytest.raises(IntegrityError):
        save_row_for(stored, storage, announced, fail=True)

    assert not storage.exists(stored.name)
    assert not Group.objects.filter(name=stored.name).exists()
    assert callbacks == [] and announced == []


@pytest.mark.django_db
def test_a_committed_row_keeps_its_file_and_is_announced_after_the_commit(
        storage, django_capture_on_commit_callbacks):
    stored = store(samples.pdf_two_pages(), storage)
    announced = []

    with django_capture_on_commit_callbacks(execute=True):
        save_row_for(stored, storage, announced, fail=False)

    assert Group.objects.filter(name=stored.name).exists()
    assert announced == [stored.name]
    assert hashlib.sha256(stored_bytes(storage, stored)).hexdigest() == stored.sha256


# --- small things --------------------------------------------------------------------------


@pytest.mark.parametrize(("size", "text"), [
    (10 * 1024 * 1024, "10 MB"),
    (int(2.5 * 1024 * 1024), "2,5 MB"),
    (1536, "1,5 KB"),
    (1024, "1 KB"),
    (1000, "1000 byte"),
    (0, "0 byte"),
])
def test_file_sizes_read_the_vietnamese_way(size, text):
    assert format_file_size(size) == text


def test_every_refusal_code_is_one_of_the_stable_codes():
    assert set(REJECTION_CODES) == {"empty", "too_large", "unsupported_type", "damaged",
                                    "checksum_mismatch", "encrypted_pdf", "storage_full"}
    with pytest.raises(ValueError, match="virus"):
        UploadRejected("virus", "?")


# --- properties ----------------------------------------------------------------------------

VALID = {
    "pdf": samples.pdf_two_pages,
    "jpeg": samples.jpeg_small,
    "jpeg-progressive": samples.jpeg_progressive,
    "png-screenshot": samples.png_screenshot,
    "png-photo": samples.png_photo,
    "heic": samples.heic_photo,
}
MAGIC = [b"%PDF-1.7\n", b"\xff\xd8\xff\xe0", b"\x89PNG\r\n\x1a\n",
         b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic"]
PROPERTY = settings(deadline=None, max_examples=60,
                    suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(st.binary(max_size=4096))
def test_random_bytes_are_never_accepted(data):
    inspected = upload_inspect(io.BytesIO(data))

    assert not inspected.accepted
    assert inspected.code in {"empty", "unsupported_type", "damaged"}


@PROPERTY
@given(st.sampled_from(MAGIC), st.binary(max_size=4096))
def test_random_bytes_behind_a_valid_signature_are_never_accepted(magic, body):
    inspected = upload_inspect(io.BytesIO(magic + body + b"\n%%EOF\n"))

    assert not inspected.accepted
    assert inspected.code in {"damaged", "too_large"}


@pytest.mark.parametrize("max_px", [2000, 100])  # 100: JPEGs are decoded at a reduced scale
@PROPERTY
@given(kind=st.sampled_from(sorted(VALID)), data=st.data())
def test_a_cut_file_with_its_checksum_is_always_refused(kind, data, max_px):
    original = VALID[kind]()
    cut = data.draw(st.integers(min_value=0, max_value=len(original) - 1), label="cut")
    storage = InMemoryStorage()

    with override_settings(UPLOAD_IMAGE_MAX_PX=max_px), pytest.raises(UploadRejected) as refused:
        upload_store(fileobj=io.BytesIO(original[:cut]), original_name="tep",
                     expected_sha256=hashlib.sha256(original).hexdigest(), storage=storage)

    assert refused.value.code == ("empty" if cut == 0 else "checksum_mismatch")
    assert storage.listdir("")[1] == []


@pytest.mark.parametrize("max_px", [2000, 100])
@PROPERTY
@given(kind=st.sampled_from(sorted(VALID)), data=st.data())
def test_a_cut_file_without_checksum_is_refused_or_is_the_very_same_document(kind, data, max_px):
    """Without the client's checksum the structure must show the cut. The one cut nothing can
    show is a PDF losing the line break after its final %%EOF: the document is the same, and
    only a checksum can tell (the test above)."""
    original = VALID[kind]()
    cut = data.draw(st.integers(min_value=1, max_value=len(original) - 1), label="cut")

    with override_settings(UPLOAD_IMAGE_MAX_PX=max_px):
        inspected = upload_inspect(io.BytesIO(original[:cut]))

    if inspected.accepted:
        assert kind == "pdf"
        assert original[cut:].strip() == b"" and original[:cut].rstrip().endswith(b"%%EOF")
        assert inspected.pages == upload_inspect(io.BytesIO(original)).pages
    else:
        # Cut inside the signature, it is no longer recognisable at all.
        assert inspected.code == "damaged" if cut >= 32 else inspected.code in {
            "damaged", "unsupported_type"}


@st.composite
def phone_images(draw):
    mode = draw(st.sampled_from(["RGB", "L", "RGBA", "P", "1"]))
    fmt = draw(st.sampled_from(["JPEG", "PNG", "HEIF"] if mode in ("RGB", "L") else ["PNG"]))
    size = (draw(st.integers(1, 400)), draw(st.integers(1, 400)))
    colour = draw(st.integers(0, 255))
    image = Image.new("RGB", size, (colour, 255 - colour, colour // 2))
    if draw(st.booleans()):
        image = Image.merge("RGB", [Image.effect_noise(size, 50)] * 3)
    image = image.convert(mode)
    orientation = draw(st.integers(1, 8))
    out = io.BytesIO()
    image.save(out, format=fmt, exif=samples.exif_with_gps(orientation=orientation),
               **({"quality": 80} if fmt != "PNG" else {}))
    # HEIF turns a picture by its own transforms (libheif applies them); EXIF orientation
    # there is only a note, which pillow-heif leaves aside.
    turned = orientation in (5, 6, 7, 8) and fmt != "HEIF"
    return out.getvalue(), (size[1], size[0]) if turned else size


@PROPERTY
@given(phone_images(), st.integers(16, 300))
def test_every_ordinary_image_is_accepted_small_upright_and_bare(image_and_size, max_px):
    data, (width, height) = image_and_size
    storage = InMemoryStorage()

    with override_settings(UPLOAD_IMAGE_MAX_PX=max_px):
        inspected = upload_inspect(io.BytesIO(data))
        stored = upload_store(fileobj=io.BytesIO(data), original_name="anh", storage=storage)

    assert inspected.accepted
    assert (inspected.width, inspected.height) == (width, height)
    stored_data = stored_bytes(storage, stored)
    assert hashlib.sha256(stored_data).hexdigest() == stored.sha256
    with Image.open(io.BytesIO(stored_data)) as image:
        assert image.size == (stored.width, stored.height)
        assert max(image.size) <= max_px
        # Upright, and reduced without distortion.
        scale = min(1, max_px / max(width, height))
        assert abs(image.width - width * scale) <= 1 and abs(image.height - height * scale) <= 1
        assert not image.getexif()
    assert b"Samsung" not in stored_data and b"Exif" not in stored_data
