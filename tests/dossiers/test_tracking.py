import pytest
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db


def test_tracking_with_the_last_four_digits_of_the_id_number(client, make_submitted):
    dossier = make_submitted()
    response = client.get(f"/api/v1/tracking/{dossier.code}", {"verify": "1234"})
    assert response.status_code == 200
    body = response.json()
    assert body["code"] == dossier.code
    assert body["status_code"] == 1 and body["status"] == "Mới đăng ký"
    assert [h["status_code"] for h in body["history"]] == [1]
    text = response.content.decode()
    assert "Nguyễn Văn An" not in text and "025080001234" not in text


def test_the_phone_ending_works_too(client, make_submitted):
    dossier = make_submitted()
    assert client.get(f"/api/v1/tracking/{dossier.code}", {"verify": "0001"}).status_code == 200


def test_a_wrong_check_looks_exactly_like_an_unknown_code(client, make_submitted):
    dossier = make_submitted()
    wrong = client.get(f"/api/v1/tracking/{dossier.code}", {"verify": "9999"})
    unknown = client.get("/api/v1/tracking/000.00.00.H43-261124-9999", {"verify": "1234"})
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.json() == unknown.json()


@override_settings(TRACKING_RATE_LIMIT=3)
def test_tracking_is_rate_limited(make_submitted):
    dossier = make_submitted()
    client = Client(REMOTE_ADDR="203.0.113.9")
    codes = [client.get(f"/api/v1/tracking/{dossier.code}", {"verify": "0000"}).status_code
             for _ in range(4)]
    assert codes == [404, 404, 404, 429]
    other = Client(REMOTE_ADDR="203.0.113.10")
    assert other.get(f"/api/v1/tracking/{dossier.code}", {"verify": "1234"}).status_code == 200


def test_tracking_page(client, make_submitted):
    dossier = make_submitted()
    html = client.get("/tra-cuu/", {"ma": dossier.code, "kiem-tra": "1234"}).content.decode()
    assert dossier.code in html and "Mới đăng ký" in html
    missing = client.get("/tra-cuu/", {"ma": dossier.code, "kiem-tra": "1111"})
    assert missing.status_code == 404
    assert "Không tìm thấy hồ sơ" in missing.content.decode()
