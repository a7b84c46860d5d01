"""Every role × every action on a dossier in every state: what is allowed is exactly the table
below, and everything else is refused by the services without changing anything."""

import datetime as dt

import pytest
from django.utils import timezone

from motcua.accounts.models import User
from motcua.dossiers import lifecycle, permissions, services
from motcua.dossiers.models import Dossier, DossierEvent

pytestmark = pytest.mark.django_db

ROLES = {
    "applicant": "025080001234", "other citizen": "025185004321",
    "desk": "vietri.motcua", "specialist": "vietri.tuphap", "leader": "vietri.chutich",
    "police specialist": "vietri.congan.cv", "other desk": "thanhson.motcua",
    "other specialist": "thanhson.tuphap", "other leader": "thanhson.chutich",
    "province desk": "tinh.motcua",
}
ALL = set(lifecycle.TRANSITIONS)

# state → role → the actions allowed (roles not listed: none)
MATRIX = {
    "new": {"applicant": {"withdraw"},
            "desk": {"accept", "refuse", "request_supplement", "withdraw"}},
    "received": {"applicant": {"withdraw"}, "desk": {"withdraw"},
                 "specialist": {"start", "apologize"}},
    "processing at the specialist": {
        "applicant": {"withdraw"}, "desk": {"withdraw"},
        "specialist": {"request_supplement", "forward", "apologize"}},
    "processing at the leader": {
        "applicant": {"withdraw"}, "desk": {"withdraw"},
        "leader": {"forward", "approve", "decline", "stop", "apologize"}},
    "supplement asked": {"applicant": {"supplement", "withdraw"},
                         "desk": {"supplement", "withdraw"}},
    "processed": {"desk": {"return_result"}},
    "result returned": {},
    "refused": {},
    "withdrawn": {},
}


def users():
    return {role: User.objects.get(username=name) for role, name in ROLES.items()}


def build(state, make_submitted, people):
    dossier = make_submitted()
    desk, specialist, leader = people["desk"], people["specialist"], people["leader"]
    steps = {
        "received": [lambda d: services.dossier_accept(dossier=d, actor=desk)],
        "refused": [lambda d: services.dossier_refuse(dossier=d, actor=desk, reason="sai")],
        "withdrawn": [lambda d: services.dossier_withdraw(dossier=d, actor=people["applicant"],
                                                         reason="nộp nhầm")],
    }
    chain = [
        ("received", lambda d: services.dossier_accept(dossier=d, actor=desk)),
        ("processing at the specialist", lambda d: services.dossier_start(dossier=d,
                                                                          actor=specialist)),
        ("processing at the leader", lambda d: services.dossier_forward(dossier=d,
                                                                       actor=specialist)),
        ("processed", lambda d: services.dossier_approve(dossier=d, actor=leader)),
        ("result returned", lambda d: services.dossier_return_result(dossier=d, actor=desk)),
    ]
    if state == "supplement asked":
        services.dossier_accept(dossier=dossier, actor=desk)
        services.dossier_start(dossier=dossier, actor=specialist)
        services.dossier_request_supplement(dossier=dossier, actor=specialist, reason="thiếu")
    elif state in steps:
        for step in steps[state]:
            step(dossier)
    elif state != "new":
        for name, step in chain:
            step(dossier)
            if name == state:
                break
    return Dossier.objects.get(pk=dossier.pk)


@pytest.mark.parametrize("state", list(MATRIX))
def test_allowed_actions_are_exactly_the_table(state, make_submitted):
    people = users()
    dossier = build(state, make_submitted, people)
    for role, user in people.items():
        allowed = {t.action for t in permissions.allowed_actions(user, dossier)}
        assert allowed == MATRIX[state].get(role, set()), (state, role)


@pytest.mark.parametrize("state", list(MATRIX))
def test_every_other_action_is_refused_and_changes_nothing(state, make_submitted):
    people = users()
    dossier = build(state, make_submitted, people)
    for role, user in people.items():
        for action in sorted(ALL - MATRIX[state].get(role, set())):
            before = (dossier.status, DossierEvent.objects.filter(dossier=dossier).count())
            with pytest.raises(services.DossierError) as caught:
                services.dossier_act(
                    dossier=dossier, actor=user, action=action, reason="lý do thử",
                    items=["giấy tờ"], new_due_at=timezone.now() + dt.timedelta(days=30))
            assert caught.value.code in {"forbidden", "illegal_transition", "nothing_supplied",
                                         "already_submitted", "no_resume_status"}, \
                (state, role, action, caught.value.code)
            fresh = Dossier.objects.get(pk=dossier.pk)
            assert (fresh.status,
                    DossierEvent.objects.filter(dossier=dossier).count()) == before, \
                (state, role, action)
