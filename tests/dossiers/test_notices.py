"""The official notices (forms 01–06): each is a valid A4 PDF that reads back, Vietnamese
included, with the fields of its form, inside the margins of Nghị định 30; the receipt's QR
code scans to the tracking page; file names carry no personal data.

The story: Nguyễn Thị Hường registers her baby's birth at the one-stop desk of Phường Việt Trì
on Tuesday 24/11/2026 at 08:30; Lê Thu Trang receives it; it is due on Friday 27/11/2026."""

import datetime as dt
import io
import re
import unicodedata
from types import SimpleNamespace

import numpy as np
import pytest
import segno
import zxingcpp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from pypdf.generic import ContentStream
from reportlab.lib.units import mm

from motcua.core.pdf import FONTS_DIR
from motcua.dossiers import notices
from motcua.dossiers.models import Status, Timeliness
from motcua.geo.models import Agency

from .factories import (
    AttachmentFactory,
    DossierEventFactory,
    DossierFactory,
    DossierStepFactory,
    OfficialFactory,
    ProcedureVersionFactory,
    RequiredDocumentFactory,
    local,
)

pytestmark = pytest.mark.django_db

APPLICANT = "Nguyễn Thị Hường"
RECEIVER = "Lê Thu Trang"
SPECIALIST = "Phạm Văn Đức"
LEADER = "Hoàng Minh Tuấn"
A4 = (595.28, 841.89)


# --- reading PDFs back -----------------------------------------------------------------------

def pdf_text(content: bytes) -> str:
    """All the text of a PDF, whitespace collapsed (a line break inside a wrapped sentence is
    a space)."""
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def drawn_qr_matrices(content: bytes) -> list[list[list[int]]]:
    """The QR codes drawn in a PDF, as module matrices read from the squares of their form
    XObjects (one unit per module, row 0 at the top)."""
    reader = PdfReader(io.BytesIO(content))
    matrices = []
    for page in reader.pages:
        for reference in page["/Resources"].get("/XObject", {}).values():
            form = reference.get_object()
            if form["/Subtype"] != "/Form":
                continue
            size = int(float(form["/BBox"][2]))
            grid = [[0] * size for _ in range(size)]
            for operands, operator in ContentStream(form, reader).operations:
                if operator == b"re":
                    x, y, width, height = (round(float(v)) for v in operands)
                    for row in range(y, y + height):
                        for column in range(x, x + width):
                            grid[size - 1 - row][column] = 1
            matrices.append(grid)
    return matrices


def qr_decode(matrix: list[list[int]]) -> list[str]:
    """Scan a module matrix as a camera would see it: 4 px per module, quiet zone, black
    on white, decoded by ZXing."""
    image = np.kron(np.pad(np.array(matrix, dtype=np.uint8), 4),
                    np.ones((4, 4), dtype=np.uint8))
    return [r.text for r in zxingcpp.read_barcodes(((1 - image) * 255).astype(np.uint8))]


def text_boxes(content: bytes) -> list[tuple[float, float, float, str]]:
    """(x, baseline y, font size, text) of every piece of text on every page."""
    boxes = []
    for page in PdfReader(io.BytesIO(content)).pages:
        def visit(text, cm, tm, font, size, boxes=boxes):
            if text.strip():
                x = cm[0] * tm[4] + cm[2] * tm[5] + cm[4]
                y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
                boxes.append((x, y, size * cm[3], text))
        page.extract_text(visitor_text=visit)
    return boxes


# --- the story -------------------------------------------------------------------------------

