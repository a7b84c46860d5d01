"""Where the days of the working-day calendar come from: the ``holidays`` package (the fixed
holidays of the Labour Code, Tết included) and CSV files of what the government announces each
year (swaps, make-up Saturdays, whole Tết breaks). Reading only; nothing here touches the
database."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import holidays
from django.utils.translation import gettext as _

HOLIDAY = "holiday"
WORKDAY = "workday"
KINDS = (HOLIDAY, WORKDAY)
CALENDAR_COLUMNS = ("date", "kind", "name")
# The announced days of 2025 and 2026 the package lacks; sources in data/README.md.
SWAPS_FILE = Path(__file__).resolve().parent / "data" / "vn-calendar-2025-2026.csv"

# Days the package lists before the law makes them days off. Counting one as a holiday would
# make the system call late dossiers on time, so they wait for the law (data/README.md).
NOT_YET_IN_LAW = ("Ngày Văn hóa Việt Nam",)


def package_holidays(years: Iterable[int]) -> dict[dt.date, str]:
    """Public holidays of these years by the ``holidays`` package, named in Vietnamese."""
    found = holidays.country_holidays("VN", years=sorted(set(years)), language="vi")
    result = {}
    for day, names in sorted(found.items()):
        # Two holidays on one date come joined with "; ".
        kept = [name for name in names.split("; ") if not name.startswith(NOT_YET_IN_LAW)]
        if kept:
            result[day] = "; ".join(kept)
    return result


@dataclass(frozen=True)
class CalendarRow:
    row: int  # the line, as a spreadsheet numbers it: the header is row 1
    date: dt.date
    kind: str
    name: str


class CalendarImportError(Exception):
    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


def parse_day(text: str) -> dt.date:
    """'2026-02-14' or '14/02/2026' (the way Vietnamese write dates) → a date."""
    text = text.strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def calendar_file_read(path: Path) -> list[CalendarRow]:
    """The rows of a calendar CSV (date,kind,name), or a CalendarImportError listing every bad
    row by its number."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            fieldnames = [(name or "").strip().lower() for name in reader.fieldnames or []]
            reader.fieldnames = fieldnames
            # The line each row ends on, as a spreadsheet numbers it (blank lines included).
            raw = [(reader.line_num, item) for item in reader]
    except UnicodeDecodeError as exc:
        raise CalendarImportError([_("the file is not UTF-8 text")]) from exc
    missing = [c for c in CALENDAR_COLUMNS if c not in fieldnames]
    if missing:
        raise CalendarImportError([_("missing columns: %(columns)s")
                                 % {"columns": ", ".join(missing)}])
    rows, errors, seen = [], [], {}
    for number, item in raw:
        values = {c: (item.get(c) or "").strip() for c in CALENDAR_COLUMNS}
        if not any(values.values()):
            continue
        problems = []
        try:
            day = parse_day(values["date"])
        except ValueError:
            day = None
            problems.append(_("%(value)s is not a date; write 2026-02-14 or 14/02/2026")
                            % {"value": values["date"] or '""'})
        kind = values["kind"].lower()
        if kind not in KINDS:
            problems.append(_("the kind must be holiday or workday, not %(value)s")
                            % {"value": values["kind"] or '""'})
        if not values["name"]:
            problems.append(_("the name is missing"))
        elif len(values["name"]) > 200:
            problems.append(_("the name is longer than 200 characters"))
        if day is not None and day in seen:
            problems.append(_("%(date)s is already in row %(row)s")
                            % {"date": day.strftime("%d/%m/%Y"), "row": seen[day]})
        if problems:
            errors.extend(_("row %(row)s: %(problem)s") % {"row": number, "problem": problem}
                          for problem in problems)
            continue
        seen[day] = number
        rows.append(CalendarRow(row=number, date=day, kind=kind, name=values["name"]))
    if errors:
        raise CalendarImportError(errors)
    return rows
