"""Duty at the one-stop desk: the leader plans, members sign up, the desk official confirms
who came (or the member scans the desk's QR code and the official confirms), and the month's
statement pays each confirmed session."""

import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from motcua.community import exports, selectors, services
from motcua.community.models import Shift, Signup, SignupStatus

from .conftest import VIET_TRI, team_member


def past_month() -> dt.date:
    """A month long before the demo's duty, so its statement holds only what a test made."""
    return (timezone.localdate() - dt.timedelta(days=240)).replace(day=1)


def workdays(month: dt.date, count: int) -> list[dt.date]:
    days, day = [], month
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def past_shifts(team, days, period="morning"):
    """Shifts of a month gone by, as the leader planned them then (planning the past is
    refused today, so they are written directly)."""
    return [Shift.objects.create(team=team, desk=team.desk, day=d, period=period) for d in days]


def signed_up(shift, member):
    return Signup.objects.create(shift=shift, member=member)


def test_nine_attended_sessions_at_30000_give_270000_an_unconfirmed_sign_up_nothing(
        new_team, desk_officer, chairman):
    hung, lan = team_member(new_team, 0), team_member(new_team, 1)
    month = past_month()
    for shift in past_shifts(new_team, workdays(month, 9)):
        services.attendance_confirm(actor=desk_officer, signup=signed_up(shift, hung))
        signed_up(shift, lan)  # signed up, never confirmed
    statement = selectors.allowance_preview(commune=new_team.commune, month=month)
    line = next(line for line in statement.lines if line.member_id == hung.pk)
    print(f"{line.full_name}: {line.sessions} sessions × {statement.rate} = {line.amount}")
    assert (line.sessions, statement.rate, line.amount) == (9, 30_000, 270_000)
    assert lan.pk not in {line.member_id for line in statement.lines}
    assert statement.total == 270_000

    issued = services.statement_issue(actor=chairman, commune=new_team.commune, month=month)
    assert issued.total == 270_000 and issued.lines.get(member=hung).amount == 270_000
    frozen = selectors.allowance_statement(commune=new_team.commune, month=month)
    pdf = PdfReader(io.BytesIO(exports.statement_pdf(frozen)))
    text = " ".join(page.extract_text() for page in pdf.pages)
    print("PDF:", [t for t in text.split("\n") if "270.000" in t])
    assert "270.000 đ" in text and "30.000 đ" in text and f"{month:%m/%Y}" in text
    assert text.startswith("ỦY BAN NHÂN DÂN\n PHƯỜNG VIỆT TRÌ") and "<br" not in text
    sheet = load_workbook(io.BytesIO(exports.statement_xlsx(frozen))).active
    row = next(r for r in sheet.iter_rows(min_row=6, values_only=True) if r[1] == hung.full_name)
    assert row[3:6] == (9, 30_000, 270_000)
    assert sheet.cell(row=6, column=6).number_format == '#,##0 "đ"'


