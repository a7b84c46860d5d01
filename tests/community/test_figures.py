"""The province's figures: the page and the API answer the same from the same selectors;
evaluation ranks teams and proposes the best; each person sees only what is theirs to see."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from motcua.accounts.models import User
from motcua.community import rules, selectors, services
from motcua.community.models import Completion, Course, CriteriaSet, Criterion
from motcua.community.permissions import scope_of

from .conftest import THANH_SON, VIET_TRI, team_member


def last_month_key():
    day = timezone.localdate().replace(day=1) - dt.timedelta(days=1)
    return f"{day:%Y-%m}"


@pytest.mark.parametrize("period", [None, "last", "quarter"])
def test_the_dashboard_page_and_the_api_agree(client, province_official, period):
    key = {None: "", "last": last_month_key(),
           "quarter": f"{timezone.localdate().year}-Q{(timezone.localdate().month - 1) // 3 + 1}"
           }[period]
    client.force_login(province_official)
    page = client.get("/to-cong-nghe-so/tong-hop/" + (f"?ky={key}" if key else "")
                      ).content.decode()
    api = client.get("/api/v1/community/dashboard" + (f"?period={key}" if key else "")).json()
    shown = dict(re.findall(r'<dd data-key="(\w+)">(\d+)</dd>', page))
    assert shown and {k: int(v) for k, v in shown.items()} == {
        k: api["activity"][k] for k in shown}
    # Vietnamese writes a decimal comma: 19,8.
    scores = {int(t): float(s.replace(",", ".")) for t, s in re.findall(
        r'<td data-team="(\d+)">([\d,]+)</td>', page)}
    assert scores == {r["team_id"]: r["score"] for r in api["evaluation"]["ranking"]}
    with_rate = re.search(r'<td data-key="with">([^<]*)</td>', page).group(1)
    rate = api["effect"]["with_teams"]["rate"]
    assert with_rate == (f"{rate} %".replace(".", ",") if rate is not None else "—")


def test_the_ranking_is_by_score_and_the_proposed_list_follows_the_threshold(db):
    period = rules.period_parse(last_month_key())
    everyone = scope_of(User.objects.get(username="sokhcn.cv"))
    result = selectors.evaluation(period=period, teams=list(selectors.visible_teams(everyone)))
    scores = [t.score for t in result.teams]
    assert scores == sorted(scores, reverse=True)
    assert [t.rank for t in result.teams] == list(range(1, len(result.teams) + 1))
    assert all(t.score >= result.threshold for t in result.proposed_teams)
    assert all(t.score < result.threshold for t in result.teams
               if t not in result.proposed_teams)


def test_a_configured_criteria_set_changes_the_scores(new_team, province_official):
    member = team_member(new_team)
    course = services.course_create(actor=province_official, title="Kỹ năng số",
                                    provider="Sở KH&CN", mode="in_person",
                                    starts_on=timezone.localdate() - dt.timedelta(days=10))
    services.completion_record(actor=province_official, course=course, member=member,
                               completed_on=timezone.localdate())
    period = rules.month_of(timezone.localdate())
    CriteriaSet.objects.all().delete()
    default = selectors.evaluation(period=period, teams=[new_team])
    assert next(m for m in default.members if m.member_id == member.pk).score == 7.5
    only_training = CriteriaSet.objects.create(name="Chỉ tập huấn", valid_from=period.start,
                                               recognition_threshold=50)
    Criterion.objects.create(criteria_set=only_training, measure="courses_completed",
                             weight=10, target=1)
    result = selectors.evaluation(period=period, teams=[new_team])
    assert result.criteria_name == "Chỉ tập huấn"
    assert next(m for m in result.members if m.member_id == member.pk).score == 100.0
    assert [m.member_id for m in result.proposed_members] == [member.pk]


def test_the_formulas_are_shown_to_members(client, leader):
    client.force_login(leader)
    page = client.get("/to-cong-nghe-so/cach-tinh-diem/").content.decode()
    assert "điểm = trọng số × min(1, kết quả ÷ mức đạt)" in page
    assert "Số người được hỗ trợ" in page and "Điểm của tôi kỳ" in page


def test_training_courses_and_who_completed_them(client, province_official, new_team):
    client.force_login(province_official)
    refused = client.post("/to-cong-nghe-so/tap-huan/", {
        "create": "1", "title": "Kỹ năng số cộng đồng", "provider": "Bộ KH&CN",
        "mode": "online", "hours": "8", "starts_on": "2026-01-05"}).content.decode()
    assert "Khóa học trực tuyến cần có địa chỉ trang web." in refused
    client.post("/to-cong-nghe-so/tap-huan/", {
        "create": "1", "title": "Kỹ năng số cộng đồng", "provider": "Bộ KH&CN",
        "mode": "online", "url": "https://onedx.edu.vn/", "hours": "8",
        "starts_on": (timezone.localdate() - dt.timedelta(days=30)).isoformat()})
    course = Course.objects.get(title="Kỹ năng số cộng đồng")
    member = team_member(new_team)
    client.post(f"/to-cong-nghe-so/tap-huan/{course.pk}/", {
        "member": member.pk, "completed_on": timezone.localdate().isoformat()})
    assert Completion.objects.filter(course=course, member=member).exists()
    training = selectors.training(period=rules.month_of(timezone.localdate()),
                                  teams=[new_team])
    assert (training.members, training.members_trained) == (4, 1)


def test_a_commune_official_sees_only_their_commune(client, chairman, thanh_son):
    client.force_login(chairman)
    assert client.get(f"/to-cong-nghe-so/xa/{THANH_SON}/").status_code == 404
    assert client.get(f"/api/v1/community/communes/{THANH_SON}/teams").status_code == 404
    other = selectors.visible_teams(scope_of(chairman)).exclude(commune__code=VIET_TRI)
    assert not other.exists()
    api = client.get(f"/api/v1/community/communes/{VIET_TRI}/teams").json()
    assert [v["name"] for v in api["villages_without_team"]] == ["Tổ dân phố 7", "Tổ dân phố 8"]
    assert (api["min_members"], api["max_members"]) == (4, 9)


def test_a_member_sees_their_own_team_only(client, member_user):
    from motcua.community.models import Team

    client.force_login(member_user)
    own = scope_of(member_user).member.team
    other = Team.objects.exclude(pk=own.pk).first()
    assert client.get(f"/to-cong-nghe-so/to/{own.pk}/").status_code == 200
    assert client.get(f"/to-cong-nghe-so/to/{other.pk}/").status_code == 404
    assert client.get(f"/api/v1/community/teams/{other.pk}").status_code == 404
    assert client.get("/api/v1/community/dashboard").status_code == 403
    assert client.get(f"/to-cong-nghe-so/xa/{VIET_TRI}/").status_code == 404
    assert client.get("/to-cong-nghe-so/quay/").status_code == 404


def test_the_province_sees_every_team(province_official):
    from motcua.community.models import Team

    assert selectors.visible_teams(scope_of(province_official)).count() == Team.objects.count()


def test_a_citizen_has_no_team_pages(client, citizen):
    client.force_login(citizen)
    assert client.get("/to-cong-nghe-so/").status_code == 404
    assert client.get("/api/v1/community/dashboard").status_code == 403
    # The page where a citizen types a member's code is theirs.
    assert client.get("/to-cong-nghe-so/duoc-ho-tro/").status_code == 200


def test_the_header_links_to_the_team_pages_for_those_who_have_them(client, leader, citizen):
    client.force_login(leader)
    assert 'href="/to-cong-nghe-so/"' in client.get("/").content.decode()
    client.force_login(citizen)
    assert 'href="/to-cong-nghe-so/"' not in client.get("/").content.decode()


def test_the_allowance_api_agrees_with_the_statement_page(client, chairman):
    client.force_login(chairman)
    month = last_month_key()
    page = client.get(f"/to-cong-nghe-so/xa/{VIET_TRI}/bang-ke/?thang={month}").content.decode()
    api = client.get(f"/api/v1/community/allowances/{VIET_TRI}?month={month}").json()
    from motcua.core.formats import format_money

    assert f'<td id="statement-total">{format_money(api["total"])}</td>' in page
    assert api["total"] == sum(line["amount"] for line in api["lines"]) > 0
    assert all(line["amount"] == line["sessions"] * api["rate"] for line in api["lines"])
