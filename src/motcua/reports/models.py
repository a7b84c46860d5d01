"""Facts derived from the dossier events, and nothing else: a projection that can be thrown
away and rebuilt (`motcua reports rebuild`) with the same figures.

Where a dossier is counted (the competent agency and the unit it sits in, the procedure and
its field, the channel, the procedure's online service level) is fixed when the dossier is
submitted and read from the dossier; everything counted about it comes from its events
(projection.py).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .measures import COLUMNS


class DossierTrack(models.Model):
    """One row per dossier in the statistics: where it is counted, and the last of its events
    applied to the facts (the watermark that makes the update safe to run twice)."""

    dossier = models.OneToOneField("dossiers.Dossier", on_delete=models.CASCADE,
                                   primary_key=True, related_name="+")
    unit = models.ForeignKey("geo.Unit", on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("geo.Agency", on_delete=models.PROTECT, related_name="+")
    procedure = models.ForeignKey("catalog.Procedure", on_delete=models.PROTECT,
                                  related_name="+")
    field = models.ForeignKey("catalog.Field", on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(max_length=10)
    online_mode = models.CharField(max_length=10)
    applied_event_id = models.BigIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["agency", "procedure"]),
                   models.Index(fields=["unit", "procedure"])]

    def __str__(self):
        return f"{self.dossier_id} @ {self.applied_event_id}"


class FactsState(models.Model):
    """The last event every dossier's facts were brought up to by a rebuild or a catch-up:
    `motcua reports update` reads only the events after it."""

    last_event_id = models.BigIntegerField(default=0)

    def __str__(self):
        return str(self.last_event_id)


class DossierSpan(models.Model):
    """A dossier in a flow on a day (first == end) or in a stock from ``first`` to the day
    before ``end``: the dossiers behind every figure, listed exactly."""

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="+")
    measure = models.PositiveSmallIntegerField()
    first = models.DateField()
    end = models.DateField(null=True)

    class Meta:
        indexes = [models.Index(fields=["measure", "first"]),
                   models.Index(fields=["dossier", "measure"])]

    def __str__(self):
        return f"{self.dossier_id} {self.measure} {self.first}–{self.end}"


def _measure_fields():
    return {name: (models.BigIntegerField(default=0) if name.endswith("_seconds")
                   else models.IntegerField(default=0)) for name in COLUMNS}


# The four fact tables hold the same measures at two time grains (day, month) and two
# depths (with the procedure and its field, or by agency only): a figure is read from the
# smallest table that has what it needs, so a province-wide figure over a year sums a few
# thousand rows, not millions.
def _fact_model(name, *, grain, procedure):
    attrs = {
        "__module__": __name__,
        grain: models.DateField(),
        "unit": models.ForeignKey("geo.Unit", on_delete=models.PROTECT, related_name="+",
                                  db_index=False),
        "agency": models.ForeignKey("geo.Agency", on_delete=models.PROTECT, related_name="+",
                                    db_index=False),
        "channel": models.CharField(max_length=10),
        "online_mode": models.CharField(max_length=10),
        **_measure_fields(),
    }
    dims = [grain, "unit", "agency", "channel", "online_mode"]
    if procedure:
        attrs["procedure"] = models.ForeignKey("catalog.Procedure", on_delete=models.PROTECT,
                                               related_name="+", db_index=False)
        attrs["field"] = models.ForeignKey("catalog.Field", on_delete=models.PROTECT,
                                           related_name="+", db_index=False)
        dims += ["procedure", "field"]
    table = name.lower()
    attrs["Meta"] = type("Meta", (), {
        "constraints": [models.UniqueConstraint(fields=dims, name=f"{table}_key")],
        "indexes": [models.Index(fields=[grain, "unit"], name=f"{table}_when"),
                    models.Index(fields=["agency", grain], name=f"{table}_agency")],
    })
    attrs["DIMS"] = tuple(f"{d}_id" if d in ("unit", "agency", "procedure", "field") else d
                          for d in dims)
    attrs["GRAIN"] = grain
    attrs["HAS_PROCEDURE"] = procedure
    attrs["__str__"] = lambda self: f"{getattr(self, grain)} {self.agency_id}"
    return type(name, (models.Model,), attrs)


DailyFact = _fact_model("DailyFact", grain="day", procedure=True)
MonthlyFact = _fact_model("MonthlyFact", grain="month", procedure=True)
DailyAgencyFact = _fact_model("DailyAgencyFact", grain="day", procedure=False)
MonthlyAgencyFact = _fact_model("MonthlyAgencyFact", grain="month", procedure=False)
FACT_MODELS = (DailyFact, MonthlyFact, DailyAgencyFact, MonthlyAgencyFact)


class StepFact(models.Model):
    """Steps finished by an official on a day: how many, and the time they took (from the
    step's start to its hand-over, pauses for a supplement left out)."""

    day = models.DateField()
    agency = models.ForeignKey("geo.Agency", on_delete=models.PROTECT, related_name="+",
                               db_index=False)
    # The official's user id (0 when no one is named): a plain number, so the key is unique
    # the same way on every database.
    official = models.IntegerField(default=0)
    step = models.CharField(max_length=200)
    handled = models.IntegerField(default=0)
    seconds = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "agency", "official", "step"],
                                               name="stepfact_key")]
        indexes = [models.Index(fields=["agency", "day"], name="stepfact_agency")]

    def __str__(self):
        return f"{self.day} {self.agency_id} {self.step}"


class ReasonFact(models.Model):
    """Reasons given on a day for refusals, supplement requests, declines, stops and
    withdrawals, as written."""

    day = models.DateField()
    unit = models.ForeignKey("geo.Unit", on_delete=models.PROTECT, related_name="+",
                             db_index=False)
    agency = models.ForeignKey("geo.Agency", on_delete=models.PROTECT, related_name="+",
                               db_index=False)
    procedure = models.ForeignKey("catalog.Procedure", on_delete=models.PROTECT,
                                  related_name="+", db_index=False)
    kind = models.CharField(max_length=12)
    # The reason's hash: the key (a long text cannot be in a unique index everywhere).
    key = models.CharField(max_length=64)
    text = models.TextField()
    times = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["day", "unit", "agency", "procedure", "kind", "key"], name="reasonfact_key")]
        indexes = [models.Index(fields=["agency", "day"], name="reasonfact_agency"),
                   models.Index(fields=["day", "unit"], name="reasonfact_when")]

    def __str__(self):
        return f"{self.day} {self.kind} {self.text[:40]}"


class IndexWeights(models.Model):
    """The service-quality index's point splits (QĐ 766/QĐ-TTg) when the province changes
    the documented defaults: one row per sub-indicator given other points."""

    indicator = models.CharField(_("sub-indicator"), max_length=40, unique=True)
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = _("index weight")
        verbose_name_plural = _("index weights")

    def __str__(self):
        return f"{self.indicator}: {self.points}"
