"""The messages: every template renders in Vietnamese; an SMS is always one plain-ASCII segment
of at most 160 characters, whatever the procedure name or the reason."""

import datetime as dt
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from motcua.demo.catalogue import demo_records
from motcua.notifications.rendering import (
    SMS_MAX_CHARS,
    TEMPLATES,
    NotificationError,
    context_check,
    message_render,
    sms_fold,
)

from .conftest import CODE, LOCAL

# Printable ASCII without the characters that cost two in the GSM 7-bit alphabet ([]{}\|~^)
# or that it lacks (`): what one 160-character SMS carries on every route.
GSM_SAFE = re.compile(r"^[ !-Z_a-z]*$")
GSM_SAFE_CHARS = re.compile(r"^[^\[\]{}\\|~^`]*$")

AT = dt.datetime(2026, 2, 11, 9, 30, tzinfo=LOCAL)
REALISTIC = {
    "dossier_code": CODE,
    "procedure_name": "Đăng ký khai sinh",
    "applicant_name": "Nguyễn Thị Hoa",
    "tracking_url": f"https://dichvucong.phutho.gov.vn/tra-cuu/{CODE}",
    "submitted_at": AT,
    "received_at": AT,
    "returned_at": dt.datetime(2026, 2, 23, 14, 5, tzinfo=LOCAL),
    "appointment_date": dt.date(2026, 2, 23),
    "new_appointment_date": dt.date(2026, 2, 26),
    "desk_name": "Bộ phận Một cửa UBND xã Thanh Sơn",
    "agency_name": "UBND xã Thanh Sơn",
    "reason": "Tờ khai chưa có chữ ký của người đi đăng ký",
    "items": ["Tờ khai đăng ký khai sinh có chữ ký", "Giấy chứng sinh (bản chính)"],
    "contact": "Chị Lan, công chức tư pháp - hộ tịch, 0210 3855 123",
    "collect_how": "Nhận tại Bộ phận Một cửa UBND xã Thanh Sơn, giờ hành chính",
    "result_name": "Giấy khai sinh (bản chính)",
    "step_name": "Thẩm định hồ sơ",
    "due_at": dt.datetime(2026, 2, 20, 16, 30, tzinfo=LOCAL),
    "official_name": "Trần Văn Minh",
    "work_url": "https://motcua.phutho.gov.vn/mot-cua/ho-so/1024/",
}

# What each email must say, in Vietnamese, beyond the dossier code.
EMAIL_SAYS = {
    "dossier_submitted": ["Đã nộp hồ sơ", "đã được nộp lúc 09:30 11/02/2026"],
    "dossier_received": ["đã được tiếp nhận", "Ngày hẹn trả kết quả: 23/02/2026",
                         "Bộ phận Một cửa UBND xã Thanh Sơn tiếp nhận lúc 09:30 11/02/2026",
                         "Tra cứu hồ sơ trên mạng tại: https://dichvucong.phutho.gov.vn"],
    "dossier_refused": ["không được tiếp nhận",
                        "Lý do: Tờ khai chưa có chữ ký của người đi đăng ký"],
    "supplement_requested": ["cần bổ sung", "- Tờ khai đăng ký khai sinh có chữ ký",
                             "- Giấy chứng sinh (bản chính)", "toàn bộ những nội dung",
                             "Cần hướng dẫn, xin liên hệ: Chị Lan"],
    "dossier_processing": ["đang được UBND xã Thanh Sơn giải quyết",
                           "Ngày hẹn trả kết quả: 23/02/2026"],
    "dossier_apology": ["xin lỗi", "không có vào ngày 23/02/2026",
                        "Ngày hẹn trả kết quả mới: 26/02/2026", "Lý do: Tờ khai"],
    "dossier_resolved": ["đã có kết quả", "Giấy khai sinh (bản chính)",
                         "Cách nhận kết quả: Nhận tại Bộ phận Một cửa"],
    "dossier_returned": ["đã trả kết quả", "đã được trả lúc 14:05 23/02/2026"],
    "dossier_withdrawn": ["đã được rút", "Nếu ông/bà không đề nghị rút hồ sơ"],
    "dossier_stopped": ["dừng giải quyết", "Lý do: Tờ khai"],
    "step_due_soon": ["Sắp đến hạn 16:30 20/02/2026", "Kính gửi ông/bà Trần Văn Minh",
                      "Bước “Thẩm định hồ sơ”", "Mở hồ sơ: https://motcua.phutho.gov.vn"],
}
# And each SMS, without diacritics.
SMS_SAYS = {
    "dossier_submitted": ["da duoc nop luc 09:30 11/02/2026"],
    "dossier_received": ["da duoc tiep nhan", "23/02/2026", "Tra cuu: https://dichvucong"],
    "dossier_refused": ["khong duoc tiep nhan", "Ly do: To khai chua co chu ky"],
    "supplement_requested": ["can bo sung: To khai dang ky khai sinh co chu ky; Giay chung"],
    "dossier_processing": ["dang duoc giai quyet"],
    "dossier_apology": ["Xin loi", "26/02/2026", "Ly do: To khai"],
    "dossier_resolved": ["da co ket qua", "Cach nhan ket qua: Nhan tai Bo phan Mot cua"],
    "dossier_returned": ["da duoc tra"],
    "dossier_withdrawn": ["da duoc rut"],
    "dossier_stopped": ["dung giai quyet", "Ly do: To khai"],
    "step_due_soon": ["buoc Tham dinh ho so den han luc 16:30 20/02/2026"],
}


