"""Teams and members: a commune sets up a team per village, within the bounds, and sees which
villages still have none; the bounds can be a province's or a commune's own."""

import datetime as dt

import pytest
from django.utils import timezone

from motcua.community import selectors, services
from motcua.community.models import LocalRules, Team
from motcua.geo.models import Unit

from .conftest import VIET_TRI, citizen_account, people, team_member


def village(code):
    return Unit.objects.get(code=code)


def test_a_commune_sees_at_once_which_villages_have_no_team(viet_tri):
    overview = selectors.commune_teams(commune=viet_tri)
    assert [v.name for v in overview.villages_without_team] == ["Tổ dân phố 7", "Tổ dân phố 8"]
    assert overview.villages == 8 and len(overview.teams) == 6


def test_the_commune_page_lists_them(client, chairman):
    client.force_login(chairman)
    page = client.get(f"/to-cong-nghe-so/xa/{VIET_TRI}/").content.decode()
    assert "2 thôn, tổ dân phố chưa có tổ:" in page
    assert "<li>Tổ dân phố 7</li>" in page and "<li>Tổ dân phố 8</li>" in page


@pytest.mark.parametrize("size", [4, 6, 9])
def test_a_team_of_four_to_nine_is_set_up(viet_tri, chairman, size):
    team = services.team_create(actor=chairman, commune=viet_tri,
                                village=village(f"{VIET_TRI}.007"), members=people(size))
    assert team.name == "Tổ công nghệ số cộng đồng Tổ dân phố 7"
    assert selectors.team_size(team) == size
    assert team.desk.name == "Trung tâm Phục vụ hành chính công Phường Việt Trì"
    assert village(f"{VIET_TRI}.007") not in selectors.commune_teams(
        commune=viet_tri).villages_without_team


def test_a_team_of_ten_is_refused_naming_the_bound(viet_tri, chairman):
    with pytest.raises(services.CommunityError) as refused:
        services.team_create(actor=chairman, commune=viet_tri,
                             village=village(f"{VIET_TRI}.007"), members=people(10))
    print("refused:", refused.value.message)
    assert refused.value.message == ("Một tổ có nhiều nhất 9 thành viên "
                                     "(tổ này sẽ có 10 thành viên).")
    assert not Team.objects.filter(village__code=f"{VIET_TRI}.007").exists()


def test_a_team_of_three_is_refused(viet_tri, chairman):
    with pytest.raises(services.CommunityError, match="ít nhất 4 thành viên"):
        services.team_create(actor=chairman, commune=viet_tri,
                             village=village(f"{VIET_TRI}.007"), members=people(3))


def test_a_tenth_member_is_refused_naming_the_bound(viet_tri, chairman):
    team = services.team_create(actor=chairman, commune=viet_tri,
                                village=village(f"{VIET_TRI}.007"), members=people(9))
    with pytest.raises(services.CommunityError) as refused:
        services.member_add(actor=chairman, team=team, full_name="Lường Văn Mười")
    assert "nhiều nhất 9 thành viên" in refused.value.message
    assert selectors.team_size(team) == 9


def test_the_tenth_member_refused_on_the_page_too(client, viet_tri, chairman):
    team = services.team_create(actor=chairman, commune=viet_tri,
                                village=village(f"{VIET_TRI}.007"), members=people(9))
    client.force_login(chairman)
    page = client.post(f"/to-cong-nghe-so/to/{team.pk}/", {
        "add-full_name": "Lường Văn Mười", "add-role": "member",
        "add-background": "volunteer"}).content.decode()
    assert "Một tổ có nhiều nhất 9 thành viên (tổ này sẽ có 10 thành viên)." in page
    assert selectors.team_size(team) == 9


def test_a_member_leaving_a_team_of_four_is_refused_until_a_newcomer_joins(
        new_team, chairman):
    leaving = team_member(new_team, 3)
    with pytest.raises(services.CommunityError, match="ít nhất 4"):
        services.member_end(actor=chairman, member=leaving)
    services.member_add(actor=chairman, team=new_team, full_name="Nông Thị Thắm")
    services.member_end(actor=chairman, member=leaving)
    leaving.refresh_from_db()
    assert leaving.left_on is not None and selectors.team_size(new_team) == 4


