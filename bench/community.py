"""Community teams at a large province's size (run in a prepared database by
bench/__main__.py): 631 teams of 7 (Tây Ninh's 631 teams, over 4,400 members) and a month of
their visits, then the time of the province's dashboard and of logging a visit."""

import datetime as dt
import random
import time
import uuid

from django.db import transaction
from django.utils import timezone

TEAMS = 631
MEMBERS = 7


@transaction.atomic
def province_fill(*, visits_per_member: int = 12) -> dict:
    from motcua.accounts.models import Kind, User
    from motcua.community.models import Household, Member, Team, Visit
    from motcua.core.formats import LOCAL_TZ
    from motcua.geo.models import Unit

    rng = random.Random(631)
    communes = list(Unit.objects.filter(parent__code="25").order_by("code"))
    villages = []
    for index in range(TEAMS):
        commune = communes[index % len(communes)]
        code = f"{commune.code}.b{index:03d}"
        villages.append(Unit(code=code, name=f"Thôn {index}", division_type="thôn",
                             parent=commune, path=f"{commune.path}{code}/",
                             depth=commune.depth + 1))
    Unit.objects.bulk_create(villages)
    villages = list(Unit.objects.filter(code__contains=".b").select_related("parent"))
    today = timezone.localdate()
    teams = Team.objects.bulk_create([Team(commune=v.parent, village=v, name=f"Tổ {v.name}",
                                           founded_on=today - dt.timedelta(days=400))
                                      for v in villages])
    users = User.objects.bulk_create([
        User(username=f"bench{t}{m:02d}", kind=Kind.CITIZEN, full_name=f"Thành viên {m}")
        for t in range(len(teams)) for m in range(MEMBERS)])
    members = Member.objects.bulk_create([
        Member(team=teams[i // MEMBERS], user=u, full_name=u.full_name,
               role="leader" if i % MEMBERS == 0 else "member",
               joined_on=today - dt.timedelta(days=400)) for i, u in enumerate(users)])
    households = Household.objects.bulk_create([
        Household(village=v, head_name=f"Hộ {n}", address=f"Nhà {n}")
        for v in villages for n in range(20)])
    by_village = {}
    for household in households:
        by_village.setdefault(household.village_id, []).append(household)
    start = today.replace(day=1)
    days = max(1, (today - start).days + 1)
    rows = []
    for member in members:
        for _n in range(visits_per_member):
            day = start + dt.timedelta(days=rng.randrange(days))
            rows.append(Visit(
                member=member, team=member.team, at=dt.datetime.combine(
                    day, dt.time(rng.randint(8, 18)), tzinfo=LOCAL_TZ),
                household=rng.choice(by_village[member.team.village_id]),
                people_helped=rng.randint(1, 4), vneid_level2=rng.random() < 0.3,
                skills=["public_services"], idempotency_key=uuid.uuid4().hex))
    Visit.objects.bulk_create(rows, batch_size=2000)
    return {"teams": len(teams), "members": len(members), "visits": len(rows)}


def dashboard_time(rounds: int) -> list[float]:
    from motcua.accounts.models import User
    from motcua.community import rules, selectors
    from motcua.community.permissions import scope_of

    scope = scope_of(User.objects.get(username="sokhcn.cv"))
    period = rules.month_of(timezone.localdate())
    times = []
    for _round in range(rounds):
        began = time.perf_counter()
        selectors.dashboard(scope=scope, period=period)
        times.append((time.perf_counter() - began) * 1000)
    return times


def visit_rate(n: int) -> float:
    from motcua.accounts.models import User
    from motcua.community import services

    user = User.objects.get(username="bench000")
    began = time.perf_counter()
    for _n in range(n):
        services.visit_log(actor=user, idempotency_key=uuid.uuid4().hex, people_helped=2,
                           skills=["payment"], vneid_installed=True)
        user = User.objects.get(pk=user.pk)  # a new request: no cached scope
    return n / (time.perf_counter() - began)
