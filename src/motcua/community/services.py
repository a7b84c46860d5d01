"""Every write of the community teams. Each service is keyword-only, checks who may do it,
runs in one transaction and refuses bad input with a CommunityError a person can read; a
refused call changes nothing (except a wrong consent code, whose try is counted)."""

from __future__ import annotations

import datetime as dt
import hmac
import logging
import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from motcua.core.formats import LOCAL_TZ, format_date
from motcua.dossiers import services as dossier_services
from motcua.eforms.schema import effective_schema

from . import rules, selectors
from .models import (
    AllowanceLine,
    AllowanceStatement,
    Assistance,
    AssistMode,
    AssistStatus,
    Background,
    Completion,
    ConfirmMethod,
    Course,
    CourseMode,
    Household,
    Member,
    Period,
    Shift,
    Signup,
    SignupStatus,
    Skill,
    Team,
    TeamRole,
    Visit,
)
from .permissions import scope_of

logger = logging.getLogger(__name__)


class CommunityError(Exception):
    def __init__(self, message, code="refused", *, fields=None):
        super().__init__(str(message))
        self.message = str(message)
        self.code = code
        self.fields = fields or {}


def _forbidden():
    return CommunityError(_("You may not do this for this team."), "forbidden")


def _today() -> dt.date:
    return timezone.localdate()


def _clean_phone(value: str, field: str, fields: dict) -> str:
    value = (value or "").strip().replace(" ", "").replace(".", "")
    if value and not (len(value) == 10 and value.isdigit() and value.startswith("0")):
        fields.setdefault(field, []).append(_("Enter a 10-digit phone number starting with 0."))
    return value


def _skills(values, field: str, fields: dict) -> list[str]:
    known = set(Skill.values) | {"vneid", "signature"}
    chosen = [v for v in dict.fromkeys(values or []) if v]
    if any(v not in known for v in chosen):
        fields.setdefault(field, []).append(_("Choose skills from the list."))
    return [v for v in chosen if v in known]


# --- teams and members -------------------------------------------------------------------------

def _member_build(team, data: dict, fields: dict, prefix: str = "") -> Member:
    name = (data.get("full_name") or "").strip()
    if not name:
        fields.setdefault(f"{prefix}full_name", []).append(_("Enter the member's full name."))
    role = data.get("role") or TeamRole.MEMBER
    if role not in TeamRole.values:
        fields.setdefault(f"{prefix}role", []).append(_("Choose a role from the list."))
    background = data.get("background") or Background.VOLUNTEER
    if background not in Background.values:
        fields.setdefault(f"{prefix}background", []).append(_("Choose from the list."))
    return Member(
        team=team, user=data.get("user"), full_name=name[:150],
        phone=_clean_phone(data.get("phone", ""), f"{prefix}phone", fields), role=role,
        background=background, skills=_skills(data.get("skills"), f"{prefix}skills", fields),
        joined_on=data.get("joined_on") or _today(),
    )


def _bounds_refusal(commune, count: int) -> None:
    low, high = selectors.team_bounds(commune)
    problem = rules.team_size_problem(count, low=low, high=high)
    if problem:
        raise CommunityError(problem, "team_size")


def _account_free(user, fields, field):
    if user is not None and Member.objects.filter(user=user, left_on__isnull=True).exists():
        fields.setdefault(field, []).append(
            _("This account is already an active member of a team."))


