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


def _roles(user) -> dict[str, set[int]]:
    by_role: dict[str, set[int]] = {}
    for role in user.roles.all():
        by_role.setdefault(role.role, set()).add(role.agency_id)
    return by_role


def _step_queue(by_role: dict[str, set[int]], roles: tuple[str, ...], *, paused=False):
    """Unfinished steps of the official's agencies and roles. An unfinished step is always
    its dossier's current step, so the queue is read from the step index alone."""
    condition = Q(pk__in=[])
    for role in roles:
        if by_role.get(role):
            condition |= Q(agency_id__in=by_role[role], role=role)
    # "is_paused IN (x)" rather than "NOT is_paused": SQLite reads an IN of one value as an
    # equality, so the whole index prefix applies and the rows come out in due order.
    return DossierStep.objects.filter(condition, finished_at__isnull=True, is_paused__in=[paused])


def _intake(by_role):
    return Dossier.objects.filter(receiving_agency_id__in=by_role.get(Role.RECEIVER, set()),
                                  status=Status.NEW)


def _waiting_at_intake(by_role):
    return Dossier.objects.filter(
        receiving_agency_id__in=set().union(*by_role.values()) if by_role else set(),
        status=Status.SUPPLEMENT, current_step__isnull=True)


QUEUE_ROLES = {"processing": (Role.SPECIALIST, Role.LEADER), "results": (Role.RECEIVER,)}


def worklist(*, user, queue: str = "processing", query: str = "", limit: int = 50,
             offset: int = 0, by_role=None) -> tuple[list[Dossier], int]:
    """An official's queue, what is due first at the top (so overdue first).

    - intake: online dossiers waiting to be checked at the officer's desk (oldest first);
    - processing: dossiers whose current step is the official's (role and agency);
    - results: processed dossiers whose result the desk must hand back;
    - waiting: dossiers waiting for the applicant's supplement.
    """
    by_role = by_role if by_role is not None else _roles(user)
    query = (query or "").strip()
    search = (Q(code__icontains=query) | Q(applicant_name__icontains=query)
              | Q(procedure_version__name__icontains=query)) if query else None
    if queue == "intake":
        qs = _intake(by_role)
        if search is not None:
            qs = qs.filter(search)
        total = qs.count()
        return list(_base().filter(pk__in=qs.order_by("submitted_at", "pk")
                                   .values("pk")[offset:offset + limit])
                    .order_by("submitted_at", "pk")), total
    if queue == "waiting":
        steps = _step_queue(by_role, (Role.SPECIALIST, Role.LEADER, Role.RECEIVER), paused=True)
        qs = Dossier.objects.filter(Q(current_step__in=steps) | Q(pk__in=_waiting_at_intake(
            by_role).values("pk")))
        if search is not None:
            qs = qs.filter(search)
        total = qs.count()
        return list(_base().filter(pk__in=qs.values("pk")).order_by("paused_at", "pk")
                    [offset:offset + limit]), total
    steps = _step_queue(by_role, QUEUE_ROLES.get(queue, QUEUE_ROLES["processing"]))
    if search is not None:
        steps = steps.filter(
            Q(dossier__code__icontains=query) | Q(dossier__applicant_name__icontains=query)
            | Q(dossier__procedure_version__name__icontains=query))
    total = steps.count()
    page = list(steps.select_related(
        "agency", "dossier", "dossier__procedure_version", "dossier__procedure_version__procedure",
        "dossier__receiving_agency", "dossier__competent_agency",
    ).order_by("due_at", "pk")[offset:offset + limit])
    dossiers = []
    for step in page:
        dossier = step.dossier
        dossier.current_step = step  # it is: unfinished steps are current steps
        dossiers.append(dossier)
    return dossiers, total


def queue_counts(*, user) -> dict[str, int]:
    by_role = _roles(user)
    return {
        "intake": _intake(by_role).count(),
        "processing": _step_queue(by_role, QUEUE_ROLES["processing"]).count(),
        "results": _step_queue(by_role, QUEUE_ROLES["results"]).count(),
        "waiting": _step_queue(by_role, (Role.SPECIALIST, Role.LEADER, Role.RECEIVER),
                               paused=True).count() + _waiting_at_intake(by_role).count(),
    }


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


@dataclass(frozen=True)
class Tracking:
    """What anyone with the code and the check may see: no names, no reasons."""

    code: str
    procedure: str
    status: int
    received_at: dt.datetime | None
    due_at: dt.datetime | None
    resolved_at: dt.datetime | None
    history: list[dict]

    @property
    def status_label(self) -> str:
        return str(Status(self.status).label)


def tracking_find(*, code: str, verify: str) -> Tracking | None:
    """A dossier's progress by its code, if ``verify`` is the last four digits of the
    applicant's identification number or phone. A wrong check and an unknown code look the
    same. One query: the status events joined to their dossier."""
    # Codes are digits, dots, dashes and capital letters: an exact match on the upper-cased
    # input uses the unique index (a case-insensitive match would read the whole table).
    code = (code or "").strip().upper()
    verify = (verify or "").strip()
    if not code or len(verify) != 4 or not verify.isdigit():
        return None
    rows = list(
        DossierEvent.objects.filter(dossier__code=code, action__in=STATUS_HISTORY_ACTIONS)
        .exclude(dossier__status=Status.DRAFT)
        .order_by("at", "pk")
        .values_list("at", "to_status", "dossier__status", "dossier__received_at",
                     "dossier__due_at", "dossier__resolved_at", "dossier__applicant_national_id",
                     "dossier__applicant_phone", "dossier__procedure_version__name")
    )
    if not rows:
        return None
    _at, _to, status, received, due, resolved, national_id, phone, procedure = rows[0]
    endings = {value[-4:] for value in (national_id, phone) if value and len(value) >= 4}
    if verify not in endings:
        return None
    return Tracking(
        code=code, procedure=procedure, status=status, received_at=received, due_at=due,
        resolved_at=resolved,
        history=[{"at": at, "status_code": to_status, "status": str(Status(to_status).label)}
                 for at, to_status, *_rest in rows],
    )
