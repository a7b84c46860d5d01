import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    CENTRAL = "central", _("Central")
    PROVINCE = "province", _("Province")
    COMMUNE = "commune", _("Commune")


class OnlineMode(models.TextChoices):
    FULL = "full", _("Fully online")
    PARTIAL = "partial", _("Partly online")
    NONE = "none", _("In person only")


class SupplementClock(models.TextChoices):
    # Whether time already spent counts after a supplement differs between legal texts
    # (RULES.md): a per-procedure setting, "restart" by default.
    RESTART = "restart", _("Restart from the complete dossier")
    RESUME = "resume", _("Resume: count the time already spent")


class StepRole(models.TextChoices):
    RECEIVER = "receiver", _("One-stop desk officer")
    SPECIALIST = "specialist", _("Specialist")
    LEADER = "leader", _("Leader")


class StepAgency(models.TextChoices):
    COMPETENT = "competent", _("The competent agency of the applicant's commune")
    RECEIVING = "receiving", _("The agency that received the dossier")
    KIND = "kind", _("The agency of a given kind serving the applicant's commune")


class TimeUnit(models.TextChoices):
    DAY = "day", _("working days")
    HALF_DAY = "half_day", _("working half-days")
    HOUR = "hour", _("working hours")


class Field(models.Model):
    """Lĩnh vực: the domain a procedure belongs to (Hộ tịch, Cư trú, Đất đai…)."""

    slug = models.SlugField(max_length=120, unique=True)
    name = models.CharField(_("name"), max_length=200, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("field")
        verbose_name_plural = _("fields")

    def __str__(self):
        return self.name


class LifeEvent(models.Model):
    """A moment in life people recognise ("Có con nhỏ", "Kết hôn") grouping procedures."""

    slug = models.SlugField(max_length=120, unique=True)
    name = models.CharField(_("name"), max_length=200, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=100)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("life event")
        verbose_name_plural = _("life events")

    def __str__(self):
        return self.name


class Procedure(models.Model):
    """The identity of an administrative procedure (TTHC) by its national code. What it says
    lives in its versions, so a dossier keeps the rules it was submitted under."""

    code = models.CharField(_("national code"), max_length=30, unique=True)
    # Order of "most used" on the home page, set by the administrator (0 = not featured).
    popularity = models.PositiveIntegerField(_("popularity"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("procedure")
        verbose_name_plural = _("procedures")

    def __str__(self):
        version = self.current_version()
        return f"{self.code} {version.name if version else ''}".strip()

    def current_version(self, on: dt.date | None = None):
        return (
            self.versions.filter(ProcedureVersion.in_force_q(on or dt.date.today()))
            .order_by("-effective_from")
            .first()
        )


class ProcedureVersion(models.Model):
    procedure = models.ForeignKey(
        Procedure, on_delete=models.CASCADE, related_name="versions",
        verbose_name=_("procedure"),
    )
    effective_from = models.DateField(_("in force from"))
    effective_to = models.DateField(_("in force until"), null=True, blank=True)
    # Set when the first dossier is submitted under this version: from then on it is never
    # edited in place, a change makes a new version.
    is_locked = models.BooleanField(_("locked"), default=False, editable=False)

    name = models.CharField(_("name"), max_length=1000)
    field = models.ForeignKey(
        Field, on_delete=models.PROTECT, related_name="versions", verbose_name=_("field"),
    )
    levels = models.JSONField(_("implementing levels"), default=list)
    agency_name = models.TextField(_("competent agency (as published)"))
    agency_kind = models.ForeignKey(
        "geo.AgencyKind", on_delete=models.PROTECT, related_name="procedure_versions",
        verbose_name=_("kind of competent agency"),
        help_text=_("Dossiers go to the agency of this kind serving the applicant's unit."),
    )
    online_mode = models.CharField(
        _("online service"), max_length=10, choices=OnlineMode.choices, default=OnlineMode.NONE,
    )
    processing_time = models.PositiveIntegerField(_("processing time"))
    processing_time_unit = models.CharField(
        _("unit"), max_length=10, choices=TimeUnit.choices, default=TimeUnit.DAY,
    )
    online_processing_time = models.PositiveIntegerField(
        _("processing time when submitted online"), null=True, blank=True,
        help_text=_("Leave empty when online submission does not shorten it."),
    )
    subjects = models.TextField(_("who can apply"), blank=True)
    eligibility = models.TextField(_("conditions"), blank=True)
    steps = models.JSONField(_("steps"), default=list, blank=True)
    result_name = models.TextField(_("result"), blank=True)
    result_electronic = models.BooleanField(_("electronic result"), default=False)
    legal_basis = models.JSONField(_("legal basis"), default=list, blank=True)
    life_events = models.ManyToManyField(
        LifeEvent, related_name="versions", blank=True, verbose_name=_("life events"),
    )
    form_schema = models.JSONField(
        _("e-form"), default=dict, blank=True,
        help_text=_("The form citizens fill in (JSON Schema with display hints); empty = the "
                    "standard applicant form."),
    )
    supplement_clock = models.CharField(
        _("after a supplement"), max_length=10, choices=SupplementClock.choices,
        default=SupplementClock.RESTART,
    )
    cutoff_time = models.TimeField(
        _("same-day cut-off"), null=True, blank=True,
        help_text=_("Dossiers received after this hour count from the next working day "
                    "(e.g. 15:00 for death registration). Empty = no cut-off."),
    )
    sources = models.JSONField(_("sources"), default=list, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    # Names of the fields whose values are demonstration filler, not from an official source.
    demo_fields = models.JSONField(_("demonstration fields"), default=list, blank=True)

    class Meta:
        ordering = ["procedure__code", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["procedure", "effective_from"], name="one_version_per_start_date",
            ),
        ]
        verbose_name = _("procedure version")
        verbose_name_plural = _("procedure versions")

    def __str__(self):
        return f"{self.procedure.code} ({self.effective_from:%d/%m/%Y}) {self.name}"

    @staticmethod
    def in_force_q(on: dt.date) -> Q:
        return Q(effective_from__lte=on) & (Q(effective_to__isnull=True) | Q(effective_to__gt=on))

    def online_time(self) -> int:
        return self.online_processing_time or self.processing_time


class RequiredDocument(models.Model):
    """Thành phần hồ sơ."""

    version = models.ForeignKey(
        ProcedureVersion, on_delete=models.CASCADE, related_name="documents",
    )
    key = models.SlugField(_("key"), max_length=60)
    name = models.TextField(_("name"))
    form = models.CharField(
        _("original or copy"), max_length=200, blank=True,
        help_text=_("As published, e.g. 'bản chính', 'bản sao chứng thực'."),
    )
    copies = models.PositiveSmallIntegerField(_("copies"), default=1)
    mandatory = models.BooleanField(_("mandatory"), default=True)
    reusable = models.BooleanField(
        _("reusable from registries or earlier results"), default=False,
    )
    template = models.FileField(_("form template"), upload_to="templates/", blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="document_key_per_version"),
        ]
        verbose_name = _("required document")
        verbose_name_plural = _("required documents")

    def __str__(self):
        return self.name[:80]


class ProcessStep(models.Model):
    """One step of how a procedure version is processed once a dossier is accepted: who
    (role), where (which agency) and its share of the total time."""

    version = models.ForeignKey(
        ProcedureVersion, on_delete=models.CASCADE, related_name="process_steps",
    )
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=12, choices=StepRole.choices)
    agency_rule = models.CharField(
        _("agency"), max_length=10, choices=StepAgency.choices, default=StepAgency.COMPETENT,
    )
    agency_kind = models.ForeignKey(
        "geo.AgencyKind", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("kind of agency"), help_text=_("Only when the agency is given by kind."),
    )
    share = models.PositiveSmallIntegerField(
        _("share of the time (%)"), default=0,
        help_text=_("Shares of a version's steps add up to 100."),
    )

    class Meta:
        ordering = ["version", "position"]
        verbose_name = _("process step")
        verbose_name_plural = _("process steps")

    def __str__(self):
        return self.name


class BundleMember(models.Model):
    """A procedure inside a linked bundle (liên thông): one submission makes one dossier per
    member, at the member's own competent agency (NĐ 63/2024)."""

    version = models.ForeignKey(
        ProcedureVersion, on_delete=models.CASCADE, related_name="bundle_members",
    )
    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="+")
    optional = models.BooleanField(_("the applicant may leave it out"), default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["version", "position"]
        verbose_name = _("bundle member")
        verbose_name_plural = _("bundle members")

    def __str__(self):
        return self.procedure.code


class FeeKind(models.TextChoices):
    FIXED = "fixed", _("Fixed amount")
    PER_COPY = "per_copy", _("Per copy")
    RULE = "rule", _("By rule")
    FREE = "free", _("Free of charge")


class Fee(models.Model):
    """Phí, lệ phí of a procedure version. Amounts are integers of đồng."""

    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="fees")
    name = models.TextField(_("name"))
    kind = models.CharField(_("kind"), max_length=10, choices=FeeKind.choices)
    amount = models.PositiveBigIntegerField(_("amount (đồng)"), null=True, blank=True)
    online_amount = models.PositiveBigIntegerField(
        _("amount when paid online (đồng)"), null=True, blank=True,
    )
    rule = models.TextField(_("rule"), blank=True)
    exempt_groups = models.JSONField(_("exempt groups"), default=list, blank=True)
    note = models.TextField(_("note"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["version", "position"]
        verbose_name = _("fee")
        verbose_name_plural = _("fees")

    def __str__(self):
        return self.name


class CatalogState(models.Model):
    """One row: a generation number bumped whenever the catalogue changes, so every web
    process knows when its in-memory search index is stale."""

    generation = models.PositiveBigIntegerField(default=0)

    def __str__(self):
        return f"catalogue generation {self.generation}"


class SearchSynonym(models.Model):
    """Words people use for what the catalogue calls otherwise: "bằng lái" for "giấy phép lái
    xe", "sổ đỏ" for the land-use certificate. Matching ignores case and diacritics."""

    phrase = models.CharField(_("what people type"), max_length=100, unique=True)
    replacement = models.CharField(_("catalogue words"), max_length=200)

    class Meta:
        ordering = ["phrase"]
        verbose_name = _("search synonym")
        verbose_name_plural = _("search synonyms")

    def __str__(self):
        return f"{self.phrase} → {self.replacement}"
