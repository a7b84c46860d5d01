"""The service-quality index for citizens and businesses (Bộ chỉ số phục vụ người dân,
doanh nghiệp, QĐ 766/QĐ-TTg, 23/06/2022): 100 points in five groups. The groups and their
points are confirmed; the sub-indicators and their split are our documented defaults
(docs/statistics.md), changed by the province in the admin (IndexWeights).

A sub-indicator is a ratio from 0 to 1. One without data (no denominator, or no data source
yet, like complaints) is left out and its group's other sub-indicators share its points; a
group without any data is left out and the total is scaled to 100 over the groups that
have data, and the answer says which were left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .indicators import ratio
from .selectors import Figures

# (group, points, [(sub-indicator, default points)]).
GROUPS = [
    ("transparency", 18, [("catalogue_complete", 10), ("late_apologised", 8)]),
    ("progress", 20, [("on_time", 14), ("processing_time", 6)]),
    ("digitisation", 22, [("digitised_dossiers", 8), ("e_results", 8), ("reused", 6)]),
    ("online", 22, [("online_offered", 6), ("online_dossiers", 10), ("online_payments", 6)]),
    ("satisfaction", 18, [("complaints_on_time", 6), ("not_unsatisfied", 12)]),
]
GROUP_NAMES = [g for g, _p, _s in GROUPS]
SUB_NAMES = [s for _g, _p, subs in GROUPS for s, _w in subs]


@dataclass(frozen=True)
class Catalogue:
    """What the catalogue says for a slice: procedures in force, how many are published
    with complete information, how many are offered online."""

    procedures: int
    complete: int
    online: int


def weights() -> dict[str, float]:
    """Points of each group and sub-indicator: the defaults, with the admin's changes."""
    from .models import IndexWeights

    out: dict[str, float] = {}
    for group, points, subs in GROUPS:
        out[group] = float(points)
        for sub, w in subs:
            out[sub] = float(w)
    for row in IndexWeights.objects.all():
        if row.indicator in out:
            out[row.indicator] = float(Decimal(row.points))
    return out


def sub_ratios(f: Figures, catalogue: Catalogue) -> dict[str, float | None]:
    d = f.as_dict()
    granted = d["resolved"] - d["declined"]
    used, allowed = d["resolved_seconds"], d["allowed_seconds"]
    return {
        "catalogue_complete": ratio(catalogue.complete, catalogue.procedures),
        "late_apologised": ratio(d["late_apologised"], d["resolved_late"]),
        "on_time": ratio(d["resolved_early"] + d["resolved_on_time"], d["resolved"]),
        # Full points when the time used on average is within the time allowed; less, in
        # proportion, when it is longer.
        "processing_time": (min(1.0, allowed / used) if used else
                            (1.0 if d["resolved"] else None)),
        "digitised_dossiers": ratio(d["digitised"], d["received"]),
        "e_results": ratio(d["e_results"], granted),
        "reused": ratio(d["components_reused"], d["components"]),
        "online_offered": ratio(catalogue.online, catalogue.procedures),
        "online_dossiers": ratio(d["received_online_capable_online"],
                                 d["received_online_capable"]),
        "online_payments": ratio(d["paid_online"], d["paid"]),
        # No complaint channel writes events yet: no data.
        "complaints_on_time": None,
        "not_unsatisfied": ratio(max(0, d["resolved"] - d["rated_unsatisfied"]), d["resolved"]),
    }


@dataclass
class Score:
    total: float | None
    groups: dict[str, float | None]     # points earned per group (of its points)
    subs: dict[str, float | None]       # each sub-indicator's ratio
    points: dict[str, float]
    missing: list[str]                  # sub-indicators without data


def index_score(f: Figures, catalogue: Catalogue, points: dict[str, float] | None = None
                ) -> Score:
    points = points or weights()
    subs = sub_ratios(f, catalogue)
    groups: dict[str, float | None] = {}
    for group, _p, members in GROUPS:
        have = [(s, points[s]) for s, _w in members if subs[s] is not None and points[s] > 0]
        weight = sum(w for _s, w in have)
        groups[group] = (points[group] * sum(subs[s] * w for s, w in have) / weight
                         if weight else None)
    counted = [g for g in GROUP_NAMES if groups[g] is not None]
    possible = sum(points[g] for g in counted)
    total = (100 * sum(groups[g] for g in counted) / possible) if possible else None
    return Score(total=total, groups=groups, subs=subs, points=points,
                 missing=[s for s in SUB_NAMES if subs[s] is None])


def catalogue_for(*, agency_kind_ids: list[int] | None) -> Catalogue:
    """The procedures in force whose competent agency is of one of these kinds (all when
    None): counted, complete (what to bring, how long, the result and the legal basis all
    published), offered online."""
    from django.utils import timezone

    from motcua.catalog.models import ProcedureVersion

    today = timezone.localdate()
    versions = ProcedureVersion.objects.filter(effective_from__lte=today).exclude(
        effective_to__lt=today).filter(bundle_members__isnull=True)
    if agency_kind_ids is not None:
        versions = versions.filter(agency_kind_id__in=agency_kind_ids)
    current: dict[int, tuple] = {}
    for row in (versions.order_by("procedure_id", "-effective_from")
                .values_list("procedure_id", "online_mode", "processing_time", "result_name",
                             "legal_basis", "pk")):
        current.setdefault(row[0], row)
    from motcua.catalog.models import RequiredDocument

    with_documents = set(RequiredDocument.objects.filter(
        version_id__in=[r[5] for r in current.values()]).values_list("version_id", flat=True))
    complete = sum(1 for r in current.values()
                   if r[2] and (r[3] or "").strip() and r[4] and r[5] in with_documents)
    online = sum(1 for r in current.values() if r[1] in ("partial", "full"))
    return Catalogue(procedures=len(current), complete=complete, online=online)
