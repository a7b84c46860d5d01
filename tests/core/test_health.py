import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


def test_health_answers(client):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_ready_when_database_cache_and_storage_answer(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "cache": "ok", "storage": "ok"}


@override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}})
def test_not_ready_when_the_cache_keeps_nothing(client):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"] == "cache does not keep values"


def test_security_headers_on_every_page(client):
    response = client.get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "script-src 'self'" in policy and "unsafe-eval" not in policy
