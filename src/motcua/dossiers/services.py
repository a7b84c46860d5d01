"""Every write to a dossier. Each service runs in one transaction, locks the dossier, checks
that the action is legal now and that the actor may take it here, changes the dossier, and
writes exactly one DossierEvent. An illegal or unauthorised action changes nothing."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog.models import ProcessStep, StepAgency, StepRole
from motcua.core.formats import format_datetime
from motcua.eforms.schema import effective_schema
from motcua.eforms.validation import form_validate
from motcua.geo.models import ServiceDesk

from . import audit, codes, deadlines, lifecycle, permissions, routing
from .models import (
    Attachment,
    Channel,
    Dossier,
    DossierBundle,
    DossierEvent,
    DossierStep,
    Outcome,
    Rating,
    Satisfaction,
    Status,
)
from .signals import dossier_event_written

logger = logging.getLogger(__name__)


class DossierError(Exception):
    """A refused action, with a message for the person who tried it."""

    def __init__(self, message, code="refused", *, fields=None):
        super().__init__(str(message))
        self.message = str(message)
        self.code = code
        self.fields = fields or {}


@dataclass(frozen=True)
class PlannedStep:
    name: str
    role: str
    agency_rule: str
    agency_kind_id: int | None
    share: int


# Step names are written into the process control sheet, an official document: Vietnamese.
DEFAULT_PLAN = [
    PlannedStep("Thẩm định hồ sơ", StepRole.SPECIALIST, StepAgency.COMPETENT, None, 70),
    PlannedStep("Phê duyệt, ký kết quả", StepRole.LEADER, StepAgency.COMPETENT, None, 30),
]
COORDINATION_STEP = "Phối hợp xử lý"
RETURN_STEP = "Trả kết quả"


def _now(at=None):
    return at or timezone.now()


def _lock(dossier: Dossier) -> Dossier:
    return (
        Dossier.objects.select_for_update(of=("self",))
        .select_related("procedure_version", "procedure_version__agency_kind",
                        "current_step", "competent_agency", "receiving_agency",
                        "receiving_desk", "applicant_unit")
        .get(pk=dossier.pk)
    )


def _event(dossier, *, actor, action, from_status, to_status, reason="", data=None,
           role="", agency=None, at=None) -> DossierEvent:
    event = DossierEvent(
        dossier=dossier, at=_now(at), actor=actor if actor and actor.pk else None,
        actor_role=role, agency=agency, action=action, from_status=from_status,
        to_status=to_status, reason=reason or "", data=data or {},
    )
    # The chain continues from the dossier's last event; every caller holds the dossier's
    # row lock (or has just created it), so two events never claim the same predecessor.
    event.prev_hash = dossier.last_event_hash
    event.hash = audit.event_hash(event, event.prev_hash)
    event.save()
    Dossier.objects.filter(pk=dossier.pk).update(last_event_hash=event.hash)
    dossier.last_event_hash = event.hash
    dossier_event_written.send(sender=DossierEvent, event=event, dossier=dossier)
    return event


def _require(actor, dossier, action, *, reason=""):
    transition = lifecycle.transition_for(action)
    try:
        lifecycle.next_status(action, dossier.status, previous=dossier.resume_status)
    except lifecycle.IllegalTransition as exc:
        raise DossierError(exc.message, exc.code) from None
    if not permissions.may_act(actor, dossier, action):
        raise DossierError(_("You may not do this on this dossier."), "forbidden")
    if transition.needs_reason and not (reason or "").strip():
        raise DossierError(_("Write the reason: the applicant will read it."), "reason_required",
                           fields={"reason": [_("Write the reason.")]})
    return transition


def _role_for(actor, dossier, action) -> str:
    transition = lifecycle.transition_for(action)
    kinds = permissions.actor_kinds(actor, dossier) & transition.actors
    order = [lifecycle.LEADER, lifecycle.SPECIALIST, lifecycle.RECEIVER, lifecycle.APPLICANT]
    return next((k for k in order if k in kinds), "")


def _notify(dossier: Dossier, template: str, **context) -> None:
    """Tell the applicant, by email and SMS where we have them; queued in the same
    transaction as the change and sent after it commits."""
    from motcua.notifications.services import notification_queue

    from .notices import tracking_url

    context = {
        "dossier_code": dossier.code or "", "procedure_name": dossier.procedure_version.name,
        "applicant_name": dossier.applicant_name, "tracking_url": tracking_url(dossier.code),
        **context,
    }
    if dossier.applicant_email:
        notification_queue(channel="email", recipient=dossier.applicant_email,
                           template=template, context=context, dossier_code=dossier.code or "")
    if dossier.applicant_phone:
        notification_queue(channel="sms", recipient=dossier.applicant_phone,
                           template=template, context=context, dossier_code=dossier.code or "")


def _local_date(at: dt.datetime) -> dt.date:
    from motcua.core.formats import LOCAL_TZ

    return at.astimezone(LOCAL_TZ).date()


def _collect_how(dossier: Dossier) -> str:
    if dossier.procedure_version.result_electronic and dossier.channel == Channel.ONLINE:
        return _("The electronic result is on the portal; you can also collect it at %(desk)s.") \
            % {"desk": dossier.receiving_desk.name if dossier.receiving_desk else "—"}
    return _("Collect it at %(desk)s, with your receipt and identity card.") % {
        "desk": dossier.receiving_desk.name if dossier.receiving_desk else "—"}


# --- drafts ------------------------------------------------------------------------------------

def _applicant_fields_from(user) -> dict:
    return {
        "applicant_name": user.full_name or "",
        "applicant_national_id": user.national_id or "",
        "applicant_phone": user.phone or "",
        "applicant_email": user.email or "",
        "applicant_address": user.address or "",
        "applicant_unit": user.unit,
    }


# A community team member's help with a dossier (the event contract with the statistics):
# recorded when the draft is started, carried by the submit event.
ASSISTED_KEYS = ("assisted_by", "assisted_team", "assisted_mode")
ASSISTED_MODES = ("own_account", "on_behalf")


def _assisted_check(assisted: dict) -> dict:
    if set(assisted) != set(ASSISTED_KEYS) or assisted["assisted_mode"] not in ASSISTED_MODES \
            or not all(isinstance(assisted[k], int) for k in ("assisted_by", "assisted_team")):
        raise ValueError(f"assisted needs {ASSISTED_KEYS} with a mode in {ASSISTED_MODES}")
    return dict(assisted)


def _assisted_keys(dossier: Dossier) -> dict:
    """Who helped with this draft, as recorded by its draft_created event, or {}."""
    created = dossier.events.filter(action="draft_created").order_by("at", "pk").first()
    data = created.data if created else {}
    return {k: data[k] for k in ASSISTED_KEYS} if data.get("assisted_mode") else {}


@transaction.atomic
def dossier_draft_create(*, version, actor, applicant=None, channel=Channel.ONLINE,
                         desk: ServiceDesk | None = None, form: dict | None = None,
                         bundle_parts: list[str] | None = None,
                         assisted: dict | None = None) -> Dossier:
    """A citizen starts a dossier on their account; a desk officer starts one for a person
    who walked in (``applicant`` None, details typed from their papers). A community team
    member helping passes ``assisted`` (ASSISTED_KEYS); "on_behalf" starts it for a person
    who consented, without their account, as a walk-in's."""
    if actor.is_official and channel == Channel.ONLINE:
        raise DossierError(_("Officials receive dossiers at a desk, not online."), "forbidden")
    assisted = _assisted_check(assisted) if assisted else {}
    if not actor.is_official and assisted.get("assisted_mode") != "on_behalf":
        applicant = actor
    dossier = Dossier(
        procedure_version=version, applicant=applicant, created_by=actor, channel=channel,
        receiving_desk=desk, receiving_agency=desk.agency if desk else None,
        form_data=form or {},
    )
    if applicant is not None:
        for key, value in _applicant_fields_from(applicant).items():
            setattr(dossier, key, value)
        dossier.form_data = {**_known_answers(version, applicant), **dossier.form_data}
    if bundle_parts is not None:
        dossier.form_data = {**dossier.form_data, "_bundle_parts": bundle_parts}
    dossier.save()
    _event(dossier, actor=actor, action="draft_created", from_status=None,
           to_status=Status.DRAFT, role="applicant" if not actor.is_official else "receiver",
           data={"procedure": version.procedure.code, "channel": channel, **assisted})
    return dossier


