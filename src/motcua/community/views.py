"""The teams' pages: the member's phone pages (visit, households, roster, help with a dossier,
how scores are counted), the commune's (teams, members, allowance statements), the desk's
(attendance and its QR code) and the province's (dashboard, training). Each view parses,
calls a service or a selector, and renders; no rule lives here."""

import datetime as dt
import uuid
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from motcua.accounts.models import User
from motcua.catalog.models import Procedure
from motcua.geo.models import ServiceDesk, Unit

from . import exports, rules, selectors, services
from .forms import (
    MEMBER_ROWS,
    CodeForm,
    CompletionForm,
    CourseForm,
    HouseholdForm,
    MemberFields,
    OnBehalfForm,
    ShiftForm,
    TeamForm,
    VisitForm,
)
from .models import (
    Assistance,
    AssistMode,
    AssistStatus,
    Course,
    Household,
    Measure,
    Member,
    Period,
    Shift,
    Signup,
    SignupStatus,
    Skill,
    Team,
)
from .permissions import scope_of


def scoped(test):
    """Log in first; then the page exists only for those ``test(scope)`` admits."""
    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path(), reverse("portal:login"))
            scope = scope_of(request.user)
            if not test(scope):
                raise Http404
            request.scope = scope
            return view(request, *args, **kwargs)
        return wrapper
    return decorator


member_only = scoped(lambda s: s.is_member)
manager_only = scoped(lambda s: s.manages)
province_only = scoped(lambda s: s.province)
desk_only = scoped(lambda s: bool(s.desks))
anyone = scoped(lambda s: s.any)


def _error(request, exc: services.CommunityError, form=None):
    if form is not None:
        for name, problems in exc.fields.items():
            for problem in problems:
                form.add_error(name if name in form.fields else None, problem)
        if not exc.fields:
            form.add_error(None, exc.message)
    else:
        messages.error(request, exc.message + (" " + " ".join(
            " ".join(v) for v in exc.fields.values()) if exc.fields else ""))


def _period(request, default_months_back=0) -> rules.Period:
    try:
        return rules.period_parse(request.GET.get("ky", ""))
    except ValueError:
        today = timezone.localdate()
        return rules.month_of(today)


