"""The demo teams are loaded once: a second `demo load` changes nothing."""

from motcua.community.models import Household, Member, Shift, Signup, Team, Visit
from motcua.demo.community import NO_TEAM, demo_community_load

MODELS = (Team, Member, Household, Visit, Shift, Signup)


def test_a_second_load_changes_nothing(db):
    before = {m.__name__: m.objects.count() for m in MODELS}
    assert demo_community_load(dossiers=False) == {}
    assert {m.__name__: m.objects.count() for m in MODELS} == before
    assert before["Team"] == 10 and 50 <= before["Member"] <= 70


def test_the_demo_teams_are_within_the_bounds_and_leave_villages_without_one(db):
    from motcua.community import selectors

    for team in Team.objects.all():
        assert 4 <= selectors.team_size(team) <= 9, team
    assert set(Team.objects.values_list("village__code", flat=True)).isdisjoint(NO_TEAM)


def test_the_demo_attendance_was_confirmed_by_the_desk_officers(db):
    attended = Signup.objects.filter(status="attended")
    assert attended.exists()
    assert set(attended.values_list("confirmed_by__username", flat=True)) <= {
        "vietri.motcua", "thanhson.motcua"}