def test_the_statement_page_and_its_files(client, new_team, desk_officer, chairman):
    hung = team_member(new_team, 0)
    month = past_month()
    for shift in past_shifts(new_team, workdays(month, 2)):
        services.attendance_confirm(actor=desk_officer, signup=signed_up(shift, hung))
    client.force_login(chairman)
    url = f"/to-cong-nghe-so/xa/{VIET_TRI}/bang-ke/?thang={month:%Y-%m}"
    page = client.get(url).content.decode()
    assert "60.000 đ" in page and "Bản xem trước, chưa chốt" in page
    xlsx = client.get(url + "&dang=xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client.get(url + "&dang=pdf").content.startswith(b"%PDF")
    client.post(f"/to-cong-nghe-so/xa/{VIET_TRI}/bang-ke/", {"thang": f"{month:%Y-%m}"})
    assert "Đã chốt ngày" in client.get(url).content.decode()


def test_an_issued_month_no_longer_changes(new_team, desk_officer, chairman):
    hung, lan = team_member(new_team, 0), team_member(new_team, 1)
    shift = past_shifts(new_team, workdays(past_month(), 1))[0]
    services.attendance_confirm(actor=desk_officer, signup=signed_up(shift, hung))
    late = signed_up(shift, lan)
    services.statement_issue(actor=chairman, commune=new_team.commune, month=past_month())
    with pytest.raises(services.CommunityError, match="đã chốt"):
        services.attendance_confirm(actor=desk_officer, signup=late)
    with pytest.raises(services.CommunityError, match="đã được chốt"):
        services.statement_issue(actor=chairman, commune=new_team.commune, month=past_month())


def test_the_current_month_is_not_issued_before_it_ends(new_team, chairman):
    with pytest.raises(services.CommunityError, match="kết thúc"):
        services.statement_issue(actor=chairman, commune=new_team.commune,
                                 month=timezone.localdate())


def test_a_rate_of_the_commune_s_own(new_team, desk_officer):
    from motcua.community.models import LocalRules

    LocalRules.objects.create(unit=new_team.commune, allowance_per_session=50_000)
    shift = past_shifts(new_team, workdays(past_month(), 1))[0]
    services.attendance_confirm(actor=desk_officer,
                                signup=signed_up(shift, team_member(new_team, 0)))
    statement = selectors.allowance_preview(commune=new_team.commune, month=past_month())
    assert (statement.rate, statement.total) == (50_000, 50_000)


def next_workday(after: int = 1) -> dt.date:
    day = timezone.localdate() + dt.timedelta(days=after)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def test_the_leader_plans_members_sign_up_until_full(new_team, chairman):
    leader, second, third = (team_member(new_team, i) for i in range(3))
    shift = services.shift_plan(actor=leader.user, team=new_team, day=next_workday(),
                                period="afternoon", places=2)
    services.signup_create(actor=leader.user, shift=shift)
    with pytest.raises(services.CommunityError, match="đã đăng ký"):
        services.signup_create(actor=leader.user, shift=shift)
    services.signup_create(actor=second.user, shift=shift)
    with pytest.raises(services.CommunityError, match="đủ người"):
        services.signup_create(actor=third.user, shift=shift)
    services.signup_cancel(actor=second.user, signup=shift.signups.get(member=second))
    services.signup_create(actor=third.user, shift=shift)
    assert shift.signups.exclude(status=SignupStatus.CANCELLED).count() == 2


def test_a_plain_member_does_not_plan_the_roster(new_team):
    with pytest.raises(services.CommunityError) as refused:
        services.shift_plan(actor=team_member(new_team, 1).user, team=new_team,
                            day=next_workday(), period="morning")
    assert refused.value.code == "forbidden"


def test_the_past_and_sundays_are_not_planned(new_team):
    leader = team_member(new_team, 0).user
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    with pytest.raises(services.CommunityError) as refused:
        services.shift_plan(actor=leader, team=new_team, day=yesterday, period="morning")
    assert refused.value.fields["day"]
    sunday = timezone.localdate() + dt.timedelta(days=(6 - timezone.localdate().weekday()) or 7)
    with pytest.raises(services.CommunityError) as refused:
        services.shift_plan(actor=leader, team=new_team, day=sunday, period="morning")
    assert refused.value.fields["day"] == ["Bộ phận một cửa nghỉ ngày Chủ nhật."]


def test_a_member_of_another_team_does_not_sign_up(new_team, member_user):
    shift = services.shift_plan(actor=team_member(new_team, 0).user, team=new_team,
                                day=next_workday(), period="morning")
    with pytest.raises(services.CommunityError, match="Chỉ thành viên"):
        services.signup_create(actor=member_user, shift=shift)


def test_only_this_desk_s_official_confirms_and_not_before_the_day(new_team, desk_officer):
    from motcua.accounts.models import User

    shift = services.shift_plan(actor=team_member(new_team, 0).user, team=new_team,
                                day=next_workday(), period="morning")
    signup = services.signup_create(actor=team_member(new_team, 0).user, shift=shift)
    with pytest.raises(services.CommunityError, match="từ ngày của ca"):
        services.attendance_confirm(actor=desk_officer, signup=signup)
    past = signed_up(past_shifts(new_team, workdays(past_month(), 1))[0],
                     team_member(new_team, 1))
    for username in ("thanhson.motcua", "vietri.chutich", team_member(new_team, 0).user.username):
        with pytest.raises(services.CommunityError) as refused:
            services.attendance_confirm(actor=User.objects.get(username=username), signup=past)
        assert refused.value.code == "forbidden", username


def test_the_desk_qr_code_checks_a_member_in_and_the_official_confirms(new_team, desk_officer):
    member = team_member(new_team, 0)
    today = timezone.localdate()
    period = services.current_period()
    shift = Shift.objects.create(team=new_team, desk=new_team.desk, day=today, period=period)
    signup = signed_up(shift, member)
    token = services.desk_token(desk_id=new_team.desk_id, day=today, period=period)
    services.checkin_by_qr(actor=member.user, token=token)
    signup.refresh_from_db()
    assert signup.status == SignupStatus.CHECKED_IN
    # A check-in is not yet an attendance: it pays nothing until confirmed.
    paid = selectors.allowance_preview(commune=new_team.commune, month=today).lines
    assert member.pk not in {line.member_id for line in paid}
    services.attendance_confirm(actor=desk_officer, signup=signup)
    signup.refresh_from_db()
    assert (signup.status, signup.method, signup.confirmed_by) == (
        SignupStatus.ATTENDED, "qr", desk_officer)


@pytest.mark.parametrize("token", ["", "garbage", "1-20260101-m-0000", None])
def test_a_forged_or_old_qr_code_is_refused(new_team, token):
    member = team_member(new_team, 0)
    if token is None:  # yesterday's genuine code
        token = services.desk_token(desk_id=new_team.desk_id,
                                    day=timezone.localdate() - dt.timedelta(days=1),
                                    period="morning")
    with pytest.raises(services.CommunityError):
        services.checkin_by_qr(actor=member.user, token=token)


def test_the_desk_page_shows_the_shift_and_confirms(client, new_team, desk_officer):
    member = team_member(new_team, 0)
    today = timezone.localdate()
    shift = Shift.objects.create(team=new_team, desk=new_team.desk, day=today, period="morning")
    signup = signed_up(shift, member)
    client.force_login(desk_officer)
    page = client.get("/to-cong-nghe-so/quay/").content.decode()
    assert member.full_name in page and "<svg" in page
    client.post("/to-cong-nghe-so/quay/", {"signup": signup.pk, "attended": "1"})
    signup.refresh_from_db()
    assert signup.status == SignupStatus.ATTENDED
