import datetime as dt

from django.conf import settings
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile

from motcua.api.auth import AUTH
from motcua.api.errors import ApiError, NotFound
from motcua.catalog.models import Procedure
from motcua.core.ratelimit import client_address, rate_limit_hit
from motcua.eforms.schema import effective_schema
from motcua.eforms.validation import form_validate
from motcua.geo.models import Agency
from motcua.resumable import services as resumable

from . import permissions, selectors, services
from .models import Dossier, Status

router = Router(tags=["dossiers"])

STATUS_BY_CODE = {
    "forbidden": 403, "not_found": 404, "incomplete": 422, "reason_required": 422,
    "no_unit": 422, "unknown_document": 422, "apology_date": 422, "invalid_level": 422,
    "nothing_supplied": 422, "unsupported_type": 422, "damaged": 422, "too_large": 413,
    "unknown_action": 404, "storage_full": 507,
    "checksum_mismatch": 422, "encrypted_pdf": 422, "empty": 422, "no_agency": 422,
}


def _error(exc: services.DossierError) -> ApiError:
    detail = exc.message
    if exc.fields:
        detail += " " + "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.fields.items())
    return ApiError(detail, code=exc.code, status=STATUS_BY_CODE.get(exc.code, 409))


class DraftIn(Schema):
    procedure: str
    form: dict = {}


class FormIn(Schema):
    form: dict


class EventOut(Schema):
    at: dt.datetime
    action: str
    from_status: int | None
    to_status: int | None
    actor_role: str
    reason: str


class DossierOut(Schema):
    id: int
    code: str | None
    procedure: str
    procedure_name: str
    status_code: int
    status: str
    channel: str
    submitted_at: dt.datetime | None
    received_at: dt.datetime | None
    due_at: dt.datetime | None
    competent_agency: str | None
    current_step: str | None
    form: dict
    form_errors: dict[str, list[str]]
    attachments: list[dict]
    missing_documents: list[str]
    events: list[EventOut]
    bundle: str | None


def _out(dossier: Dossier) -> dict:
    version = dossier.procedure_version
    errors = {}
    if dossier.status in (Status.DRAFT, Status.SUPPLEMENT):
        errors = form_validate(effective_schema(version), dossier.form_data)
    return {
        "id": dossier.pk, "code": dossier.code, "procedure": version.procedure.code,
        "procedure_name": version.name, "status_code": dossier.status,
        "status": str(Status(dossier.status).label), "channel": dossier.channel,
        "submitted_at": dossier.submitted_at, "received_at": dossier.received_at,
        "due_at": dossier.due_at,
        "competent_agency": dossier.competent_agency.code if dossier.competent_agency_id
        else None,
        "current_step": dossier.current_step.name if dossier.current_step_id else None,
        "form": {k: v for k, v in dossier.form_data.items() if not k.startswith("_")},
        "form_errors": errors,
        "attachments": [
            {"id": a.pk, "document": a.document_key, "name": a.original_name,
             "content_type": a.content_type, "size": a.size, "sha256": a.sha256}
            for a in dossier.attachments.all()
        ],
        "missing_documents": [d.key for d in services.missing_documents(dossier)],
        "events": [
            {"at": e.at, "action": e.action, "from_status": e.from_status,
             "to_status": e.to_status, "actor_role": e.actor_role, "reason": e.reason}
            for e in selectors.dossier_events(dossier)
        ],
        "bundle": dossier.bundle.code if dossier.bundle_id else None,
    }


def _draft(request, dossier_id: int) -> Dossier:
    dossier = Dossier.objects.select_related("procedure_version").filter(pk=dossier_id).first()
    if dossier is None or not permissions.dossier_visible(request.auth, dossier):
        raise NotFound(_("No such dossier."))
    return dossier


def _by_code(request, code: str) -> Dossier:
    dossier = Dossier.objects.select_related("procedure_version", "current_step").filter(
        code=code).first()
    if dossier is None or not permissions.dossier_visible(request.auth, dossier):
        raise NotFound(_("No such dossier."))
    return dossier


