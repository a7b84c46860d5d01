"""A realistic history of dossiers for a province, for load and statistics: `motcua simulate
--dossiers N --seed S`.

The services would take days for a million dossiers, so this is the bulk path: it writes
dossiers and their events in batches, with exactly the actions, statuses and data keys the
services write (dossiers/services.py and the event contract of payments, community teams
and electronic results) and the same hash chain (dossiers/audit.py), so `motcua audit
verify` accepts them and the statistics count them as any other. It writes no process steps
and no files: a simulated attachment is an event without a stored file.

What it imitates: communes of very different sizes; a seasonal year (quiet around Tết, busy
before the summer and the year's end), working days only at the desks, evenings and weekends
online too; the online share rising over the history; some agencies late more often than
others; supplements, refusals, withdrawals, stops, apologies; fees paid at the desk or online
(more online over time); electronic results and documents reused from the wallet becoming
common; ratings, mostly satisfied. The same seed gives the same history.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import random
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from motcua.core.formats import LOCAL_TZ

# Dossiers of a province in a year (Phú Thọ, 2020, in the seeds): sets the history's length.
DOSSIERS_PER_YEAR = 826_600
# The share of dossiers submitted online at the start and at the end of the history, for
# procedures offered online (fully online ones more).
ONLINE_START, ONLINE_END = 0.08, 0.55
MONTH_WEIGHT = {1: 0.85, 2: 0.6, 3: 1.0, 4: 1.0, 5: 1.05, 6: 1.1, 7: 1.1, 8: 1.0, 9: 0.95,
                10: 1.0, 11: 1.05, 12: 1.2}
REFUSALS = [
    "Hồ sơ không thuộc thẩm quyền giải quyết của cơ quan.",
    "Thành phần hồ sơ không đúng quy định.",
    "Người nộp không đủ điều kiện theo quy định.",
]
SUPPLEMENTS = [
    "Giấy tờ chụp chưa rõ, không đọc được số và ngày cấp.",
    "Thiếu bản sao giấy tờ chứng minh nơi cư trú.",
    "Tờ khai chưa ghi đủ thông tin, đề nghị bổ sung.",
    "Thiếu chữ ký của người yêu cầu trên tờ khai.",
]
DECLINES = ["Không đủ điều kiện cấp theo quy định hiện hành."]
WITHDRAWALS = ["Tôi muốn nộp lại hồ sơ khác đầy đủ hơn.", "Không còn nhu cầu giải quyết."]
STOPS = ["Người nộp không bổ sung hồ sơ trong thời hạn quy định."]
APOLOGIES = ["Cần lấy ý kiến cơ quan liên quan nên chưa kịp trả kết quả đúng hẹn."]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hạnh", "Khánh", "Linh", "Minh", "Nga"]
STEP_1, STEP_2 = "Thẩm định hồ sơ", "Phê duyệt, ký kết quả"


@dataclass
class Version:
    pk: int
    code: str
    procedure_id: int
    online_mode: str
    duration: int
    unit: str
    online_duration: int | None
    cutoff: dt.time | None
    result_electronic: bool
    fee: int
    documents: list[str]
    level: str          # "commune" or "province": where its competent agency sits
    weight: float


@dataclass
class Agency:
    pk: int
    code: str
    lateness: float     # chance that a dossier here is late
    desk_pk: int | None
    desk_agency_pk: int
    desk_agency_code: str
    receiver: int
    specialist: int
    leader: int


@dataclass
class World:
    now: dt.datetime
    start: dt.date
    communes: list          # (unit pk, unit code, weight)
    commune_weights: list
    versions: list[Version]
    version_weights: dict   # level → weights over versions of that level
    agencies: dict          # (version pk, commune pk) → Agency
    citizens: dict          # commune pk → [(user pk, name)]
    volunteers: list
    sequences: dict = field(default_factory=dict)


# --- the world: what exists in the database -------------------------------------------------------

def _sim_user(username: str, name: str, kind: str, unit_id=None):
    from motcua.accounts.models import User

    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create(username=username, full_name=name, kind=kind,
                                   unit_id=unit_id, password=make_password(None))
    return user


def _official(agency, role):
    from motcua.accounts.models import OfficialRole

    found = (OfficialRole.objects.filter(agency=agency, role=role)
             .order_by("user__username").values_list("user_id", flat=True).first())
    if found:
        return found
    user = _sim_user(f"sim.{agency.code}.{role}", f"Cán bộ mô phỏng {agency.code}", "official")
    OfficialRole.objects.get_or_create(user=user, agency=agency, role=role)
    return user.pk


def world_build(*, rng: random.Random, dossiers: int, now: dt.datetime) -> World:
    from motcua.catalog.models import ProcedureVersion
    from motcua.dossiers import routing
    from motcua.geo.models import Unit

    province = Unit.objects.get(code=settings.PROVINCE_CODE)
    communes = list(Unit.objects.filter(parent=province).order_by("code")
                    .values_list("pk", "code"))
    # Commune sizes: a few large wards, many small communes (log-normal).
    weights = [rng.lognormvariate(0, 0.8) for _ in communes]
    days = max(60, round(365 * dossiers / DOSSIERS_PER_YEAR))
    start = (now.astimezone(LOCAL_TZ) - dt.timedelta(days=days)).date()
    versions = []
    for v in (ProcedureVersion.objects.filter(bundle_members__isnull=True)
              .select_related("procedure", "agency_kind").prefetch_related("documents", "fees")
              .order_by("procedure__code", "-effective_from")):
        if v.procedure.current_version() != v:
            continue
        fee = max([f.amount or 0 for f in v.fees.all()] + [0])
        slug = v.agency_kind.slug if v.agency_kind_id else ""
        level = "commune" if slug in ("ubnd_xa", "cong_an_xa") else "province"
        versions.append(Version(
            pk=v.pk, code=v.procedure.code, procedure_id=v.procedure_id,
            online_mode=v.online_mode, duration=v.processing_time, unit=v.processing_time_unit,
            online_duration=v.online_processing_time, cutoff=v.cutoff_time,
            result_electronic=v.result_electronic, fee=fee,
            documents=[d.key for d in v.documents.all() if d.mandatory] or
            [d.key for d in v.documents.all()][:1],
            level=level, weight=rng.paretovariate(1.2) * (3 if level == "commune" else 1)))
    version_weights = {lvl: [v.weight if v.level == lvl else 0 for v in versions]
                       for lvl in ("commune", "province")}
    agencies: dict = {}
    by_pk: dict = {}
    units = {u.pk: u for u in Unit.objects.filter(pk__in=[c[0] for c in communes])}
    kinds = dict(ProcedureVersion.objects.filter(pk__in=[v.pk for v in versions])
                 .values_list("pk", "agency_kind_id"))
    found: dict = {}
    for v in versions:
        version = None
        for unit_pk, _code in communes:
            key = (kinds[v.pk], unit_pk)
            if key not in found:
                # The competent agency depends on the kind of agency and the unit only.
                version = version or ProcedureVersion.objects.get(pk=v.pk)
                try:
                    found[key] = routing.competent_agency_find(version=version,
                                                               unit=units[unit_pk])
                except routing.RoutingError:
                    found[key] = None
            agency = found[key]
            if agency is None:
                continue
            if agency.pk not in by_pk:
                desk = routing.intake_desk_find(agency=agency)
                desk_agency = desk.agency if desk else agency
                by_pk[agency.pk] = Agency(
                    pk=agency.pk, code=agency.code,
                    lateness=min(0.4, rng.betavariate(1.2, 14)),
                    desk_pk=desk.pk if desk else None, desk_agency_pk=desk_agency.pk,
                    desk_agency_code=desk_agency.code,
                    receiver=_official(desk_agency, "receiver"),
                    specialist=_official(agency, "specialist"),
                    leader=_official(agency, "leader"))
            agencies[(v.pk, unit_pk)] = by_pk[agency.pk]
    citizens = {}
    for unit_pk, code in communes:
        citizens[unit_pk] = [
            (_sim_user(f"sim.{code}.{i:02d}", f"{FAMILY[i % 10]} Văn {GIVEN[i % 11]}",
                       "citizen", unit_pk).pk, f"{FAMILY[i % 10]} Văn {GIVEN[i % 11]}")
            for i in range(12)]
    volunteers = [_sim_user(f"sim.tocnscd.{i:02d}", f"Tình nguyện viên {i}", "citizen").pk
                  for i in range(20)]
    return World(now=now, start=start, communes=communes, commune_weights=weights,
                 versions=versions, version_weights=version_weights, agencies=agencies,
                 citizens=citizens, volunteers=volunteers)


# --- one dossier ----------------------------------------------------------------------------------

class Plan:
    """One dossier's events and the fields of its row, written like the services do."""

    def __init__(self):
        self.events: list[dict] = []
        self.status = 0
        self.fields: dict = {}

    def event(self, at, action, to_status=None, *, data=None, actor=None, role="",
              agency=None, reason=""):
        frm = self.status if self.events else None
        to = self.status if to_status is None else to_status
        self.events.append({"at": at, "action": action, "from_status": frm, "to_status": to,
                            "data": data or {}, "actor_id": actor, "actor_role": role,
                            "agency_id": agency, "reason": reason})
        self.status = to


