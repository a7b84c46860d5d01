"""Reads for the IT centre and the agency heads: procedures and communes without online
dossiers; an agency's workload and time per step and per official; the most frequent
reasons for refusals and supplement requests. All from the facts."""

from __future__ import annotations

from django.db.models import Sum
from django.utils import timezone

from motcua.accounts.models import User
from motcua.catalog.models import ProcedureVersion
from motcua.geo.models import Agency, Unit

from .models import ReasonFact, StepFact
from .selectors import Slice, report_figures


def online_gaps(*, query) -> dict:
    """Procedures offered fully online that received no online dossier in the period (with
    how many came in person instead), and the units under the query's unit with none."""
    by_procedure = report_figures(start=query.start, end=query.end, slice=query.slice,
                                  group_by="procedure")
    online_by_procedure = {r.key: r for r in by_procedure.rows}
    today = timezone.localdate()
    kinds = set(Agency.objects.filter(unit__path__startswith=query.unit.path)
                .values_list("kind_id", flat=True))
    versions = (ProcedureVersion.objects.filter(online_mode="full", effective_from__lte=today,
                                                agency_kind_id__in=kinds)
                .exclude(effective_to__lt=today).select_related("procedure", "field")
                .order_by("procedure__code", "-effective_from"))
    procedures, seen = [], set()
    for version in versions:
        if version.procedure_id in seen:
            continue
        seen.add(version.procedure_id)
        row = online_by_procedure.get(version.procedure_id)
        online = row.figures.received_by_channel["online"] if row else 0
        if online == 0:
            procedures.append({"code": version.procedure.code, "name": version.name,
                               "field": version.field.name,
                               "other": row.figures.flows["received"] if row else 0})
    procedures.sort(key=lambda p: (-p["other"], p["code"]))
    by_unit = report_figures(start=query.start, end=query.end, slice=Slice(unit=query.unit),
                             group_by="unit")
    units_with = {r.key: r for r in by_unit.rows}
    units = []
    children = Unit.objects.filter(parent=query.unit, agencies__isnull=False).distinct()
    for unit in children.order_by("name"):
        row = units_with.get(unit.pk)
        if row is None or row.figures.received_by_channel["online"] == 0:
            units.append({"unit": unit, "received": row.figures.flows["received"] if row else 0})
    return {"procedures": procedures, "units": units}


def agency_workload(*, query, reasons: int = 10) -> dict:
    agency = query.agency
    steps = (StepFact.objects.filter(agency=agency, day__gte=query.start, day__lte=query.end)
             .values("official", "step").annotate(handled=Sum("handled"),
                                                  seconds=Sum("seconds"))
             .order_by("step", "official"))
    names = dict(User.objects.filter(pk__in={s["official"] for s in steps})
                 .values_list("pk", "full_name"))
    per_official, per_step = [], {}
    for s in steps:
        hours = s["seconds"] / s["handled"] / 3600 if s["handled"] else None
        per_official.append({"official": names.get(s["official"]) or "—", "step": s["step"] or "—",
                             "handled": s["handled"], "hours": hours})
        total = per_step.setdefault(s["step"] or "—", [0, 0])
        total[0] += s["handled"]
        total[1] += s["seconds"]
    step_rows = [{"step": k, "handled": v[0], "hours": v[1] / v[0] / 3600 if v[0] else None}
                 for k, v in per_step.items()]
    top = {}
    for kind in ("refuse", "supplement", "decline", "stop", "withdraw"):
        top[kind] = list(
            ReasonFact.objects.filter(agency=agency, kind=kind, day__gte=query.start,
                                      day__lte=query.end)
            .values("key").annotate(times=Sum("times")).order_by("-times", "key")[:reasons])
        texts = dict(ReasonFact.objects.filter(agency=agency, kind=kind,
                                               key__in=[r["key"] for r in top[kind]])
                     .values_list("key", "text"))
        for row in top[kind]:
            row["text"] = texts.get(row["key"], "")
    figures = report_figures(start=query.start, end=query.end, slice=Slice(agency=agency))
    return {"per_official": per_official, "per_step": step_rows, "reasons": top,
            "figures": figures.total}
