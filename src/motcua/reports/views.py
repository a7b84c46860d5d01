"""The statistics pages of the back office: the dashboard (province → commune → agency →
procedure → the dossiers behind any number), the service-quality index, the procedures and
communes without online dossiers, an agency's workload, and the exports. Thin: the figures
come from selectors.report_figures, the rates from indicators and index."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.dossiers.models import Dossier
from motcua.dossiers.permissions import dossiers_visible_q
from motcua.geo.models import Agency, Unit

from . import exports, index, indicators, selectors, workload
from .charts import stacked_bars
from .permissions import report_scope
from .query import API_KEYS, QueryError, query_parse
from .tables import figures_table

# The columns of every figures table: (figure, heading, group heading).
TABLE_COLUMNS = [
    ("carried", gettext_lazy("Carried over"), gettext_lazy("Received")),
    ("received_online", gettext_lazy("Online"), gettext_lazy("Received")),
    ("received_in_person", gettext_lazy("In person"), gettext_lazy("Received")),
    ("received_post", gettext_lazy("By post"), gettext_lazy("Received")),
    ("resolved_early", gettext_lazy("Early"), gettext_lazy("Resolved")),
    ("resolved_on_time", gettext_lazy("On time"), gettext_lazy("Resolved")),
    ("resolved_late", gettext_lazy("Late"), gettext_lazy("Resolved")),
    ("within_deadline", gettext_lazy("Within deadline"), gettext_lazy("In progress")),
    ("overdue", gettext_lazy("Overdue"), gettext_lazy("In progress")),
    ("paused", gettext_lazy("Paused"), gettext_lazy("In progress")),
    ("withdrawn", gettext_lazy("Withdrawn"), gettext_lazy("Closed otherwise")),
    ("refused", gettext_lazy("Refused"), gettext_lazy("Closed otherwise")),
    ("stopped", gettext_lazy("Stopped"), gettext_lazy("Closed otherwise")),
]
FIGURE_LABELS = {
    "carried": gettext_lazy("Carried over from before the period"),
    "received": gettext_lazy("Newly received"), "to_process": gettext_lazy("To process"),
    "received_online": gettext_lazy("Received online"),
    "received_in_person": gettext_lazy("Received in person"),
    "received_post": gettext_lazy("Received by post"),
    "resolved": gettext_lazy("Resolved"), "resolved_early": gettext_lazy("Resolved early"),
    "resolved_on_time": gettext_lazy("Resolved on time"),
    "resolved_late": gettext_lazy("Resolved late"),
    "open": gettext_lazy("In progress"), "within_deadline": gettext_lazy("In progress within "
                                                                          "the deadline"),
    "overdue": gettext_lazy("In progress, overdue"),
    "paused": gettext_lazy("Paused, waiting for the applicant"),
    "withdrawn": gettext_lazy("Withdrawn"), "refused": gettext_lazy("Refused at intake"),
    "stopped": gettext_lazy("Processing stopped"), "declined": gettext_lazy("Request declined"),
    "assisted": gettext_lazy("Submitted with a community team's help"),
    "digitised": gettext_lazy("Digitised at receipt"),
    "late_apologised": gettext_lazy("Late, with an apology in time"),
    "e_results": gettext_lazy("Electronic results"), "paid": gettext_lazy("Paid a fee"),
    "paid_online": gettext_lazy("Paid online"), "rated": gettext_lazy("Rated"),
    "rated_unsatisfied": gettext_lazy("Rated not satisfied"),
    "supplemented": gettext_lazy("Asked for a supplement"),
}
RATE_LABELS = {
    "on_time_rate": gettext_lazy("On-time rate"), "online_rate": gettext_lazy("Online rate"),
    "online_payment_rate": gettext_lazy("Online payment rate"),
    "digitisation_rate": gettext_lazy("Digitisation rate"),
    "e_result_rate": gettext_lazy("Electronic results"),
    "reuse_rate": gettext_lazy("Documents reused"),
    "satisfaction_rate": gettext_lazy("Satisfaction"),
    "assisted_rate": gettext_lazy("Online with a team's help"),
    "average_days": gettext_lazy("Average days to resolve"),
}
INDEX_LABELS = {
    "transparency": gettext_lazy("Transparency"),
    "progress": gettext_lazy("Progress and results"),
    "digitisation": gettext_lazy("Digitisation"),
    "online": gettext_lazy("Online service provision"),
    "satisfaction": gettext_lazy("Satisfaction"),
    "catalogue_complete": gettext_lazy("Procedures published with complete information"),
    "late_apologised": gettext_lazy("Late dossiers apologised for in time"),
    "on_time": gettext_lazy("Resolved early or on time"),
    "processing_time": gettext_lazy("Average time within the time allowed"),
    "digitised_dossiers": gettext_lazy("Dossiers digitised at receipt"),
    "e_results": gettext_lazy("Results issued electronically"),
    "reused": gettext_lazy("Documents reused from the wallet"),
    "online_offered": gettext_lazy("Procedures offered online"),
    "online_dossiers": gettext_lazy("Online dossiers of online procedures"),
    "online_payments": gettext_lazy("Fees paid online"),
    "complaints_on_time": gettext_lazy("Complaints answered on time"),
    "not_unsatisfied": gettext_lazy("Dossiers not rated unsatisfied"),
}


def stats_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("portal:login"))
        scope = report_scope(request.user)
        if not scope.any:
            raise Http404
        request.report_scope = scope
        try:
            return view(request, *args, **kwargs)
        except QueryError as exc:
            if exc.status in (403, 404):
                raise Http404 from exc
            return render(request, "reports/error.html", {"message": exc.message}, status=400)
    return wrapper


def _percent(value):
    return None if value is None else round(100 * value, 1)


def _table(report, query, *, drill: str | None):
    """Rows of a figures table with a link on every number to the dossiers behind it, and
    on the row's name to its own dashboard."""
    list_url = reverse("reports:dossiers")
    keys = [row.key for row in report.rows]
    objects = {}
    if report.group_by == "unit":
        objects = Unit.objects.in_bulk(keys)
    elif report.group_by == "agency":
        objects = Agency.objects.select_related("unit").in_bulk(keys)
    elif report.group_by == "procedure":
        from motcua.catalog.models import Procedure

        objects = Procedure.objects.in_bulk(keys)
    out = []
    for row in report.rows:
        changes = {}
        if report.group_by in ("unit", "agency", "procedure"):
            changes = {report.group_by: objects[row.key]}
        out.append(_table_row(row.name, row.figures, query, changes, list_url,
                              drill=drill, is_self=changes.get("unit") == query.unit))
    return out