@pytest.fixture
def case():
    """A birth registration received in person, in processing, with its documents, the
    intake event and two steps (the first handed on early)."""
    version = ProcedureVersionFactory(name="Thủ tục đăng ký khai sinh", processing_time=3)
    RequiredDocumentFactory(version=version, key="to-khai", position=0,
                            name="Tờ khai đăng ký khai sinh theo mẫu", form="Bản chính")
    RequiredDocumentFactory(version=version, key="giay-chung-sinh", position=1,
                            name="Giấy chứng sinh", form="Bản sao chứng thực")
    RequiredDocumentFactory(version=version, key="uy-quyen", position=2,
                            name="Văn bản ủy quyền", mandatory=False)
    dossier = DossierFactory(procedure_version=version, status=Status.PROCESSING,
                             code="048.00.00.H43-261124-0007")
    AttachmentFactory(dossier=dossier, document_key="giay-chung-sinh")
    AttachmentFactory(dossier=dossier, document_key="to-khai")
    AttachmentFactory(dossier=dossier, document_key="giay-chung-sinh")
    receiver = OfficialFactory(full_name=RECEIVER)
    specialist = OfficialFactory(full_name=SPECIALIST, phone="0915222333")
    leader = OfficialFactory(full_name=LEADER)
    DossierEventFactory(dossier=dossier, actor=receiver, action="receive")
    DossierStepFactory(dossier=dossier, assigned_to=specialist, finished_by=specialist,
                       finished_at=local(2026, 11, 25, 9, 0), timeliness=Timeliness.EARLY,
                       note="Đủ điều kiện")
    DossierStepFactory(dossier=dossier, position=1, name="Phê duyệt, ký kết quả",
                       role="leader", started_at=local(2026, 11, 25, 9, 0),
                       due_at=local(2026, 11, 27, 17, 0))
    return SimpleNamespace(dossier=dossier, receiver=receiver, specialist=specialist,
                           leader=leader)


EVENTS = {
    "supplement": dict(
        action="request_supplement", actor="specialist", actor_role="specialist",
        from_status=Status.PROCESSING, to_status=Status.SUPPLEMENT, at=local(2026, 11, 25, 10),
        reason="Giấy chứng sinh bị mờ, không đọc được ngày sinh",
        data={"items": ["Bản chụp rõ nét Giấy chứng sinh",
                        "Tờ khai có chữ ký của người đi khai sinh"]}),
    "refusal": dict(
        action="refuse", actor="receiver", actor_role="receiver", from_status=Status.NEW,
        to_status=Status.REJECTED, at=local(2026, 11, 24, 9, 15),
        reason="Trẻ sinh tại nước ngoài: thủ tục thuộc thẩm quyền cơ quan khác"),
    "apology": dict(
        action="apologize", actor="leader", actor_role="leader",
        from_status=Status.PROCESSING, to_status=Status.PROCESSING,
        at=local(2026, 11, 26, 8, 0), reason="Cần xác minh thông tin với bệnh viện",
        data={"previous_due_at": "2026-11-27T17:00:00+07:00",
              "due_at": "2026-12-02T17:00:00+07:00", "before_deadline": True}),
    "stop": dict(
        action="stop", actor="leader", actor_role="leader", from_status=Status.PROCESSING,
        to_status=Status.STOPPED, at=local(2026, 11, 27, 14, 0),
        reason="Người nộp hồ sơ có văn bản đề nghị dừng giải quyết"),
}


def event_of(case, key: str, **overrides):
    spec = {"agency": case.dossier.competent_agency, **EVENTS[key], **overrides}
    spec["actor"] = getattr(case, spec["actor"])
    return DossierEventFactory(dossier=case.dossier, **spec)


def render(case, key: str, **event_overrides) -> bytes:
    form = notices.NOTICES[key]
    if form.takes_event:
        return form.render(case.dossier, event_of(case, key, **event_overrides))
    return form.render(case.dossier)


