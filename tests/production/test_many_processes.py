"""Two application servers sharing one database, one cache and one object store, a client
going to one and then the other on every request: sessions, rate limits, code sequences and
resumable uploads stay correct across processes."""

import base64
import hashlib
import subprocess
import sys
import threading
import time
from pathlib import Path

import boto3
import pytest
import redis
import requests

from tests.dossiers.conftest import pdf_bytes
from tests.scratch import last_json, run_script, scratch_env
from tests.servers import Server, free_port

BUCKET = "motcua-many"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    port = free_port()
    moto = subprocess.Popen([str(Path(sys.executable).with_name("moto_server")), "-p",
                             str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    s3_url = f"http://127.0.0.1:{port}"
    s3 = boto3.client("s3", endpoint_url=s3_url, aws_access_key_id="test",
                      aws_secret_access_key="test", region_name="us-east-1")
    for _ in range(100):
        try:
            s3.create_bucket(Bucket=BUCKET)
            break
        except Exception:  # still starting
            time.sleep(0.2)
    cache_url = "redis://127.0.0.1:6379/8"
    redis.Redis.from_url(cache_url).flushdb()
    env = scratch_env(tmp_path_factory.mktemp("many"), "_many")
    env.update(MOTCUA_STORAGE="s3", MOTCUA_S3_BUCKET=BUCKET, MOTCUA_S3_ENDPOINT_URL=s3_url,
               MOTCUA_S3_ACCESS_KEY="test", MOTCUA_S3_SECRET_KEY="test",
               MOTCUA_S3_REGION="us-east-1", MOTCUA_CACHE_URL=cache_url,
               MOTCUA_TRACKING_RATE_LIMIT="6")
    servers = [Server(env), Server(env)]
    yield env, servers, s3
    for server in servers:
        server.stop()
    moto.terminate()
    redis.Redis.from_url(cache_url).flushdb()


def alternate(servers):
    while True:
        yield from servers


def token(url, username, password):
    response = requests.post(f"{url}/api/v1/auth/token", timeout=30,
                             json={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['token']}"}


def test_a_session_made_on_one_server_works_on_the_other(site):
    _env, (a, b), _s3 = site
    browser = requests.Session()
    page = browser.get(f"{a.url}/dang-nhap/", timeout=30)
    csrf = browser.cookies["csrftoken"]
    response = browser.post(f"{a.url}/dang-nhap/", timeout=30, allow_redirects=False,
                            data={"username": "025080001234", "password": "Motcua@2026",
                                  "csrfmiddlewaretoken": csrf},
                            headers={"Referer": f"{a.url}/dang-nhap/"})
    assert page.status_code == 200 and response.status_code == 302
    for server in (b, a, b):
        mine = browser.get(f"{server.url}/ho-so/", timeout=30, allow_redirects=False)
        assert mine.status_code == 200, server.url


def test_the_tracking_limit_counts_requests_on_both_servers(site):
    _env, servers, _s3 = site
    codes = [requests.get(f"{server.url}/api/v1/tracking/000.00.00.H43-261124-0001",
                          params={"verify": "1234"}, timeout=30,
                          headers={"X-Forwarded-For": "1"}).status_code
             for server, _ in zip(alternate(servers), range(8), strict=False)]
    assert codes[:6] == [404] * 6
    assert codes[6:] == [429, 429]


def test_concurrent_submissions_on_both_servers_get_consecutive_codes(site):
    env, servers, _s3 = site
    prepared = last_json(run_script(dict(env, COUNT="12"), PREPARE))
    auth = token(servers[0].url, "025080001234", "Motcua@2026")
    codes, errors = [], []
    barrier = threading.Barrier(len(prepared["drafts"]))

    def submit(draft_id, server):
        barrier.wait()
        response = requests.post(f"{server.url}/api/v1/dossiers/{draft_id}/submit",
                                 headers=auth, timeout=60)
        (codes if response.status_code == 200 else errors).append(
            response.json().get("code") if response.status_code == 200 else response.text)

    threads = [threading.Thread(target=submit, args=(draft, server))
               for draft, server in zip(prepared["drafts"], alternate(servers), strict=False)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = sorted(int(code.rsplit("-", 1)[1]) for code in codes)
    assert numbers == list(range(numbers[0], numbers[0] + len(codes)))


def test_a_resumable_upload_moves_between_servers_and_lands_in_object_storage(site):
    env, servers, s3 = site
    a, b = servers
    auth = token(a.url, "025185004321", "Motcua@2026")
    tus = {**auth, "Tus-Resumable": "1.0.0"}
    content = pdf_bytes("tải lên từng phần qua hai máy chủ") * 4
    created = requests.post(f"{a.url}/api/v1/uploads", timeout=30, headers={
        **tus, "Upload-Length": str(len(content)),
        "Upload-Metadata": "filename " + base64.b64encode(b"to-khai.pdf").decode()})
    assert created.status_code == 201
    path = created.headers["Location"]
    offset, piece = 0, 4096
    for server in alternate(servers):
        if offset == len(content):
            break
        head = requests.head(server.url + path, headers=tus, timeout=30)
        assert int(head.headers["Upload-Offset"]) == offset
        chunk = content[offset:offset + piece]
        digest = base64.b64encode(hashlib.sha256(chunk).digest()).decode()
        response = requests.patch(server.url + path, data=chunk, timeout=30, headers={
            **tus, "Content-Type": "application/offset+octet-stream",
            "Upload-Offset": str(offset), "Upload-Checksum": f"sha256 {digest}"})
        assert response.status_code == 204, response.text
        offset = int(response.headers["Upload-Offset"])
    draft = last_json(run_script(dict(env, COUNT="1", USERNAME="025185004321",
                                      NO_FILES="1"), PREPARE))["drafts"][0]
    key = last_json(run_script(dict(env, DRAFT=str(draft)), FIRST_DOCUMENT))["key"]
    attached = requests.post(f"{b.url}/api/v1/dossiers/{draft}/attachments", headers=auth,
                             data={"document": key, "upload": path.rsplit("/", 1)[1]},
                             timeout=60)
    assert attached.status_code == 201, attached.text
    stored = attached.json()
    assert stored["document"] == key
    assert stored["sha256"] == hashlib.sha256(content).hexdigest()
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])]
    assert any(k.startswith("media/attachments/") for k in keys)
    assert not any(k.startswith("media/uploads/") for k in keys)  # the pieces were removed


PREPARE = """
import django, io, json, os
django.setup()
from django.core.files.uploadedfile import SimpleUploadedFile
from reportlab.pdfgen import canvas
from motcua.accounts.models import User
from motcua.catalog.models import Procedure
from motcua.demo.dossiers import demo_form_data
from motcua.dossiers import services
from motcua.eforms.schema import effective_schema

def pdf():
    b = io.BytesIO(); c = canvas.Canvas(b); c.drawString(72, 720, "x"); c.showPage(); c.save()
    return b.getvalue()

user = User.objects.get(username=os.environ.get("USERNAME", "025080001234"))
version = Procedure.objects.get(code="1.004873").current_version()
drafts = []
for _ in range(int(os.environ["COUNT"])):
    d = services.dossier_draft_create(version=version, actor=user)
    services.dossier_form_save(dossier=d, actor=user,
                               data=demo_form_data(effective_schema(version), user))
    if not os.environ.get("NO_FILES"):
        for doc in services.required_documents(d):
            if doc.mandatory:
                services.attachment_add(dossier=d, actor=user, document_key=doc.key,
                                        fileobj=SimpleUploadedFile("a.pdf", pdf()),
                                        original_name="a.pdf")
    drafts.append(d.pk)
print(json.dumps({"drafts": drafts}))
"""

FIRST_DOCUMENT = """
import django, json, os
django.setup()
from motcua.dossiers.models import Dossier
from motcua.dossiers import services
d = Dossier.objects.get(pk=int(os.environ["DRAFT"]))
print(json.dumps({"key": services.required_documents(d)[0].key}))
"""