def _month(request) -> dt.date:
    try:
        period = rules.period_parse(request.GET.get("thang", "") or request.POST.get("thang", ""))
        if period.months == 1:
            return period.start
    except ValueError:
        pass
    today = timezone.localdate()
    return (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


# --- home --------------------------------------------------------------------------------------

@anyone
def home(request):
    scope = request.scope
    context = {"scope": scope}
    if scope.is_member:
        member = scope.member
        period = rules.month_of(timezone.localdate())
        figures = selectors.team_figures(team=member.team, period=period)
        mine = next((m for m in figures["evaluation"].members if m.member_id == member.pk),
                    None)
        context.update({
            "member": member, "team": member.team, "period": period, "figures": figures,
            "mine": mine, "next_shifts": Signup.objects.filter(
                member=member, shift__day__gte=timezone.localdate(),
                status=SignupStatus.SIGNED_UP).select_related("shift", "shift__desk")[:3],
        })
    if scope.manages and not scope.province:
        context["communes"] = list(Unit.objects.filter(pk__in=scope.communes))
    return render(request, "community/home.html", context)


# --- the member's phone pages ------------------------------------------------------------------

def _households_for(member):
    if member.team.village_id:
        return list(Household.objects.filter(village=member.team.village)
                    .order_by("address", "head_name")[:500])
    return list(Household.objects.filter(village__parent=member.team.commune)
                .order_by("address", "head_name")[:500])


@member_only
@require_http_methods(["GET", "POST"])
def visit_new(request):
    member = request.scope.member
    households = _households_for(member)
    if request.method == "POST":
        form = VisitForm(request.POST, households=households)
        if form.is_valid():
            data = form.cleaned_data
            household = next((h for h in households if str(h.pk) == data["household"]), None)
            try:
                visit, created = services.visit_log(
                    actor=request.user, idempotency_key=data["key"], household=household,
                    new_household={"head_name": data["new_head"],
                                   "address": data["new_address"]},
                    at=data["at"], people_helped=data["people_helped"], skills=data["skills"],
                    note=data["note"], **{f: data[f] for f in VisitForm.FLAGS})
            except services.CommunityError as exc:
                _error(request, exc, form)
            else:
                if created:
                    messages.success(request, _("Visit logged. Thank you!"))
                else:
                    messages.info(request, _("This visit was already logged; it was not logged "
                                             "twice."))
                return redirect(reverse("community:visit_new") + f"?luu={visit.idempotency_key}")
    else:
        form = VisitForm(households=households, initial={
            "key": uuid.uuid4().hex, "at": timezone.localtime().replace(microsecond=0),
            "people_helped": 1})
    recent = member.visits.select_related("household")[:5]
    return render(request, "community/visit_form.html", {
        "form": form, "member": member, "recent": recent,
        "saved_key": request.GET.get("luu", "")[:64],
        "flags": [form[f] for f in VisitForm.FLAGS],
    })


@anyone
@require_http_methods(["GET", "POST"])
def households(request):
    """The households of the member's village; a commune official picks a village of theirs
    (?thon=<code>)."""
    scope = request.scope
    village = scope.member.team.village if scope.member else None
    if request.GET.get("thon") and scope.manages:
        village = Unit.objects.filter(code=request.GET["thon"]).first()
        if village is None or not scope.manages_commune(village.parent_id):
            raise Http404
    if village is None:
        raise Http404
    form = HouseholdForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.household_add(actor=request.user, village=village, **form.cleaned_data)
        except services.CommunityError as exc:
            _error(request, exc, form)
        else:
            messages.success(request, _("Household added."))
            return redirect(request.get_full_path())
    return render(request, "community/households.html", {
        "village": village, "form": form, "households": selectors.households_of(village=village),
    })


@member_only
@require_http_methods(["GET", "POST"])
def roster(request):
    scope = request.scope
    team = scope.member.team
    form = ShiftForm(request.POST if "plan" in request.POST else None)
    if request.method == "POST":
        try:
            if "plan" in request.POST:
                if form.is_valid():
                    services.shift_plan(actor=request.user, team=team, **form.cleaned_data)
                    messages.success(request, _("Shift added to the roster."))
                    return redirect("community:roster")
            elif "signup" in request.POST:
                shift = get_object_or_404(Shift, pk=request.POST["signup"], team=team)
                services.signup_create(actor=request.user, shift=shift)
                messages.success(request, _("You are signed up."))
                return redirect("community:roster")
            elif "cancel" in request.POST:
                signup = get_object_or_404(Signup, pk=request.POST["cancel"],
                                           member=scope.member)
                services.signup_cancel(actor=request.user, signup=signup)
                messages.success(request, _("Sign-up cancelled."))
                return redirect("community:roster")
        except services.CommunityError as exc:
            _error(request, exc, form if "plan" in request.POST else None)
    shifts = selectors.roster(team=team, start=timezone.localdate())
    mine = {s.shift_id: s for s in Signup.objects.filter(member=scope.member,
                                                         shift__in=shifts)}
    rows = []
    for shift in shifts:
        taken = [s for s in shift.signups.all() if s.status != SignupStatus.CANCELLED]
        rows.append((shift, taken, mine.get(shift.pk)))
    return render(request, "community/roster.html", {
        "team": team, "rows": rows, "form": form, "may_plan": scope.plans_roster(team),
    })


@member_only
@require_http_methods(["GET", "POST"])
def checkin(request, token):
    if request.method == "POST":
        try:
            services.checkin_by_qr(actor=request.user, token=token)
        except services.CommunityError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Checked in. The desk official will confirm your "
                                        "attendance."))
        return redirect("community:roster")
    return render(request, "community/checkin.html", {"token": token})


def _version(code):
    procedure = Procedure.objects.filter(code=(code or "").strip()).first()
    return procedure.current_version() if procedure else None


@member_only
@require_http_methods(["GET", "POST"])
def assist_start(request):
    form = OnBehalfForm(request.POST if request.POST.get("mode") == "on_behalf" else None,
                        initial={"unit": request.scope.member.team.commune.code})
    own_error = None
    if request.method == "POST":
        mode = request.POST.get("mode")
        try:
            if mode == "own_account":
                assistance, code = services.assistance_start_own_account(
                    actor=request.user, version=_version(request.POST.get("own_procedure")))
                # The code is shown once, on this answer, and never stored in the clear.
                import segno

                address = request.build_absolute_uri(reverse("community:assisted"))
                return render(request, "community/assist_pairing.html", {
                    "assistance": assistance, "code": code, "address": address,
                    "qr": segno.make_qr(f"{address}?ma={code}", error="m").svg_inline(
                        scale=4, dark="#000", light="#fff")})
            if form.is_valid():
                data = form.cleaned_data
                assistance = services.assistance_start_on_behalf(
                    actor=request.user, version=_version(data["procedure"]),
                    citizen_name=data["citizen_name"], national_id=data["national_id"],
                    phone=data["phone"], unit=data["unit"])
                messages.success(request, _("The code was sent by SMS to the citizen's phone."))
                return redirect("community:assist_code", pk=assistance.pk)
        except services.CommunityError as exc:
            if mode == "own_account":
                own_error = exc.message
            else:
                _error(request, exc, form)
    recent = Assistance.objects.filter(member=request.scope.member).select_related(
        "procedure_version", "dossier")[:10]
    return render(request, "community/assist_start.html", {
        "form": form, "own_error": own_error, "recent": recent,
        "own_procedure": request.POST.get("own_procedure", ""),
    })