# The six forms: their title and what each must say, from the dossier and its event.
FORMS = [
    ("receipt", "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", "Việt Trì, ngày 24 tháng 11 năm 2026", [
        "Mã hồ sơ: 048.00.00.H43-261124-0007",
        "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG PHƯỜNG VIỆT TRÌ",
        f"Tiếp nhận hồ sơ của: {APPLICANT}",
        "Địa chỉ: Số 12, Tổ dân phố 3, Phường Việt Trì",
        "Số điện thoại: 0987654321", "Email: huong.nguyen@example.vn",
        "Nội dung yêu cầu giải quyết: Thủ tục đăng ký khai sinh",
        "Thời gian giải quyết hồ sơ theo quy định là: 3 ngày làm việc",
        "Thời gian nhận hồ sơ: 08:30 ngày 24/11/2026",
        "Thời gian trả kết quả giải quyết hồ sơ: 17:00 ngày 27/11/2026",
        "Đăng ký nhận kết quả tại: Trung tâm Phục vụ hành chính công Phường Việt Trì",
        "Vào Sổ theo dõi hồ sơ: số thứ tự 0007 ngày 24/11/2026",
        "NGƯỜI NỘP HỒ SƠ", "NGƯỜI TIẾP NHẬN HỒ SƠ", RECEIVER,
        "http://127.0.0.1:8000/tra-cuu/?ma=048.00.00.H43-261124-0007",
    ]),
    ("supplement", "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
     "Việt Trì, ngày 25 tháng 11 năm 2026", [
         f"Hồ sơ của: {APPLICANT}",
         "1. Bản chụp rõ nét Giấy chứng sinh",
         "2. Tờ khai có chữ ký của người đi khai sinh",
         "Lý do: Giấy chứng sinh bị mờ, không đọc được ngày sinh.",
         f"liên hệ với {SPECIALIST}, Ủy ban nhân dân Phường Việt Trì, số điện thoại 0915222333",
         "tạm dừng từ ngày 25/11/2026",
         "NGƯỜI HƯỚNG DẪN", SPECIALIST,
     ]),
    ("refusal", "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ", "Việt Trì, ngày 24 tháng 11 năm 2026", [
        "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG PHƯỜNG VIỆT TRÌ",
        f"Tiếp nhận hồ sơ của: {APPLICANT}",
        "Nội dung yêu cầu giải quyết: Thủ tục đăng ký khai sinh",
        "từ chối tiếp nhận, giải quyết hồ sơ này vì lý do sau: Trẻ sinh tại nước ngoài: thủ "
        "tục thuộc thẩm quyền cơ quan khác.",
        "NGƯỜI TIẾP NHẬN HỒ SƠ", RECEIVER,
    ]),
    ("apology", "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT",
     "Việt Trì, ngày 26 tháng 11 năm 2026", [
         f"Kính gửi: Ông/Bà {APPLICANT}",
         "Ngày 24/11/2026, Trung tâm Phục vụ hành chính công Phường Việt Trì tiếp nhận hồ sơ "
         "đề nghị Thủ tục đăng ký khai sinh của Ông/Bà.",
         "Thời hạn trả kết quả giải quyết hồ sơ: 17:00 ngày 27/11/2026.",
         "vì lý do: Cần xác minh thông tin với bệnh viện.",
         "đề nghị gia hạn thời gian giải quyết hồ sơ đến 17:00 ngày 02/12/2026.",
         "THỦ TRƯỞNG CƠ QUAN", LEADER,
     ]),
    ("stop", "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ", "Việt Trì, ngày 27 tháng 11 năm 2026", [
        f"Kính gửi: Ông/Bà {APPLICANT}",
        "Ủy ban nhân dân Phường Việt Trì thông báo dừng giải quyết hồ sơ sau",
        "Ngày tiếp nhận: 24/11/2026",
        "Lý do dừng giải quyết: Người nộp hồ sơ có văn bản đề nghị dừng giải quyết.",
        "Thời điểm dừng giải quyết: 14:00 ngày 27/11/2026",
        "THỦ TRƯỞNG CƠ QUAN", LEADER,
    ]),
    ("control_sheet", "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
     "Việt Trì, ngày 24 tháng 11 năm 2026", [
         f"Hồ sơ của: {APPLICANT}",
         "Cơ quan giải quyết hồ sơ: Ủy ban nhân dân Phường Việt Trì",
         "Thời gian hẹn trả kết quả: 17:00 ngày 27/11/2026",
         "Thẩm định hồ sơ", "Phê duyệt, ký kết quả", "Trước hạn", "Đang giải quyết",
     ]),
]
FORM_KEYS = [key for key, *_ in FORMS]


def test_the_registry_holds_the_six_forms_in_order():
    assert list(notices.NOTICES) == FORM_KEYS
    assert [f.number for f in notices.NOTICES.values()] == ["01", "02", "03", "04", "05", "06"]


@pytest.mark.parametrize(("key", "title", "date_line", "expected"), FORMS, ids=FORM_KEYS)
def test_notice_is_an_a4_pdf_saying_what_its_form_says(case, key, title, date_line, expected):
    content = render(case, key)
    reader = PdfReader(io.BytesIO(content))
    text = pdf_text(content)

    assert content.startswith(b"%PDF-")
    assert [round(float(v), 2) for v in reader.pages[0].mediabox[2:]] == list(A4)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert title in text
    assert date_line in text
    assert "048.00.00.H43-261124-0007" in text
    assert APPLICANT in text
    for phrase in expected:
        assert phrase in text, phrase