@transaction.atomic
def team_create(*, actor, commune, village=None, name: str = "", phone: str = "",
                founded_on: dt.date | None = None, desk=None, members: list[dict]) -> Team:
    """A commune sets up a team for a village (or its own), with its members at once: a team
    is never smaller or larger than the bounds."""
    scope = scope_of(actor)
    if not scope.manages_commune(commune.pk):
        raise _forbidden()
    fields: dict[str, list[str]] = {}
    if village is not None and village.parent_id != commune.pk:
        fields["village"] = [_("Choose a village or residential group of this commune.")]
    if village is not None and Team.objects.filter(village=village,
                                                   dissolved_on__isnull=True).exists():
        fields.setdefault("village", []).append(
            _("%(village)s already has a team.") % {"village": village.name})
    if village is None and Team.objects.filter(commune=commune, village__isnull=True,
                                               dissolved_on__isnull=True).exists():
        fields["village"] = [_("The commune already has its own team.")]
    team = Team(
        commune=commune, village=village, founded_on=founded_on or _today(), created_by=actor,
        name=(name or "").strip()[:200] or _("Community digital technology team of %(place)s")
        % {"place": (village or commune).name},
        phone=_clean_phone(phone, "phone", fields),
        desk=desk or selectors.commune_desk(commune),
    )
    _bounds_refusal(commune, len(members))
    built = []
    for index, data in enumerate(members):
        _account_free(data.get("user"), fields, f"m{index}-user")
        built.append(_member_build(team, data, fields, prefix=f"m{index}-"))
    accounts = [m["user"].pk for m in members if m.get("user") is not None]
    if len(accounts) != len(set(accounts)):
        fields.setdefault("members", []).append(_("An account appears twice."))
    if fields:
        raise CommunityError(_("Please correct the marked fields."), "invalid", fields=fields)
    try:
        with transaction.atomic():
            team.save()
    except IntegrityError:
        raise CommunityError(_("This village already has a team."), "exists") from None
    for member in built:
        member.team = team
        member.save()
    return team


@transaction.atomic
def member_add(*, actor, team, full_name: str, phone: str = "", role: str = TeamRole.MEMBER,
               background: str = Background.VOLUNTEER, skills=None, user=None,
               joined_on: dt.date | None = None) -> Member:
    scope = scope_of(actor)
    if not scope.manages_commune(team.commune_id):
        raise _forbidden()
    team = Team.objects.select_for_update().get(pk=team.pk)
    if team.dissolved_on:
        raise CommunityError(_("This team was dissolved."), "dissolved")
    _bounds_refusal(team.commune, selectors.team_size(team) + 1)
    fields: dict[str, list[str]] = {}
    _account_free(user, fields, "user")
    member = _member_build(team, {"full_name": full_name, "phone": phone, "role": role,
                                  "background": background, "skills": skills, "user": user,
                                  "joined_on": joined_on}, fields)
    if fields:
        raise CommunityError(_("Please correct the marked fields."), "invalid", fields=fields)
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError:
        raise CommunityError(_("This account is already an active member of a team."),
                             "exists") from None
    return member


@transaction.atomic
def member_end(*, actor, member, left_on: dt.date | None = None) -> Member:
    """A member leaves the team; a team never drops below the fewest members allowed (add the
    newcomer first)."""
    scope = scope_of(actor)
    if not scope.manages_commune(member.team.commune_id):
        raise _forbidden()
    team = Team.objects.select_for_update().get(pk=member.team_id)
    member = Member.objects.get(pk=member.pk)
    if member.left_on is not None:
        raise CommunityError(_("This member already left the team."), "left")
    _bounds_refusal(team.commune, selectors.team_size(team) - 1)
    member.left_on = left_on or _today()
    if member.left_on < member.joined_on:
        raise CommunityError(_("A member cannot leave before joining."), "invalid")
    member.save(update_fields=["left_on"])
    return member


# --- households and visits ---------------------------------------------------------------------

def _village_allowed(scope, village) -> bool:
    if scope.manages_commune(village.parent_id):
        return True
    return scope.member is not None and scope.member.team.village_id == village.pk


@transaction.atomic
def household_add(*, actor, village, head_name: str, address: str, phone: str = "",
                  people: int | None = None) -> Household:
    if not _village_allowed(scope_of(actor), village):
        raise _forbidden()
    fields: dict[str, list[str]] = {}
    if not (head_name or "").strip():
        fields["head_name"] = [_("Enter the name of the head of household.")]
    if not (address or "").strip():
        fields["address"] = [_("Enter the house number, lane or hamlet.")]
    phone = _clean_phone(phone, "phone", fields)
    if people is not None and not 1 <= people <= 99:
        fields["people"] = [_("Enter a number from 1 to 99.")]
    if fields:
        raise CommunityError(_("Please correct the marked fields."), "invalid", fields=fields)
    return Household.objects.create(village=village, head_name=head_name.strip()[:150],
                                    address=address.strip()[:255], phone=phone, people=people,
                                    created_by=actor)


