import datetime as dt
from typing import Literal

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from motcua.api.errors import ApiError

from .selectors import work_calendar
from .workdays import LOCAL_TZ, parse_time

router = Router(tags=["working-day calendar"])

# Past this, a receipt time is a typing mistake, and dates stay far from datetime's limits.
_FIRST_YEAR, _LAST_YEAR = 1995, 2100


class DueDateQuery(Schema):
    received_at: str = Field(
        description="When the dossier arrived, ISO 8601; without an offset, Vietnam's time.",
        examples=["2026-02-11T09:30", "2026-02-11T02:30:00Z"],
    )
    duration: int = Field(ge=0, le=1000, description="The processing time; 0: the same day.")
    unit: Literal["day", "half_day", "hour"] = Field(
        description="Working days, half days (working periods) or working hours.")
    cutoff: str = Field(
        "", description="The procedure's cut-off hour (HH:MM): received later counts from the "
                        "next working day.")


class DueDateOut(Schema):
    due_at: str


class InvalidInput(ApiError):
    status = 422
    code = "invalid"


def _received_at(text: str) -> dt.datetime:
    try:
        value = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(_("received_at: %(value)s is not a date and time in ISO 8601, e.g. "
                             "2026-02-11T09:30 or 2026-02-11T09:30+07:00")
                           % {"value": text}) from None
    if not _FIRST_YEAR <= value.year <= _LAST_YEAR:
        raise InvalidInput(_("received_at: give a time between the years %(first)s and %(last)s")
                           % {"first": _FIRST_YEAR, "last": _LAST_YEAR})
    return value if value.tzinfo else value.replace(tzinfo=LOCAL_TZ)


@router.get("/calendar/due-date", response=DueDateOut, summary="When a dossier is due")
def due_date(request, params: Query[DueDateQuery]):
    """The due time of a dossier received at `received_at` with a processing time of `duration`
    `unit`s, counted in working time: days end at the end of the n-th working day after the
    receipt (Civil Code Arts. 147–148), and a dossier arriving outside office hours is
    received at the start of the next working period."""
    received_at = _received_at(params.received_at)
    cutoff = None
    if params.cutoff:
        try:
            cutoff = parse_time(params.cutoff)
        except ValueError:
            raise InvalidInput(_("cutoff: %(value)s is not a time of day (HH:MM)")
                               % {"value": params.cutoff}) from None
    due = work_calendar().due_at(received_at, duration=params.duration, unit=params.unit,
                                 cutoff=cutoff)
    return {"due_at": due.isoformat()}
