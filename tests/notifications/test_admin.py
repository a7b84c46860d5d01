"""The outbox in the administration site: listed and filtered, never edited."""

import pytest
from django.urls import reverse

from motcua.accounts.models import User
from motcua.notifications.models import Notification, Status
from motcua.notifications.services import notification_queue

from .conftest import EMAIL, PHONE, received_context

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(User.objects.get(username="quantri"))
    return client


def queued(channel, recipient, code):
    return notification_queue(channel=channel, recipient=recipient, template="dossier_received",
                              context=received_context(dossier_code=code), dossier_code=code)


def test_the_outbox_lists_notifications_filtered_by_status_and_channel(admin_client):
    failed = queued("sms", PHONE, "000.00.20.H36-260211-0007")
    Notification.objects.filter(pk=failed.pk).update(status=Status.FAILED)
    queued("email", EMAIL, "000.00.20.H36-260211-0008")
    url = reverse("admin:notifications_notification_changelist")
    page = admin_client.get(url, {"status__exact": "failed", "channel__exact": "sms"})
    assert page.status_code == 200
    assert "000.00.20.H36-260211-0007" in page.text
    assert "000.00.20.H36-260211-0008" not in page.text
    found = admin_client.get(url, {"q": "000.00.20.H36-260211-0008"}).text
    assert "000.00.20.H36-260211-0007" not in found
    assert "1 kết quả" in found


def test_a_notification_is_shown_as_sent_and_cannot_be_changed(admin_client):
    notification = queued("email", EMAIL, "000.00.20.H36-260211-0009")
    change = reverse("admin:notifications_notification_change", args=[notification.pk])
    page = admin_client.get(change)
    assert page.status_code == 200
    assert "Ngày hẹn trả kết quả: 23/02/2026." in page.text
    assert 'name="_save"' not in page.text
    assert admin_client.post(change, {"status": "sent"}).status_code == 403
    assert admin_client.get(reverse("admin:notifications_notification_add")).status_code == 403
    delete = reverse("admin:notifications_notification_delete", args=[notification.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    notification.refresh_from_db()
    assert notification.status == Status.PENDING

