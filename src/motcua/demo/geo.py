"""Demo agencies, one-stop desks and villages of the demo province (Phú Thọ, code 25).

Names follow the real structure after the 2025 reform; electronic identifier codes,
addresses, phone numbers and villages are demonstration values (``is_demo``)."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from motcua.geo.models import Agency, AgencyKind, ServiceDesk, Unit

from .catalogue import AGENCY_KINDS

# Suffix of the province in the demo electronic identifier codes.
PROVINCE_SUFFIX = "H43"
OPENING_HOURS = "Thứ Hai – Thứ Sáu 7:30–11:30, 13:30–17:00; sáng Thứ Bảy 7:30–11:30"

PROVINCIAL = [
    # (code middle, kind, name)
    ("00.00", "ubnd_tinh", "Ủy ban nhân dân tỉnh Phú Thọ"),
    ("00.01", "ttphvhcc_tinh", "Trung tâm Phục vụ hành chính công tỉnh Phú Thọ"),
    ("00.02", "so_tu_phap", "Sở Tư pháp tỉnh Phú Thọ"),
    ("00.03", "so_noi_vu", "Sở Nội vụ tỉnh Phú Thọ"),
    ("00.04", "so_tai_chinh", "Sở Tài chính tỉnh Phú Thọ"),
    ("00.05", "vpdk_dat_dai", "Văn phòng Đăng ký đất đai tỉnh Phú Thọ"),
    ("00.06", "cong_an_tinh", "Công an tỉnh Phú Thọ"),
    ("00.07", "bhxh_tinh", "Bảo hiểm xã hội tỉnh Phú Thọ"),
    ("00.08", "thue", "Thuế tỉnh Phú Thọ"),
]
EXTRA_KINDS = {
    "ubnd_tinh": "Ủy ban nhân dân tỉnh",
    "ttphvhcc_tinh": "Trung tâm Phục vụ hành chính công tỉnh",
}
# Two communes get villages / residential groups and are the demo's home communes.
VILLAGES = {
    "07900": [f"Tổ dân phố {n}" for n in range(1, 9)],  # Phường Việt Trì
    "08542": ["Khu Dự Thượng", "Khu Bình Dân", "Khu Tân Thành", "Khu Đồng Tâm",
              "Khu Mít", "Khu Chiềng"],  # Xã Thanh Sơn
}


def _kind(slug: str) -> AgencyKind:
    name = AGENCY_KINDS.get(slug) or EXTRA_KINDS[slug]
    kind, _created = AgencyKind.objects.update_or_create(slug=slug, defaults={"name": name})
    return kind


def _agency(code, kind, name, unit, parent, served):
    agency, _created = Agency.objects.update_or_create(
        code=code,
        defaults={"kind": _kind(kind), "name": name, "unit": unit, "parent": parent,
                  "is_demo": True},
    )
    if set(agency.units_served.values_list("pk", flat=True)) != {u.pk for u in served}:
        agency.units_served.set(served)
    return agency


@transaction.atomic
def demo_geo_load() -> None:
    province = Unit.objects.get(code=settings.PROVINCE_CODE)
    for commune_code, names in VILLAGES.items():
        commune = Unit.objects.get(code=commune_code)
        for number, name in enumerate(names, start=1):
            code = f"{commune_code}.{number:03d}"
            unit = Unit.objects.filter(code=code).first()
            if unit is None:
                Unit(code=code, name=name, parent=commune,
                     division_type="tổ dân phố" if name.startswith("Tổ") else "khu").save()

    ubnd_tinh = None
    for middle, kind, name in PROVINCIAL:
        agency = _agency(f"000.{middle}.{PROVINCE_SUFFIX}", kind, name, province,
                         ubnd_tinh, [province])
        if kind == "ubnd_tinh":
            ubnd_tinh = agency
    centre = Agency.objects.get(code=f"000.00.01.{PROVINCE_SUFFIX}")
    ServiceDesk.objects.update_or_create(
        agency=centre, name="Trung tâm Phục vụ hành chính công tỉnh Phú Thọ",
        defaults={
            # It serves the whole province (its address is in Việt Trì).
            "unit": province,
            "address": "Số 1 đường Trần Phú, phường Việt Trì, tỉnh Phú Thọ",
            "phone": "0210 3 800 000", "opening_hours": OPENING_HOURS,
            "map_url": "https://www.openstreetmap.org/search?query=Vi%E1%BB%87t%20Tr%C3%AC",
            "is_demo": True,
        },
    )

    communes = Unit.objects.filter(parent=province).order_by("code")
    for number, commune in enumerate(communes, start=1):
        served = [commune]
        ubnd = _agency(f"{number:03d}.00.00.{PROVINCE_SUFFIX}", "ubnd_xa",
                       f"Ủy ban nhân dân {commune.name}", commune, ubnd_tinh, served)
        _agency(f"{number:03d}.01.00.{PROVINCE_SUFFIX}", "cong_an_xa",
                f"Công an {commune.name}", commune, None, served)
        short = commune.name.split(" ", 1)[1] if " " in commune.name else commune.name
        ServiceDesk.objects.update_or_create(
            agency=ubnd, name=f"Trung tâm Phục vụ hành chính công {commune.name}",
            defaults={
                "unit": commune,
                "address": f"Trụ sở Ủy ban nhân dân {commune.name}, tỉnh Phú Thọ",
                "phone": f"0210 3 {800 + number:03d} {number:03d}",
                "opening_hours": OPENING_HOURS,
                "map_url": "https://www.openstreetmap.org/search?query="
                + short.replace(" ", "%20"),
                "is_demo": True,
            },
        )
