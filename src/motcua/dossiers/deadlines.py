"""Dossier time: the official time of receipt, the appointment, step deadlines, the clock
around a supplement request, and whether a dossier was early, on time or late. Working time
comes from the calendar in motcua.core.workdays."""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from motcua.catalog.models import SupplementClock
from motcua.core import workdays
from motcua.core.calendar import work_calendar
from motcua.core.formats import LOCAL_TZ

from .models import Channel, Timeliness


def _calendar(desk=None):
    return work_calendar(desk=desk)


def duration_for(version, channel: str) -> tuple[int, str]:
    value = version.processing_time
    if channel == Channel.ONLINE and version.online_processing_time:
        value = version.online_processing_time
    return value, version.processing_time_unit


def official_receipt_time(*, at: dt.datetime, version, channel: str, desk=None) -> dt.datetime:
    """An online dossier that arrives outside working hours is received at the start of the
    next working period (NĐ 45/2020 Art. 11); a per-procedure cut-off moves late arrivals to
    the next working day."""
    calendar = _calendar(desk)
    received = at
    if channel == Channel.ONLINE:
        received = workdays.receipt_time(calendar, at)
    if version.cutoff_time is not None:
        received = workdays.apply_cutoff(calendar, received, version.cutoff_time)
    return received


def appointment(*, received_at: dt.datetime, version, channel: str, desk=None) -> dt.datetime:
    value, unit = duration_for(version, channel)
    return workdays.due_at(_calendar(desk), received_at, value, unit)


def step_deadlines(*, start: dt.datetime, due: dt.datetime, shares: list[int],
                   desk=None) -> list[dt.datetime]:
    """Deadlines of consecutive steps sharing the working time between ``start`` and ``due``
    by their percentages; the last step ends at ``due``."""
    calendar = _calendar(desk)
    total = workdays.working_minutes_between(calendar, start, due)
    out, cumulative = [], 0
    whole = sum(shares) or 1
    for index, share in enumerate(shares):
        cumulative += share
        if index == len(shares) - 1:
            out.append(due)
        else:
            minutes = total * cumulative // whole
            out.append(workdays.add_working_minutes(calendar, start, minutes))
    return out


def due_after_supplement(*, version, channel: str, received_at: dt.datetime,
                         due_at: dt.datetime, paused_at: dt.datetime,
                         resumed_at: dt.datetime, desk=None) -> dt.datetime:
    """The new appointment when the supplement arrives: the whole time again from the
    complete dossier ("restart", the default), or only what was left ("resume")."""
    calendar = _calendar(desk)
    resumed = workdays.receipt_time(calendar, resumed_at)
    if version.supplement_clock == SupplementClock.RESUME:
        remaining = workdays.working_minutes_between(calendar, paused_at, due_at)
        return workdays.add_working_minutes(calendar, resumed, remaining)
    value, unit = duration_for(version, channel)
    return workdays.due_at(calendar, resumed, value, unit)


def timeliness(*, finished_at: dt.datetime, due_at: dt.datetime) -> str:
    """Early: finished on a day before the appointment's day; on time: by the appointment;
    late: after it."""
    if finished_at > due_at:
        return Timeliness.LATE
    if finished_at.astimezone(LOCAL_TZ).date() < due_at.astimezone(LOCAL_TZ).date():
        return Timeliness.EARLY
    return Timeliness.ON_TIME


def apology_limit() -> int:
    """How many times an appointment may be moved by an apology letter (NĐ 61/2018: once;
    unconfirmed for NĐ 118/2025, so a setting)."""
    return settings.APOLOGY_LIMIT
