"""Cleaning what was posted and checking it: real inputs, plain Vietnamese messages."""

import datetime as dt
import json
import unicodedata
from pathlib import Path

import pytest
from django.http import QueryDict

from motcua.eforms.schema import schema_check, standard_applicant_schema
from motcua.eforms.validation import form_clean, form_validate

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[2] / "src/motcua/eforms/data"
STANDARD = standard_applicant_schema()
VALID = {
    "full_name": "Nguyễn Thị Hoa",
    "national_id": "025190000123",
    "birth_date": "1958-11-24",
    "sex": "female",
    "phone": "0912345678",
    "commune": "08542",  # Xã Thanh Sơn, Phú Thọ
    "address": "Số 12, khu 3",
    "request": "Xin xác nhận nơi cư trú để bổ sung hồ sơ hưởng trợ cấp.",
}


def shipped(code: str) -> dict:
    return schema_check(json.loads((DATA / f"{code}.json").read_text(encoding="utf-8")))


def error_after_posting(name: str, posted: str, schema=STANDARD) -> str | None:
    """The message a citizen reads after typing ``posted`` into field ``name``."""
    data = dict(VALID)
    data.update(form_clean(schema, {name: posted}))
    return (form_validate(schema, data).get(name) or [None])[0]


def test_a_complete_valid_form_has_no_errors():
    assert form_validate(STANDARD, VALID) == {}


NATIONAL_IDS = [
    ("025190000123", None),  # Phú Thọ's code is 025
    ("001099012345", None),  # Hà Nội
    ("096300000001", None),  # Cà Mau, the last province code
    ("025 190 000 123", None),  # typed in groups, as printed on the card
    ("025.190.000.123", None),
    ("02519000012", "Nhập số định danh cá nhân gồm 12 chữ số"),  # 11 digits
    ("0251900001234", "Nhập số định danh cá nhân gồm 12 chữ số"),  # 13 digits
    ("02519000012O", "Nhập số định danh cá nhân gồm 12 chữ số"),  # letter O for zero
    ("000190000123", "Ba chữ số đầu phải là mã tỉnh (001–096)."),
    ("097190000123", "Ba chữ số đầu phải là mã tỉnh (001–096)."),
    ("", "Nhập số định danh cá nhân"),
    ("   ", "Nhập số định danh cá nhân"),
]


@pytest.mark.parametrize(("posted", "message"), NATIONAL_IDS)
def test_personal_identification_numbers(posted, message):
    assert error_after_posting("national_id", posted) == message


PHONES = [
    ("0912345678", None),
    ("0912.345.678", None),
    ("0912 345 678", None),
    ("+84 912 345 678", None),
    ("84912345678", None),
    ("912345678", "Nhập số điện thoại gồm 10 chữ số, bắt đầu bằng số 0"),
    ("09123456789", "Nhập số điện thoại gồm 10 chữ số, bắt đầu bằng số 0"),
    ("1912345678", "Nhập số điện thoại gồm 10 chữ số, bắt đầu bằng số 0"),
    ("0912 345 67a", "Nhập số điện thoại gồm 10 chữ số, bắt đầu bằng số 0"),
    ("", "Nhập số điện thoại"),
]


@pytest.mark.parametrize(("posted", "message"), PHONES)
def test_phone_numbers(posted, message):
    assert error_after_posting("phone", posted) == message


NOT_REAL = "Ngày %s không có thật, hãy kiểm tra lại ngày và tháng"
AS_DMY = "Nhập ngày, tháng, năm sinh theo dạng ngày/tháng/năm, ví dụ 24/11/2026"
DATES = [
    ("24/11/1958", None),
    ("1/2/2000", None),
    ("24-11-1958", None),
    ("24.11.1958", None),
    ("24111958", None),  # a phone's number pad has no "/"
    ("29/02/2024", None),  # a leap year
    ("31/02/2025", NOT_REAL % "31/02/2025"),
    ("29/02/2023", NOT_REAL % "29/02/2023"),
    ("00/01/2000", NOT_REAL % "00/01/2000"),
    ("12/13/2000", NOT_REAL % "12/13/2000"),  # month and day swapped
    ("24/11/58", AS_DMY),  # two-digit year
    ("hôm qua", AS_DMY),
    ("01/01/2999", "Ngày, tháng, năm sinh không được sau ngày hôm nay"),
    ("", "Nhập ngày, tháng, năm sinh"),
]


@pytest.mark.parametrize(("posted", "message"), DATES)
def test_dates_of_birth(posted, message):
    assert error_after_posting("birth_date", posted) == message


EMAILS = [
    ("", None),  # optional
    ("hoa.nguyen@gmail.com", None),
    ("Hoa.Nguyen@Gmail.com", None),
    ("hoa nguyen@gmail.com", "Nhập địa chỉ thư điện tử đúng dạng, ví dụ ten@gmail.com"),
    ("hoa@", "Nhập địa chỉ thư điện tử đúng dạng, ví dụ ten@gmail.com"),
    ("hoa.gmail.com", "Nhập địa chỉ thư điện tử đúng dạng, ví dụ ten@gmail.com"),
]


