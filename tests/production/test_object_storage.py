"""Attachments in S3-compatible object storage, against an S3 server on loopback: stored
under a private key, read back through the application byte for byte."""

import hashlib
import socket
import subprocess
import sys
import time
from pathlib import Path

import boto3
import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from motcua.dossiers import services
from tests.dossiers.conftest import pdf_bytes

pytestmark = pytest.mark.django_db
BUCKET = "motcua-test"


@pytest.fixture(scope="module")
def s3_endpoint():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen([str(Path(sys.executable).with_name("moto_server")), "-p",
                               str(port)], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    client = boto3.client("s3", endpoint_url=url, aws_access_key_id="test",
                          aws_secret_access_key="test", region_name="us-east-1")
    for _ in range(100):
        try:
            client.create_bucket(Bucket=BUCKET)
            break
        except Exception:  # the server is still starting
            time.sleep(0.2)
    yield url, client
    server.terminate()
    server.wait(timeout=10)


def s3_storages(url):
    return {
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
            "bucket_name": BUCKET, "endpoint_url": url, "access_key": "test",
            "secret_key": "test", "region_name": "us-east-1", "location": "media",
            "default_acl": None, "querystring_auth": True, "file_overwrite": False}},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def test_an_attachment_goes_to_object_storage_and_comes_back_whole(s3_endpoint, citizen,
                                                                   client):
    url, s3 = s3_endpoint
    content = pdf_bytes("giấy tờ trong kho đối tượng")
    with override_settings(STORAGES=s3_storages(url)):
        assert type(default_storage._wrapped).__name__ == "S3Storage" or \
            default_storage.__class__.__name__ == "S3Storage"
        from motcua.catalog.models import Procedure

        version = Procedure.objects.get(code="1.004873").current_version()
        dossier = services.dossier_draft_create(version=version, actor=citizen)
        key = services.required_documents(dossier)[0].key
        attachment = services.attachment_add(
            dossier=dossier, actor=citizen, document_key=key,
            fileobj=SimpleUploadedFile("to-khai.pdf", content), original_name="to-khai.pdf")
        listed = [o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET)["Contents"]]
        assert f"media/{attachment.file.name}" in listed
        assert "to-khai" not in attachment.file.name  # no personal names in keys
        client.force_login(citizen)
        response = client.get(f"/tep/{attachment.pk}/")
        body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == hashlib.sha256(content).hexdigest() == \
        attachment.sha256
    # Private: the object cannot be read without credentials.
    anonymous = boto3.client("s3", endpoint_url=url, region_name="us-east-1",
                             aws_access_key_id="other", aws_secret_access_key="other")
    acl = anonymous.get_object_acl(Bucket=BUCKET, Key=f"media/{attachment.file.name}")
    assert not any(g["Grantee"].get("URI", "").endswith("AllUsers") for g in acl["Grants"])
