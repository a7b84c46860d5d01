"""The catalogue exchange format (JSON and .xlsx), documented in docs/catalog-format.md.

Reading produces validated ``ProcedureRecord``s or a list of ``RowError``s that say which row
and why; nothing here touches the database. Writing turns records back into the same format,
so an export imports again unchanged.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from motcua.core.text import fold_vi
from motcua.eforms.schema import FormSchemaError, schema_check

CODE_RE = re.compile(r"^[0-9]+(\.[0-9A-Za-z]+)+$")
KEY_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")

# Published words for the levels, the time units and the online modes, folded, to our values.
LEVEL_WORDS = {
    "cap bo": "central", "trung uong": "central", "cap trung uong": "central",
    "central": "central",
    "cap tinh": "province", "province": "province",
    "cap xa": "commune", "commune": "commune",
    # District level was abolished on 1 July 2025; its procedures moved to the communes.
    "cap huyen": "commune",
}
TIME_UNIT_WORDS = {
    "ngay": "day", "ngay lam viec": "day", "day": "day",
    "buoi": "half_day", "nua ngay": "half_day", "buoi lam viec": "half_day",
    "half_day": "half_day",
    "gio": "hour", "gio lam viec": "hour", "hour": "hour",
}
ONLINE_WORDS = {
    "toan trinh": "full", "full": "full",
    "mot phan": "partial", "partial": "partial",
    "khong": "none", "truc tiep": "none", "none": "none",
}
FEE_KINDS = ("fixed", "per_copy", "rule", "free")
# Excel keeps at most this many characters in a cell; a longer e-form must travel as JSON.
XLSX_CELL_LIMIT = 32767

SHEET_PROCEDURES = "procedures"
SHEET_DOCUMENTS = "documents"
SHEET_FEES = "fees"
PROCEDURE_COLUMNS = [
    "code", "effective_from", "effective_to", "name", "field", "levels", "agency",
    "agency_kind", "agency_kind_name", "online_mode", "processing_time",
    "processing_time_unit", "online_processing_time", "subjects", "eligibility", "steps",
    "result", "result_electronic", "legal_basis", "life_events", "popularity", "sources",
    "notes", "demo_fields", "form_schema", "supplement_clock", "cutoff_time", "process",
    "bundle",
]
DOCUMENT_COLUMNS = ["code", "effective_from", "key", "name", "form", "copies", "mandatory",
                    "reusable"]
FEE_COLUMNS = ["code", "effective_from", "name", "kind", "amount", "online_amount", "rule",
               "exempt_groups", "note"]


def _level(value: str) -> str:
    folded = fold_vi(value).strip()
    folded = re.sub(r"\s*\(.*\)\s*$", "", folded)  # "Cấp huyện (theo nguồn 2023)"
    if folded in LEVEL_WORDS:
        return LEVEL_WORDS[folded]
    if folded.startswith("co quan khac"):
        return ""  # "Cơ quan khác": no administrative level of its own
    raise ValueError(_("unknown level “%(value)s”") % {"value": value})


def slugify_vi(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", fold_vi(text)).strip("_")


class DocumentRecord(BaseModel):
    model_config = ConfigDict(extra="forbid")

    key: str | None = None
    name: str = Field(min_length=1)
    # The essential-services file calls the original/copy column "kind".
    form: str | None = Field(default=None, alias="kind")
    copies: int | None = Field(default=1, ge=0, le=100)
    mandatory: bool = True
    reusable: bool = False

    @field_validator("copies")
    @classmethod
    def _copies(cls, value):
        return 1 if value is None else value

    @field_validator("key")
    @classmethod
    def _key(cls, value):
        if value is not None and not KEY_RE.match(value):
            raise ValueError(_("use lower-case letters, digits, - and _"))
        return value


class FeeRecord(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    name: str = Field(min_length=1)
    kind: str | None = None
    amount: int | None = Field(default=None, ge=0, alias="amount_vnd")
    online_amount: int | None = Field(default=None, ge=0, alias="online_amount_vnd")
    rule: str = ""
    exempt_groups: list[str] = []
    note: str | None = ""

    @field_validator("note", "rule", mode="before")
    @classmethod
    def _text(cls, value):
        return "" if value is None else value

    @field_validator("kind")
    @classmethod
    def _kind(cls, value):
        if value is not None and value not in FEE_KINDS:
            raise ValueError(_("must be one of %(choices)s") % {"choices": ", ".join(FEE_KINDS)})
        return value

    def resolved_kind(self) -> str:
        if self.kind:
            return self.kind
        return "fixed" if self.amount is not None else "rule"


class StepRecord(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    role: str
    agency: str = "competent"
    agency_kind: str | None = None
    share: int = Field(ge=0, le=100)

    @field_validator("role")
    @classmethod
    def _role(cls, value):
        if value not in ("receiver", "specialist", "leader"):
            raise ValueError(_("use receiver, specialist or leader"))
        return value

    @field_validator("agency")
    @classmethod
    def _agency(cls, value):
        if value not in ("competent", "receiving", "kind"):
            raise ValueError(_("use competent, receiving or kind"))
        return value


class BundleRecord(BaseModel):
    model_config = ConfigDict(extra="forbid")

    procedure: str
    optional: bool = False


class TimeRecord(BaseModel):
    model_config = ConfigDict(extra="forbid")

    value: int = Field(ge=0, le=10000)
    unit: str = "day"

    @field_validator("unit")
    @classmethod
    def _unit(cls, value):
        folded = fold_vi(value or "day").strip()
        if folded not in TIME_UNIT_WORDS:
            raise ValueError(_("unknown time unit “%(value)s”") % {"value": value})
        return TIME_UNIT_WORDS[folded]


class ProcedureRecord(BaseModel):
    """One procedure version. Accepts the published shape (as in the essential-services file)
    and the fuller shape this project exports."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    code: str
    effective_from: dt.date | None = None
    effective_to: dt.date | None = None
    name: str = Field(min_length=1, max_length=1000)
    field: str = Field(min_length=1, max_length=200)
    levels: list[str] = []
    agency: str = Field(min_length=1, max_length=500)
    agency_kind: str | None = None
    agency_kind_name: str | None = None
    online_mode: str | None = None
    processing_time: TimeRecord
    online_processing_time: int | None = Field(default=None, ge=0)
    subjects: str = ""
    eligibility: str = ""
    steps: list[str] = []
    result: str | None = None
    result_electronic: bool = False
    legal_basis: list[str] = []
    life_event: str | None = None
    life_events: list[str] = []
    popularity: int = Field(default=0, ge=0)
    documents: list[DocumentRecord] = []
    fees: list[FeeRecord] = []
    sources: list[str] = []
    notes: str = ""
    demo_fields: list[str] = []
    # The e-form (docs/eforms.md); empty = the standard applicant form.
    form_schema: dict = {}
    supplement_clock: str = "restart"
    cutoff_time: dt.time | None = None
    process: list[StepRecord] = []
    bundle: list[BundleRecord] = []

    @field_validator("supplement_clock")
    @classmethod
    def _clock(cls, value):
        if value not in ("restart", "resume"):
            raise ValueError(_("use restart or resume"))
        return value

    @field_validator("process")
    @classmethod
    def _process(cls, steps):
        if steps and sum(s.share for s in steps) != 100:
            raise ValueError(_("the shares of the steps must add up to 100"))
        for step in steps:
            if step.agency == "kind" and not step.agency_kind:
                raise ValueError(_("a step at an agency of a kind needs agency_kind"))
        return steps

    @field_validator("code")
    @classmethod
    def _code(cls, value):
        if not CODE_RE.match(value):
            raise ValueError(_("not a national procedure code like 1.001193"))
        return value

    @field_validator("levels")
    @classmethod
    def _levels(cls, values):
        out: list[str] = []
        for value in values:
            level = _level(value)
            if level and level not in out:
                out.append(level)
        return out

    @field_validator("online_mode")
    @classmethod
    def _online(cls, value):
        if value is None:
            return None
        folded = fold_vi(value).strip()
        if folded not in ONLINE_WORDS:
            raise ValueError(_("use full, partial or none"))
        return ONLINE_WORDS[folded]

    @field_validator("agency_kind")
    @classmethod
    def _agency_kind(cls, value):
        if value is not None and not KEY_RE.match(value):
            raise ValueError(_("use lower-case letters, digits, - and _"))
        return value

    @field_validator("form_schema", mode="before")
    @classmethod
    def _form_schema_text(cls, value):
        # A spreadsheet cell holds the e-form as JSON text.
        if value is None:
            return {}
        if isinstance(value, str):
            if not value.strip():
                return {}
            try:
                value = json.loads(value)
            except json.JSONDecodeError as exc:
                raise ValueError(_("not valid JSON: %(error)s") % {"error": exc}) from exc
        if not isinstance(value, dict):
            raise ValueError(_("the e-form must be a JSON object"))
        return value

    @field_validator("form_schema")
    @classmethod
    def _form_schema(cls, value):
        try:
            return schema_check(value)
        except FormSchemaError as exc:
            raise ValueError(str(exc)) from exc

    def all_life_events(self) -> list[str]:
        events = list(self.life_events)
        if self.life_event and self.life_event not in events:
            events.insert(0, self.life_event)
        return events

    def resolved_agency_kind(self) -> str:
        return self.agency_kind or slugify_vi(self.agency)[:50]

    def document_keys(self) -> list[str]:
        """Stable keys: the given ones, else doc-1, doc-2… by position."""
        keys, used = [], set()
        for position, document in enumerate(self.documents, start=1):
            key = document.key or f"doc-{position}"
            while key in used:
                key = f"{key}-{position}"
            used.add(key)
            keys.append(key)
        return keys


