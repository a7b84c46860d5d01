from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")


class Status(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Notification(models.Model):
    """One message to one recipient: the outbox row. It is written in the transaction of the
    change it announces, so a rolled-back change leaves no message; subject and body are
    rendered then, so the row keeps exactly what was sent even if a template changes later.

    ``recipient`` is personal data: it is shown to administrators but never written to logs or
    to ``last_error``."""

    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    recipient = models.CharField(_("recipient"), max_length=254)
    language = models.CharField(_("language"), max_length=10)
    template = models.CharField(_("template"), max_length=50)
    context = models.JSONField(_("context"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    body = models.TextField(_("body"))
    dossier_code = models.CharField(_("dossier code"), max_length=50, blank=True, db_index=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING,
    )
    # Counts the tries started; it doubles as the claim token, so a worker whose claim was
    # taken back (it ran past the stuck limit) cannot overwrite the outcome of a later try.
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    provider_message_id = models.CharField(_("provider message id"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            # The sender's question: what is pending and due now, oldest first.
            models.Index(fields=["status", "next_attempt_at"], name="notification_due_idx"),
        ]

    def __str__(self):
        # No recipient here: __str__ ends up in admin logs and error reports.
        return f"#{self.pk} {self.template} ({self.channel})"
