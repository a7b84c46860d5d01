"""The HTML of a page: every control labelled, hints and errors tied to it, the summary's
links landing on a control, values shown back as typed."""

import json
from pathlib import Path

import pytest

from motcua.eforms.render import (
    display_text,
    error_summary_render,
    field_anchor,
    form_answers,
    form_render,
)
from motcua.eforms.schema import (
    form_steps,
    schema_check,
    standard_applicant_schema,
    step_fields,
)
from motcua.eforms.validation import form_validate

from .html import FormPage

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[2] / "src/motcua/eforms/data"
STANDARD = standard_applicant_schema()
SCHEMAS = {"standard": STANDARD} | {
    path.stem: schema_check(json.loads(path.read_text(encoding="utf-8")))
    for path in sorted(DATA.glob("*.json"))
}
PAGES = [(key, step) for key, schema in SCHEMAS.items()
         for step in range(1, len(form_steps(schema)) + 1)]


def every_error(schema, step):
    return {name: [f"Lỗi ở {name}"] for name in step_fields(schema, step)}


@pytest.mark.parametrize(("key", "step"), PAGES)
def test_every_control_has_a_label_bound_to_it(key, step):
    schema = SCHEMAS[key]
    page = FormPage(form_render(schema, {}, every_error(schema, step), step=step))
    assert page.controls
    for control in page.controls:
        control_id = control.attrs["id"]
        assert page.labels.get(control_id), f"{control_id} has no label"
        if control.type == "radio" or (control.type == "checkbox" and control.legend):
            assert control.legend.strip(), f"{control_id} is a choice outside a fieldset"


@pytest.mark.parametrize(("key", "step"), PAGES)
def test_hints_and_errors_are_read_with_their_field(key, step):
    schema = SCHEMAS[key]
    page = FormPage(form_render(schema, {}, every_error(schema, step), step=step))
    described = [c.attrs for c in page.controls if "aria-describedby" in c.attrs]
    described += [f["attrs"] for f in page.fieldsets]
    for name in step_fields(schema, step):
        error_id = f"f-{name}-error"
        assert page.ids.get(error_id) == "p"
        owners = [attrs for attrs in described
                  if error_id in attrs.get("aria-describedby", "").split()]
        assert len(owners) == 1, f"{name}: its error is not tied to exactly one control"
        for attrs in described:
            for target in attrs["aria-describedby"].split():
                assert target in page.ids, f"aria-describedby points to missing {target}"


@pytest.mark.parametrize(("key", "step"), PAGES)
def test_the_summary_links_each_problem_to_a_control_of_the_page(key, step):
    schema = SCHEMAS[key]
    errors = every_error(schema, step)
    fields = FormPage(form_render(schema, {}, errors, step=step))
    summary = FormPage(error_summary_render(errors, schema))
    assert len(summary.links) == len(errors)
    for link in summary.links:
        target = link.removeprefix("#")
        assert fields.ids.get(target) in ("input", "select", "textarea"), link


def test_a_field_in_error_is_marked_invalid_and_shows_the_message_beside_it():
    html = form_render(STANDARD, {"national_id": "123"},
                       {"national_id": ["Nhập số định danh cá nhân gồm 12 chữ số"]}, step=1)
    page = FormPage(html)
    control = next(c for c in page.controls if c.attrs["name"] == "national_id")
    assert control.attrs["aria-invalid"] == "true"
    assert control.attrs["aria-describedby"] == "f-national_id-hint f-national_id-error"
    assert ('<p class="field-error" id="f-national_id-error"><span class="visually-hidden">'
            'Lỗi: </span>Nhập số định danh cá nhân gồm 12 chữ số</p>') in html
    others = [c for c in page.controls if c.attrs["name"] != "national_id"]
    assert not any("aria-invalid" in c.attrs for c in others)


def test_the_summary_counts_the_problems_in_form_order_and_is_empty_without_any():
    html = error_summary_render({"phone": ["Nhập số điện thoại"],
                                 "full_name": ["Nhập họ và tên"]}, STANDARD)
    assert "Có 2 chỗ cần sửa" in html
    assert html.index("#f-full_name") < html.index("#f-phone")
    assert 'tabindex="-1" autofocus' in html
    assert error_summary_render({}, STANDARD) == ""


def test_a_problem_with_a_key_outside_the_form_is_listed_without_a_link():
    html = error_summary_render({"nickname": ["Mục này không có trong tờ khai"]}, STANDARD)
    assert "<li>Mục này không có trong tờ khai</li>" in html
    assert "href" not in html


def test_a_radio_group_is_linked_through_its_first_choice():
    assert field_anchor(STANDARD, "sex") == "f-sex-1"
    assert field_anchor(STANDARD, "full_name") == "f-full_name"


