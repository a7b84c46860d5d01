"""The event hash chain finds any row changed behind the application's back."""

import itertools

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from motcua.dossiers import services
from motcua.dossiers.audit import chains_verify, event_hash
from motcua.dossiers.models import Dossier, DossierEvent

pytestmark = pytest.mark.django_db


def breaks():
    return [str(item) for item in chains_verify() if not isinstance(item, int)]


def raw(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.fixture
def accepted(make_submitted, officials):
    dossier = make_submitted()
    return services.dossier_accept(dossier=dossier, actor=officials["vietri.motcua"])


def test_every_event_is_chained_to_the_one_before(accepted):
    events = list(DossierEvent.objects.filter(dossier=accepted).order_by("pk"))
    assert events[0].prev_hash == ""
    for before, after in itertools.pairwise(events):
        assert after.prev_hash == before.hash
        assert after.hash == event_hash(after, before.hash)
    assert Dossier.objects.get(pk=accepted.pk).last_event_hash == events[-1].hash
    assert breaks() == []


def test_an_edited_reason_is_found(accepted):
    event = DossierEvent.objects.filter(dossier=accepted, action="submit").get()
    raw("UPDATE dossiers_dossierevent SET reason = %s WHERE id = %s", ["sửa lén", event.pk])
    found = breaks()
    assert len(found) == 1 and f"event {event.pk}" in found[0] and "changed" in found[0]


def test_a_deleted_event_in_the_middle_is_found(accepted):
    event = DossierEvent.objects.filter(dossier=accepted, action="submit").get()
    raw("DELETE FROM dossiers_dossierevent WHERE id = %s", [event.pk])
    assert any("does not follow" in b for b in breaks())


def test_a_deleted_last_event_is_found(accepted):
    last = DossierEvent.objects.filter(dossier=accepted).order_by("-pk").first()
    raw("DELETE FROM dossiers_dossierevent WHERE id = %s", [last.pk])
    assert any("last event is missing" in b for b in breaks())


def test_a_changed_status_in_an_event_is_found(accepted):
    event = DossierEvent.objects.filter(dossier=accepted, action="accept").get()
    raw("UPDATE dossiers_dossierevent SET to_status = %s WHERE id = %s", [9, event.pk])
    assert any("changed" in b for b in breaks())


def test_the_command_reports_and_fails_on_a_break(accepted, capsys):
    call_command("audit_verify")
    assert "every event chain is whole" in capsys.readouterr().out
    event = DossierEvent.objects.filter(dossier=accepted).first()
    raw("UPDATE dossiers_dossierevent SET actor_role = %s WHERE id = %s", ["leader", event.pk])
    with pytest.raises(CommandError, match="1 break"):
        call_command("audit_verify")
