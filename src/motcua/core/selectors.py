"""Reads of the working-day calendar."""

from __future__ import annotations

import threading

from django.conf import settings

from .calendar_sources import HOLIDAY
from .models import CalendarDay, CalendarState
from .workdays import WorkCalendar, periods_from_pairs, periods_parse

_lock = threading.Lock()
# ((generation, periods setting), calendar) of this process.
_current: tuple[tuple[int, str], WorkCalendar] | None = None


def calendar_generation() -> int:
    return CalendarState.objects.filter(pk=1).values_list("generation", flat=True).first() or 0


def _calendar_build(periods_text: str) -> WorkCalendar:
    holidays, workdays = set(), set()
    for day, kind in CalendarDay.objects.values_list("date", "kind"):
        (holidays if kind == HOLIDAY else workdays).add(day)
    return WorkCalendar(holidays=holidays, workdays=workdays,
                        periods=periods_parse(periods_text))


def work_calendar(*, desk=None) -> WorkCalendar:
    """The province's working-day calendar; with ``desk``, in that one-stop desk's own office
    hours if it has them. Built once per process and rebuilt after a calendar day changed (one
    small query tells)."""
    global _current
    key = (calendar_generation(), settings.WORKING_PERIODS)
    current = _current
    if current is None or current[0] != key:
        with _lock:
            current = _current
            if current is None or current[0] != key:
                current = _current = (key, _calendar_build(settings.WORKING_PERIODS))
    calendar = current[1]
    if desk is not None and desk.working_periods:
        calendar = calendar.with_periods(periods_from_pairs(desk.working_periods))
    return calendar


def calendar_forget() -> None:
    """Drop this process's calendar (tests roll the generation back with the database)."""
    global _current
    _current = None