VISIT_FLAGS = ("vneid_installed", "vneid_level2", "service_account", "dossier_online",
               "cashless")
# How far back a visit may be dated: a draft kept offline over a long weekend still counts
# on its day, a typo of a year does not.
VISIT_BACKDATE_DAYS = 7


def visit_log(*, actor, idempotency_key: str, household=None, new_household: dict | None = None,
              at: dt.datetime | None = None, people_helped: int = 1, skills=(), note: str = "",
              **flags) -> tuple[Visit, bool]:
    """Log a visit; (visit, True) when logged now, (the earlier visit, False) when this form
    was already received (a double click, a draft sent again after a dropped connection)."""
    scope = scope_of(actor)
    member = scope.member
    if member is None:
        raise CommunityError(_("Only an active team member logs visits."), "not_member")
    key = (idempotency_key or "").strip()[:64]
    if len(key) < 16:
        raise CommunityError(_("This form is out of date: open it again."), "no_key")
    earlier = Visit.objects.filter(member=member, idempotency_key=key).first()
    if earlier is not None:
        return earlier, False
    unknown = set(flags) - set(VISIT_FLAGS)
    if unknown:
        raise TypeError(f"unknown visit flags: {sorted(unknown)}")
    fields: dict[str, list[str]] = {}
    chosen = _skills(skills, "skills", fields)
    if any(s not in Skill.values for s in chosen):
        fields["skills"] = [_("Choose skills from the list.")]
    if not 1 <= int(people_helped or 0) <= 50:
        fields["people_helped"] = [_("Enter how many people you helped, from 1 to 50.")]
    now = timezone.now()
    at = at or now
    if at > now + dt.timedelta(minutes=5) or at < now - dt.timedelta(days=VISIT_BACKDATE_DAYS):
        at = now
    if household is not None and member.team.village_id and \
            household.village_id != member.team.village_id and \
            household.village.parent_id != member.team.commune_id:
        fields["household"] = [_("Choose a household of your team's village.")]
    if fields:
        raise CommunityError(_("Please correct the marked fields."), "invalid", fields=fields)
    try:
        with transaction.atomic():
            if household is None and new_household and (new_household.get("head_name") or
                                                         new_household.get("address")):
                village = member.team.village
                if village is None:
                    raise CommunityError(_("Your team has no village: choose a household from "
                                           "the list."), "no_village")
                household = household_add(actor=actor, village=village,
                                          head_name=new_household.get("head_name", ""),
                                          address=new_household.get("address", ""),
                                          phone=new_household.get("phone", ""))
            visit = Visit.objects.create(
                member=member, team=member.team, household=household, at=at,
                people_helped=int(people_helped), skills=chosen, note=(note or "").strip()[:500],
                idempotency_key=key, recorded_by=actor,
                **{flag: bool(flags.get(flag)) for flag in VISIT_FLAGS},
            )
    except IntegrityError:
        # The same form arrived twice at once: the other request logged it.
        earlier = Visit.objects.filter(member=member, idempotency_key=key).first()
        if earlier is None:
            raise
        return earlier, False
    return visit, True


# --- rosters and attendance --------------------------------------------------------------------