@dataclass(frozen=True)
class RowError:
    where: str  # "row 12" or "documents row 4"
    code: str
    message: str

    def __str__(self):
        label = f"{self.where} ({self.code})" if self.code else self.where
        return f"{label}: {self.message}"


def _describe(error: ValidationError) -> str:
    parts = []
    for item in error.errors():
        location = ".".join(str(p) for p in item["loc"]) or _("record")
        message = item["msg"]
        if item["type"] == "missing":
            message = _("is required")
        elif item["type"] == "extra_forbidden":
            message = _("is not a known column")
        elif message.startswith("Value error, "):
            message = message.removeprefix("Value error, ")
        parts.append(f"{location}: {message}")
    return "; ".join(parts)


def row_label(number: int, sheet: str = "") -> str:
    if sheet:
        return _("sheet %(sheet)s row %(row)s") % {"sheet": sheet, "row": number}
    return _("row %(row)s") % {"row": number}


def parse_records(raw: list[Any]) -> tuple[list[ProcedureRecord], list[RowError]]:
    records, errors = [], []
    seen: dict[tuple[str, dt.date | None], int] = {}
    for number, item in enumerate(raw, start=1):
        where = row_label(number)
        code = item.get("code", "") if isinstance(item, dict) else ""
        if not isinstance(item, dict):
            errors.append(RowError(where, "", _("a procedure must be an object")))
            continue
        try:
            record = ProcedureRecord.model_validate(item)
        except ValidationError as exc:
            errors.append(RowError(where, str(code), _describe(exc)))
            continue
        identity = (record.code, record.effective_from)
        if identity in seen:
            errors.append(RowError(
                where, record.code,
                _("the same procedure and start date already appear in row %(row)s")
                % {"row": seen[identity]},
            ))
            continue
        seen[identity] = number
        records.append(record)
    return records, errors


