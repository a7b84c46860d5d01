"""Start-up checks of the notification settings (`motcua check`)."""

from django.conf import settings
from django.core import checks
from django.utils.module_loading import import_string

FILE_EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
FILE_SMS_GATEWAY = "motcua.notifications.channels.FileSmsGateway"


@checks.register()
def notification_settings_check(app_configs=None, **kwargs):
    from .channels import SmsGateway

    problems = []
    try:
        gateway = import_string(settings.SMS_GATEWAY)
    except ImportError:
        gateway = None
    if not (isinstance(gateway, type) and issubclass(gateway, SmsGateway)):
        problems.append(checks.Error(
            f"MOTCUA_SMS_GATEWAY={settings.SMS_GATEWAY} is not an importable SmsGateway class",
            id="notifications.E001",
        ))
    if settings.NOTIFY_MAX_ATTEMPTS < 1:
        problems.append(checks.Error("MOTCUA_NOTIFY_MAX_ATTEMPTS must be 1 or more",
                                     id="notifications.E002"))
    # A send still waiting on the mail server must not be taken for a dead worker's.
    if settings.NOTIFY_STUCK_MINUTES * 60 <= settings.EMAIL_TIMEOUT:
        problems.append(checks.Error(
            "MOTCUA_NOTIFY_STUCK_MINUTES must be longer than MOTCUA_EMAIL_TIMEOUT",
            id="notifications.E003",
        ))
    if settings.ENVIRONMENT == "production":
        if settings.EMAIL_BACKEND == FILE_EMAIL_BACKEND:
            problems.append(checks.Warning(
                "emails are written to files, not sent: set MOTCUA_EMAIL_BACKEND=smtp",
                id="notifications.W001",
            ))
        if settings.SMS_GATEWAY == FILE_SMS_GATEWAY:
            problems.append(checks.Warning(
                "SMS are written to a local file, not sent: set MOTCUA_SMS_GATEWAY",
                id="notifications.W002",
            ))
    return problems
