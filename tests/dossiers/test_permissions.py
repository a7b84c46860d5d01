"""Least privilege: an official of agency B never sees nor acts on a dossier of agency A;
within A, each role acts only on its own step. Shown on the API and on the pages."""

import pytest
from django.test import Client

from motcua.accounts.services import token_issue
from motcua.dossiers.models import Status
from motcua.dossiers.selectors import worklist

pytestmark = pytest.mark.django_db

OTHER_AGENCY = ["thanhson.motcua", "thanhson.tuphap", "thanhson.chutich", "sotuphap.cv",
                "sotuphap.ld", "tinh.motcua"]


def api_client(rf, username):
    request = rf.post("/api/v1/auth/token")
    token = token_issue(request=request, username=username, password="Canbo@2026")
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def page_client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def viet_tri_dossier(make_submitted):
    return make_submitted()  # received online for Phường Việt Trì


@pytest.mark.parametrize("username", OTHER_AGENCY)
def test_officials_of_another_agency_cannot_see_it_in_the_api(rf, viet_tri_dossier, username):
    client = api_client(rf, username)
    assert client.get(f"/api/v1/dossiers/{viet_tri_dossier.code}").status_code == 404
    for action in ("accept", "refuse", "start", "approve"):
        response = client.post(f"/api/v1/dossiers/{viet_tri_dossier.code}/actions/{action}",
                               {"reason": "thử"}, content_type="application/json")
        assert response.status_code == 404, action
    viet_tri_dossier.refresh_from_db()
    assert viet_tri_dossier.status == Status.NEW


@pytest.mark.parametrize("username", OTHER_AGENCY)
def test_officials_of_another_agency_cannot_see_it_on_the_pages(officials, viet_tri_dossier,
                                                               username):
    from motcua.accounts.models import User

    client = page_client(User.objects.get(username=username))
    assert client.get(f"/can-bo/ho-so/{viet_tri_dossier.code}/").status_code == 404
    response = client.post(f"/can-bo/ho-so/{viet_tri_dossier.code}/thao-tac/accept/")
    assert response.status_code == 404
    for queue in ("intake", "processing", "results", "waiting"):
        assert viet_tri_dossier.code not in client.get(f"/can-bo/?hang={queue}").content.decode()


@pytest.mark.parametrize("username", OTHER_AGENCY)
def test_another_agency_has_it_in_no_queue(viet_tri_dossier, username):
    from motcua.accounts.models import User

    user = User.objects.get(username=username)
    for queue in ("intake", "processing", "results", "waiting"):
        items, _total = worklist(user=user, queue=queue)
        assert viet_tri_dossier not in items


@pytest.mark.parametrize(("username", "action", "allowed"), [
    ("vietri.motcua", "accept", True),
    ("vietri.tuphap", "accept", False),
    ("vietri.chutich", "accept", False),
    ("vietri.congan.cv", "accept", False),
])
def test_within_the_agency_only_the_desk_accepts(rf, viet_tri_dossier, username, action,
                                                 allowed):
    client = api_client(rf, username)
    response = client.post(f"/api/v1/dossiers/{viet_tri_dossier.code}/actions/{action}",
                           content_type="application/json")
    if allowed:
        assert response.status_code == 200
        assert response.json()["status_code"] == Status.RECEIVED
    else:
        assert response.status_code in (403, 404)
        viet_tri_dossier.refresh_from_db()
        assert viet_tri_dossier.status == Status.NEW


def test_only_the_step_holder_acts_during_processing(rf, viet_tri_dossier, officials):
    from motcua.dossiers import services

    services.dossier_accept(dossier=viet_tri_dossier, actor=officials["vietri.motcua"])
    leader = api_client(rf, "vietri.chutich")
    response = leader.post(f"/api/v1/dossiers/{viet_tri_dossier.code}/actions/start",
                           content_type="application/json")
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    specialist = api_client(rf, "vietri.tuphap")
    response = specialist.post(f"/api/v1/dossiers/{viet_tri_dossier.code}/actions/start",
                               content_type="application/json")
    assert response.status_code == 200


def test_a_citizen_sees_only_their_own_dossiers(viet_tri_dossier, other_citizen, citizen):
    stranger = page_client(other_citizen)
    assert stranger.get(f"/ho-so/{viet_tri_dossier.pk}/").status_code == 404
    attachment = viet_tri_dossier.attachments.first()
    assert stranger.get(f"/tep/{attachment.pk}/").status_code == 404
    owner = page_client(citizen)
    assert owner.get(f"/ho-so/{viet_tri_dossier.pk}/").status_code == 200
    assert owner.get(f"/tep/{attachment.pk}/").status_code == 200


def test_the_api_needs_a_login(viet_tri_dossier):
    response = Client().get(f"/api/v1/dossiers/{viet_tri_dossier.code}")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"
