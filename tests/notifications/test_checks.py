"""`motcua check` on the notification settings."""

import pytest

from motcua.notifications.checks import notification_settings_check


def test_motcua_check_warns_when_production_still_writes_messages_to_files(settings):
    assert notification_settings_check() == []
    settings.ENVIRONMENT = "production"
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    assert {problem.id for problem in notification_settings_check()} == {
        "notifications.W001", "notifications.W002"}


@pytest.mark.parametrize(("changes", "problem"), [
    ({"SMS_GATEWAY": "motcua.notifications.models.Notification"}, "notifications.E001"),
    ({"SMS_GATEWAY": "motcua.nowhere.Gateway"}, "notifications.E001"),
    ({"NOTIFY_MAX_ATTEMPTS": 0}, "notifications.E002"),
    ({"NOTIFY_STUCK_MINUTES": 1, "EMAIL_TIMEOUT": 60}, "notifications.E003"),
])
def test_motcua_check_refuses_settings_that_would_lose_or_repeat_messages(
    settings, changes, problem
):
    for name, value in changes.items():
        setattr(settings, name, value)
    assert [found.id for found in notification_settings_check()] == [problem]
