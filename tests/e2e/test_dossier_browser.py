"""A dossier from the first click to the returned result, in the browser, as the people of
Phường Việt Trì do it: Nguyễn Văn An on his phone, the desk officer, the justice specialist
and the chairman on their office PCs. Then a supplement request, and a refusal."""

import io
import re

import pytest

from .conftest import axe_violations

pytestmark = pytest.mark.browser

CITIZEN = ("025080001234", "Motcua@2026")
RECEIVER = ("vietri.motcua", "Canbo@2026")
SPECIALIST = ("vietri.tuphap", "Canbo@2026")
LEADER = ("vietri.chutich", "Canbo@2026")
CODE_RE = re.compile(r"\d{3}\.\d{2}\.\d{2}\.H\d{2}-\d{6}-\d{4}")


def pdf_file(tmp_path, name="giay-to.pdf"):
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, "Ban chup giay to")
    page.showPage()
    page.save()
    path = tmp_path / name
    path.write_bytes(buffer.getvalue())
    return path


def login(page, site, who):
    page.goto(site + "/dang-nhap/")
    page.get_by_label("Số định danh cá nhân").fill(who[0])
    page.get_by_label("Mật khẩu").fill(who[1])
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state()


def new_page(browser, *, phone=False):
    if phone:
        context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True,
                                      has_touch=True, locale="vi-VN")
    else:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    return context.new_page()


def submit_marital_status_certificate(browser, site, tmp_path) -> str:
    """Nguyễn Văn An asks online for a certificate of marital status; returns the code."""
    page = new_page(browser, phone=True)
    login(page, site, CITIZEN)
    page.goto(site + "/thu-tuc/1.004873/")
    page.get_by_role("link", name="Nộp trực tuyến").click()
    page.get_by_role("button", name="Bắt đầu").click()
    # Step 1: what his account already says is filled in; only the sex is asked.
    assert page.locator(".progress").inner_text() == "Bước 1/7"
    assert page.get_by_label("Số định danh cá nhân").input_value() == "025080001234"
    page.get_by_label("Nam", exact=True).check()
    page.get_by_role("button", name="Tiếp tục").click()
    assert page.locator(".progress").inner_text() == "Bước 2/7"
    page.get_by_role("button", name="Tiếp tục").click()
    page.get_by_label("Chưa đăng ký kết hôn với ai", exact=True).check()
    page.get_by_role("button", name="Tiếp tục").click()
    page.get_by_label("Để đăng ký kết hôn").check()
    page.get_by_label("Nơi sử dụng giấy xác nhận").fill("Ủy ban nhân dân xã Thanh Sơn")
    page.get_by_role("button", name="Tiếp tục").click()
    page.locator("input[name=declaration]").check()
    page.get_by_role("button", name="Tiếp tục").click()
    # Documents: a phone photo or a PDF for each one still needed.
    page.wait_for_url("**/giay-to/")
    # The page sends each file in pieces (resumable upload), then posts the form.
    while page.locator("section.doc:has(.tag-late)").count():
        section = page.locator("section.doc:has(.tag-late)").first
        section.locator("input[type=file]").set_input_files(str(pdf_file(tmp_path)))
        with page.expect_navigation():
            section.get_by_role("button", name=re.compile("^Tải lên")).click()
    assert page.locator(".tag-late").count() == 0
    page.get_by_role("link", name="Tiếp tục").click()
    page.get_by_role("button", name="Nộp hồ sơ").click()
    page.wait_for_url("**/ho-so/*/")
    code = CODE_RE.search(page.locator(".code-big").inner_text()).group(0)
    assert "Mới đăng ký" in page.content()
    page.context.close()
    return code


def act(browser, site, who, code, action, label, *, reason=None, items=None):
    page = new_page(browser)
    login(page, site, who)
    page.goto(f"{site}/can-bo/ho-so/{code}/")
    form = page.locator(f"#act-{action}")
    if reason is not None:
        form.get_by_label("Lý do (người nộp sẽ đọc)").fill(reason)
    if items is not None:
        form.locator("textarea[name=items]").fill("\n".join(items))
    form.get_by_role("button", name=label, exact=True).click()
    page.wait_for_load_state()
    assert "Đã thực hiện" in page.content(), page.content()
    return page


def notice_links(page, site, code):
    page.goto(f"{site}/can-bo/ho-so/{code}/")
    return {a.inner_text(): a.get_attribute("href")
            for a in page.locator("a[href*='/giay/'], a[href*='phieu-kiem-soat']").all()}


def fetch_pdf(page, site, href):
    response = page.request.get(site + href)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
    return response.body()


def history(page, site, code):
    page.goto(f"{site}/can-bo/ho-so/{code}/")
    return page.locator("ol.timeline").inner_text()


