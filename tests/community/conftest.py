"""The people of the demo teams (loaded once per session by `demo load`) and a fresh team in
a village that has none, built through the services."""

import datetime as dt

import pytest
from django.utils import timezone

from motcua.accounts.models import Kind, User
from motcua.community import services
from motcua.community.models import Member, Team
from motcua.geo.models import Unit

VIET_TRI, THANH_SON = "07900", "08542"


@pytest.fixture
def viet_tri(db):
    return Unit.objects.get(code=VIET_TRI)


@pytest.fixture
def thanh_son(db):
    return Unit.objects.get(code=THANH_SON)


@pytest.fixture
def chairman(db):
    """Lê Minh Hùng, chairman of Phường Việt Trì: manages the ward's teams."""
    return User.objects.get(username="vietri.chutich")


@pytest.fixture
def desk_officer(db):
    """Nguyễn Thị Thảo, at the ward's one-stop desk: confirms attendance there."""
    return User.objects.get(username="vietri.motcua")


@pytest.fixture
def province_official(db):
    """Lưu Thị Ngân, of the provincial Department of Science and Technology."""
    return User.objects.get(username="sokhcn.cv")


@pytest.fixture
def leader(db):
    """Nguyễn Thu Hằng, leader of the team of Tổ dân phố 3 (demo)."""
    return User.objects.get(username="025095700001")


@pytest.fixture
def member_user(db):
    """Trần Quốc Bảo, member of the team of Tổ dân phố 3 (demo)."""
    return User.objects.get(username="025201700002")


def citizen_account(national_id: str, name: str, unit) -> User:
    return User.objects.create(username=national_id, national_id=national_id,
                               full_name=name, kind=Kind.CITIZEN, unit=unit,
                               phone="0912345" + national_id[-3:])


def people(n: int, *, start: int = 0) -> list[dict]:
    names = ["Phan Văn Lực", "Lò Thị Hoa", "Mai Đức Toàn", "Quàng Văn Ánh", "Vi Thị Nụ",
             "Hầu Văn Dũng", "Tạ Thị Lụa", "Ninh Văn Phong", "Khổng Thị Huệ", "Lục Văn Tài",
             "Âu Thị Mến"]
    return [{"full_name": names[(start + i) % len(names)], "role": "leader" if i == 0
             else "member", "background": "youth_union", "phone": f"09870000{i:02d}"}
            for i in range(n)]


@pytest.fixture
def new_team(viet_tri, chairman):
    """The team of Tổ dân phố 7 (which had none): four members, each with an account."""
    village = Unit.objects.get(code=f"{VIET_TRI}.007")
    rows = people(4)
    for index, row in enumerate(rows):
        row["user"] = citizen_account(f"02509070{index:04d}", row["full_name"], viet_tri)
    return services.team_create(actor=chairman, commune=viet_tri, village=village,
                                founded_on=timezone.localdate() - dt.timedelta(days=400),
                                members=rows)


def team_member(team: Team, index: int = 0) -> Member:
    return team.members.order_by("pk")[index]
