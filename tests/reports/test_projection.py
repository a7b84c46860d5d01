"""The projection of one dossier's events, checked against the plainest reading of them:
walk day by day and look at where the dossier stands at the end of each day."""

import datetime as dt
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from motcua.core.formats import LOCAL_TZ
from motcua.reports.measures import MEASURE_CODES, STOCKS
from motcua.reports.projection import EventRow, local_day, project

from .streams import event_stream


def oracle(events, day):
    """(open, paused, overdue) at the end of ``day``, read straight from the events."""
    end_of_day = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=LOCAL_TZ)
    so_far = [e for e in events if e.at < end_of_day]
    if not any(e.action in ("submit", "receive") for e in so_far):
        return (False, False, False)
    status = [e.to_status for e in so_far if e.to_status is not None][-1]
    dues = [e.data["due_at"] for e in so_far
            if e.action in ("receive", "accept", "supplement") and "due_at" in e.data]
    is_open = status in (1, 2, 4, 5, 6)
    paused = is_open and status in (5, 6)
    overdue = is_open and not paused and bool(dues) and \
        dt.datetime.fromisoformat(dues[-1]) < end_of_day
    return (is_open, paused, overdue)


def stock_from_facts(p, name, day):
    return sum(v for (d, c), v in p.facts.items() if c == f"{name}_delta" and d <= day)


def stock_from_spans(p, name, day):
    code = MEASURE_CODES[name]
    return sum(1 for m, first, end in p.spans
               if m == code and first <= day and (end is None or end > day))


@settings(max_examples=300, deadline=None)
@given(event_stream())
def test_stocks_match_a_day_by_day_reading_of_the_events(events):
    p = project(events)
    first = local_day(events[0].at)
    last = local_day(events[-1].at) + dt.timedelta(days=30)
    day = first - dt.timedelta(days=1)
    while day <= last:
        expected = oracle(events, day)
        for name, want in zip(STOCKS, expected, strict=True):
            assert stock_from_facts(p, name, day) == int(want), (name, day)
            assert stock_from_spans(p, name, day) == int(want), (name, day)
        day += dt.timedelta(days=1)


@settings(max_examples=300, deadline=None)
@given(event_stream())
def test_every_received_dossier_is_open_or_closed_exactly_once(events):
    p = project(events)
    flows = Counter()
    for (_day, column), amount in p.facts.items():
        flows[column] += amount
    received = flows["received"]
    closed = sum(flows[c] for c in ("resolved_early", "resolved_on_time", "resolved_late",
                                    "withdrawn", "refused", "stopped"))
    still_open = flows["open_delta"]
    assert received in (0, 1)
    assert received == closed + still_open
    assert flows["rated_unsatisfied"] <= flows["rated"] <= 1
    assert flows["paid_online"] <= flows["paid"] <= 1
    assert flows["declined"] <= closed
    assert flows["components_reused"] <= flows["components"]


@settings(max_examples=200, deadline=None)
@given(event_stream(), st.integers(0, 14))
def test_projecting_a_prefix_then_the_rest_adds_up_to_the_whole(events, cut):
    """The incremental update adds project(all) - project(first k): the sums are the
    whole projection whatever k is."""
    cut = min(cut, len(events))
    whole, part = project(events), project(events[:cut])
    applied = Counter(part.facts)
    applied.update({k: v for k, v in whole.facts.items()})
    applied.subtract(part.facts)
    assert +applied == +Counter({k: v for k, v in whole.facts.items() if v > 0})
    assert -applied == -Counter({k: v for k, v in whole.facts.items() if v < 0})


def test_a_dossier_late_after_an_apology_counts_late_and_apologised():
    at = dt.datetime(2026, 2, 2, 8, tzinfo=LOCAL_TZ)
    due = at + dt.timedelta(days=3)

    def e(i, hours, action, frm, to, data=None):
        return EventRow(i, at + dt.timedelta(hours=hours), action, frm, to, data or {}, 1, 1,
                        "lý do")

    p = project([
        e(1, 0, "draft_created", None, 0), e(2, 0, "receive", 0, 2, {"due_at": due.isoformat()}),
        e(3, 1, "start", 2, 4),
        e(4, 50, "apologize", 4, 4, {"before_deadline": True,
                                     "due_at": (due + dt.timedelta(days=5)).isoformat()}),
        e(5, 24 * 5, "approve", 4, 9, {"timeliness": "late", "outcome": "granted"}),
    ])
    resolved_day = local_day(at + dt.timedelta(hours=24 * 5))
    assert p.facts[(resolved_day, "resolved_late")] == 1
    assert p.facts[(resolved_day, "late_apologised")] == 1
    # Overdue from the first appointment's day (the apology does not move it) to the day it
    # was resolved.
    assert p.facts[(local_day(due), "overdue_delta")] == 1
    assert p.facts[(resolved_day, "overdue_delta")] == -1


def test_index_shares_points_and_leaves_out_what_has_no_data():
    from motcua.reports.index import Catalogue, index_score
    from motcua.reports.selectors import Figures

    f = Figures()
    f.flows.update(received=10, resolved_early=6, resolved_on_time=2, resolved_late=2,
                   resolved_seconds=100, allowed_seconds=200, digitised=5, components=4,
                   components_reused=1)
    score = index_score(f, Catalogue(procedures=4, complete=4, online=2), points={
        "transparency": 18, "catalogue_complete": 10, "late_apologised": 8,
        "progress": 20, "on_time": 14, "processing_time": 6,
        "digitisation": 22, "digitised_dossiers": 8, "e_results": 8, "reused": 6,
        "online": 22, "online_offered": 6, "online_dossiers": 10, "online_payments": 6,
        "satisfaction": 18, "complaints_on_time": 6, "not_unsatisfied": 12})
    assert score.subs["on_time"] == 0.8
    assert score.groups["progress"] == 20 * (14 * 0.8 + 6 * 1.0) / 20
    # No late dossier was apologised for (0 of 2); the catalogue is complete.
    assert score.groups["transparency"] == 18 * (10 * 1.0 + 8 * 0.0) / 18
    # Complaints have no data: the other satisfaction sub-indicator takes all 18 points.
    assert "complaints_on_time" in score.missing
    assert score.groups["satisfaction"] == 18.0
    # Nothing received online, no payments: online dossiers have no denominator (no
    # procedure offered online received anything), payments neither.
    assert score.subs["online_payments"] is None
    assert 0 < score.total <= 100


@settings(max_examples=300, deadline=None)
@given(st.dates(dt.date(2024, 1, 1), dt.date(2027, 12, 31)), st.integers(0, 500),
       st.booleans())
def test_a_period_split_into_months_and_days_counts_every_day_once(start, length, open_start):
    from motcua.reports.selectors import _month_end, split_period

    end = start + dt.timedelta(days=length)
    first = dt.date(2023, 6, 1) if open_start else start
    months, days = split_period(None if open_start else start, end)
    covered = Counter()
    for m_first, m_last, sign in months:
        month = m_first or first.replace(day=1)
        while month <= m_last:
            day = month
            while day <= _month_end(month):
                covered[day] += sign
                day += dt.timedelta(days=1)
            month = _month_end(month) + dt.timedelta(days=1)
    for a, b, sign in days:
        day = a or first
        while day <= b:
            covered[day] += sign
            day += dt.timedelta(days=1)
    assert {d for d, n in covered.items() if n} == {
        first + dt.timedelta(days=i) for i in range((end - first).days + 1)}
    assert set(covered.values()) <= {0, 1}
    # Never more than half a month of days read at either end.
    assert all((b - (a or first)).days < 16 for a, b, _s in days if a is not None)
