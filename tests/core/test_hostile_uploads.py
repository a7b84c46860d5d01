"""Files built to deceive: polyglots, bombs, scripts. Refused, or kept harmless."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.core.uploads import UploadRejected, upload_store

from .upload_samples import jpeg_small, pdf_two_pages

pytestmark = pytest.mark.django_db


def zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("evil.php", "<?php system($_GET['c']); ?>")
    return buffer.getvalue()


def store(data: bytes, name: str = "giay-to.pdf"):
    return upload_store(fileobj=SimpleUploadedFile(name, data), original_name=name)


@pytest.mark.parametrize(("case", "data", "code"), [
    ("HTML with a PDF header", b"%PDF-1.4\n<html><script>alert(1)</script></html>\n%%EOF",
     "damaged"),
    ("a zip named .pdf", zip_bytes(), "unsupported_type"),
    ("a PDF header on a zip", b"%PDF-1.7\n" + zip_bytes(), "damaged"),
    ("SVG with script", b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script>"
     b"</svg>", "unsupported_type"),
    ("a Windows program", b"MZ\x90\x00" + b"\x00" * 200, "unsupported_type"),
])
def test_polyglots_and_disguises_are_refused(case, data, code):
    with pytest.raises(UploadRejected) as caught:
        store(data)
    assert caught.value.code == code, case


def test_a_photo_carrying_an_archive_is_stored_without_it():
    """JPEG + ZIP (a classic polyglot): the photo is re-encoded, the archive does not
    survive."""
    stored = store(jpeg_small() + zip_bytes(), "anh.jpg")
    from django.core.files.storage import default_storage

    with default_storage.open(stored.name, "rb") as fh:
        kept = fh.read()
    assert kept.startswith(b"\xff\xd8") and b"PK\x03\x04" not in kept and b"evil.php" not in kept


def test_attachments_are_served_sandboxed(make_submitted, citizen, client):
    dossier = make_submitted()
    attachment = dossier.attachments.first()
    client.force_login(citizen)
    response = client.get(f"/tep/{attachment.pk}/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("sandbox")


def test_a_pdf_stays_byte_for_byte(tmp_path):
    data = pdf_two_pages()
    stored = store(data)
    assert stored.sha256 == stored.original_sha256