@pytest.mark.parametrize(("posted", "message"), EMAILS)
def test_email_addresses(posted, message):
    assert error_after_posting("email", posted) == message


COMMUNES = [
    ("08542", None),  # Xã Thanh Sơn, Phú Thọ
    ("00004", "Chọn xã, phường nơi bạn cư trú trong danh sách"),  # Phường Ba Đình, Hà Nội
    ("Thanh Sơn", "Chọn xã, phường nơi bạn cư trú trong danh sách"),
    ("", "Chọn xã, phường nơi bạn cư trú"),
]


@pytest.mark.parametrize(("posted", "message"), COMMUNES)
def test_the_commune_must_be_one_of_the_province(posted, message):
    assert error_after_posting("commune", posted) == message


def test_every_empty_required_field_says_what_to_enter_or_choose():
    errors = form_validate(STANDARD, {"email": "", "full_name": "  "})
    assert errors == {
        "full_name": ["Nhập họ và tên"],
        "national_id": ["Nhập số định danh cá nhân"],
        "birth_date": ["Nhập ngày, tháng, năm sinh"],
        "sex": ["Chọn giới tính"],
        "phone": ["Nhập số điện thoại"],
        "commune": ["Chọn xã, phường nơi bạn cư trú"],
        "address": ["Nhập địa chỉ thường trú"],
        "request": ["Nhập nội dung yêu cầu"],
    }


def test_a_page_is_checked_alone():
    data = {"full_name": "Nguyễn Thị Hoa", "national_id": "123", "phone": "12"}
    assert form_validate(STANDARD, data, step=1) == {
        "national_id": ["Nhập số định danh cá nhân gồm 12 chữ số"],
        "birth_date": ["Nhập ngày, tháng, năm sinh"],
        "sex": ["Chọn giới tính"],
    }
    assert form_validate(STANDARD, data, step=2) == {
        "phone": ["Nhập số điện thoại gồm 10 chữ số, bắt đầu bằng số 0"],
    }


def test_a_key_the_form_does_not_have_is_refused_in_a_full_submission_only():
    data = dict(VALID, nickname="Hoa")
    assert form_validate(STANDARD, data) == {"nickname": ["Mục này không có trong tờ khai"]}
    assert form_validate(STANDARD, data, step=1) == {}


def test_a_long_text_says_by_how_much():
    errors = form_validate(STANDARD, dict(VALID, full_name="Nguyễn " * 20))
    assert errors == {"full_name": [
        "Rút gọn họ và tên còn tối đa 100 ký tự (hiện có 140)"]}


def test_an_api_caller_with_wrong_types_gets_a_message_per_field():
    errors = form_validate(STANDARD, dict(VALID, national_id=25190000123, sex="nam"))
    assert errors == {
        "national_id": ["Nhập số định danh cá nhân bằng chữ"],
        "sex": ["Chọn giới tính trong danh sách"],
    }


def test_numbers_of_the_judicial_record_form():
    schema = shipped("3.000333")
    data = form_clean(schema, {"record_type": "1", "purpose": "Xin việc", "copies": "0"}, step=1)
    assert data == {"record_type": "1", "purpose": "Xin việc", "copies": 0,
                    "ban_confirmation": False}
    assert form_validate(schema, data, step=1) == {
        "copies": ["Nhập số lượng phiếu đề nghị cấp từ 1 trở lên"]}
    data.update(form_clean(schema, {"copies": "ba"}))
    assert form_validate(schema, data, step=1) == {
        "copies": ["Nhập số lượng phiếu đề nghị cấp bằng chữ số, ví dụ 2"]}
    data.update(form_clean(schema, {"copies": "11"}))
    assert form_validate(schema, data, step=1) == {
        "copies": ["Nhập số lượng phiếu đề nghị cấp không quá 10"]}
    data.update(form_clean(schema, {"copies": "2"}))
    assert form_validate(schema, data, step=1) == {}


def test_the_declaration_must_be_ticked():
    schema = shipped("1.001193")
    last = 5
    unticked = form_clean(schema, QueryDict("copies="), step=last)
    assert unticked == {"copies": "", "declaration": False}
    message = form_validate(schema, unticked, step=last)["declaration"][0]
    assert message.startswith("Đánh dấu vào ô “Tôi cam đoan nội dung đề nghị đăng ký khai sinh")
    assert message.endswith("…”")
    ticked = form_clean(schema, QueryDict("copies=1&declaration=on"), step=last)
    assert form_validate(schema, ticked, step=last) == {}


def test_a_time_of_death_uses_the_form_s_own_message():
    schema = shipped("1.000656")
    for posted in ("14:30", "14h30", "7:05"):
        assert "death_time" not in form_validate(schema, {"death_time": posted}, step=3)
    assert form_validate(schema, {"death_time": "chiều"}, step=3)["death_time"] == [
        "Nhập giờ mất theo dạng giờ:phút, ví dụ 14:30"]


