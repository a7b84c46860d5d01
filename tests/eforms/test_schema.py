"""The schema format: what is accepted, what is refused and why, and how pages are split."""

import copy
import json
import re
from pathlib import Path

import pytest

from motcua.eforms.schema import (
    FormSchemaError,
    commune_choices,
    effective_schema,
    form_fields,
    form_steps,
    schema_check,
    standard_applicant_schema,
    step_fields,
    step_of_field,
    step_progress,
)

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = sorted((ROOT / "src/motcua/eforms/data").glob("*.json"))


def small(**fields):
    """A two-page form to break in one way at a time."""
    properties = {
        "name": {"type": "string", "title": "Họ và tên", "x-step": "Người khai"},
        "phone": {"type": "string", "title": "Số điện thoại", "pattern": "^0[0-9]{9}$",
                  "x-error": "Nhập số điện thoại gồm 10 chữ số", "x-widget": "tel",
                  "x-step": "Liên hệ"},
    }
    properties.update(fields)
    return {"type": "object", "properties": properties, "required": ["name"]}


def problems(schema) -> str:
    with pytest.raises(FormSchemaError) as caught:
        schema_check(schema)
    return "\n".join(caught.value.problems)


def test_the_standard_form_passes_its_own_check():
    assert schema_check(standard_applicant_schema()) == standard_applicant_schema()


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_every_shipped_form_passes_the_check(path):
    schema = schema_check(json.loads(path.read_text(encoding="utf-8")))
    assert len(form_steps(schema)) >= 3


def test_the_example_in_the_documentation_passes_the_check():
    text = (ROOT / "docs/eforms.md").read_text(encoding="utf-8")
    example = json.loads(re.search(r"```json\n(.*?)```", text, re.S).group(1))
    schema = schema_check(example)
    assert form_steps(schema) == ["Người đề nghị cấp giấy", "Nơi cư trú", "Tình trạng hôn nhân",
                                  "Mục đích sử dụng", "Cam đoan"]


def test_an_empty_form_is_the_standard_one_and_passes():
    assert schema_check({}) == {}


def test_the_check_adds_the_written_order_and_leaves_the_input_alone():
    schema = small()
    stored = schema_check(schema)
    assert stored["x-order"] == ["name", "phone"]
    assert "x-order" not in schema


def test_the_order_of_x_order_wins_over_the_order_of_the_keys():
    # What PostgreSQL's jsonb does to an object's keys: they come back in another order.
    stored = schema_check(small())
    shuffled = dict(stored, properties=dict(reversed(list(stored["properties"].items()))))
    assert list(shuffled["properties"]) == ["phone", "name"]
    assert form_fields(shuffled) == ["name", "phone"]


