"""The one-stop desk and the processing agencies: the work queue, the dossier page with its
actions, and the intake of a dossier brought in person."""

import datetime as dt
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from motcua.accounts.models import Role
from motcua.catalog import selectors as procedures
from motcua.catalog.models import Procedure
from motcua.core.formats import LOCAL_TZ
from motcua.dossiers import notices, permissions, selectors, services
from motcua.dossiers.models import Channel, Dossier, Status
from motcua.eforms.render import error_summary_render, form_answers, form_render, form_steps
from motcua.eforms.schema import effective_schema
from motcua.eforms.validation import form_clean, form_validate
from motcua.geo.models import Agency, Unit

QUEUE_LABELS = {
    "intake": gettext_lazy("To check"), "processing": gettext_lazy("To process"),
    "results": gettext_lazy("Results to return"),
    "waiting": gettext_lazy("Waiting for the applicant"),
}


def official_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("portal:login"))
        if not getattr(request.user, "is_official", False):
            raise Http404
        return view(request, *args, **kwargs)
    return wrapper


def _int(value, default=1):
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return default


@official_required
def queue(request):
    roles = list(request.user.roles.select_related("agency"))
    role_names = {r.role for r in roles}
    default = "intake" if role_names == {Role.RECEIVER} else "processing"
    name = request.GET.get("hang", default)
    if name not in selectors.QUEUES:
        name = default
    query = request.GET.get("q", "").strip()[:100]
    page = _int(request.GET.get("trang"))
    size = 50
    items, total = selectors.worklist(user=request.user, queue=name, query=query, limit=size,
                                      offset=(page - 1) * size)
    rows = []
    for dossier in items:
        step = dossier.current_step
        due = step.due_at if step and name in ("processing", "results") else dossier.due_at
        rows.append((dossier, due, selectors.deadline_state(due_at=due) if due else None))
    counts = selectors.queue_counts(user=request.user)
    return render(request, "backoffice/queue.html", {
        "queue": name, "queues": [(q, QUEUE_LABELS[q], counts[q]) for q in selectors.QUEUES],
        "rows": rows, "total": total, "query": query, "page": page,
        "pages": max(1, -(-total // size)), "roles": roles,
    })


def _official_dossier(request, code) -> Dossier:
    dossier = selectors.dossier_for_official(user=request.user, code=code)
    if dossier is None:
        raise Http404
    return dossier


@official_required
def dossier_page(request, code):
    dossier = _official_dossier(request, code)
    version = dossier.procedure_version
    schema = effective_schema(version)
    allowed = permissions.allowed_actions(request.user, dossier)
    events = selectors.dossier_events(dossier)
    agencies = Agency.objects.exclude(pk=dossier.current_step.agency_id) \
        if dossier.current_step_id else Agency.objects.all()
    return render(request, "backoffice/dossier.html", {
        "dossier": dossier, "answers": form_answers(schema, dossier.form_data),
        "attachments": dossier.attachments.all(), "events": events,
        "steps": selectors.dossier_steps(dossier), "actions": allowed,
        "deadline": selectors.deadline_state(due_at=dossier.due_at,
                                             finished_at=dossier.resolved_at),
        "notices": [(e, notices.notice_name(e)) for e in events if notices.notice_name(e)],
        "documents": services.required_documents(dossier),
        "missing": services.missing_documents(dossier) if dossier.status == Status.NEW else [],
        "forward_agencies": agencies.filter(
            units_served__path__startswith=f"{settings.PROVINCE_CODE}/").distinct()
        .order_by("name")[:400],
    })


@official_required
@require_POST
def dossier_action(request, code, action):
    dossier = _official_dossier(request, code)
    new_due = None
    if action == "apologize":
        new_due = _parse_due(request.POST.get("new_due_at", ""))
    target = None
    if request.POST.get("to_agency"):
        target = Agency.objects.filter(code=request.POST["to_agency"]).first()
    try:
        services.dossier_act(
            dossier=dossier, actor=request.user, action=action,
            reason=request.POST.get("reason", "")[:4000],
            items=[line for line in request.POST.get("items", "").splitlines() if line.strip()],
            to_agency=target, new_due_at=new_due, note=request.POST.get("note", "")[:4000])
    except services.DossierError as exc:
        messages.error(request, exc.message + (" " + " ".join(
            " ".join(v) for v in exc.fields.values()) if exc.fields else ""))
        return redirect("backoffice:dossier", code=code)
    messages.success(request, _("Done: %(action)s.") % {
        "action": next((t.label for t in permissions.allowed_actions(request.user, dossier)
                        if t.action == action), action)})
    if action in ("accept", "receive"):
        return redirect(reverse("backoffice:dossier", args=[code]) + "#giay-to")
    return redirect("backoffice:queue")


def _parse_due(text: str):
    """The new appointment: a date (end of that working day) typed dd/mm/yyyy or picked."""
    text = text.strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            day = dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        return dt.datetime.combine(day, dt.time(17, 0), tzinfo=LOCAL_TZ)
    return None


@official_required
def notice(request, code, event_id):
    return notices.notice_response(_official_dossier(request, code), event_id)


@official_required
def control_sheet(request, code):
    dossier = _official_dossier(request, code)
    response = HttpResponse(notices.control_sheet_pdf(dossier), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="phieu-kiem-soat-{dossier.code}.pdf"'
    return response


# --- in-person intake --------------------------------------------------------------------------

def _receiver_desk(user):
    role = user.roles.filter(role=Role.RECEIVER).select_related("desk", "agency").first()
    if role is None:
        return None
    if role.desk_id:
        return role.desk
    return role.agency.desks.first()


@official_required
@require_http_methods(["GET", "POST"])
def intake(request):
    desk = _receiver_desk(request.user)
    if desk is None:
        raise Http404
    if request.method == "POST":
        procedure = Procedure.objects.filter(code=request.POST.get("procedure", "")).first()
        version = procedure.current_version() if procedure else None
        if version is None:
            messages.error(request, _("Choose a procedure from the list."))
            return redirect("backoffice:intake")
        dossier = services.dossier_draft_create(version=version, actor=request.user,
                                                channel=Channel.IN_PERSON, desk=desk)
        return redirect("backoffice:intake_form", pk=dossier.pk)
    query = request.GET.get("q", "").strip()[:200]
    found = procedures.procedure_find(query=query, size=15).items if query else []
    drafts = Dossier.objects.filter(created_by=request.user, status=Status.DRAFT,
                                    channel=Channel.IN_PERSON).select_related(
        "procedure_version")[:20]
    return render(request, "backoffice/intake.html", {
        "desk": desk, "query": query, "found": found, "drafts": drafts})


@official_required
@require_http_methods(["GET", "POST"])
def intake_form(request, pk):
    dossier = get_object_or_404(Dossier, pk=pk, created_by=request.user, status=Status.DRAFT)
    schema = effective_schema(dossier.procedure_version)
    errors, problems, applicant_errors = {}, {}, {}
    if request.method == "POST":
        if request.FILES:
            for key, upload in request.FILES.items():
                document_key = key.removeprefix("file-")
                try:
                    services.attachment_add(dossier=dossier, actor=request.user,
                                            document_key=document_key, fileobj=upload,
                                            original_name=upload.name)
                except services.DossierError as exc:
                    problems[document_key] = exc.message
        if "remove" in request.POST:
            attachment = dossier.attachments.filter(pk=request.POST["remove"]).first()
            if attachment:
                services.attachment_remove(dossier=dossier, actor=request.user,
                                           attachment=attachment)
        data = form_clean(schema, request.POST)
        dossier = services.dossier_form_save(dossier=dossier, actor=request.user, data=data)
        errors = form_validate(schema, dossier.form_data)
        post = request.POST
        try:
            dossier = services.dossier_applicant_update(
                dossier=dossier, actor=request.user, name=post.get("applicant_name", ""),
                national_id=post.get("applicant_national_id", ""),
                phone=post.get("applicant_phone", ""), email=post.get("applicant_email", ""),
                address=post.get("applicant_address", ""),
                unit=Unit.objects.filter(code=post.get("applicant_unit", ""),
                                         path__startswith=f"{settings.PROVINCE_CODE}/").first())
        except services.DossierError as exc:
            applicant_errors = exc.fields
        else:
            applicant_errors = {}
        if "receive" in request.POST and not errors and not problems and not applicant_errors:
            try:
                dossier = services.dossier_receive(dossier=dossier, actor=request.user)
            except services.DossierError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("Received. Print the receipt for the applicant."))
                return redirect("backoffice:dossier", code=dossier.code)
    sections = [(title, form_render(schema, dossier.form_data, errors, step=number))
                for number, title in enumerate(form_steps(schema), start=1)]
    attachments = {}
    for attachment in dossier.attachments.all():
        attachments.setdefault(attachment.document_key, []).append(attachment)
    return render(request, "backoffice/intake_form.html", {
        "dossier": dossier, "sections": sections, "applicant_errors": applicant_errors,
        "communes": Unit.objects.filter(parent__code=settings.PROVINCE_CODE).order_by("name"),
        "default_unit": (dossier.applicant_unit.code if dossier.applicant_unit_id else
                         dossier.receiving_desk.unit.code if dossier.receiving_desk_id else ""),
        "summary_html": error_summary_render(errors, schema) if errors else "",
        "documents": [(d, attachments.get(d.key, []), problems.get(d.key))
                      for d in services.required_documents(dossier)],
    })
