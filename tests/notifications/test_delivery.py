"""Sending: claimed before it is sent, so it goes out once; retried with backoff; failed for
good after the last attempt with the error kept; taken back when a worker died mid-send; and
never a recipient in a log."""

import datetime as dt
import logging
import smtplib
import sys

import pytest
from django.core import mail
from django.utils import timezone

from motcua import cli
from motcua.notifications.models import Notification, Status
from motcua.notifications.services import (
    SKIPPED,
    error_describe,
    notification_deliver,
    notification_queue,
    notifications_recover_stuck,
    notifications_send_due,
    retry_delay,
)

from .conftest import CODE, EMAIL, PHONE, outbox_lines, received_context
from .gateways import HookGateway

SECOND = dt.timedelta(seconds=1)


def queued(channel="sms", recipient=PHONE) -> Notification:
    """A notification written and committed, its first send not yet tried (as when the process
    stopped right after the commit)."""
    return notification_queue(channel=channel, recipient=recipient, template="dossier_received",
                              context=received_context(), dossier_code=CODE)


@pytest.mark.django_db
def test_a_failing_channel_retries_with_backoff_and_fails_after_the_last_attempt(
    settings, mail_server_down, django_capture_on_commit_callbacks
):
    settings.NOTIFY_MAX_ATTEMPTS = 4
    settings.NOTIFY_RETRY_SECONDS = 60
    with django_capture_on_commit_callbacks(execute=True):
        notification = queued(channel="email", recipient=EMAIL)
    delays, outcomes = [], []
    while True:
        notification.refresh_from_db()
        if notification.status != Status.PENDING:
            break
        assert "ConnectionRefusedError" in notification.last_error
        delays.append((notification.next_attempt_at - notification.claimed_at).total_seconds())
        # A second early nothing happens; at the appointed time the next attempt is made.
        assert notifications_send_due(now=notification.next_attempt_at - SECOND).skipped == 0
        assert Notification.objects.get(pk=notification.pk).attempts == notification.attempts
        summary = notifications_send_due(now=notification.next_attempt_at)
        outcomes.append((summary.retrying, summary.failed))
    assert delays == [60, 120, 240]
    assert outcomes == [(1, 0), (1, 0), (0, 1)]
    assert (notification.status, notification.attempts) == (Status.FAILED, 4)
    assert notification.last_error.startswith("ConnectionRefusedError: ")
    assert notification.sent_at is None and mail.outbox == []
    # Failed for good: later runs leave it alone.
    later = notification.next_attempt_at + dt.timedelta(days=1)
    assert notifications_send_due(now=later).skipped == 0
    notification.refresh_from_db()
    assert notification.attempts == 4


