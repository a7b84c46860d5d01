"""One reading of "which figures" for the pages, the exports and the API: a period, a unit,
an agency, a procedure, a field, a channel, checked against what the asker may see."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from urllib.parse import urlencode

from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog.models import Field, Procedure
from motcua.geo.models import Agency, Unit

from .permissions import Scope
from .selectors import CHANNELS, Slice

# The pages' parameters (Vietnamese, like the rest of the site's addresses) and the API's.
PAGE_KEYS = {"start": "tu", "end": "den", "unit": "don-vi", "agency": "co-quan",
             "procedure": "thu-tuc", "field": "linh-vuc", "channel": "kenh"}
API_KEYS = {"start": "from", "end": "to", "unit": "unit", "agency": "agency",
            "procedure": "procedure", "field": "field", "channel": "channel"}
MAX_DAYS = 366 * 10


class QueryError(Exception):
    def __init__(self, message, code="invalid", status=400):
        super().__init__(str(message))
        self.message, self.code, self.status = str(message), code, status


@dataclass(frozen=True)
class ReportQuery:
    start: dt.date
    end: dt.date
    unit: Unit
    agency: Agency | None = None
    procedure: Procedure | None = None
    field: Field | None = None
    channel: str | None = None

    @property
    def slice(self) -> Slice:
        return Slice(unit=self.unit, agency=self.agency, procedure=self.procedure,
                     field=self.field, channel=self.channel)

    def params(self, keys=PAGE_KEYS, **changes) -> dict:
        q = replace(self, **changes) if changes else self
        out = {keys["start"]: q.start.isoformat(), keys["end"]: q.end.isoformat(),
               keys["unit"]: q.unit.code}
        if q.agency:
            out[keys["agency"]] = q.agency.code
        if q.procedure:
            out[keys["procedure"]] = q.procedure.code
        if q.field:
            out[keys["field"]] = q.field.slug
        if q.channel:
            out[keys["channel"]] = q.channel
        return out

    def querystring(self, keys=PAGE_KEYS, extra: dict | None = None, **changes) -> str:
        return urlencode({**self.params(keys, **changes), **(extra or {})})


def _date(value: str, name: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        try:
            return dt.datetime.strptime(value, "%d/%m/%Y").date()
        except ValueError:
            raise QueryError(_("“%(value)s” is not a date: write it as dd/mm/yyyy.")
                             % {"value": value[:20]}, f"invalid_{name}") from None


def query_parse(data, scope: Scope, *, keys=PAGE_KEYS) -> ReportQuery:
    """The query ``data`` (a QueryDict or a dict) asks for, or QueryError."""
    if not scope.any:
        raise QueryError(_("You may not see these statistics."), "forbidden", 403)
    today = timezone.localdate()

    def get(name):
        return (data.get(keys[name]) or "").strip()

    start = _date(get("start"), "from") if get("start") else today.replace(month=1, day=1)
    end = _date(get("end"), "to") if get("end") else today
    if start > end:
        raise QueryError(_("The period ends before it starts."), "invalid_period")
    if (end - start).days > MAX_DAYS:
        raise QueryError(_("Choose a period of at most ten years."), "invalid_period")
    roots = scope.roots()
    unit = roots[0]
    if get("unit"):
        unit = Unit.objects.filter(code=get("unit")).first()
        if unit is None:
            raise QueryError(_("No such administrative unit."), "unknown_unit", 404)
        if not scope.allows_unit(unit):
            raise QueryError(_("You may not see the statistics of this unit."), "forbidden",
                             403)
    agency = None
    if get("agency"):
        agency = Agency.objects.select_related("unit").filter(code=get("agency")).first()
        if agency is None:
            raise QueryError(_("No such agency."), "unknown_agency", 404)
        if not scope.allows_agency(agency):
            raise QueryError(_("You may not see the statistics of this agency."), "forbidden",
                             403)
        if not agency.unit.path.startswith(unit.path):
            unit = agency.unit if scope.allows_unit(agency.unit) else unit
    procedure = None
    if get("procedure"):
        procedure = Procedure.objects.filter(code=get("procedure")).first()
        if procedure is None:
            raise QueryError(_("No such procedure."), "unknown_procedure", 404)
    field = None
    if get("field"):
        field = Field.objects.filter(slug=get("field")).first()
        if field is None:
            raise QueryError(_("No such field."), "unknown_field", 404)
    channel = get("channel") or None
    if channel and channel not in CHANNELS:
        raise QueryError(_("The channel is online, in_person or post."), "invalid_channel")
    return ReportQuery(start=start, end=end, unit=unit, agency=agency, procedure=procedure,
                       field=field, channel=channel)
