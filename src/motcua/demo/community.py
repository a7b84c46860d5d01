"""Demo teams of Phường Việt Trì and Xã Thanh Sơn: members with accounts, households, three
months of visits and desk duty (attendance confirmed by the desk officers), a frozen
allowance statement, training courses, and dossiers submitted with a member's help through
the real services. Names, numbers and households are demonstration values.

Idempotent: once the demo communes have teams, a second run changes nothing."""

from __future__ import annotations

import datetime as dt
import random
import re
import uuid

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from motcua.accounts.models import Kind, OfficialRole, Role, User
from motcua.community import rules
from motcua.community.models import (
    Completion,
    ConfirmMethod,
    Course,
    CourseMode,
    CriteriaSet,
    Criterion,
    Household,
    Member,
    Period,
    Shift,
    Signup,
    SignupStatus,
    Skill,
    Team,
    Visit,
)
from motcua.core.formats import LOCAL_TZ
from motcua.geo.models import Agency, AgencyKind, Unit

# Demonstration accounts only, documented in the README.
MEMBER_PASSWORD = "Toso@2026"  # noqa: S105
OFFICIAL_PASSWORD = "Canbo@2026"  # noqa: S105
VIET_TRI, THANH_SON = "07900", "08542"
SEED = 611
# Villages left without a team, so the commune page has something to say.
NO_TEAM = {"07900.007", "07900.008", "08542.005", "08542.006"}
# Named members documented in the README: (national id, name, village, role, background).
NAMED = [
    ("025095700001", "Nguyễn Thu Hằng", "07900.003", "leader", "village_head"),
    ("025201700002", "Trần Quốc Bảo", "07900.003", "member", "youth_union"),
    ("025088700003", "Hà Văn Sinh", "08542.001", "leader", "village_head"),
    ("025199700004", "Đinh Thị Mai", "08542.001", "member", "youth_union"),
]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hà", "Đinh",
          "Cao", "Kiều"]
MIDDLE = ["Văn", "Thị", "Minh", "Ngọc", "Đức", "Thu", "Hữu", "Thanh", "Quang"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hạnh", "Khánh", "Linh", "Long", "Nga",
         "Phương", "Quân", "Sơn", "Thảo", "Trang", "Tuấn", "Vân", "Yến", "Hiếu", "Lan"]
BACKGROUNDS = ["police", "youth_union", "mass_organisation", "business", "volunteer",
               "official"]
COURSES = [
    ("Kỹ năng số cơ bản cho thành viên Tổ công nghệ số cộng đồng",
     "Bộ Khoa học và Công nghệ — nền tảng học trực tuyến mở đại trà", CourseMode.ONLINE,
     "https://onedx.edu.vn/", 8, 150),
    ("Hướng dẫn tài khoản VNeID mức độ 2 và nộp hồ sơ trực tuyến",
     "Công an tỉnh Phú Thọ và Sở Khoa học và Công nghệ", CourseMode.IN_PERSON, "", 4, 75),
    ("Thanh toán trực tuyến phí, lệ phí và an toàn trên không gian mạng",
     "Sở Khoa học và Công nghệ tỉnh Phú Thọ", CourseMode.IN_PERSON, "", 4, 30),
]


def _name(rng) -> str:
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def _province_department() -> Agency:
    """The provincial department that oversees the teams (after 2025, Science and
    Technology), with a specialist and a leader."""
    from motcua.demo.geo import PROVINCE_SUFFIX

    kind, _created = AgencyKind.objects.get_or_create(
        slug="so_khcn", defaults={"name": "Sở Khoa học và Công nghệ"})
    province = Unit.objects.get(code="25")
    agency, _created = Agency.objects.get_or_create(
        code=f"000.00.09.{PROVINCE_SUFFIX}", defaults={
            "name": "Sở Khoa học và Công nghệ tỉnh Phú Thọ", "kind": kind, "unit": province,
            "parent": Agency.objects.filter(kind__slug="ubnd_tinh").first(), "is_demo": True})
    password = make_password(OFFICIAL_PASSWORD)
    for username, full_name, role in (("sokhcn.cv", "Lưu Thị Ngân", Role.SPECIALIST),
                                      ("sokhcn.ld", "Tống Văn Khải", Role.LEADER)):
        user, _created = User.objects.get_or_create(username=username, defaults={
            "full_name": full_name, "kind": Kind.OFFICIAL, "password": password})
        OfficialRole.objects.get_or_create(user=user, agency=agency, role=role)
    return agency


