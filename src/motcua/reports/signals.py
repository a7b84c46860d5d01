"""The facts follow the events: each event written queues the update of its dossier once
the transaction commits (a rolled-back action counts nothing)."""

import logging

from django.db import transaction
from django.dispatch import receiver

from motcua.dossiers.models import DossierEvent, Status
from motcua.dossiers.signals import dossier_event_written

logger = logging.getLogger(__name__)


def _enqueue(dossier_id: int) -> None:
    from .tasks import dossier_facts_apply

    dossier_facts_apply.enqueue(dossier_id)


@receiver(dossier_event_written, sender=DossierEvent, dispatch_uid="reports_facts")
def facts_follow_event(sender, event, dossier, **kwargs):
    # A draft is not in the statistics: its events are read when it is submitted.
    if event.to_status == Status.DRAFT:
        return
    dossier_id = dossier.pk
    # robust: a queue that cannot take the task must not undo the action;
    # `motcua reports update` applies what was missed.
    transaction.on_commit(lambda: _enqueue(dossier_id), robust=True)