def full_context(template: str, **changes) -> dict:
    context = {key: REALISTIC[key] for key in TEMPLATES[template].keys}
    context.update(changes)
    return context_check(template=template, context=context)


def required_context(template: str) -> dict:
    return {key: REALISTIC[key] for key in TEMPLATES[template].required}


def test_every_template_has_its_checks():
    assert set(TEMPLATES) == set(EMAIL_SAYS) == set(SMS_SAYS) == {
        "dossier_submitted", "dossier_received", "dossier_refused", "supplement_requested",
        "dossier_processing", "dossier_apology", "dossier_resolved", "dossier_returned",
        "dossier_withdrawn", "dossier_stopped", "step_due_soon",
    }


@pytest.mark.parametrize("template", sorted(TEMPLATES))
def test_every_email_renders_in_vietnamese_with_diacritics(template):
    email = message_render(template=template, context=full_context(template),
                           channel="email", language="vi")
    assert CODE in email.subject and "\n" not in email.subject
    assert f"Mã hồ sơ: {CODE}" in email.body
    assert "Kính gửi ông/bà" in email.body
    assert "Cổng Dịch vụ công gửi tự động" in email.body
    for fragment in EMAIL_SAYS[template]:
        assert fragment in email.subject + "\n" + email.body, fragment
    # Nothing left in English, no template syntax, no HTML escaping of plain text.
    for leftover in ("Dossier", "Dear", "Please", "{{", "{%", "%(", "&amp;", "&#"):
        assert leftover not in email.body, leftover
    assert "\n\n\n" not in email.body


@pytest.mark.parametrize("template", sorted(TEMPLATES))
def test_every_template_renders_with_only_its_required_keys(template):
    context = context_check(template=template, context=required_context(template))
    email = message_render(template=template, context=context, channel="email", language="vi")
    sms = message_render(template=template, context=context, channel="sms", language="vi")
    assert CODE in email.body and CODE in sms.body
    assert "Kính gửi ông/bà," in email.body
    assert "None" not in email.body + sms.body


@pytest.mark.parametrize("template", sorted(TEMPLATES))
def test_every_sms_is_plain_ascii_within_160_characters(template):
    sms = message_render(template=template, context=full_context(template),
                         channel="sms", language="vi")
    assert sms.subject == ""
    assert len(sms.body) <= SMS_MAX_CHARS
    assert GSM_SAFE.match(sms.body), sms.body
    assert CODE in sms.body
    for fragment in SMS_SAYS[template]:
        assert fragment in sms.body, (fragment, sms.body)