# The e-forms' applicant fields (motcua.eforms.schema.standard_applicant_schema) and the
# dossier's applicant details they fill.
def _known_answers(version, user) -> dict:
    """What the account already says, put into the form so nobody types it again."""
    known = {
        "full_name": user.full_name, "national_id": user.national_id or "",
        "birth_date": user.date_of_birth.isoformat() if user.date_of_birth else "",
        "phone": user.phone, "email": user.email, "address": user.address,
        "commune": user.unit.code if user.unit_id else "",
    }
    fields = (effective_schema(version).get("properties") or {}).keys()
    return {k: v for k, v in known.items() if k in fields and v}


APPLICANT_FIELDS = {
    "full_name": "applicant_name", "national_id": "applicant_national_id",
    "phone": "applicant_phone", "email": "applicant_email", "address": "applicant_address",
}


@transaction.atomic
def dossier_form_save(*, dossier, actor, data: dict, step: int | None = None) -> Dossier:
    """Save what the applicant typed, valid or not, so nothing is ever lost; the draft
    remembers the step reached."""
    dossier = _lock(dossier)
    if dossier.status not in (Status.DRAFT, Status.SUPPLEMENT):
        raise DossierError(_("This dossier can no longer be edited."), "not_editable")
    if not permissions.actor_kinds(actor, dossier) & {lifecycle.APPLICANT, lifecycle.RECEIVER}:
        raise DossierError(_("You may not do this on this dossier."), "forbidden")
    before = dict(dossier.form_data)
    dossier.form_data = {**dossier.form_data, **data}
    if step is not None:
        dossier.form_step = max(dossier.form_step, step)
    _sync_applicant(dossier)
    dossier.save()
    changed = sorted(k for k in dossier.form_data if before.get(k) != dossier.form_data.get(k))
    _event(dossier, actor=actor, action="form_saved", from_status=dossier.status,
           to_status=dossier.status, data={"fields": changed, "step": step})
    return dossier


