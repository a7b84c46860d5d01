"""Background work of the statistics, run by the project's task framework (``django_tasks``)."""

from django_tasks import task

from . import services


@task()
def dossier_facts_apply(dossier_id: int) -> bool:
    """Bring one dossier's facts up to its last event; safe to run twice or at once (the
    watermark makes a second run a no-op)."""
    return services.dossier_facts_update(dossier_id=dossier_id)
