"""Dossier time: the official time of receipt, the appointment, step deadlines, the clock
around a supplement request, and whether a dossier was early, on time or late. The working
days and hours come from the calendar (motcua.core.workdays)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from motcua.core.formats import LOCAL_TZ
from motcua.core.selectors import work_calendar

from .models import Channel, Timeliness


def duration_for(version, channel: str) -> tuple[int, str]:
    """The processing time, shortened when submitted online where the procedure says so."""
    value = version.processing_time
    if channel == Channel.ONLINE and version.online_processing_time:
        value = version.online_processing_time
    return value, version.processing_time_unit


def official_receipt_time(*, at: dt.datetime, channel: str, desk=None) -> dt.datetime:
    """An online dossier arriving outside working hours is received at the start of the next
    working period (NĐ 45/2020 Art. 11); at a desk, when the officer receives it."""
    if channel == Channel.ONLINE:
        return work_calendar(desk=desk).receipt_time(at)
    return at


def appointment(*, received_at: dt.datetime, version, channel: str, desk=None) -> dt.datetime:
    value, unit = duration_for(version, channel)
    return work_calendar(desk=desk).due_at(received_at, duration=value, unit=unit,
                                           cutoff=version.cutoff_time)


def step_deadlines(*, start: dt.datetime, due: dt.datetime, shares: list[int],
                   desk=None) -> list[dt.datetime]:
    """Deadlines of consecutive steps sharing the working time from ``start`` to ``due`` by
    their percentages; the last step ends at ``due``."""
    calendar = work_calendar(desk=desk)
    total = calendar.working_time_between(start, due)
    whole = sum(shares) or 1
    out, cumulative = [], 0
    for index, share in enumerate(shares):
        cumulative += share
        if index == len(shares) - 1:
            out.append(due)
        else:
            out.append(calendar.add_working_time(start, total * cumulative / whole))
    return out


def due_after_supplement(*, version, channel: str, received_at: dt.datetime,
                         paused_at: dt.datetime, resumed_at: dt.datetime,
                         desk=None) -> dt.datetime:
    """The appointment once the supplement arrives: the whole time again from the complete
    dossier ("restart", the default) or only what was left ("resume"), as the procedure says."""
    value, unit = duration_for(version, channel)
    # Asked before the clock started (an online dossier accepted out of hours is received at
    # the next working period): no time was used.
    paused_at = max(paused_at, received_at)
    resumed_at = max(resumed_at, paused_at)
    return work_calendar(desk=desk).due_after_supplement(
        received_at=received_at, requested_at=paused_at, completed_at=resumed_at,
        duration=value, unit=unit, mode=version.supplement_clock, cutoff=version.cutoff_time)


def timeliness(*, finished_at: dt.datetime, due_at: dt.datetime) -> str:
    """Early: finished on a day before the appointment's day; on time: by the appointment;
    late: after it."""
    if finished_at > due_at:
        return Timeliness.LATE
    if finished_at.astimezone(LOCAL_TZ).date() < due_at.astimezone(LOCAL_TZ).date():
        return Timeliness.EARLY
    return Timeliness.ON_TIME


def apology_limit() -> int:
    """How many times an apology letter may move an appointment (NĐ 61/2018: once;
    unconfirmed for NĐ 118/2025, so a setting)."""
    return settings.APOLOGY_LIMIT
