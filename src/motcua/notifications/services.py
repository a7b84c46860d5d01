"""Writes to the outbox.

``notification_queue`` is called inside the transaction of the change it announces (a dossier
received, a supplement requested…): the row commits with that change or not at all, and the
sending is arranged only after the commit. Sending claims the row first, so two workers never
send the same notification; a failure is retried with exponential backoff; a worker killed in
the middle of a send leaves a row that ``notifications_send_due`` takes back after
``MOTCUA_NOTIFY_STUCK_MINUTES``.

The recipient is personal data: logs and ``last_error`` carry the notification id only.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from .channels import channel_send
from .models import Channel, Notification, Status
from .rendering import NotificationError, context_check, message_render

logger = logging.getLogger("motcua.notifications")

SKIPPED = "skipped"
# Mobile numbers only: SMS cannot reach a landline (02x). +84 and 84 are folded to 0.
_MOBILE_RE = re.compile(r"^0[35789][0-9]{8}$")
_PHONE_SEPARATORS = re.compile(r"[\s.\-()]")
_MAX_BACKOFF = dt.timedelta(hours=6)
_ERROR_MAX_CHARS = 500


def recipient_normalise(*, channel: str, recipient: str) -> str:
    """The recipient in the form the channel sends to, or NotificationError. The message never
    repeats the value: it is personal data and errors end up in logs."""
    recipient = (recipient or "").strip()
    if channel == Channel.EMAIL:
        try:
            validate_email(recipient)
        except ValidationError:
            raise NotificationError(_("the recipient is not an email address")) from None
        local, _at, domain = recipient.rpartition("@")
        recipient = f"{local}@{domain.lower()}"
        if len(recipient) > Notification._meta.get_field("recipient").max_length:
            raise NotificationError(_("the recipient is not an email address"))
        return recipient
    if channel == Channel.SMS:
        phone = _PHONE_SEPARATORS.sub("", recipient)
        if phone.startswith("+84"):
            phone = "0" + phone[3:]
        elif phone.startswith("84") and len(phone) == 11:
            phone = "0" + phone[2:]
        if not _MOBILE_RE.match(phone):
            raise NotificationError(_("the recipient is not a Vietnamese mobile phone number"))
        return phone
    raise NotificationError(_("unknown channel: %(channel)s") % {"channel": channel})


def notification_queue(
    *,
    channel: str,
    recipient: str,
    template: str,
    context: dict,
    dossier_code: str = "",
    language: str | None = None,
) -> Notification:
    """Write one notification, rendered now in ``language`` (default: the site's), and have it
    sent once the surrounding transaction commits. A rollback leaves no row and sends
    nothing. Raises NotificationError, before writing anything, on an unknown template, a
    context that does not fit it, or a recipient the channel cannot reach."""
    recipient = recipient_normalise(channel=channel, recipient=recipient)
    if len(dossier_code) > Notification._meta.get_field("dossier_code").max_length:
        raise NotificationError(_("the dossier code is too long"))
    language = language or settings.LANGUAGE_CODE
    if language not in dict(settings.LANGUAGES):
        raise NotificationError(_("unknown language: %(language)s") % {"language": language})
    context = context_check(template=template, context=context)
    rendered = message_render(
        template=template, context=context, channel=channel, language=language
    )
    with transaction.atomic():
        notification = Notification.objects.create(
            channel=channel,
            recipient=recipient,
            language=language,
            template=template,
            context=context,
            subject=rendered.subject,
            body=rendered.body,
            dossier_code=dossier_code,
        )
        # robust: a queue that cannot take the task must not fail the caller's commit; the
        # row stays pending and `notifications send-due` sends it.
        pk = notification.pk
        transaction.on_commit(lambda: _enqueue(pk), robust=True)
    logger.info("notification %s queued (%s, %s)", notification.pk, template, channel)
    return notification


def _enqueue(notification_id: int, run_after: dt.datetime | None = None) -> None:
    from .tasks import notification_send

    task = notification_send
    if run_after is not None:
        task = task.using(run_after=run_after)
    task.enqueue(notification_id)


def retry_delay(attempt: int) -> dt.timedelta:
    """Wait after the ``attempt``-th failed try: MOTCUA_NOTIFY_RETRY_SECONDS, doubled after
    each failure (1, 2, 4, 8 minutes by default), never more than six hours."""
    return min(dt.timedelta(seconds=settings.NOTIFY_RETRY_SECONDS * 2 ** (attempt - 1)),
               _MAX_BACKOFF)


_EMAIL_IN_TEXT = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_PHONE_IN_TEXT = re.compile(r"\+?\d[\d .-]{7,}\d")


def error_describe(exc: BaseException, recipient: str) -> str:
    """What went wrong, for ``last_error`` and the log, without personal data: providers put
    the address they refused in their errors (smtplib's SMTPRecipientsRefused does)."""
    text = f"{type(exc).__name__}: {exc}"
    variants = {recipient}
    if recipient.startswith("0"):
        variants |= {"+84" + recipient[1:], "84" + recipient[1:], recipient[1:]}
    for variant in sorted(variants, key=len, reverse=True):
        text = re.sub(re.escape(variant), "[recipient]", text, flags=re.IGNORECASE)
    text = _EMAIL_IN_TEXT.sub("[email]", text)
    text = _PHONE_IN_TEXT.sub("[phone]", text)
    return text[:_ERROR_MAX_CHARS]


def notification_deliver(*, notification_id: int, now: dt.datetime | None = None) -> str:
    """Claim the notification, send it, record the outcome; the status afterwards, or
    "skipped" when it was not ours to send (sent already, being sent by another worker, or
    not due yet).

    The claim is one conditional UPDATE (pending and due → sending, attempts + 1): the
    database lets exactly one of two concurrent workers change the row, on SQLite and
    PostgreSQL alike, and the loser sends nothing. It must run outside a transaction, so
    the claim is visible before the slow send starts."""
    now = now or timezone.now()
    claimed = Notification.objects.filter(
        pk=notification_id, status=Status.PENDING, next_attempt_at__lte=now
    ).update(status=Status.SENDING, attempts=F("attempts") + 1, claimed_at=now)
    if not claimed:
        return SKIPPED
    notification = Notification.objects.get(pk=notification_id)
    attempt = notification.attempts
    # Only the holder of this claim may record the outcome: if the row was taken back as
    # stuck and claimed again, the later try owns it.
    ours = Notification.objects.filter(pk=notification_id, status=Status.SENDING, attempts=attempt)
    try:
        provider_id = channel_send(notification)
    except Exception as exc:  # any provider failure is retried; the error is recorded
        error = error_describe(exc, notification.recipient)
        max_attempts = settings.NOTIFY_MAX_ATTEMPTS
        if attempt >= max_attempts:
            ours.update(status=Status.FAILED, last_error=error)
            logger.error("notification %s failed for good after %s attempts: %s",
                         notification_id, attempt, error)
            return Status.FAILED
        next_attempt_at = now + retry_delay(attempt)
        ours.update(status=Status.PENDING, next_attempt_at=next_attempt_at, last_error=error)
        logger.warning("notification %s failed (attempt %s of %s), retry at %s: %s",
                       notification_id, attempt, max_attempts, next_attempt_at.isoformat(),
                       error)
        _retry_schedule(notification_id, next_attempt_at)
        return Status.PENDING
    if not ours.update(status=Status.SENT, sent_at=timezone.now(), last_error="",
                       provider_message_id=provider_id[:255]):
        logger.warning("notification %s sent after its claim was taken back as stuck; "
                       "it may reach the recipient twice", notification_id)
    else:
        logger.info("notification %s sent", notification_id)
    return Status.SENT


def _retry_schedule(notification_id: int, when: dt.datetime) -> None:
    """A queue that can wait (the database backend) gets a task for the retry time; the
    immediate backend cannot wait, and `notifications send-due` picks the row up."""
    from .tasks import notification_send

    if notification_send.get_backend().supports_defer:
        transaction.on_commit(lambda: _enqueue(notification_id, when), robust=True)


def notifications_recover_stuck(*, now: dt.datetime | None = None) -> int:
    """Take back notifications left "sending" for longer than MOTCUA_NOTIFY_STUCK_MINUTES (the
    worker was killed or lost its connection): pending again if tries remain, failed if not.
    Whether such a message left is unknown; sending it again is preferred to losing it."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(minutes=settings.NOTIFY_STUCK_MINUTES)
    max_attempts = settings.NOTIFY_MAX_ATTEMPTS
    error = "interrupted while sending (worker stopped); it may or may not have left"
    # The conditions are repeated in each UPDATE: a slow worker may still finish one of these
    # rows meanwhile, and its outcome must stand.
    stuck = Notification.objects.filter(status=Status.SENDING, claimed_at__lt=cutoff)
    with transaction.atomic():
        ids = list(stuck.values_list("pk", flat=True))
        if not ids:
            return 0
        stuck.filter(pk__in=ids, attempts__lt=max_attempts).update(
            status=Status.PENDING, next_attempt_at=now, last_error=error
        )
        stuck.filter(pk__in=ids, attempts__gte=max_attempts).update(
            status=Status.FAILED, last_error=error
        )
    logger.warning("notifications taken back after a stopped send: %s",
                   ", ".join(str(pk) for pk in ids))
    return len(ids)


@dataclass
class SendDueSummary:
    recovered: int = 0
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    skipped: int = 0


def notifications_send_due(
    *, now: dt.datetime | None = None, limit: int = 1000
) -> SendDueSummary:
    """Take back stuck notifications, then send every pending one whose time has come, oldest
    first. Safe to run from several machines at once and as often as wanted: each row is
    claimed before it is sent."""
    summary = SendDueSummary(recovered=notifications_recover_stuck(now=now))
    due_at = now or timezone.now()
    ids = list(
        Notification.objects.filter(status=Status.PENDING, next_attempt_at__lte=due_at)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    for pk in ids:
        # Without a given time each send claims at its own "now", so a long batch does not
        # make its last rows look stuck to a concurrent run.
        outcome = notification_deliver(notification_id=pk, now=now)
        if outcome == Status.SENT:
            summary.sent += 1
        elif outcome == Status.PENDING:
            summary.retrying += 1
        elif outcome == Status.FAILED:
            summary.failed += 1
        else:
            summary.skipped += 1
    return summary