@transaction.atomic
def dossier_applicant_update(*, dossier, actor, name: str, national_id: str = "",
                             phone: str = "", email: str = "", address: str = "",
                             unit=None) -> Dossier:
    """The desk officer records who brought the dossier (a walk-in has no account): the
    applicant's details, and the commune that decides where the dossier is routed."""
    from motcua.accounts.models import validate_national_id

    dossier = _lock(dossier)
    if dossier.status != Status.DRAFT:
        raise DossierError(_("This dossier can no longer be edited."), "not_editable")
    kinds = permissions.actor_kinds(actor, dossier)
    # Besides the desk officer, whoever started an account-less draft for someone else (a
    # community team member submitting on a citizen's behalf) records whose it is.
    role = lifecycle.RECEIVER if lifecycle.RECEIVER in kinds else lifecycle.APPLICANT
    if lifecycle.RECEIVER not in kinds and not (
            lifecycle.APPLICANT in kinds and dossier.applicant_id is None):
        raise DossierError(_("You may not do this on this dossier."), "forbidden")
    fields: dict[str, list[str]] = {}
    if not name.strip():
        fields["applicant_name"] = [_("Enter the applicant's full name.")]
    if national_id.strip():
        try:
            validate_national_id(national_id.strip())
        except ValidationError as exc:
            fields["applicant_national_id"] = list(exc.messages)
    if unit is None:
        fields["applicant_unit"] = [_("Choose a commune or ward.")]
    if fields:
        raise DossierError(_("Please correct the marked fields."), "invalid", fields=fields)
    dossier.applicant_name = name.strip()[:150]
    dossier.applicant_national_id = national_id.strip()
    dossier.applicant_phone = phone.strip()[:10]
    dossier.applicant_email = email.strip()
    dossier.applicant_address = address.strip()[:255]
    dossier.applicant_unit = unit
    dossier.save()
    _event(dossier, actor=actor, action="applicant_recorded", from_status=dossier.status,
           to_status=dossier.status, role=role,
           data={"unit": unit.code})
    return dossier


def _sync_applicant(dossier: Dossier) -> None:
    """The standard form's applicant fields are the dossier's applicant details."""
    from motcua.geo.models import Unit

    data = dossier.form_data
    for field, attribute in APPLICANT_FIELDS.items():
        value = data.get(field)
        if isinstance(value, str) and value.strip():
            setattr(dossier, attribute, value.strip()[:255])
    unit_code = data.get("commune")
    if isinstance(unit_code, str) and unit_code:
        unit = Unit.objects.filter(code=unit_code).first()
        if unit:
            dossier.applicant_unit = unit


# --- attachments -------------------------------------------------------------------------------

def required_documents(dossier: Dossier):
    return list(dossier.procedure_version.documents.all())


def missing_documents(dossier: Dossier):
    present = set(dossier.attachments.values_list("document_key", flat=True))
    return [d for d in required_documents(dossier) if d.mandatory and d.key not in present]


def attachment_add(*, dossier, actor, document_key: str, fileobj, original_name: str,
                   expected_sha256: str | None = None, at=None) -> Attachment:
    """Check and store the file first, then record it; if recording fails the stored file is
    removed, so a dossier never points at a file that did not arrive whole."""
    from motcua.core.uploads import UploadRejected, stored_file_discard, upload_store

    keys = {d.key for d in required_documents(dossier)}
    if document_key not in keys:
        raise DossierError(_("This procedure does not ask for that document."),
                           "unknown_document")
    current = Dossier.objects.filter(pk=dossier.pk).values_list("status", flat=True).first()
    if current not in (Status.DRAFT, Status.SUPPLEMENT):
        raise DossierError(_("Documents can be added only before submitting or when a "
                             "supplement is requested."), "not_editable")
    if not permissions.actor_kinds(actor, dossier) & {lifecycle.APPLICANT, lifecycle.RECEIVER}:
        raise DossierError(_("You may not do this on this dossier."), "forbidden")
    try:
        stored = upload_store(fileobj=fileobj, original_name=original_name,
                              expected_sha256=expected_sha256)
    except UploadRejected as exc:
        raise DossierError(exc.message, exc.code) from exc
    try:
        with transaction.atomic():
            locked = _lock(dossier)
            if locked.status not in (Status.DRAFT, Status.SUPPLEMENT):
                raise DossierError(_("This dossier can no longer be edited."), "not_editable")
            attachment = Attachment.objects.create(
                dossier=locked, document_key=document_key, file=stored.name,
                original_name=original_name[:255], content_type=stored.content_type,
                size=stored.size, sha256=stored.sha256, pages=stored.pages,
                uploaded_by=actor, for_supplement=locked.status == Status.SUPPLEMENT,
                uploaded_at=_now(at),
            )
            _event(locked, actor=actor, action="attachment_added", from_status=locked.status,
                   to_status=locked.status, at=at,
                   data={"document": document_key, "sha256": stored.sha256, "size": stored.size,
                         "attachment": attachment.pk})
            transaction.on_commit(lambda: None)
    except BaseException:
        stored_file_discard(stored.name)
        raise
    return attachment