@pytest.mark.parametrize("key", FORM_KEYS)
def test_notice_embeds_the_bundled_dejavu_fonts_only(case, key):
    reader = PdfReader(io.BytesIO(render(case, key)))
    fonts = {font.get_object()["/BaseFont"].split("+")[-1]
             for page in reader.pages
             for font in page["/Resources"]["/Font"].values()}
    assert fonts <= {"DejaVuSans", "DejaVuSans-Bold"}
    assert "DejaVuSans" in fonts


@pytest.mark.parametrize("key", FORM_KEYS)
def test_notice_text_stays_inside_the_margins_of_decree_30(case, key):
    boxes = text_boxes(render(case, key))
    assert boxes
    for x, y, size, text in boxes:
        assert x >= 30 * mm - 0.5, text
        assert y >= 20 * mm - 0.5, text
        assert y + size <= A4[1] - 20 * mm + 0.5, text


@pytest.mark.parametrize("key", FORM_KEYS)
def test_notice_file_name_names_the_form_and_code_and_nobody(case, key):
    dossier = case.dossier
    name = notices.NOTICES[key].filename(dossier)
    assert re.fullmatch(r"[a-z-]+-048\.00\.00\.H43-261124-0007\.pdf", name)
    for personal in (dossier.applicant_name, "nguyen", "huong", dossier.applicant_phone,
                     dossier.applicant_national_id, dossier.applicant_email):
        assert personal.lower() not in name.lower()


# --- 01 receipt ------------------------------------------------------------------------------

def test_receipt_qr_code_scans_to_the_public_tracking_page(case):
    content = notices.receipt_pdf(case.dossier)
    url = "http://127.0.0.1:8000/tra-cuu/?ma=048.00.00.H43-261124-0007"
    [matrix] = drawn_qr_matrices(content)
    assert qr_decode(matrix) == [url]
    assert matrix == [list(row) for row in segno.make_qr(url, error="m").matrix]
    assert url in pdf_text(content)


def test_receipt_tracking_link_follows_the_site_url_setting(case, settings):
    settings.SITE_URL = "https://dichvucong.phutho.gov.vn"
    content = notices.receipt_pdf(case.dossier)
    url = "https://dichvucong.phutho.gov.vn/tra-cuu/?ma=048.00.00.H43-261124-0007"
    [matrix] = drawn_qr_matrices(content)
    assert qr_decode(matrix) == [url]
    assert url in pdf_text(content)


def test_receipt_lists_each_document_received_with_its_form_and_quantity(case):
    text = pdf_text(notices.receipt_pdf(case.dossier))
    # In the procedure's order; the optional power of attorney was not brought.
    assert "1 Tờ khai đăng ký khai sinh theo mẫu Bản chính 01" in text
    assert "2 Giấy chứng sinh Bản sao chứng thực 02" in text
    assert "Văn bản ủy quyền" not in text


def test_receipt_counts_files_for_documents_the_procedure_no_longer_lists(case):
    AttachmentFactory(dossier=case.dossier, document_key="giay-to-cu")
    assert "3 Giấy tờ khác 01" in pdf_text(notices.receipt_pdf(case.dossier))


def test_receipt_of_an_online_dossier_with_electronic_result_offers_it_online(case):
    dossier = case.dossier
    dossier.channel = "online"
    dossier.procedure_version.result_electronic = True
    dossier.procedure_version.online_processing_time = 2
    text = pdf_text(notices.receipt_pdf(dossier))
    assert "2 ngày làm việc" in text
    assert "hoặc nhận kết quả điện tử trên Cổng Dịch vụ công" in text


def test_receipt_shows_local_time_of_a_dossier_received_just_after_midnight_utc(case):
    dossier = case.dossier
    dossier.received_at = dt.datetime(2026, 11, 23, 17, 30, tzinfo=dt.UTC)
    text = pdf_text(notices.receipt_pdf(dossier))
    assert "Thời gian nhận hồ sơ: 00:30 ngày 24/11/2026" in text