@pytest.mark.django_db
def test_a_notification_that_failed_is_sent_once_the_mail_server_is_back(
    settings, mail_server_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notification = queued(channel="email", recipient=EMAIL)
    notification.refresh_from_db()
    assert notification.status == Status.PENDING
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    summary = notifications_send_due(now=notification.next_attempt_at)
    notification.refresh_from_db()
    assert (summary.sent, notification.status, notification.attempts) == (1, Status.SENT, 2)
    assert notification.last_error == ""
    assert [message.to for message in mail.outbox] == [[EMAIL]]


@pytest.mark.parametrize(("attempt", "seconds"), [
    (1, 60), (2, 120), (3, 240), (4, 480), (5, 960), (9, 15360), (10, 21600), (30, 21600),
])
def test_the_wait_doubles_after_each_failure_up_to_six_hours(settings, attempt, seconds):
    settings.NOTIFY_RETRY_SECONDS = 60
    assert retry_delay(attempt) == dt.timedelta(seconds=seconds)


@pytest.mark.django_db
def test_a_notification_already_sent_or_not_yet_due_is_skipped(sms_outbox):
    notification = queued()
    assert notification_deliver(notification_id=notification.pk,
                                now=notification.next_attempt_at - SECOND) == SKIPPED
    assert notification_deliver(notification_id=notification.pk) == Status.SENT
    assert notification_deliver(notification_id=notification.pk) == SKIPPED
    assert len(outbox_lines(sms_outbox)) == 1


@pytest.mark.django_db
def test_a_sender_finds_a_notification_claimed_by_another_in_mid_send_and_skips_it(
    settings, sms_outbox
):
    settings.SMS_GATEWAY = "tests.notifications.gateways.HookGateway"
    notification = queued()
    second_sender = []
    HookGateway.during_send = lambda: second_sender.append(
        notification_deliver(notification_id=notification.pk))
    assert notification_deliver(notification_id=notification.pk) == Status.SENT
    assert second_sender == [SKIPPED]
    assert len(outbox_lines(sms_outbox)) == 1


def _stuck(notification, *, minutes, attempts=1):
    """What a worker killed in mid-send leaves: the row claimed ``minutes`` ago."""
    Notification.objects.filter(pk=notification.pk).update(
        status=Status.SENDING, attempts=attempts,
        claimed_at=timezone.now() - dt.timedelta(minutes=minutes),
    )


@pytest.mark.django_db
def test_a_notification_stuck_in_sending_is_taken_back_and_sent(settings, sms_outbox):
    settings.NOTIFY_STUCK_MINUTES = 10
    stuck, busy = queued(), queued()
    _stuck(stuck, minutes=11)
    _stuck(busy, minutes=5)  # a slow send still in progress: left to its worker
    summary = notifications_send_due()
    assert (summary.recovered, summary.sent) == (1, 1)
    stuck.refresh_from_db()
    busy.refresh_from_db()
    assert (stuck.status, stuck.attempts) == (Status.SENT, 2)
    assert busy.status == Status.SENDING
    assert len(outbox_lines(sms_outbox)) == 1


@pytest.mark.django_db
def test_a_notification_stuck_on_its_last_attempt_is_failed_not_retried(settings):
    settings.NOTIFY_MAX_ATTEMPTS = 3
    notification = queued()
    _stuck(notification, minutes=60, attempts=3)
    assert notifications_recover_stuck() == 1
    notification.refresh_from_db()
    assert notification.status == Status.FAILED
    assert "interrupted while sending" in notification.last_error


@pytest.mark.django_db
def test_a_worker_that_outlived_its_claim_does_not_overwrite_the_later_attempt(
    settings, sms_outbox, caplog
):
    settings.SMS_GATEWAY = "tests.notifications.gateways.HookGateway"
    settings.NOTIFY_STUCK_MINUTES = 10
    notification = queued()
    later = timezone.now() + dt.timedelta(minutes=30)
    later_run = []

    def meanwhile():
        # The first worker hangs for half an hour; a later run takes the row back and sends.
        later_run.append(notifications_send_due(now=later))

    HookGateway.during_send = meanwhile
    with caplog.at_level(logging.INFO, logger="motcua.notifications"):
        assert notification_deliver(notification_id=notification.pk) == Status.SENT
    [summary] = later_run
    assert (summary.recovered, summary.sent) == (1, 1)
    # The later run's message went out while the hung worker waited, so its line is first.
    later_id, hung_id = (line[1] for line in outbox_lines(sms_outbox))
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (Status.SENT, 2)
    assert notification.provider_message_id == later_id != hung_id
    assert any("may reach the recipient twice" in r.getMessage() for r in caplog.records)


@pytest.fixture
def no_worker(settings):
    """Tasks are recorded and not run, as when the process stopped right after the commit:
    what was queued waits for `send-due`."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.mark.django_db(transaction=True)  # the command closes its connection, as a cron job
def test_motcua_notifications_send_due_sends_what_is_due(
    no_worker, monkeypatch, capsys, sms_outbox
):
    notification = queued()
    monkeypatch.setattr(sys, "argv", ["motcua", "notifications", "send-due"])
    cli.main()
    assert capsys.readouterr().out.strip() == (
        "sent 1, retrying 0, failed 0, skipped 0, taken back 0")
    notification.refresh_from_db()
    assert notification.status == Status.SENT
    assert len(outbox_lines(sms_outbox)) == 1


@pytest.mark.django_db
def test_no_recipient_reaches_a_log_record_or_the_kept_error(
    settings, caplog, mail_server_down, django_capture_on_commit_callbacks
):
    settings.NOTIFY_MAX_ATTEMPTS = 1
    caplog.set_level(logging.DEBUG)
    with django_capture_on_commit_callbacks(execute=True):
        sent = notification_queue(channel="sms", recipient="+84 912 345 678",
                                  template="dossier_received", context=received_context())
        failed_email = queued(channel="email", recipient=EMAIL)
    settings.SMS_GATEWAY = "tests.notifications.gateways.RefusingGateway"
    with django_capture_on_commit_callbacks(execute=True):
        failed_sms = queued()
    for notification in (sent, failed_email, failed_sms):
        notification.refresh_from_db()
    assert (sent.status, failed_email.status, failed_sms.status) == (
        Status.SENT, Status.FAILED, Status.FAILED)
    # The provider named the number it refused; the kept error does not.
    assert failed_sms.last_error == (
        "ConnectionError: provider refused [recipient] ([recipient]): quota exceeded")
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert f"notification {failed_sms.pk} failed" in logged
    assert f"notification {sent.pk} sent" in logged
    for personal in (PHONE, "912345678", "+84912345678", "912 345 678", EMAIL,
                     "nguyen.thi.hoa"):
        assert personal not in logged
        assert personal not in failed_email.last_error + failed_sms.last_error


@pytest.mark.parametrize(("error", "recipient", "kept"), [
    (smtplib.SMTPRecipientsRefused({EMAIL: (550, b"5.1.1 user unknown")}), EMAIL,
     "SMTPRecipientsRefused: {'[recipient]': (550, b'5.1.1 user unknown')}"),
    (smtplib.SMTPDataError(554, f"<{EMAIL.upper()}> rejected: spam"), EMAIL,
     "SMTPDataError: (554, '<[recipient]> rejected: spam')"),
    (ConnectionError("to 84912345678 and to 0987654321: gateway busy"), PHONE,
     "ConnectionError: to [recipient] and to [phone]: gateway busy"),
    (ValueError("bad address other.person@example.com"), EMAIL,
     "ValueError: bad address [email]"),
    (TimeoutError("timed out"), PHONE, "TimeoutError: timed out"),
])
def test_a_kept_error_names_what_went_wrong_without_personal_data(error, recipient, kept):
    assert error_describe(error, recipient) == kept
