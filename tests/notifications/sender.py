"""A sender process for the concurrency tests: ``python -m tests.notifications.sender ACTION``.

Each process has its own database connection, as separate workers and cron runs do. The
senders wait at a file barrier so they start claiming together.

    queue N              queue N SMS notifications; prints their ids
    deliver DIR K ID…    wait for K processes at barrier DIR, then deliver each ID in turn
    send-due DIR K       wait at the barrier, then run notifications_send_due once
    statuses             how many notifications are in each status
"""

import json
import os
import sys
import time
import uuid
from pathlib import Path


def barrier(directory: str, count: int) -> None:
    path = Path(directory)
    (path / uuid.uuid4().hex).touch()
    while len(list(path.iterdir())) < count:
        time.sleep(0.002)


def main(action: str, *args: str) -> object:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    import django

    django.setup()
    from motcua.notifications.services import (
        notification_deliver,
        notification_queue,
        notifications_send_due,
    )
    from tests.notifications.conftest import CODE, PHONE, received_context

    if action == "queue":
        return [
            notification_queue(channel="sms", recipient=PHONE, template="dossier_received",
                               context=received_context(), dossier_code=CODE).pk
            for _ in range(int(args[0]))
        ]
    if action == "deliver":
        barrier(args[0], int(args[1]))
        return [notification_deliver(notification_id=int(pk)) for pk in args[2:]]
    if action == "send-due":
        barrier(args[0], int(args[1]))
        return notifications_send_due().sent
    if action == "statuses":
        from collections import Counter

        from motcua.notifications.models import Notification

        return dict(Counter(Notification.objects.values_list("status", flat=True)))
    raise SystemExit(f"unknown action {action}")


if __name__ == "__main__":
    print(json.dumps(main(*sys.argv[1:])))