@member_only
@require_http_methods(["GET", "POST"])
def assist_code(request, pk):
    assistance = get_object_or_404(Assistance, pk=pk, member=request.scope.member,
                                   mode=AssistMode.ON_BEHALF)
    if assistance.status == AssistStatus.CONFIRMED and assistance.dossier_id:
        return redirect("portal:dossier_step", pk=assistance.dossier_id, number=1)
    form = CodeForm(request.POST if "code" in request.POST else None)
    if request.method == "POST":
        if "resend" in request.POST:
            try:
                services.assistance_resend(actor=request.user, assistance=assistance)
                messages.success(request, _("A new code was sent."))
            except services.CommunityError as exc:
                messages.error(request, exc.message)
            return redirect("community:assist_code", pk=pk)
        if form.is_valid():
            try:
                dossier = services.assistance_confirm(actor=request.user, assistance=assistance,
                                                      code=form.cleaned_data["code"])
            except services.CommunityError as exc:
                _error(request, exc, form)
            else:
                messages.success(request, _("Consent confirmed. Fill in the dossier with the "
                                            "citizen."))
                return redirect("portal:dossier_step", pk=dossier.pk, number=1)
        assistance.refresh_from_db()
    return render(request, "community/assist_code.html", {"assistance": assistance,
                                                          "form": form})


@require_http_methods(["GET", "POST"])
def assisted(request):
    """The citizen's side of help on their own account: type the member's code."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), reverse("portal:login"))
    form = CodeForm(request.POST or None, initial={"code": request.GET.get("ma", "")[:6]})
    if request.method == "POST" and form.is_valid():
        try:
            dossier = services.assistance_accept(citizen=request.user,
                                                 code=form.cleaned_data["code"])
        except services.CommunityError as exc:
            _error(request, exc, form)
        else:
            messages.success(request, _("Your dossier is started; the team member helps you "
                                        "fill it in."))
            return redirect("portal:dossier_step", pk=dossier.pk, number=1)
    return render(request, "community/assisted.html", {"form": form})


def scoring(request):
    """How scores are counted: the criteria in force, and the member's own score."""
    period = _period(request)
    name, rule_set, threshold = selectors.criteria_for(period)
    mine = None
    scope = request.scope = scope_of(request.user)
    if scope.is_member:
        result = selectors.evaluation(period=period, teams=[scope.member.team])
        mine = next((m for m in result.members if m.member_id == scope.member.pk), None)
    labels = dict(Measure.choices)
    return render(request, "community/scoring.html", {
        "period": period, "criteria_name": name, "threshold": threshold,
        "rows": [(labels[r.measure], r, r.measure in rules.PER_MONTH) for r in rule_set],
        "total_weight": sum(r.weight for r in rule_set), "mine": mine, "labels": labels,
    })


# --- the commune -------------------------------------------------------------------------------

def _commune(request, code=None):
    scope = request.scope
    if code is None:
        code = request.GET.get("xa") or request.POST.get("xa")
    commune = Unit.objects.filter(code=code).first() if code else None
    if commune is None and len(scope.communes) == 1 and not scope.province:
        commune = Unit.objects.get(pk=next(iter(scope.communes)))
    if commune is None or not scope.manages_commune(commune.pk):
        raise Http404
    return commune


@manager_only
def communes(request):
    rows = [(c, selectors.commune_teams(commune=c)) for c in
            selectors.communes_with_villages(request.scope)]
    if len(rows) == 1:
        return redirect("community:commune", code=rows[0][0].code)
    return render(request, "community/communes.html", {"rows": rows})


def _member_rows(post=None):
    return [MemberFields(post, prefix=f"m{i}") for i in range(MEMBER_ROWS)]


