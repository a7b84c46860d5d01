"""Reading the facts: the figures of a period for a slice (a unit and everything under it, an
agency, a procedure, a field, a channel), grouped or not. Every page, export and API answer
reads through ``report_figures``, so they agree by construction.

A period's flows are summed over whole months from the monthly tables and over the days
left at either end from the daily tables; a stock at the end of a day is the sum of its
changes up to that day, read the same way from the beginning. The tables without the
procedure are used when the question does not need it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q, Sum

from motcua.catalog.models import Field, Procedure
from motcua.geo.models import Agency, Unit

from .measures import FLOWS, STOCKS, VALUES
from .models import DailyAgencyFact, DailyFact, MonthlyAgencyFact, MonthlyFact

GROUPS = ("unit", "agency", "procedure", "field", "channel", "month")
FLOW_COLUMNS = FLOWS + VALUES
DELTA_COLUMNS = tuple(f"{s}_delta" for s in STOCKS)
CHANNELS = ("online", "in_person", "post")


@dataclass(frozen=True)
class Slice:
    """Which dossiers: those of agencies seated in ``unit`` or under it, of one agency, one
    procedure, one field, one channel (any of them None: all)."""

    unit: Unit | None = None
    agency: Agency | None = None
    procedure: Procedure | None = None
    field: Field | None = None
    channel: str | None = None

    def needs_procedure(self) -> bool:
        return self.procedure is not None or self.field is not None


@dataclass
class Figures:
    """The figures of one slice over one period."""

    flows: dict = field(default_factory=lambda: dict.fromkeys(FLOW_COLUMNS, 0))
    received_by_channel: dict = field(default_factory=lambda: dict.fromkeys(CHANNELS, 0))
    # Dossiers of procedures offered online (partly or fully), and of those the online ones.
    received_online_capable: int = 0
    received_online_capable_online: int = 0
    carried: int = 0            # open at the end of the day before the period
    open: int = 0               # open at the end of the period
    paused: int = 0
    overdue: int = 0

    @property
    def resolved(self) -> int:
        return sum(self.flows[n] for n in ("resolved_early", "resolved_on_time",
                                            "resolved_late"))

    @property
    def within_deadline(self) -> int:
        return self.open - self.paused - self.overdue

    @property
    def to_process(self) -> int:
        return self.carried + self.flows["received"]

    def as_dict(self) -> dict:
        return {
            "carried": self.carried, **self.flows,
            "received_online": self.received_by_channel["online"],
            "received_in_person": self.received_by_channel["in_person"],
            "received_post": self.received_by_channel["post"],
            "to_process": self.to_process, "resolved": self.resolved,
            "open": self.open, "paused": self.paused, "overdue": self.overdue,
            "within_deadline": self.within_deadline,
            "received_online_capable": self.received_online_capable,
            "received_online_capable_online": self.received_online_capable_online,
        }


@dataclass
class Row:
    key: object
    code: str
    name: str
    figures: Figures


@dataclass
class Report:
    start: dt.date
    end: dt.date
    slice: Slice
    group_by: str | None
    total: Figures
    rows: list[Row]


# --- time ----------------------------------------------------------------------------------------

def _month_end(month: dt.date) -> dt.date:
    nxt = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return nxt - dt.timedelta(days=1)


def split_period(start: dt.date | None, end: dt.date):
    """[start, end] as signed parts: ([(first month or None, last month, sign)],
    [(first day or None, last day, sign)]). Whole months come from the monthly tables; a
    partial month at either end is its days, or, when it is most of the month, the whole
    month less the days left out, so no more than half a month of days is ever read. None
    as the first means "from the beginning"."""
    months, days = [], []
    one = dt.timedelta(days=1)

    def month_or_days(m_first, m_last, a, b):
        """Days [a, b] of the month starting at m_first (a >= m_first, b <= its end)."""
        if (b - a).days + 1 > 16:
            months.append((m_first, m_first, 1))
            if a > m_first:
                days.append((m_first, a - one, -1))
            if b < m_last:
                days.append((b + one, m_last, -1))
        else:
            days.append((a, b, 1))

    end_month = end.replace(day=1)
    end_month_last = _month_end(end)
    if start is None:
        before_end_month = end_month - one
        months.append((None, before_end_month.replace(day=1), 1))
        month_or_days(end_month, end_month_last, end_month, end)
        return months, days
    start_month = start.replace(day=1)
    if start_month == end_month:
        month_or_days(start_month, end_month_last, start, end)
        return months, days
    month_or_days(start_month, _month_end(start), start, _month_end(start))
    first_full = _month_end(start) + one
    last_full = end_month - one
    if first_full <= last_full:
        months.append((first_full, last_full.replace(day=1), 1))
    month_or_days(end_month, end_month_last, end_month, end)
    return months, days


# --- the slices ----------------------------------------------------------------------------------

def unit_subtree_ids(unit: Unit) -> list[int]:
    return list(Unit.objects.filter(path__startswith=unit.path).values_list("pk", flat=True))


def _filters(s: Slice, unit_ids: list[int] | None) -> Q:
    q = Q()
    if unit_ids is not None:
        q &= Q(unit_id__in=unit_ids)
    if s.agency is not None:
        q &= Q(agency_id=s.agency.pk)
    if s.procedure is not None:
        q &= Q(procedure_id=s.procedure.pk)
    if s.field is not None:
        q &= Q(field_id=s.field.pk)
    if s.channel:
        q &= Q(channel=s.channel)
    return q


def _group_column(group_by: str | None) -> str | None:
    return {"unit": "unit_id", "agency": "agency_id", "procedure": "procedure_id",
            "field": "field_id", "channel": "channel", "month": None}.get(group_by or "")


def _sum(start, end, s: Slice, unit_ids, group_by, columns, *, procedure: bool,
         by_channel: bool = True):
    """{(group, channel, online_mode): {column: amount}} over [start, end] (channel and
    online mode None unless ``by_channel``)."""
    monthly, daily = (MonthlyFact, DailyFact) if procedure else \
        (MonthlyAgencyFact, DailyAgencyFact)
    month_parts, day_parts = split_period(start, end)
    where = _filters(s, unit_ids)
    group_column = _group_column(group_by)
    out: dict[tuple, dict] = defaultdict(lambda: dict.fromkeys(columns, 0))
    parts = []
    for first, last, sign in month_parts:
        q = Q(month__lte=last) if first is None else Q(month__gte=first, month__lte=last)
        parts.append((monthly, "month", q, sign))
    for a, b, sign in day_parts:
        q = Q(day__lte=b) if a is None else Q(day__gte=a, day__lte=b)
        parts.append((daily, "day", q, sign))
    for model, grain, q, sign in parts:
        keys = ["channel", "online_mode"] if by_channel else []
        if group_column:
            keys.append(group_column)
        if group_by == "month":
            keys.append(grain)
        rows = (model.objects.filter(where & q).values(*keys).order_by()
                .annotate(**{f"s_{c}": Sum(c) for c in columns}))
        for row in rows:
            if group_by == "month":
                group = row[grain].replace(day=1)
            else:
                group = row[group_column] if group_column else None
            target = out[(group, row.get("channel"), row.get("online_mode"))]
            for c in columns:
                target[c] += sign * (row[f"s_{c}"] or 0)
    return out


def report_figures(*, start: dt.date, end: dt.date, slice: Slice | None = None,
                   group_by: str | None = None) -> Report:
    """The figures of [start, end] (days in Vietnam's time, both included) for ``slice``,
    in total and per ``group_by`` (one of GROUPS, or None)."""
    return reports_figures(start=start, end=end, slice=slice, groups=[group_by])[0]


def reports_figures(*, start: dt.date, end: dt.date, slice: Slice | None = None,
                    groups: list[str | None]) -> list[Report]:
    """Several groupings of the same figures. Units and agencies come from the same rows
    (an agency sits in one unit), so asking for both reads the facts once."""
    s = slice or Slice()
    for group_by in groups:
        if group_by is not None and group_by not in GROUPS:
            raise ValueError(group_by)
    by_agency = [g for g in groups if g in ("unit", "agency")]
    out = {}
    if by_agency:
        raw = _collect(start, end, s, "agency")
        agency_unit = dict(Agency.objects.values_list("pk", "unit_id"))
        for group_by in by_agency:
            if group_by == "agency":
                out[group_by] = _assemble(raw, start, end, s, group_by, lambda k: k)
            else:
                unit_of = _child_map(s.unit or _province())
                out[group_by] = _assemble(
                    raw, start, end, s, group_by,
                    lambda k, unit_of=unit_of: unit_of.get(agency_unit.get(k), k))
    for group_by in groups:
        if group_by not in out:
            raw = _collect(start, end, s, group_by)
            out[group_by] = _assemble(raw, start, end, s, group_by, lambda k: k)
    return [out[g] for g in groups]


def _collect(start, end, s: Slice, group_by):
    procedure = s.needs_procedure() or group_by in ("procedure", "field")
    # The whole province is every fact: no filter on the unit.
    whole = s.unit is None or s.unit.parent_id is None
    unit_ids = unit_subtree_ids(s.unit) if not whole else None
    flows = _sum(start, end, s, unit_ids, group_by, FLOW_COLUMNS, procedure=procedure)
    carried, at_end = {}, {}
    # Months have flows only: their stocks are not asked (a month's open dossiers are the
    # next month's carried over).
    if group_by != "month":
        before = start - dt.timedelta(days=1)
        carried = _sum(None, before, s, unit_ids, group_by, ("open_delta",),
                       procedure=procedure, by_channel=False)
        at_end = _sum(None, end, s, unit_ids, group_by, DELTA_COLUMNS, procedure=procedure,
                      by_channel=False)
    return flows, carried, at_end


def _assemble(raw, start, end, s, group_by, key_of) -> Report:
    flows, carried, at_end = raw
    groups: dict[object, Figures] = defaultdict(Figures)
    total = Figures()
    for (key, channel, mode), sums in flows.items():
        for target in (groups[key_of(key)], total):
            for c in FLOW_COLUMNS:
                target.flows[c] += sums[c]
            target.received_by_channel[channel] = \
                target.received_by_channel.get(channel, 0) + sums["received"]
            if mode != "none":
                target.received_online_capable += sums["received"]
                if channel == "online":
                    target.received_online_capable_online += sums["received"]
    for (key, _channel, _mode), sums in carried.items():
        for target in _stock_targets(groups, total, key_of(key), group_by):
            target.carried += sums["open_delta"]
    for (key, _channel, _mode), sums in at_end.items():
        for target in _stock_targets(groups, total, key_of(key), group_by):
            target.open += sums["open_delta"]
            target.paused += sums["paused_delta"]
            target.overdue += sums["overdue_delta"]
    if group_by is None:
        groups = {}
    rows = _labelled(groups, group_by) if group_by else []
    if group_by == "month":
        rows = _month_rows(rows, start, end)
    return Report(start=start, end=end, slice=s, group_by=group_by, total=total, rows=rows)


def _stock_targets(groups, total, key, group_by):
    if group_by == "month":
        return (total,)
    return (groups[key], total)


def _province() -> Unit:
    from django.conf import settings

    return Unit.objects.get(code=settings.PROVINCE_CODE)


def _child_map(base: Unit) -> dict[int, int]:
    """Every unit under ``base`` → the unit directly under ``base`` it belongs to (``base``
    itself maps to itself)."""
    units = Unit.objects.filter(path__startswith=base.path).values_list("pk", "path")
    out = {}
    for pk, path in units:
        rest = path[len(base.path):].strip("/")
        if not rest:
            out[pk] = base.pk
            continue
        child_code = rest.split("/")[0]
        out[pk] = child_code
    codes = {c for c in out.values() if isinstance(c, str)}
    ids = dict(Unit.objects.filter(code__in=codes).values_list("code", "pk"))
    return {pk: (ids[c] if isinstance(c, str) else c) for pk, c in out.items()}


CHANNEL_LABELS = {"online": "Trực tuyến", "in_person": "Trực tiếp", "post": "Bưu chính"}


def _labelled(groups: dict, group_by: str) -> list[Row]:
    keys = [k for k in groups if k is not None]
    if group_by == "unit":
        names = {u.pk: (u.code, u.name) for u in Unit.objects.filter(pk__in=keys)}
    elif group_by == "agency":
        names = {a.pk: (a.code, a.name) for a in Agency.objects.filter(pk__in=keys)}
    elif group_by == "procedure":
        names = _procedure_names(keys)
    elif group_by == "field":
        names = {f.pk: (f.slug, f.name) for f in Field.objects.filter(pk__in=keys)}
    elif group_by == "channel":
        from motcua.dossiers.models import Channel

        names = {k: (k, str(Channel(k).label)) for k in keys}
    else:  # month
        names = {k: (k.strftime("%Y-%m"), k.strftime("%m/%Y")) for k in keys}
    rows = [Row(key=k, code=names.get(k, (str(k), str(k)))[0],
                name=names.get(k, (str(k), str(k)))[1], figures=f) for k, f in groups.items()
            if k is not None]
    if group_by == "month":
        rows.sort(key=lambda r: r.key)
    else:
        rows.sort(key=lambda r: r.code)
    return rows


def _procedure_names(ids) -> dict:
    from motcua.catalog.models import ProcedureVersion

    names = {}
    versions = (ProcedureVersion.objects.filter(procedure_id__in=ids)
                .order_by("procedure_id", "-effective_from")
                .values_list("procedure_id", "procedure__code", "name"))
    for pk, code, name in versions:
        names.setdefault(pk, (code, name))
    return names


def _month_rows(rows: list[Row], start: dt.date, end: dt.date) -> list[Row]:
    """Every month of the period, those without any dossier included (a chart needs them)."""
    by_key = {r.key: r for r in rows}
    out = []
    month = start.replace(day=1)
    while month <= end:
        out.append(by_key.get(month) or Row(key=month, code=month.strftime("%Y-%m"),
                                            name=month.strftime("%m/%Y"), figures=Figures()))
        month = _month_end(month) + dt.timedelta(days=1)
    return out


# --- the dossiers behind a figure ----------------------------------------------------------------

# Figures a list can be asked for, beyond each flow and stock by its own name.
LIST_FIGURES = (*FLOWS, "carried", "to_process", "resolved", "received_online",
                "received_in_person", "received_post", "open", "within_deadline", "paused",
                "overdue")


def _tracks(s: Slice):
    from .models import DossierTrack

    tracks = DossierTrack.objects.all()
    if s.unit is not None:
        tracks = tracks.filter(unit__path__startswith=s.unit.path)
    if s.agency is not None:
        tracks = tracks.filter(agency_id=s.agency.pk)
    if s.procedure is not None:
        tracks = tracks.filter(procedure_id=s.procedure.pk)
    if s.field is not None:
        tracks = tracks.filter(field_id=s.field.pk)
    if s.channel:
        tracks = tracks.filter(channel=s.channel)
    return tracks


def dossiers_behind(*, figure: str, start: dt.date, end: dt.date, slice: Slice | None = None):
    """The dossiers counted in ``figure`` for the period and slice (a Dossier queryset, as
    many as the figure says)."""
    from motcua.dossiers.models import Dossier

    from .measures import MEASURE_CODES, RESOLVED
    from .models import DossierSpan

    if figure not in LIST_FIGURES:
        raise ValueError(figure)
    s = slice or Slice()

    def flow(*names):
        return DossierSpan.objects.filter(
            measure__in=[MEASURE_CODES[n] for n in names], first__gte=start, first__lte=end
        ).values("dossier_id")

    def stock(name, day):
        return DossierSpan.objects.filter(measure=MEASURE_CODES[name], first__lte=day).filter(
            Q(end__isnull=True) | Q(end__gt=day)).values("dossier_id")

    tracks = _tracks(s)
    channel = {"received_online": "online", "received_in_person": "in_person",
               "received_post": "post"}.get(figure)
    if channel:
        tracks = tracks.filter(channel=channel)
    before = start - dt.timedelta(days=1)
    if figure in FLOWS:
        q = Q(pk__in=flow(figure))
    elif channel:
        q = Q(pk__in=flow("received"))
    elif figure == "resolved":
        q = Q(pk__in=flow(*RESOLVED))
    elif figure == "carried":
        q = Q(pk__in=stock("open", before))
    elif figure == "to_process":
        q = Q(pk__in=stock("open", before)) | Q(pk__in=flow("received"))
    elif figure == "within_deadline":
        q = Q(pk__in=stock("open", end)) & ~Q(pk__in=stock("paused", end)) & \
            ~Q(pk__in=stock("overdue", end))
    else:
        q = Q(pk__in=stock(figure, end))
    return Dossier.objects.filter(q, pk__in=tracks.values("dossier_id"))
