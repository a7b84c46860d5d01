"""Reactions to dossier events: a submit event that says a team member helped becomes the
team's figure, in the same transaction, from the event itself."""

import logging

from django.dispatch import receiver
from django.utils.translation import gettext as _

from motcua.dossiers.services import DossierError
from motcua.dossiers.signals import dossier_event_written

from .models import Assistance, AssistedSubmission, AssistMode, AssistStatus, Member

logger = logging.getLogger(__name__)


@receiver(dossier_event_written, dispatch_uid="community_assisted_submission")
def assisted_submission_record(sender, event, dossier, **kwargs):
    data = event.data or {}
    if event.action != "submit" or not data.get("assisted_mode"):
        return
    member = (Member.objects.filter(user_id=data.get("assisted_by"),
                                    team_id=data.get("assisted_team"))
              .order_by("-joined_on").first())
    if member is None:
        logger.warning("submit event %s names an unknown team member", event.pk)
        return
    if data["assisted_mode"] == AssistMode.ON_BEHALF and not Assistance.objects.filter(
            member=member, mode=AssistMode.ON_BEHALF, status=AssistStatus.CONFIRMED,
            citizen_national_id=dossier.applicant_national_id).exists():
        # The consent covered one person: a dossier changed to someone else's name is not
        # submitted on it (the submit rolls back with this refusal).
        raise DossierError(_("The applicant is not the person who gave consent. Ask this "
                             "person's consent by code first."), "no_consent")
    AssistedSubmission.objects.create(dossier=dossier, event=event, member=member,
                                      team_id=member.team_id, mode=data["assisted_mode"],
                                      submitted_at=event.at)
