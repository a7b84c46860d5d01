"""Background work of the outbox, run by the project's task framework (``django_tasks``)."""

from django_tasks import task

from . import services


@task()
def notification_send(notification_id: int) -> str:
    """Send one notification now if it is still pending and due; safe to run twice (the
    second run finds it claimed or sent and does nothing). Only the id travels through the
    queue: the task table holds no personal data."""
    return services.notification_deliver(notification_id=notification_id)