def test_english_is_rendered_when_the_recipient_reads_english():
    context = full_context("dossier_received")
    email = message_render(template="dossier_received", context=context, channel="email",
                           language="en")
    assert email.subject == f"Dossier {CODE} has been received; results due on 23/02/2026"
    assert email.body.startswith("Dear Nguyễn Thị Hoa,")
    assert "The results are due on 23/02/2026." in email.body


def test_plain_text_values_are_not_html_escaped():
    reason = 'Thiếu "Giấy chứng sinh" & tờ khai <bản chính>'
    context = full_context("dossier_refused", reason=reason)
    email = message_render(template="dossier_refused", context=context, channel="email",
                           language="vi")
    assert 'Lý do: Thiếu "Giấy chứng sinh" & tờ khai <bản chính>' in email.body


def test_a_subject_stays_within_its_column_even_for_a_very_long_step_name():
    step = "Thẩm định, xác minh thực địa và lấy ý kiến các cơ quan liên quan " * 5
    email = message_render(template="step_due_soon",
                           context=full_context("step_due_soon", step_name=step),
                           channel="email", language="vi")
    assert len(email.subject) == 255 and email.subject.endswith("…")
    assert email.subject.startswith(f"Sắp đến hạn 16:30 20/02/2026: hồ sơ {CODE}, bước Thẩm")


# The date or time an SMS exists to tell.
SMS_WHEN = {
    "dossier_submitted": "09:30 11/02/2026",
    "dossier_received": "23/02/2026",
    "dossier_apology": "26/02/2026",
    "step_due_soon": "16:30 20/02/2026",
}
LONGEST_NAMES = sorted({r["name"] for r in demo_records()}, key=len, reverse=True)[:5]


@pytest.mark.parametrize("template", sorted(TEMPLATES))
@pytest.mark.parametrize("name", LONGEST_NAMES, ids=lambda name: f"{len(name)} chars")
def test_sms_fits_160_ascii_characters_for_the_longest_real_procedure_names(template, name):
    long_reason = name  # a reason as long as the longest procedure name
    changes = {"procedure_name": name}
    for key in ("reason", "collect_how", "step_name", "desk_name", "agency_name",
                "result_name", "contact"):
        if key in TEMPLATES[template].keys:
            changes[key] = long_reason
    if "items" in TEMPLATES[template].keys:
        changes["items"] = [name, long_reason]
    sms = message_render(template=template, context=full_context(template, **changes),
                         channel="sms", language="vi")
    assert len(sms.body) <= SMS_MAX_CHARS
    assert GSM_SAFE.match(sms.body), sms.body
    # The code and the dates survive: they come first and are never cut.
    assert CODE in sms.body
    if template in SMS_WHEN:
        assert SMS_WHEN[template] in sms.body


def test_a_cut_free_text_ends_with_an_ellipsis_and_the_link_gives_way_first():
    reason = LONGEST_NAMES[0]
    sms = message_render(template="dossier_refused",
                         context=full_context("dossier_refused", reason=reason),
                         channel="sms", language="vi")
    assert "Tra cuu" not in sms.body  # the link left out whole, never cut
    assert sms.body.startswith(f"Ho so {CODE} khong duoc tiep nhan. Ly do: Dang ky bien dong")
    assert sms.body.endswith("...")
    assert len(sms.body) <= SMS_MAX_CHARS


def test_the_tracking_link_of_a_received_dossier_fits_with_a_national_dossier_code():
    sms = message_render(template="dossier_received", context=full_context("dossier_received"),
                         channel="sms", language="vi")
    assert sms.body == (f"Ho so {CODE} da duoc tiep nhan, hen tra ket qua 23/02/2026. "
                        f"Tra cuu: https://dichvucong.phutho.gov.vn/tra-cuu/{CODE}")


free_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=400
).filter(str.strip)


@settings(max_examples=60, deadline=None)
@given(template=st.sampled_from(sorted(TEMPLATES)), text=free_text,
       items=st.lists(free_text, min_size=1, max_size=6))
