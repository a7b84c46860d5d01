"""Reads of the community teams, shaped for their pages and for the API (the same functions
serve both, so a page and its API answer never disagree)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, F, Q, Sum

from motcua.core.formats import LOCAL_TZ
from motcua.geo.models import ServiceDesk, Unit

from . import rules
from .models import (
    AllowanceStatement,
    AssistedSubmission,
    Completion,
    Course,
    CourseMode,
    CriteriaSet,
    Household,
    LocalRules,
    Measure,
    Member,
    Signup,
    SignupStatus,
    Skill,
    Team,
    Visit,
)

# --- local rules -------------------------------------------------------------------------------


def _rules_chain(unit) -> list[LocalRules]:
    """The rules of ``unit`` and of the units above it, nearest first."""
    codes = [c for c in unit.path.split("/") if c]
    found = {r.unit.code: r for r in LocalRules.objects.filter(unit__code__in=codes)
             .select_related("unit")}
    return [found[c] for c in reversed(codes) if c in found]


def _first(chain, name, default):
    return next((getattr(r, name) for r in chain if getattr(r, name) is not None), default)


def team_bounds(commune) -> tuple[int, int]:
    chain = _rules_chain(commune)
    return (_first(chain, "min_members", settings.TEAM_MIN_MEMBERS),
            _first(chain, "max_members", settings.TEAM_MAX_MEMBERS))


def allowance_rate(commune) -> int:
    return _first(_rules_chain(commune), "allowance_per_session", settings.ALLOWANCE_PER_SESSION)


def commune_desk(commune):
    return (ServiceDesk.objects.filter(unit=commune, agency__kind__slug="ubnd_xa").first()
            or ServiceDesk.objects.filter(unit=commune).first())


def team_size(team) -> int:
    return Member.objects.filter(team=team, left_on__isnull=True).count()


# --- a commune's teams -------------------------------------------------------------------------

@dataclass
class TeamRow:
    team: Team
    size: int
    leader: str


@dataclass
class CommuneTeams:
    commune: Unit
    teams: list[TeamRow]
    villages_without_team: list[Unit]
    villages: int
    bounds: tuple[int, int]


def commune_teams(*, commune) -> CommuneTeams:
    teams = list(Team.objects.filter(commune=commune, dissolved_on__isnull=True)
                 .select_related("village").annotate(
                     size=Count("members", filter=Q(members__left_on__isnull=True)))
                 .order_by("village__code", "name"))
    leaders = dict(Member.objects.filter(team__in=teams, left_on__isnull=True,
                                         role="leader").values_list("team_id", "full_name"))
    villages = list(Unit.objects.filter(parent=commune, is_active=True).order_by("code"))
    covered = {t.village_id for t in teams}
    return CommuneTeams(
        commune=commune,
        teams=[TeamRow(t, t.size, leaders.get(t.pk, "")) for t in teams],
        villages_without_team=[v for v in villages if v.pk not in covered],
        villages=len(villages), bounds=team_bounds(commune))


def communes_with_villages(scope) -> list[Unit]:
    """The communes a scope manages (the province: those that have villages or teams)."""
    if scope.province:
        with_teams = Team.objects.values("commune_id")
        with_villages = Unit.objects.filter(parent__parent__code=settings.PROVINCE_CODE) \
            .values("parent_id")
        return list(Unit.objects.filter(Q(pk__in=with_teams) | Q(pk__in=with_villages))
                    .order_by("name"))
    return list(Unit.objects.filter(pk__in=scope.communes).order_by("name"))


def households_of(*, village):
    return (Household.objects.filter(village=village)
            .annotate(visit_count=Count("visits"))
            .order_by("address", "head_name"))


# --- allowance ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class StatementLine:
    member_id: int
    full_name: str
    team_name: str
    sessions: int
    amount: int


@dataclass
class Statement:
    commune: Unit
    month: dt.date
    rate: int
    lines: list[StatementLine]
    total: int
    issued: AllowanceStatement | None = None

    @property
    def sessions(self) -> int:
        return sum(line.sessions for line in self.lines)


def _month_bounds(month: dt.date) -> tuple[dt.date, dt.date]:
    month = month.replace(day=1)
    return month, rules.period_parse(f"{month:%Y-%m}").end


def allowance_preview(*, commune, month: dt.date) -> Statement:
    """The month's statement as attendance stands now: confirmed sessions × the rate."""
    start, end = _month_bounds(month)
    signups = list(Signup.objects.filter(shift__team__commune=commune, shift__day__gte=start,
                                         shift__day__lt=end)
                   .values_list("member_id", "status"))
    rate = allowance_rate(commune)
    rows = rules.allowance_rows(signups, rate=rate)
    people = {m.pk: m for m in Member.objects.filter(pk__in=[r.member_id for r in rows])
              .select_related("team")}
    lines = sorted(
        (StatementLine(r.member_id, people[r.member_id].full_name,
                       people[r.member_id].team.name, r.sessions, r.amount) for r in rows),
        key=lambda line: (line.team_name, line.full_name))
    return Statement(commune, start, rate, lines, sum(line.amount for line in lines))