@transaction.atomic
def attachment_remove(*, dossier, actor, attachment: Attachment) -> None:
    locked = _lock(dossier)
    if attachment.dossier_id != locked.pk:
        raise DossierError(_("This file is not part of this dossier."), "not_found")
    if locked.status not in (Status.DRAFT, Status.SUPPLEMENT) or (
            locked.status == Status.SUPPLEMENT and not attachment.for_supplement):
        raise DossierError(_("This document can no longer be removed."), "not_editable")
    if not permissions.actor_kinds(actor, locked) & {lifecycle.APPLICANT, lifecycle.RECEIVER}:
        raise DossierError(_("You may not do this on this dossier."), "forbidden")
    name = attachment.file.name
    _event(locked, actor=actor, action="attachment_removed", from_status=locked.status,
           to_status=locked.status, data={"document": attachment.document_key,
                                          "sha256": attachment.sha256})
    attachment.delete()
    storage = attachment.file.storage
    transaction.on_commit(lambda: storage.delete(name))


# --- submission and intake ---------------------------------------------------------------------

def _check_complete(dossier: Dossier) -> None:
    schema = effective_schema(dossier.procedure_version)
    errors = form_validate(schema, dossier.form_data)
    missing = missing_documents(dossier)
    if errors or missing:
        fields = dict(errors)
        if missing:
            fields["_documents"] = [
                _("Missing: %(name)s") % {"name": d.name[:120]} for d in missing]
        raise DossierError(_("The dossier is not complete yet."), "incomplete", fields=fields)
    if dossier.applicant_unit is None:
        raise DossierError(_("Choose the commune or ward where the applicant lives."),
                           "no_unit", fields={"commune": [_("Choose a commune or ward.")]})


def _route(dossier: Dossier) -> None:
    version = dossier.procedure_version
    try:
        dossier.competent_agency = routing.competent_agency_find(
            version=version, unit=dossier.applicant_unit)
    except routing.RoutingError as exc:
        raise DossierError(str(exc), "no_agency") from exc
    if dossier.receiving_desk is None:
        dossier.receiving_desk = routing.intake_desk_find(agency=dossier.competent_agency)
    dossier.receiving_agency = (dossier.receiving_desk.agency if dossier.receiving_desk
                                else dossier.competent_agency)


def _assign_code(dossier: Dossier, at: dt.datetime) -> None:
    from motcua.core.formats import LOCAL_TZ

    day = at.astimezone(LOCAL_TZ).date()
    dossier.code = codes.dossier_code_next(agency=dossier.receiving_agency, day=day)


def _lock_version(version) -> None:
    if not version.is_locked:
        type(version).objects.filter(pk=version.pk).update(is_locked=True)
        version.is_locked = True


@transaction.atomic
def dossier_submit(*, dossier, actor, at=None) -> Dossier:
    """The applicant submits online: complete form, every mandatory document, routed to the
    competent agency, a dossier code, and a confirmation."""
    at = _now(at)
    dossier = _lock(dossier)
    if dossier.status != Status.DRAFT:
        raise DossierError(_("This dossier was already submitted (code %(code)s).")
                           % {"code": dossier.code}, "already_submitted")
    _require(actor, dossier, "submit")
    if dossier.procedure_version.bundle_members.exists():
        raise DossierError(_("Linked procedures are submitted as a bundle."), "use_bundle")
    _check_complete(dossier)
    _route(dossier)
    _assign_code(dossier, at)
    dossier.status = Status.NEW
    dossier.submitted_at = at
    dossier.save()
    _lock_version(dossier.procedure_version)
    _event(dossier, actor=actor, action="submit", from_status=Status.DRAFT, to_status=Status.NEW,
           role=lifecycle.APPLICANT, agency=dossier.receiving_agency, at=at,
           data={"code": dossier.code, "competent_agency": dossier.competent_agency.code,
                 **_assisted_keys(dossier)})
    _notify(dossier, "dossier_submitted", submitted_at=dossier.submitted_at)
    return dossier


def _online_only_refusal(desk: ServiceDesk, version, at: dt.datetime) -> str | None:
    from motcua.core.formats import LOCAL_TZ

    weekday = at.astimezone(LOCAL_TZ).isoweekday()
    if version.online_mode == "full" and weekday in (desk.online_only_weekdays or []):
        return _(
            "On this day this desk takes “%(procedure)s” online only. Submit it on the "
            "public service portal; the desk officers and the community digital technology "
            "team can help you do it here, on your phone. Phone: %(phone)s."
        ) % {"procedure": version.name, "phone": desk.phone or "—"}
    return None


def _start_processing_plan(dossier: Dossier, at: dt.datetime, actor) -> None:
    """Received: the appointment, then the first step of the process at its agency."""
    version = dossier.procedure_version
    dossier.received_at = deadlines.official_receipt_time(
        at=at, channel=dossier.channel, desk=dossier.receiving_desk)
    dossier.due_at = dossier.original_due_at = deadlines.appointment(
        received_at=dossier.received_at, version=version, channel=dossier.channel,
        desk=dossier.receiving_desk)
    _open_planned_step(dossier, position=0, start=dossier.received_at)


def process_plan(version) -> list[PlannedStep]:
    steps = [PlannedStep(s.name, s.role, s.agency_rule, s.agency_kind_id, s.share)
             for s in ProcessStep.objects.filter(version=version).order_by("position")]
    return steps or DEFAULT_PLAN


def _plan_deadlines(dossier: Dossier, plan: list[PlannedStep], start) -> list[dt.datetime]:
    return deadlines.step_deadlines(start=start, due=dossier.due_at,
                                    shares=[p.share for p in plan], desk=dossier.receiving_desk)


