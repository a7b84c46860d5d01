"""An e-form travels with its procedure through the catalogue's JSON and .xlsx files."""

import json

import pytest

from motcua.catalog.models import Procedure, ProcedureVersion
from motcua.catalog.services import CatalogImportError, catalog_export, catalog_import
from motcua.eforms.schema import form_fields, form_steps

pytestmark = pytest.mark.django_db

FORM = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Tờ khai thử nghiệm",
    "type": "object",
    "properties": {
        # Written in an order no sorting would give back.
        "purpose": {"type": "string", "title": "Mục đích sử dụng", "x-step": "Mục đích"},
        "full_name": {"type": "string", "title": "Họ, chữ đệm, tên", "maxLength": 100,
                      "x-step": "Người yêu cầu", "x-registry": "ho_ten"},
        "copies": {"type": "integer", "title": "Số bản sao", "minimum": 0, "maximum": 10,
                   "x-step": "Mục đích"},
        "agree": {"type": "boolean", "const": True, "title": "Tôi cam đoan",
                  "x-step": "Cam đoan"},
    },
    "required": ["purpose", "full_name", "agree"],
    "additionalProperties": False,
}


def record(code="9.000101", **changes):
    item = {
        "code": code,
        "name": "Thủ tục thử nghiệm có tờ khai điện tử",
        "field": "Hộ tịch",
        "levels": ["Cấp xã"],
        "agency": "Ủy ban nhân dân cấp xã",
        "agency_kind": "ubnd_xa",
        "processing_time": {"value": 3, "unit": "ngày làm việc"},
        "form_schema": FORM,
    }
    item.update(changes)
    return item


def write(tmp_path, records, name="catalogue.json"):
    path = tmp_path / name
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    return path


def stored(code="9.000101") -> dict:
    return ProcedureVersion.objects.get(procedure__code=code).form_schema


def test_an_imported_form_keeps_its_fields_in_the_order_written(tmp_path):
    catalog_import(path=write(tmp_path, [record()]))
    schema = stored()
    assert form_fields(schema) == ["purpose", "full_name", "copies", "agree"]
    assert form_steps(schema) == ["Mục đích", "Người yêu cầu", "Cam đoan"]
    assert schema["x-order"] == ["purpose", "full_name", "copies", "agree"]


def test_a_procedure_without_a_form_keeps_the_standard_one(tmp_path):
    item = record()
    del item["form_schema"]
    catalog_import(path=write(tmp_path, [item]))
    assert stored() == {}


def test_a_malformed_form_is_refused_with_its_row_and_nothing_is_imported(tmp_path):
    bad = json.loads(json.dumps(FORM))
    bad["properties"]["phone"] = {"type": "string", "title": "Số điện thoại",
                                  "pattern": "^0[0-9]{9}$", "x-step": "Người yêu cầu"}
    bad["required"].append("ghost")
    with pytest.raises(CatalogImportError) as caught:
        catalog_import(path=write(tmp_path, [record("9.000101"), record("9.000102",
                                                                         form_schema=bad)]))
    [error] = caught.value.errors
    text = str(error)
    assert text.startswith("dòng 2 (9.000102): form_schema: ")
    assert "trường “phone”: pattern cần có x-error" in text
    assert "required nêu những trường không có: ghost" in text
    assert not Procedure.objects.filter(code__startswith="9.0001").exists()


def test_a_form_that_is_not_an_object_is_refused(tmp_path):
    with pytest.raises(CatalogImportError) as caught:
        catalog_import(path=write(tmp_path, [record(form_schema=["full_name"])]))
    assert "form_schema: tờ khai điện tử phải là một đối tượng JSON" in str(caught.value)


@pytest.mark.parametrize("suffix", [".json", ".xlsx"])
def test_a_form_round_trips_through_export_and_import(tmp_path, suffix):
    catalog_import(path=write(tmp_path, [record()]))
    before = stored()
    exported = tmp_path / f"catalogue{suffix}"
    catalog_export(path=exported)
    summary = catalog_import(path=exported)
    assert "9.000101" in summary.unchanged and summary.changed == 0
    Procedure.objects.filter(code="9.000101").delete()
    catalog_import(path=exported)
    assert stored() == before
    assert form_fields(stored()) == ["purpose", "full_name", "copies", "agree"]


def test_in_a_workbook_the_form_is_json_text_in_one_cell(tmp_path):
    from openpyxl import load_workbook

    catalog_import(path=write(tmp_path, [record()]))
    path = tmp_path / "catalogue.xlsx"
    catalog_export(path=path)
    sheet = load_workbook(path, read_only=True)["procedures"]
    rows = list(sheet.iter_rows(values_only=True))
    column = rows[0].index("form_schema")
    row = next(r for r in rows if r[0] == "9.000101")
    assert json.loads(row[column]) == stored()
    plain = next(r for r in rows if r[0] == "1.000894")
    assert plain[column] in (None, "")


def test_a_workbook_cell_that_is_not_json_is_refused_with_its_sheet_and_row(tmp_path):
    from openpyxl import load_workbook

    catalog_import(path=write(tmp_path, [record()]))
    path = tmp_path / "catalogue.xlsx"
    catalog_export(path=path)
    book = load_workbook(path)
    sheet = book["procedures"]
    header = [c.value for c in sheet[1]]
    number = next(i for i, row in enumerate(sheet.iter_rows(values_only=True), start=1)
                  if row[0] == "9.000101")
    sheet.cell(row=number, column=header.index("form_schema") + 1,
               value='{"type": "object", "properties": {')
    book.save(path)
    with pytest.raises(CatalogImportError) as caught:
        catalog_import(path=path)
    text = str(caught.value)
    assert f"trang procedures dòng {number} (9.000101): form_schema: không phải JSON hợp lệ" in text


def test_a_changed_form_updates_an_unused_version(tmp_path):
    catalog_import(path=write(tmp_path, [record()]))
    changed = json.loads(json.dumps(FORM))
    changed["properties"]["purpose"]["description"] = "Ví dụ: bổ sung hồ sơ xin việc"
    summary = catalog_import(path=write(tmp_path, [record(form_schema=changed)]))
    assert summary.updated == ["9.000101"]
    assert stored()["properties"]["purpose"]["description"] == "Ví dụ: bổ sung hồ sơ xin việc"
