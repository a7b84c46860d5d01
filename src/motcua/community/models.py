"""Community digital technology teams (Tổ công nghệ số cộng đồng): the teams of a commune and
their members, the households of each village, the visits members log, their duty at the
one-stop desk and its allowance, training, help with a dossier, and evaluation.

Every write goes through services.py; figures are read in selectors.py."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

PHONE_RE = r"^0[0-9]{9}$"
phone_validator = RegexValidator(PHONE_RE, _("Enter a 10-digit phone number starting with 0."))


class TeamRole(models.TextChoices):
    LEADER = "leader", _("Team leader")
    DEPUTY = "deputy", _("Deputy leader")
    MEMBER = "member", _("Member")


class Background(models.TextChoices):
    """Where members come from (seed reports: village heads, commune police, the youth union,
    digital-technology businesses)."""

    VILLAGE_HEAD = "village_head", _("Head of village or residential group")
    POLICE = "police", _("Commune police")
    YOUTH_UNION = "youth_union", _("Youth union")
    MASS_ORGANISATION = "mass_organisation", _("Women's, farmers' or veterans' association")
    OFFICIAL = "official", _("Commune official")
    BUSINESS = "business", _("Digital technology business")
    VOLUNTEER = "volunteer", _("Resident volunteer")


class Skill(models.TextChoices):
    """The five basic digital skills members teach door to door."""

    PUBLIC_SERVICES = "public_services", _("Online public services")
    SHOPPING = "shopping", _("Online shopping")
    PAYMENT = "payment", _("Online payment")
    SAFETY = "safety", _("Staying safe online")
    PLATFORMS = "platforms", _("Other local digital platforms")


class Team(models.Model):
    """One team per village or residential group (``village``), or the commune's own team
    (``village`` empty)."""

    commune = models.ForeignKey("geo.Unit", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("commune"))
    village = models.ForeignKey("geo.Unit", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+", verbose_name=_("village or residential group"))
    name = models.CharField(_("name"), max_length=200)
    phone = models.CharField(_("contact phone"), max_length=10, blank=True,
                             validators=[phone_validator])
    desk = models.ForeignKey("geo.ServiceDesk", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+", verbose_name=_("one-stop desk on duty"))
    founded_on = models.DateField(_("founded on"))
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["commune", "name"]
        constraints = [
            models.UniqueConstraint(fields=["village"], condition=Q(dissolved_on__isnull=True),
                                    name="one_active_team_per_village"),
            models.UniqueConstraint(fields=["commune"],
                                    condition=Q(village__isnull=True, dissolved_on__isnull=True),
                                    name="one_active_commune_team"),
        ]
        verbose_name = _("community digital technology team")
        verbose_name_plural = _("community digital technology teams")

    def __str__(self):
        return self.name


class Member(models.Model):
    """A person on a team for a period. ``user`` is the account they log in with; the role in
    the team is what they may do (a leader plans the team's duty roster)."""

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="members",
                             verbose_name=_("team"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.PROTECT, related_name="community_memberships",
                             verbose_name=_("account"))
    full_name = models.CharField(_("full name"), max_length=150)
    phone = models.CharField(_("phone"), max_length=10, blank=True, validators=[phone_validator])
    role = models.CharField(_("role in the team"), max_length=10, choices=TeamRole.choices,
                            default=TeamRole.MEMBER)
    background = models.CharField(_("background"), max_length=20, choices=Background.choices,
                                  default=Background.VOLUNTEER)
    skills = models.JSONField(_("skills"), default=list, blank=True)
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["team", "left_on", "role", "full_name"]
        constraints = [
            models.UniqueConstraint(fields=["user"],
                                    condition=Q(left_on__isnull=True, user__isnull=False),
                                    name="one_active_membership_per_account"),
        ]
        indexes = [models.Index(fields=["team", "left_on"])]
        verbose_name = _("team member")
        verbose_name_plural = _("team members")

    def __str__(self):
        return self.full_name

    @property
    def is_active(self) -> bool:
        return self.left_on is None

    @property
    def is_leader(self) -> bool:
        return self.role in (TeamRole.LEADER, TeamRole.DEPUTY)


class LocalRules(models.Model):
    """What a province or a commune decides for its teams; empty fields fall back to the unit
    above, then to the settings (MOTCUA_TEAM_MIN_MEMBERS, MOTCUA_TEAM_MAX_MEMBERS,
    MOTCUA_ALLOWANCE_PER_SESSION)."""

    unit = models.OneToOneField("geo.Unit", on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("province or commune"))
    min_members = models.PositiveSmallIntegerField(_("fewest members"), null=True, blank=True)
    max_members = models.PositiveSmallIntegerField(_("most members"), null=True, blank=True)
    allowance_per_session = models.PositiveIntegerField(
        _("allowance per attended session (đồng)"), null=True, blank=True)

    class Meta:
        verbose_name = _("local rules for teams")
        verbose_name_plural = _("local rules for teams")

    def __str__(self):
        return str(self.unit)


class Household(models.Model):
    """A household of a village, as the team keeps its list to go door to door."""

    village = models.ForeignKey("geo.Unit", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("village or residential group"))
    head_name = models.CharField(_("head of household"), max_length=150)
    address = models.CharField(_("address"), max_length=255)
    phone = models.CharField(_("phone"), max_length=10, blank=True, validators=[phone_validator])
    people = models.PositiveSmallIntegerField(_("people in the household"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["village", "address", "head_name"]
        verbose_name = _("household")
        verbose_name_plural = _("households")

    def __str__(self):
        return f"{self.head_name} · {self.address}"


class Visit(models.Model):
    """One visit a member logged: where, what was done, which skills were taught."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="visits")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="visits")
    household = models.ForeignKey(Household, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="visits", verbose_name=_("household"))
    at = models.DateTimeField(_("when"), db_index=True)
    people_helped = models.PositiveSmallIntegerField(_("people helped"), default=1)
    vneid_installed = models.BooleanField(_("VNeID installed"), default=False)
    vneid_level2 = models.BooleanField(_("VNeID activated to level 2"), default=False)
    service_account = models.BooleanField(_("Public-service account created"), default=False)
    dossier_online = models.BooleanField(_("Dossier submitted online with help"), default=False)
    cashless = models.BooleanField(_("Cashless payment set up"), default=False)
    skills = models.JSONField(_("skills taught"), default=list, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    # The form's key: a second post of the same form (double click, resent draft) finds the
    # visit already logged instead of logging it twice.
    idempotency_key = models.CharField(max_length=64)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["member", "idempotency_key"],
                                    name="one_visit_per_form"),
        ]
        indexes = [models.Index(fields=["team", "at"]), models.Index(fields=["member", "at"])]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")

    def __str__(self):
        return f"{self.member} {self.at:%d/%m/%Y}"


class Period(models.TextChoices):
    MORNING = "morning", pgettext_lazy("shift", "Morning")
    AFTERNOON = "afternoon", pgettext_lazy("shift", "Afternoon")


class Shift(models.Model):
    """A half day a team takes its turn at the one-stop desk."""

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="shifts")
    desk = models.ForeignKey("geo.ServiceDesk", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("one-stop desk"))
    day = models.DateField(_("day"))
    period = models.CharField(_("shift"), max_length=10, choices=Period.choices)
    places = models.PositiveSmallIntegerField(_("members needed"), default=2)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["day", "period", "team"]
        constraints = [
            models.UniqueConstraint(fields=["team", "desk", "day", "period"],
                                    name="one_shift_per_team_and_half_day"),
        ]
        indexes = [models.Index(fields=["desk", "day"])]
        verbose_name = _("duty shift")
        verbose_name_plural = _("duty shifts")

    def __str__(self):
        return f"{self.team} {self.day:%d/%m/%Y} {self.get_period_display()}"


class SignupStatus(models.TextChoices):
    SIGNED_UP = "signed_up", _("Signed up")
    CHECKED_IN = "checked_in", _("Checked in, to be confirmed")
    ATTENDED = "attended", _("Attended (confirmed)")
    ABSENT = "absent", _("Absent")
    CANCELLED = "cancelled", _("Cancelled")


class ConfirmMethod(models.TextChoices):
    DESK = "desk", _("Confirmed by the desk official")
    QR = "qr", _("Desk QR code scanned, confirmed by the desk official")


class Signup(models.Model):
    """A member's turn on a shift. Only an attendance the desk official confirmed counts
    towards the allowance."""

    shift = models.ForeignKey(Shift, on_delete=models.PROTECT, related_name="signups")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="signups")
    status = models.CharField(max_length=12, choices=SignupStatus.choices,
                              default=SignupStatus.SIGNED_UP)
    signed_up_at = models.DateTimeField(default=timezone.now)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    method = models.CharField(max_length=4, choices=ConfirmMethod.choices, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["shift", "signed_up_at"]
        constraints = [
            models.UniqueConstraint(fields=["shift", "member"], name="one_signup_per_shift"),
        ]
        verbose_name = _("shift sign-up")
        verbose_name_plural = _("shift sign-ups")

    def __str__(self):
        return f"{self.member} · {self.shift}"


class AllowanceStatement(models.Model):
    """A commune's monthly allowance statement, frozen when issued: the rate and each
    member's attended sessions as they stood, so a paid statement never changes."""

    commune = models.ForeignKey("geo.Unit", on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("month"))  # the first day of the month
    rate = models.PositiveIntegerField(_("allowance per session (đồng)"))
    total = models.PositiveBigIntegerField(_("total (đồng)"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+")
    issued_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-month", "commune"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "month"], name="one_statement_per_month"),
        ]
        verbose_name = _("allowance statement")
        verbose_name_plural = _("allowance statements")

    def __str__(self):
        return f"{self.commune} {self.month:%m/%Y}"


class AllowanceLine(models.Model):
    statement = models.ForeignKey(AllowanceStatement, on_delete=models.CASCADE,
                                  related_name="lines")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    team_name = models.CharField(max_length=200)
    full_name = models.CharField(max_length=150)
    sessions = models.PositiveSmallIntegerField()
    amount = models.PositiveBigIntegerField()

    class Meta:
        ordering = ["statement", "team_name", "full_name"]
        constraints = [
            models.UniqueConstraint(fields=["statement", "member"], name="one_line_per_member"),
        ]

    def __str__(self):
        return f"{self.full_name} {self.sessions}"


class CourseMode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online open course (MOOC)")


class Course(models.Model):
    title = models.CharField(_("title"), max_length=255)
    provider = models.CharField(_("organised by"), max_length=255)
    mode = models.CharField(_("mode"), max_length=10, choices=CourseMode.choices)
    url = models.URLField(_("course address"), blank=True)
    hours = models.PositiveSmallIntegerField(_("hours"), default=4)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    description = models.TextField(_("what it teaches"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_on", "title"]
        verbose_name = _("training course")
        verbose_name_plural = _("training courses")

    def __str__(self):
        return self.title


class Completion(models.Model):
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="completions")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="completions")
    completed_on = models.DateField(_("completed on"))
    certificate = models.CharField(_("certificate number"), max_length=60, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-completed_on"]
        constraints = [
            models.UniqueConstraint(fields=["course", "member"], name="one_completion_per_course"),
        ]
        verbose_name = _("course completion")
        verbose_name_plural = _("course completions")

    def __str__(self):
        return f"{self.member} · {self.course}"


class Measure(models.TextChoices):
    """What the evaluation counts for a member in a period."""

    ACTIVITY = "activity_days", _("Activity frequency (days with a logged visit)")
    PEOPLE = "people_helped", _("People helped")
    DOSSIERS = "dossiers_assisted", _("Dossiers submitted with the member's help")
    ATTENDANCE = "sessions_attended", _("Desk sessions attended (confirmed)")
    TRAINING = "courses_completed", _("Training courses completed (to date)")


class CriteriaSet(models.Model):
    """Evaluation criteria in force from ``valid_from``: the newest one that started before a
    period is that period's."""

    name = models.CharField(_("name"), max_length=200)
    valid_from = models.DateField(_("in force from"), unique=True)
    recognition_threshold = models.PositiveSmallIntegerField(
        _("score proposed for recognition"), default=80,
        help_text=_("Teams and members at or above this score (of 100) are proposed."))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = _("evaluation criteria")
        verbose_name_plural = _("evaluation criteria")

    def __str__(self):
        return self.name


class Criterion(models.Model):
    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE,
                                     related_name="criteria")
    measure = models.CharField(_("measure"), max_length=20, choices=Measure.choices)
    weight = models.PositiveSmallIntegerField(_("weight (points)"))
    target = models.PositiveSmallIntegerField(
        _("target"), help_text=_("The value that earns every point: per month, or in all for "
                                 "training."))

    class Meta:
        ordering = ["criteria_set", "id"]
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "measure"],
                                    name="one_criterion_per_measure"),
        ]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")

    def __str__(self):
        return f"{self.get_measure_display()} ({self.weight})"


class AssistMode(models.TextChoices):
    OWN_ACCOUNT = "own_account", _("On the citizen's own account, on their phone")
    ON_BEHALF = "on_behalf", _("On the citizen's behalf, with their consent by code")


class AssistStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the code")
    CONFIRMED = "confirmed", _("Confirmed")
    LOCKED = "locked", _("Too many wrong codes")
    CANCELLED = "cancelled", _("Cancelled")


class Assistance(models.Model):
    """A member helping a citizen with a dossier. On the citizen's own account, the citizen
    types the member's pairing code on their phone; on the citizen's behalf, the citizen reads
    back the code sent to their phone. Either way the code is stored only as a keyed hash,
    expires, and allows a few tries."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="assistances")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+")
    mode = models.CharField(max_length=12, choices=AssistMode.choices)
    procedure_version = models.ForeignKey("catalog.ProcedureVersion", on_delete=models.PROTECT,
                                          related_name="+", verbose_name=_("procedure"))
    citizen = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    citizen_name = models.CharField(_("citizen's full name"), max_length=150, blank=True)
    citizen_national_id = models.CharField(_("personal identification number"), max_length=12,
                                           blank=True)
    citizen_phone = models.CharField(_("citizen's mobile phone"), max_length=10, blank=True)
    citizen_unit = models.ForeignKey("geo.Unit", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    household = models.ForeignKey(Household, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    code_hash = models.CharField(max_length=64)
    # A pairing code is looked up by its hash (the citizen types it); a consent code is
    # checked against the one assistance it was sent for.
    lookup = models.CharField(max_length=64, blank=True, db_index=True)
    code_expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    codes_sent = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=10, choices=AssistStatus.choices,
                              default=AssistStatus.PENDING)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    dossier = models.OneToOneField("dossiers.Dossier", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="assistance")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("assisted submission")
        verbose_name_plural = _("assisted submissions")

    def __str__(self):
        return f"{self.member} · {self.get_mode_display()}"


class AssistedSubmission(models.Model):
    """A submitted dossier whose submit event says a member helped: written from that event,
    in its transaction, so the team's figures and the dossier statistics count the same."""

    dossier = models.OneToOneField("dossiers.Dossier", on_delete=models.PROTECT,
                                   related_name="+")
    event = models.OneToOneField("dossiers.DossierEvent", on_delete=models.PROTECT,
                                 related_name="+")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="submissions")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="submissions")
    mode = models.CharField(max_length=12, choices=AssistMode.choices)
    submitted_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-submitted_at"]
        indexes = [models.Index(fields=["team", "submitted_at"])]

    def __str__(self):
        return f"{self.dossier_id} · {self.member}"