# --- JSON ------------------------------------------------------------------------------------

def read_json(path: Path) -> tuple[list[ProcedureRecord], list[RowError]]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return [], [RowError(_("file"), "", _("not valid JSON: %(error)s") % {"error": exc})]
    if isinstance(data, dict):
        data = data.get("procedures")
    if not isinstance(data, list):
        return [], [RowError(_("file"), "",
                             _("expected a list of procedures or {\"procedures\": [...]}"))]
    return parse_records(data)


def write_json(records: list[dict], path: Path) -> None:
    payload = {"format": "motcua-catalog", "version": 1, "procedures": records}
    Path(path).write_text(
        json.dumps(payload, ensure_ascii=False, indent=1, default=_json_default) + "\n",
        encoding="utf-8",
    )


def _json_default(value):
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(type(value))


# --- XLSX ------------------------------------------------------------------------------------

def _split(value: Any, sep: str) -> list[str]:
    if value is None or value == "":
        return []
    return [part.strip() for part in str(value).split(sep) if part.strip()]


def _cell_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    return fold_vi(str(value or "")).strip() in {"1", "true", "yes", "co", "x"}


def _cell_date(value: Any) -> str | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    match = re.match(r"^(\d{1,2})/(\d{1,2})/(\d{4})$", text)  # dd/mm/yyyy as people type it
    if match:
        day, month, year = (int(g) for g in match.groups())
        return dt.date(year, month, day).isoformat()
    return text