def test_any_text_gives_an_sms_of_at_most_160_safe_characters(template, text, items):
    changes = {key: text for key in ("procedure_name", "reason", "collect_how", "step_name",
                                     "applicant_name", "desk_name", "agency_name", "contact",
                                     "result_name", "official_name")
               if key in TEMPLATES[template].keys}
    if "items" in TEMPLATES[template].keys:
        changes["items"] = items
    sms = message_render(template=template, context=full_context(template, **changes),
                         channel="sms", language="vi")
    assert len(sms.body) <= SMS_MAX_CHARS
    assert GSM_SAFE.match(sms.body), sms.body
    assert CODE in sms.body


@pytest.mark.parametrize(("text", "folded"), [
    ("Đăng ký khai sinh", "Dang ky khai sinh"),
    ("ĐỖ THỊ HƯỜNG", "DO THI HUONG"),
    ("Nguyễn Văn Ấn, Ủy ban nhân dân xã Đồng Lương",
     "Nguyen Van An, Uy ban nhan dan xa Dong Luong"),
    ("“Giấy tờ” – bản sao…", '"Giay to" - ban sao...'),
    ("Tờ khai\n\tcó  chữ ký ", "To khai co chu ky"),
    ("[bản chính] {2 bộ} a|b ~3 ngày^ `x` C:\\tep", "(ban chinh) (2 bo) a/b -3 ngay 'x' C:/tep"),
    ("１２３ ０９１２", "123 0912"),
    ("phí 30.000 ₫", "phi 30.000 d"),
    ("hồ sơ 🙂 xong", "ho so ? xong"),
    ("mã\x00hồ\x1bsơ\x7f", "ma ho so"),
])
def test_sms_fold_keeps_case_and_drops_what_phones_garble(text, folded):
    assert sms_fold(text) == folded


@given(st.text())
def test_sms_fold_gives_safe_characters_and_folding_twice_changes_nothing(text):
    once = sms_fold(text)
    assert once.isascii() and GSM_SAFE_CHARS.match(once)
    assert "\n" not in once and "\t" not in once
    assert sms_fold(once) == once


@pytest.mark.parametrize(("template", "context", "problem"), [
    ("dossier_lost", {}, "không có mẫu thông báo dossier_lost"),
    ("dossier_received", {**required_context("dossier_received"), "appointment_date": None},
     "thiếu appointment_date"),
    ("dossier_refused", {**required_context("dossier_refused"), "appointment": "23/02/2026"},
     "mẫu này không dùng appointment"),
    ("dossier_apology", {**required_context("dossier_apology"),
                         "new_appointment_date": "26/02/2026"},
     "new_appointment_date phải là một ngày"),
    ("dossier_apology", {**required_context("dossier_apology"),
                         "new_appointment_date": AT}, "new_appointment_date phải là một ngày"),
    ("dossier_submitted", {**required_context("dossier_submitted"),
                           "submitted_at": dt.datetime(2026, 2, 11, 9, 30)},
     "submitted_at phải là ngày giờ có múi giờ"),
    ("supplement_requested", {**required_context("supplement_requested"),
                              "items": "Giấy chứng sinh"},
     "items phải là danh sách các dòng chữ, không rỗng"),
    ("supplement_requested", {**required_context("supplement_requested"), "items": ["", " "]},
     "items phải là danh sách các dòng chữ, không rỗng"),
    ("dossier_withdrawn", {**required_context("dossier_withdrawn"),
                           "tracking_url": "javascript:alert(1)"},
     "tracking_url phải là một địa chỉ web"),
    ("dossier_withdrawn", {**required_context("dossier_withdrawn"), "procedure_name": 12},
     "procedure_name phải là một đoạn chữ, không rỗng"),
])
def test_a_context_that_does_not_fit_its_template_is_refused_in_vietnamese(
    template, context, problem
):
    with pytest.raises(NotificationError, match=problem):
        context_check(template=template, context=context)


def test_every_problem_of_a_context_is_named_at_once_in_vietnamese():
    with pytest.raises(NotificationError) as error:
        context_check(template="dossier_received", context={"dossier_code": CODE, "desk": "x"})
    for problem in ("thiếu procedure_name", "thiếu received_at", "thiếu appointment_date",
                    "thiếu tracking_url", "mẫu này không dùng desk"):
        assert problem in str(error.value)
