"""Keeping the facts: the update of one dossier as its events arrive, and the rebuild of
everything from the events. Both run the same projection (projection.py) and write the same
rows; `motcua reports rebuild` and the incremental path give identical figures (tested).

The update of a dossier is idempotent and safe to run twice or at once: it locks the
dossier's track row, projects the events up to the watermark and up to the last event, and
adds only the difference; a second run finds the watermark at the last event and does
nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections import Counter, defaultdict

from django.db import IntegrityError, connection, transaction

from motcua.dossiers.models import Dossier, DossierEvent

from . import projection
from .bulk import rows_insert
from .measures import COLUMN_INDEX, COLUMNS
from .models import (
    FACT_MODELS,
    DossierSpan,
    DossierTrack,
    FactsState,
    ReasonFact,
    StepFact,
)

logger = logging.getLogger(__name__)

N = len(COLUMNS)


def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def reason_key(kind: str, text: str) -> str:
    from motcua.core.text import fold_vi

    return hashlib.sha256(f"{kind}\n{fold_vi(text)}".encode()).hexdigest()


def dossier_dims(dossier_id: int) -> dict | None:
    """Where a dossier is counted, or None while it is not in the statistics (a draft)."""
    row = (Dossier.objects.filter(pk=dossier_id, competent_agency__isnull=False)
           .values("competent_agency_id", "competent_agency__unit_id",
                   "procedure_version__procedure_id", "procedure_version__field_id",
                   "channel", "procedure_version__online_mode").first())
    if row is None:
        return None
    return {"agency_id": row["competent_agency_id"], "unit_id": row["competent_agency__unit_id"],
            "procedure_id": row["procedure_version__procedure_id"],
            "field_id": row["procedure_version__field_id"], "channel": row["channel"],
            "online_mode": row["procedure_version__online_mode"]}


def _events(dossier_ids) -> dict[int, list]:
    by_dossier: dict[int, list] = defaultdict(list)
    rows = (DossierEvent.objects.filter(dossier_id__in=dossier_ids).order_by("id")
            .values_list("dossier_id", *projection.EVENT_FIELDS))
    for row in rows:
        by_dossier[row[0]].append(projection.EventRow(*row[1:]))
    return by_dossier


# --- writing the facts --------------------------------------------------------------------------

class FactBuffer:
    """Fact rows keyed by their dimensions, for the four tables at once."""

    def __init__(self):
        self.rows: dict[type, dict[tuple, list]] = {model: {} for model in FACT_MODELS}
        self.steps: Counter = Counter()
        self.step_seconds: Counter = Counter()
        self.reasons: Counter = Counter()
        self.reason_texts: dict[tuple, str] = {}

    def add(self, dims: dict, facts: Counter, sign: int = 1) -> None:
        for (day, column), amount in facts.items():
            if not amount:
                continue
            i = COLUMN_INDEX[column]
            for model in FACT_MODELS:
                when = day if model.GRAIN == "day" else month_of(day)
                key = (when, dims["unit_id"], dims["agency_id"], dims["channel"],
                       dims["online_mode"])
                if model.HAS_PROCEDURE:
                    key += (dims["procedure_id"], dims["field_id"])
                vector = self.rows[model].get(key)
                if vector is None:
                    vector = self.rows[model][key] = [0] * N
                vector[i] += sign * amount

    def add_projection(self, dims: dict, p: projection.Projection, sign: int = 1) -> None:
        self.add(dims, p.facts, sign)
        for (day, agency_id, official, step), handled in p.steps.items():
            key = (day, agency_id or dims["agency_id"], official, step)
            self.steps[key] += sign * handled
            self.step_seconds[key] += sign * p.step_seconds[(day, agency_id, official, step)]
        for (day, kind, text), times in p.reasons.items():
            key = (day, dims["unit_id"], dims["agency_id"], dims["procedure_id"], kind,
                   reason_key(kind, text))
            self.reasons[key] += sign * times
            self.reason_texts.setdefault(key, text)

    def upsert(self) -> None:
        """Add every row to what the tables hold (insert, or add to the row there)."""
        for model, rows in self.rows.items():
            rows = {k: v for k, v in rows.items() if any(v)}
            _upsert(model._meta.db_table, model.DIMS, COLUMNS, rows)
        steps = {k: [v, self.step_seconds[k]] for k, v in self.steps.items()
                 if v or self.step_seconds[k]}
        _upsert(StepFact._meta.db_table, ("day", "agency_id", "official", "step"),
                ("handled", "seconds"), steps)
        reasons = {k: [v] for k, v in self.reasons.items() if v}
        _upsert(ReasonFact._meta.db_table,
                ("day", "unit_id", "agency_id", "procedure_id", "kind", "key"), ("times",),
                reasons, extra={"text": self.reason_texts})

    def insert(self) -> None:
        """Write the rows into empty tables (the rebuild)."""
        for model, rows in self.rows.items():
            rows_insert(model._meta.db_table, (*model.DIMS, *COLUMNS),
                        ((*key, *vector) for key, vector in rows.items() if any(vector)))
        rows_insert(StepFact._meta.db_table,
                    ("day", "agency_id", "official", "step", "handled", "seconds"),
                    ((*k, v, self.step_seconds[k]) for k, v in self.steps.items()
                     if v or self.step_seconds[k]))
        rows_insert(ReasonFact._meta.db_table,
                    ("day", "unit_id", "agency_id", "procedure_id", "kind", "key", "text",
                     "times"),
                    ((*k, self.reason_texts[k], v) for k, v in self.reasons.items() if v))


def _adapt(value):
    if isinstance(value, dt.date):
        return connection.ops.adapt_datefield_value(value)
    return value


def _upsert(table: str, dims, columns, rows: dict, *, extra: dict | None = None) -> None:
    """INSERT … ON CONFLICT DO UPDATE adding to the stored amounts: one statement for
    SQLite (3.24+) and PostgreSQL alike, atomic per row, so two updates at once both
    count."""
    if not rows:
        return
    q = connection.ops.quote_name
    extra_names = list(extra or {})
    names = [*dims, *columns, *extra_names]
    placeholders = ", ".join(["%s"] * len(names))
    sets = ", ".join(f"{q(c)} = {q(table)}.{q(c)} + excluded.{q(c)}" for c in columns)
    # Table and column names come from the models; every value is a bound parameter.
    sql = (f"INSERT INTO {q(table)} ({', '.join(q(n) for n in names)}) "  # noqa: S608
           f"VALUES ({placeholders}) ON CONFLICT ({', '.join(q(d) for d in dims)}) "
           f"DO UPDATE SET {sets}")
    params = [[*(_adapt(v) for v in key), *vector,
               *((extra or {})[name][key] for name in extra_names)]
              for key, vector in rows.items()]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _spans(dossier_id: int, p: projection.Projection) -> list[DossierSpan]:
    return [DossierSpan(dossier_id=dossier_id, measure=m, first=first, end=end)
            for m, first, end in p.spans]


# --- the incremental update ---------------------------------------------------------------------

def dossier_facts_update(*, dossier_id: int) -> bool:
    """Bring one dossier's facts up to its last event. True if anything was applied."""
    for attempt in range(3):
        try:
            return _dossier_facts_update(dossier_id)
        except IntegrityError:
            # Another update created the dossier's track at the same moment: start again,
            # now from its watermark.
            if attempt == 2:
                raise
    return False