@transaction.atomic
def shift_plan(*, actor, team, day: dt.date, period: str, places: int = 2, desk=None) -> Shift:
    scope = scope_of(actor)
    if not scope.plans_roster(team):
        raise _forbidden()
    desk = desk or team.desk or selectors.commune_desk(team.commune)
    fields: dict[str, list[str]] = {}
    if desk is None:
        fields["desk"] = [_("The commune has no one-stop desk recorded.")]
    if period not in Period.values:
        fields["period"] = [_("Choose the morning or the afternoon.")]
    if day < _today():
        fields["day"] = [_("Plan a day from today on.")]
    if day.weekday() >= 6:
        fields["day"] = [_("The desk is closed on Sundays.")]
    if not 1 <= places <= 9:
        fields["places"] = [_("Enter from 1 to 9 members.")]
    if fields:
        raise CommunityError(_("Please correct the marked fields."), "invalid", fields=fields)
    shift, created = Shift.objects.get_or_create(
        team=team, desk=desk, day=day, period=period,
        defaults={"places": places, "created_by": actor})
    if not created:
        raise CommunityError(_("This shift is already on the roster."), "exists")
    return shift


@transaction.atomic
def signup_create(*, actor, shift) -> Signup:
    member = scope_of(actor).member
    shift = Shift.objects.select_for_update(of=("self",)).select_related("team").get(pk=shift.pk)
    if member is None or member.team_id != shift.team_id:
        raise CommunityError(_("Only members of %(team)s sign up for this shift.")
                             % {"team": shift.team.name}, "forbidden")
    if shift.day < _today():
        raise CommunityError(_("This shift is over."), "past")
    signup = Signup.objects.filter(shift=shift, member=member).first()
    taken = shift.signups.exclude(status=SignupStatus.CANCELLED).count()
    if signup is not None and signup.status != SignupStatus.CANCELLED:
        raise CommunityError(_("You are already signed up for this shift."), "exists")
    if taken >= shift.places:
        raise CommunityError(_("This shift is full."), "full")
    if signup is None:
        return Signup.objects.create(shift=shift, member=member)
    signup.status = SignupStatus.SIGNED_UP
    signup.signed_up_at = timezone.now()
    signup.save(update_fields=["status", "signed_up_at"])
    return signup


@transaction.atomic
def signup_cancel(*, actor, signup) -> Signup:
    signup = Signup.objects.select_for_update(of=("self",)).select_related("shift", "member").get(
        pk=signup.pk)
    member = scope_of(actor).member
    if member is None or signup.member_id != member.pk:
        raise _forbidden()
    if signup.status != SignupStatus.SIGNED_UP or signup.shift.day < _today():
        raise CommunityError(_("This sign-up can no longer be cancelled."), "not_cancellable")
    signup.status = SignupStatus.CANCELLED
    signup.save(update_fields=["status"])
    return signup


def _month_open(commune_id: int, day: dt.date) -> None:
    if AllowanceStatement.objects.filter(commune_id=commune_id,
                                         month=day.replace(day=1)).exists():
        raise CommunityError(
            _("The allowance statement of %(month)s is issued: its attendance no longer "
              "changes.") % {"month": f"{day:%m/%Y}"}, "statement_issued")


@transaction.atomic
def attendance_confirm(*, actor, signup, attended: bool = True) -> Signup:
    """The desk official says who came: attended (it counts towards the allowance) or
    absent."""
    signup = (Signup.objects.select_for_update(of=("self",))
              .select_related("shift", "shift__team").get(pk=signup.pk))
    shift = signup.shift
    if not scope_of(actor).confirms_at(shift.desk_id):
        raise CommunityError(_("Only an official of this one-stop desk confirms attendance."),
                             "forbidden")
    if shift.day > _today():
        raise CommunityError(_("Attendance is confirmed on the day of the shift or after."),
                             "too_early")
    if signup.status == SignupStatus.CANCELLED:
        raise CommunityError(_("This sign-up was cancelled."), "cancelled")
    _month_open(shift.team.commune_id, shift.day)
    signup.status = SignupStatus.ATTENDED if attended else SignupStatus.ABSENT
    signup.method = ConfirmMethod.QR if signup.checked_in_at else ConfirmMethod.DESK
    signup.confirmed_by = actor
    signup.confirmed_at = timezone.now()
    signup.save(update_fields=["status", "method", "confirmed_by", "confirmed_at"])
    return signup