BAD = [
    ("not an object", [], "tờ khai điện tử phải là một đối tượng JSON"),
    ("not an object form", {"type": "array", "properties": {"a": {"type": "string",
                                                                  "title": "A"}}},
     'tờ khai điện tử phải có "type": "object"'),
    ("no fields", {"type": "object", "properties": {}}, "phải liệt kê các trường"),
    ("old draft", dict(small(), **{"$schema": "http://json-schema.org/draft-07/schema#"}),
     "$schema phải là https://json-schema.org/draft/2020-12/schema"),
    ("accented name", small(**{"họ_tên": {"type": "string", "title": "Họ tên",
                                           "x-step": "Người khai"}}),
     "trường “họ_tên”: tên trường chỉ dùng chữ thường không dấu"),
    ("no title", small(note={"type": "string", "x-step": "Người khai"}),
     "trường “note”: cần có title"),
    ("misspelt keyword", small(note={"type": "string", "title": "Ghi chú", "maxlength": 10,
                                     "x-step": "Người khai"}),
     "trường “note”: từ khóa không được hỗ trợ: maxlength"),
    ("unknown type", small(note={"type": "file", "title": "Ảnh", "x-step": "Người khai"}),
     "trường “note”: type phải là một trong"),
    ("unknown widget", small(age={"type": "integer", "title": "Tuổi", "x-widget": "slider",
                                  "x-step": "Người khai"}),
     "x-widget “slider” không hợp lệ"),
    ("widget against type", small(agree={"type": "boolean", "title": "Đồng ý",
                                         "x-widget": "text", "x-step": "Người khai"}),
     "trường “agree”: trường kiểu boolean không hiển thị được dạng text"),
    ("radio without choices", small(sex={"type": "string", "title": "Giới tính",
                                         "x-widget": "radio", "x-step": "Người khai"}),
     "trường dạng radio cần enum"),
    ("labels do not match", small(sex={"type": "string", "title": "Giới tính",
                                       "enum": ["male", "female"], "x-labels": ["Nam"],
                                       "x-step": "Người khai"}),
     "x-labels phải là danh sách nhãn, mỗi lựa chọn của enum một nhãn"),
    ("choice of the wrong type", small(kind={"type": "integer", "title": "Loại phiếu",
                                             "enum": [1, "2"], "x-step": "Người khai"}),
     "mọi lựa chọn trong enum phải có kiểu integer"),
    ("pattern without a message", small(code={"type": "string", "title": "Mã",
                                              "pattern": "^[0-9]{6}$", "x-step": "Người khai"}),
     "pattern cần có x-error"),
    ("broken pattern", small(code={"type": "string", "title": "Mã", "pattern": "^[0-9{6}$",
                                   "x-error": "Nhập mã gồm 6 chữ số", "x-step": "Người khai"}),
     "pattern không phải biểu thức chính quy hợp lệ"),
    ("message without pattern", small(code={"type": "string", "title": "Mã",
                                            "x-error": "Nhập mã", "x-step": "Người khai"}),
     "x-error là thông báo khi không khớp pattern"),
    ("date without format", small(day={"type": "string", "title": "Ngày", "x-widget": "date",
                                       "x-step": "Người khai"}),
     'trường ngày tháng cần "format": "date"'),
    ("email without format", small(mail={"type": "string", "title": "Email",
                                         "x-widget": "email", "x-step": "Người khai"}),
     'trường email cần "format": "email"'),
    ("unknown format", small(site={"type": "string", "title": "Trang web", "format": "uri",
                                   "x-step": "Người khai"}),
     "format phải là date hoặc email"),
    ("vague date limit", small(day={"type": "string", "title": "Ngày", "format": "date",
                                    "x-max-date": "yesterday", "x-step": "Người khai"}),
     'x-max-date phải là "today" hoặc một ngày dạng YYYY-MM-DD'),
    ("negative length", small(note={"type": "string", "title": "Ghi chú", "maxLength": -1,
                                    "x-step": "Người khai"}),
     "maxLength phải là số nguyên từ 0 trở lên"),
    ("const on text", small(note={"type": "string", "title": "Ghi chú", "const": "x",
                                  "x-step": "Người khai"}),
     "const chỉ dùng cho ô bắt buộc đánh dấu"),
    ("boxes without choices", small(pick={"type": "array", "title": "Chọn",
                                          "x-step": "Người khai"}),
     'danh sách ô đánh dấu cần "items" có enum'),
    ("required ghost", dict(small(), required=["name", "ghost"]),
     "required nêu những trường không có: ghost"),
    ("half the steps", small(note={"type": "string", "title": "Ghi chú"}),
     "hoặc trường nào cũng có x-step, hoặc không trường nào có; đang thiếu ở: note"),
    ("order misses a field", dict(small(), **{"x-order": ["name"]}),
     "x-order phải liệt kê mỗi trường đúng một lần"),
    ("unknown top keyword", dict(small(), allOf=[]),
     "tờ khai điện tử có từ khóa không được hỗ trợ: allOf"),
    ("bad autocomplete", small(note={"type": "string", "title": "Ghi chú",
                                     "x-autocomplete": "nickname", "x-step": "Người khai"}),
     "x-autocomplete phải là một trong"),
]


@pytest.mark.parametrize(("case", "schema", "expected"), BAD, ids=[b[0] for b in BAD])
def test_a_malformed_form_is_refused_saying_why(case, schema, expected):
    assert expected in problems(schema)


