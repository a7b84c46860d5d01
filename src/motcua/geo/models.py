from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.core.workdays import periods_from_pairs

# National electronic identifier of an agency (mã định danh điện tử), e.g. 000.00.20.H36.
AGENCY_CODE_RE = r"^[0-9A-Z]{2,3}\.[0-9A-Z]{2}\.[0-9A-Z]{2}\.[A-Z][0-9]{2}$"


def validate_working_periods(value):
    """A desk's office hours: [["07:30", "11:30"], ["13:30", "17:00"]], or [] for the
    province's."""
    if value in (None, []):
        return
    try:
        if not isinstance(value, list):
            raise TypeError(value)
        periods_from_pairs(value)
    except (TypeError, ValueError) as exc:
        raise ValidationError(
            _('Write the periods as ["HH:MM", "HH:MM"] pairs in the order of the day, '
              'without overlaps, e.g. [["07:30", "11:30"], ["13:30", "17:00"]].'),
            code="working_periods",
        ) from exc


class Unit(models.Model):
    """An administrative unit. The hierarchy is data of any depth: province → commune/ward/
    special zone → village/residential group; nothing assumes three fixed levels."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    division_type = models.CharField(_("division type"), max_length=50)
    codename = models.CharField(max_length=200, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children",
        verbose_name=_("parent unit"),
    )
    # Materialised path of codes ("25/07900/"), so a whole subtree is one indexed prefix query.
    path = models.CharField(max_length=255, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["path"]
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.depth = self.parent.depth + 1 if self.parent_id else 0
        self.path = (self.parent.path if self.parent_id else "") + f"{self.code}/"
        super().save(*args, **kwargs)

    def ancestors(self):
        codes = [c for c in self.path.split("/") if c][:-1]
        by_code = {u.code: u for u in Unit.objects.filter(code__in=codes)}
        return [by_code[c] for c in codes if c in by_code]


class AgencyKind(models.Model):
    """What kind of body an agency is: "ubnd_xa" (commune People's Committee), "cong_an_xa",
    "so_tu_phap"… A procedure names the kind of its competent agency; a dossier is routed to
    the agency of that kind serving the applicant's unit."""

    slug = models.SlugField(max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=255)

    class Meta:
        ordering = ["name"]
        verbose_name = _("kind of agency")
        verbose_name_plural = _("kinds of agency")

    def __str__(self):
        return self.name


class Agency(models.Model):
    """A state agency (cơ quan) that receives or decides dossiers."""

    code = models.CharField(
        _("electronic identifier code"), max_length=20, unique=True,
        validators=[RegexValidator(AGENCY_CODE_RE,
                                   _("Use the national format, e.g. 000.00.20.H36."))],
    )
    name = models.CharField(_("name"), max_length=255)
    kind = models.ForeignKey(
        AgencyKind, on_delete=models.PROTECT, related_name="agencies", verbose_name=_("kind"),
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children",
        verbose_name=_("parent agency"),
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="agencies", verbose_name=_("seat"),
    )
    units_served = models.ManyToManyField(
        Unit, related_name="served_by", blank=True, verbose_name=_("units served"),
    )
    is_demo = models.BooleanField(_("demonstration data"), default=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")

    def __str__(self):
        return self.name


class ServiceDesk(models.Model):
    """A one-stop desk or Public Administration Service Centre where people go in person."""

    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="desks", verbose_name=_("agency"),
    )
    name = models.CharField(_("name"), max_length=255)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="desks", verbose_name=_("located in"),
    )
    address = models.CharField(_("address"), max_length=255)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    opening_hours = models.CharField(
        _("opening hours"), max_length=255, blank=True,
        help_text=_("As people should read it, e.g. Mon–Fri 7:30–11:30, 13:30–17:00"),
    )
    # Structured office hours for deadlines (opening_hours above is the text people read).
    working_periods = models.JSONField(
        _("working periods"), default=list, blank=True, validators=[validate_working_periods],
        help_text=_('Periods deadlines are counted in, e.g. [["07:30", "11:30"], '
                    '["13:30", "17:00"]]; empty: the province\'s default.'),
    )
    map_url = models.URLField(_("map link"), blank=True)
    # ISO weekdays (1 = Monday) on which fully-online procedures are not taken in person.
    online_only_weekdays = models.JSONField(_("online-only days"), default=list, blank=True)
    is_demo = models.BooleanField(_("demonstration data"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("one-stop desk")
        verbose_name_plural = _("one-stop desks")

    def __str__(self):
        return self.name