def desk_token(*, desk_id: int, day: dt.date, period: str) -> str:
    """The code in the desk's QR for one half day: a photo of it is useless the next day."""
    value = salted_hmac("motcua.community.desk", f"{desk_id}:{day.isoformat()}:{period}")
    return f"{desk_id}-{day:%Y%m%d}-{period[0]}-{value.hexdigest()[:20]}"


def current_period(at: dt.datetime | None = None) -> str:
    local = (at or timezone.now()).astimezone(LOCAL_TZ)
    return Period.MORNING if local.hour < 12 else Period.AFTERNOON


@transaction.atomic
def checkin_by_qr(*, actor, token: str) -> Signup:
    """A member scans the desk's QR code when arriving; the desk official then confirms."""
    member = scope_of(actor).member
    if member is None:
        raise CommunityError(_("Log in with your team member account to check in."),
                             "not_member")
    try:
        desk_id, day, letter, _digest = token.split("-", 3)
        day = dt.datetime.strptime(day, "%Y%m%d").date()
        period = {"m": Period.MORNING, "a": Period.AFTERNOON}[letter]
        desk_id = int(desk_id)
    except (ValueError, KeyError):
        raise CommunityError(_("This code is not a desk's check-in code."), "bad_code") from None
    if not hmac.compare_digest(token, desk_token(desk_id=desk_id, day=day, period=period)):
        raise CommunityError(_("This code is not a desk's check-in code."), "bad_code")
    if day != _today():
        raise CommunityError(_("This check-in code is for %(day)s, not today.")
                             % {"day": format_date(day)}, "wrong_day")
    signup = (Signup.objects.select_for_update()
              .filter(member=member, shift__desk_id=desk_id, shift__day=day,
                      shift__period=period).first())
    if signup is None:
        raise CommunityError(_("You are not signed up for this shift. Ask your team leader."),
                             "no_signup")
    if signup.status != SignupStatus.SIGNED_UP:
        raise CommunityError(_("Already recorded: %(status)s.")
                             % {"status": signup.get_status_display()}, "already")
    signup.status = SignupStatus.CHECKED_IN
    signup.checked_in_at = timezone.now()
    signup.save(update_fields=["status", "checked_in_at"])
    return signup


# --- allowance statements ----------------------------------------------------------------------

@transaction.atomic
def statement_issue(*, actor, commune, month: dt.date) -> AllowanceStatement:
    """Freeze the month's statement: rate and sessions as they stand, for payment."""
    if not scope_of(actor).manages_commune(commune.pk):
        raise _forbidden()
    month = month.replace(day=1)
    if month > _today().replace(day=1) or (month == _today().replace(day=1)):
        raise CommunityError(_("A month's statement is issued once the month is over."),
                             "month_open")
    if AllowanceStatement.objects.filter(commune=commune, month=month).exists():
        raise CommunityError(_("This month's statement is already issued."), "exists")
    preview = selectors.allowance_preview(commune=commune, month=month)
    statement = AllowanceStatement.objects.create(
        commune=commune, month=month, rate=preview.rate, total=preview.total, issued_by=actor)
    AllowanceLine.objects.bulk_create([
        AllowanceLine(statement=statement, member_id=line.member_id, team_name=line.team_name,
                      full_name=line.full_name, sessions=line.sessions, amount=line.amount)
        for line in preview.lines])
    return statement


# --- training ----------------------------------------------------------------------------------

@transaction.atomic
def course_create(*, actor, title: str, provider: str, mode: str, starts_on: dt.date,
                  hours: int = 4, url: str = "", ends_on: dt.date | None = None,
                  description: str = "") -> Course:
    if not scope_of(actor).province:
        raise CommunityError(_("Courses are set up by the provincial department."), "forbidden")
    fields: dict[str, list[str]] = {}
    if not (title or "").strip():
        fields["title"] = [_("Enter the course title.")]
    if not (provider or "").strip():
        fields["provider"] = [_("Say who organises it.")]
    if mode not in CourseMode.values:
        fields["mode"] = [_("Choose from the list.")]
    if mode == CourseMode.ONLINE and not (url or "").startswith(("https://", "http://")):
        fields["url"] = [_("An online course needs its web address.")]
    if ends_on and ends_on < starts_on:
        fields["ends_on"] = [_("The end comes after the start.")]
    if not 1 <= hours <= 500:
        fields["hours"] = [_("Enter from 1 to 500 hours.")]
    if fields:
        raise CommunityError(_("Please correct the marked fields."), "invalid", fields=fields)
    return Course.objects.create(title=title.strip()[:255], provider=provider.strip()[:255],
                                 mode=mode, url=url.strip(), hours=hours, starts_on=starts_on,
                                 ends_on=ends_on, description=(description or "").strip(),
                                 created_by=actor)


