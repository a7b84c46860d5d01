import pytest

pytestmark = pytest.mark.django_db


def test_procedure_search_returns_best_match_first(client):
    response = client.get("/api/v1/procedures", {"q": "cap doi bang lai xe"})
    assert response.status_code == 200
    data = response.json()
    assert data["count"] >= 2
    first = data["items"][0]
    assert first["code"] == "3.000347"
    assert set(first) == {"code", "name", "field", "online_mode", "processing_time", "fee",
                          "agency"}
    assert first["fee"] == "135.000 đ"


def test_procedure_list_filters(client):
    data = client.get("/api/v1/procedures", {"online": "full", "level": "province"}).json()
    assert data["count"] > 0
    assert all(item["online_mode"] == "full" for item in data["items"])


def test_procedure_list_pages(client):
    first = client.get("/api/v1/procedures").json()
    second = client.get("/api/v1/procedures", {"page": 2}).json()
    assert first["count"] == 64 and first["pages"] == 4
    assert {i["code"] for i in first["items"]}.isdisjoint({i["code"] for i in second["items"]})


def test_procedure_detail_has_documents_and_fees(client):
    data = client.get("/api/v1/procedures/1.004222").json()
    assert data["name"] == "Đăng ký thường trú"
    assert data["documents"] and all("name" in d for d in data["documents"])
    assert [f["amount"] for f in data["fees"]] == [20000, 10000]
    assert data["processing_time"]["value"] == 7


def test_unknown_procedure_is_a_readable_json_404(client):
    response = client.get("/api/v1/procedures/9.999999")
    assert response.status_code == 404
    assert response.json() == {
        "detail": "Không có thủ tục nào mã 9.999999 đang có hiệu lực.", "code": "not_found"}


def test_bad_parameters_are_a_readable_json_error(client):
    response = client.get("/api/v1/procedures", {"level": "galaxy"})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid" and "level" in body["detail"]


def test_unknown_api_path_is_json_not_html(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "not_found"


def test_units_by_parent(client):
    provinces = client.get("/api/v1/units").json()
    assert len(provinces) == 34
    communes = client.get("/api/v1/units", {"parent": "25"}).json()
    assert len(communes) == 148
    viet_tri = next(u for u in communes if u["code"] == "07900")
    assert viet_tri["has_children"] is True
    assert client.get("/api/v1/units", {"parent": "zz"}).status_code == 404


def test_agencies_of_a_unit(client):
    agencies = client.get("/api/v1/agencies", {"unit": "07900"}).json()
    kinds = {a["kind"] for a in agencies}
    assert {"ubnd_xa", "cong_an_xa", "so_tu_phap"} <= kinds
    ubnd = next(a for a in agencies if a["kind"] == "ubnd_xa")
    assert ubnd["desks"] and ubnd["desks"][0]["opening_hours"]
    assert client.get("/api/v1/agencies").status_code == 422


def test_openapi_document_and_docs_page(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.1")
    assert "/api/v1/procedures" in schema["paths"]
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    # served from our own static files: nothing is fetched from another host
    assert "https://" not in docs.content.decode() and "http://" not in docs.content.decode()


@pytest.mark.parametrize(("case", "method", "path", "body"), [
    ("in a query", "get", "/api/v1/procedures?q=khai%00sinh", None),
    ("in the credentials", "post", "/api/v1/auth/token",
     {"username": "0250800\x0001234", "password": "Motcua@2026"}),
    ("deep in a form", "post", "/api/v1/dossiers",
     {"procedure": "1.001193", "form": {"children": [{"name": "An\x00"}]}}),
    ("in a key", "post", "/api/v1/dossiers", {"procedure": "1.001193", "form": {"\x00": 1}}),
])
def test_a_null_character_is_refused_before_any_query(client, case, method, path, body):
    """PostgreSQL cannot store U+0000: such a request is a clear 400 on every database."""
    if body is None:
        response = client.get(path)
    else:
        response = client.post(path, body, content_type="application/json")
    assert response.status_code == 400, case
    assert response.json()["code"] == "invalid", case


def test_the_text_backslash_u0000_is_not_a_null_character(client):
    response = client.post("/api/v1/auth/token",
                           {"username": "\\u0000", "password": "Motcua@2026"},
                           content_type="application/json")
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_credentials"
