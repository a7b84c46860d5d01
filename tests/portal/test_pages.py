import pytest

pytestmark = pytest.mark.django_db


def test_home_has_search_life_events_most_used_and_desks(client):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="q"' in html
    assert "Sinh con" in html and "Kết hôn" in html
    assert "Thủ tục đăng ký khai sinh" in html
    assert "Trung tâm Phục vụ hành chính công tỉnh Phú Thọ" in html
    assert "Tỉnh Phú Thọ" in html


def test_home_shows_the_desks_of_the_picked_commune(client):
    html = client.get("/", {"xa": "08542"}).content.decode()
    assert "Trung tâm Phục vụ hành chính công Xã Thanh Sơn" in html


def test_search_results_page(client):
    html = client.get("/thu-tuc/", {"q": "giay xac nhan tinh trang hon nhan"}).content.decode()
    first = html.index('href="/thu-tuc/1.004873/"')
    assert first < html.index('href="/thu-tuc/', first + 1) if html.count('href="/thu-tuc/') > 1 \
        else True
    assert "Kết quả cho" in html


def test_catalogue_filters_keep_their_state_in_the_url(client):
    html = client.get("/thu-tuc/", {"truc-tuyen": "full", "linh-vuc": "ho_tich"}).content.decode()
    assert '<option value="full" selected>' in html
    assert '<option value="ho_tich" selected>' in html


def test_procedure_page_tells_everything_needed_to_prepare(client):
    html = client.get("/thu-tuc/1.004222/").content.decode()
    assert "Đăng ký thường trú" in html
    assert "20.000 đ" in html and "10.000 đ" in html
    assert "7 ngày làm việc" in html
    assert "Cần chuẩn bị" in html
    assert "Trung tâm Phục vụ hành chính công tỉnh Phú Thọ" in html


def test_unknown_procedure_is_a_404_page(client):
    response = client.get("/thu-tuc/9.999999/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def test_life_event_page_lists_its_procedures(client):
    html = client.get("/su-kien/sinh_con/").content.decode()
    assert "Thủ tục đăng ký khai sinh" in html


def test_english_is_available(client):
    response = client.get("/ngon-ngu/en/", {"next": "/thu-tuc/"})
    assert response.status_code == 302 and response["Location"] == "/thu-tuc/"
    html = client.get("/").content.decode()
    assert "What procedure do you need?" in html
    client.get("/ngon-ngu/vi/")
    assert "Bạn cần làm thủ tục gì?" in client.get("/").content.decode()


def test_language_switch_never_redirects_to_another_site(client):
    response = client.get("/ngon-ngu/en/", {"next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_public_pages_set_no_cookie_for_visitors(client):
    """Nothing personal on a public page, so it can be cached by anyone in between."""
    for path in ["/", "/thu-tuc/", "/thu-tuc/1.004222/", "/su-kien/sinh_con/"]:
        response = client.get(path)
        assert response.cookies == {}, path


def test_catalogue_edits_show_at_once_on_cached_pages(client, django_capture_on_commit_callbacks):
    from motcua.catalog.models import ProcedureVersion

    assert "Đăng ký thường trú" in client.get("/thu-tuc/1.004222/").content.decode()
    version = ProcedureVersion.objects.get(procedure__code="1.004222")
    with django_capture_on_commit_callbacks(execute=True):
        version.name = "Đăng ký thường trú (tên mới)"
        version.save()
    assert "Đăng ký thường trú (tên mới)" in client.get("/thu-tuc/1.004222/").content.decode()