@transaction.atomic
def _dossier_facts_update(dossier_id: int) -> bool:
    track = DossierTrack.objects.select_for_update().filter(pk=dossier_id).first()
    events = _events([dossier_id]).get(dossier_id, [])
    if not events:
        return False
    last = events[-1].id
    if track is not None and track.applied_event_id >= last:
        return False
    if track is None:
        if not any(e.action in projection.RECEIPT for e in events):
            return False
        dims = dossier_dims(dossier_id)
        if dims is None:
            return False
        with transaction.atomic():
            track = DossierTrack.objects.create(dossier_id=dossier_id, applied_event_id=0,
                                                **dims)
    dims = {"unit_id": track.unit_id, "agency_id": track.agency_id,
            "procedure_id": track.procedure_id, "field_id": track.field_id,
            "channel": track.channel, "online_mode": track.online_mode}
    old = projection.project([e for e in events if e.id <= track.applied_event_id])
    new = projection.project(events)
    buffer = FactBuffer()
    buffer.add_projection(dims, new)
    buffer.add_projection(dims, old, sign=-1)
    buffer.upsert()
    if sorted(old.spans, key=_span_order) != sorted(new.spans, key=_span_order):
        DossierSpan.objects.filter(dossier_id=dossier_id).delete()
        DossierSpan.objects.bulk_create(_spans(dossier_id, new))
    DossierTrack.objects.filter(pk=dossier_id).update(applied_event_id=last)
    return True


def _span_order(span):
    return (span[0], span[1], span[2] or dt.date.max)


