"""The rules of the community teams that need no database: team size, the allowance, periods,
and the evaluation score. Plain functions, tested as such."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

# --- team size ---------------------------------------------------------------------------------


def team_size_problem(count: int, *, low: int, high: int) -> str | None:
    """Why a team of ``count`` members is refused, or None when it may be so."""
    if count > high:
        return _("A team has at most %(high)s members (this one would have %(count)s).") % {
            "high": high, "count": count}
    if count < low:
        return _("A team has at least %(low)s members (this one would have %(count)s).") % {
            "low": low, "count": count}
    return None


# --- allowance ---------------------------------------------------------------------------------

ATTENDED = "attended"


def allowance_amount(*, sessions: int, rate: int) -> int:
    """What a member is paid for ``sessions`` attended sessions at ``rate`` đồng each."""
    if sessions < 0 or rate < 0:
        raise ValueError("sessions and rate are never negative")
    return sessions * rate


@dataclass(frozen=True)
class AllowanceRow:
    member_id: int
    sessions: int
    amount: int


def allowance_rows(statuses: Iterable[tuple[int, str]], *, rate: int) -> list[AllowanceRow]:
    """One row per member from (member id, sign-up status) pairs: only a confirmed attendance
    counts; a sign-up, a check-in not yet confirmed, an absence or a cancellation pays
    nothing. Members without a counted session get no row."""
    sessions: dict[int, int] = {}
    for member_id, status in statuses:
        if status == ATTENDED:
            sessions[member_id] = sessions.get(member_id, 0) + 1
    return [AllowanceRow(member_id, n, allowance_amount(sessions=n, rate=rate))
            for member_id, n in sorted(sessions.items())]


# --- periods -----------------------------------------------------------------------------------

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-[Qq]([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")


@dataclass(frozen=True)
class Period:
    """A month, a quarter or a year: [start, end) in local dates."""

    key: str
    start: dt.date
    end: dt.date
    months: int

    @property
    def last_day(self) -> dt.date:
        return self.end - dt.timedelta(days=1)

    @property
    def label(self) -> str:
        if self.months == 1:
            return f"{self.start:%m/%Y}"
        if self.months == 3:
            return _("Quarter %(q)s/%(year)s") % {"q": (self.start.month - 1) // 3 + 1,
                                                 "year": self.start.year}
        return str(self.start.year)


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def period_parse(value: str) -> Period:
    """"2026-03" a month, "2026-Q1" a quarter, "2026" a year; ValueError otherwise."""
    value = (value or "").strip()
    if match := _MONTH.match(value):
        year, month = int(match[1]), int(match[2])
        if not 1 <= month <= 12:
            raise ValueError(value)
        start = dt.date(year, month, 1)
        return Period(f"{year}-{month:02d}", start, _add_months(start, 1), 1)
    if match := _QUARTER.match(value):
        year, quarter = int(match[1]), int(match[2])
        start = dt.date(year, 3 * quarter - 2, 1)
        return Period(f"{year}-Q{quarter}", start, _add_months(start, 3), 3)
    if match := _YEAR.match(value):
        year = int(match[1])
        return Period(str(year), dt.date(year, 1, 1), dt.date(year + 1, 1, 1), 12)
    raise ValueError(value)


def month_of(day: dt.date) -> Period:
    return period_parse(f"{day.year}-{day.month:02d}")


# --- evaluation --------------------------------------------------------------------------------

# Measures whose target is per month (scaled by the period's months); training is counted to
# date, so its target is a total.
PER_MONTH = {"activity_days", "people_helped", "dossiers_assisted", "sessions_attended"}


@dataclass(frozen=True)
class Rule:
    measure: str
    weight: int
    target: int


# The default criteria: what the seed reports ask the teams to do, weighted towards reaching
# people and getting their dossiers online.
DEFAULT_RULES = (
    Rule("activity_days", 20, 8),
    Rule("people_helped", 25, 20),
    Rule("dossiers_assisted", 25, 4),
    Rule("sessions_attended", 15, 2),
    Rule("courses_completed", 15, 2),
)
DEFAULT_THRESHOLD = 80


@dataclass(frozen=True)
class Part:
    measure: str
    value: int
    target: int
    weight: int
    points: float


@dataclass(frozen=True)
class Score:
    total: float
    parts: tuple[Part, ...]


def score(values: dict[str, int], rules: Iterable[Rule], *, months: int) -> Score:
    """The score out of 100: each measure earns its weight in proportion to its target (never
    more), and the points are scaled so that all weights together make 100.

        points(m) = weight(m) × min(1, value(m) ÷ target(m))
        target(m) = target per month × months, except for training (a total)
        score = 100 × Σ points ÷ Σ weights
    """
    parts = []
    for rule in rules:
        target = rule.target * months if rule.measure in PER_MONTH else rule.target
        value = max(0, int(values.get(rule.measure, 0)))
        share = 1.0 if target <= 0 else min(1.0, value / target)
        parts.append(Part(rule.measure, value, target, rule.weight, rule.weight * share))
    weights = sum(p.weight for p in parts)
    total = 0.0 if weights == 0 else 100.0 * sum(p.points for p in parts) / weights
    return Score(round(total, 1), tuple(parts))


def team_score(member_scores: Iterable[float]) -> float:
    """A team's score: the mean of its members' scores in the period (0 without members)."""
    scores = list(member_scores)
    return round(sum(scores) / len(scores), 1) if scores else 0.0


def online_rate(online: int, total: int) -> float | None:
    """Share of dossiers submitted online, in percent; None when there were none."""
    return None if total == 0 else round(100.0 * online / total, 1)
