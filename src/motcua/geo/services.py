"""Writes to administrative units, agencies and desks."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from .models import Unit

UNITS_FILE = Path(__file__).resolve().parent / "data" / "vn-units-2025.csv"
UNIT_COLUMNS = ("code", "name", "division_type", "parent_code", "codename")


class UnitImportError(Exception):
    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass
class UnitImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def _read_units(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in UNIT_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise UnitImportError([_("missing columns: %(columns)s")
                                   % {"columns": ", ".join(missing)}])
        return list(reader)


def units_import(*, path: Path = UNITS_FILE, only_province: str | None = None
                 ) -> UnitImportSummary:
    """Create or update units from a CSV (code, name, division_type, parent_code, codename).

    Parents may come earlier in the file, later, or already be in the database. Everything is
    written in one transaction; a bad row (no code, unknown parent, a cycle) writes nothing.
    ``only_province`` keeps one province and its subtree.
    """
    rows = _read_units(path)
    errors: list[str] = []
    by_code: dict[str, dict] = {}
    for number, row in enumerate(rows, start=2):
        code = (row.get("code") or "").strip()
        if not code or not (row.get("name") or "").strip():
            errors.append(_("row %(row)s: code and name are required") % {"row": number})
            continue
        if code in by_code:
            errors.append(_("row %(row)s: code %(code)s appears twice")
                          % {"row": number, "code": code})
            continue
        row["_row"] = number
        by_code[code] = row
    existing = {u.code: u for u in Unit.objects.all()}

    def path_of(code: str, trail: tuple[str, ...] = ()) -> str | None:
        if code in trail:
            return None
        if code in by_code:
            parent = (by_code[code].get("parent_code") or "").strip()
            if not parent:
                return f"{code}/"
            parent_path = path_of(parent, (*trail, code))
            return None if parent_path is None else f"{parent_path}{code}/"
        if code in existing:
            return existing[code].path
        return None

    if only_province:
        by_code = {c: r for c, r in by_code.items()
                   if (path_of(c) or "").startswith(f"{only_province}/")}
    paths: dict[str, str] = {}
    for code, row in by_code.items():
        computed = path_of(code)
        if computed is None:
            errors.append(_("row %(row)s: unknown parent %(parent)s, or a cycle")
                          % {"row": row["_row"], "parent": row.get("parent_code")})
        else:
            paths[code] = computed
    if errors:
        raise UnitImportError(errors)

    summary = UnitImportSummary()
    with transaction.atomic():
        # Parents before children: shorter paths first.
        for code in sorted(paths, key=lambda c: paths[c].count("/")):
            row = by_code[code]
            parent_code = (row.get("parent_code") or "").strip()
            values = {
                "name": row["name"].strip(),
                "division_type": (row.get("division_type") or "").strip(),
                "codename": (row.get("codename") or "").strip(),
                "parent": existing.get(parent_code) if parent_code else None,
            }
            unit = existing.get(code)
            if unit is None:
                unit = Unit(code=code, **values)
                unit.save()
                existing[code] = unit
                summary.created += 1
                continue
            if all(getattr(unit, k) == v for k, v in values.items()) and unit.path == paths[code]:
                summary.unchanged += 1
                continue
            for key, value in values.items():
                setattr(unit, key, value)
            unit.save()
            summary.updated += 1
    return summary