def _account(national_id, form, field="national_id"):
    national_id = (national_id or "").strip()
    if not national_id:
        return None
    user = User.objects.filter(username=national_id).first()
    if user is None:
        form.add_error(field, _("No account has this number: the member registers first, "
                                "or leave it empty."))
    return user


@manager_only
@require_http_methods(["GET", "POST"])
def commune(request, code):
    commune = _commune(request, code)
    overview = selectors.commune_teams(commune=commune)
    villages = overview.villages_without_team
    form = TeamForm(request.POST or None, villages=villages)
    rows = _member_rows(request.POST or None)
    if request.method == "POST":
        valid = form.is_valid() & all([r.is_valid() for r in rows])
        members = []
        for row in rows:
            if valid and row.cleaned_data.get("full_name"):
                user = _account(row.cleaned_data["national_id"], row)
                members.append({**row.cleaned_data, "user": user})
        if valid and not any(r.errors for r in rows):
            village = next((v for v in villages if str(v.pk) == form.cleaned_data["village"]),
                           None)
            try:
                team = services.team_create(
                    actor=request.user, commune=commune, village=village,
                    name=form.cleaned_data["name"], phone=form.cleaned_data["phone"],
                    founded_on=form.cleaned_data["founded_on"], members=members)
            except services.CommunityError as exc:
                for key, problems in exc.fields.items():
                    index, _sep, name = key.partition("-")
                    target = rows[int(index[1:])] if key.startswith("m") and name else form
                    for problem in problems:
                        target.add_error(name if name in target.fields else None, problem)
                if not exc.fields:
                    form.add_error(None, exc.message)
            else:
                messages.success(request, _("Team set up: %(name)s.") % {"name": team.name})
                return redirect("community:team", pk=team.pk)
    return render(request, "community/commune.html", {
        "commune": commune, "overview": overview, "form": form, "rows": rows,
        "low": overview.bounds[0], "high": overview.bounds[1],
    })


def _team_for(request, pk) -> Team:
    team = get_object_or_404(Team.objects.select_related("commune", "village", "desk"), pk=pk)
    if not request.scope.sees_team(team):
        raise Http404
    return team


@anyone
@require_http_methods(["GET", "POST"])
def team(request, pk):
    team = _team_for(request, pk)
    scope = request.scope
    form = MemberFields(request.POST or None, prefix="add")
    if request.method == "POST" and scope.manages_commune(team.commune_id):
        try:
            if "end" in request.POST:
                member = get_object_or_404(Member, pk=request.POST["end"], team=team)
                services.member_end(actor=request.user, member=member)
                messages.success(request, _("%(name)s left the team.")
                                 % {"name": member.full_name})
                return redirect("community:team", pk=pk)
            if form.is_valid():
                data = form.cleaned_data
                user = _account(data["national_id"], form)
                if not form.errors:
                    services.member_add(actor=request.user, team=team,
                                        full_name=data["full_name"], phone=data["phone"],
                                        role=data["role"], background=data["background"],
                                        skills=data["skills"], user=user)
                    messages.success(request, _("Member added."))
                    return redirect("community:team", pk=pk)
        except services.CommunityError as exc:
            _error(request, exc, form if "end" not in request.POST else None)
    period = _period(request)
    figures = selectors.team_figures(team=team, period=period)
    low, high = selectors.team_bounds(team.commune)
    return render(request, "community/team.html", {
        "team": team, "members": team.members.annotate(courses=Count("completions"))
        .order_by("left_on", "role", "full_name"), "skill_labels": dict(Skill.choices),
        "form": form, "period": period, "figures": figures, "low": low, "high": high,
        "manages": scope.manages_commune(team.commune_id), "labels": dict(Measure.choices),
        "size": selectors.team_size(team),
    })


