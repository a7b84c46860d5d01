"""tus 1.0 on our API: the protocol, its refusals, and a file that arrives whole after any
pattern of lost and damaged pieces."""

import base64
import hashlib
import random

import pytest
from django.test import Client, override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from motcua.accounts.services import token_issue
from motcua.dossiers import services
from motcua.dossiers.models import Attachment
from motcua.resumable.models import UploadSession
from tests.dossiers.conftest import pdf_bytes

pytestmark = pytest.mark.django_db
TUS = {"HTTP_TUS_RESUMABLE": "1.0.0"}
PIECE = 256 * 1024


def bearer(rf, username="025080001234", password="Motcua@2026"):
    token = token_issue(request=rf.post("/"), username=username, password=password)
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def create(client, length, name="giay-to.pdf"):
    meta = "filename " + base64.b64encode(name.encode()).decode()
    response = client.post("/api/v1/uploads", **TUS, HTTP_UPLOAD_LENGTH=str(length),
                           HTTP_UPLOAD_METADATA=meta)
    assert response.status_code == 201, response.content
    return response["Location"]


def patch(client, url, offset, data, checksum=True, algorithm="sha256"):
    extra = {}
    if checksum:
        digest = hashlib.new(algorithm, data).digest()
        extra["HTTP_UPLOAD_CHECKSUM"] = f"{algorithm} {base64.b64encode(digest).decode()}"
    return client.generic("PATCH", url, data, content_type="application/offset+octet-stream",
                          **TUS, HTTP_UPLOAD_OFFSET=str(offset), **extra)


def offset_of(client, url):
    response = client.head(url, **TUS)
    assert response.status_code == 200
    return int(response["Upload-Offset"])


def big_pdf(pages=200):
    import io

    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pageCompression=0)  # a big scan, as phones make them
    rng = random.Random(7)
    for number in range(pages):
        page.drawString(72, 720, f"trang {number} " + "".join(
            rng.choice("abcdefghij") for _ in range(3000)))
        page.showPage()
    page.save()
    return buffer.getvalue()


def test_the_server_describes_itself(client):
    response = client.options("/api/v1/uploads")
    assert response.status_code == 204
    assert response["Tus-Version"] == "1.0.0"
    assert set(response["Tus-Extension"].split(",")) == {"creation", "expiration", "checksum",
                                                         "termination"}
    assert "sha256" in response["Tus-Checksum-Algorithm"]


def test_a_file_in_pieces_becomes_an_attachment(rf, citizen):
    client = bearer(rf)
    content = big_pdf()
    assert len(content) > 2 * PIECE
    url = create(client, len(content))
    for offset in range(0, len(content), PIECE):
        response = patch(client, url, offset, content[offset:offset + PIECE])
        assert response.status_code == 204
        assert int(response["Upload-Offset"]) == min(len(content), offset + PIECE)
    from motcua.catalog.models import Procedure

    version = Procedure.objects.get(code="1.004873").current_version()
    dossier = services.dossier_draft_create(version=version, actor=citizen)
    key = services.required_documents(dossier)[0].key
    upload_id = url.rsplit("/", 1)[1]
    response = client.post(f"/api/v1/dossiers/{dossier.pk}/attachments",
                           {"document": key, "upload": upload_id})
    assert response.status_code == 201, response.content
    attachment = Attachment.objects.get(dossier=dossier)
    assert attachment.sha256 == hashlib.sha256(content).hexdigest()
    # used once: the pieces are gone and the upload cannot be attached again
    assert not UploadSession.objects.filter(pk=upload_id).exists()
    again = client.post(f"/api/v1/dossiers/{dossier.pk}/attachments",
                        {"document": key, "upload": upload_id})
    assert again.status_code == 404


@pytest.mark.parametrize(("case", "mutate", "status"), [
    ("wrong offset", lambda c, u: patch(c, u, 5, b"abc"), 409),
    ("damaged piece", lambda c, u: c.generic(
        "PATCH", u, b"abc", content_type="application/offset+octet-stream", **TUS,
        HTTP_UPLOAD_OFFSET="0",
        HTTP_UPLOAD_CHECKSUM="sha256 " + base64.b64encode(b"x" * 32).decode()), 460),
    ("wrong content type", lambda c, u: c.generic(
        "PATCH", u, b"abc", content_type="application/json", **TUS,
        HTTP_UPLOAD_OFFSET="0"), 415),
    ("more than announced", lambda c, u: patch(c, u, 0, b"x" * 2000), 413),
    ("old protocol", lambda c, u: c.generic(
        "PATCH", u, b"abc", content_type="application/offset+octet-stream",
        HTTP_TUS_RESUMABLE="0.2.2", HTTP_UPLOAD_OFFSET="0"), 412),
])
def test_refusals_change_nothing(rf, case, mutate, status):
    client = bearer(rf)
    url = create(client, 1000)
    response = mutate(client, url)
    assert response.status_code == status, case
    assert response.json()["detail"]
    assert offset_of(client, url) == 0


def test_someone_elses_upload_does_not_exist_for_you(rf):
    url = create(bearer(rf), 100)
    stranger = bearer(rf, "025185004321")
    assert stranger.head(url, **TUS).status_code == 404
    assert patch(stranger, url, 0, b"x" * 10).status_code == 404


def test_an_expired_upload_is_gone(rf):
    client = bearer(rf)
    url = create(client, 100)
    UploadSession.objects.update(expires_at="2000-01-01T00:00:00Z")
    assert client.head(url, **TUS).status_code == 410


@override_settings(UPLOAD_MAX_BYTES=1000)
def test_a_file_over_the_limit_is_refused_before_any_byte(rf):
    response = bearer(rf).post("/api/v1/uploads", **TUS, HTTP_UPLOAD_LENGTH="1001")
    assert response.status_code == 413


def test_session_calls_need_the_csrf_token(citizen):
    client = Client(enforce_csrf_checks=True)
    client.force_login(citizen)
    response = client.post("/api/v1/uploads", **TUS, HTTP_UPLOAD_LENGTH="10")
    assert response.status_code == 403


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(1, 5000), st.sampled_from(["ok", "lost", "damaged"])),
                min_size=1, max_size=40))
def test_any_pattern_of_lost_and_damaged_pieces_still_gives_the_same_file(rf, plan):
    client = bearer(rf)
    content = pdf_bytes("một tệp gửi từng phần") * 3
    url = create(client, len(content))
    steps = iter(plan)
    while True:
        offset = offset_of(client, url)  # a client always asks where to go on
        if offset == len(content):
            break
        size, fate = next(steps, (len(content), "ok"))
        piece = content[offset:offset + size]
        if fate == "lost":
            continue  # the connection dropped before the server got the piece
        if fate == "damaged":
            damaged = bytes([piece[0] ^ 0xFF]) + piece[1:]
            digest = base64.b64encode(hashlib.sha256(piece).digest()).decode()
            response = client.generic(
                "PATCH", url, damaged, content_type="application/offset+octet-stream", **TUS,
                HTTP_UPLOAD_OFFSET=str(offset), HTTP_UPLOAD_CHECKSUM=f"sha256 {digest}")
            assert response.status_code == 460
            continue
        assert patch(client, url, offset, piece).status_code == 204
    session = UploadSession.objects.get(pk=url.rsplit("/", 1)[1])
    assert session.sha256 == hashlib.sha256(content).hexdigest()