def _mark_set(event_id: int) -> None:
    FactsState.objects.update_or_create(pk=1, defaults={"last_event_id": event_id})


def facts_catch_up(*, batch: int = 1000) -> int:
    """Apply every event not yet applied (a task lost with a dropped queue, a worker killed
    mid-way): the dossiers of the events after the last catch-up or rebuild. Returns how
    many dossiers were updated."""
    from django.db.models import Max

    mark = FactsState.objects.filter(pk=1).values_list("last_event_id", flat=True).first() or 0
    top = DossierEvent.objects.aggregate(m=Max("id"))["m"] or 0
    updated = 0
    last = mark
    while last < top:
        upper = min(top, last + batch * 20)
        dossiers = set(DossierEvent.objects.filter(id__gt=last, id__lte=upper)
                       .values_list("dossier_id", flat=True))
        for dossier_id in sorted(dossiers):
            if dossier_facts_update(dossier_id=dossier_id):
                updated += 1
        last = upper
        _mark_set(last)
    return updated


# --- the rebuild ----------------------------------------------------------------------------------

@transaction.atomic
def facts_rebuild(*, batch: int = 2000, progress=None) -> dict:
    """Throw the facts away and compute them again from every dossier's events, in one
    transaction (readers see the old figures until it commits). Dossiers are taken agency
    by agency, so memory holds one agency's facts at a time."""
    from django.db.models import Max

    top = DossierEvent.objects.aggregate(m=Max("id"))["m"] or 0
    for model in (*FACT_MODELS, StepFact, ReasonFact, DossierSpan, DossierTrack):
        model.objects.all().delete()
    dossiers = (Dossier.objects.filter(competent_agency__isnull=False)
                .exclude(code=None).order_by("competent_agency_id", "pk")
                .values_list("pk", "competent_agency_id", "competent_agency__unit_id",
                             "procedure_version__procedure_id", "procedure_version__field_id",
                             "channel", "procedure_version__online_mode"))
    steps = FactBuffer()
    totals = {"dossiers": 0, "events": 0}
    buffer = FactBuffer()
    agency = None
    chunk: list[tuple] = []

    def flush_chunk():
        events = _events([row[0] for row in chunk])
        tracks, spans = [], []
        track_columns = ("dossier_id", "unit_id", "agency_id", "procedure_id", "field_id",
                         "channel", "online_mode", "applied_event_id")
        for pk, agency_id, unit_id, procedure_id, field_id, channel, mode in chunk:
            dossier_events = events.get(pk, [])
            if not any(e.action in projection.RECEIPT for e in dossier_events):
                continue
            dims = {"unit_id": unit_id, "agency_id": agency_id, "procedure_id": procedure_id,
                    "field_id": field_id, "channel": channel, "online_mode": mode}
            p = projection.project(dossier_events)
            buffer.add(dims, p.facts)
            step_part = projection.Projection(steps=p.steps, step_seconds=p.step_seconds,
                                              reasons=p.reasons)
            steps.add_projection(dims, step_part)
            tracks.append((pk, unit_id, agency_id, procedure_id, field_id, channel, mode,
                           dossier_events[-1].id))
            spans.extend((pk, m, first, end) for m, first, end in p.spans)
            totals["events"] += len(dossier_events)
        rows_insert(DossierTrack._meta.db_table, track_columns, tracks)
        rows_insert(DossierSpan._meta.db_table, ("dossier_id", "measure", "first", "end"),
                    spans)
        totals["dossiers"] += len(tracks)
        chunk.clear()
        if progress:
            progress(totals["dossiers"])

    for row in dossiers.iterator(chunk_size=batch):
        if row[1] != agency:
            if chunk:
                flush_chunk()
            buffer.insert()
            buffer = FactBuffer()
            agency = row[1]
        chunk.append(row)
        if len(chunk) >= batch:
            flush_chunk()
    if chunk:
        flush_chunk()
    buffer.insert()
    # Steps are keyed by the agency of the step, which may not be the dossier's: kept for
    # the whole run and written once.
    steps.rows = {model: {} for model in FACT_MODELS}
    steps.insert()
    # Events after ``top`` came while the rebuild ran: their tasks, or the next catch-up,
    # apply them from the watermarks written above.
    _mark_set(top)
    if connection.vendor == "postgresql":
        # Planner statistics for the tables just refilled (their sizes changed entirely).
        with connection.cursor() as cursor:
            for model in (*FACT_MODELS, StepFact, ReasonFact, DossierSpan, DossierTrack):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    return totals