def _step_agency(dossier: Dossier, planned: PlannedStep):
    if planned.agency_rule == StepAgency.RECEIVING:
        return dossier.receiving_agency
    if planned.agency_rule == StepAgency.KIND and planned.agency_kind_id:
        return routing.agency_of_kind_find(kind_id=planned.agency_kind_id,
                                           unit=dossier.applicant_unit)
    return dossier.competent_agency


def _open_planned_step(dossier: Dossier, *, position: int, start: dt.datetime) -> DossierStep:
    plan = process_plan(dossier.procedure_version)
    planned = plan[position]
    due = _plan_deadlines(dossier, plan, dossier.received_at)[position]
    step = DossierStep.objects.create(
        dossier=dossier, position=position, name=planned.name, role=planned.role,
        agency=_step_agency(dossier, planned), started_at=start, due_at=max(due, start),
    )
    dossier.current_step = step
    return step


def _finish_step(dossier: Dossier, actor, at: dt.datetime, note: str = "") -> None:
    step = dossier.current_step
    if step is None or step.finished_at is not None:
        return
    step.finished_at = at
    step.finished_by = actor
    step.timeliness = deadlines.timeliness(finished_at=at, due_at=step.due_at)
    step.note = note
    step.save(update_fields=["finished_at", "finished_by", "timeliness", "note"])


@transaction.atomic
def dossier_receive(*, dossier, actor, at=None) -> Dossier:
    """A desk officer receives in person a dossier typed and scanned at the desk."""
    at = _now(at)
    dossier = _lock(dossier)
    if dossier.status != Status.DRAFT:
        raise DossierError(_("This dossier was already received (code %(code)s).")
                           % {"code": dossier.code}, "already_submitted")
    _require(actor, dossier, "receive")
    if dossier.receiving_desk is None:
        raise DossierError(_("Choose the desk receiving this dossier."), "no_desk")
    refusal = _online_only_refusal(dossier.receiving_desk, dossier.procedure_version, at)
    if refusal:
        raise DossierError(refusal, "online_only_day")
    _check_complete(dossier)
    _route(dossier)
    _assign_code(dossier, at)
    dossier.submitted_at = at
    dossier.status = Status.RECEIVED
    _start_processing_plan(dossier, at, actor)
    dossier.save()
    _lock_version(dossier.procedure_version)
    _event(dossier, actor=actor, action="receive", from_status=Status.DRAFT,
           to_status=Status.RECEIVED, role=lifecycle.RECEIVER, agency=dossier.receiving_agency,
           at=at, data={"code": dossier.code, "due_at": dossier.due_at.isoformat(),
                        "competent_agency": dossier.competent_agency.code})
    _notify(dossier, "dossier_received", received_at=dossier.received_at,
            appointment_date=_local_date(dossier.due_at),
            desk_name=dossier.receiving_desk.name if dossier.receiving_desk else "")
    return dossier


@transaction.atomic
def dossier_accept(*, dossier, actor, at=None) -> Dossier:
    """The desk officer found the online dossier complete: received, with an appointment."""
    at = _now(at)
    dossier = _lock(dossier)
    _require(actor, dossier, "accept")
    dossier.status = Status.RECEIVED
    _start_processing_plan(dossier, at, actor)
    dossier.save()
    _event(dossier, actor=actor, action="accept", from_status=Status.NEW,
           to_status=Status.RECEIVED, role=lifecycle.RECEIVER, agency=dossier.receiving_agency,
           at=at, data={"received_at": dossier.received_at.isoformat(),
                        "due_at": dossier.due_at.isoformat()})
    _notify(dossier, "dossier_received", received_at=dossier.received_at,
            appointment_date=_local_date(dossier.due_at),
            desk_name=dossier.receiving_desk.name if dossier.receiving_desk else "")
    return dossier


@transaction.atomic
def dossier_refuse(*, dossier, actor, reason: str, at=None) -> Dossier:
    at = _now(at)
    dossier = _lock(dossier)
    _require(actor, dossier, "refuse", reason=reason)
    dossier.status = Status.REJECTED
    dossier.closed_at = at
    dossier.save()
    _event(dossier, actor=actor, action="refuse", from_status=Status.NEW,
           to_status=Status.REJECTED, role=lifecycle.RECEIVER, agency=dossier.receiving_agency,
           reason=reason.strip(), at=at)
    _notify(dossier, "dossier_refused", reason=reason.strip())
    return dossier


@transaction.atomic
def dossier_request_supplement(*, dossier, actor, reason: str, items: list[str] | None = None,
                               at=None) -> Dossier:
    """Ask once, completely and in writing, for what is missing; the clock stops."""
    at = _now(at)
    dossier = _lock(dossier)
    _require(actor, dossier, "request_supplement", reason=reason)
    items = [i.strip() for i in (items or []) if i and i.strip()]
    role = _role_for(actor, dossier, "request_supplement")
    before = dossier.status
    dossier.resume_status = before
    dossier.status = Status.SUPPLEMENT
    dossier.paused_at = at
    dossier.save()
    if dossier.current_step and dossier.current_step.finished_at is None:
        DossierStep.objects.filter(pk=dossier.current_step_id).update(is_paused=True)
    _event(dossier, actor=actor, action="request_supplement", from_status=before,
           to_status=Status.SUPPLEMENT, role=role, reason=reason.strip(), at=at,
           agency=dossier.current_step.agency if dossier.current_step else
           dossier.receiving_agency, data={"items": items})
    _notify(dossier, "supplement_requested", reason=reason.strip(),
            items=items or [reason.strip()], contact=actor.full_name or actor.username)
    return dossier