def allowance_statement(*, commune, month: dt.date) -> Statement:
    """The issued statement if there is one (frozen), else the preview."""
    start, _end = _month_bounds(month)
    issued = AllowanceStatement.objects.filter(commune=commune, month=start).first()
    if issued is None:
        return allowance_preview(commune=commune, month=start)
    lines = [StatementLine(line.member_id, line.full_name, line.team_name, line.sessions,
                           line.amount) for line in issued.lines.all()]
    return Statement(commune, start, issued.rate, lines, issued.total, issued)


# --- rosters -----------------------------------------------------------------------------------

def roster(*, team, start: dt.date, days: int = 28):
    from .models import Shift

    return list(Shift.objects.filter(team=team, day__gte=start,
                                     day__lt=start + dt.timedelta(days=days))
                .select_related("desk").prefetch_related("signups__member")
                .order_by("day", "period"))


def desk_day(*, desk_ids, day: dt.date):
    from .models import Shift

    return list(Shift.objects.filter(desk_id__in=desk_ids, day=day)
                .select_related("team", "desk").prefetch_related("signups__member")
                .order_by("period", "team__name"))


# --- measures and evaluation -------------------------------------------------------------------

def _aware(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0, 0), tzinfo=LOCAL_TZ)


def criteria_for(period: rules.Period) -> tuple[str, tuple[rules.Rule, ...], int]:
    """(name, rules, recognition threshold) in force for the period."""
    chosen = (CriteriaSet.objects.filter(valid_from__lte=period.start)
              .prefetch_related("criteria").order_by("-valid_from").first())
    if chosen is None or not chosen.criteria.all():
        from django.utils.translation import gettext as _

        return _("Default criteria"), rules.DEFAULT_RULES, rules.DEFAULT_THRESHOLD
    return (chosen.name,
            tuple(rules.Rule(c.measure, c.weight, c.target) for c in chosen.criteria.all()),
            chosen.recognition_threshold)


def members_in_period(period: rules.Period, teams):
    return (Member.objects.filter(team__in=teams, joined_on__lt=period.end)
            .filter(Q(left_on__isnull=True) | Q(left_on__gte=period.start))
            .select_related("team"))


def member_measures(period: rules.Period, member_ids) -> dict[int, dict[str, int]]:
    """The five measures of each member over the period."""
    member_ids = list(member_ids)
    start, end = _aware(period.start), _aware(period.end)
    out = {pk: {m: 0 for m in Measure.values} for pk in member_ids}
    # Local days counted here rather than by the database: SQLite converts time zones in a
    # Python function per row, several times slower than reading the rows.
    days: dict[int, set] = {}
    for member_id, at, people in (Visit.objects.filter(member_id__in=member_ids, at__gte=start,
                                                       at__lt=end)
                                  .values_list("member_id", "at", "people_helped")
                                  .iterator(chunk_size=5000)):
        days.setdefault(member_id, set()).add(at.astimezone(LOCAL_TZ).date())
        out[member_id]["people_helped"] += people
    for member_id, seen in days.items():
        out[member_id]["activity_days"] = len(seen)
    for row in (AssistedSubmission.objects.filter(member_id__in=member_ids,
                                                  submitted_at__gte=start, submitted_at__lt=end)
                .values("member_id").annotate(n=Count("pk"))):
        out[row["member_id"]]["dossiers_assisted"] = row["n"]
    for row in (Signup.objects.filter(member_id__in=member_ids, status=SignupStatus.ATTENDED,
                                      shift__day__gte=period.start, shift__day__lt=period.end)
                .values("member_id").annotate(n=Count("pk"))):
        out[row["member_id"]]["sessions_attended"] = row["n"]
    for row in (Completion.objects.filter(member_id__in=member_ids,
                                          completed_on__lt=period.end)
                .values("member_id").annotate(n=Count("pk"))):
        out[row["member_id"]]["courses_completed"] = row["n"]
    return out


@dataclass
class MemberScore:
    member_id: int
    full_name: str
    team_id: int
    team_name: str
    role: str
    values: dict[str, int]
    score: float
    parts: tuple = ()


@dataclass
class TeamScore:
    team_id: int
    name: str
    commune: str
    members: int
    score: float
    rank: int = 0
    values: dict[str, int] = field(default_factory=dict)