def _table_row(name, figures, query, changes, list_url, *, drill=None, is_self=False):
    d = figures.as_dict()
    target = query.querystring(**changes) if changes else query.querystring()
    cells = [(d[key], f"{list_url}?{target}&chi-so={key}") for key, _l, _g in TABLE_COLUMNS]
    rates = indicators.rates(figures)
    return {
        "name": name if not is_self else _("%(name)s (its own agencies)") % {"name": name},
        "href": None if drill is None or is_self else f"?{target}",
        "cells": cells, "to_process": d["to_process"], "resolved": d["resolved"],
        "on_time": _percent(rates["on_time_rate"]),
        "online": _percent(rates["online_rate"]),
    }


def _month_charts(months):
    labels = [r.name for r in months.rows]
    received = stacked_bars(
        uid="chart-received", title=_("Dossiers received each month"),
        description=_("Stacked bars: online, in person, by post. The table below gives the "
                      "numbers."),
        labels=labels, series=[
            (_("Online"), [r.figures.received_by_channel["online"] for r in months.rows]),
            (_("In person"), [r.figures.received_by_channel["in_person"] for r in months.rows]),
            (_("By post"), [r.figures.received_by_channel["post"] for r in months.rows])])
    on_time = [indicators.rates(r.figures)["on_time_rate"] for r in months.rows]
    rate = stacked_bars(
        uid="chart-ontime", title=_("On-time rate each month"),
        description=_("Bars: share of the dossiers resolved in the month that were early or "
                      "on time. The table below gives the numbers."),
        labels=labels, percent=True,
        series=[(_("Early or on time"), [100 * (v or 0) for v in on_time])])
    table = [{"name": r.name, "online": r.figures.received_by_channel["online"],
              "in_person": r.figures.received_by_channel["in_person"],
              "post": r.figures.received_by_channel["post"],
              "resolved": r.figures.resolved, "on_time": _percent(v)}
             for r, v in zip(months.rows, on_time, strict=True)]
    return received, rate, table