@transaction.atomic
def completion_record(*, actor, course, member, completed_on: dt.date,
                      certificate: str = "") -> Completion:
    scope = scope_of(actor)
    if not scope.manages_commune(member.team.commune_id):
        raise _forbidden()
    if completed_on < course.starts_on or completed_on > _today():
        raise CommunityError(_("The completion date is between the course start and today."),
                             "invalid", fields={"completed_on": [_("Check the date.")]})
    completion, created = Completion.objects.get_or_create(
        course=course, member=member,
        defaults={"completed_on": completed_on, "certificate": certificate.strip()[:60],
                  "recorded_by": actor})
    if not created:
        raise CommunityError(_("%(name)s already completed this course.")
                             % {"name": member.full_name}, "exists")
    return completion


# --- help with a dossier -----------------------------------------------------------------------

def _code_hash(*, salt: str, code: str) -> str:
    # Keyed with the secret key: six digits hashed plainly would be read back from a copy of
    # the database in a second.
    return salted_hmac("motcua.community.code", f"{salt}:{code}",
                       algorithm="sha256").hexdigest()


def _new_code() -> str:
    return f"{secrets.randbelow(1_000_000):06d}"


def _helper(actor):
    member = scope_of(actor).member
    if member is None:
        raise CommunityError(_("Only an active team member helps with a dossier here."),
                             "not_member")
    return member


def _assisted(member, mode: str) -> dict:
    return {"assisted_by": member.user_id, "assisted_team": member.team_id,
            "assisted_mode": mode}


@transaction.atomic
def assistance_start_on_behalf(*, actor, version, citizen_name: str, national_id: str,
                               phone: str, unit, address: str = "",
                               household=None) -> Assistance:
    """Ask the citizen's consent: a six-digit code goes by SMS to their phone, through the
    notifications outbox; the member types it back (``assistance_confirm``)."""
    from motcua.accounts.models import validate_national_id
    from motcua.notifications.rendering import NotificationError
    from motcua.notifications.services import notification_queue

    member = _helper(actor)
    fields: dict[str, list[str]] = {}
    if not (citizen_name or "").strip():
        fields["citizen_name"] = [_("Enter the citizen's full name.")]
    try:
        validate_national_id((national_id or "").strip())
    except Exception as exc:  # ValidationError: its messages say how to fix it
        fields["national_id"] = list(getattr(exc, "messages", [str(exc)]))
    phone = _clean_phone(phone, "phone", fields)
    if not phone:
        fields.setdefault("phone", []).append(
            _("Enter the citizen's mobile phone: the consent code goes there."))
    if unit is None:
        fields["unit"] = [_("Choose the commune or ward where the citizen lives.")]
    if version is None or version.online_mode == "none":
        fields["procedure"] = [_("Choose a procedure that can be submitted online.")]
    if fields:
        raise CommunityError(_("Please correct the marked fields."), "invalid", fields=fields)
    code = _new_code()
    assistance = Assistance.objects.create(
        member=member, team=member.team, mode=AssistMode.ON_BEHALF, procedure_version=version,
        citizen_name=citizen_name.strip()[:150], citizen_national_id=national_id.strip(),
        citizen_phone=phone, citizen_unit=unit, household=household, code_hash="",
        code_expires_at=timezone.now() + dt.timedelta(minutes=settings.CONSENT_CODE_MINUTES),
    )
    assistance.code_hash = _code_hash(salt=str(assistance.pk), code=code)
    assistance.save(update_fields=["code_hash"])
    try:
        notification_queue(channel="sms", recipient=phone, template="community_consent_code",
                           context={"code": code, "member_name": member.full_name,
                                    "procedure_name": version.name,
                                    "minutes": str(settings.CONSENT_CODE_MINUTES)})
    except NotificationError:
        raise CommunityError(_("This number cannot receive an SMS: enter a mobile number."),
                             "invalid", fields={"phone": [_("Enter a mobile number.")]}) from None
    return assistance