@transaction.atomic
def dossier_supplement(*, dossier, actor, note: str = "", at=None) -> Dossier:
    """The applicant (or the desk for them) sends what was asked; the clock restarts or
    resumes as the procedure says."""
    at = _now(at)
    dossier = _lock(dossier)
    _require(actor, dossier, "supplement")
    new_files = dossier.attachments.filter(for_supplement=True, uploaded_at__gte=dossier.paused_at)
    if not new_files.exists() and not note.strip():
        raise DossierError(_("Add the documents asked for, or write what you changed."),
                           "nothing_supplied")
    if dossier.resume_status == Status.NEW:
        _check_complete(dossier)
    target = dossier.resume_status
    data = {"files": list(new_files.values_list("document_key", flat=True))}
    if target in (Status.PROCESSING, Status.RECEIVED) and dossier.due_at:
        new_due = deadlines.due_after_supplement(
            version=dossier.procedure_version, channel=dossier.channel,
            received_at=dossier.received_at, paused_at=dossier.paused_at, resumed_at=at,
            desk=dossier.receiving_desk)
        data.update(previous_due_at=dossier.due_at.isoformat(), due_at=new_due.isoformat())
        # The applicant's delay is not the agency's: lateness is judged on the new date.
        dossier.due_at = dossier.original_due_at = new_due
        if dossier.current_step and dossier.current_step.finished_at is None:
            step = dossier.current_step
            step.due_at = max(step.due_at, min(new_due, step.due_at + (at - dossier.paused_at)))
            step.save(update_fields=["due_at"])
    if dossier.current_step_id:
        DossierStep.objects.filter(pk=dossier.current_step_id).update(is_paused=False)
    dossier.status = target
    dossier.paused_at = None
    dossier.resume_status = None
    dossier.save()
    _event(dossier, actor=actor, action="supplement", from_status=Status.SUPPLEMENT,
           to_status=target, role=_role_for(actor, dossier, "supplement") or "applicant",
           reason=note.strip(), data=data, at=at)
    return dossier


# --- processing --------------------------------------------------------------------------------

@transaction.atomic
def dossier_start(*, dossier, actor, at=None) -> Dossier:
    at = _now(at)
    dossier = _lock(dossier)
    _require(actor, dossier, "start")
    dossier.status = Status.PROCESSING
    if dossier.current_step:
        dossier.current_step.assigned_to = actor
        dossier.current_step.save(update_fields=["assigned_to"])
    dossier.save()
    _event(dossier, actor=actor, action="start", from_status=Status.RECEIVED,
           to_status=Status.PROCESSING, role=lifecycle.SPECIALIST,
           agency=dossier.current_step.agency if dossier.current_step else None, at=at)
    _notify(dossier, "dossier_processing", appointment_date=_local_date(dossier.due_at),
            agency_name=dossier.current_step.agency.name if dossier.current_step else "")
    return dossier


@transaction.atomic
def dossier_forward(*, dossier, actor, to_agency=None, note: str = "", at=None) -> Dossier:
    """Hand the dossier to the next step of the process, or to another agency for its part
    (it comes back to the next step of the process when that agency forwards it on)."""
    at = _now(at)
    dossier = _lock(dossier)
    _require(actor, dossier, "forward")
    current = dossier.current_step
    role = _role_for(actor, dossier, "forward")
    plan = process_plan(dossier.procedure_version)
    if to_agency is not None and current and to_agency.pk == current.agency_id:
        raise DossierError(_("The dossier is already at this agency."), "same_agency")
    _finish_step(dossier, actor, at, note)
    planned_done = dossier.steps.filter(is_planned=True, finished_at__isnull=False).count()
    if to_agency is not None:
        step = DossierStep.objects.create(
            dossier=dossier, position=current.position if current else 0,
            name=COORDINATION_STEP, role=StepRole.SPECIALIST, agency=to_agency,
            is_planned=False, started_at=at,
            due_at=current.due_at if current else dossier.due_at,
        )
        dossier.current_step = step
    else:
        if planned_done >= len(plan):
            raise DossierError(_("This is the last step: approve or decline the request."),
                               "last_step")
        _open_planned_step(dossier, position=planned_done, start=at)
    dossier.save()
    _event(dossier, actor=actor, action="forward", from_status=dossier.status,
           to_status=dossier.status, role=role, agency=current.agency if current else None,
           reason=note.strip(), at=at,
           data={"from_step": current.name if current else "",
                 "to_step": dossier.current_step.name,
                 "to_agency": dossier.current_step.agency.code})
    return dossier


def _resolve(dossier, actor, at, action, outcome, reason=""):
    dossier = _lock(dossier)
    _require(actor, dossier, action, reason=reason)
    step_agency = dossier.current_step.agency if dossier.current_step else None
    _finish_step(dossier, actor, at, reason)
    dossier.status = Status.RESOLVED
    dossier.outcome = outcome
    dossier.resolved_at = at
    timeliness = deadlines.timeliness(finished_at=at, due_at=dossier.original_due_at)
    dossier.current_step = DossierStep.objects.create(
        dossier=dossier, position=99, name=RETURN_STEP, role=StepRole.RECEIVER,
        agency=dossier.receiving_agency, is_planned=False, started_at=at,
        due_at=max(at, dossier.due_at),
    )
    dossier.save()
    _event(dossier, actor=actor, action=action, from_status=Status.PROCESSING,
           to_status=Status.RESOLVED, role=lifecycle.LEADER, agency=step_agency,
           reason=(reason or "").strip(), at=at,
           data={"outcome": outcome, "timeliness": timeliness})
    _notify(dossier, "dossier_resolved", collect_how=_collect_how(dossier),
            result_name=dossier.procedure_version.result_name[:200])
    return dossier


