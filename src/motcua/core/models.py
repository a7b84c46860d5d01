from django.db import models
from django.utils.translation import gettext_lazy as _

from .calendar_sources import HOLIDAY, WORKDAY
from .formats import format_date


class CalendarDay(models.Model):
    """A day that breaks the Monday-to-Friday rule: a public holiday or a day off swapped for a
    bridge day (kind "holiday"), or a Saturday or Sunday worked to make up for one (kind
    "workday", ngày làm bù). Every deadline is counted with these days."""

    class Kind(models.TextChoices):
        HOLIDAY = HOLIDAY, _("day off")
        WORKDAY = WORKDAY, _("working day (make-up)")

    class Source(models.TextChoices):
        # Seeding from the package never overwrites a day a person decided on.
        PACKAGE = "holidays", _("holidays package")
        IMPORT = "import", _("imported file")
        ADMIN = "admin", _("administrator")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.ADMIN,
        help_text=_("Seeding from the holidays package changes only the days it wrote itself. "
                    "To cancel one of its holidays, make it a working day rather than "
                    "delete it: seeding would add it again."),
    )

    class Meta:
        ordering = ["date"]
        verbose_name = _("day off or make-up working day")
        verbose_name_plural = _("days off and make-up working days")

    def __str__(self):
        return f"{format_date(self.date)} {self.name}"


class CalendarState(models.Model):
    """One row: a generation number bumped whenever a calendar day changes, so every process
    knows when its cached calendar is stale."""

    generation = models.PositiveBigIntegerField(default=0)

    def __str__(self):
        return f"calendar generation {self.generation}"