MAX_RESENDS = 3


@transaction.atomic
def assistance_resend(*, actor, assistance) -> Assistance:
    from motcua.notifications.services import notification_queue

    member = _helper(actor)
    assistance = Assistance.objects.select_for_update().get(pk=assistance.pk)
    if assistance.member_id != member.pk or assistance.mode != AssistMode.ON_BEHALF:
        raise _forbidden()
    if assistance.status != AssistStatus.PENDING:
        raise CommunityError(_("This consent request is closed: start again."), "closed")
    if assistance.codes_sent > MAX_RESENDS:
        raise CommunityError(_("The code was sent too many times: start again later."),
                             "too_many_codes")
    code = _new_code()
    assistance.code_hash = _code_hash(salt=str(assistance.pk), code=code)
    assistance.code_expires_at = timezone.now() + dt.timedelta(
        minutes=settings.CONSENT_CODE_MINUTES)
    assistance.codes_sent += 1
    assistance.attempts = 0
    assistance.save(update_fields=["code_hash", "code_expires_at", "codes_sent", "attempts"])
    notification_queue(channel="sms", recipient=assistance.citizen_phone,
                       template="community_consent_code",
                       context={"code": code, "member_name": member.full_name,
                                "procedure_name": assistance.procedure_version.name,
                                "minutes": str(settings.CONSENT_CODE_MINUTES)})
    return assistance


def _code_problem(assistance, code: str, now) -> str | None:
    """Why the code is refused, or None; counts a wrong try (and locks after the last)."""
    if assistance.status == AssistStatus.LOCKED:
        return _("Too many wrong codes: start again with a new code.")
    if assistance.status != AssistStatus.PENDING:
        return _("This code was already used.")
    if now >= assistance.code_expires_at:
        return _("The code has expired: send a new one.")
    code = (code or "").strip().replace(" ", "")
    expected = _code_hash(salt=str(assistance.pk), code=code)
    if code.isdigit() and len(code) == 6 and hmac.compare_digest(expected, assistance.code_hash):
        return None
    assistance.attempts += 1
    left = settings.CONSENT_CODE_ATTEMPTS - assistance.attempts
    if left <= 0:
        assistance.status = AssistStatus.LOCKED
    assistance.save(update_fields=["attempts", "status"])
    if left <= 0:
        return _("Wrong code. Too many wrong codes: start again with a new code.")
    return _("Wrong code. %(left)s tries left.") % {"left": left}


def _prefill(version, values: dict) -> dict:
    properties = (effective_schema(version).get("properties") or {}).keys()
    return {k: v for k, v in values.items() if k in properties and v}


def assistance_confirm(*, actor, assistance, code: str):
    """The citizen read back the code: their consent is recorded and the dossier is started
    for them, without their account, as the member's draft through the dossier services."""
    member = _helper(actor)
    now = timezone.now()
    with transaction.atomic():
        # of=self: PostgreSQL locks no row on the nullable side of an outer join.
        locked = Assistance.objects.select_for_update(of=("self",)).select_related(
            "procedure_version", "citizen_unit", "household").get(pk=assistance.pk)
        if locked.member_id != member.pk or locked.mode != AssistMode.ON_BEHALF:
            raise _forbidden()
        problem = _code_problem(locked, code, now)
        if problem is None:
            version = locked.procedure_version
            dossier = dossier_services.dossier_draft_create(
                version=version, actor=actor,
                form=_prefill(version, {
                    "full_name": locked.citizen_name, "national_id": locked.citizen_national_id,
                    "phone": locked.citizen_phone,
                    "commune": locked.citizen_unit.code if locked.citizen_unit_id else "",
                    "address": locked.household.address if locked.household_id else ""}),
                assisted=_assisted(member, AssistMode.ON_BEHALF))
            dossier = dossier_services.dossier_applicant_update(
                dossier=dossier, actor=actor, name=locked.citizen_name,
                national_id=locked.citizen_national_id, phone=locked.citizen_phone,
                address=locked.household.address if locked.household_id else "",
                unit=locked.citizen_unit)
            locked.status = AssistStatus.CONFIRMED
            locked.confirmed_at = now
            locked.dossier = dossier
            locked.save(update_fields=["status", "confirmed_at", "dossier"])
    # Outside the transaction: a wrong try stays counted although the call is refused.
    if problem is not None:
        raise CommunityError(problem, "wrong_code", fields={"code": [problem]})
    return dossier