@transaction.atomic
def dossier_approve(*, dossier, actor, at=None) -> Dossier:
    return _resolve(dossier, actor, _now(at), "approve", Outcome.GRANTED)


@transaction.atomic
def dossier_decline(*, dossier, actor, reason: str, at=None) -> Dossier:
    return _resolve(dossier, actor, _now(at), "decline", Outcome.REFUSED, reason)


@transaction.atomic
def dossier_return_result(*, dossier, actor, at=None) -> Dossier:
    at = _now(at)
    dossier = _lock(dossier)
    _require(actor, dossier, "return_result")
    _finish_step(dossier, actor, at)
    dossier.status = Status.RETURNED
    dossier.returned_at = dossier.closed_at = at
    dossier.save()
    _event(dossier, actor=actor, action="return_result", from_status=Status.RESOLVED,
           to_status=Status.RETURNED, role=lifecycle.RECEIVER, agency=dossier.receiving_agency,
           at=at)
    _notify(dossier, "dossier_returned", returned_at=at)
    return dossier


@transaction.atomic
def dossier_withdraw(*, dossier, actor, reason: str, at=None) -> Dossier:
    at = _now(at)
    dossier = _lock(dossier)
    _require(actor, dossier, "withdraw", reason=reason)
    before = dossier.status
    _finish_step(dossier, actor, at, reason)
    dossier.status = Status.WITHDRAWN
    dossier.closed_at = at
    dossier.save()
    _event(dossier, actor=actor, action="withdraw", from_status=before,
           to_status=Status.WITHDRAWN, role=_role_for(actor, dossier, "withdraw"),
           reason=reason.strip(), at=at)
    _notify(dossier, "dossier_withdrawn")
    return dossier


@transaction.atomic
def dossier_stop(*, dossier, actor, reason: str, at=None) -> Dossier:
    at = _now(at)
    dossier = _lock(dossier)
    _require(actor, dossier, "stop", reason=reason)
    before = dossier.status
    agency = dossier.current_step.agency if dossier.current_step else None
    _finish_step(dossier, actor, at, reason)
    dossier.status = Status.STOPPED
    dossier.closed_at = at
    dossier.save()
    _event(dossier, actor=actor, action="stop", from_status=before, to_status=Status.STOPPED,
           role=lifecycle.LEADER, agency=agency, reason=reason.strip(), at=at)
    _notify(dossier, "dossier_stopped", reason=reason.strip())
    return dossier


@transaction.atomic
def dossier_apologize(*, dossier, actor, reason: str, new_due_at: dt.datetime,
                      at=None) -> Dossier:
    """Văn bản xin lỗi và hẹn lại ngày trả kết quả: a new appointment, once (a setting); the
    dossier still counts as late against its first appointment."""
    at = _now(at)
    dossier = _lock(dossier)
    _require(actor, dossier, "apologize", reason=reason)
    if dossier.apology_count >= deadlines.apology_limit():
        raise DossierError(_("The appointment has already been moved as many times as "
                             "allowed."), "apology_limit")
    if new_due_at <= dossier.due_at:
        raise DossierError(_("The new appointment must be later than %(due)s.")
                           % {"due": format_datetime(dossier.due_at)}, "apology_date",
                           fields={"new_due_at": [_("Choose a later date.")]})
    previous = dossier.due_at
    dossier.due_at = new_due_at
    dossier.apology_count += 1
    dossier.save()
    _event(dossier, actor=actor, action="apologize", from_status=dossier.status,
           to_status=dossier.status, role=_role_for(actor, dossier, "apologize"),
           agency=dossier.current_step.agency if dossier.current_step else None,
           reason=reason.strip(), at=at,
           data={"previous_due_at": previous.isoformat(), "due_at": new_due_at.isoformat(),
                 "before_deadline": at < previous})
    _notify(dossier, "dossier_apology", reason=reason.strip(),
            new_appointment_date=_local_date(new_due_at), appointment_date=_local_date(previous))
    return dossier


@transaction.atomic
def dossier_rate(*, dossier, actor, level: int, comment: str = "", at=None) -> Rating:
    at = _now(at)
    dossier = _lock(dossier)
    if dossier.status != Status.RETURNED:
        raise DossierError(_("You can rate the service once the result is returned."),
                           "not_returned")
    if lifecycle.APPLICANT not in permissions.actor_kinds(actor, dossier):
        raise DossierError(_("Only the applicant rates the service."), "forbidden")
    if level not in Satisfaction.values:
        raise DossierError(_("Choose one of the answers."), "invalid_level")
    if Rating.objects.filter(dossier=dossier).exists():
        raise DossierError(_("You have already rated this dossier. Thank you!"),
                           "already_rated")
    rating = Rating.objects.create(dossier=dossier, level=level, comment=comment.strip(), at=at)
    _event(dossier, actor=actor, action="rate", from_status=dossier.status,
           to_status=dossier.status, role=lifecycle.APPLICANT, at=at,
           data={"level": level})
    return rating


