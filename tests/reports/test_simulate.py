"""The simulator writes what the services write: lawful transitions, the contract's data
keys, a whole hash chain; the same seed gives the same history; its facts balance."""

import datetime as dt
from collections import Counter

import pytest
from django.utils import timezone

from motcua.dossiers import audit, lifecycle
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.reports import services
from motcua.reports.selectors import report_figures
from motcua.reports.simulate import dossiers_simulate

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(dt.datetime(2026, 6, 1))


def history():
    return sorted((d.code, d.status, d.channel) for d in Dossier.objects.exclude(code=None))


def test_same_seed_same_history_and_every_chain_whole():
    made = dossiers_simulate(dossiers=300, seed=5, now=NOW)
    assert made["dossiers"] > 250
    first = history()
    events = Counter(DossierEvent.objects.values_list("action", flat=True))
    breaks = [b for b in audit.chains_verify() if not isinstance(b, int)]
    assert breaks == []
    from django.db import transaction

    # Again from nothing, in a transaction rolled back: the same dossiers, codes, statuses.
    with transaction.atomic():
        DossierEvent.objects.all()._raw_delete(DossierEvent.objects.db)
        from motcua.dossiers.models import CodeSequence, Rating

        Rating.objects.all().delete()
        Dossier.objects.all().delete()
        CodeSequence.objects.all().delete()
        dossiers_simulate(dossiers=300, seed=5, now=NOW)
        assert history() == first
        transaction.set_rollback(True)
    # Every action the lifecycle has, and the contract's, appear in a few hundred dossiers.
    for action in ("submit", "receive", "accept", "start", "forward", "approve",
                   "return_result", "rate", "payment_received", "request_supplement"):
        assert events[action] > 0, action


def test_transitions_are_lawful_and_data_keys_those_of_the_contract():
    dossiers_simulate(dossiers=200, seed=9, now=NOW)
    for e in DossierEvent.objects.order_by("dossier_id", "id"):
        if e.action in lifecycle.TRANSITIONS and e.action not in ("supplement",):
            assert e.to_status == (e.from_status if e.action in lifecycle.KEEPS_STATUS
                                   else lifecycle.TRANSITIONS[e.action].target), e.action
            assert lifecycle.TRANSITIONS[e.action].allowed_from(e.from_status), e.action
        if e.action == "payment_received":
            assert set(e.data) >= {"amount", "channel", "gateway", "payment", "receipt"}
            assert e.data["channel"] in ("online", "desk_cash", "desk_card")
        if e.action == "submit" and "assisted_by" in e.data:
            assert e.data["assisted_mode"] in ("own_account", "on_behalf")
        if e.action == "result_issued":
            assert e.data["electronic"] is True


def test_simulated_facts_balance():
    dossiers_simulate(dossiers=300, seed=3, now=NOW)
    services.facts_rebuild()
    report = report_figures(start=dt.date(2026, 4, 1), end=dt.date(2026, 5, 31))
    d = report.total.as_dict()
    assert d["received"] > 0
    assert d["carried"] + d["received"] == d["resolved"] + d["withdrawn"] + d["refused"] + \
        d["stopped"] + d["open"]
