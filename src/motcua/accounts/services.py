"""Accounts: citizens register with their personal identification number; API tokens."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import ApiToken, Kind, User, validate_national_id


class AccountError(Exception):
    def __init__(self, message, code="invalid", fields=None):
        super().__init__(str(message))
        self.message = str(message)
        self.code = code
        self.fields = fields or {}


@transaction.atomic
def citizen_register(*, national_id: str, password: str, full_name: str, phone: str,
                     email: str = "", unit=None) -> User:
    national_id = (national_id or "").strip()
    fields: dict[str, list[str]] = {}
    try:
        validate_national_id(national_id)
    except ValidationError as exc:
        fields["national_id"] = list(exc.messages)
    user = User(username=national_id, national_id=national_id, full_name=(full_name or "").strip(),
                phone=(phone or "").strip(), email=(email or "").strip(), unit=unit,
                kind=Kind.CITIZEN)
    try:
        user.full_clean(exclude=["password", "username", "national_id"])
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            fields.setdefault(key, []).extend(messages)
    if not user.full_name:
        fields.setdefault("full_name", []).append(_("Enter your full name."))
    try:
        validate_password(password, user)
    except ValidationError as exc:
        fields["password"] = list(exc.messages)
    if fields:
        raise AccountError(_("Please correct the marked fields."), fields=fields)
    if User.objects.filter(username=national_id).exists():
        raise AccountError(_("An account with this identification number already exists. "
                             "Log in, or ask a one-stop desk to help you recover it."),
                           "exists", fields={"national_id": [_("Already registered.")]})
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        raise AccountError(_("An account with this identification number already exists."),
                           "exists") from None
    return user


def token_issue(*, request, username: str, password: str) -> str:
    """A new API token for valid credentials; failures count towards the lockout."""
    user = authenticate(request=request, username=username, password=password)
    if user is None or not user.is_active:
        raise AccountError(_("Wrong identification number or password."), "invalid_credentials")
    raw = ApiToken.new_raw()
    ApiToken.objects.create(
        user=user, key_hash=ApiToken.hash(raw),
        expires_at=timezone.now() + dt.timedelta(days=settings.API_TOKEN_DAYS),
    )
    return raw


def token_user(raw: str) -> User | None:
    if not raw:
        return None
    token = (
        ApiToken.objects.select_related("user").filter(key_hash=ApiToken.hash(raw))
        .first()
    )
    now = timezone.now()
    if token is None or token.expires_at <= now or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