def _share(world: World, at: dt.datetime, low: float, high: float) -> float:
    """A share rising along the history, like a logistic curve."""
    span = (world.now.date() - world.start).days or 1
    x = ((at.date() - world.start).days / span) * 10 - 5
    return low + (high - low) / (1 + math.exp(-x))


def _fake_hash(rng: random.Random) -> str:
    return hashlib.sha256(rng.getrandbits(64).to_bytes(8, "big")).hexdigest()


def _timeliness(finished: dt.datetime, due: dt.datetime) -> str:
    from motcua.dossiers.deadlines import timeliness

    return str(timeliness(finished_at=finished, due_at=due))


def dossier_plan(rng: random.Random, world: World, calendar, when: dt.datetime) -> Plan | None:
    """The life of one dossier submitted around ``when``, cut at the present."""
    commune_pk, commune_code = rng.choices(world.communes, world.commune_weights)[0]
    level = "commune" if rng.random() < 0.75 else "province"
    version = rng.choices(world.versions, world.version_weights[level])[0]
    agency = world.agencies.get((version.pk, commune_pk))
    if agency is None:
        return None
    now = world.now
    online_share = _share(world, when, ONLINE_START, ONLINE_END) * (
        1.3 if version.online_mode == "full" else 0.8)
    online = version.online_mode != "none" and rng.random() < online_share
    user_pk, name = rng.choice(world.citizens[commune_pk])
    p = Plan()
    hours = dt.timedelta(hours=1)

    def work(at, h):
        return calendar.add_working_time(at, dt.timedelta(hours=h))

    channel = "online" if online else ("post" if rng.random() < 0.03 else "in_person")
    if online:
        at = when if rng.random() < 0.75 else when.replace(hour=rng.choice([19, 20, 21, 22]))
        receiver = None
    else:
        at = calendar.receipt_time(when)
        receiver = agency.receiver
    actor = user_pk if online else receiver
    role = "applicant" if online else "receiver"
    p.event(at - rng.randint(5, 60) * dt.timedelta(minutes=1), "draft_created", 0,
            data={"procedure": version.code, "channel": channel}, actor=actor, role=role)
    if not online:
        p.event(at - 4 * dt.timedelta(minutes=1), "applicant_recorded",
                data={"unit": commune_code}, actor=receiver, role="receiver")
    scanned = online or rng.random() < _share(world, at, 0.45, 0.97)
    reuse = _share(world, at, 0.0, 0.45) if online else 0.0
    if scanned:
        for key in version.documents:
            data = {"document": key, "sha256": _fake_hash(rng), "size": rng.randint(80, 900) * 1024,
                    "attachment": None}
            if rng.random() < reuse:
                data.update(reused=True, wallet_document=None)
            p.event(at - 2 * dt.timedelta(minutes=1), "attachment_added", data=data, actor=actor)
    code_day = at.astimezone(LOCAL_TZ).date()
    seq_key = (agency.desk_agency_pk, code_day)
    world.sequences[seq_key] = world.sequences.get(seq_key, 0) + 1
    code = f"{agency.desk_agency_code}-{code_day:%y%m%d}-{world.sequences[seq_key]:04d}"
    duration = version.online_duration if online and version.online_duration else \
        version.duration
    p.fields.update(code=code, channel=channel, procedure_version_id=version.pk,
                    applicant_id=user_pk if online or rng.random() < 0.3 else None,
                    applicant_name=name, applicant_unit_id=commune_pk,
                    receiving_desk_id=agency.desk_pk, receiving_agency_id=agency.desk_agency_pk,
                    competent_agency_id=agency.pk, submitted_at=at, created_at=p.events[0]["at"],
                    created_by_id=actor)
    cut = False

    def happen(t):
        nonlocal cut
        if t > now:
            cut = True
        return not cut

    if online:
        data = {"code": code, "competent_agency": agency.code}
        if rng.random() < _share(world, at, 0.02, 0.15):
            data.update(assisted_by=rng.choice(world.volunteers),
                        assisted_team=1 + commune_pk % 7,
                        assisted_mode=rng.choice(["own_account", "on_behalf"]))
        p.event(at, "submit", 1, data=data, actor=user_pk, role="applicant",
                agency=agency.desk_agency_pk)
        t = work(at, rng.uniform(0.5, 12))
        if not happen(t):
            return p
        r = rng.random()
        if r < 0.03:
            p.event(t, "refuse", 3, actor=receiver or agency.receiver, role="receiver",
                    agency=agency.desk_agency_pk, reason=rng.choice(REFUSALS))
            p.fields["closed_at"] = t
            return p
        if r < 0.035:
            p.event(t, "withdraw", 7, actor=user_pk, role="applicant",
                    reason=rng.choice(WITHDRAWALS))
            p.fields["closed_at"] = t
            return p
        received = calendar.receipt_time(t)
        due = calendar.due_at(received, duration=duration, unit=version.unit,
                              cutoff=version.cutoff)
        p.event(t, "accept", 2, actor=agency.receiver, role="receiver",
                agency=agency.desk_agency_pk,
                data={"received_at": received.isoformat(), "due_at": due.isoformat()})
    else:
        received = at
        due = calendar.due_at(received, duration=duration, unit=version.unit,
                              cutoff=version.cutoff)
        p.event(at, "receive", 2, actor=receiver, role="receiver", agency=agency.desk_agency_pk,
                data={"code": code, "due_at": due.isoformat(), "competent_agency": agency.code})
        t = at
    p.fields.update(received_at=received, due_at=due, original_due_at=due)
    if version.fee and not online:
        p.event(t + 5 * dt.timedelta(minutes=1), "payment_received",
                data={"amount": version.fee, "channel": rng.choice(["desk_cash", "desk_card"]),
                      "gateway": "desk", "payment": f"SIM{rng.getrandbits(40):012d}",
                      "receipt": f"BL-{rng.randint(1, 999999):06d}"},
                actor=receiver, role="receiver", agency=agency.desk_agency_pk)
    t = work(max(t, received), rng.uniform(0.5, 6))
    if not happen(t):
        return p
    p.event(t, "start", 4, actor=agency.specialist, role="specialist", agency=agency.pk)
    if version.fee and online:
        t = t + rng.randint(5, 90) * dt.timedelta(minutes=1)
        if not happen(t):
            return p
        p.event(t, "request_payment", 6, data={"amount": version.fee}, actor=agency.specialist,
                role="specialist", agency=agency.pk)
        t = t + rng.uniform(0.2, 30) * hours
        if not happen(t):
            p.fields.update(resume_status=4)
            return p
        pay_online = rng.random() < _share(world, t, 0.3, 0.9)
        p.event(t, "payment_received", 4, data={
            "amount": version.fee, "channel": "online" if pay_online else "desk_cash",
            "gateway": "vnpay" if pay_online else "desk",
            "payment": f"SIM{rng.getrandbits(40):012d}",
            "receipt": f"BL-{rng.randint(1, 999999):06d}"}, actor=user_pk, role="applicant")
    if rng.random() < 0.09:
        t = work(t, rng.uniform(0.5, 8))
        if not happen(t):
            return p
        p.event(t, "request_supplement", 5, actor=agency.specialist, role="specialist",
                agency=agency.pk, reason=rng.choice(SUPPLEMENTS),
                data={"items": ["Bản chụp rõ nét giấy tờ"]})
        paused = t
        r = rng.random()
        t = t + rng.uniform(4, 24 * 12) * hours
        if r < 0.08 or not happen(t):
            p.fields.update(paused_at=paused, resume_status=4)
            return p
        if r < 0.16:
            p.event(t, "withdraw", 7, actor=user_pk, role="applicant",
                    reason=rng.choice(WITHDRAWALS))
            p.fields["closed_at"] = t
            return p
        if r < 0.2:
            p.event(t, "stop", 8, actor=agency.leader, role="leader", agency=agency.pk,
                    reason=rng.choice(STOPS))
            p.fields["closed_at"] = t
            return p
        resumed = calendar.receipt_time(t)
        new_due = calendar.due_at(resumed, duration=duration, unit=version.unit,
                                  cutoff=version.cutoff)
        p.event(t, "supplement", 4, actor=user_pk, role="applicant",
                data={"files": version.documents[:1], "previous_due_at": due.isoformat(),
                      "due_at": new_due.isoformat()})
        due = new_due
        p.fields.update(due_at=due, original_due_at=due)
    if rng.random() < 0.01:
        t = work(t, rng.uniform(1, 20))
        if happen(t):
            p.event(t, "withdraw", 7, actor=user_pk, role="applicant",
                    reason=rng.choice(WITHDRAWALS))
            p.fields["closed_at"] = t
        return p
    late = rng.random() < agency.lateness
    allowed = calendar.working_time_between(t, due)
    if late:
        finish = work(due, rng.uniform(1, 40))
        if rng.random() < 0.6:
            apology_at = due - rng.uniform(8, 30) * hours
            if apology_at > t and happen(apology_at):
                new = due + (finish - due) * 1.5
                p.event(apology_at, "apologize", actor=agency.specialist, role="specialist",
                        agency=agency.pk, reason=rng.choice(APOLOGIES),
                        data={"previous_due_at": due.isoformat(), "due_at": new.isoformat(),
                              "before_deadline": True})
                p.fields.update(due_at=new, apology_count=1)
    else:
        finish = calendar.add_working_time(t, allowed * rng.uniform(0.2, 0.98))
    handover = t + (finish - t) * 0.7
    if not happen(handover):
        return p
    p.event(handover, "forward", data={"from_step": STEP_1, "to_step": STEP_2,
                                       "to_agency": agency.code},
            actor=agency.specialist, role="specialist", agency=agency.pk)
    if rng.random() < 0.004:
        stop_at = handover + rng.uniform(1, 20) * hours
        if happen(stop_at):
            p.event(stop_at, "stop", 8, actor=agency.leader, role="leader", agency=agency.pk,
                    reason=rng.choice(STOPS))
            p.fields["closed_at"] = stop_at
        return p
    if not happen(finish):
        return p
    declined = rng.random() < 0.02
    outcome = "refused" if declined else "granted"
    p.event(finish, "decline" if declined else "approve", 9, actor=agency.leader,
            role="leader", agency=agency.pk, reason=rng.choice(DECLINES) if declined else "",
            data={"outcome": outcome, "timeliness": _timeliness(finish, due)})
    p.fields.update(resolved_at=finish, outcome=outcome)
    if not declined and version.result_electronic and \
            rng.random() < _share(world, finish, 0.3, 0.95):
        p.event(finish + 2 * dt.timedelta(minutes=1), "result_issued", actor=agency.leader,
                role="leader", agency=agency.pk,
                data={"document": None, "electronic": True, "signed": True})
    back = finish + rng.uniform(0.5, 72) * hours
    if not happen(back):
        return p
    p.event(back, "return_result", 10, actor=agency.receiver, role="receiver",
            agency=agency.desk_agency_pk)
    p.fields.update(returned_at=back, closed_at=back)
    if p.fields["applicant_id"] and rng.random() < 0.35:
        rated = back + rng.uniform(0.1, 48) * hours
        if happen(rated):
            level = rng.choices([1, 2, 3], [55, 35, 10])[0]
            p.event(rated, "rate", data={"level": level}, actor=user_pk, role="applicant")
            p.fields["rating"] = (level, rated)
    return p


