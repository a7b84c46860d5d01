"""The state machine, as a table: every action from every status."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from motcua.dossiers import lifecycle
from motcua.dossiers.models import Status

S = Status
LEGAL = {
    ("submit", S.DRAFT): S.NEW,
    ("receive", S.DRAFT): S.RECEIVED,
    ("accept", S.NEW): S.RECEIVED,
    ("refuse", S.NEW): S.REJECTED,
    ("request_supplement", S.NEW): S.SUPPLEMENT,
    ("request_supplement", S.PROCESSING): S.SUPPLEMENT,
    ("start", S.RECEIVED): S.PROCESSING,
    ("forward", S.PROCESSING): S.PROCESSING,
    ("approve", S.PROCESSING): S.RESOLVED,
    ("decline", S.PROCESSING): S.RESOLVED,
    ("return_result", S.RESOLVED): S.RETURNED,
    ("withdraw", S.NEW): S.WITHDRAWN,
    ("withdraw", S.RECEIVED): S.WITHDRAWN,
    ("withdraw", S.PROCESSING): S.WITHDRAWN,
    ("withdraw", S.SUPPLEMENT): S.WITHDRAWN,
    ("withdraw", S.PAYMENT): S.WITHDRAWN,
    ("stop", S.PROCESSING): S.STOPPED,
    ("stop", S.SUPPLEMENT): S.STOPPED,
    ("apologize", S.RECEIVED): S.RECEIVED,
    ("apologize", S.PROCESSING): S.PROCESSING,
}


@pytest.mark.parametrize("action", sorted(lifecycle.TRANSITIONS))
@pytest.mark.parametrize("status", list(Status))
def test_every_action_from_every_status(action, status):
    expected = LEGAL.get((action, status))
    if action == "supplement":
        expected = S.PROCESSING if status == S.SUPPLEMENT else None
    if expected is None:
        with pytest.raises(lifecycle.IllegalTransition):
            lifecycle.next_status(action, status, previous=S.PROCESSING)
    else:
        assert lifecycle.next_status(action, status, previous=S.PROCESSING) == expected


def test_a_supplement_returns_to_where_the_dossier_was():
    assert lifecycle.next_status("supplement", S.SUPPLEMENT, previous=S.NEW) == S.NEW
    assert lifecycle.next_status("supplement", S.SUPPLEMENT, previous=S.PROCESSING) == \
        S.PROCESSING


def test_the_refusal_message_names_the_action_and_status():
    with pytest.raises(lifecycle.IllegalTransition) as caught:
        lifecycle.next_status("approve", S.NEW)
    assert caught.value.message == (
        "Không thể “Phê duyệt, ký” khi hồ sơ đang ở trạng thái “Mới đăng ký”.")


def test_closed_dossiers_admit_no_status_change():
    for status in (S.REJECTED, S.WITHDRAWN, S.STOPPED, S.RETURNED):
        assert [t.action for t in lifecycle.TRANSITIONS.values()
                if t.allowed_from(status)] == []


def test_actions_needing_a_reason():
    assert {a for a, t in lifecycle.TRANSITIONS.items() if t.needs_reason} == {
        "refuse", "request_supplement", "decline", "withdraw", "stop", "apologize"}


@given(st.lists(st.sampled_from(sorted(lifecycle.TRANSITIONS)), max_size=30))
def test_no_sequence_of_actions_leaves_the_national_codes(actions):
    status, previous = S.DRAFT, None
    for action in actions:
        try:
            new = lifecycle.next_status(action, status, previous=previous)
        except lifecycle.IllegalTransition:
            continue
        if action == "request_supplement":
            previous = status
        status = new
        assert status in Status.values
        assert status != S.DRAFT
