"""What the fact tables hold, in a form two runs can be compared by."""

from motcua.reports.measures import COLUMNS
from motcua.reports.models import (
    FACT_MODELS,
    DossierSpan,
    DossierTrack,
    ReasonFact,
    StepFact,
)


def facts_snapshot() -> dict:
    """Every non-zero row of every table of facts (a row whose amounts all came back to
    zero counts nothing and may or may not be there)."""
    out = {}
    for model in FACT_MODELS:
        rows = set()
        for row in model.objects.values_list(*model.DIMS, *COLUMNS):
            key, amounts = row[:len(model.DIMS)], row[len(model.DIMS):]
            if any(amounts):
                rows.add((key, amounts))
        out[model.__name__] = rows
    out["steps"] = {r for r in StepFact.objects.values_list(
        "day", "agency_id", "official", "step", "handled", "seconds") if r[4] or r[5]}
    out["reasons"] = {r for r in ReasonFact.objects.values_list(
        "day", "unit_id", "agency_id", "procedure_id", "kind", "key", "times") if r[6]}
    out["spans"] = sorted(DossierSpan.objects.values_list("dossier_id", "measure", "first",
                                                          "end"),
                          key=lambda r: (r[0], r[1], r[2], r[3] or r[2]))
    out["tracks"] = set(DossierTrack.objects.values_list(
        "dossier_id", "unit_id", "agency_id", "procedure_id", "field_id", "channel",
        "online_mode", "applied_event_id"))
    return out