INPUTS = [
    ("full_name", 1, {"type": "text", "autocomplete": "name"}),
    ("national_id", 1, {"type": "text", "inputmode": "numeric"}),
    ("birth_date", 1, {"type": "text", "inputmode": "numeric", "autocomplete": "bday"}),
    ("phone", 2, {"type": "tel", "autocomplete": "tel"}),
    ("email", 2, {"type": "email", "autocomplete": "email", "spellcheck": "false"}),
    ("address", 3, {"type": "text", "autocomplete": "street-address"}),
]


@pytest.mark.parametrize(("name", "step", "expected"), INPUTS)
def test_each_input_opens_the_right_keyboard_and_fills_in_what_it_can(name, step, expected):
    page = FormPage(form_render(STANDARD, {}, {}, step=step))
    control = next(c for c in page.controls if c.attrs["name"] == name)
    assert {key: control.attrs.get(key) for key in expected} == expected


def test_no_input_makes_the_browser_validate_or_cut_what_is_typed():
    for key, step in PAGES:
        html = form_render(SCHEMAS[key], {}, {}, step=step)
        for attribute in (" required", " maxlength=", " pattern=", "<script"):
            assert attribute not in html, (key, step, attribute)


def test_digits_only_text_opens_the_number_pad():
    page = FormPage(form_render(SCHEMAS["3.000347"], {}, {}, step=2))
    licence = next(c for c in page.controls if c.attrs["name"] == "licence_number")
    assert licence.attrs.get("inputmode") == "numeric"


def test_what_was_typed_is_shown_again_and_dates_read_dd_mm_yyyy():
    html = form_render(STANDARD, {"birth_date": "31/02/2025", "full_name": "Hoa"}, {}, step=1)
    assert 'value="31/02/2025"' in html
    html = form_render(STANDARD, {"birth_date": "1958-11-24", "sex": "female"}, {}, step=1)
    assert 'value="24/11/1958"' in html
    assert '<input type="radio" id="f-sex-2" name="sex" value="female" checked>' in html


def test_what_was_typed_is_escaped():
    html = form_render(STANDARD, {"full_name": '<script>alert("x")</script>'}, {}, step=1)
    assert "<script>" not in html
    assert 'value="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"' in html


def test_optional_fields_say_so_and_required_ones_do_not():
    html = form_render(STANDARD, {}, {}, step=2)
    page = FormPage(html)
    assert page.labels["f-email"].endswith("(không bắt buộc)")
    assert "không bắt buộc" not in page.labels["f-phone"]


def test_a_radio_group_is_a_fieldset_whose_legend_is_the_question():
    page = FormPage(form_render(STANDARD, {}, {}, step=1))
    assert [f["legend"] for f in page.fieldsets] == ["Giới tính"]
    assert [page.labels[c.attrs["id"]] for c in page.controls if c.type == "radio"] == [
        "Nam", "Nữ"]


def test_the_commune_picker_lists_the_province_and_keeps_the_choice():
    page = FormPage(form_render(STANDARD, {"commune": "08542"}, {}, step=3))
    picker = next(c for c in page.controls if c.attrs["name"] == "commune")
    assert picker.tag == "select"
    assert len(picker.options) == 149  # "— chọn —" and 148 communes
    assert [value for value, selected in picker.options if selected] == ["08542"]


def test_the_declaration_is_one_box_with_its_words_as_label():
    schema = SCHEMAS["1.001193"]
    page = FormPage(form_render(schema, {"declaration": True}, {}, step=5))
    box = next(c for c in page.controls if c.attrs["name"] == "declaration")
    assert box.type == "checkbox" and "checked" in box.attrs
    assert page.labels["f-declaration"].startswith("Tôi cam đoan")


def test_answers_read_as_the_citizen_gave_them():
    data = {"full_name": "Nguyễn Thị Hoa", "birth_date": "1958-11-24", "sex": "female",
            "commune": "08542", "phone": "0912345678"}
    pages = form_answers(STANDARD, data)
    assert [title for title, _rows in pages] == form_steps(STANDARD)
    first = {name: value for name, _title, value in pages[0][1]}
    assert first == {"full_name": "Nguyễn Thị Hoa", "national_id": "",
                     "birth_date": "24/11/1958", "sex": "Nữ"}
    assert display_text(STANDARD, "commune", "08542") == "Xã Thanh Sơn"
    birth = SCHEMAS["1.001193"]
    assert display_text(birth, "declaration", True) == "Có"
    assert display_text(birth, "copies", 2) == "2"


def test_a_rendered_page_with_its_errors_validates_the_same_after_posting():
    """Posting back a page exactly as shown changes neither data nor errors."""
    from motcua.eforms.validation import form_clean

    data = {"full_name": "Hoa", "national_id": "123", "birth_date": "31/02/2025"}
    errors = form_validate(STANDARD, data, step=1)
    page = FormPage(form_render(STANDARD, data, errors, step=1))
    again = form_clean(STANDARD, page.post(), step=1)
    assert {k: v for k, v in again.items() if v != ""} == data
    assert form_validate(STANDARD, again, step=1) == errors
