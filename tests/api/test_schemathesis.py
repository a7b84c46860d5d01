"""Every operation of the API, fed inputs generated from its own OpenAPI document: never a
server error, and every answer matches the documented schema (or is our JSON error)."""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import ignored_auth

from tests.conftest import FIGURES

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
CASES = {"count": 0}


@pytest.fixture(scope="module", autouse=True)
def report_count():
    yield
    FIGURES.append(("schemathesis generated cases", str(CASES["count"])))


@pytest.fixture(scope="module", autouse=True)
def keep_the_test_connection():
    """The calls go through the real WSGI handler, whose request signals close a connection
    that is inside a transaction; the test's transaction is exactly that, so PostgreSQL would
    lose it after the first call. Django's own test client holds them back the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def _check(case, headers=None):
    CASES["count"] += 1
    # The in-process WSGI client does not undo gzip: ask for the plain body.
    response = case.call(headers={"Accept-Encoding": "identity", **(headers or {})})
    assert response.status_code < 500, (case.method, case.path, response.text[:300])
    if response.status_code >= 400:
        body = response.json()
        assert set(body) >= {"detail", "code"}, body
    elif headers:
        # Our valid token goes with every call, so "the API ignores broken credentials"
        # cannot be judged here; the anonymous run judges it.
        case.validate_response(response, excluded_checks=[ignored_auth])
    else:
        case.validate_response(response)


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much])
def test_the_api_never_fails_anonymous(case):
    _check(case)


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much])
def test_the_api_never_fails_for_an_official(case, official_token):
    _check(case, {"Authorization": f"Bearer {official_token}"})


@pytest.fixture
def official_token(db):
    from django.test import RequestFactory

    from motcua.accounts.services import token_issue

    return token_issue(request=RequestFactory().post("/"), username="vietri.motcua",
                       password="Canbo@2026")
