"""The dossier state machine: which action moves a dossier from which status to which, who
may take it, and whether it needs a written reason. Plain data and functions, no database.

Who is a part of a dossier, not a job title: the applicant (or someone acting for them), the
one-stop desk officer (receiver), the specialist and the leader of the agency whose step it
is. Where they may act (their agency, the current step) is checked in permissions.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .models import Status

APPLICANT, RECEIVER, SPECIALIST, LEADER = "applicant", "receiver", "specialist", "leader"
# The status a supplement or a payment returns to is the one the dossier had before it.
PREVIOUS = -1


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[int]
    target: int
    actors: frozenset[str]
    needs_reason: bool
    label: object  # lazy translation
    event_label: object

    def allowed_from(self, status: int) -> bool:
        return status in self.sources


def _t(action, sources, target, actors, label, event_label, *, needs_reason=False):
    return Transition(action, frozenset(sources), target, frozenset(actors), needs_reason,
                      label, event_label)


S = Status
TRANSITIONS: dict[str, Transition] = {t.action: t for t in [
    _t("submit", {S.DRAFT}, S.NEW, {APPLICANT},
       _("Submit"), _("Submitted online")),
    _t("receive", {S.DRAFT}, S.RECEIVED, {RECEIVER},
       _("Receive in person"), _("Received at the desk")),
    _t("accept", {S.NEW}, S.RECEIVED, {RECEIVER},
       _("Accept"), _("Accepted, receipt issued")),
    _t("refuse", {S.NEW}, S.REJECTED, {RECEIVER},
       _("Refuse"), _("Refused at intake"), needs_reason=True),
    _t("request_supplement", {S.NEW, S.PROCESSING}, S.SUPPLEMENT, {RECEIVER, SPECIALIST},
       _("Ask for a supplement"), _("Supplement requested"), needs_reason=True),
    _t("supplement", {S.SUPPLEMENT}, PREVIOUS, {APPLICANT, RECEIVER},
       _("Send the supplement"), _("Supplement received")),
    _t("start", {S.RECEIVED}, S.PROCESSING, {SPECIALIST},
       _("Start processing"), _("Processing started")),
    _t("forward", {S.PROCESSING}, S.PROCESSING, {SPECIALIST, LEADER},
       _("Forward"), _("Forwarded")),
    _t("approve", {S.PROCESSING}, S.RESOLVED, {LEADER},
       _("Approve and sign"), _("Approved")),
    _t("decline", {S.PROCESSING}, S.RESOLVED, {LEADER},
       _("Decline the request"), _("Request declined"), needs_reason=True),
    _t("return_result", {S.RESOLVED}, S.RETURNED, {RECEIVER},
       _("Return the result"), _("Result returned")),
    _t("withdraw", {S.NEW, S.RECEIVED, S.PROCESSING, S.SUPPLEMENT, S.PAYMENT}, S.WITHDRAWN,
       {APPLICANT, RECEIVER}, _("Withdraw"), _("Withdrawn at the applicant's request"),
       needs_reason=True),
    _t("stop", {S.PROCESSING, S.SUPPLEMENT}, S.STOPPED, {LEADER},
       _("Stop processing"), _("Processing stopped"), needs_reason=True),
    _t("apologize", {S.RECEIVED, S.PROCESSING}, S.PROCESSING, {SPECIALIST, LEADER},
       _("Apologise and set a new date"), _("Apology letter, new appointment"),
       needs_reason=True),
]}
# An apology keeps the status it was taken in (a received dossier stays received).
KEEPS_STATUS = frozenset({"forward", "apologize"})


class IllegalTransition(Exception):
    def __init__(self, message, code="illegal_transition"):
        super().__init__(str(message))
        self.message = str(message)
        self.code = code


def transition_for(action: str) -> Transition:
    try:
        return TRANSITIONS[action]
    except KeyError:
        raise IllegalTransition(_("Unknown action “%(action)s”.") % {"action": action},
                                "unknown_action") from None


def next_status(action: str, current: int, *, previous: int | None = None) -> int:
    """The status after ``action`` from ``current``, or IllegalTransition with a message an
    official understands."""
    transition = transition_for(action)
    if not transition.allowed_from(current):
        raise IllegalTransition(
            _("“%(action)s” is not possible while the dossier is “%(status)s”.")
            % {"action": transition.label, "status": Status(current).label}
        )
    if action in KEEPS_STATUS:
        return current
    if transition.target == PREVIOUS:
        if previous is None:
            raise IllegalTransition(_("The dossier does not say where to resume."),
                                    "no_resume_status")
        return previous
    return transition.target


def actions_from(status: int, actor: str) -> list[Transition]:
    """What ``actor`` may do to a dossier in ``status`` (before place checks)."""
    return [t for t in TRANSITIONS.values() if t.allowed_from(status) and actor in t.actors]