def test_a_dossier_not_yet_received_has_no_receipt_nor_control_sheet(case):
    draft = DossierFactory(status=Status.NEW, code="048.00.00.H43-261124-0008",
                           received_at=None, due_at=None)
    for render_form in (notices.receipt_pdf, notices.control_sheet_pdf):
        with pytest.raises(notices.NoticeUnavailable) as raised:
            render_form(draft)
        assert raised.value.code == "not_received"
        assert "chưa được tiếp nhận" in raised.value.message


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    name=st.text(alphabet="aàảãáạăằẳẵắặâầẩẫấậđeèẻẽéẹêềểễếệiìỉĩíịoòỏõóọôồổỗốộơờởỡớợuùủũúụư"
                          "ừửữứựyỳỷỹýỵAĂÂĐEÊIOÔƠUƯYÀẢÃÁẠẰẲẴẮẶẦẨẪẤẬỀỂỄẾỆỒỔỖỐỘỜỞỠỚỢỪỬỮỨỰ"
                          " <>&\"'", min_size=1, max_size=28).filter(str.strip),
    decomposed=st.booleans(),
)
def test_any_vietnamese_name_prints_as_typed_and_markup_stays_text(case, name, decomposed):
    dossier = case.dossier
    dossier.applicant_name = unicodedata.normalize("NFD" if decomposed else "NFC", name)
    text = pdf_text(notices.receipt_pdf(dossier))
    expected = " ".join(unicodedata.normalize("NFC", name).split())
    assert f"Tiếp nhận hồ sơ của: {expected}" in text


# --- 02–05 -----------------------------------------------------------------------------------

def test_supplement_asked_by_the_desk_comes_from_the_desk_and_does_not_stop_the_clock(case):
    event = event_of(case, "supplement", actor="receiver", actor_role="receiver",
                     from_status=Status.NEW, agency=case.dossier.receiving_agency, data={})
    text = pdf_text(notices.supplement_request_pdf(case.dossier, event))
    assert "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG PHƯỜNG VIỆT TRÌ" in text
    assert "Theo lý do nêu dưới đây." in text
    assert "tạm dừng" not in text
    # No phone of her own: the desk's.
    assert f"liên hệ với {RECEIVER}" in text


def test_stop_notice_of_a_provincial_department_is_headed_and_placed_as_its_documents(case):
    department = Agency.objects.get(name="Sở Tư pháp tỉnh Phú Thọ")
    content = notices.stop_notice_pdf(case.dossier, event_of(case, "stop", agency=department))
    text = pdf_text(content)
    # Nghị định 30: the governing body above the issuing one; the province as the place.
    assert "ỦY BAN NHÂN DÂN TỈNH PHÚ THỌ SỞ TƯ PHÁP TỈNH PHÚ THỌ" in text
    assert "Phú Thọ, ngày 27 tháng 11 năm 2026" in text


def test_apology_signed_by_a_specialist_leaves_the_head_s_name_to_be_written(case):
    content = notices.apology_pdf(case.dossier, event_of(case, "apology", actor="specialist",
                                                         actor_role="specialist"))
    text = pdf_text(content)
    assert "THỦ TRƯỞNG CƠ QUAN" in text
    assert SPECIALIST not in text


@pytest.mark.parametrize("key", ["supplement", "refusal", "apology", "stop"])
def test_event_notice_refuses_an_event_that_does_not_call_for_it(case, key):
    forward = DossierEventFactory(dossier=case.dossier, action="forward")
    with pytest.raises(notices.NoticeUnavailable) as raised:
        notices.NOTICES[key].render(case.dossier, forward)
    assert raised.value.code == "wrong_event"


# --- 06 control sheet ------------------------------------------------------------------------

def test_control_sheet_lists_each_step_in_order_with_its_timeliness(case):
    dossier = case.dossier
    dossier.steps.all().delete()
    rows = [
        ("Thẩm định hồ sơ", Timeliness.EARLY, "Trước hạn"),
        ("Phối hợp xử lý", Timeliness.ON_TIME, "Đúng hạn"),
        ("Phê duyệt, ký kết quả", Timeliness.LATE, "Quá hạn"),
        ("Trả kết quả", "", "Đang giải quyết"),
    ]
    police = Agency.objects.get(name="Công an Phường Việt Trì")
    for day, (name, timeliness, _label) in enumerate(rows):
        DossierStepFactory(
            dossier=dossier, position=day, name=name,
            agency=police if name == "Phối hợp xử lý" else dossier.competent_agency,
            started_at=local(2026, 11, 24 + day, 9), due_at=local(2026, 11, 24 + day, 16),
            finished_at=local(2026, 11, 24 + day, 15) if timeliness else None,
            finished_by=case.specialist if timeliness else None, timeliness=timeliness)
    text = pdf_text(notices.control_sheet_pdf(dossier))

    position = 0
    for name, _timeliness, label in rows:
        position = text.index(name, position)
        position = text.index(label, position)
    assert "Cơ quan phối hợp giải quyết hồ sơ: Công an Phường Việt Trì" in text
    # The first step was handed over by the officer who received the dossier.
    assert f"Người giao: {RECEIVER}" in text


