"""How a notification leaves the building: email through Django's mail backend, SMS through the
gateway named by ``MOTCUA_SMS_GATEWAY``. Each channel returns the provider's id for the message
and raises when the provider did not take it."""

from __future__ import annotations

import abc
import datetime as dt
import os
import uuid
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.mail import EmailMessage, make_msgid
from django.utils.module_loading import import_string

from .models import Channel, Notification
from .rendering import SMS_MAX_CHARS


class SmsGateway(abc.ABC):
    """What an SMS provider adapter must do. ``send`` returns the provider's id for the message
    and raises (any exception) when the provider did not accept it; the outbox retries."""

    @abc.abstractmethod
    def send(self, phone: str, text: str) -> str: ...


class FileSmsGateway(SmsGateway):
    """The embedded gateway: no SMS leaves the machine. Each message is appended as one line to
    ``MOTCUA_SMS_OUTBOX`` (default ``var/sms/outbox.log``) — time, id, phone, text, separated by
    tabs — so a developer or a demo can read what would have been sent."""

    def __init__(self, path: str | os.PathLike | None = None):
        self.path = Path(path or settings.SMS_OUTBOX)

    def send(self, phone: str, text: str) -> str:
        provider_id = f"file-{uuid.uuid4().hex}"
        stamp = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        line = "\t".join((stamp, provider_id, phone, " ".join(text.split()))) + "\n"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # One write() to a file opened for appending: lines from concurrent workers never
        # interleave.
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, line.encode("ascii"))
        finally:
            os.close(fd)
        return provider_id


@cache
def _gateway_class(path: str) -> type[SmsGateway]:
    cls = import_string(path)
    if not (isinstance(cls, type) and issubclass(cls, SmsGateway)):
        raise TypeError(f"MOTCUA_SMS_GATEWAY={path} is not an SmsGateway")
    return cls


def sms_gateway() -> SmsGateway:
    return _gateway_class(settings.SMS_GATEWAY)()


def email_send(notification: Notification) -> str:
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip("> ") or None
    message_id = make_msgid(domain=domain)
    EmailMessage(
        subject=notification.subject,
        body=notification.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.recipient],
        headers={"Message-ID": message_id},
    ).send(fail_silently=False)
    return message_id


def sms_send(notification: Notification) -> str:
    # The renderer guarantees it; a gateway must never be handed a text that splits.
    if len(notification.body) > SMS_MAX_CHARS or not notification.body.isascii():
        raise ValueError("SMS text is not 160 plain characters")
    return sms_gateway().send(notification.recipient, notification.body)


def channel_send(notification: Notification) -> str:
    """Hand the notification to its channel; the provider's message id."""
    if notification.channel == Channel.EMAIL:
        return email_send(notification)
    if notification.channel == Channel.SMS:
        return sms_send(notification)
    raise ValueError(f"unknown channel {notification.channel!r}")
