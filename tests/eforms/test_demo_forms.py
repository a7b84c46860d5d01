"""The demo's key procedures carry their e-forms, and each can be filled in validly."""

import pytest

from motcua.catalog.models import ProcedureVersion
from motcua.eforms.render import form_render
from motcua.eforms.schema import (
    commune_choices,
    field_choices,
    field_widget,
    form_fields,
    form_steps,
)
from motcua.eforms.validation import form_validate

pytestmark = pytest.mark.django_db

KEY_PROCEDURES = {
    "1.001193": "Tờ khai đăng ký khai sinh",
    "1.004873": "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân",
    "1.000656": "Tờ khai đăng ký khai tử",
    "1.004222": "Tờ khai thay đổi thông tin cư trú (đăng ký thường trú)",
    "3.000333": "Tờ khai yêu cầu cấp Phiếu Lý lịch tư pháp",
    "3.000347": "Đơn đề nghị đổi giấy phép lái xe",
}


def test_the_key_procedures_carry_their_forms_marked_as_demonstration():
    with_form = {
        v.procedure.code: v for v in ProcedureVersion.objects.select_related("procedure")
        if v.form_schema
    }
    assert set(with_form) == set(KEY_PROCEDURES)
    for code, title in KEY_PROCEDURES.items():
        assert with_form[code].form_schema["title"] == title
        assert "form_schema" in with_form[code].demo_fields


def filled(schema: dict) -> dict:
    """A plausible answer to every field, the way a careful citizen would give it."""
    samples = {"national_id": "025190000123", "tel": "0912345678", "email": "hoa@gmail.com",
               "date": "1990-05-17", "unit": commune_choices()[0][0]}
    data = {}
    for name in form_fields(schema):
        prop = schema["properties"][name]
        widget = field_widget(prop)
        if prop["type"] == "boolean":
            data[name] = True
        elif prop["type"] == "array":
            data[name] = [field_choices(schema, name)[0][0]]
        elif prop["type"] in ("integer", "number"):
            data[name] = prop.get("minimum", 1)
        elif widget in ("radio", "select"):
            data[name] = field_choices(schema, name)[-1][0]
        elif widget in samples:
            data[name] = samples[widget]
        elif "pattern" in prop and name == "death_time":
            data[name] = "14:30"
        elif "pattern" in prop:
            data[name] = "250123456789"
        else:
            data[name] = "Nguyễn Thị Hoa"
    return data


@pytest.mark.parametrize("code", KEY_PROCEDURES)
def test_each_form_can_be_filled_in_validly_page_by_page(code):
    schema = ProcedureVersion.objects.get(procedure__code=code).form_schema
    data = filled(schema)
    assert form_validate(schema, data) == {}
    for step in range(1, len(form_steps(schema)) + 1):
        assert form_validate(schema, data, step=step) == {}
        assert 'name="' in form_render(schema, data, {}, step=step)


@pytest.mark.parametrize("code", KEY_PROCEDURES)
def test_each_form_refuses_an_empty_submission_field_by_field(code):
    schema = ProcedureVersion.objects.get(procedure__code=code).form_schema
    errors = form_validate(schema, {})
    assert set(errors) == set(schema["required"])
    assert all(message[0].startswith(("Nhập", "Chọn", "Đánh dấu")) for message in
               errors.values())


def test_the_birth_form_asks_what_the_declaration_form_asks():
    schema = ProcedureVersion.objects.get(procedure__code="1.001193").form_schema
    assert form_steps(schema) == ["Người đi đăng ký khai sinh", "Thông tin của trẻ",
                                  "Thông tin của mẹ", "Thông tin của cha",
                                  "Bản sao và cam đoan"]
    for name in ("child_full_name", "child_birth_date", "child_sex", "child_ethnicity",
                 "child_nationality", "child_birth_place", "mother_full_name",
                 "mother_national_id", "mother_birth_date", "father_full_name",
                 "father_national_id", "father_birth_date", "requester_relation"):
        assert name in schema["properties"]
    # A child whose father is not established is still registered.
    assert not {"father_full_name", "father_national_id"} & set(schema["required"])


def test_the_marital_status_form_offers_the_statuses_of_the_law():
    schema = ProcedureVersion.objects.get(procedure__code="1.004873").form_schema
    assert [value for value, _label in field_choices(schema, "marital_status")] == [
        "single", "married", "divorced", "widowed", "cohabited_before_1987"]
