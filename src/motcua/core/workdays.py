"""The working-day calendar every deadline is computed with. A pure module: no database.

A ``WorkCalendar`` holds the public holidays, the make-up working days (ngày làm bù) and the
working periods of a day (by default 07:30–11:30 and 13:30–17:00). Every datetime given must be
timezone-aware; everything is computed in Vietnam's local time (Asia/Ho_Chi_Minh) and every
datetime returned is aware, in local time. The rules are those of RULES.md, "Time".

Conventions
-----------
Working day
    Monday to Friday, minus public holidays, plus announced make-up working days (a Saturday
    worked in exchange for a bridge day off).

Official time of receipt (``receipt_time``)
    A dossier arriving inside a working period is received when it arrives. One arriving
    outside working hours (online at night, on a Sunday or a holiday) is received at the start
    of the next working period; the portal tells the applicant that time (NĐ 45/2020 Art. 11).
    Periods are half-open: a dossier arriving at 17:00 sharp arrives after closing.

Cut-off (per procedure, optional)
    Some procedures count a dossier received after a given hour (death registration: 15:00) as
    received at the start of the next working day. The official time of receipt does not
    change; only the counting does.

Days (``DAY``)
    Civil Code 2015 Arts. 147–148: a period in days starts on the day after the receipt and
    ends at the end of its last day. The due time is the end of the last working period of the
    n-th working day after the day of receipt. Duration 0 means "the same day": the end of the
    day of receipt. Received Wednesday 11/02/2026 with 3 working days: due Monday 23/02/2026 at
    17:00, because Tết (14/02–22/02) falls in between.

Half days (``HALF_DAY``)
    A half day is one working period (a morning or an afternoon). Counting starts with the
    period after the one in which the dossier is received; the due time is the end of the n-th
    such period. Duration 0: the end of the period of receipt.

Hours (``HOUR``)
    Working time counted from the time of receipt, inside working periods only. The due time
    is the moment the n-th hour is complete; when that is the end of a period, the end of the
    period (11:30, not 13:30).

Supplement requests (``due_after_supplement``)
    The clock stops when a supplement is requested and the complete dossier is then received
    anew, at a new official time of receipt. Each procedure says how the clock goes on:

    - ``RESTART``: the whole duration again, counted from the receipt of the complete dossier
      (the default of RULES.md);
    - ``RESUME``: only what was left when the supplement was requested, counted the same way
      from the receipt of the complete dossier. For hours that is the working time left. For
      days and half days it is the days (periods) of the count not over at the request: one
      that had begun is given back whole, since such periods end at the end of a day (Art. 148)
      — and so a resumed deadline, like any other, ends at the end of a day (period).

    ``RESUME`` is never later than ``RESTART``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

# Units of a processing time.
DAY = "day"
HALF_DAY = "half_day"
HOUR = "hour"
UNITS = (DAY, HALF_DAY, HOUR)

# What the clock does after a supplement request (a per-procedure setting).
RESTART = "restart"
RESUME = "resume"
SUPPLEMENT_MODES = (RESTART, RESUME)

Period = tuple[dt.time, dt.time]
DEFAULT_PERIODS_TEXT = "07:30-11:30,13:30-17:00"

# A calendar with a whole year without a working day is a data error, not a long holiday;
# stopping there keeps every computation finite.
_MAX_DAYS_WITHOUT_WORK = 366
_TIME_RE = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


# --- working periods ---------------------------------------------------------------------------
def parse_time(text: str) -> dt.time:
    """'7:30' or '07:30' → 07:30. Anything else is a ValueError."""
    match = _TIME_RE.match(str(text).strip())
    if not match:
        raise ValueError(f"not a time of day (HH:MM): {text!r}")
    return dt.time(int(match.group(1)), int(match.group(2)))


def check_periods(periods: Iterable[Period]) -> tuple[Period, ...]:
    """The periods as a tuple, or a ValueError unless there is at least one, each starts before
    it ends, and they come in the order of the day without overlapping."""
    result = tuple((start, end) for start, end in periods)
    if not result:
        raise ValueError("at least one working period is needed")
    previous_end = None
    for start, end in result:
        if not start < end:
            raise ValueError(f"a period must start before it ends: {start:%H:%M}-{end:%H:%M}")
        if previous_end is not None and start < previous_end:
            raise ValueError("periods must be in the order of the day and must not overlap")
        previous_end = end
    return result


def periods_from_pairs(pairs: Iterable[Iterable[str]]) -> tuple[Period, ...]:
    """[["07:30", "11:30"], ["13:30", "17:00"]] (a desk's ``working_periods``) → periods."""
    periods = []
    for pair in pairs:
        if isinstance(pair, str):
            raise ValueError(f"a period is a pair of times, not {pair!r}")
        items = list(pair)
        if len(items) != 2:
            raise ValueError(f"a period is a pair of times, not {items!r}")
        periods.append((parse_time(items[0]), parse_time(items[1])))
    return check_periods(periods)


def periods_parse(text: str) -> tuple[Period, ...]:
    """'07:30-11:30,13:30-17:00' (the MOTCUA_WORKING_PERIODS setting) → periods."""
    pairs = []
    for item in text.split(","):
        if not item.strip():
            continue
        start, sep, end = item.partition("-")
        if not sep:
            raise ValueError(f"a period is written HH:MM-HH:MM, not {item.strip()!r}")
        pairs.append((start, end))
    return periods_from_pairs(pairs)


def periods_format(periods: Iterable[Period]) -> list[list[str]]:
    return [[f"{start:%H:%M}", f"{end:%H:%M}"] for start, end in periods]


DEFAULT_PERIODS = periods_parse(DEFAULT_PERIODS_TEXT)


def _local(at: dt.datetime) -> dt.datetime:
    if not isinstance(at, dt.datetime):
        raise TypeError(f"a datetime is needed, not {at!r}")
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"a timezone-aware datetime is needed, not {at.isoformat()}")
    return at.astimezone(LOCAL_TZ)