@manager_only
@require_http_methods(["GET", "POST"])
def statement(request, code):
    commune = _commune(request, code)
    month = _month(request)
    if request.method == "POST":
        try:
            services.statement_issue(actor=request.user, commune=commune, month=month)
        except services.CommunityError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Statement issued."))
        return redirect(reverse("community:statement", args=[code]) + f"?thang={month:%Y-%m}")
    data = selectors.allowance_statement(commune=commune, month=month)
    fmt = request.GET.get("dang")
    if fmt in ("xlsx", "pdf"):
        body, content_type, name = exports.statement_file(data, fmt)
        response = HttpResponse(body, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    previous = (month - dt.timedelta(days=1)).replace(day=1)
    following = (month + dt.timedelta(days=32)).replace(day=1)
    return render(request, "community/statement.html", {
        "commune": commune, "statement": data, "month": month, "previous": previous,
        "following": following if following <= timezone.localdate() else None,
        "may_issue": data.issued is None and following <= timezone.localdate(),
    })


# --- the desk ----------------------------------------------------------------------------------

@desk_only
@require_http_methods(["GET", "POST"])
def desk(request):
    scope = request.scope
    today = timezone.localdate()
    if request.method == "POST":
        signup = get_object_or_404(Signup.objects.select_related("shift"),
                                   pk=request.POST.get("signup"))
        try:
            services.attendance_confirm(actor=request.user, signup=signup,
                                        attended=request.POST.get("attended") == "1")
        except services.CommunityError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Attendance recorded: %(name)s.")
                             % {"name": signup.member.full_name})
        return redirect(reverse("community:desk") + f"?ngay={signup.shift.day.isoformat()}")
    try:
        day = dt.date.fromisoformat(request.GET.get("ngay", ""))
    except ValueError:
        day = today
    shifts = selectors.desk_day(desk_ids=scope.desks, day=day)
    desks = list(ServiceDesk.objects.filter(pk__in=scope.desks))
    period = services.current_period()
    qr = []
    if day == today:
        import segno

        for d in desks:
            token = services.desk_token(desk_id=d.pk, day=today, period=period)
            url = request.build_absolute_uri(reverse("community:checkin", args=[token]))
            qr.append((d, segno.make_qr(url, error="m").svg_inline(scale=4, dark="#000",
                                                                   light="#fff"), url))
    return render(request, "community/desk.html", {
        "day": day, "today": today, "shifts": shifts, "qr": qr,
        "period_label": Period(period).label,
        "previous": day - dt.timedelta(days=1), "following": day + dt.timedelta(days=1),
        "SignupStatus": SignupStatus,
    })


# --- the province ------------------------------------------------------------------------------

@manager_only
def dashboard(request):
    scope = request.scope
    period = _period(request)
    commune = None
    if request.GET.get("xa"):
        commune = _commune(request, request.GET["xa"])
    elif not scope.province and len(scope.communes) == 1:
        commune = Unit.objects.get(pk=next(iter(scope.communes)))
    data = selectors.dashboard(scope=scope, period=period, commune=commune)
    return render(request, "community/dashboard.html", {
        "d": data, "period": period, "commune": commune,
        "communes": selectors.communes_with_villages(scope), "labels": dict(Measure.choices),
        "skill_labels": dict(Skill.choices), "periods": _period_choices(),
    })


def _period_choices():
    today = timezone.localdate()
    months = []
    day = today.replace(day=1)
    for _i in range(6):
        months.append(rules.month_of(day))
        day = (day - dt.timedelta(days=1)).replace(day=1)
    quarter = (today.month - 1) // 3 + 1
    return [*months, rules.period_parse(f"{today.year}-Q{quarter}"),
            rules.period_parse(str(today.year))]


@manager_only
@require_http_methods(["GET", "POST"])
def courses(request):
    scope = request.scope
    form = CourseForm(request.POST if "create" in request.POST else None)
    if request.method == "POST" and "create" in request.POST and form.is_valid():
        try:
            services.course_create(actor=request.user, **form.cleaned_data)
        except services.CommunityError as exc:
            _error(request, exc, form)
        else:
            messages.success(request, _("Course added."))
            return redirect("community:courses")
    period = _period(request)
    teams = list(selectors.visible_teams(scope))
    return render(request, "community/courses.html", {
        "form": form, "training": selectors.training(period=period, teams=teams),
        "period": period, "may_create": scope.province,
    })


@manager_only
@require_http_methods(["GET", "POST"])
def course(request, pk):
    course = get_object_or_404(Course, pk=pk)
    scope = request.scope
    form = CompletionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        member = get_object_or_404(Member.objects.select_related("team"),
                                   pk=form.cleaned_data["member"])
        try:
            services.completion_record(actor=request.user, course=course, member=member,
                                       completed_on=form.cleaned_data["completed_on"],
                                       certificate=form.cleaned_data["certificate"])
        except services.CommunityError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Completion recorded: %(name)s.")
                             % {"name": member.full_name})
        return redirect("community:course", pk=pk)
    done = {c.member_id: c for c in course.completions.all()}
    members = (Member.objects.filter(left_on__isnull=True)
               .filter(team__in=selectors.visible_teams(scope))
               .select_related("team").order_by("team__name", "full_name"))
    return render(request, "community/course.html", {
        "course": course, "rows": [(m, done.get(m.pk)) for m in members],
        "today": timezone.localdate(),
    })