def test_every_problem_is_reported_at_once():
    schema = small(
        a={"type": "string", "x-step": "Người khai"},
        b={"type": "string", "title": "B", "pattern": "^x$", "x-step": "Người khai"},
        c={"type": "string", "title": "C", "x-widget": "dial", "x-step": "Người khai"},
    )
    with pytest.raises(FormSchemaError) as caught:
        schema_check(schema)
    assert len(caught.value.problems) == 3
    assert [p.split(":")[0] for p in caught.value.problems] == [
        "trường “a”", "trường “b”", "trường “c”"]


def test_pages_come_in_order_of_first_appearance_and_group_their_fields():
    schema = schema_check({
        "type": "object",
        "properties": {
            "a": {"type": "string", "title": "A", "x-step": "Thông tin của trẻ"},
            "b": {"type": "string", "title": "B", "x-step": "Thông tin của mẹ"},
            "c": {"type": "string", "title": "C", "x-step": "Thông tin của trẻ"},
            "d": {"type": "string", "title": "D", "x-step": "Cam đoan"},
        },
    })
    assert form_steps(schema) == ["Thông tin của trẻ", "Thông tin của mẹ", "Cam đoan"]
    assert step_fields(schema, 1) == ["a", "c"]
    assert step_fields(schema, 3) == ["d"]
    assert step_of_field(schema, "c") == 1 and step_of_field(schema, "b") == 2
    assert step_progress(schema, 2) == "Bước 2/3"


def test_a_form_without_steps_is_one_page_named_after_the_form():
    schema = schema_check({"title": "Đơn đề nghị", "type": "object", "properties": {
        "a": {"type": "string", "title": "A"}, "b": {"type": "string", "title": "B"}}})
    assert form_steps(schema) == ["Đơn đề nghị"]
    assert step_fields(schema, 1) == ["a", "b"]
    assert step_of_field(schema, "b") == 1
    untitled = {k: v for k, v in schema.items() if k != "title"}
    assert form_steps(untitled) == ["Điền tờ khai"]


def test_the_standard_form_has_four_pages():
    schema = standard_applicant_schema()
    assert form_steps(schema) == ["Thông tin của bạn", "Cách liên hệ với bạn", "Nơi bạn cư trú",
                                  "Nội dung yêu cầu"]
    assert step_fields(schema, 1) == ["full_name", "national_id", "birth_date", "sex"]
    assert "email" not in schema["required"]


@pytest.mark.parametrize("step", [0, 5, -1])
def test_a_page_outside_the_form_is_an_error(step):
    with pytest.raises(ValueError, match="not between 1 and 4"):
        step_fields(standard_applicant_schema(), step)


@pytest.mark.django_db
def test_a_version_without_a_form_gets_the_standard_one():
    from motcua.catalog.models import ProcedureVersion

    plain = ProcedureVersion.objects.get(procedure__code="1.000894")
    assert plain.form_schema == {}
    assert effective_schema(plain) == standard_applicant_schema()
    birth = ProcedureVersion.objects.get(procedure__code="1.001193")
    assert effective_schema(birth) is birth.form_schema
    assert effective_schema(birth)["title"] == "Tờ khai đăng ký khai sinh"


@pytest.mark.django_db
def test_the_commune_picker_lists_the_province_s_communes_by_their_own_name():
    choices = commune_choices()
    assert len(choices) == 148
    names = [name for _code, name in choices]
    assert "Xã Thanh Sơn" in names and "Phường Việt Trì" in names
    assert not any("Hà Nội" in name for name in names)
    # "Phường Việt Trì" is under V and "Xã Thanh Sơn" under T, not every ward before every commune.
    assert names.index("Xã Thanh Sơn") < names.index("Phường Việt Trì")


def test_the_standard_form_is_in_the_active_language():
    from django.utils import translation

    with translation.override("en"):
        english = standard_applicant_schema()
    assert english["properties"]["full_name"]["title"] == "Full name"
    assert standard_applicant_schema()["properties"]["full_name"]["title"] == "Họ và tên"
    assert copy.deepcopy(english)["x-order"] == standard_applicant_schema()["x-order"]