def _cell_time(value: Any) -> str | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    return str(value).strip()


def _cell_json(value: Any, default):
    """A JSON column (process steps, bundle members); unreadable text is passed on as is so
    the record's validation names the row."""
    if value in (None, ""):
        return default
    try:
        return json.loads(value)
    except (TypeError, ValueError):
        return value


def _cell_int(value: Any) -> Any:
    if value in (None, ""):
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        cleaned = value.replace(".", "").replace(" ", "").replace("đ", "")
        return int(cleaned) if cleaned.isdigit() else value
    return value


def _sheet_rows(workbook, name: str, columns: list[str], errors: list[RowError]):
    if name not in workbook.sheetnames:
        if name == SHEET_PROCEDURES:
            errors.append(RowError(_("file"), "",
                                   _("sheet “%(name)s” is missing") % {"name": name}))
        return []
    sheet = workbook[name]
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None)
    if header is None:
        return []
    header = [str(h).strip() if h is not None else "" for h in header]
    unknown = [h for h in header if h and h not in columns]
    if unknown:
        errors.append(RowError(
            row_label(1, name), "",
            _("unknown columns: %(columns)s") % {"columns": ", ".join(unknown)},
        ))
        return []
    out = []
    for number, row in enumerate(rows, start=2):
        if row is None or all(cell in (None, "") for cell in row):
            continue
        out.append((number, dict(zip(header, row, strict=False))))
    return out


def read_xlsx(path: Path) -> tuple[list[ProcedureRecord], list[RowError]]:
    from zipfile import BadZipFile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, KeyError, OSError, ValueError) as exc:
        return [], [RowError(_("file"), "", _("not a readable .xlsx file: %(error)s")
                             % {"error": exc})]
    errors: list[RowError] = []
    procedures = _sheet_rows(workbook, SHEET_PROCEDURES, PROCEDURE_COLUMNS, errors)
    documents = _sheet_rows(workbook, SHEET_DOCUMENTS, DOCUMENT_COLUMNS, errors)
    fees = _sheet_rows(workbook, SHEET_FEES, FEE_COLUMNS, errors)
    if errors:
        return [], errors

    by_identity: dict[tuple[str, str | None], dict] = {}
    raw_rows: list[tuple[int, dict]] = []
    for number, row in procedures:
        item = {
            "code": str(row.get("code") or "").strip(),
            "effective_from": _cell_date(row.get("effective_from")),
            "effective_to": _cell_date(row.get("effective_to")),
            "name": row.get("name") or "",
            "field": row.get("field") or "",
            "levels": _split(row.get("levels"), ";"),
            "agency": row.get("agency") or "",
            "agency_kind": row.get("agency_kind") or None,
            "agency_kind_name": row.get("agency_kind_name") or None,
            "online_mode": row.get("online_mode") or None,
            "processing_time": {
                "value": _cell_int(row.get("processing_time")),
                "unit": row.get("processing_time_unit") or "day",
            },
            "online_processing_time": _cell_int(row.get("online_processing_time")),
            "subjects": row.get("subjects") or "",
            "eligibility": row.get("eligibility") or "",
            "steps": _split(row.get("steps"), "\n"),
            "result": row.get("result") or None,
            "result_electronic": _cell_bool(row.get("result_electronic")),
            "legal_basis": _split(row.get("legal_basis"), "\n"),
            "life_events": _split(row.get("life_events"), ";"),
            "popularity": _cell_int(row.get("popularity")) or 0,
            "sources": _split(row.get("sources"), "\n"),
            "notes": row.get("notes") or "",
            "demo_fields": _split(row.get("demo_fields"), ";"),
            "form_schema": row.get("form_schema") or {},
            "supplement_clock": row.get("supplement_clock") or "restart",
            "cutoff_time": _cell_time(row.get("cutoff_time")),
            "process": _cell_json(row.get("process"), []),
            "bundle": _cell_json(row.get("bundle"), []),
            "documents": [],
            "fees": [],
        }
        by_identity[(item["code"], item["effective_from"])] = item
        raw_rows.append((number, item))

    def attach(rows, sheet, target, build):
        for number, row in rows:
            identity = (str(row.get("code") or "").strip(), _cell_date(row.get("effective_from")))
            owner = by_identity.get(identity)
            if owner is None:
                errors.append(RowError(
                    row_label(number, sheet), identity[0],
                    _("no procedure with this code and start date in sheet “procedures”"),
                ))
                continue
            owner[target].append(build(row))

    attach(documents, SHEET_DOCUMENTS, "documents", lambda row: {
        "key": row.get("key") or None,
        "name": row.get("name") or "",
        "kind": row.get("form") or None,
        "copies": _cell_int(row.get("copies")) if row.get("copies") not in (None, "") else 1,
        "mandatory": _cell_bool(row.get("mandatory")) if row.get("mandatory") not in (None, "")
        else True,
        "reusable": _cell_bool(row.get("reusable")),
    })
    attach(fees, SHEET_FEES, "fees", lambda row: {
        "name": row.get("name") or "",
        "kind": row.get("kind") or None,
        "amount": _cell_int(row.get("amount")),
        "online_amount": _cell_int(row.get("online_amount")),
        "rule": row.get("rule") or "",
        "exempt_groups": _split(row.get("exempt_groups"), ";"),
        "note": row.get("note") or "",
    })
    records, record_errors = [], []
    for number, item in raw_rows:
        parsed, row_errors = parse_records([item])
        for error in row_errors:
            record_errors.append(RowError(row_label(number, SHEET_PROCEDURES), error.code,
                                          error.message))
        records.extend(parsed)
    return records, errors + record_errors


