"""A citizen on a phone and an official on a desktop: home → search → procedure page,
accessibility, page weight, and forms without JavaScript."""

import gzip
from urllib.parse import urlsplit

import pytest

from .conftest import FIGURES, axe_violations

pytestmark = pytest.mark.browser

PUBLIC_PAGES = [
    "/",
    "/?xa=08542",
    "/thu-tuc/",
    "/thu-tuc/?q=cap+doi+bang+lai+xe",
    "/thu-tuc/1.004222/",
    "/thu-tuc/1.000689/",
    "/su-kien/sinh_con/",
    "/khong-co-trang-nay/",
]
BUDGET_BYTES = 50 * 1024


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_home_search_procedure(site, device, request):
    page = request.getfixturevalue(device)
    page.goto(site + "/")
    page.get_by_label("Bạn cần làm thủ tục gì?").fill("giay xac nhan tinh trang hon nhan")
    page.get_by_role("button", name="Tìm kiếm").click()
    page.wait_for_url("**/thu-tuc/?q=*")
    first = page.locator("ol.results > li a").first
    assert first.inner_text() == "Thủ tục cấp Giấy xác nhận tình trạng hôn nhân"
    first.click()
    page.wait_for_url("**/thu-tuc/1.004873/")
    assert page.locator("h1").inner_text() == "Thủ tục cấp Giấy xác nhận tình trạng hôn nhân"
    assert page.get_by_role("heading", name="Cần chuẩn bị").is_visible()
    assert page.get_by_role("heading", name="Nộp ở đâu").is_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], "the page scrolls sideways"


def test_the_search_works_from_the_keyboard(site, desktop):
    desktop.goto(site + "/")
    desktop.keyboard.press("Tab")  # skip link first
    assert desktop.evaluate("document.activeElement.textContent") == "Bỏ qua, đến nội dung chính"
    desktop.locator("#q").focus()
    desktop.keyboard.type("Đăng ký KHAI SINH")
    desktop.keyboard.press("Enter")
    desktop.wait_for_url("**/thu-tuc/?q=*")
    assert desktop.locator("ol.results > li a").first.inner_text() == "Thủ tục đăng ký khai sinh"


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_no_serious_accessibility_violations(site, phone, path):
    phone.goto(site + path)
    violations = axe_violations(phone)
    serious = [v for v in violations if v["impact"] in {"serious", "critical"}]
    assert serious == [], serious


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_page_weight_within_budget_and_nothing_from_other_hosts(site, browser, path):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    host = urlsplit(site).netloc
    foreign, responses = [], []
    page.on("request", lambda r: foreign.append(r.url) if urlsplit(r.url).netloc != host
            and not r.url.startswith("data:") else None)
    page.on("response", lambda r: responses.append(r))
    page.goto(site + path, wait_until="load")
    total = sum(len(gzip.compress(r.body(), 6)) for r in responses
                if r.status < 300 or r.status == 404)
    context.close()
    FIGURES.append((f"page weight {path}", f"{total / 1024:.1f} KiB gzip, "
                                           f"{len(responses)} request(s)"))
    assert foreign == []
    assert total <= BUDGET_BYTES


def test_every_form_works_without_javascript(site, no_js):
    page = no_js
    page.goto(site + "/")
    page.get_by_label("Xã, phường nơi bạn ở").select_option("08542")
    page.get_by_role("button", name="Xem nơi nộp").click()
    assert "Trung tâm Phục vụ hành chính công Xã Thanh Sơn" in page.content()

    page.get_by_label("Bạn cần làm thủ tục gì?").fill("dang ky")
    page.get_by_role("button", name="Tìm kiếm").click()
    page.wait_for_url("**/thu-tuc/?q=dang+ky")
    page.locator("summary").click()
    page.get_by_label("Dịch vụ công trực tuyến").select_option("full")
    page.get_by_role("button", name="Áp dụng").click()
    assert "truc-tuyen=full" in page.url
    tags = page.locator("ol.results .tag").all_inner_texts()
    assert tags and set(tags) == {"Trực tuyến toàn trình"}

    page.get_by_role("link", name="English").click()
    assert page.locator("h1").inner_text().startswith("Results for")
    assert "truc-tuyen=full" in page.url
