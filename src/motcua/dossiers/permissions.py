"""Least privilege: an official sees the dossiers that passed through their agency, and acts
only on those whose current step is theirs (or, for desk officers, on their desk's intake and
results). Citizens see and act on their own dossiers."""

from __future__ import annotations

from django.db.models import Q

from motcua.accounts.models import Role

from . import lifecycle
from .models import Dossier, Status

INTAKE_ACTIONS = {"accept", "refuse", "receive", "return_result"}


def official_agency_ids(user, role: str | None = None) -> set[int]:
    if not user.is_authenticated or not getattr(user, "is_official", False):
        return set()
    roles = user.roles.all()
    return {r.agency_id for r in roles if role is None or r.role == role}


def dossiers_visible_q(user) -> Q:
    """The dossiers an official may see: received by, decided by, or passed through one of
    their agencies."""
    agencies = official_agency_ids(user)
    if not agencies:
        return Q(pk__in=[])
    return (
        Q(receiving_agency_id__in=agencies)
        | Q(competent_agency_id__in=agencies)
        | Q(steps__agency_id__in=agencies)
    )


def dossier_visible(user, dossier: Dossier) -> bool:
    if not user.is_authenticated:
        return False
    if dossier.applicant_id == user.pk or dossier.created_by_id == user.pk:
        return True
    agencies = official_agency_ids(user)
    if not agencies:
        return False
    if {dossier.receiving_agency_id, dossier.competent_agency_id} & agencies:
        return True
    return dossier.steps.filter(agency_id__in=agencies).exists()


def actor_kinds(user, dossier: Dossier) -> set[str]:
    """In which capacities ``user`` may act on ``dossier`` now."""
    kinds: set[str] = set()
    if not user.is_authenticated:
        return kinds
    if dossier.applicant_id == user.pk or (
            dossier.applicant_id is None and dossier.created_by_id == user.pk
            and not getattr(user, "is_official", False)):
        kinds.add(lifecycle.APPLICANT)
    if not getattr(user, "is_official", False):
        return kinds
    roles = list(user.roles.all())
    receiver_agencies = {r.agency_id for r in roles if r.role == Role.RECEIVER}
    if dossier.receiving_agency_id in receiver_agencies or (
            dossier.status == Status.DRAFT and dossier.created_by_id == user.pk):
        kinds.add(lifecycle.RECEIVER)
    step = dossier.current_step
    if step is not None and step.finished_at is None:
        for role in roles:
            if role.agency_id == step.agency_id and role.role == step.role:
                kinds.add(role.role)
    return kinds


def allowed_actions(user, dossier: Dossier) -> list[lifecycle.Transition]:
    kinds = actor_kinds(user, dossier)
    seen, out = set(), []
    for kind in kinds:
        for transition in lifecycle.actions_from(dossier.status, kind):
            if transition.action in seen:
                continue
            # A desk officer asks for a supplement at intake; during processing the
            # specialist whose step it is does.
            if (transition.action == "request_supplement" and kind == lifecycle.RECEIVER
                    and dossier.status != Status.NEW):
                continue
            seen.add(transition.action)
            out.append(transition)
    order = list(lifecycle.TRANSITIONS)
    return sorted(out, key=lambda t: order.index(t.action))


def may_act(user, dossier: Dossier, action: str) -> bool:
    return any(t.action == action for t in allowed_actions(user, dossier))
