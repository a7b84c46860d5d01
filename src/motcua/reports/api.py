"""GET /api/v1/stats: the figures of the pages and exports, as JSON."""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from motcua.api.auth import AUTH
from motcua.api.errors import ApiError

from . import indicators, selectors
from .permissions import report_scope
from .query import API_KEYS, QueryError, query_parse

router = Router(tags=["statistics"])


def figures_json(figures) -> dict:
    rates = indicators.rates(figures)
    return {**figures.as_dict(),
            **{k: (None if v is None else round(v, 6)) for k, v in rates.items()}}


class StatsQuery(Schema):
    from_: str | None = Field(None, alias="from")
    to: str | None = None
    unit: str | None = None
    agency: str | None = None
    procedure: str | None = None
    field: str | None = None
    channel: str | None = None
    group_by: str | None = None


@router.get("/stats", auth=AUTH, summary="Statistics of a period and slice")
def stats(request, filters: Query[StatsQuery]):
    """Figures of [from, to] (dates yyyy-mm-dd, both included) for a unit (its code; default
    the province or your commune), an agency (its code), a procedure (its code), a field, a
    channel; grouped by unit, agency, procedure, field, channel or month. Counts are
    dossiers; rates are ratios from 0 to 1, null without a denominator."""
    try:
        data = {"from": filters.from_, "to": filters.to, "unit": filters.unit,
                "agency": filters.agency, "procedure": filters.procedure,
                "field": filters.field, "channel": filters.channel}
        query = query_parse(data, report_scope(request.user), keys=API_KEYS)
    except QueryError as exc:
        raise ApiError(exc.message, code=exc.code, status=exc.status) from exc
    group_by = filters.group_by or None
    if group_by is not None and group_by not in selectors.GROUPS:
        raise ApiError(_("group_by is one of: %(groups)s.")
                       % {"groups": ", ".join(selectors.GROUPS)}, code="invalid_group_by",
                       status=422)
    report = selectors.report_figures(start=query.start, end=query.end, slice=query.slice,
                                      group_by=group_by)
    return {
        "from": query.start.isoformat(), "to": query.end.isoformat(),
        "filters": query.params(API_KEYS),
        "group_by": group_by,
        "total": figures_json(report.total),
        "rows": [{"key": r.code, "name": r.name, **figures_json(r.figures)}
                 for r in report.rows],
    }
