"""Writes to the catalogue: import (all or nothing) and export."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.geo.models import AgencyKind

from . import exchange
from .models import (
    BundleMember,
    Fee,
    Field,
    LifeEvent,
    Procedure,
    ProcedureVersion,
    ProcessStep,
    RequiredDocument,
)


class CatalogImportError(Exception):
    def __init__(self, errors: list[exchange.RowError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


@dataclass
class ImportSummary:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    new_versions: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    @property
    def changed(self) -> int:
        return len(self.created) + len(self.updated) + len(self.new_versions)


def version_to_record(version: ProcedureVersion) -> dict:
    """The exchange-format record of one version; import(export(x)) == x."""
    documents = list(version.documents.all())
    fees = list(version.fees.all())
    return {
        "code": version.procedure.code,
        "effective_from": version.effective_from.isoformat(),
        "effective_to": version.effective_to.isoformat() if version.effective_to else None,
        "name": version.name,
        "field": version.field.name,
        "levels": list(version.levels),
        "agency": version.agency_name,
        "agency_kind": version.agency_kind.slug,
        "agency_kind_name": version.agency_kind.name,
        "online_mode": version.online_mode,
        "processing_time": {
            "value": version.processing_time, "unit": version.processing_time_unit,
        },
        "online_processing_time": version.online_processing_time,
        "subjects": version.subjects,
        "eligibility": version.eligibility,
        "steps": list(version.steps),
        "result": version.result_name or None,
        "result_electronic": version.result_electronic,
        "legal_basis": list(version.legal_basis),
        "life_events": [event.name for event in version.life_events.all()],
        "popularity": version.procedure.popularity,
        "documents": [
            {
                "key": d.key, "name": d.name, "kind": d.form or None, "copies": d.copies,
                "mandatory": d.mandatory, "reusable": d.reusable,
            }
            for d in documents
        ],
        "fees": [
            {
                "name": f.name, "kind": f.kind, "amount": f.amount,
                "online_amount": f.online_amount, "rule": f.rule,
                "exempt_groups": list(f.exempt_groups), "note": f.note,
            }
            for f in fees
        ],
        "form_schema": version.form_schema or {},
        "sources": list(version.sources),
        "notes": version.notes,
        "demo_fields": list(version.demo_fields),
        "supplement_clock": version.supplement_clock,
        "cutoff_time": version.cutoff_time.strftime("%H:%M") if version.cutoff_time else None,
        "process": [
            {"name": s.name, "role": s.role, "agency": s.agency_rule,
             "agency_kind": s.agency_kind.slug if s.agency_kind_id else None, "share": s.share}
            for s in version.process_steps.all()
        ],
        "bundle": [
            {"procedure": m.procedure.code, "optional": m.optional}
            for m in version.bundle_members.all()
        ],
    }


def _record_content(record: exchange.ProcedureRecord, agency_kind: AgencyKind) -> dict:
    """The record as version_to_record would write it, for a like-for-like comparison."""
    keys = record.document_keys()
    return {
        "name": record.name,
        "field": record.field,
        "levels": record.levels,
        "agency": record.agency,
        "agency_kind": agency_kind.slug,
        "online_mode": record.online_mode or "none",
        "processing_time": {
            "value": record.processing_time.value, "unit": record.processing_time.unit,
        },
        "online_processing_time": record.online_processing_time,
        "subjects": record.subjects,
        "eligibility": record.eligibility,
        "steps": record.steps,
        "result": record.result or None,
        "result_electronic": record.result_electronic,
        "legal_basis": record.legal_basis,
        "life_events": record.all_life_events(),
        "documents": [
            {
                "key": key, "name": d.name, "kind": d.form or None, "copies": d.copies,
                "mandatory": d.mandatory, "reusable": d.reusable,
            }
            for key, d in zip(keys, record.documents, strict=True)
        ],
        "fees": [
            {
                "name": f.name, "kind": f.resolved_kind(), "amount": f.amount,
                "online_amount": f.online_amount, "rule": f.rule,
                "exempt_groups": f.exempt_groups, "note": f.note,
            }
            for f in record.fees
        ],
        "form_schema": record.form_schema,
        "sources": record.sources,
        "notes": record.notes,
        "demo_fields": record.demo_fields,
        "supplement_clock": record.supplement_clock,
        "cutoff_time": record.cutoff_time.strftime("%H:%M") if record.cutoff_time else None,
        "process": [s.model_dump() for s in record.process],
        "bundle": [b.model_dump() for b in record.bundle],
    }


def _comparable(record: dict) -> dict:
    # Bundle members are linked in a second pass, once every procedure of the file exists.
    skip = {"code", "effective_from", "effective_to", "popularity", "agency_kind_name", "bundle"}
    out = {k: v for k, v in record.items() if k not in skip}
    out["life_events"] = sorted(out["life_events"])  # a set; the page orders them
    return out


def _fill_version(version: ProcedureVersion, record: exchange.ProcedureRecord,
                  agency_kind: AgencyKind) -> None:
    field_obj = _field(record.field)
    version.name = record.name
    version.field = field_obj
    version.levels = record.levels
    version.agency_name = record.agency
    version.agency_kind = agency_kind
    version.online_mode = record.online_mode or "none"
    version.processing_time = record.processing_time.value
    version.processing_time_unit = record.processing_time.unit
    version.online_processing_time = record.online_processing_time
    version.subjects = record.subjects
    version.eligibility = record.eligibility
    version.steps = record.steps
    version.result_name = record.result or ""
    version.result_electronic = record.result_electronic
    version.legal_basis = record.legal_basis
    version.sources = record.sources
    version.notes = record.notes
    version.demo_fields = record.demo_fields
    version.form_schema = record.form_schema
    version.supplement_clock = record.supplement_clock
    version.cutoff_time = record.cutoff_time
    version.save()
    version.process_steps.all().delete()
    ProcessStep.objects.bulk_create([
        ProcessStep(
            version=version, position=position, name=s.name, role=s.role,
            agency_rule=s.agency, share=s.share,
            agency_kind=AgencyKind.objects.get_or_create(
                slug=s.agency_kind, defaults={"name": s.agency_kind})[0]
            if s.agency_kind else None,
        )
        for position, s in enumerate(record.process)
    ])
    version.documents.all().delete()
    RequiredDocument.objects.bulk_create([
        RequiredDocument(
            version=version, key=key, name=d.name, form=d.form or "", copies=d.copies,
            mandatory=d.mandatory, reusable=d.reusable, position=position,
        )
        for position, (key, d) in enumerate(zip(record.document_keys(), record.documents,
                                                strict=True))
    ])
    version.fees.all().delete()
    Fee.objects.bulk_create([
        Fee(
            version=version, name=f.name, kind=f.resolved_kind(), amount=f.amount,
            online_amount=f.online_amount, rule=f.rule, exempt_groups=f.exempt_groups,
            note=f.note, position=position,
        )
        for position, f in enumerate(record.fees)
    ])
    version.life_events.set([_life_event(name) for name in record.all_life_events()])


def _field(name: str) -> Field:
    slug = exchange.slugify_vi(name)[:120]
    obj, _created = Field.objects.get_or_create(slug=slug, defaults={"name": name})
    return obj


def _life_event(name: str) -> LifeEvent:
    slug = exchange.slugify_vi(name)[:120]
    obj, _created = LifeEvent.objects.get_or_create(slug=slug, defaults={"name": name})
    return obj


def _agency_kind(record: exchange.ProcedureRecord) -> AgencyKind:
    slug = record.resolved_agency_kind()
    kind, _created = AgencyKind.objects.get_or_create(
        slug=slug, defaults={"name": record.agency_kind_name or record.agency[:255]},
    )
    if record.agency_kind_name and kind.name != record.agency_kind_name:
        kind.name = record.agency_kind_name
        kind.save(update_fields=["name"])
    return kind


def catalog_import_records(*, records: list[exchange.ProcedureRecord],
                           today: dt.date | None = None) -> ImportSummary:
    """Create or update procedure versions from records, in one transaction.

    A record with ``effective_from`` names its version exactly. Without it, the record is the
    procedure's current version: unchanged content changes nothing (so importing a file twice
    is harmless); changed content updates the version in place unless a dossier was already
    submitted under it, in which case a new version starts today and the old one ends.
    """
    today = today or timezone.localdate()
    summary = ImportSummary()
    errors: list[exchange.RowError] = []
    with transaction.atomic():
        for record in records:
            procedure, _created = Procedure.objects.get_or_create(code=record.code)
            if procedure.popularity != record.popularity and record.popularity:
                procedure.popularity = record.popularity
                procedure.save(update_fields=["popularity"])
            agency_kind = _agency_kind(record)
            content = _record_content(record, agency_kind)
            if record.effective_from:
                version = procedure.versions.filter(effective_from=record.effective_from).first()
            else:
                version = procedure.current_version(today) or procedure.versions.order_by(
                    "-effective_from").first()
            if version is None:
                version = ProcedureVersion(
                    procedure=procedure,
                    effective_from=record.effective_from or today,
                    effective_to=record.effective_to,
                )
                _fill_version(version, record, agency_kind)
                summary.created.append(record.code)
                continue
            same = _comparable(version_to_record(version)) == _comparable(content)
            if record.effective_from and record.effective_to != version.effective_to:
                same = False
            if same:
                summary.unchanged.append(record.code)
                continue
            if not version.is_locked:
                if record.effective_from:
                    version.effective_to = record.effective_to
                _fill_version(version, record, agency_kind)
                summary.updated.append(record.code)
                continue
            if record.effective_from:
                errors.append(exchange.RowError(
                    record.code, record.code,
                    _("the version in force from %(date)s is already used by dossiers and "
                      "cannot change; give the new rules a later effective_from")
                    % {"date": version.effective_from.strftime("%d/%m/%Y")},
                ))
                continue
            if version.effective_from >= today:
                errors.append(exchange.RowError(
                    record.code, record.code,
                    _("a version starting today is already used by dossiers; give the new "
                      "rules an effective_from after today"),
                ))
                continue
            version.effective_to = today
            version.save(update_fields=["effective_to"])
            new_version = ProcedureVersion(procedure=procedure, effective_from=today)
            _fill_version(new_version, record, agency_kind)
            summary.new_versions.append(record.code)
        _bundles_link(records, errors, today)
        if errors:
            raise CatalogImportError(errors)
    return summary


def _bundles_link(records, errors, today) -> None:
    """Members of linked bundles, once every procedure of the file exists."""
    for record in records:
        procedure = Procedure.objects.get(code=record.code)
        if record.effective_from:
            version = procedure.versions.filter(effective_from=record.effective_from).first()
        else:
            version = procedure.current_version(today) or procedure.versions.order_by(
                "-effective_from").first()
        wanted = [(m.procedure, m.optional) for m in record.bundle]
        current = [(m.procedure.code, m.optional)
                   for m in version.bundle_members.select_related("procedure")]
        if wanted == current:
            continue
        members = []
        for position, (code, optional) in enumerate(wanted):
            member = Procedure.objects.filter(code=code).first()
            if member is None:
                errors.append(exchange.RowError(
                    record.code, record.code,
                    _("bundle member %(code)s is not in the catalogue") % {"code": code}))
                continue
            members.append(BundleMember(version=version, procedure=member, optional=optional,
                                        position=position))
        version.bundle_members.all().delete()
        BundleMember.objects.bulk_create(members)


def catalog_import(*, path: Path, today: dt.date | None = None) -> ImportSummary:
    """Import a .json or .xlsx catalogue file: everything or, on any bad row, nothing."""
    records, errors = exchange.read_file(Path(path))
    if errors:
        raise CatalogImportError(errors)
    return catalog_import_records(records=records, today=today)


def catalog_export(*, path: Path, all_versions: bool = True) -> int:
    versions = (
        ProcedureVersion.objects.select_related("procedure", "field", "agency_kind")
        .prefetch_related("documents", "fees", "life_events", "process_steps__agency_kind",
                          "bundle_members__procedure")
        .order_by("procedure__code", "effective_from")
    )
    if not all_versions:
        versions = versions.filter(ProcedureVersion.in_force_q(timezone.localdate()))
    records = [version_to_record(v) for v in versions]
    exchange.write_file(records, Path(path))
    return len(records)
