"""Reads of the catalogue, shaped for the pages and the API."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from motcua.core.formats import format_money

from .models import (
    Fee,
    FeeKind,
    Field,
    LifeEvent,
    OnlineMode,
    ProcedureVersion,
    TimeUnit,
)
from .search import Entry, FeeFacts, procedure_search


def _versions():
    return ProcedureVersion.objects.select_related("procedure", "field", "agency_kind")


def version_in_force(*, code: str, on: dt.date | None = None) -> ProcedureVersion | None:
    on = on or timezone.localdate()
    return (
        _versions()
        .filter(ProcedureVersion.in_force_q(on), procedure__code=code)
        .prefetch_related("documents", Prefetch("fees", queryset=Fee.objects.order_by("position")),
                          "life_events")
        .order_by("-effective_from")
        .first()
    )


@dataclass
class Page:
    items: list
    count: int
    number: int
    pages: int

    @property
    def has_next(self):
        return self.number < self.pages

    @property
    def has_previous(self):
        return self.number > 1


def procedure_find(*, query: str = "", field: str = "", level: str = "", agency: str = "",
                   online: str = "", event: str = "", page: int = 1, size: int = 20) -> Page:
    """Search (best match first) or browse (most used first) the procedures in force.
    Items are search ``Entry`` summaries: a list page needs no query of its own."""
    hits = procedure_search(query, field=field, level=level, agency=agency, online=online,
                            event=event)
    count = len(hits)
    pages = max(1, -(-count // size))
    page = min(max(1, page), pages)
    return Page([h.entry for h in hits[(page - 1) * size: page * size]], count, page, pages)


def most_used(*, limit: int = 8) -> list[Entry]:
    return [h.entry for h in procedure_search("")[:limit] if h.entry.popularity > 0]


def life_events_with_counts():
    today = timezone.localdate()
    return (
        LifeEvent.objects.filter(versions__in=ProcedureVersion.objects.filter(
            ProcedureVersion.in_force_q(today)))
        .annotate(n=Count("versions", distinct=True))
        .order_by("position", "name")
    )


def fields_in_use():
    today = timezone.localdate()
    return Field.objects.filter(
        versions__in=ProcedureVersion.objects.filter(ProcedureVersion.in_force_q(today))
    ).distinct()


def agency_kinds_in_use():
    from motcua.geo.models import AgencyKind

    today = timezone.localdate()
    return AgencyKind.objects.filter(
        procedure_versions__in=ProcedureVersion.objects.filter(
            ProcedureVersion.in_force_q(today))
    ).distinct()


def processing_time_text(value: int, unit: str) -> str:
    if unit == TimeUnit.HOUR:
        return ngettext("%(n)s working hour", "%(n)s working hours", value) % {"n": value}
    if unit == TimeUnit.HALF_DAY:
        return ngettext("%(n)s working half-day", "%(n)s working half-days", value) % {"n": value}
    return ngettext("%(n)s working day", "%(n)s working days", value) % {"n": value}


def fee_text(fee: Fee | FeeFacts) -> str:
    if fee.kind == FeeKind.FREE:
        text = _("Free of charge")
    elif fee.kind == FeeKind.FIXED and fee.amount is not None:
        text = format_money(fee.amount)
    elif fee.kind == FeeKind.PER_COPY and fee.amount is not None:
        text = _("%(amount)s per copy") % {"amount": format_money(fee.amount)}
    else:
        text = fee.rule or _("As set by the regulations")
    if fee.online_amount is not None and fee.online_amount != fee.amount:
        text += " · " + _("%(amount)s when submitted online") % {
            "amount": format_money(fee.online_amount)}
    return text


def fee_summary(fees: list[Fee] | tuple[FeeFacts, ...]) -> str:
    """One line for lists: the total of fixed fees, or how it is set."""
    if not fees or all(f.kind == FeeKind.FREE for f in fees):
        return _("Free of charge")
    if len(fees) == 1:
        return fee_text(fees[0])
    fixed = [f for f in fees if f.kind == FeeKind.FIXED and f.amount is not None]
    if len(fixed) == len(fees):
        return format_money(sum(f.amount for f in fixed))
    return _("Several fees, see the procedure")


def online_mode_text(mode: str) -> str:
    return OnlineMode(mode).label