def _units_for_picker(scope):
    out = []
    for root in scope.roots():
        out.append(root)
        out.extend(Unit.objects.filter(parent=root, agencies__isnull=False).distinct()
                   .order_by("name"))
    return out


def _agency_kinds(query) -> list[int] | None:
    if query.agency is not None:
        return [query.agency.kind_id]
    if query.unit.parent_id is None:
        return None
    return list(Agency.objects.filter(unit__path__startswith=query.unit.path)
                .values_list("kind_id", flat=True).distinct())


@stats_required
def dashboard(request):
    scope = request.report_scope
    query = query_parse(request.GET, scope)
    s = query.slice
    tables = []
    if query.procedure is None:
        if query.agency is not None:
            tables.append((_("By procedure"), "procedure"))
        elif Unit.objects.filter(parent=query.unit, agencies__isnull=False).exists():
            tables += [(_("By unit"), "unit"), (_("By agency"), "agency")]
        else:
            tables += [(_("By agency"), "agency"), (_("By procedure"), "procedure")]
    # The first grouped report gives the total as well.
    *grouped_reports, months = selectors.reports_figures(
        start=query.start, end=query.end, slice=s,
        groups=[group for _t, group in tables] + ["month"])
    report = grouped_reports[0] if grouped_reports else selectors.report_figures(
        start=query.start, end=query.end, slice=s)
    list_url = reverse("reports:dossiers")
    total_row = _table_row(_("Total"), report.total, query, {}, list_url)
    rendered = []
    for (title, group), grouped in zip(tables, grouped_reports, strict=True):
        rendered.append({"title": title, "group": group})
        rendered[-1]["html"] = figures_table(caption=title, columns=TABLE_COLUMNS,
                                             rows=_table(grouped, query, drill=group),
                                             total=total_row)
    chart_received, chart_rate, month_table = _month_charts(months)
    rates = indicators.rates(report.total)
    score = index.index_score(report.total, index.catalogue_for(agency_kind_ids=_agency_kinds(
        query)))
    figures = report.total.as_dict()
    summary = [(FIGURE_LABELS[k], figures[k], f"{list_url}?{query.querystring()}&chi-so={k}")
               for k in ("carried", "received", "to_process", "resolved", "resolved_late",
                         "within_deadline", "overdue", "paused", "withdrawn", "refused",
                         "stopped")]
    rate_rows = [(RATE_LABELS[k], _percent(v) if k != "average_days" else
                  (round(v, 1) if v is not None else None), k != "average_days")
                 for k, v in rates.items()]
    crumbs = _crumbs(query, scope)
    return render(request, "reports/dashboard.html", {
        "query": query, "qs": query.querystring(), "summary": summary, "rates": rate_rows,
        "score": score, "index_labels": INDEX_LABELS, "tables": rendered,
        "columns": TABLE_COLUMNS, "chart_received": chart_received, "chart_rate": chart_rate,
        "month_table": month_table, "units": _units_for_picker(scope), "crumbs": crumbs,
        "total_table": figures_table(caption=_("Total"), columns=TABLE_COLUMNS, rows=[],
                                     total=total_row) if not tables else "",
        "is_agency_head": bool(scope.agencies), "api_qs": query.querystring(keys=API_KEYS),
    })


def _crumbs(query, scope):
    """Province › commune › agency › procedure, each a link to its dashboard."""
    out = []
    roots = scope.roots()
    for unit in [*query.unit.ancestors(), query.unit]:
        if any(unit.path.startswith(r.path) for r in roots):
            out.append((unit.name, "?" + query.querystring(unit=unit, agency=None,
                                                          procedure=None)))
    if query.agency:
        out.append((query.agency.name, "?" + query.querystring(procedure=None)))
    if query.procedure:
        version = query.procedure.current_version()
        out.append((version.name if version else query.procedure.code,
                    "?" + query.querystring()))
    return out


