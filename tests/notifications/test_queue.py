"""Queueing: a notification is written with the change it announces and sent only once that
change is committed; a rollback leaves nothing and sends nothing."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from motcua.notifications.models import Notification, Status
from motcua.notifications.rendering import NotificationError
from motcua.notifications.services import (
    notification_queue,
    notifications_send_due,
    recipient_normalise,
)

from .conftest import CODE, EMAIL, PHONE, outbox_lines, received_context


def queue_received(channel="email", recipient=EMAIL, **kwargs):
    return notification_queue(channel=channel, recipient=recipient, template="dossier_received",
                              context=received_context(), dossier_code=CODE, **kwargs)


@pytest.mark.django_db(transaction=True)
def test_a_notification_is_sent_only_after_the_change_commits(sms_outbox):
    with transaction.atomic():
        email = queue_received()
        sms = queue_received(channel="sms", recipient=PHONE)
        assert mail.outbox == [] and outbox_lines(sms_outbox) == []
        assert Notification.objects.get(pk=email.pk).status == Status.PENDING
    email.refresh_from_db()
    sms.refresh_from_db()
    assert (email.status, email.attempts, sms.status, sms.attempts) == (
        Status.SENT, 1, Status.SENT, 1)
    [message] = mail.outbox
    assert message.to == [EMAIL]
    assert message.subject == email.subject
    assert message.body == email.body
    assert message.extra_headers["Message-ID"] == email.provider_message_id
    [(_stamp, provider_id, phone, text)] = outbox_lines(sms_outbox)
    assert (provider_id, phone, text) == (sms.provider_message_id, PHONE, sms.body)
    assert email.sent_at is not None and email.last_error == ""


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_leaves_no_notification_and_sends_nothing(sms_outbox):
    with pytest.raises(RuntimeError), transaction.atomic():
        queue_received()
        queue_received(channel="sms", recipient=PHONE)
        raise RuntimeError("the dossier change failed after the notifications were queued")
    assert Notification.objects.count() == 0
    assert mail.outbox == []
    assert outbox_lines(sms_outbox) == []


@pytest.mark.django_db(transaction=True)
def test_a_notification_rolled_back_with_a_savepoint_is_not_sent_but_the_rest_is():
    with transaction.atomic():
        kept = queue_received()
        with pytest.raises(RuntimeError), transaction.atomic():
            queue_received(recipient="tran.van.minh@example.vn")
            raise RuntimeError("this step was undone")
    assert list(Notification.objects.values_list("pk", flat=True)) == [kept.pk]
    assert [message.to for message in mail.outbox] == [[EMAIL]]


@pytest.mark.django_db(transaction=True)
def test_a_task_queue_that_refuses_the_task_does_not_undo_the_change_and_send_due_sends_it(
    settings, caplog
):
    # A misconfigured queue: the backend serves another queue than the task's.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
                                  "QUEUES": ["reports"]}}
    with transaction.atomic():
        notification = queue_received()
    notification.refresh_from_db()
    assert notification.status == Status.PENDING and mail.outbox == []
    assert any("on_commit" in record.getMessage() for record in caplog.records)
    assert notifications_send_due().sent == 1
    assert [message.to for message in mail.outbox] == [[EMAIL]]


@pytest.mark.django_db(transaction=True)
def test_with_the_database_queue_the_task_is_written_at_commit_and_the_worker_sends_it(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with transaction.atomic():
        notification = queue_received()
        assert DBTaskResult.objects.count() == 0
    [task] = DBTaskResult.objects.all()
    # Only the id travels through the queue: the task table holds no personal data.
    assert task.args_kwargs == {"args": [notification.pk], "kwargs": {}}
    assert mail.outbox == []

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    notification.refresh_from_db()
    assert notification.status == Status.SENT
    assert [message.to for message in mail.outbox] == [[EMAIL]]


@pytest.mark.django_db(transaction=True)
def test_with_the_database_queue_a_failed_send_queues_its_retry_for_later(
    settings, mail_server_down
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    notification = queue_received()
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (Status.PENDING, 1)
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.args_kwargs["args"] == [notification.pk]
    assert retry.run_after == notification.next_attempt_at


@pytest.mark.django_db
def test_the_rendered_message_and_its_context_are_kept_as_queued(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        notification = queue_received()
    notification.refresh_from_db()
    assert notification.language == "vi"
    assert notification.subject == (
        f"Hồ sơ {CODE} đã được tiếp nhận, hẹn trả kết quả ngày 23/02/2026")
    assert "Ngày hẹn trả kết quả: 23/02/2026." in notification.body
    assert notification.context["appointment_date"] == "2026-02-23"
    assert notification.context["received_at"] == "2026-02-11T09:30:00+07:00"
    assert mail.outbox[0].body == notification.body


@pytest.mark.django_db
def test_the_recipient_may_be_written_to_in_english(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notification = queue_received(language="en")
    assert notification.subject.startswith(f"Dossier {CODE} has been received")
    assert mail.outbox[0].subject == notification.subject


@pytest.mark.parametrize(("channel", "given", "kept"), [
    ("sms", "0912345678", "0912345678"),
    ("sms", "0912 345 678", "0912345678"),
    ("sms", "0912.345.678", "0912345678"),
    ("sms", "+84 912 345 678", "0912345678"),
    ("sms", "84912345678", "0912345678"),
    ("sms", "(+84) 386-123-456", "0386123456"),
    ("email", " Nguyen.Thi.Hoa@Example.VN ", "Nguyen.Thi.Hoa@example.vn"),
])
def test_a_recipient_is_kept_in_the_form_its_channel_sends_to(channel, given, kept):
    assert recipient_normalise(channel=channel, recipient=given) == kept


@pytest.mark.django_db
@pytest.mark.parametrize(("changes", "problem"), [
    ({"channel": "sms", "recipient": "02103855123"}, "không phải là số điện thoại di động"),
    ({"channel": "sms", "recipient": "091234567"}, "không phải là số điện thoại di động"),
    ({"channel": "sms", "recipient": EMAIL}, "không phải là số điện thoại di động"),
    ({"channel": "email", "recipient": PHONE}, "không phải là địa chỉ thư điện tử"),
    ({"channel": "fax"}, "không có kênh gửi fax"),
    ({"language": "fr"}, "không có ngôn ngữ fr"),
    ({"template": "dossier_lost"}, "không có mẫu thông báo dossier_lost"),
    ({"dossier_code": "9" * 51}, "mã hồ sơ quá dài"),
    ({"recipient": "hoa@" + "xa-thanh-son." * 20 + "vn"}, "không phải là địa chỉ thư điện tử"),
    ({"context": received_context(appointment_date="23/02/2026")},
     "appointment_date phải là một ngày"),
    ({"context": received_context(received_at=dt.datetime(2026, 2, 11, 9, 30))},
     "received_at phải là ngày giờ có múi giờ"),
])
def test_a_notification_that_cannot_be_sent_is_refused_before_anything_is_written(
    changes, problem, django_capture_on_commit_callbacks
):
    arguments = {"channel": "email", "recipient": EMAIL, "template": "dossier_received",
                 "context": received_context(), "dossier_code": CODE, **changes}
    with django_capture_on_commit_callbacks() as callbacks, \
            pytest.raises(NotificationError, match=problem) as error:
        notification_queue(**arguments)
    assert Notification.objects.count() == 0 and callbacks == []
    # The message is personal-data free: it may end up in a log.
    assert str(arguments["recipient"]).strip() not in str(error.value)
