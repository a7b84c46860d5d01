import pytest

from motcua.geo.models import Agency, Unit
from motcua.geo.selectors import agencies_serving, desks_for_unit
from motcua.geo.services import UnitImportError, units_import

pytestmark = pytest.mark.django_db


def test_the_shipped_units_are_the_2025_two_tier_divisions():
    assert Unit.objects.filter(parent__isnull=True).count() == 34
    assert Unit.objects.filter(depth=1, code__regex=r"^\d{5}$").count() == 3321
    assert Unit.objects.get(code="25").name == "Tỉnh Phú Thọ"
    assert Unit.objects.filter(parent__code="25").count() == 148


def test_the_hierarchy_is_data_of_any_depth():
    village = Unit.objects.get(code="07900.001")
    assert [u.code for u in village.ancestors()] == ["25", "07900"]
    assert village.depth == 2
    assert Unit.objects.filter(path__startswith="25/07900/").count() == 9


def test_import_adds_a_level_below_communes(tmp_path):
    path = tmp_path / "villages.csv"
    path.write_text(
        "code,name,division_type,parent_code,codename\n"
        "08542.101.01,Xóm Đồi,xóm,08542.101,\n"  # a child before its parent
        "08542.101,Thôn Mới,thôn,08542,thon_moi\n",
        encoding="utf-8",
    )
    summary = units_import(path=path)
    assert summary.created == 2
    assert Unit.objects.get(code="08542.101.01").path == "25/08542/08542.101/08542.101.01/"


def test_a_bad_units_file_imports_nothing(tmp_path):
    path = tmp_path / "units.csv"
    path.write_text(
        "code,name,division_type,parent_code,codename\n"
        "99901,Xã Một,xã,25,\n"
        "99902,Xã Hai,xã,00,\n",  # unknown parent
        encoding="utf-8",
    )
    with pytest.raises(UnitImportError) as caught:
        units_import(path=path)
    assert str(caught.value) == "dòng 3: không có đơn vị cấp trên 00, hoặc bị vòng lặp"
    assert not Unit.objects.filter(code__in=["99901", "99902"]).exists()


def test_agencies_serving_a_commune_include_the_provincial_departments():
    commune = Unit.objects.get(code="08542")
    kinds = {a.kind.slug for a in agencies_serving(unit=commune)}
    assert {"ubnd_xa", "cong_an_xa", "so_tu_phap", "cong_an_tinh"} <= kinds
    other_commune_agencies = Agency.objects.filter(unit__code="07900")
    assert not set(agencies_serving(unit=commune)) & set(other_commune_agencies)


def test_a_commune_sees_its_own_desk_before_the_provincial_centre():
    desks = desks_for_unit(unit=Unit.objects.get(code="08542"))
    assert desks[0].unit.code == "08542"
    assert any("tỉnh Phú Thọ" in d.name for d in desks[1:])


def test_agency_codes_follow_the_national_format():
    from django.core.exceptions import ValidationError

    agency = Agency.objects.first()
    agency.code = "12-34"
    with pytest.raises(ValidationError):
        agency.full_clean()
