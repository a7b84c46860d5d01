"""GET /api/v1/community/…: the figures of the teams' pages, from the same selectors."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema

from motcua.api.auth import AUTH
from motcua.api.errors import ApiError, NotFound
from motcua.geo.models import Unit

from . import rules, selectors
from .models import Team
from .permissions import scope_of

router = Router(tags=["community"])


def _scope(request, *, manager=False):
    scope = scope_of(request.auth)
    if not scope.any or (manager and not scope.manages):
        raise ApiError(_("Only community teams and those who manage them see this."),
                       code="forbidden", status=403)
    return scope


def _period(value: str | None) -> rules.Period:
    if not value:
        return rules.month_of(timezone.localdate())
    try:
        return rules.period_parse(value)
    except ValueError:
        raise ApiError(_("Write the period as 2026-03, 2026-Q1 or 2026."),
                       code="invalid", status=422) from None


def _commune(scope, code: str | None):
    if not code:
        return None
    commune = Unit.objects.filter(code=code).first()
    if commune is None or not scope.manages_commune(commune.pk):
        raise NotFound(_("Not found."))
    return commune


class PeriodOut(Schema):
    key: str
    start: dt.date
    end: dt.date
    months: int


class TeamOut(Schema):
    id: int
    name: str
    commune: str
    village: str | None
    members: int
    leader: str


class VillageOut(Schema):
    code: str
    name: str


class CommuneTeamsOut(Schema):
    commune: str
    min_members: int
    max_members: int
    villages: int
    teams: list[TeamOut]
    villages_without_team: list[VillageOut]


class ActivityOut(Schema):
    visits: int
    people_helped: int
    vneid_installed: int
    vneid_level2: int
    service_account: int
    dossier_online: int
    cashless: int
    dossiers_assisted: int
    sessions_attended: int
    skills: dict[str, int]


class EffectGroupOut(Schema):
    communes: int
    online: int
    total: int
    rate: float | None


class EffectOut(Schema):
    with_teams: EffectGroupOut
    without_teams: EffectGroupOut


class CoverageOut(Schema):
    commune: str
    villages: int
    villages_with_team: int
    households: int
    households_visited: int
    teams: int
    members: int


class TeamScoreOut(Schema):
    rank: int
    team_id: int
    name: str
    commune: str
    members: int
    score: float
    values: dict[str, int]


class MemberScoreOut(Schema):
    member_id: int
    full_name: str
    team_id: int
    team_name: str
    score: float
    values: dict[str, int]


class RuleOut(Schema):
    measure: str
    weight: int
    target: int
    per_month: bool


class EvaluationOut(Schema):
    criteria: str
    rules: list[RuleOut]
    threshold: int
    ranking: list[TeamScoreOut]
    members: list[MemberScoreOut]
    proposed_teams: list[int]
    proposed_members: list[int]


class CourseOut(Schema):
    id: int
    title: str
    provider: str
    mode: str
    url: str
    starts_on: dt.date
    completed: int
    completed_in_period: int


class TrainingOut(Schema):
    members: int
    members_trained: int
    courses: list[CourseOut]


class DashboardOut(Schema):
    period: PeriodOut
    commune: str | None
    activity: ActivityOut
    effect: EffectOut
    coverage: list[CoverageOut]
    evaluation: EvaluationOut
    training: TrainingOut


class LineOut(Schema):
    member_id: int
    full_name: str
    team: str
    sessions: int
    amount: int


class StatementOut(Schema):
    commune: str
    month: str
    rate: int
    issued: bool
    sessions: int
    total: int
    lines: list[LineOut]


def _period_out(period):
    return {"key": period.key, "start": period.start, "end": period.end,
            "months": period.months}


def _evaluation_out(evaluation):
    return {
        "criteria": str(evaluation.criteria_name),
        "rules": [{"measure": r.measure, "weight": r.weight, "target": r.target,
                   "per_month": r.measure in rules.PER_MONTH} for r in evaluation.rules],
        "threshold": evaluation.threshold,
        "ranking": [{"rank": t.rank, "team_id": t.team_id, "name": t.name,
                     "commune": t.commune, "members": t.members, "score": t.score,
                     "values": t.values} for t in evaluation.teams],
        "members": [{"member_id": m.member_id, "full_name": m.full_name, "team_id": m.team_id,
                     "team_name": m.team_name, "score": m.score, "values": m.values}
                    for m in evaluation.members],
        "proposed_teams": [t.team_id for t in evaluation.proposed_teams],
        "proposed_members": [m.member_id for m in evaluation.proposed_members],
    }


def _group(group):
    return {"communes": group.communes, "online": group.online, "total": group.total,
            "rate": group.rate}


@router.get("/community/dashboard", response=DashboardOut, auth=AUTH,
            summary="Activity, effect, coverage, scores and training of the teams in a period")
def dashboard(request, period: str | None = None, commune: str | None = None):
    scope = _scope(request, manager=True)
    chosen = _period(period)
    unit = _commune(scope, commune)
    if unit is None and not scope.province and len(scope.communes) == 1:
        unit = Unit.objects.get(pk=next(iter(scope.communes)))
    data = selectors.dashboard(scope=scope, period=chosen, commune=unit)
    activity = data.activity
    return {
        "period": _period_out(chosen), "commune": unit.code if unit else None,
        "activity": {**{k: getattr(activity, k) for k in ActivityOut.model_fields
                        if k != "skills"}, "skills": activity.skills},
        "effect": {"with_teams": _group(data.effect.with_teams),
                   "without_teams": _group(data.effect.without_teams)},
        "coverage": [vars(c) for c in data.coverage],
        "evaluation": _evaluation_out(data.evaluation),
        "training": {"members": data.training.members,
                     "members_trained": data.training.members_trained,
                     "courses": [{"id": c.course_id, "title": c.title, "provider": c.provider,
                                  "mode": c.mode, "url": c.url, "starts_on": c.starts_on,
                                  "completed": c.completed,
                                  "completed_in_period": c.completed_in_period}
                                 for c in data.training.courses]},
    }


@router.get("/community/communes/{code}/teams", response=CommuneTeamsOut, auth=AUTH,
            summary="A commune's teams and the villages that have none")
def commune_teams(request, code: str):
    scope = _scope(request, manager=True)
    unit = _commune(scope, code)
    overview = selectors.commune_teams(commune=unit)
    return {
        "commune": unit.code, "min_members": overview.bounds[0],
        "max_members": overview.bounds[1], "villages": overview.villages,
        "teams": [{"id": r.team.pk, "name": r.team.name, "commune": unit.code,
                   "village": r.team.village.code if r.team.village_id else None,
                   "members": r.size, "leader": r.leader} for r in overview.teams],
        "villages_without_team": [{"code": v.code, "name": v.name}
                                  for v in overview.villages_without_team],
    }


class TeamFiguresOut(Schema):
    team: TeamOut
    period: PeriodOut
    activity: ActivityOut
    score: float
    evaluation: EvaluationOut


@router.get("/community/teams/{team_id}", response=TeamFiguresOut, auth=AUTH,
            summary="One team's figures and its members' scores in a period")
def team_figures(request, team_id: int, period: str | None = None):
    scope = _scope(request)
    team = Team.objects.select_related("commune", "village").filter(pk=team_id).first()
    if team is None or not scope.sees_team(team):
        raise NotFound(_("Not found."))
    chosen = _period(period)
    figures = selectors.team_figures(team=team, period=chosen)
    activity = figures["activity"]
    leader = team.members.filter(left_on__isnull=True, role="leader").first()
    return {
        "team": {"id": team.pk, "name": team.name, "commune": team.commune.code,
                 "village": team.village.code if team.village_id else None,
                 "members": selectors.team_size(team), "leader": leader.full_name if leader
                 else ""},
        "period": _period_out(chosen),
        "activity": {**{k: getattr(activity, k) for k in ActivityOut.model_fields
                        if k != "skills"}, "skills": activity.skills},
        "score": figures["team"].score if figures["team"] else 0.0,
        "evaluation": _evaluation_out(figures["evaluation"]),
    }


@router.get("/community/allowances/{code}", response=StatementOut, auth=AUTH,
            summary="A commune's monthly allowance statement (issued, or as it stands)")
def allowances(request, code: str, month: str | None = None):
    scope = _scope(request, manager=True)
    unit = _commune(scope, code)
    chosen = _period(month) if month else rules.month_of(
        timezone.localdate().replace(day=1) - dt.timedelta(days=1))
    if chosen.months != 1:
        raise ApiError(_("Write the month as 2026-03."), code="invalid", status=422)
    statement = selectors.allowance_statement(commune=unit, month=chosen.start)
    return {
        "commune": unit.code, "month": chosen.key, "rate": statement.rate,
        "issued": statement.issued is not None, "sessions": statement.sessions,
        "total": statement.total,
        "lines": [{"member_id": line.member_id, "full_name": line.full_name,
                   "team": line.team_name, "sessions": line.sessions, "amount": line.amount}
                  for line in statement.lines],
    }