@dataclass
class Evaluation:
    period: rules.Period
    criteria_name: str
    rules: tuple
    threshold: int
    teams: list[TeamScore]
    members: list[MemberScore]

    @property
    def proposed_teams(self) -> list[TeamScore]:
        return [t for t in self.teams if t.score >= self.threshold]

    @property
    def proposed_members(self) -> list[MemberScore]:
        return [m for m in self.members if m.score >= self.threshold]


def evaluation(*, period: rules.Period, teams) -> Evaluation:
    """Scores of every member and team in ``teams`` over the period, ranked."""
    name, rule_set, threshold = criteria_for(period)
    members = list(members_in_period(period, teams))
    measures = member_measures(period, [m.pk for m in members])
    member_scores = []
    for member in members:
        result = rules.score(measures[member.pk], rule_set, months=period.months)
        member_scores.append(MemberScore(member.pk, member.full_name, member.team_id,
                                         member.team.name, member.role, measures[member.pk],
                                         result.total, result.parts))
    by_team: dict[int, list[MemberScore]] = {}
    for ms in member_scores:
        by_team.setdefault(ms.team_id, []).append(ms)
    team_rows = []
    for team in Team.objects.filter(pk__in=[t.pk for t in teams]).select_related("commune"):
        scores = by_team.get(team.pk, [])
        totals = {m: sum(s.values[m] for s in scores) for m in Measure.values}
        team_rows.append(TeamScore(team.pk, team.name, team.commune.name, len(scores),
                                   rules.team_score(s.score for s in scores), values=totals))
    team_rows.sort(key=lambda t: (-t.score, t.name))
    for index, row in enumerate(team_rows, start=1):
        row.rank = index
    member_scores.sort(key=lambda m: (-m.score, m.full_name))
    return Evaluation(period, name, rule_set, threshold, team_rows, member_scores)


# --- activity, coverage, training, effect ------------------------------------------------------

@dataclass
class Activity:
    visits: int = 0
    people_helped: int = 0
    vneid_installed: int = 0
    vneid_level2: int = 0
    service_account: int = 0
    dossier_online: int = 0
    cashless: int = 0
    dossiers_assisted: int = 0
    sessions_attended: int = 0
    skills: dict[str, int] = field(default_factory=dict)


def activity(*, period: rules.Period, teams) -> Activity:
    start, end = _aware(period.start), _aware(period.end)
    visits = Visit.objects.filter(team__in=teams, at__gte=start, at__lt=end)
    sums = visits.aggregate(
        visits=Count("pk"), people_helped=Sum("people_helped"),
        vneid_installed=Count("pk", filter=Q(vneid_installed=True)),
        vneid_level2=Count("pk", filter=Q(vneid_level2=True)),
        service_account=Count("pk", filter=Q(service_account=True)),
        dossier_online=Count("pk", filter=Q(dossier_online=True)),
        cashless=Count("pk", filter=Q(cashless=True)))
    skills = {s: 0 for s in Skill.values}
    for taught in visits.values_list("skills", flat=True):
        for skill in taught or []:
            if skill in skills:
                skills[skill] += 1
    return Activity(
        **{k: v or 0 for k, v in sums.items()},
        dossiers_assisted=AssistedSubmission.objects.filter(
            team__in=teams, submitted_at__gte=start, submitted_at__lt=end).count(),
        sessions_attended=Signup.objects.filter(
            shift__team__in=teams, status=SignupStatus.ATTENDED, shift__day__gte=period.start,
            shift__day__lt=period.end).count(),
        skills=skills)


@dataclass
class Coverage:
    commune: str
    villages: int
    villages_with_team: int
    households: int
    households_visited: int
    teams: int
    members: int


def coverage(*, period: rules.Period, communes) -> list[Coverage]:
    """Per commune, in a few grouped queries (a province has hundreds of communes)."""
    start, end = _aware(period.start), _aware(period.end)
    ids = [c.pk for c in communes]
    teams = Team.objects.filter(commune_id__in=ids, founded_on__lt=period.end).filter(
        Q(dissolved_on__isnull=True) | Q(dissolved_on__gte=period.start))

    def counted(rows, key="n"):
        return {row["unit"]: row[key] for row in rows}

    team_rows = {row["commune_id"]: row for row in teams.values("commune_id").annotate(
        n=Count("pk"), villages=Count("village_id", distinct=True))}
    villages = counted(Unit.objects.filter(parent_id__in=ids).values(unit=F("parent_id"))
                       .annotate(n=Count("pk")))
    households = Household.objects.filter(village__parent_id__in=ids)
    listed = counted(households.values(unit=F("village__parent_id")).annotate(n=Count("pk")))
    visited = counted(households.filter(visits__at__gte=start, visits__at__lt=end)
                      .values(unit=F("village__parent_id"))
                      .annotate(n=Count("pk", distinct=True)))
    members = counted(members_in_period(period, teams).values(unit=F("team__commune_id"))
                      .annotate(n=Count("pk")))
    return [Coverage(
        commune=c.name, villages=villages.get(c.pk, 0),
        villages_with_team=team_rows.get(c.pk, {}).get("villages", 0),
        households=listed.get(c.pk, 0), households_visited=visited.get(c.pk, 0),
        teams=team_rows.get(c.pk, {}).get("n", 0), members=members.get(c.pk, 0))
        for c in communes]