# --- linked bundles ----------------------------------------------------------------------------

@transaction.atomic
def bundle_submit(*, dossier, actor, parts: list[str] | None = None, at=None) -> DossierBundle:
    """Submit a linked-procedure draft: one dossier per chosen member procedure, each at its
    own competent agency with its own code and deadline; the draft becomes the bundle."""
    from motcua.catalog.models import ProcedureVersion

    at = _now(at)
    dossier = _lock(dossier)
    if dossier.status != Status.DRAFT:
        raise DossierError(_("This dossier was already submitted."), "already_submitted")
    _require(actor, dossier, "submit")
    version = dossier.procedure_version
    members = list(version.bundle_members.select_related("procedure"))
    if not members:
        raise DossierError(_("This procedure is not a bundle."), "not_bundle")
    chosen = [m for m in members if not m.optional or parts is None
              or m.procedure.code in parts]
    if len(chosen) < 2:
        raise DossierError(_("Choose at least two of the linked procedures."), "too_few_parts")
    _check_complete(dossier)
    assisted = _assisted_keys(dossier)
    bundle = DossierBundle.objects.create(
        code=f"LT-{at:%y%m%d}-{dossier.pk:06d}", procedure_version=version,
        applicant=dossier.applicant, created_at=at)
    children = []
    for member in chosen:
        child_version = member.procedure.current_version(at.date()) or (
            ProcedureVersion.objects.filter(procedure=member.procedure)
            .order_by("-effective_from").first())
        child = Dossier(
            procedure_version=child_version, bundle=bundle, applicant=dossier.applicant,
            created_by=dossier.created_by, channel=dossier.channel, form_data=dossier.form_data,
            applicant_name=dossier.applicant_name,
            applicant_national_id=dossier.applicant_national_id,
            applicant_phone=dossier.applicant_phone, applicant_email=dossier.applicant_email,
            applicant_address=dossier.applicant_address, applicant_unit=dossier.applicant_unit,
            receiving_desk=dossier.receiving_desk,
        )
        _route(child)
        _assign_code(child, at)
        child.status = Status.NEW
        child.submitted_at = at
        child.save()
        _event(child, actor=actor, action="submit", from_status=Status.DRAFT,
               to_status=Status.NEW, role=lifecycle.APPLICANT, agency=child.receiving_agency,
               at=at, data={"code": child.code, "bundle": bundle.code,
                            "competent_agency": child.competent_agency.code, **assisted})
        _lock_version(child_version)
        children.append(child)
    # The draft's documents belong to every part.
    for attachment in dossier.attachments.all():
        for child in children:
            Attachment.objects.create(
                dossier=child, document_key=attachment.document_key, file=attachment.file.name,
                original_name=attachment.original_name, content_type=attachment.content_type,
                size=attachment.size, sha256=attachment.sha256, pages=attachment.pages,
                uploaded_by=attachment.uploaded_by, uploaded_at=attachment.uploaded_at)
    # The draft stays a draft (never counted, never synchronised), marked as the bundle's.
    dossier.bundle = bundle
    dossier.save()
    _event(dossier, actor=actor, action="bundle_split", from_status=Status.DRAFT,
           to_status=Status.DRAFT, role=lifecycle.APPLICANT, at=at,
           data={"bundle": bundle.code, "parts": [c.code for c in children]})
    for child in children:
        _notify(child, "dossier_submitted", submitted_at=child.submitted_at)
    return bundle


def dossier_act(*, dossier, actor, action: str, reason: str = "", items=None, to_agency=None,
                new_due_at=None, level=None, comment: str = "", note: str = "") -> Dossier:
    """One entry for every action by name (the API's and the pages' forms)."""
    kwargs = {"dossier": dossier, "actor": actor}
    match action:
        case "submit":
            return dossier_submit(**kwargs)
        case "receive":
            return dossier_receive(**kwargs)
        case "accept":
            return dossier_accept(**kwargs)
        case "refuse":
            return dossier_refuse(**kwargs, reason=reason)
        case "request_supplement":
            return dossier_request_supplement(**kwargs, reason=reason, items=items or [])
        case "supplement":
            return dossier_supplement(**kwargs, note=note or reason)
        case "start":
            return dossier_start(**kwargs)
        case "forward":
            return dossier_forward(**kwargs, to_agency=to_agency, note=note or reason)
        case "approve":
            return dossier_approve(**kwargs)
        case "decline":
            return dossier_decline(**kwargs, reason=reason)
        case "return_result":
            return dossier_return_result(**kwargs)
        case "withdraw":
            return dossier_withdraw(**kwargs, reason=reason)
        case "stop":
            return dossier_stop(**kwargs, reason=reason)
        case "apologize":
            if new_due_at is None:
                raise DossierError(_("Give the new appointment date."), "apology_date",
                                   fields={"new_due_at": [_("Choose a later date.")]})
            return dossier_apologize(**kwargs, reason=reason, new_due_at=new_due_at)
        case "rate":
            dossier_rate(**kwargs, level=level or 0, comment=comment)
            return dossier
    raise DossierError(_("Unknown action “%(action)s”.") % {"action": action},
                       "unknown_action")