def test_long_control_sheet_continues_with_its_column_headings_and_a_page_number(case):
    for index in range(2, 40):
        DossierStepFactory(dossier=case.dossier, position=index, name=f"Bước số {index}",
                           started_at=local(2026, 11, 25, 9, 0),
                           due_at=local(2026, 11, 26, 9, 0))
    reader = PdfReader(io.BytesIO(notices.control_sheet_pdf(case.dossier)))
    assert len(reader.pages) >= 2
    second = " ".join(reader.pages[1].extract_text().split())
    assert "Bước xử lý, cơ quan" in second
    assert second.startswith("2 ")
    assert "Bước số 39" in pdf_text(
        notices.control_sheet_pdf(case.dossier))


# --- from an event to its notice -------------------------------------------------------------

@pytest.mark.parametrize(("action", "prefix", "title"), [
    ("receive", "giay-tiep-nhan", "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"),
    ("accept", "giay-tiep-nhan", "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"),
    ("request_supplement", "phieu-yeu-cau-bo-sung", "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ"),
    ("refuse", "phieu-tu-choi-tiep-nhan", "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ"),
    ("apologize", "van-ban-xin-loi", "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN"),
    ("stop", "thong-bao-dung-giai-quyet", "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ"),
])
def test_notice_for_event_gives_the_form_the_event_issued(case, action, prefix, title):
    key = next((k for k, spec in EVENTS.items() if spec["action"] == action), None)
    if key:
        event = event_of(case, key)
    else:
        event = DossierEventFactory(dossier=case.dossier, actor=case.receiver, action=action)
    filename, content = notices.notice_for_event(event)
    assert filename == f"{prefix}-048.00.00.H43-261124-0007.pdf"
    assert title in pdf_text(content)


@pytest.mark.parametrize("action", ["forward", "form_saved", "start", "approve", "rate"])
def test_events_that_issue_no_notice_give_none(case, action):
    event = DossierEventFactory(dossier=case.dossier, action=action)
    assert notices.notice_for_event(event) is None


# --- plain rules -----------------------------------------------------------------------------

@pytest.mark.parametrize(("unit", "day", "line"), [
    ("Tỉnh Phú Thọ", dt.date(2026, 11, 24), "Phú Thọ, ngày 24 tháng 11 năm 2026"),
    ("Phường Việt Trì", dt.date(2026, 2, 5), "Việt Trì, ngày 05 tháng 02 năm 2026"),
    ("Xã Thanh Sơn", dt.date(2026, 1, 10), "Thanh Sơn, ngày 10 tháng 01 năm 2026"),
    ("Thành phố Hà Nội", dt.date(2026, 3, 9), "Hà Nội, ngày 09 tháng 3 năm 2026"),
    ("Đặc khu Phú Quốc", dt.date(2026, 12, 31), "Phú Quốc, ngày 31 tháng 12 năm 2026"),
    # A unit named by a number keeps its kind (Nghị định 30).
    ("Phường 2 Bảo Lộc", dt.date(2026, 7, 1), "Phường 2 Bảo Lộc, ngày 01 tháng 7 năm 2026"),
])
def test_place_and_date_line_follows_decree_30(unit, day, line):
    assert notices.place_and_date(SimpleNamespace(name=unit), day) == line


def test_date_line_is_the_local_day_of_a_utc_time():
    late_evening_utc = dt.datetime(2026, 11, 23, 18, 0, tzinfo=dt.UTC)
    assert notices.place_and_date(SimpleNamespace(name="Tỉnh Phú Thọ"), late_evening_utc) == \
        "Phú Thọ, ngày 24 tháng 11 năm 2026"


def test_the_font_and_its_licence_ship_together():
    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "LICENSE", "README.md"):
        assert (FONTS_DIR / name).is_file()
    assert "bitstream-vera" in (FONTS_DIR / "LICENSE").read_text()