@dataclass
class CourseRow:
    course_id: int
    title: str
    provider: str
    mode: str
    online: bool
    url: str
    starts_on: dt.date
    completed: int
    completed_in_period: int


@dataclass
class Training:
    courses: list[CourseRow]
    members: int
    members_trained: int


def training(*, period: rules.Period, teams) -> Training:
    members = members_in_period(period, teams)
    member_ids = list(members.values_list("pk", flat=True))
    rows = []
    for course in Course.objects.annotate(
            completed=Count("completions", filter=Q(completions__member_id__in=member_ids)),
            completed_in_period=Count("completions", filter=Q(
                completions__member_id__in=member_ids,
                completions__completed_on__gte=period.start,
                completions__completed_on__lt=period.end))).order_by("-starts_on", "title"):
        rows.append(CourseRow(course.pk, course.title, course.provider, course.mode,
                              course.mode == CourseMode.ONLINE, course.url, course.starts_on,
                              course.completed, course.completed_in_period))
    trained = Completion.objects.filter(member_id__in=member_ids, completed_on__lt=period.end) \
        .values("member_id").distinct().count()
    return Training(rows, len(member_ids), trained)


@dataclass
class EffectGroup:
    communes: int
    online: int
    total: int

    @property
    def rate(self) -> float | None:
        return rules.online_rate(self.online, self.total)


@dataclass
class Effect:
    with_teams: EffectGroup
    without_teams: EffectGroup


def active_team_communes(period: rules.Period) -> set[int]:
    """Communes with a team active in the period: a logged visit or an attended session."""
    start, end = _aware(period.start), _aware(period.end)
    visited = Visit.objects.filter(at__gte=start, at__lt=end).values_list(
        "team__commune_id", flat=True)
    attended = Signup.objects.filter(status=SignupStatus.ATTENDED,
                                     shift__day__gte=period.start,
                                     shift__day__lt=period.end).values_list(
        "shift__team__commune_id", flat=True)
    return set(visited.distinct()) | set(attended.distinct())


def effect(*, period: rules.Period) -> Effect:
    """The share of dossiers submitted online (events: "submit" online, "receive" in person)
    in the province's communes with an active team, against those without."""
    from motcua.dossiers.models import DossierEvent

    start, end = _aware(period.start), _aware(period.end)
    communes = set(Unit.objects.filter(parent__code=settings.PROVINCE_CODE)
                   .values_list("pk", flat=True))
    active = active_team_communes(period) & communes
    counts = (DossierEvent.objects.filter(action__in=("submit", "receive"), at__gte=start,
                                          at__lt=end,
                                          dossier__applicant_unit_id__in=communes)
              .values("dossier__applicant_unit_id", "action").annotate(n=Count("pk")))
    groups = {True: EffectGroup(len(active), 0, 0),
              False: EffectGroup(len(communes - active), 0, 0)}
    for row in counts:
        group = groups[row["dossier__applicant_unit_id"] in active]
        group.total += row["n"]
        if row["action"] == "submit":
            group.online += row["n"]
    return Effect(groups[True], groups[False])


# --- the dashboard -----------------------------------------------------------------------------

@dataclass
class Dashboard:
    period: rules.Period
    communes: list[Unit]
    activity: Activity
    coverage: list[Coverage]
    training: Training
    evaluation: Evaluation
    effect: Effect


def visible_teams(scope, commune=None):
    teams = Team.objects.filter(scope.teams_q())
    if commune is not None:
        teams = teams.filter(commune=commune)
    return teams


def dashboard(*, scope, period: rules.Period, commune=None) -> Dashboard:
    teams = list(visible_teams(scope, commune).filter(founded_on__lt=period.end)
                 .filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gte=period.start)))
    communes = [commune] if commune is not None else communes_with_villages(scope)
    return Dashboard(
        period=period, communes=communes, activity=activity(period=period, teams=teams),
        coverage=coverage(period=period, communes=communes),
        training=training(period=period, teams=teams),
        evaluation=evaluation(period=period, teams=teams),
        effect=effect(period=period))


def team_figures(*, team, period: rules.Period) -> dict:
    """One team's figures over the period, with its members' scores."""
    evaluation_ = evaluation(period=period, teams=[team])
    return {"activity": activity(period=period, teams=[team]), "evaluation": evaluation_,
            "team": evaluation_.teams[0] if evaluation_.teams else None}
