"""A citizen's dossier: start, fill the form step by step (saved at every step), attach
documents, review, submit; then follow it, answer a supplement request, withdraw, rate."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from motcua.catalog.models import Procedure
from motcua.core.ratelimit import client_address, rate_limit_hit
from motcua.dossiers import notices, permissions, selectors, services
from motcua.dossiers.models import Attachment, Dossier, Satisfaction, Status
from motcua.eforms.render import error_summary_render, form_answers, form_render, form_steps
from motcua.eforms.schema import effective_schema
from motcua.eforms.validation import form_clean, form_validate
from motcua.resumable import services as resumable

EDITABLE = (Status.DRAFT, Status.SUPPLEMENT)


def _own(request, pk) -> Dossier:
    dossier = get_object_or_404(
        Dossier.objects.select_related("procedure_version", "procedure_version__procedure",
                                       "current_step", "competent_agency", "receiving_desk"),
        pk=pk)
    if lifecycle_applicant(request.user, dossier):
        return dossier
    raise Http404


def lifecycle_applicant(user, dossier) -> bool:
    from motcua.dossiers import lifecycle

    return lifecycle.APPLICANT in permissions.actor_kinds(user, dossier)


def _flow(dossier):
    """Page titles of the whole submission, for "Bước 2/5"."""
    schema = effective_schema(dossier.procedure_version)
    steps = form_steps(schema)
    return schema, steps, len(steps) + 2


@login_required
@require_http_methods(["GET", "POST"])
def dossier_start(request, code):
    procedure = get_object_or_404(Procedure, code=code)
    version = procedure.current_version()
    if version is None:
        raise Http404
    if getattr(request.user, "is_official", False):
        messages.info(request, _("Officials receive dossiers from the back office."))
        return redirect("backoffice:intake")
    drafts = Dossier.objects.filter(applicant=request.user, procedure_version__procedure=procedure,
                                    status=Status.DRAFT, bundle__isnull=True)
    if request.method == "POST":
        if version.online_mode == "none":
            raise Http404
        try:
            dossier = services.dossier_draft_create(version=version, actor=request.user)
        except services.DossierError as exc:
            messages.error(request, exc.message)
            return redirect("portal:procedure", code=code)
        return redirect("portal:dossier_step", pk=dossier.pk, number=1)
    return render(request, "portal/dossier_start.html", {
        "v": version, "drafts": drafts,
        "members": list(version.bundle_members.select_related("procedure")),
    })


@login_required
@require_http_methods(["GET", "POST"])
def dossier_step(request, pk, number):
    dossier = _own(request, pk)
    if dossier.status not in EDITABLE:
        return redirect("portal:dossier", pk=pk)
    schema, steps, total = _flow(dossier)
    if not 1 <= number <= len(steps):
        raise Http404
    errors = {}
    data = dossier.form_data
    if request.method == "POST":
        cleaned = form_clean(schema, request.POST, step=number)
        dossier = services.dossier_form_save(dossier=dossier, actor=request.user, data=cleaned,
                                             step=number)
        data = dossier.form_data
        errors = form_validate(schema, data, step=number)
        if "save" in request.POST:
            messages.success(request, _("Saved. You can come back and finish later."))
        elif not errors:
            if number < len(steps):
                return redirect("portal:dossier_step", pk=pk, number=number + 1)
            return redirect("portal:dossier_documents", pk=pk)
    return render(request, "portal/dossier_step.html", {
        "dossier": dossier, "step_title": steps[number - 1], "number": number, "total": total,
        "form_html": form_render(schema, data, errors, step=number),
        "summary_html": error_summary_render(errors, schema) if errors else "",
        "previous": number - 1 if number > 1 else None,
    })


@login_required
@require_http_methods(["GET", "POST"])
def dossier_documents(request, pk):
    dossier = _own(request, pk)
    if dossier.status not in EDITABLE:
        return redirect("portal:dossier", pk=pk)
    _schema, steps, total = _flow(dossier)
    problems = {}
    if request.method == "POST":
        if "remove" in request.POST:
            attachment = dossier.attachments.filter(pk=request.POST.get("remove")).first()
            if attachment:
                try:
                    services.attachment_remove(dossier=dossier, actor=request.user,
                                               attachment=attachment)
                    messages.success(request, _("File removed."))
                except services.DossierError as exc:
                    messages.error(request, exc.message)
            return redirect("portal:dossier_documents", pk=pk)
        key = request.POST.get("document", "")
        upload = request.FILES.get("file")
        if request.POST.get("upload") and upload is None:
            # A file sent in pieces by the page's resumable-upload script.
            try:
                resumable.upload_hand_over(
                    session_id=request.POST["upload"], owner=request.user,
                    receive=lambda fileobj, name, sha256: services.attachment_add(
                        dossier=dossier, actor=request.user, document_key=key, fileobj=fileobj,
                        original_name=name, expected_sha256=sha256))
            except (resumable.ResumableError, services.DossierError) as exc:
                problems[key] = exc.message
            else:
                messages.success(request, _("File received."))
                return redirect(reverse("portal:dossier_documents", args=[pk]) + f"#doc-{key}")
        elif upload is None:
            problems[key] = _("Choose a photo or a PDF file first.")
        else:
            try:
                services.attachment_add(dossier=dossier, actor=request.user, document_key=key,
                                        fileobj=upload, original_name=upload.name)
            except services.DossierError as exc:
                problems[key] = exc.message
            else:
                messages.success(request, _("File received."))
                return redirect(reverse("portal:dossier_documents", args=[pk]) + f"#doc-{key}")
    attachments = {}
    for attachment in dossier.attachments.all():
        attachments.setdefault(attachment.document_key, []).append(attachment)
    documents = [(d, attachments.get(d.key, []), problems.get(d.key))
                 for d in services.required_documents(dossier)]
    return render(request, "portal/dossier_documents.html", {
        "dossier": dossier, "documents": documents, "number": len(steps) + 1, "total": total,
        "last_form_step": len(steps), "max_mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024),
    })


@login_required
@require_http_methods(["GET", "POST"])
def dossier_review(request, pk):
    dossier = _own(request, pk)
    if dossier.status != Status.DRAFT:
        return redirect("portal:dossier", pk=pk)
    schema, steps, total = _flow(dossier)
    error = None
    fields = {}
    if request.method == "POST":
        try:
            if dossier.procedure_version.bundle_members.exists():
                bundle = services.bundle_submit(dossier=dossier, actor=request.user,
                                                parts=request.POST.getlist("part") or None)
                messages.success(request, _("Submitted. Each agency received its part."))
                return redirect("portal:bundle", code=bundle.code)
            dossier = services.dossier_submit(dossier=dossier, actor=request.user)
        except services.DossierError as exc:
            if exc.code == "already_submitted":
                return redirect("portal:dossier", pk=pk)
            error, fields = exc.message, exc.fields
        else:
            messages.success(request, _("Submitted. Your dossier code is %(code)s.")
                             % {"code": dossier.code})
            return redirect("portal:dossier", pk=pk)
    errors = form_validate(schema, dossier.form_data)
    return render(request, "portal/dossier_review.html", {
        "dossier": dossier, "number": total, "total": total, "steps": steps,
        "answers": form_answers(schema, dossier.form_data),
        "form_errors": errors, "missing": services.missing_documents(dossier),
        "attachments": dossier.attachments.all(), "error": error, "fields": fields,
        "members": list(dossier.procedure_version.bundle_members.select_related("procedure")),
    })


@login_required
def my_dossiers(request):
    dossiers = selectors.dossiers_of_applicant(user=request.user)
    return render(request, "portal/my_dossiers.html", {
        "drafts": [d for d in dossiers if d.status == Status.DRAFT],
        "dossiers": [d for d in dossiers if d.status != Status.DRAFT],
    })


APPLICANT_VISIBLE_ACTIONS = {"submit", "receive", "accept", "refuse", "request_supplement",
                             "supplement", "start", "approve", "decline", "return_result",
                             "withdraw", "stop", "apologize", "rate"}


@login_required
def dossier_detail(request, pk):
    dossier = _own(request, pk)
    if dossier.status == Status.DRAFT and dossier.bundle_id is None:
        return redirect("portal:dossier_review", pk=pk)
    events = [e for e in selectors.dossier_events(dossier)
              if e.action in APPLICANT_VISIBLE_ACTIONS]
    allowed = {t.action for t in permissions.allowed_actions(request.user, dossier)}
    return render(request, "portal/dossier_detail.html", {
        "dossier": dossier, "events": events,
        "deadline": selectors.deadline_state(due_at=dossier.due_at,
                                             finished_at=dossier.resolved_at),
        "attachments": dossier.attachments.all(),
        "can_withdraw": "withdraw" in allowed, "can_supplement": "supplement" in allowed,
        "can_rate": dossier.status == Status.RETURNED and not hasattr(dossier, "rating"),
        "satisfaction": Satisfaction.choices,
        "notices": [(e, notices.notice_name(e)) for e in events if notices.notice_name(e)],
        "supplement_request": next((e for e in reversed(events)
                                    if e.action == "request_supplement"), None),
    })


@login_required
@require_POST
def dossier_action(request, pk, action):
    dossier = _own(request, pk)
    if action not in {"withdraw", "supplement", "rate"}:
        raise Http404
    try:
        services.dossier_act(
            dossier=dossier, actor=request.user, action=action,
            reason=request.POST.get("reason", "")[:2000],
            note=request.POST.get("note", "")[:2000],
            level=_int(request.POST.get("level")),
            comment=request.POST.get("comment", "")[:2000])
    except services.DossierError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, {
            "withdraw": _("Your dossier is withdrawn."),
            "supplement": _("Sent. The officer will look at it again."),
            "rate": _("Thank you for your rating."),
        }[action])
    return redirect("portal:dossier", pk=pk)


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_required
def dossier_notice(request, pk, event_id):
    dossier = Dossier.objects.filter(pk=pk).first()
    if dossier is None or not permissions.dossier_visible(request.user, dossier):
        raise Http404
    return notices.notice_response(dossier, event_id)


@login_required
def attachment_file(request, attachment_id):
    attachment = get_object_or_404(Attachment.objects.select_related("dossier"), pk=attachment_id)
    if not permissions.dossier_visible(request.user, attachment.dossier):
        raise Http404
    response = FileResponse(attachment.file.open("rb"), content_type=attachment.content_type)
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    # A file people sent us is shown, never run: no script, no form, no navigation from it,
    # whatever a crafted PDF or a polyglot carries.
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; style-src 'unsafe-inline'"
    return response


@login_required
def bundle_detail(request, code):
    from motcua.dossiers.models import DossierBundle

    bundle = get_object_or_404(DossierBundle, code=code, applicant=request.user)
    parts = bundle.dossiers.exclude(status=Status.DRAFT).select_related(
        "procedure_version", "competent_agency")
    return render(request, "portal/bundle.html", {"bundle": bundle, "parts": parts})


def tracking(request):
    code = request.GET.get("ma", "").strip()[:40]
    verify = request.GET.get("kiem-tra", "").strip()[:4]
    dossier = None
    searched = bool(code or verify)
    limited = False
    if searched:
        limited = rate_limit_hit(scope="tracking", key=client_address(request),
                                 limit=settings.TRACKING_RATE_LIMIT)
        if not limited:
            dossier = selectors.tracking_find(code=code, verify=verify)
    status = 429 if limited else (404 if searched and dossier is None else 200)
    return render(request, "portal/tracking.html", {
        "code": code, "searched": searched, "dossier": dossier,
        "limited": limited,
        "deadline": selectors.deadline_state(due_at=dossier.due_at,
                                             finished_at=dossier.resolved_at) if dossier else None,
    }, status=status)