def test_a_province_sets_its_own_bounds_and_a_commune_its_own(viet_tri, chairman):
    LocalRules.objects.create(unit=Unit.objects.get(code="25"), min_members=5, max_members=7)
    assert selectors.team_bounds(viet_tri) == (5, 7)
    with pytest.raises(services.CommunityError,
                       match=r"nhiều nhất 7 thành viên \(tổ này sẽ có 8"):
        services.team_create(actor=chairman, commune=viet_tri,
                             village=village(f"{VIET_TRI}.007"), members=people(8))
    LocalRules.objects.create(unit=viet_tri, max_members=8)
    assert selectors.team_bounds(viet_tri) == (5, 8)  # the commune's, then the province's
    services.team_create(actor=chairman, commune=viet_tri, village=village(f"{VIET_TRI}.007"),
                         members=people(8))


def test_the_bounds_come_from_the_settings(viet_tri, settings):
    settings.TEAM_MIN_MEMBERS, settings.TEAM_MAX_MEMBERS = 3, 12
    assert selectors.team_bounds(viet_tri) == (3, 12)


def test_a_village_has_one_team(viet_tri, chairman):
    with pytest.raises(services.CommunityError) as refused:
        services.team_create(actor=chairman, commune=viet_tri,
                             village=village(f"{VIET_TRI}.003"), members=people(5))
    assert refused.value.fields["village"] == ["Tổ dân phố 3 đã có tổ."]


def test_a_village_of_another_commune_is_refused(viet_tri, chairman):
    with pytest.raises(services.CommunityError) as refused:
        services.team_create(actor=chairman, commune=viet_tri, village=village("08542.005"),
                             members=people(5))
    assert "village" in refused.value.fields


def test_only_the_communes_own_officials_set_up_its_teams(viet_tri):
    from motcua.accounts.models import User

    for username in ("thanhson.chutich", "025095700001", "vietri.congan.ld"):
        with pytest.raises(services.CommunityError) as refused:
            services.team_create(actor=User.objects.get(username=username), commune=viet_tri,
                                 village=village(f"{VIET_TRI}.007"), members=people(5))
        assert refused.value.code == "forbidden", username


def test_an_account_is_on_one_team_at_a_time(new_team, chairman, leader):
    with pytest.raises(services.CommunityError) as refused:
        services.member_add(actor=chairman, team=new_team, full_name=leader.full_name,
                            user=leader)
    assert refused.value.fields["user"] == ["Tài khoản này đang là thành viên của một tổ."]


def test_the_commune_sets_up_a_team_on_its_page(client, viet_tri, chairman):
    client.force_login(chairman)
    rows = {}
    for index, person in enumerate(people(5)):
        rows |= {f"m{index}-full_name": person["full_name"], f"m{index}-role": person["role"],
                 f"m{index}-background": "police", f"m{index}-phone": person["phone"]}
    accounted = citizen_account("025090800001", "Phan Văn Lực", viet_tri)
    rows["m0-national_id"] = accounted.username
    for index in range(5, 9):
        rows |= {f"m{index}-role": "member", f"m{index}-background": "volunteer"}
    response = client.post(f"/to-cong-nghe-so/xa/{VIET_TRI}/", {
        "village": str(village(f"{VIET_TRI}.008").pk), "founded_on": "2026-01-05",
        "phone": "0987111222", **rows})
    team = Team.objects.get(village__code=f"{VIET_TRI}.008")
    assert response.status_code == 302 and response["Location"] == f"/to-cong-nghe-so/to/{team.pk}/"
    assert selectors.team_size(team) == 5
    assert team.members.get(role="leader").user == accounted


def test_the_commune_sees_a_village_s_households_and_a_member_only_their_own(
        client, chairman, member_user):
    client.force_login(chairman)
    page = client.get("/to-cong-nghe-so/ho-dan/?thon=07900.003").content.decode()
    assert "Các hộ của Tổ dân phố 3" in page
    assert client.get("/to-cong-nghe-so/ho-dan/?thon=08542.001").status_code == 404
    client.force_login(member_user)
    own = client.get("/to-cong-nghe-so/ho-dan/?thon=07900.001").content.decode()
    assert "Các hộ của Tổ dân phố 3" in own  # a member's is always their own village


def test_the_team_page_shows_each_member_s_training(client, chairman, new_team,
                                                     province_official):
    course = services.course_create(actor=province_official, title="Kỹ năng số",
                                    provider="Sở KH&CN", mode="in_person",
                                    starts_on=timezone.localdate() - dt.timedelta(days=3))
    services.completion_record(actor=chairman, course=course, member=team_member(new_team),
                               completed_on=timezone.localdate())
    client.force_login(chairman)
    page = client.get(f"/to-cong-nghe-so/to/{new_team.pk}/").content.decode()
    assert "Số khóa đã học" in page and "<td>1</td>" in page
