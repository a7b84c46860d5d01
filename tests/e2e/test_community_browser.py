"""A team member on a 360 px phone, in a citizen's house: the visit is logged without
JavaScript; with it, a dropped connection keeps the draft and sending it again logs once.
The volunteers' pages pass axe and stay light."""

import gzip

import pytest

from .conftest import FIGURES, axe_violations

pytestmark = pytest.mark.browser

LEADER = ("025095700001", "Toso@2026")  # Nguyễn Thu Hằng, team of Tổ dân phố 3
CITIZEN = ("025080001234", "Motcua@2026")
VOLUNTEER_PAGES = ["/to-cong-nghe-so/", "/to-cong-nghe-so/ghi-nhan/",
                   "/to-cong-nghe-so/lich-truc/", "/to-cong-nghe-so/ho-dan/",
                   "/to-cong-nghe-so/ho-tro-nop/", "/to-cong-nghe-so/cach-tinh-diem/"]
BUDGET_BYTES = 50 * 1024


def login(page, site, who):
    page.goto(site + "/dang-nhap/")
    page.get_by_label("Số định danh cá nhân").fill(who[0])
    page.get_by_label("Mật khẩu").fill(who[1])
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state()


def visits_of(page, site, address) -> int:
    page.goto(site + "/to-cong-nghe-so/ho-dan/")
    row = page.locator("tr", has=page.locator(f"td:text-is('{address}')")).first
    return int(row.locator("td").nth(2).inner_text())


def first_household(page):
    option = page.get_by_label("Hộ gia đình").locator("option").nth(1)
    return option.get_attribute("value"), option.inner_text().split(" · ")[0]


def test_a_visit_is_logged_on_a_phone_without_javascript(site, no_js):
    page = no_js
    login(page, site, LEADER)
    page.goto(site + "/to-cong-nghe-so/ghi-nhan/")
    value, address = first_household(page)
    page.get_by_label("Hộ gia đình").select_option(value)
    page.get_by_label("Đã cài VNeID", exact=True).check()
    page.get_by_label("Đã kích hoạt VNeID mức độ 2").check()
    page.get_by_label("Sử dụng dịch vụ công trực tuyến").check()
    page.get_by_label("Số người được hỗ trợ").fill("2")
    page.get_by_role("button", name="Lưu lượt hỗ trợ").click()
    page.wait_for_load_state()
    assert "Đã ghi nhận lượt hỗ trợ. Cảm ơn bạn!" in page.locator(".messages").inner_text()
    assert address in page.locator(".results li").first.inner_text()
    assert "2 người" in page.locator(".results li").first.inner_text()


def test_the_volunteer_pages_fit_a_phone_and_pass_axe(site, browser):
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True,
                                  has_touch=True, locale="vi-VN")
    page = context.new_page()
    login(page, site, LEADER)
    responses = []
    page.on("response", lambda response: responses.append(response))
    for path in VOLUNTEER_PAGES:
        responses.clear()
        page.goto(site + path, wait_until="load")
        serious = [v for v in axe_violations(page) if v["impact"] in {"serious", "critical"}]
        assert serious == [], (path, serious)
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 360, (path, width)
        total = sum(len(gzip.compress(r.body(), 6)) for r in responses if r.status < 300)
        FIGURES.append((f"page weight {path}", f"{total / 1024:.1f} KiB gzip"))
        assert total <= BUDGET_BYTES, path
    context.close()


def test_a_dropped_connection_keeps_the_draft_and_it_is_logged_once(site, browser):
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True,
                                  has_touch=True, locale="vi-VN")
    page = context.new_page()
    login(page, site, LEADER)
    page.goto(site + "/to-cong-nghe-so/ghi-nhan/")
    value, address = first_household(page)
    page.goto(site + "/to-cong-nghe-so/ghi-nhan/")
    before = visits_of(page, site, address)
    page.goto(site + "/to-cong-nghe-so/ghi-nhan/")
    page.get_by_label("Hộ gia đình").select_option(value)
    page.get_by_label("Đã tạo tài khoản dịch vụ công").check()
    page.get_by_label("Ghi chú").fill("Bà cụ 80 tuổi, hướng dẫn cài VNeID")
    key = page.locator("input[name=key]").input_value()
    context.set_offline(True)
    page.get_by_role("button", name="Lưu lượt hỗ trợ").click()
    page.wait_for_url("chrome-error://**")  # the phone's own "no connection" page
    context.set_offline(False)
    page.goto(site + "/to-cong-nghe-so/ghi-nhan/")
    # The draft is back, with the form's key: sending it now logs the visit once.
    assert page.locator("#visit-draft-note").is_visible()
    assert page.get_by_label("Đã tạo tài khoản dịch vụ công").is_checked()
    assert page.get_by_label("Ghi chú").input_value() == "Bà cụ 80 tuổi, hướng dẫn cài VNeID"
    assert page.locator("input[name=key]").input_value() == key
    page.get_by_role("button", name="Lưu lượt hỗ trợ").click()
    page.wait_for_url("**?luu=*")
    assert "Đã ghi nhận lượt hỗ trợ" in page.locator(".messages").inner_text()
    # Sent again (the draft of a page that never heard back): still one visit.
    page.evaluate("""key => localStorage.setItem('motcua.visit-draft', JSON.stringify(
        {key: key, fields: {key: [key], household: [''], people_helped: ['1']}}))""", key)
    page.goto(site + "/to-cong-nghe-so/ghi-nhan/")
    page.get_by_role("button", name="Lưu lượt hỗ trợ").click()
    page.wait_for_url("**?luu=*")
    assert "không ghi hai lần" in page.locator(".messages").inner_text()
    assert visits_of(page, site, address) == before + 1
    page.goto(site + "/to-cong-nghe-so/ghi-nhan/")
    assert not page.locator("#visit-draft-note").is_visible()
    context.close()


def test_the_citizen_page_for_help_passes_axe(site, phone):
    login(phone, site, CITIZEN)
    phone.goto(site + "/to-cong-nghe-so/duoc-ho-tro/")
    serious = [v for v in axe_violations(phone) if v["impact"] in {"serious", "critical"}]
    assert serious == [], serious


OFFICIAL_PAGES = [("vietri.chutich", "/to-cong-nghe-so/xa/07900/"),
                  ("vietri.chutich", "/to-cong-nghe-so/xa/07900/bang-ke/"),
                  ("vietri.motcua", "/to-cong-nghe-so/quay/"),
                  ("sokhcn.cv", "/to-cong-nghe-so/tong-hop/"),
                  ("sokhcn.cv", "/to-cong-nghe-so/tap-huan/")]


@pytest.mark.parametrize(("who", "path"), OFFICIAL_PAGES)
def test_the_officials_pages_pass_axe(site, desktop, who, path):
    login(desktop, site, (who, "Canbo@2026"))
    desktop.goto(site + path)
    serious = [v for v in axe_violations(desktop) if v["impact"] in {"serious", "critical"}]
    assert serious == [], serious
    if path.endswith("/xa/07900/"):
        assert desktop.locator("#villages-without-team li").all_inner_texts() == [
            "Tổ dân phố 7", "Tổ dân phố 8"]
