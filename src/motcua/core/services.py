"""Writes to the working-day calendar: seeding from the holidays package, importing a file."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from .calendar_sources import (
    HOLIDAY,
    CalendarImportError,
    calendar_file_read,
    package_holidays,
)
from .models import CalendarDay

__all__ = ["CalendarImportError", "CalendarSummary", "calendar_import", "calendar_seed"]


@dataclass
class CalendarSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    kept: int = 0  # seeding: days imported or edited by a person, left as they are
    removed: int = 0  # seeding: days the package wrote and no longer lists


def calendar_seed(*, years: Iterable[int]) -> CalendarSummary:
    """Public holidays of these years from the ``holidays`` package, in one transaction.

    Only days the package wrote itself are created, updated or removed: a day imported from a
    file or edited in the administration site stays as it is, so running the seed again (or a
    newer package) never undoes an announced swap. A second run with the same package changes
    nothing."""
    years = sorted(set(years))
    wanted = package_holidays(years)
    summary = CalendarSummary()
    with transaction.atomic():
        existing = {day.date: day for day in CalendarDay.objects.filter(date__year__in=years)}
        for date, name in wanted.items():
            name = name[:200]
            day = existing.get(date)
            if day is None:
                CalendarDay.objects.create(date=date, kind=HOLIDAY, name=name,
                                           source=CalendarDay.Source.PACKAGE)
                summary.created += 1
            elif day.source != CalendarDay.Source.PACKAGE:
                summary.kept += 1
            elif (day.kind, day.name) == (HOLIDAY, name):
                summary.unchanged += 1
            else:
                day.kind, day.name = HOLIDAY, name
                day.save(update_fields=["kind", "name"])
                summary.updated += 1
        for date, day in existing.items():
            if day.source == CalendarDay.Source.PACKAGE and date not in wanted:
                day.delete()
                summary.removed += 1
    return summary


def calendar_import(*, path: Path) -> CalendarSummary:
    """Days off and make-up working days from a CSV file (date,kind,name): every row or, if
    any row is wrong, none (CalendarImportError lists them all by row number).

    An imported row replaces whatever the calendar had for that date, seeded or edited: the
    file is a person's decision, made later."""
    rows = calendar_file_read(Path(path))
    summary = CalendarSummary()
    with transaction.atomic():
        # A few hundred rows at most: one query, and no limit on the number of parameters.
        existing = {day.date: day for day in CalendarDay.objects.all()}
        for row in rows:
            values = {"kind": row.kind, "name": row.name, "source": CalendarDay.Source.IMPORT}
            day = existing.get(row.date)
            if day is None:
                CalendarDay.objects.create(date=row.date, **values)
                summary.created += 1
            elif all(getattr(day, key) == value for key, value in values.items()):
                summary.unchanged += 1
            else:
                for key, value in values.items():
                    setattr(day, key, value)
                day.save(update_fields=list(values))
                summary.updated += 1
    return summary
