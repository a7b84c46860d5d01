"""Import and export of the catalogue: all or nothing, idempotent, round trip, versions."""

import copy
import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from motcua.catalog.models import BundleMember, Procedure, ProcedureVersion
from motcua.catalog.services import CatalogImportError, catalog_export, catalog_import
from motcua.demo.catalogue import demo_records

pytestmark = pytest.mark.django_db


def sample(code="9.000001", **changes):
    record = {
        "code": code,
        "name": "Thủ tục thử nghiệm cấp giấy xác nhận",
        "field": "Hộ tịch",
        "levels": ["Cấp xã"],
        "agency": "Ủy ban nhân dân cấp xã",
        "agency_kind": "ubnd_xa",
        "processing_time": {"value": 3, "unit": "ngày làm việc"},
        "online_mode": "toàn trình",
        "fees": [{"name": "Lệ phí", "amount_vnd": 10000}],
        "documents": [{"name": "Tờ khai theo mẫu", "kind": "bản chính", "copies": 1}],
        "result": "Giấy xác nhận",
        "legal_basis": ["Luật Hộ tịch 2014"],
        "life_event": "Sinh con",
    }
    record.update(changes)
    return record


def write(tmp_path, records, name="catalogue.json"):
    path = tmp_path / name
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    return path


def test_import_creates_a_procedure_with_documents_and_fees(tmp_path):
    summary = catalog_import(path=write(tmp_path, [sample()]))
    assert summary.created == ["9.000001"]
    version = Procedure.objects.get(code="9.000001").current_version()
    assert version.online_mode == "full"
    assert version.processing_time == 3 and version.processing_time_unit == "day"
    assert version.levels == ["commune"]
    assert [d.name for d in version.documents.all()] == ["Tờ khai theo mẫu"]
    fee = version.fees.get()
    assert (fee.kind, fee.amount) == ("fixed", 10000)


def test_bad_rows_are_reported_with_row_number_and_nothing_is_imported(tmp_path):
    records = [
        sample("9.000001"),
        sample("9.000002", processing_time={"value": None, "unit": None}),
        sample("not-a-code"),
        sample("9.000004", online_mode="sometimes"),
    ]
    with pytest.raises(CatalogImportError) as caught:
        catalog_import(path=write(tmp_path, records))
    messages = [str(e) for e in caught.value.errors]
    assert len(messages) == 3
    assert messages[0].startswith("dòng 2 (9.000002)")
    assert "processing_time.value" in messages[0]
    assert messages[1] == ("dòng 3 (not-a-code): code: không phải mã thủ tục quốc gia "
                           "(dạng 1.001193)")
    assert messages[2].startswith("dòng 4 (9.000004): online_mode: dùng full")
    assert not Procedure.objects.filter(code__startswith="9.").exists()