# --- the whole history ----------------------------------------------------------------------------

def _arrivals(rng: random.Random, world: World, n: int):
    """``n`` submission times over the history, by working day, month and hour."""
    day = world.start
    end = world.now.astimezone(LOCAL_TZ).date()
    days, weights = [], []
    while day <= end:
        weekday = day.weekday()
        w = MONTH_WEIGHT[day.month] * (1.0 if weekday < 5 else 0.08) * \
            (1 + 0.6 * (day - world.start).days / max(1, (end - world.start).days))
        days.append(day)
        weights.append(w)
        day += dt.timedelta(days=1)
    total = sum(weights)
    for day, w in zip(days, weights, strict=True):
        count = round(n * w / total)
        for _ in range(count):
            minute = rng.choice([rng.randint(7 * 60 + 30, 11 * 60 + 20),
                                 rng.randint(13 * 60 + 30, 16 * 60 + 50)])
            at = dt.datetime.combine(day, dt.time(minute // 60, minute % 60), tzinfo=LOCAL_TZ)
            if at < world.now:
                yield at


def dossiers_simulate(*, dossiers: int, seed: int = 1, batch: int = 5000, now=None,
                      progress=None) -> dict:
    """Write a history of about ``dossiers`` dossiers. Returns what was made."""
    from motcua.core.selectors import work_calendar

    rng = random.Random(seed)
    # The history ends at the start of today unless told otherwise: the same seed on the same
    # day gives the same history.
    now = now or timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    world = world_build(rng=rng, dossiers=dossiers, now=now)
    _sequences_load(world)
    calendar = work_calendar()
    made = {"dossiers": 0, "events": 0}
    plans: list[Plan] = []
    for when in _arrivals(rng, world, dossiers):
        plan = dossier_plan(rng, world, calendar, when)
        if plan is None:
            continue
        plans.append(plan)
        if len(plans) >= batch:
            _write(plans, made)
            plans = []
            if progress:
                progress(made["dossiers"])
    if plans:
        _write(plans, made)
    _sequences_save(world)
    _analyse("dossiers_dossier", "dossiers_dossierevent", "dossiers_rating")
    return made


def _analyse(*tables) -> None:
    """Fresh planner statistics after a bulk load: with a thousandth of the rows in its
    statistics, PostgreSQL reads the whole event table for each batch of dossiers."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")


def _sequences_load(world: World) -> None:
    from motcua.dossiers.models import CodeSequence

    for agency_id, day, last in CodeSequence.objects.filter(day__gte=world.start).values_list(
            "agency_id", "day", "last"):
        world.sequences[(agency_id, day)] = last


def _sequences_save(world: World) -> None:
    from motcua.dossiers.models import CodeSequence

    rows = [CodeSequence(agency_id=a, day=d, last=n) for (a, d), n in world.sequences.items()]
    CodeSequence.objects.bulk_create(rows, batch_size=5000, update_conflicts=True,
                                     unique_fields=["agency", "day"], update_fields=["last"])


def _new_ids(n: int) -> list[int]:
    """Keys for ``n`` new dossiers, known before they are written (each event's hash covers
    its dossier's key). Taken inside the writing transaction."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence('dossiers_dossier', 'id')) "
                           "FROM generate_series(1, %s)", [n])
            return [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM dossiers_dossier")
        first = cursor.fetchone()[0] + 1
    return list(range(first, first + n))


def _dossier_columns():
    """The dossier table's columns and a row of their defaults, as stored."""
    import json

    from motcua.dossiers.models import Dossier

    blank = Dossier()
    columns, defaults = [], []
    for f in Dossier._meta.concrete_fields:
        columns.append(f.column)
        value = getattr(blank, f.attname)
        if f.get_internal_type() == "JSONField":
            value = json.dumps(value)
        defaults.append(value)
    return columns, defaults


def _write(plans: list[Plan], made: dict) -> None:
    from motcua.dossiers import audit
    from motcua.dossiers.models import Rating

    from .bulk import rows_insert

    columns, defaults = _dossier_columns()
    index = {c: i for i, c in enumerate(columns)}
    now = timezone.now()
    with transaction.atomic():
        ids = _new_ids(len(plans))
        dossiers, events, ratings = [], [], []
        for plan, pk in zip(plans, ids, strict=True):
            prev = audit.GENESIS
            for e in plan.events:
                item = SimpleNamespace(dossier_id=pk, **e)
                item.prev_hash = prev
                item.hash = prev = audit.event_hash(item, prev)
                events.append(item)
            row = list(defaults)
            for name, value in plan.fields.items():
                if name != "rating":
                    row[index[name]] = value
            row[index["id"]] = pk
            row[index["status"]] = plan.status
            row[index["last_event_hash"]] = prev
            row[index["updated_at"]] = now
            dossiers.append(row)
            if "rating" in plan.fields:
                level, at = plan.fields["rating"]
                ratings.append(Rating(dossier_id=pk, level=level, at=at))
        rows_insert("dossiers_dossier", columns, dossiers)
        _bulk_events(events)
        Rating.objects.bulk_create(ratings, batch_size=2000)
    made["dossiers"] += len(dossiers)
    made["events"] += len(events)


EVENT_COLUMNS = ["dossier_id", "at", "actor_id", "actor_role", "agency_id", "action",
                 "from_status", "to_status", "reason", "data", "prev_hash", "hash"]


def _bulk_events(events) -> None:
    import json

    from .bulk import rows_insert

    rows_insert("dossiers_dossierevent", EVENT_COLUMNS, (
        (e.dossier_id, e.at, e.actor_id, e.actor_role, e.agency_id, e.action, e.from_status,
         e.to_status, e.reason, json.dumps(e.data, ensure_ascii=False), e.prev_hash, e.hash)
        for e in events))