def test_a_date_of_death_cannot_be_in_the_future():
    schema = shipped("1.000656")
    tomorrow = (dt.date.today() + dt.timedelta(days=2)).strftime("%d/%m/%Y")
    data = form_clean(schema, {"death_date": tomorrow})
    assert form_validate(schema, data, step=3)["death_date"] == [
        "Ngày mất không được sau ngày hôm nay"]


def boxes_schema():
    return schema_check({
        "type": "object",
        "properties": {
            "results": {"type": "array", "title": "Cách nhận kết quả", "minItems": 1,
                        "maxItems": 2,
                        "items": {"type": "string", "enum": ["post", "desk", "online"],
                                  "x-labels": ["Qua bưu điện", "Tại Bộ phận Một cửa",
                                               "Trên Cổng Dịch vụ công"]}},
            "area": {"type": "number", "title": "Diện tích (m²)", "minimum": 0.5},
            "household": {"type": "integer", "title": "Số người trong hộ"},
            "agree": {"type": "boolean", "title": "Tôi đồng ý nhận tin nhắn"},
            "old_card": {"type": "string", "title": "CCCD cũ"},
        },
        "required": ["results", "household", "old_card"],
    })


def test_a_list_of_boxes():
    schema = boxes_schema()
    assert form_validate(schema, {"household": 3, "old_card": "x"}) == {
        "results": ["Chọn ít nhất một mục ở phần cách nhận kết quả"]}
    assert form_validate(schema, {"results": ["post", "desk", "online"], "household": 3,
                                  "old_card": "x"}) == {
        "results": ["Chọn nhiều nhất 2 mục ở phần cách nhận kết quả"]}
    assert form_validate(schema, {"results": ["fax"], "household": 3, "old_card": "x"}) == {
        "results": ["Chọn cách nhận kết quả trong danh sách"]}


def test_a_title_that_starts_with_an_acronym_keeps_its_capitals():
    assert form_validate(boxes_schema(), {"results": ["post"], "household": 1})["old_card"] == [
        "Nhập CCCD cũ"]


CLEANED = [
    ("household", "3", 3),
    ("household", " 30.000 ", 30000),
    ("household", "ba", "ba"),
    ("household", "", ""),
    ("area", "2,5", 2.5),
    ("area", "2.5", 2.5),
    ("area", "12", 12),
    ("area", "hai mét", "hai mét"),
    ("agree", "on", True),
    ("agree", "", False),
    ("agree", "có lẽ", "có lẽ"),
    ("old_card", "  Nguyễn  Văn A ", "Nguyễn  Văn A"),
    ("old_card", "dòng 1\r\ndòng 2", "dòng 1\ndòng 2"),
    ("old_card", unicodedata.normalize("NFD", "Nguyễn"), "Nguyễn"),  # some keyboards send NFD
]


@pytest.mark.parametrize(("name", "posted", "expected"), CLEANED)
def test_cleaning_turns_posted_text_into_values_or_keeps_it(name, posted, expected):
    cleaned = form_clean(boxes_schema(), {name: posted})
    assert cleaned == {name: expected}
    assert type(cleaned[name]) is type(expected)


STANDARD_CLEANED = [
    ("birth_date", "24/11/1958", "1958-11-24"),
    ("birth_date", " 1/2/2000 ", "2000-02-01"),
    ("birth_date", "24111958", "1958-11-24"),
    ("birth_date", "1958-11-24", "1958-11-24"),
    ("birth_date", "31/02/2025", "31/02/2025"),
    ("national_id", "025 190 000 123", "025190000123"),
    ("national_id", "số 025190000123", "số 025190000123"),
    ("phone", "+84 912 345 678", "0912345678"),
    ("phone", "(0210) 3846 123", "02103846123"),
]


@pytest.mark.parametrize(("name", "posted", "expected"), STANDARD_CLEANED)
def test_cleaning_dates_and_numbers_people_type(name, posted, expected):
    assert form_clean(STANDARD, {name: posted}) == {name: expected}


def test_cleaning_reads_only_the_form_s_fields():
    post = QueryDict("csrfmiddlewaretoken=abc&action=next&full_name=Hoa&phone=0912345678")
    assert form_clean(STANDARD, post) == {"full_name": "Hoa", "phone": "0912345678"}
    assert form_clean(STANDARD, post, step=1) == {"full_name": "Hoa"}


def test_cleaning_a_page_forgets_unticked_boxes_and_keeps_other_pages_alone():
    schema = boxes_schema()
    assert form_clean(schema, QueryDict("results=post&results=desk")) == {
        "results": ["post", "desk"]}
    assert form_clean(schema, QueryDict("household=2"), step=1) == {
        "household": 2, "results": [], "agree": False}
    assert form_clean(schema, QueryDict("household=2")) == {"household": 2}


def test_already_typed_values_pass_through_cleaning():
    typed = {"household": 3, "area": 2.5, "agree": True, "results": ["post"]}
    assert form_clean(boxes_schema(), typed) == typed