def _at(day: dt.date, rng) -> dt.datetime:
    minute = rng.randint(8 * 60, 19 * 60)
    return dt.datetime.combine(day, dt.time(minute // 60, minute % 60), tzinfo=LOCAL_TZ)


@transaction.atomic
def demo_community_load(*, dossiers: bool = True) -> dict[str, int]:
    _province_department()
    communes = {u.code: u for u in Unit.objects.filter(code__in=[VIET_TRI, THANH_SON])}
    if Team.objects.filter(commune__in=communes.values()).exists():
        return {}
    rng = random.Random(SEED)
    today = timezone.localdate()
    start = (today.replace(day=1) - dt.timedelta(days=75)).replace(day=1)
    password = make_password(MEMBER_PASSWORD)
    named = {n[2]: [] for n in NAMED}
    for entry in NAMED:
        named[entry[2]].append(entry)
    teams, members = [], []
    serial = 10
    for code in (VIET_TRI, THANH_SON):
        commune = communes[code]
        for village in Unit.objects.filter(parent=commune).order_by("code"):
            if village.code in NO_TEAM:
                continue
            team = Team.objects.create(
                commune=commune, village=village, founded_on=start - dt.timedelta(days=120),
                name=f"Tổ công nghệ số cộng đồng {village.name}",
                phone=f"09{rng.randint(10000000, 99999999)}",
                desk=commune.desks.filter(agency__kind__slug="ubnd_xa").first())
            teams.append(team)
            rows = list(named.get(village.code, []))
            size = rng.randint(5, 7)
            while len(rows) < size:
                serial += 1
                rows.append((f"025{rng.choice('0123')}{rng.randint(60, 99):02d}7{serial:05d}",
                             _name(rng), village.code,
                             "leader" if not rows else ("deputy" if len(rows) == 1 else
                                                        "member"),
                             "village_head" if not rows else rng.choice(BACKGROUNDS)))
            for national_id, full_name, _village, role, background in rows:
                user, _created = User.objects.get_or_create(username=national_id, defaults={
                    "full_name": full_name, "kind": Kind.CITIZEN, "national_id": national_id,
                    "password": password, "unit": commune,
                    "phone": f"09{rng.randint(10000000, 99999999)}"})
                members.append(Member.objects.create(
                    team=team, user=user, full_name=full_name, phone=user.phone, role=role,
                    background=background, joined_on=team.founded_on,
                    skills=rng.sample(Skill.values, 3)))
            for number in range(1, 26):
                Household.objects.create(
                    village=village, head_name=_name(rng),
                    address=(f"Số {rng.randint(1, 120)}, ngõ {rng.randint(1, 30)}"
                             if village.division_type == "tổ dân phố"
                             else f"Xóm {rng.randint(1, 6)}, nhà số {number}"))
    _visits(rng, teams, start, today)
    _duty(rng, teams, start, today)
    _training(rng, members, today)
    _criteria()
    issued = _statement(communes[VIET_TRI], today)
    assisted = _assisted_dossiers(rng, teams) if dossiers else 0
    return {"teams": len(teams), "members": len(members), "statement": int(issued),
            "assisted": assisted}


def _visits(rng, teams, start, today):
    households = {}
    for household in Household.objects.filter(village__in=[t.village for t in teams]):
        households.setdefault(household.village_id, []).append(household)
    rows = []
    for team in teams:
        for member in team.members.all():
            day = start + dt.timedelta(days=rng.randint(0, 5))
            eagerness = rng.uniform(0.6, 1.6)
            while day <= today:
                at = _at(day, rng)
                if at < timezone.now():
                    taught = rng.sample(Skill.values, rng.randint(1, 3))
                    rows.append(Visit(
                        member=member, team=team, at=at,
                        household=rng.choice(households[team.village_id]),
                        people_helped=rng.randint(1, 4), vneid_installed=rng.random() < 0.3,
                        vneid_level2=rng.random() < 0.25, service_account=rng.random() < 0.3,
                        dossier_online=rng.random() < 0.15, cashless=rng.random() < 0.2,
                        skills=taught, idempotency_key=uuid.UUID(int=rng.getrandbits(128)).hex,
                        recorded_by=member.user, created_at=at))
                day += dt.timedelta(days=max(1, round(rng.expovariate(eagerness / 4))))
    Visit.objects.bulk_create(rows, batch_size=500)


def _duty(rng, teams, start, today):
    by_commune: dict[int, list[Team]] = {}
    for team in teams:
        by_commune.setdefault(team.commune_id, []).append(team)
    horizon = today + dt.timedelta(days=14)
    for commune_teams in by_commune.values():
        desk_officer = User.objects.filter(
            roles__role=Role.RECEIVER, roles__desk=commune_teams[0].desk).first()
        day, turn = start, 0
        while day <= horizon:
            if day.weekday() < 5:
                for period in Period.values:
                    team = commune_teams[turn % len(commune_teams)]
                    turn += 1
                    shift = Shift.objects.create(team=team, desk=team.desk, day=day,
                                                 period=period, places=2,
                                                 created_by=team.members.first().user)
                    chosen = rng.sample(list(team.members.all()), 2)
                    for member in chosen:
                        past = day < today
                        status = SignupStatus.SIGNED_UP
                        if past:
                            status = (SignupStatus.ATTENDED if rng.random() < 0.9
                                      else SignupStatus.ABSENT)
                        at = dt.datetime.combine(day, dt.time(7 if period == "morning" else 13),
                                                 tzinfo=LOCAL_TZ) - dt.timedelta(days=3)
                        Signup.objects.create(
                            shift=shift, member=member, status=status, signed_up_at=at,
                            method=ConfirmMethod.DESK if past else "",
                            confirmed_by=desk_officer if past else None,
                            confirmed_at=at + dt.timedelta(days=3, hours=4) if past else None)
            day += dt.timedelta(days=1)


def _training(rng, members, today):
    for title, provider, mode, url, hours, days_back in COURSES:
        course = Course.objects.create(title=title, provider=provider, mode=mode, url=url,
                                       hours=hours,
                                       starts_on=today - dt.timedelta(days=days_back))
        for member in members:
            if rng.random() < 0.55:
                Completion.objects.create(
                    course=course, member=member,
                    completed_on=course.starts_on + dt.timedelta(days=rng.randint(1, 20)))


def _criteria():
    if CriteriaSet.objects.exists():
        return
    criteria = CriteriaSet.objects.create(name="Bộ tiêu chí đánh giá Tổ công nghệ số cộng "
                                               "đồng (mặc định)",
                                          valid_from=dt.date(2025, 7, 1),
                                          recognition_threshold=rules.DEFAULT_THRESHOLD)
    Criterion.objects.bulk_create([Criterion(criteria_set=criteria, measure=r.measure,
                                             weight=r.weight, target=r.target)
                                   for r in rules.DEFAULT_RULES])


def _statement(commune, today) -> bool:
    """The month before last is issued (frozen); last month is left for the demo to issue."""
    from motcua.community.services import statement_issue

    chairman = User.objects.filter(roles__role=Role.LEADER, roles__agency__unit=commune,
                                   roles__agency__kind__slug="ubnd_xa").first()
    month = (today.replace(day=1) - dt.timedelta(days=40)).replace(day=1)
    if chairman is None:
        return False
    statement_issue(actor=chairman, commune=commune, month=month)
    return True


def _assisted_dossiers(rng, teams) -> int:
    """Dossiers submitted with a member's help, as members do it: on the citizen's own phone
    (the citizen types the member's code), and on a citizen's behalf (the citizen reads back
    the code the SMS brought)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from motcua.catalog.models import Procedure
    from motcua.community import services
    from motcua.demo.dossiers import _pdf, demo_form_data
    from motcua.demo.people import CITIZENS
    from motcua.dossiers import services as dossier_services
    from motcua.eforms.schema import effective_schema
    from motcua.notifications.models import Notification

    version = Procedure.objects.get(code="1.004873").current_version()
    made = 0
    citizens = {c.national_id: c for c in CITIZENS}
    for team in teams[:4]:
        member = team.members.filter(role="leader").first()
        local = [c for c in citizens.values() if c.unit == team.commune.code]
        citizen = User.objects.get(username=local[made % len(local)].national_id)
        if made % 2 == 0:
            assistance, code = services.assistance_start_own_account(actor=member.user,
                                                                      version=version)
            dossier = services.assistance_accept(citizen=citizen, code=code)
            actor, person = citizen, citizen
        else:
            assistance = services.assistance_start_on_behalf(
                actor=member.user, version=version, citizen_name="Bùi Thị Nhàn",
                national_id=f"02515{rng.randint(0, 9)}{rng.randint(100000, 999999)}",
                phone=f"09{rng.randint(10000000, 99999999)}", unit=team.commune)
            sms = Notification.objects.filter(template="community_consent_code").latest("pk")
            code = re.search(r"\b(\d{6})\b", sms.body).group(1)
            dossier = services.assistance_confirm(actor=member.user, assistance=assistance,
                                                  code=code)
            actor, person = member.user, None
        form = demo_form_data(effective_schema(version), person, random.Random(SEED + made))
        if person is None:
            form.update({"full_name": assistance.citizen_name,
                         "national_id": assistance.citizen_national_id,
                         "phone": assistance.citizen_phone, "commune": team.commune.code})
        dossier_services.dossier_form_save(dossier=dossier, actor=actor, data=form)
        for document in dossier_services.required_documents(dossier):
            if document.mandatory:
                dossier_services.attachment_add(
                    dossier=dossier, actor=actor, document_key=document.key,
                    fileobj=SimpleUploadedFile(f"{document.key}.pdf", _pdf(document.name),
                                               "application/pdf"),
                    original_name=f"{document.key}.pdf")
        dossier_services.dossier_submit(dossier=dossier, actor=actor)
        made += 1
    return made
