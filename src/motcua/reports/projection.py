"""From one dossier's events to what it contributes to the statistics. A plain function of
the events alone (no database, no clock), so the incremental update and the full rebuild
compute exactly the same thing, and replaying a dossier's events twice changes nothing.

A day is a date in Vietnam's time. A dossier is in a stock *at the end of a day* if it is in
that state after the last event of that day: open from the day it is received until the day
it is resolved, withdrawn, refused or stopped; paused while it waits for a supplement or a
payment; overdue while it is open, not paused, and its appointment has passed. The
appointment judged is the first one (an apology letter moves the date the applicant is given,
not the one lateness is judged on); a supplement gives a new one (dossiers/deadlines.py).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, namedtuple
from dataclasses import dataclass, field

from motcua.core.formats import LOCAL_TZ

from .measures import MEASURE_CODES

# The fields of a DossierEvent the projection reads (a model instance has them too).
EventRow = namedtuple("EventRow",
                      "id at action from_status to_status data actor_id agency_id reason")
EVENT_FIELDS = EventRow._fields

OPEN = frozenset({1, 2, 4, 5, 6})      # new, received, processing, supplement, payment
PAUSED = frozenset({5, 6})             # waiting for the applicant
RECEIPT = frozenset({"submit", "receive"})
TIMELINESS = {"early": "resolved_early", "on_time": "resolved_on_time",
              "late": "resolved_late"}
REASON_KINDS = {"refuse": "refuse", "request_supplement": "supplement", "decline": "decline",
                "stop": "stop", "withdraw": "withdraw"}


@dataclass
class Projection:
    # (day, column) → amount: flows, values and the daily change of each stock.
    facts: Counter = field(default_factory=Counter)
    # (measure code, first day, end day or None): the dossier is in a stock from the first
    # day to the day before the end day; a flow has first day == end day.
    spans: list = field(default_factory=list)
    # (day, agency id, official id, step name) → [handled, seconds]
    steps: Counter = field(default_factory=Counter)
    step_seconds: Counter = field(default_factory=Counter)
    # (day, kind, reason text) → times given
    reasons: Counter = field(default_factory=Counter)


def local_day(at: dt.datetime) -> dt.date:
    return at.astimezone(LOCAL_TZ).date()


def _parse(value) -> dt.datetime | None:
    if not value or not isinstance(value, str):
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=LOCAL_TZ)


def _intervals(days, states, predicate, threshold=None):
    """The [first, end) day intervals in which ``predicate(state)`` holds at the end of the
    day; ``threshold(state)`` is a day from which it starts to hold within a segment."""
    out = []
    for i, day in enumerate(days):
        state = states[day]
        end = days[i + 1] if i + 1 < len(days) else None
        if not predicate(state):
            continue
        start = day
        if threshold is not None:
            start = max(day, threshold(state))
        if end is not None and start >= end:
            continue
        if out and out[-1][1] == start:
            out[-1][1] = end
        else:
            out.append([start, end])
    return [(s, e) for s, e in out]


def project(events) -> Projection:
    """What a dossier contributes, given its events in the order they were written."""
    p = Projection()
    facts = p.facts
    flows_seen: set[str] = set()

    def flow(day, name):
        if name in flows_seen:
            return
        flows_seen.add(name)
        facts[(day, name)] += 1
        p.spans.append((MEASURE_CODES[name], day, day))

    received_day = None
    received_at = None
    status = None
    due_day = None
    due_at = None
    states: dict[dt.date, tuple] = {}
    attached: dict[tuple, bool] = {}       # documents before receipt → reused?
    apologised_in_time = False
    paid = False
    # The step clock: when the current step opened, and time paused since.
    step_opened = None
    paused_since = None
    paused_in_step = dt.timedelta()
    next_step_name = ""

    for e in events:
        at = e.at
        day = local_day(at)
        data = e.data or {}
        action = e.action
        if received_day is None:
            if action == "attachment_added":
                attached[(data.get("document"), data.get("sha256"))] = bool(data.get("reused"))
            elif action == "attachment_removed":
                attached.pop((data.get("document"), data.get("sha256")), None)
            if action not in RECEIPT:
                continue
            received_day = day
            received_at = at
            flow(day, "received")
            if data.get("assisted_by"):
                flow(day, "assisted")
            if attached:
                flow(day, "digitised")
                facts[(day, "components")] += len(attached)
                reused = sum(attached.values())
                if reused:
                    facts[(day, "components_reused")] += reused
            if action == "receive":
                step_opened = at
        elif action == "attachment_added":
            facts[(day, "components")] += 1
            if data.get("reused"):
                facts[(day, "components_reused")] += 1

        if e.to_status is not None:
            status = e.to_status
        due = _parse(data.get("due_at")) if action in ("receive", "accept", "supplement") \
            else None
        if due is not None:
            due_at, due_day = due, local_day(due)
        if action == "accept":
            received_at = _parse(data.get("received_at")) or at
            step_opened = received_at
        elif action == "request_supplement":
            facts[(day, "supplement_requests")] += 1
            flow(day, "supplemented")
            paused_since = at
        elif action == "supplement" and paused_since is not None:
            paused_in_step += at - paused_since
            paused_since = None
        elif action == "apologize":
            facts[(day, "apologies")] += 1
            if data.get("before_deadline"):
                apologised_in_time = True
        elif action == "refuse":
            flow(day, "refused")
        elif action == "withdraw":
            flow(day, "withdrawn")
        elif action == "stop":
            flow(day, "stopped")
        elif action in ("approve", "decline"):
            timeliness = data.get("timeliness")
            if timeliness not in TIMELINESS:
                timeliness = "late" if due_at is not None and at > due_at else "on_time"
            flow(day, TIMELINESS[timeliness])
            if action == "decline":
                flow(day, "declined")
            if timeliness == "late" and apologised_in_time:
                flow(day, "late_apologised")
            start = received_at or at
            facts[(day, "resolved_seconds")] += max(0, int((at - start).total_seconds()))
            if due_at is not None:
                facts[(day, "allowed_seconds")] += max(0, int((due_at - start).total_seconds()))
        elif action == "rate":
            flow(day, "rated")
            if data.get("level") == 3:
                flow(day, "rated_unsatisfied")
        elif action == "payment_received" and not paid:
            paid = True
            flow(day, "paid")
            if data.get("channel") == "online":
                flow(day, "paid_online")
        elif action == "result_issued" and data.get("electronic"):
            flow(day, "e_results")

        if action in ("forward", "approve", "decline") and step_opened is not None:
            name = data.get("from_step") or next_step_name if action == "forward" \
                else next_step_name
            seconds = at - step_opened - paused_in_step
            key = (day, e.agency_id, e.actor_id or 0, (name or "")[:200])
            p.steps[key] += 1
            p.step_seconds[key] += max(0, int(seconds.total_seconds()))
            step_opened, paused_in_step = at, dt.timedelta()
            if action == "forward":
                next_step_name = data.get("to_step") or ""
        kind = REASON_KINDS.get(action)
        if kind and (e.reason or "").strip():
            p.reasons[(day, kind, " ".join(e.reason.split())[:500])] += 1

        states[day] = (status in OPEN, status in PAUSED, due_day)

    if received_day is None:
        return p
    days = sorted(states)
    stocks = {
        "open": _intervals(days, states, lambda s: s[0]),
        "paused": _intervals(days, states, lambda s: s[0] and s[1]),
        "overdue": _intervals(days, states, lambda s: s[0] and not s[1] and s[2] is not None,
                              threshold=lambda s: s[2]),
    }
    for name, intervals in stocks.items():
        code = MEASURE_CODES[name]
        for start, end in intervals:
            p.spans.append((code, start, end))
            facts[(start, f"{name}_delta")] += 1
            if end is not None:
                facts[(end, f"{name}_delta")] -= 1
    return p
