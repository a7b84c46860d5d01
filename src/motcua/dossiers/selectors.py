"""Reads of dossiers, shaped for the pages and the API."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from motcua.accounts.models import Role
from motcua.core.formats import LOCAL_TZ

from . import permissions
from .models import Dossier, DossierEvent, DossierStep, Status

QUEUES = ("intake", "processing", "results", "waiting")


@dataclass(frozen=True)
class Deadline:
    """How a dossier stands against its appointment, in words first (UI.md): colour is a
    second signal."""

    text: str
    tone: str  # "late", "today", "ok", "done"


def deadline_state(*, due_at: dt.datetime | None, finished_at: dt.datetime | None = None,
                   now: dt.datetime | None = None) -> Deadline | None:
    if due_at is None:
        return None
    now = now or timezone.now()
    if finished_at is not None:
        if finished_at > due_at:
            return Deadline(_("Finished late"), "late")
        return Deadline(_("Finished on time"), "done")
    today = now.astimezone(LOCAL_TZ).date()
    due_day = due_at.astimezone(LOCAL_TZ).date()
    if now > due_at:
        days = (today - due_day).days
        if days <= 0:
            return Deadline(_("Overdue today"), "late")
        return Deadline(ngettext("Overdue %(n)s day", "Overdue %(n)s days", days) % {"n": days},
                        "late")
    if due_day == today:
        return Deadline(_("Due today"), "today")
    days = (due_day - today).days
    return Deadline(ngettext("%(n)s day left", "%(n)s days left", days) % {"n": days}, "ok")


def _base():
    return Dossier.objects.select_related(
        "procedure_version", "procedure_version__procedure", "current_step",
        "current_step__agency", "receiving_agency", "competent_agency",
    )


def worklist(*, user, queue: str = "processing", query: str = "", limit: int = 50,
             offset: int = 0) -> tuple[list[Dossier], int]:
    """An official's queue, what is due first at the top (so overdue first).

    - intake: online dossiers waiting to be checked at the officer's desk (oldest first);
    - processing: dossiers whose current step is the official's (role and agency);
    - results: processed dossiers whose result the desk must hand back;
    - waiting: dossiers waiting for the applicant's supplement.
    """
    roles = list(user.roles.all())
    by_role: dict[str, set[int]] = {}
    for role in roles:
        by_role.setdefault(role.role, set()).add(role.agency_id)
    receiver = by_role.get(Role.RECEIVER, set())
    if queue == "intake":
        qs = _base().filter(receiving_agency_id__in=receiver, status=Status.NEW).order_by(
            "submitted_at", "pk")
    elif queue == "results":
        qs = _base().filter(
            current_step__agency_id__in=receiver, current_step__role=Role.RECEIVER,
            current_step__finished_at__isnull=True, status=Status.RESOLVED,
        ).order_by("current_step__due_at", "pk")
    elif queue == "waiting":
        qs = _base().filter(
            Q(receiving_agency_id__in=set().union(*by_role.values()))
            | Q(current_step__agency_id__in=set().union(*by_role.values())),
            status=Status.SUPPLEMENT,
        ).order_by("paused_at", "pk")
    else:
        condition = Q(pk__in=[])
        for role in (Role.SPECIALIST, Role.LEADER):
            if by_role.get(role):
                condition |= Q(current_step__agency_id__in=by_role[role],
                               current_step__role=role)
        qs = _base().filter(
            condition, current_step__finished_at__isnull=True,
            status__in=[Status.RECEIVED, Status.PROCESSING],
        ).order_by("current_step__due_at", "pk")
    if query:
        query = query.strip()
        qs = qs.filter(Q(code__icontains=query) | Q(applicant_name__icontains=query)
                       | Q(procedure_version__name__icontains=query))
    total = qs.count()
    return list(qs[offset:offset + limit]), total


def queue_counts(*, user) -> dict[str, int]:
    return {name: worklist(user=user, queue=name, limit=0)[1] for name in QUEUES}


def dossier_for_official(*, user, code: str) -> Dossier | None:
    dossier = _base().filter(code=code).first()
    if dossier is None or not permissions.dossier_visible(user, dossier):
        return None
    return dossier


def dossiers_of_applicant(*, user):
    return (
        _base().filter(Q(applicant=user) | Q(created_by=user, applicant__isnull=True))
        .exclude(status=Status.DRAFT, bundle__isnull=False)
        .order_by("-created_at")
    )


def dossier_events(dossier: Dossier):
    return list(DossierEvent.objects.filter(dossier=dossier).select_related("actor", "agency")
                .order_by("at", "pk"))


def dossier_steps(dossier: Dossier):
    return list(DossierStep.objects.filter(dossier=dossier).select_related(
        "agency", "assigned_to", "finished_by").order_by("started_at", "pk"))


STATUS_HISTORY_ACTIONS = {"submit", "receive", "accept", "refuse", "request_supplement",
                          "supplement", "start", "approve", "decline", "return_result",
                          "withdraw", "stop", "apologize"}


def tracking_lookup(*, code: str, verify: str) -> Dossier | None:
    """A dossier by its code, if ``verify`` is the last four digits of the applicant's
    identification number or phone. Wrong check and unknown code look the same."""
    code = (code or "").strip().upper()
    verify = (verify or "").strip()
    if not code or len(verify) != 4 or not verify.isdigit():
        return None
    dossier = (
        Dossier.objects.select_related("procedure_version").filter(code__iexact=code)
        .exclude(status=Status.DRAFT).first()
    )
    if dossier is None:
        return None
    endings = {value[-4:] for value in (dossier.applicant_national_id, dossier.applicant_phone)
               if value and len(value) >= 4}
    return dossier if verify in endings else None


def tracking_history(dossier: Dossier) -> list[dict]:
    """Status changes only, no names or reasons: what anyone with the code may see."""
    rows = (
        DossierEvent.objects.filter(dossier=dossier, action__in=STATUS_HISTORY_ACTIONS)
        .order_by("at", "pk").values_list("at", "to_status", "action")
    )
    return [{"at": at, "status_code": to_status, "status": str(Status(to_status).label),
             "action": action} for at, to_status, action in rows]
