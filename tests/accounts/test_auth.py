import pytest
from django.contrib.auth.hashers import identify_hasher
from django.test import Client

from motcua.accounts.models import User
from motcua.accounts.services import AccountError, citizen_register

pytestmark = pytest.mark.django_db


def test_token_login_and_bearer_use(client):
    response = client.post("/api/v1/auth/token",
                           {"username": "025080001234", "password": "Motcua@2026"},
                           content_type="application/json")
    assert response.status_code == 200
    token = response.json()["token"]
    authed = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert authed.get("/api/v1/worklist").status_code == 403  # a citizen has no work queue
    assert Client(HTTP_AUTHORIZATION="Bearer forged").get("/api/v1/worklist").status_code == 401


def test_wrong_password_is_a_clear_401(client):
    response = client.post("/api/v1/auth/token",
                           {"username": "025080001234", "password": "sai-mat-khau"},
                           content_type="application/json")
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_credentials"


def test_repeated_failures_lock_the_account_for_that_address():
    client = Client(REMOTE_ADDR="198.51.100.7")
    for _ in range(5):
        client.post("/api/v1/auth/token", {"username": "025185004321", "password": "sai"},
                    content_type="application/json")
    locked = client.post("/api/v1/auth/token",
                         {"username": "025185004321", "password": "Motcua@2026"},
                         content_type="application/json")
    assert locked.status_code == 429
    assert locked.json()["code"] == "locked_out"


def test_passwords_are_hashed_with_argon2():
    user = User.objects.get(username="025080001234")
    assert identify_hasher(user.password).algorithm == "argon2"


@pytest.mark.parametrize(("national_id", "ok"), [
    ("025080009999", True),
    ("02508000999", False),   # 11 digits
    ("0250800099999", False),  # 13 digits
    ("099080009999", False),  # no province 099
    ("02508000999a", False),
])
def test_citizens_register_with_a_valid_identification_number(national_id, ok):
    if ok:
        user = citizen_register(national_id=national_id, password="Lua-thoc-2026",
                                full_name="Nguyễn Thị Mới", phone="0987654321")
        assert user.username == national_id and user.is_citizen
    else:
        with pytest.raises(AccountError) as caught:
            citizen_register(national_id=national_id, password="Lua-thoc-2026",
                             full_name="Nguyễn Thị Mới", phone="0987654321")
        assert "national_id" in caught.value.fields


def test_registering_twice_is_refused():
    with pytest.raises(AccountError) as caught:
        citizen_register(national_id="025080001234", password="Lua-thoc-2026",
                         full_name="Ai Đó", phone="0987654321")
    assert caught.value.code == "exists"


def test_register_page_logs_the_citizen_in(client):
    response = client.post("/dang-ky/", {
        "national_id": "025290001234", "full_name": "Lò Văn Páo", "phone": "0977000111",
        "email": "", "unit": "08542", "password": "Nuong-ray-2026"})
    assert response.status_code == 302
    assert client.get("/ho-so/").status_code == 200