@router.post("/dossiers", response={201: DossierOut}, auth=AUTH, summary="Start a draft")
def dossier_create(request, payload: DraftIn):
    procedure = Procedure.objects.filter(code=payload.procedure).first()
    version = procedure.current_version() if procedure else None
    if version is None:
        raise NotFound(_("No procedure with code %(code)s is in force.")
                       % {"code": payload.procedure})
    if version.online_mode == "none":
        raise ApiError(_("This procedure cannot be submitted online."), code="not_online",
                       status=409)
    try:
        dossier = services.dossier_draft_create(version=version, actor=request.auth)
        if payload.form:
            dossier = services.dossier_form_save(dossier=dossier, actor=request.auth,
                                                 data=payload.form)
    except services.DossierError as exc:
        raise _error(exc) from exc
    return 201, _out(dossier)


def _by_ref(request, ref: str) -> Dossier:
    """A dossier by its number (drafts have no code yet) or by its code."""
    return _draft(request, int(ref)) if ref.isdigit() else _by_code(request, ref)


@router.patch("/dossiers/{ref}", response=DossierOut, auth=AUTH,
              summary="Save the form of a draft")
def dossier_form_update(request, ref: str, payload: FormIn):
    """`ref` is the draft's number (or its code once submitted, while a supplement is
    asked)."""
    dossier = _by_ref(request, ref)
    try:
        dossier = services.dossier_form_save(dossier=dossier, actor=request.auth,
                                             data=payload.form)
    except services.DossierError as exc:
        raise _error(exc) from exc
    return _out(dossier)


class AttachmentOut(Schema):
    id: int
    document: str
    name: str
    content_type: str
    size: int
    sha256: str
    missing_documents: list[str]


@router.post("/dossiers/{dossier_id}/attachments", response={201: AttachmentOut}, auth=AUTH,
             summary="Attach a document (multipart, or a finished resumable upload)")
def attachment_create(request, dossier_id: int, document: Form[str],
                      file: File[UploadedFile] = None, sha256: Form[str] = "",
                      upload: Form[str] = ""):
    """`document` is the key of a required document of the procedure. Either `file` (with an
    optional `sha256`, checked against what arrived), or `upload`: the id of a finished tus
    upload (POST /api/v1/uploads), for files sent in pieces over a weak connection."""
    dossier = _draft(request, dossier_id)
    try:
        if upload and file is None:
            attachment = resumable.upload_hand_over(
                session_id=upload, owner=request.auth,
                receive=lambda fileobj, name, digest: services.attachment_add(
                    dossier=dossier, actor=request.auth, document_key=document,
                    fileobj=fileobj, original_name=name, expected_sha256=digest))
        elif file is not None:
            attachment = services.attachment_add(
                dossier=dossier, actor=request.auth, document_key=document, fileobj=file,
                original_name=file.name or "tep", expected_sha256=sha256 or None)
        else:
            raise ApiError(_("Send a file, or the id of a finished upload."), code="no_file",
                           status=422)
    except services.DossierError as exc:
        raise _error(exc) from exc
    except resumable.ResumableError as exc:
        raise ApiError(exc.message, code="upload", status=exc.status) from exc
    # The stored file and what is still missing: a phone on 3G needs no more than that.
    return 201, {
        "id": attachment.pk, "document": attachment.document_key,
        "name": attachment.original_name, "content_type": attachment.content_type,
        "size": attachment.size, "sha256": attachment.sha256,
        "missing_documents": [d.key for d in services.missing_documents(dossier)],
    }


@router.post("/dossiers/{dossier_id}/submit", response=DossierOut, auth=AUTH,
             summary="Submit a draft")
def dossier_submit(request, dossier_id: int):
    dossier = _draft(request, dossier_id)
    try:
        dossier = services.dossier_submit(dossier=dossier, actor=request.auth)
    except services.DossierError as exc:
        raise _error(exc) from exc
    return _out(dossier)


class ActionIn(Schema):
    reason: str = ""
    items: list[str] = []
    to_agency: str | None = None
    new_due_at: dt.datetime | None = None
    level: int | None = None
    comment: str = ""
    note: str = ""