def test_submit_accept_process_forward_approve_return_rate(site, browser, tmp_path):
    code = submit_marital_status_certificate(browser, site, tmp_path)

    desk = act(browser, site, RECEIVER, code, "accept", "Tiếp nhận")
    links = notice_links(desk, site, code)
    fetch_pdf(desk, site, links["Giấy tiếp nhận hồ sơ và hẹn trả kết quả"])
    desk.context.close()

    act(browser, site, SPECIALIST, code, "start", "Nhận xử lý").context.close()
    act(browser, site, SPECIALIST, code, "forward", "Chuyển tiếp").context.close()
    act(browser, site, LEADER, code, "approve", "Phê duyệt, ký").context.close()
    desk = act(browser, site, RECEIVER, code, "return_result", "Trả kết quả")
    fetch_pdf(desk, site, notice_links(desk, site, code)[
        "Phiếu kiểm soát quá trình giải quyết hồ sơ"])
    events = history(desk, site, code)
    desk.context.close()

    citizen = new_page(browser, phone=True)
    login(citizen, site, CITIZEN)
    citizen.goto(site + "/ho-so/")
    citizen.get_by_role("link", name="Thủ tục cấp Giấy xác nhận tình trạng hôn nhân").first.click()
    assert "Đã trả kết quả" in citizen.content()
    citizen.get_by_label("Rất hài lòng").check()
    citizen.get_by_role("button", name="Gửi đánh giá").click()
    assert "Cảm ơn bạn đã đánh giá" in citizen.content()
    serious = [v for v in axe_violations(citizen) if v["impact"] in {"serious", "critical"}]
    assert serious == []
    citizen.context.close()

    for action in ("submit", "accept", "start", "forward", "approve", "return_result"):
        assert action in events, action


def test_supplement_request_and_answer(site, browser, tmp_path):
    code = submit_marital_status_certificate(browser, site, tmp_path)
    act(browser, site, RECEIVER, code, "accept", "Tiếp nhận").context.close()
    act(browser, site, SPECIALIST, code, "start", "Nhận xử lý").context.close()
    specialist = act(browser, site, SPECIALIST, code, "request_supplement",
                     "Yêu cầu bổ sung",
                     reason="Ảnh tờ khai bị mờ, không đọc được chữ ký",
                     items=["Tờ khai chụp lại rõ nét"])
    links = notice_links(specialist, site, code)
    fetch_pdf(specialist, site, links["Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"])
    specialist.context.close()

    citizen = new_page(browser, phone=True)
    login(citizen, site, CITIZEN)
    citizen.goto(site + "/ho-so/")
    citizen.get_by_role("link", name="Thủ tục cấp Giấy xác nhận tình trạng hôn nhân").first.click()
    assert "Tờ khai chụp lại rõ nét" in citizen.content()
    citizen.get_by_role("link", name="Đính kèm giấy tờ được yêu cầu").click()
    first = citizen.locator("section.doc").first
    first.locator("input[type=file]").set_input_files(str(pdf_file(tmp_path, "to-khai.pdf")))
    with citizen.expect_navigation():
        first.get_by_role("button", name=re.compile("^Tải lên")).click()
    citizen.get_by_role("link", name="Quay lại hồ sơ để gửi bổ sung").click()
    citizen.get_by_role("button", name="Gửi bổ sung").click()
    assert "Đã gửi" in citizen.content()
    assert "Đang xử lý" in citizen.content()
    citizen.context.close()

    page = new_page(browser)
    login(page, site, SPECIALIST)
    events = history(page, site, code)
    assert "request_supplement" in events and "supplement" in events
    page.context.close()


def test_refusal_with_a_written_reason(site, browser, tmp_path):
    code = submit_marital_status_certificate(browser, site, tmp_path)
    desk = new_page(browser)
    login(desk, site, RECEIVER)
    desk.goto(f"{site}/can-bo/?hang=intake")
    assert code in desk.content()
    desk.goto(f"{site}/can-bo/ho-so/{code}/")
    form = desk.locator("#act-refuse")
    form.get_by_label("Lý do (người nộp sẽ đọc)").fill("Thủ tục không thuộc thẩm quyền của phường")
    form.get_by_role("button", name="Từ chối tiếp nhận", exact=True).click()
    assert "Đã thực hiện" in desk.content()
    links = notice_links(desk, site, code)
    fetch_pdf(desk, site, links["Phiếu từ chối tiếp nhận giải quyết hồ sơ"])
    assert "refuse" in history(desk, site, code)
    desk.context.close()

    tracking = new_page(browser, phone=True)
    tracking.goto(f"{site}/tra-cuu/?ma={code}&kiem-tra=1234")
    assert "Không được tiếp nhận" in tracking.content()
    tracking.context.close()