def _check_duration(duration: int, unit: str) -> None:
    if unit not in UNITS:
        raise ValueError(f"unknown unit {unit!r}; use one of {', '.join(UNITS)}")
    if isinstance(duration, bool) or not isinstance(duration, int) or duration < 0:
        raise ValueError(f"a duration is a whole number from 0, not {duration!r}")


# --- the calendar ------------------------------------------------------------------------------
@dataclass(frozen=True)
class WorkCalendar:
    """Holidays, make-up working days and the working periods of a day."""

    holidays: frozenset[dt.date] = frozenset()
    workdays: frozenset[dt.date] = frozenset()
    periods: tuple[Period, ...] = DEFAULT_PERIODS

    def __post_init__(self):
        object.__setattr__(self, "holidays", frozenset(self.holidays))
        object.__setattr__(self, "workdays", frozenset(self.workdays))
        object.__setattr__(self, "periods", check_periods(self.periods))
        both = self.holidays & self.workdays
        if both:
            raise ValueError(f"a day cannot be both a holiday and a working day: {min(both)}")

    def with_periods(self, periods: Iterable[Period]) -> WorkCalendar:
        """The same days with other office hours (a desk's own)."""
        return replace(self, periods=tuple(periods))

    # --- days -----------------------------------------------------------------------------------
    def is_working_day(self, day: dt.date) -> bool:
        if isinstance(day, dt.datetime):
            day = _local(day).date()
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5

    def next_working_day(self, day: dt.date) -> dt.date:
        """The first working day after ``day``."""
        for offset in range(1, _MAX_DAYS_WITHOUT_WORK + 1):
            candidate = day + dt.timedelta(days=offset)
            if self.is_working_day(candidate):
                return candidate
        raise ValueError(f"no working day within a year after {day}")

    def working_periods(self, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
        """The working periods of a day as aware datetimes; none on a day off."""
        if not self.is_working_day(day):
            return []
        return [(dt.datetime.combine(day, start, tzinfo=LOCAL_TZ),
                 dt.datetime.combine(day, end, tzinfo=LOCAL_TZ))
                for start, end in self.periods]

    def _slots(self, start: dt.datetime) -> Iterator[tuple[dt.datetime, dt.datetime]]:
        """Working periods in order, from the one ``start`` falls in (or the next one)."""
        day, idle = start.date(), 0
        while True:
            periods = self.working_periods(day)
            if periods:
                idle = 0
                for begin, end in periods:
                    if end > start:
                        yield begin, end
            else:
                idle += 1
                if idle > _MAX_DAYS_WITHOUT_WORK:
                    raise ValueError(f"no working day within a year after {start.date()}")
            day += dt.timedelta(days=1)

    # --- instants -------------------------------------------------------------------------------
    def receipt_time(self, at: dt.datetime) -> dt.datetime:
        """The official time of receipt of a dossier arriving at ``at``."""
        at = _local(at)
        begin, _end = next(self._slots(at))
        return max(at, begin)

    def counted_receipt(self, at: dt.datetime, *, cutoff: dt.time | None = None) -> dt.datetime:
        """The time from which a procedure's processing time is counted: the official time of
        receipt or, past the procedure's cut-off hour, the start of the next working day."""
        received = self.receipt_time(at)
        if cutoff is not None and received.time() > cutoff:
            day = self.next_working_day(received.date())
            received = dt.datetime.combine(day, self.periods[0][0], tzinfo=LOCAL_TZ)
        return received

    def add_working_time(self, start: dt.datetime, amount: dt.timedelta) -> dt.datetime:
        """The moment ``amount`` of working time after ``start`` is complete."""
        start = _local(start)
        if amount < dt.timedelta(0):
            raise ValueError("working time cannot be negative")
        for begin, end in self._slots(start):
            begin = max(begin, start)
            if amount <= end - begin:
                return begin + amount
            amount -= end - begin
        raise AssertionError("unreachable: _slots never ends")  # pragma: no cover

    def working_time_between(self, start: dt.datetime, end: dt.datetime) -> dt.timedelta:
        """Working time from ``start`` to ``end`` (nothing if ``end`` is not after ``start``)."""
        start, end = _local(start), _local(end)
        total = dt.timedelta(0)
        if end <= start:
            return total
        for begin, finish in self._slots(start):
            if begin >= end:
                break
            total += min(finish, end) - max(begin, start)
        return total

    # --- deadlines ------------------------------------------------------------------------------
    def _count_ends(self, start: dt.datetime, unit: str) -> Iterator[dt.datetime]:
        """Ends of the counted days (periods): first the day (period) of receipt itself, then
        the 1st, 2nd… after it. ``start`` is a counted receipt, inside a working period."""
        if unit == DAY:
            day, close = start.date(), self.periods[-1][1]
            while True:
                yield dt.datetime.combine(day, close, tzinfo=LOCAL_TZ)
                day = self.next_working_day(day)
        else:
            for _begin, end in self._slots(start):
                yield end

    def due_at(self, received_at: dt.datetime, *, duration: int, unit: str,
               cutoff: dt.time | None = None) -> dt.datetime:
        """When a dossier received at ``received_at`` with this processing time is due."""
        _check_duration(duration, unit)
        start = self.counted_receipt(received_at, cutoff=cutoff)
        if unit == HOUR:
            return self.add_working_time(start, dt.timedelta(hours=duration))
        for number, end in enumerate(self._count_ends(start, unit)):
            if number == duration:
                return end
        raise AssertionError("unreachable: _count_ends never ends")  # pragma: no cover

    def due_after_supplement(self, *, received_at: dt.datetime, requested_at: dt.datetime,
                             completed_at: dt.datetime, duration: int, unit: str,
                             mode: str = RESTART, cutoff: dt.time | None = None) -> dt.datetime:
        """The new due time of a dossier received at ``received_at``, asked for a supplement at
        ``requested_at`` and complete again at ``completed_at`` (see the module's notes)."""
        _check_duration(duration, unit)
        if mode not in SUPPLEMENT_MODES:
            raise ValueError(f"unknown mode {mode!r}; use one of {', '.join(SUPPLEMENT_MODES)}")
        received_at, requested_at, completed_at = (
            _local(received_at), _local(requested_at), _local(completed_at))
        if not received_at <= requested_at <= completed_at:
            raise ValueError("received, supplement requested and completed must come in order")
        if mode == RESTART:
            return self.due_at(completed_at, duration=duration, unit=unit, cutoff=cutoff)
        start = self.counted_receipt(received_at, cutoff=cutoff)
        if unit == HOUR:
            used = self.working_time_between(start, requested_at)
            left = max(dt.timedelta(0), dt.timedelta(hours=duration) - used)
            restart = self.counted_receipt(completed_at, cutoff=cutoff)
            return self.add_working_time(restart, left)
        over = 0
        ends = self._count_ends(start, unit)
        next(ends)  # the day (period) of receipt is not counted
        while over < duration and next(ends) <= requested_at:
            over += 1
        return self.due_at(completed_at, duration=duration - over, unit=unit, cutoff=cutoff)
