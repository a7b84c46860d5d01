"""Random but lawful event streams of one dossier, drawn by hypothesis: a walk along the
lifecycle's transitions (motcua.dossiers.lifecycle) with the contract's other events
(payments, electronic results, ratings, attachments) and the data keys the services write."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from motcua.core.formats import LOCAL_TZ
from motcua.dossiers import lifecycle
from motcua.dossiers.deadlines import timeliness
from motcua.reports.projection import EventRow

START = dt.datetime(2026, 1, 5, 8, 0, tzinfo=LOCAL_TZ)

# What may happen next, besides the lifecycle's transitions, in a status.
EXTRA = {
    0: ["attachment_added", "attachment_removed"],
    2: ["payment_received"],
    4: ["payment_received", "request_payment"],
    5: ["attachment_added"],
    9: ["result_issued"],
    10: ["rate"],
}


PROGRESS = {"submit", "receive", "accept", "start", "forward", "approve", "return_result",
            "supplement", "payment_received", "rate", "result_issued"}


@st.composite
def event_stream(draw, *, start=START, max_events=14):
    """A list of EventRow for one dossier, in the order written."""
    events: list[EventRow] = []
    status = None
    resume = None
    due = None
    at = start + dt.timedelta(minutes=draw(st.integers(0, 60 * 24 * 40)))
    rated = False
    online = draw(st.booleans())
    documents: list[tuple[str, str]] = []

    def add(action, to_status, data=None, reason=""):
        nonlocal status
        events.append(EventRow(len(events) + 1, at, action, status, to_status, data or {},
                               draw(st.sampled_from([None, 7, 8])), None, reason))
        status = to_status

    add("draft_created", 0, {"procedure": "1.0", "channel": "online" if online else "in_person"})
    for _ in range(draw(st.integers(0, max_events))):
        at += dt.timedelta(minutes=draw(st.integers(1, 60 * 24 * 9)))
        options = [t.action for t in lifecycle.TRANSITIONS.values() if t.allowed_from(status)]
        options = [a for a in options if a != ("receive" if online else "submit")]
        options += EXTRA.get(status, [])
        if status == 6:
            options.append("payment_received")
        if not options:
            break
        # Moving on is likelier than leaving: most dossiers get resolved.
        options = sorted(set(options))
        options += [a for a in options if a in PROGRESS] * 4
        action = draw(st.sampled_from(options))
        if action == "rate" and rated:
            continue
        if action in lifecycle.TRANSITIONS:
            target = lifecycle.next_status(action, status, previous=resume)
        else:
            target = status
        data = {}
        if action == "attachment_added":
            doc = (draw(st.sampled_from(["to-khai", "cccd"])), f"{len(events):064x}")
            documents.append(doc)
            data = {"document": doc[0], "sha256": doc[1], "size": 1000,
                    "reused": draw(st.booleans())}
        elif action == "attachment_removed":
            if not documents:
                continue
            doc = documents.pop(draw(st.integers(0, len(documents) - 1)))
            data = {"document": doc[0], "sha256": doc[1]}
        elif action == "submit":
            data = {"code": "X", "competent_agency": "000.00.00.H43"}
            if draw(st.booleans()):
                data.update(assisted_by=5, assisted_team=1, assisted_mode="on_behalf")
        elif action in ("receive", "accept"):
            due = at + dt.timedelta(hours=draw(st.integers(1, 24 * 20)))
            data = {"due_at": due.isoformat()}
            if action == "accept":
                data["received_at"] = at.isoformat()
        elif action == "request_supplement":
            resume = status
        elif action == "supplement":
            target = resume
            if due is not None and resume in (2, 4):
                due = at + dt.timedelta(hours=draw(st.integers(1, 24 * 20)))
                data = {"due_at": due.isoformat()}
        elif action == "request_payment":
            resume = status
            target = 6
            data = {"amount": 30000}
        elif action == "payment_received":
            data = {"amount": 30000, "channel": draw(st.sampled_from(["online", "desk_cash"])),
                    "gateway": "vnpay", "payment": "P1", "receipt": "BL-1"}
            if status == 6:
                target = resume
        elif action in ("approve", "decline"):
            data = {"outcome": "granted" if action == "approve" else "refused",
                    "timeliness": str(timeliness(finished_at=at, due_at=due)) if due
                    else "on_time"}
        elif action == "apologize":
            data = {"previous_due_at": due.isoformat() if due else "",
                    "due_at": (at + dt.timedelta(days=3)).isoformat(),
                    "before_deadline": bool(due and at < due)}
        elif action == "result_issued":
            data = {"document": 1, "electronic": draw(st.booleans()), "signed": True}
        elif action == "rate":
            rated = True
            data = {"level": draw(st.sampled_from([1, 2, 3]))}
        elif action == "forward":
            data = {"from_step": "Thẩm định hồ sơ", "to_step": "Phê duyệt, ký kết quả"}
        reason = "Lý do " + draw(st.sampled_from(["a", "b"])) if action in (
            "refuse", "request_supplement", "decline", "stop", "withdraw", "apologize") else ""
        add(action, target, data, reason)
    return events
