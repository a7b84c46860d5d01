"""Balance equations, for random event streams of many dossiers across communes, agencies,
procedures and channels, for random periods: what was carried over plus what was received
is what was resolved, withdrawn, refused or stopped plus what is still open; the communes add
up to the province, the procedures to their agency, the channels, fields and months to the
whole; the figures are those a plain reading of the events gives; and a rebuild finds the
same rows the incremental update wrote."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from motcua.catalog.models import Procedure
from motcua.geo.models import Agency
from motcua.reports import services
from motcua.reports.projection import local_day
from motcua.reports.selectors import Slice, report_figures
from motcua.reports.simulate import Plan, _write

from .helpers import facts_snapshot
from .streams import START, event_stream
from .test_projection import oracle

AGENCIES = ["001.00.00.H43", "002.00.00.H43", "000.00.02.H43"]  # two communes, a department
PROCEDURES = ["1.004873", "1.001193", "1.004222"]
CLOSED = ("resolved", "withdrawn", "refused", "stopped")


def dossier_spec():
    return st.tuples(event_stream(max_events=12), st.sampled_from(AGENCIES),
                     st.sampled_from(PROCEDURES))


def write(specs) -> list[tuple[list, int]]:
    agencies = {a.code: a for a in Agency.objects.filter(code__in=AGENCIES)}
    versions = {p.code: p.current_version() for p in Procedure.objects.filter(
        code__in=PROCEDURES)}
    plans = []
    for n, (events, agency_code, procedure_code) in enumerate(specs):
        plan = Plan()
        for e in events:
            plan.events.append({"at": e.at, "action": e.action, "from_status": e.from_status,
                                "to_status": e.to_status, "data": e.data,
                                "actor_id": None, "actor_role": "", "agency_id": None,
                                "reason": e.reason})
        plan.status = [e.to_status for e in events if e.to_status is not None][-1]
        agency = agencies[agency_code]
        received = any(e.action in ("submit", "receive") for e in events)
        plan.fields = {
            "code": f"T-{n:05d}" if received else None,
            "channel": events[0].data["channel"],
            "procedure_version_id": versions[procedure_code].pk,
            "competent_agency_id": agency.pk if received else None,
            "receiving_agency_id": agency.pk, "applicant_name": "Người thử",
            "created_at": events[0].at,
        }
        plans.append(plan)
    _write(plans, {"dossiers": 0, "events": 0})
    from motcua.dossiers.models import Dossier

    ids = list(Dossier.objects.filter(applicant_name="Người thử").order_by("pk")
               .values_list("pk", flat=True))
    return list(zip([s[0] for s in specs], ids, strict=True))


def plain_count(streams, start, end):
    """Received in the period, open at the end of the day before it and at its end, read
    from the events alone."""
    received = open_before = open_end = paused = overdue = 0
    for events, _pk in streams:
        receipt = [e for e in events if e.action in ("submit", "receive")]
        if receipt and start <= local_day(receipt[0].at) <= end:
            received += 1
        open_before += oracle(events, start - dt.timedelta(days=1))[0]
        o, p, d = oracle(events, end)
        open_end, paused, overdue = open_end + o, paused + p, overdue + d
    return {"received": received, "carried": open_before, "open": open_end, "paused": paused,
            "overdue": overdue}


def check_balance(figures):
    d = figures.as_dict()
    assert d["carried"] + d["received"] == sum(d[c] for c in CLOSED) + d["open"], d
    assert d["received"] == d["received_online"] + d["received_in_person"] + d["received_post"]
    assert d["open"] == d["within_deadline"] + d["paused"] + d["overdue"]
    assert min(d["within_deadline"], d["paused"], d["overdue"]) >= 0


def check_rows_add_up(report, *, stocks=True):
    total = report.total.as_dict()
    summed = dict.fromkeys(total, 0)
    for row in report.rows:
        for k, v in row.figures.as_dict().items():
            summed[k] += v
    for k in total:
        if stocks or k not in ("carried", "open", "paused", "overdue", "within_deadline",
                               "to_process"):
            assert summed[k] == total[k], (report.group_by, k, summed[k], total[k])


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(dossier_spec(), min_size=1, max_size=12), st.integers(0, 70),
       st.integers(0, 70))
def test_balance_equations_hold_for_every_period_and_slice(specs, a, b):
    with transaction.atomic():
        streams = write(specs)
        for _events, pk in streams:
            services.dossier_facts_update(dossier_id=pk)
        start = START.date() + dt.timedelta(days=min(a, b))
        end = START.date() + dt.timedelta(days=max(a, b))

        province = report_figures(start=start, end=end)
        check_balance(province.total)
        plain = plain_count(streams, start, end)
        got = province.total.as_dict()
        assert {k: got[k] for k in plain} == plain

        by_unit = report_figures(start=start, end=end, group_by="unit")
        check_rows_add_up(by_unit)
        for row in by_unit.rows:
            check_balance(row.figures)
        for group in ("channel", "field", "procedure"):
            check_rows_add_up(report_figures(start=start, end=end, group_by=group))
        check_rows_add_up(report_figures(start=start, end=end, group_by="month"), stocks=False)

        by_agency = report_figures(start=start, end=end, group_by="agency")
        check_rows_add_up(by_agency)
        for agency in Agency.objects.filter(code__in=AGENCIES):
            one = report_figures(start=start, end=end, slice=Slice(agency=agency),
                                 group_by="procedure")
            check_rows_add_up(one)
            check_balance(one.total)
            row = next((r for r in by_agency.rows if r.key == agency.pk), None)
            assert one.total.as_dict() == (row.figures.as_dict() if row else
                                            type(one.total)().as_dict())

        incremental = facts_snapshot()
        call_command("reports_rebuild", stdout=open("/dev/null", "w"))  # noqa: SIM115
        assert facts_snapshot() == incremental
        transaction.set_rollback(True)
