import hashlib
import secrets

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Số định danh cá nhân: 12 digits. The first three encode the province of birth registration
# (001–096), the fourth century and sex (0–9), the next two the year of birth.
NATIONAL_ID_RE = r"^[0-9]{12}$"
PHONE_RE = r"^0[0-9]{9}$"


def validate_national_id(value: str) -> None:
    if not value or len(value) != 12 or not value.isdigit():
        raise ValidationError(_("Enter the 12-digit personal identification number."),
                              code="national_id")
    province = int(value[:3])
    if not 1 <= province <= 96:
        raise ValidationError(_("The first three digits must be a province code (001–096)."),
                              code="national_id_province")


class Kind(models.TextChoices):
    CITIZEN = "citizen", _("Citizen")
    OFFICIAL = "official", _("Official")


class User(AbstractUser):
    """Citizens log in with their personal identification number; officials with the user
    name the administrator gave them."""

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.CITIZEN)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    national_id = models.CharField(
        _("personal identification number"), max_length=12, unique=True, null=True,
        blank=True, validators=[validate_national_id],
    )
    phone = models.CharField(
        _("phone"), max_length=10, blank=True,
        validators=[RegexValidator(PHONE_RE, _("Enter a 10-digit phone number starting with 0."))],
    )
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    unit = models.ForeignKey(
        "geo.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("commune of residence"),
    )

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.full_name or self.username

    @property
    def is_citizen(self) -> bool:
        return self.kind == Kind.CITIZEN

    @property
    def is_official(self) -> bool:
        return self.kind == Kind.OFFICIAL


class Role(models.TextChoices):
    RECEIVER = "receiver", _("One-stop desk officer")
    SPECIALIST = "specialist", _("Specialist")
    LEADER = "leader", _("Leader")
    ADMIN = "admin", _("Administrator")


class OfficialRole(models.Model):
    """What an official may do, and where: a role in one agency (at one of its desks for a
    receiver). Least privilege: an official sees and acts only through these rows."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    agency = models.ForeignKey("geo.Agency", on_delete=models.CASCADE, related_name="officials")
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)
    desk = models.ForeignKey(
        "geo.ServiceDesk", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("one-stop desk"),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "agency", "role"], name="one_role_per_agency"),
        ]
        verbose_name = _("official role")
        verbose_name_plural = _("official roles")

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.agency}"


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 is stored: a database leak gives no
    working token."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.user} ({self.created_at:%d/%m/%Y})"

    @staticmethod
    def hash(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @staticmethod
    def new_raw() -> str:
        return secrets.token_urlsafe(32)