@stats_required
def dossier_list(request):
    scope = request.report_scope
    query = query_parse(request.GET, scope)
    figure = request.GET.get("chi-so", "")
    if figure not in selectors.LIST_FIGURES:
        raise QueryError(_("Choose a figure from the dashboard."), "invalid_figure")
    dossiers = (selectors.dossiers_behind(figure=figure, start=query.start, end=query.end,
                                          slice=query.slice)
                .select_related("procedure_version", "competent_agency")
                .order_by("-received_at", "-pk"))
    page = Paginator(dossiers, 50).get_page(request.GET.get("trang"))
    visible = set(Dossier.objects.filter(dossiers_visible_q(request.user),
                                         pk__in=[d.pk for d in page.object_list])
                  .values_list("pk", flat=True))
    return render(request, "reports/dossiers.html", {
        "query": query, "figure": figure, "label": FIGURE_LABELS.get(figure, figure),
        "page": page, "visible": visible, "qs": query.querystring(),
        "crumbs": _crumbs(query, scope),
    })


@stats_required
def index_page(request):
    scope = request.report_scope
    query = query_parse(request.GET, scope)
    rows = index_rows(query)
    return render(request, "reports/index.html", {
        "query": query, "qs": query.querystring(), "rows": rows, "groups": index.GROUPS,
        "labels": INDEX_LABELS, "points": index.weights()})


def index_rows(query):
    """The index of every agency and every unit in the query's unit."""
    out = []
    for group in ("unit", "agency"):
        report = selectors.report_figures(start=query.start, end=query.end,
                                          slice=query.slice, group_by=group)
        for row in report.rows:
            if group == "agency":
                agencies = Agency.objects.filter(pk=row.key)
            elif row.key == query.unit.pk:
                agencies = Agency.objects.filter(unit_id=row.key)  # its own agencies
            else:
                unit = Unit.objects.get(pk=row.key)
                agencies = Agency.objects.filter(unit__path__startswith=unit.path)
            kinds = list(agencies.values_list("kind_id", flat=True).distinct())
            score = index.index_score(row.figures, index.catalogue_for(agency_kind_ids=kinds))
            out.append({"kind": group, "code": row.code, "name": row.name, "score": score})
    return out


@stats_required
def online_gaps(request):
    scope = request.report_scope
    query = query_parse(request.GET, scope)
    gaps = workload.online_gaps(query=query)
    return render(request, "reports/online.html", {"query": query, "qs": query.querystring(),
                                                   **gaps})


@stats_required
def agency_page(request, code):
    scope = request.report_scope
    agency = Agency.objects.select_related("unit").filter(code=code).first()
    if agency is None or not scope.allows_agency(agency):
        raise Http404
    query = query_parse({**request.GET.dict(), "co-quan": code}, scope)
    return render(request, "reports/agency.html", {
        "query": query, "qs": query.querystring(), "agency": agency,
        "reason_titles": [("refuse", _("Refusals at intake")),
                          ("supplement", _("Supplement requests")),
                          ("decline", _("Requests declined")), ("stop", _("Stops")),
                          ("withdraw", _("Withdrawals"))],
        **workload.agency_workload(query=query)})


@stats_required
def export(request, report, fmt):
    scope = request.report_scope
    query = query_parse(request.GET, scope)
    if fmt not in ("xlsx", "csv"):
        raise Http404
    if report == "bao-cao":
        group = request.GET.get("theo", "unit")
        content, name = exports.periodic_report(query=query, fmt=fmt, group_by=group)
    elif report == "chi-so-766":
        content, name = exports.index_report(query=query, rows=index_rows(query), fmt=fmt,
                                             labels=INDEX_LABELS)
    else:
        raise Http404
    types = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             "csv": "text/csv; charset=utf-8"}
    response = HttpResponse(content, content_type=types[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