def write_xlsx(records: list[dict], path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    procedures = workbook.create_sheet(SHEET_PROCEDURES)
    documents = workbook.create_sheet(SHEET_DOCUMENTS)
    fees = workbook.create_sheet(SHEET_FEES)
    procedures.append(PROCEDURE_COLUMNS)
    documents.append(DOCUMENT_COLUMNS)
    fees.append(FEE_COLUMNS)
    for record in records:
        start = record["effective_from"]
        procedures.append([
            record["code"], start, record["effective_to"], record["name"], record["field"],
            "; ".join(record["levels"]), record["agency"], record["agency_kind"],
            record["agency_kind_name"], record["online_mode"],
            record["processing_time"]["value"], record["processing_time"]["unit"],
            record["online_processing_time"], record["subjects"], record["eligibility"],
            "\n".join(record["steps"]), record["result"], record["result_electronic"],
            "\n".join(record["legal_basis"]), "; ".join(record["life_events"]),
            record["popularity"], "\n".join(record["sources"]), record["notes"],
            "; ".join(record["demo_fields"]), _form_schema_cell(record),
            record["supplement_clock"], record["cutoff_time"],
            json.dumps(record["process"], ensure_ascii=False) if record["process"] else None,
            json.dumps(record["bundle"], ensure_ascii=False) if record["bundle"] else None,
        ])
        for document in record["documents"]:
            documents.append([
                record["code"], start, document["key"], document["name"], document["kind"],
                document["copies"], document["mandatory"], document["reusable"],
            ])
        for fee in record["fees"]:
            fees.append([
                record["code"], start, fee["name"], fee["kind"], fee["amount"],
                fee["online_amount"], fee["rule"], "; ".join(fee["exempt_groups"]), fee["note"],
            ])
    workbook.save(path)


def _form_schema_cell(record: dict) -> str:
    schema = record.get("form_schema") or {}
    if not schema:
        return ""
    text = json.dumps(schema, ensure_ascii=False, separators=(",", ":"))
    if len(text) > XLSX_CELL_LIMIT:
        raise ValueError(
            _("the e-form of %(code)s is too long for a spreadsheet cell; export as .json")
            % {"code": record["code"]})
    return text


def read_file(path: Path) -> tuple[list[ProcedureRecord], list[RowError]]:
    suffix = Path(path).suffix.lower()
    if suffix == ".json":
        return read_json(path)
    if suffix == ".xlsx":
        return read_xlsx(path)
    return [], [RowError(_("file"), "", _("use a .json or .xlsx file"))]


def write_file(records: list[dict], path: Path) -> None:
    suffix = Path(path).suffix.lower()
    if suffix == ".json":
        write_json(records, path)
    elif suffix == ".xlsx":
        write_xlsx(records, path)
    else:
        raise ValueError(_("use a .json or .xlsx file"))
