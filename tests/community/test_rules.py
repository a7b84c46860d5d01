"""The plain rules: team size, the allowance, periods and the evaluation score."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from motcua.community import rules

STATUSES = ["signed_up", "checked_in", "attended", "absent", "cancelled"]


@pytest.mark.parametrize(("count", "refused"), [
    (3, True), (4, False), (5, False), (9, False), (10, True), (0, True),
])
def test_team_size_between_the_bounds(count, refused):
    assert (rules.team_size_problem(count, low=4, high=9) is not None) is refused


def test_a_team_of_ten_is_told_the_bound():
    assert rules.team_size_problem(10, low=4, high=9) == (
        "Một tổ có nhiều nhất 9 thành viên (tổ này sẽ có 10 thành viên).")


def test_nine_attended_sessions_at_30000_are_270000():
    rows = rules.allowance_rows([(7, "attended")] * 9, rate=30_000)
    assert rows == [rules.AllowanceRow(7, 9, 270_000)]


@pytest.mark.parametrize("status", ["signed_up", "checked_in", "absent", "cancelled"])
def test_an_unconfirmed_sign_up_pays_nothing(status):
    assert rules.allowance_rows([(7, status)], rate=30_000) == []


@given(st.lists(st.tuples(st.integers(1, 20), st.sampled_from(STATUSES)), max_size=200),
       st.integers(0, 500_000))
def test_the_allowance_is_confirmed_sessions_times_the_rate(signups, rate):
    rows = rules.allowance_rows(signups, rate=rate)
    attended = [m for m, s in signups if s == "attended"]
    assert sum(r.sessions for r in rows) == len(attended)
    assert sum(r.amount for r in rows) == len(attended) * rate
    assert all(r.sessions > 0 and r.amount == r.sessions * rate for r in rows)
    assert {r.member_id for r in rows} == set(attended)


def test_the_allowance_is_never_negative():
    with pytest.raises(ValueError):
        rules.allowance_amount(sessions=-1, rate=30_000)


@pytest.mark.parametrize(("key", "start", "end", "months"), [
    ("2026-03", dt.date(2026, 3, 1), dt.date(2026, 4, 1), 1),
    ("2026-12", dt.date(2026, 12, 1), dt.date(2027, 1, 1), 1),
    ("2026-Q1", dt.date(2026, 1, 1), dt.date(2026, 4, 1), 3),
    ("2026-q4", dt.date(2026, 10, 1), dt.date(2027, 1, 1), 3),
    ("2026", dt.date(2026, 1, 1), dt.date(2027, 1, 1), 12),
])
def test_periods(key, start, end, months):
    period = rules.period_parse(key)
    assert (period.start, period.end, period.months) == (start, end, months)


@pytest.mark.parametrize("key", ["", "2026-13", "2026-Q5", "03/2026", "26"])
def test_a_wrong_period_is_refused(key):
    with pytest.raises(ValueError):
        rules.period_parse(key)


def test_the_score_follows_the_written_formula():
    values = {"activity_days": 4, "people_helped": 20, "dossiers_assisted": 8,
              "sessions_attended": 1, "courses_completed": 0}
    result = rules.score(values, rules.DEFAULT_RULES, months=1)
    # 20×4/8 + 25×1 + 25×1 (capped) + 15×1/2 + 15×0 = 10 + 25 + 25 + 7.5 = 67.5 of 100.
    assert result.total == 67.5
    assert [p.points for p in result.parts] == [10.0, 25.0, 25.0, 7.5, 0.0]


def test_monthly_targets_scale_with_the_period_training_does_not():
    values = {"activity_days": 8, "courses_completed": 2}
    month = rules.score(values, rules.DEFAULT_RULES, months=1)
    quarter = rules.score(values, rules.DEFAULT_RULES, months=3)
    assert [p.target for p in quarter.parts] == [24, 60, 12, 6, 2]
    assert month.parts[0].points == 20 and quarter.parts[0].points == pytest.approx(20 / 3)
    assert month.parts[-1].points == quarter.parts[-1].points == 15


@given(st.dictionaries(st.sampled_from(sorted(rules.PER_MONTH | {"courses_completed"})),
                       st.integers(0, 10_000)), st.sampled_from([1, 3, 12]))
def test_a_score_is_between_0_and_100_and_more_work_never_lowers_it(values, months):
    result = rules.score(values, rules.DEFAULT_RULES, months=months)
    assert 0 <= result.total <= 100
    more = {k: v + 1 for k, v in values.items()}
    assert rules.score(more, rules.DEFAULT_RULES, months=months).total >= result.total


def test_a_team_score_is_the_mean_of_its_members():
    assert rules.team_score([80, 60, 70]) == 70.0
    assert rules.team_score([]) == 0.0


def test_online_rate():
    assert rules.online_rate(5, 20) == 25.0
    assert rules.online_rate(0, 0) is None
