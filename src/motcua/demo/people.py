"""Demo accounts: citizens of two communes and officials of every role at the provincial
centre, the provincial departments and those two communes. Passwords are documented in the
README; they exist only in demo data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction

from motcua.accounts.models import Kind, OfficialRole, Role, User
from motcua.geo.models import Agency, ServiceDesk, Unit

from .geo import PROVINCE_SUFFIX

# Demonstration accounts only, documented in the README; never created outside `demo load`.
CITIZEN_PASSWORD = "Motcua@2026"  # noqa: S105
OFFICIAL_PASSWORD = "Canbo@2026"  # noqa: S105
ADMIN_PASSWORD = "Quantri@2026"  # noqa: S105

VIET_TRI, THANH_SON = "07900", "08542"


@dataclass(frozen=True)
class DemoCitizen:
    national_id: str
    full_name: str
    phone: str
    email: str
    born: dt.date
    sex: str
    unit: str
    address: str


# Personal identification numbers: 025 (Phú Thọ), century-and-sex digit, year, six digits.
CITIZENS = [
    DemoCitizen("025080001234", "Nguyễn Văn An", "0912000001", "an.nguyen@example.vn",
                dt.date(1980, 3, 12), "nam", VIET_TRI, "Số 12 đường Hùng Vương, tổ dân phố 3"),
    DemoCitizen("025185004321", "Trần Thị Bình", "0912000002", "",
                dt.date(1985, 7, 2), "nu", THANH_SON, "Khu Dự Thượng"),
    DemoCitizen("025055006789", "Lê Văn Cường", "0912000003", "",
                dt.date(1955, 1, 20), "nam", THANH_SON, "Khu Bình Dân"),
    DemoCitizen("025192001111", "Phạm Thị Dung", "0912000004", "dung.pham@example.vn",
                dt.date(1992, 11, 5), "nu", VIET_TRI, "Số 5 ngõ 8 đường Trần Phú, tổ dân phố 6"),
    DemoCitizen("025203002222", "Hoàng Minh Đức", "0912000005", "duc.hoang@example.vn",
                dt.date(2003, 6, 30), "nam", VIET_TRI, "Số 40 đường Nguyễn Tất Thành"),
    DemoCitizen("025170003333", "Đỗ Thị Hoa", "0912000006", "",
                dt.date(1970, 9, 9), "nu", THANH_SON, "Khu Tân Thành"),
]

# (user name, full name, agency code, role)
PROVINCIAL_OFFICIALS = [
    ("tinh.motcua", "Vũ Thị Lan", f"000.00.01.{PROVINCE_SUFFIX}", Role.RECEIVER),
    ("sotuphap.cv", "Bùi Văn Hải", f"000.00.02.{PROVINCE_SUFFIX}", Role.SPECIALIST),
    ("sotuphap.ld", "Ngô Quang Minh", f"000.00.02.{PROVINCE_SUFFIX}", Role.LEADER),
    ("sonoivu.cv", "Đặng Thị Thu", f"000.00.03.{PROVINCE_SUFFIX}", Role.SPECIALIST),
    ("sonoivu.ld", "Lý Văn Thắng", f"000.00.03.{PROVINCE_SUFFIX}", Role.LEADER),
    ("sotaichinh.cv", "Mai Thị Hương", f"000.00.04.{PROVINCE_SUFFIX}", Role.SPECIALIST),
    ("sotaichinh.ld", "Trịnh Văn Long", f"000.00.04.{PROVINCE_SUFFIX}", Role.LEADER),
    ("vpdkdd.cv", "Phan Thị Ngọc", f"000.00.05.{PROVINCE_SUFFIX}", Role.SPECIALIST),
    ("vpdkdd.ld", "Tạ Văn Sơn", f"000.00.05.{PROVINCE_SUFFIX}", Role.LEADER),
    ("congantinh.cv", "Hà Văn Tuấn", f"000.00.06.{PROVINCE_SUFFIX}", Role.SPECIALIST),
    ("congantinh.ld", "Kiều Minh Quân", f"000.00.06.{PROVINCE_SUFFIX}", Role.LEADER),
    ("bhxh.cv", "Lương Thị Yến", f"000.00.07.{PROVINCE_SUFFIX}", Role.SPECIALIST),
    ("bhxh.ld", "Đinh Văn Phúc", f"000.00.07.{PROVINCE_SUFFIX}", Role.LEADER),
    ("thue.cv", "Cao Thị Mai", f"000.00.08.{PROVINCE_SUFFIX}", Role.SPECIALIST),
    ("thue.ld", "Quách Văn Bảo", f"000.00.08.{PROVINCE_SUFFIX}", Role.LEADER),
]
COMMUNE_OFFICIALS = {
    VIET_TRI: ("vietri", ["Nguyễn Thị Thảo", "Trần Văn Khoa", "Lê Minh Hùng",
                          "Phạm Văn Toàn", "Hoàng Đức Nam"]),
    THANH_SON: ("thanhson", ["Đào Thị Nhung", "Vương Văn Lợi", "Chu Văn Thành",
                             "Dương Văn Hòa", "Triệu Văn Kiên"]),
}


def _user(username, full_name, *, kind, password_hash, **extra) -> User:
    user, _created = User.objects.get_or_create(username=username, defaults={
        "full_name": full_name, "kind": kind, "password": password_hash, **extra})
    return user


def _role(user, agency, role, desk=None):
    OfficialRole.objects.get_or_create(user=user, agency=agency, role=role,
                                       defaults={"desk": desk})


@transaction.atomic
def demo_people_load() -> dict[str, int]:
    """Create the demo accounts if missing; existing ones are left as they are."""
    # One hash per password: argon2 is slow on purpose, and the demo has ~40 accounts.
    citizen_hash = make_password(CITIZEN_PASSWORD)
    official_hash = make_password(OFFICIAL_PASSWORD)
    units = {u.code: u for u in Unit.objects.filter(code__in=[VIET_TRI, THANH_SON])}
    for c in CITIZENS:
        _user(c.national_id, c.full_name, kind=Kind.CITIZEN, password_hash=citizen_hash,
              national_id=c.national_id, phone=c.phone, email=c.email, date_of_birth=c.born,
              unit=units[c.unit], address=c.address)
    agencies = {a.code: a for a in Agency.objects.all()}
    for username, full_name, agency_code, role in PROVINCIAL_OFFICIALS:
        user = _user(username, full_name, kind=Kind.OFFICIAL, password_hash=official_hash)
        agency = agencies[agency_code]
        desk = ServiceDesk.objects.filter(agency=agency).first() if role == Role.RECEIVER \
            else None
        _role(user, agency, role, desk)
    for unit_code, (prefix, names) in COMMUNE_OFFICIALS.items():
        unit = units[unit_code]
        ubnd = Agency.objects.get(unit=unit, kind__slug="ubnd_xa")
        police = Agency.objects.get(unit=unit, kind__slug="cong_an_xa")
        desk = ServiceDesk.objects.filter(agency=ubnd).first()
        accounts = [
            (f"{prefix}.motcua", names[0], ubnd, Role.RECEIVER, desk),
            (f"{prefix}.tuphap", names[1], ubnd, Role.SPECIALIST, None),
            (f"{prefix}.chutich", names[2], ubnd, Role.LEADER, None),
            (f"{prefix}.congan.cv", names[3], police, Role.SPECIALIST, None),
            (f"{prefix}.congan.ld", names[4], police, Role.LEADER, None),
        ]
        for username, full_name, agency, role, role_desk in accounts:
            user = _user(username, full_name, kind=Kind.OFFICIAL, password_hash=official_hash)
            _role(user, agency, role, role_desk)
    admin, _created = User.objects.get_or_create(username="quantri", defaults={
        "full_name": "Quản trị hệ thống", "kind": Kind.OFFICIAL, "is_staff": True,
        "is_superuser": True, "password": make_password(ADMIN_PASSWORD)})
    _role(admin, agencies[f"000.00.01.{PROVINCE_SUFFIX}"], Role.ADMIN)
    return {"citizens": len(CITIZENS), "officials": User.objects.filter(
        kind=Kind.OFFICIAL).count()}