PAIRING_MINUTES = 30


@transaction.atomic
def assistance_start_own_account(*, actor, version) -> tuple[Assistance, str]:
    """The member helps on the citizen's own phone and account: the member's screen shows a
    pairing code, which the citizen types on their phone (``assistance_accept``)."""
    member = _helper(actor)
    if version is None or version.online_mode == "none":
        raise CommunityError(_("Choose a procedure that can be submitted online."), "invalid",
                             fields={"procedure": [_("Choose a procedure.")]})
    now = timezone.now()
    for _try in range(20):
        code = _new_code()
        lookup = _code_hash(salt="pairing", code=code)
        if not Assistance.objects.filter(lookup=lookup, status=AssistStatus.PENDING,
                                         code_expires_at__gt=now).exists():
            break
    else:  # pragma: no cover - a million codes in use at once
        raise CommunityError(_("Try again in a minute."), "busy")
    assistance = Assistance.objects.create(
        member=member, team=member.team, mode=AssistMode.OWN_ACCOUNT, procedure_version=version,
        code_hash=lookup, lookup=lookup,
        code_expires_at=now + dt.timedelta(minutes=PAIRING_MINUTES))
    return assistance, code


def assistance_accept(*, citizen, code: str):
    """The citizen, logged in on their phone, types the member's code: the draft is theirs,
    on their account, and records who helped."""
    from motcua.core.ratelimit import rate_limit_hit

    if not getattr(citizen, "is_authenticated", False) or getattr(citizen, "is_official", False):
        raise CommunityError(_("Log in with your own citizen account first."), "not_citizen")
    if rate_limit_hit(scope="community-pairing", key=str(citizen.pk),
                      limit=settings.CONSENT_CODE_ATTEMPTS * 2):
        raise CommunityError(_("Too many tries. Wait ten minutes and try again."), "limited")
    code = (code or "").strip().replace(" ", "")
    now = timezone.now()
    with transaction.atomic():
        assistance = (Assistance.objects.select_for_update(of=("self",))
                      .select_related("member", "procedure_version")
                      .filter(lookup=_code_hash(salt="pairing", code=code),
                              mode=AssistMode.OWN_ACCOUNT, status=AssistStatus.PENDING,
                              code_expires_at__gt=now).first()) if code.isdigit() else None
        if assistance is None:
            raise CommunityError(_("This code is wrong or has expired. Ask the team member "
                                   "for the code on their screen."), "wrong_code",
                                 fields={"code": [_("Check the code.")]})
        if assistance.member.user_id == citizen.pk:
            raise CommunityError(_("A member does not assist themselves."), "self")
        dossier = dossier_services.dossier_draft_create(
            version=assistance.procedure_version, actor=citizen,
            assisted=_assisted(assistance.member, AssistMode.OWN_ACCOUNT))
        assistance.status = AssistStatus.CONFIRMED
        assistance.confirmed_at = now
        assistance.citizen = citizen
        assistance.citizen_name = citizen.full_name[:150]
        assistance.citizen_national_id = citizen.national_id or ""
        assistance.citizen_unit_id = citizen.unit_id
        assistance.dossier = dossier
        assistance.save()
    return dossier