@router.post("/dossiers/{code}/actions/{action}", response=DossierOut, auth=AUTH,
             summary="Act on a dossier")
def dossier_act(request, code: str, action: str, body: ActionIn | None = None):
    """Actions: accept, refuse, request_supplement, supplement, start, forward, approve,
    decline, return_result, withdraw, stop, apologize, rate. Those that need a reason refuse
    to act without one; an action not allowed now, or not to you, changes nothing."""
    dossier = _by_code(request, code)
    body = body or ActionIn()
    target = None
    if body.to_agency:
        target = Agency.objects.filter(code=body.to_agency).first()
        if target is None:
            raise NotFound(_("No agency has code %(code)s.") % {"code": body.to_agency})
    try:
        dossier = services.dossier_act(
            dossier=dossier, actor=request.auth, action=action, reason=body.reason,
            items=body.items, to_agency=target, new_due_at=body.new_due_at,
            level=body.level, comment=body.comment, note=body.note)
    except services.DossierError as exc:
        raise _error(exc) from exc
    return _out(Dossier.objects.get(pk=dossier.pk))


@router.get("/dossiers/{ref}", response=DossierOut, auth=AUTH,
            summary="A dossier and its events")
def dossier_detail(request, ref: str):
    """By code, or by number for a draft."""
    return _out(_by_ref(request, ref))


class WorkItem(Schema):
    code: str | None
    procedure: str
    applicant: str
    status_code: int
    status: str
    received_at: dt.datetime | None
    submitted_at: dt.datetime | None
    due_at: dt.datetime | None
    step: str | None
    step_due_at: dt.datetime | None
    deadline: str | None


class WorkList(Schema):
    queue: str
    count: int
    items: list[WorkItem]


@router.get("/worklist", response=WorkList, auth=AUTH, summary="The caller's work queue")
def worklist(request, queue: str = "processing", q: str = "", page: int = 1):
    """Queues: intake, processing, results, waiting. What is due first comes first."""
    if queue not in selectors.QUEUES:
        raise ApiError(_("Unknown queue."), code="invalid", status=422)
    if not getattr(request.auth, "is_official", False):
        raise ApiError(_("Only officials have a work queue."), code="forbidden", status=403)
    size = settings.PAGE_SIZE
    items, total = selectors.worklist(user=request.auth, queue=queue, query=q[:100],
                                      limit=size, offset=(max(1, page) - 1) * size)
    out = []
    for d in items:
        step = d.current_step
        state = selectors.deadline_state(due_at=step.due_at if step else d.due_at)
        out.append({
            "code": d.code, "procedure": d.procedure_version.name, "applicant": d.applicant_name,
            "status_code": d.status, "status": str(Status(d.status).label),
            "received_at": d.received_at, "submitted_at": d.submitted_at, "due_at": d.due_at,
            "step": step.name if step else None, "step_due_at": step.due_at if step else None,
            "deadline": state.text if state else None,
        })
    return {"queue": queue, "count": total, "items": out}


class TrackingStep(Schema):
    at: dt.datetime
    status_code: int
    status: str


class TrackingOut(Schema):
    code: str
    procedure: str
    status_code: int
    status: str
    received_at: dt.datetime | None
    due_at: dt.datetime | None
    history: list[TrackingStep]


@router.get("/tracking/{code}", response=TrackingOut, summary="Progress of a dossier, "
            "without personal data")
def tracking(request, code: str, verify: str = ""):
    """`verify` = the last 4 digits of the applicant's identification number or phone. A wrong
    check and an unknown code give the same 404."""
    if rate_limit_hit(scope="tracking", key=client_address(request),
                      limit=settings.TRACKING_RATE_LIMIT):
        raise ApiError(_("Too many lookups. Please wait a few minutes."), code="rate_limited",
                       status=429)
    found = selectors.tracking_find(code=code, verify=verify)
    if found is None:
        raise NotFound(_("No dossier matches this code and check."))
    return {
        "code": found.code, "procedure": found.procedure, "status_code": found.status,
        "status": found.status_label, "received_at": found.received_at,
        "due_at": found.due_at, "history": found.history,
    }