def test_a_failure_while_writing_leaves_nothing_behind(tmp_path, monkeypatch):
    from motcua.catalog import services

    calls = {"n": 0}
    original = services._fill_version

    def fail_on_second(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk went away")
        return original(*args, **kwargs)

    monkeypatch.setattr(services, "_fill_version", fail_on_second)
    with pytest.raises(RuntimeError):
        catalog_import(path=write(tmp_path, [sample("9.000001"), sample("9.000002")]))
    assert not Procedure.objects.filter(code__startswith="9.").exists()


def test_duplicate_rows_are_refused(tmp_path):
    with pytest.raises(CatalogImportError) as caught:
        catalog_import(path=write(tmp_path, [sample(), sample()]))
    assert str(caught.value.errors[0]) == (
        "dòng 2 (9.000001): thủ tục cùng ngày hiệu lực đã có ở dòng 1")


def test_importing_the_same_file_twice_changes_nothing(tmp_path):
    path = write(tmp_path, [sample()])
    catalog_import(path=path)
    before = list(ProcedureVersion.objects.filter(procedure__code="9.000001").values())
    summary = catalog_import(path=path)
    assert summary.unchanged == ["9.000001"] and summary.changed == 0
    assert list(ProcedureVersion.objects.filter(procedure__code="9.000001").values()) == before


def test_a_change_to_an_unused_version_updates_it_in_place(tmp_path):
    catalog_import(path=write(tmp_path, [sample()]))
    summary = catalog_import(path=write(tmp_path, [sample(name="Tên mới của thủ tục")]))
    assert summary.updated == ["9.000001"]
    assert ProcedureVersion.objects.filter(procedure__code="9.000001").count() == 1


def test_a_change_to_a_version_in_use_makes_a_new_version(tmp_path):
    catalog_import(path=write(tmp_path, [sample()]), today=dt.date(2026, 1, 5))
    ProcedureVersion.objects.filter(procedure__code="9.000001").update(is_locked=True)
    summary = catalog_import(
        path=write(tmp_path, [sample(processing_time={"value": 2, "unit": "ngày"})]),
        today=dt.date(2026, 3, 1),
    )
    assert summary.new_versions == ["9.000001"]
    old, new = ProcedureVersion.objects.filter(procedure__code="9.000001").order_by(
        "effective_from")
    assert (old.processing_time, old.effective_to) == (3, dt.date(2026, 3, 1))
    assert (new.processing_time, new.effective_from) == (2, dt.date(2026, 3, 1))
    procedure = Procedure.objects.get(code="9.000001")
    assert procedure.current_version(dt.date(2026, 2, 1)) == old
    assert procedure.current_version(dt.date(2026, 3, 1)) == new


def test_a_dated_version_in_use_cannot_be_rewritten(tmp_path):
    record = sample(effective_from="2026-01-01")
    catalog_import(path=write(tmp_path, [record]))
    ProcedureVersion.objects.filter(procedure__code="9.000001").update(is_locked=True)
    with pytest.raises(CatalogImportError) as caught:
        catalog_import(path=write(tmp_path, [dict(record, name="Đổi tên")]))
    assert "01/01/2026" in str(caught.value.errors[0])


@pytest.mark.parametrize("suffix", [".json", ".xlsx"])
def test_export_then_import_gives_back_the_same_catalogue(tmp_path, suffix):
    exported = tmp_path / f"catalogue{suffix}"
    count = catalog_export(path=exported)
    assert count == 64
    BundleMember.objects.all().delete()
    Procedure.objects.all().delete()
    summary = catalog_import(path=exported)
    assert len(summary.created) == 64
    again = tmp_path / f"again{suffix}"
    catalog_export(path=again)
    if suffix == ".json":
        assert json.loads(again.read_text()) == json.loads(exported.read_text())
    else:
        from openpyxl import load_workbook

        def cells(path):
            book = load_workbook(path, read_only=True)
            return {name: [list(r) for r in book[name].iter_rows(values_only=True)]
                    for name in book.sheetnames}
        assert cells(again) == cells(exported)


def test_xlsx_errors_name_the_sheet_and_row(tmp_path):
    from openpyxl import load_workbook

    path = tmp_path / "catalogue.xlsx"
    catalog_export(path=path)
    book = load_workbook(path)
    sheet = book["procedures"]
    header = [c.value for c in sheet[1]]
    sheet.cell(row=5, column=header.index("processing_time") + 1, value="ba ngày")
    book["fees"].append(["0.000000", "2025-07-01", "Phí lạc", "fixed", 1000])
    book.save(path)
    with pytest.raises(CatalogImportError) as caught:
        catalog_import(path=path)
    text = "\n".join(str(e) for e in caught.value.errors)
    assert "trang procedures dòng 5" in text and "processing_time" in text
    assert "trang fees dòng" in text and "0.000000" in text


def test_a_file_that_is_not_a_catalogue_is_refused_clearly(tmp_path):
    path = tmp_path / "catalogue.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(CatalogImportError) as caught:
        catalog_import(path=path)
    assert "không phải JSON hợp lệ" in str(caught.value)
    bad_xlsx = tmp_path / "catalogue.xlsx"
    bad_xlsx.write_bytes(b"PK\x03\x04 this is not a workbook")
    with pytest.raises(CatalogImportError):
        catalog_import(path=bad_xlsx)


def test_the_command_prints_a_summary_and_fails_cleanly(tmp_path, capsys):
    call_command("catalog_import", str(write(tmp_path, [sample()])))
    assert "created 1" in capsys.readouterr().out
    with pytest.raises(CommandError, match="nothing was imported"):  # operators' log: English
        call_command("catalog_import", str(write(tmp_path, [sample(code="x")], "bad.json")))


def test_the_published_essential_file_imports_once_its_gaps_are_filled(tmp_path):
    records = demo_records()
    assert len(records) == 64
    gap = copy.deepcopy(records[0])
    gap["processing_time"] = {"value": None, "unit": None}
    with pytest.raises(CatalogImportError):
        catalog_import(path=write(tmp_path, [gap]))
    assert all("agency_kind" in r["demo_fields"] for r in records)
