"""Concurrent senders, each a process with its own database connection, as workers and
overlapping cron runs are: every notification goes out exactly once.

On PostgreSQL the processes share the test database. The SQLite test database lives in this
process's memory, where no other process can reach it (and where its shared-cache mode reports
a busy table at once instead of waiting), so on SQLite they share a WAL database file set up
by `motcua migrate` — exactly what an embedded installation runs on. The claim is the same
conditional UPDATE on both: PostgreSQL makes the second writer wait for the first one's row
lock and then re-reads the row, no longer pending; SQLite lets one writer at a time into the
whole database."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from .conftest import outbox_lines

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def senders(tmp_path):
    """Run sender processes on one shared database; returns a function starting them."""
    env = {
        **_clean_environ(),
        "MOTCUA_VAR_DIR": str(tmp_path / "var"),
        "MOTCUA_SMS_OUTBOX": str(tmp_path / "outbox.log"),
        # Queued rows wait in the outbox for the senders of the test.
        "MOTCUA_TASKS_BACKEND": "database",
    }
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        env["DATABASE_URL"] = (f"postgres://{db['USER']}:{db['PASSWORD'] or ''}"
                               f"@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}")
    else:
        subprocess.run([str(Path(sys.executable).with_name("motcua")), "migrate", "-v0"],
                       env=env, cwd=ROOT, check=True)

    def run(*argument_lists):
        processes = [
            subprocess.Popen([sys.executable, "-m", "tests.notifications.sender", *arguments],
                             env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True)
            for arguments in argument_lists
        ]
        outputs = [process.communicate()[0] for process in processes]
        assert [process.returncode for process in processes] == [0] * len(processes)
        return [json.loads(output) for output in outputs]

    run.outbox = tmp_path / "outbox.log"
    return run


def _clean_environ() -> dict:
    import os

    return {key: value for key, value in os.environ.items()
            if key not in {"DATABASE_URL", "MOTCUA_VAR_DIR", "MOTCUA_TEST_SQLITE_NAME"}}


@pytest.mark.django_db(transaction=True)  # the processes must see committed rows
def test_two_sender_processes_send_each_notification_once(senders, tmp_path):
    [ids] = senders(["queue", "8"])
    barrier = tmp_path / "barrier"
    barrier.mkdir()
    ids = [str(pk) for pk in ids]
    first, second = senders(["deliver", str(barrier), "2", *ids],
                            ["deliver", str(barrier), "2", *ids])
    # For each notification one process sent it and the other found it taken.
    assert all({a, b} == {"sent", "skipped"} for a, b in zip(first, second, strict=True))
    assert len(outbox_lines(senders.outbox)) == 8
    assert len({line[1] for line in outbox_lines(senders.outbox)}) == 8
    assert senders(["statuses"]) == [{"sent": 8}]


@pytest.mark.django_db(transaction=True)
def test_overlapping_send_due_runs_send_each_notification_once(senders, tmp_path):
    [ids] = senders(["queue", "30"])
    barrier = tmp_path / "barrier"
    barrier.mkdir()
    sent = senders(*[["send-due", str(barrier), "3"]] * 3)
    assert sum(sent) == 30
    lines = outbox_lines(senders.outbox)
    assert len(lines) == 30 and len({line[1] for line in lines}) == 30
    assert len(ids) == 30
    assert senders(["statuses"]) == [{"sent": 30}]
