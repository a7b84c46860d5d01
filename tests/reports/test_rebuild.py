"""The facts kept up to date event by event and the facts rebuilt from every event are the
same rows."""

import pytest
from django.core.management import call_command

from motcua.demo.dossiers import demo_dossiers_load
from motcua.reports import services
from motcua.reports.models import DailyFact, DossierTrack

from .helpers import facts_snapshot


@pytest.mark.django_db
def test_rebuild_gives_the_rows_the_incremental_update_wrote(
        django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        made = demo_dossiers_load(count=60)
    assert made > 40
    incremental = facts_snapshot()
    assert DossierTrack.objects.count() == made
    assert incremental["DailyFact"]
    call_command("reports_rebuild", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert facts_snapshot() == incremental


@pytest.mark.django_db
def test_update_twice_changes_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        demo_dossiers_load(count=10)
    before = facts_snapshot()
    for track in DossierTrack.objects.all():
        assert services.dossier_facts_update(dossier_id=track.pk) is False
    assert facts_snapshot() == before
    assert DailyFact.objects.exists()


@pytest.mark.django_db
def test_a_lost_task_is_applied_by_the_catch_up():
    # Outside django_capture_on_commit_callbacks the tasks never run: as if the queue lost
    # them.
    demo_dossiers_load(count=15)
    assert not DossierTrack.objects.exists()
    call_command("reports_update", stdout=open("/dev/null", "w"))  # noqa: SIM115
    caught_up = facts_snapshot()
    assert len(caught_up["tracks"]) > 10
    call_command("reports_rebuild", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert facts_snapshot() == caught_up
    # A second catch-up finds nothing new.
    assert services.facts_catch_up() == 0
