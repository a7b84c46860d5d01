"""The dossier aggregate. Status changes only through services (services.py), each writing
exactly one DossierEvent in the same transaction: reports are derived from the events."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Status(models.IntegerChoices):
    """The national synchronisation codes (1–10) with their official names; 0 is our draft,
    never synchronised."""

    DRAFT = 0, pgettext_lazy("dossier status", "Draft")
    NEW = 1, pgettext_lazy("dossier status", "Newly submitted")
    RECEIVED = 2, pgettext_lazy("dossier status", "Received")
    REJECTED = 3, pgettext_lazy("dossier status", "Not received")
    PROCESSING = 4, pgettext_lazy("dossier status", "Being processed")
    SUPPLEMENT = 5, pgettext_lazy("dossier status", "Supplement requested")
    PAYMENT = 6, pgettext_lazy("dossier status", "Payment requested")
    WITHDRAWN = 7, pgettext_lazy("dossier status", "Withdrawn by the applicant")
    STOPPED = 8, pgettext_lazy("dossier status", "Processing stopped")
    RESOLVED = 9, pgettext_lazy("dossier status", "Processed")
    RETURNED = 10, pgettext_lazy("dossier status", "Result returned")


OPEN_STATUSES = (Status.NEW, Status.RECEIVED, Status.PROCESSING, Status.SUPPLEMENT,
                 Status.PAYMENT)
CLOSED_STATUSES = (Status.REJECTED, Status.WITHDRAWN, Status.STOPPED, Status.RESOLVED,
                   Status.RETURNED)


class Channel(models.TextChoices):
    ONLINE = "online", _("Online")
    IN_PERSON = "in_person", _("In person")
    POST = "post", _("By post")


class Outcome(models.TextChoices):
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")


class Timeliness(models.TextChoices):
    EARLY = "early", _("Early")
    ON_TIME = "on_time", _("On time")
    LATE = "late", _("Late")


class DossierBundle(models.Model):
    """One submission of linked procedures (liên thông): the citizen sees one bundle, each
    agency its own dossier with its own code, status and deadline."""

    code = models.CharField(_("bundle code"), max_length=40, unique=True)
    procedure_version = models.ForeignKey(
        "catalog.ProcedureVersion", on_delete=models.PROTECT, related_name="+",
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="dossier_bundles",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("dossier bundle")
        verbose_name_plural = _("dossier bundles")

    def __str__(self):
        return self.code


class Dossier(models.Model):
    code = models.CharField(_("dossier code"), max_length=40, unique=True, null=True,
                            blank=True)
    procedure_version = models.ForeignKey(
        "catalog.ProcedureVersion", on_delete=models.PROTECT, related_name="dossiers",
        verbose_name=_("procedure"),
    )
    bundle = models.ForeignKey(
        DossierBundle, null=True, blank=True, on_delete=models.PROTECT, related_name="dossiers",
    )
    status = models.PositiveSmallIntegerField(_("status"), choices=Status.choices,
                                              default=Status.DRAFT, db_index=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices,
                               default=Channel.ONLINE)

    # Who applies: an account, or a person who walked in without one.
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="dossiers", verbose_name=_("applicant account"),
    )
    applicant_name = models.CharField(_("applicant"), max_length=150, blank=True)
    applicant_national_id = models.CharField(_("personal identification number"),
                                             max_length=12, blank=True)
    applicant_phone = models.CharField(_("phone"), max_length=10, blank=True)
    applicant_email = models.EmailField(_("email"), blank=True)
    applicant_address = models.CharField(_("address"), max_length=255, blank=True)
    applicant_unit = models.ForeignKey(
        "geo.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("commune of residence"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    form_data = models.JSONField(_("form"), default=dict, blank=True)
    form_step = models.PositiveSmallIntegerField(default=0)

    # Routing: where it was received, and the agency competent to decide it.
    receiving_desk = models.ForeignKey(
        "geo.ServiceDesk", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("received at"),
    )
    receiving_agency = models.ForeignKey(
        "geo.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("receiving agency"),
    )
    competent_agency = models.ForeignKey(
        "geo.Agency", null=True, blank=True, on_delete=models.PROTECT,
        related_name="dossiers", verbose_name=_("competent agency"),
    )
    current_step = models.ForeignKey(
        "DossierStep", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
    )

    # Time. received_at is the official time of receipt; due_at the appointment in force;
    # original_due_at the first one, against which lateness is judged even after an apology.
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    received_at = models.DateTimeField(_("received"), null=True, blank=True, db_index=True)
    due_at = models.DateTimeField(_("appointment"), null=True, blank=True, db_index=True)
    original_due_at = models.DateTimeField(null=True, blank=True)
    paused_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(_("processed"), null=True, blank=True)
    returned_at = models.DateTimeField(_("result returned"), null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    apology_count = models.PositiveSmallIntegerField(default=0)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)
    # Where the clock stood when a supplement was requested: the status to go back to.
    resume_status = models.PositiveSmallIntegerField(null=True, blank=True)
    # The hash of the dossier's last event: the end of its chain (audit.py), so deleting the
    # newest events is detected as surely as editing any of them.
    last_event_hash = models.CharField(max_length=64, blank=True, editable=False)

    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["competent_agency", "status", "due_at"]),
            models.Index(fields=["receiving_agency", "status", "submitted_at"]),
            models.Index(fields=["applicant", "status"]),
        ]
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")

    def __str__(self):
        return self.code or f"#{self.pk}"

    @property
    def status_label(self) -> str:
        return Status(self.status).label

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class DossierStep(models.Model):
    """A step a dossier went through: who had it, where, from when to when, and whether it
    was handed on early, on time or late — the process control sheet (form 06)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(_("step"), max_length=200)
    role = models.CharField(_("role"), max_length=12)
    agency = models.ForeignKey("geo.Agency", on_delete=models.PROTECT, related_name="+")
    # A step of the procedure's process (not a coordination or the return of the result).
    is_planned = models.BooleanField(default=True)
    # Its clock is stopped: the applicant was asked for a supplement.
    is_paused = models.BooleanField(default=False)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    started_at = models.DateTimeField()
    due_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    finished_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    timeliness = models.CharField(max_length=10, choices=Timeliness.choices, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["dossier", "started_at", "id"]
        # A queue is the unfinished, running steps of an agency and role, due first: one
        # index range, already in order, also counted from the index alone.
        indexes = [models.Index(fields=["agency", "role", "finished_at", "is_paused", "due_at"],
                                name="step_queue")]
        verbose_name = _("dossier step")
        verbose_name_plural = _("dossier steps")

    def __str__(self):
        return f"{self.dossier} · {self.name}"


class DossierEvent(models.Model):
    """Append-only: who did what to a dossier, when and why. Never updated, never deleted."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    actor_role = models.CharField(max_length=12, blank=True)
    agency = models.ForeignKey(
        "geo.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
    )
    action = models.CharField(max_length=40)
    from_status = models.PositiveSmallIntegerField(null=True, blank=True)
    to_status = models.PositiveSmallIntegerField(null=True, blank=True)
    reason = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    # Each event's hash covers its content and the previous event's hash (audit.py).
    prev_hash = models.CharField(max_length=64, blank=True, editable=False)
    hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["dossier", "at", "id"]
        verbose_name = _("dossier event")
        verbose_name_plural = _("dossier events")

    def __str__(self):
        return f"{self.dossier} {self.action} {self.at:%d/%m/%Y %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("dossier events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("dossier events are append-only")


class CodeSequence(models.Model):
    """Last dossier number given by an agency on a day: codes are gap-free per agency and
    day because the increment commits or rolls back with the dossier."""

    agency = models.ForeignKey("geo.Agency", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "day"], name="one_sequence_per_agency_day"),
        ]

    def __str__(self):
        return f"{self.agency_id} {self.day} {self.last}"


class Attachment(models.Model):
    """A document of a dossier, matched to a required document of the procedure."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="attachments")
    document_key = models.SlugField(_("required document"), max_length=60)
    file = models.FileField(_("file"), max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    pages = models.PositiveIntegerField(null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    # Uploaded in answer to a supplement request (kept apart so the official sees what is new).
    for_supplement = models.BooleanField(default=False)

    class Meta:
        ordering = ["dossier", "document_key", "uploaded_at"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.original_name


class Satisfaction(models.IntegerChoices):
    VERY_SATISFIED = 1, _("Very satisfied")
    SATISFIED = 2, _("Satisfied")
    NOT_SATISFIED = 3, _("Not satisfied")


class Rating(models.Model):
    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="rating")
    level = models.PositiveSmallIntegerField(_("satisfaction"), choices=Satisfaction.choices)
    comment = models.TextField(_("comment"), blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")

    def __str__(self):
        return f"{self.dossier} {self.get_level_display()}"
