"""The working-day calendar (a pure module): real deadlines of 2025–2026 against the shipped
calendar (the holidays package plus the announced swaps), then properties any calendar keeps."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from motcua.core.calendar_sources import (
    HOLIDAY,
    SWAPS_FILE,
    calendar_file_read,
    package_holidays,
)
from motcua.core.workdays import (
    DAY,
    DEFAULT_PERIODS,
    HALF_DAY,
    HOUR,
    LOCAL_TZ,
    RESTART,
    RESUME,
    UNITS,
    WorkCalendar,
    parse_time,
    periods_from_pairs,
    periods_parse,
)


def local(text: str) -> dt.datetime:
    """'11/02/2026 10:00' → that time in Vietnam."""
    return dt.datetime.strptime(text, "%d/%m/%Y %H:%M").replace(tzinfo=LOCAL_TZ)


def shipped_calendar() -> WorkCalendar:
    """What `motcua calendar seed` and `motcua calendar import` of the shipped file give."""
    kinds = dict.fromkeys(package_holidays([2025, 2026, 2027]), HOLIDAY)
    for row in calendar_file_read(SWAPS_FILE):
        kinds[row.date] = row.kind
    return WorkCalendar(holidays={d for d, k in kinds.items() if k == HOLIDAY},
                        workdays={d for d, k in kinds.items() if k != HOLIDAY})


CALENDAR = shipped_calendar()

DUE_DATES = [
    # (case, received, duration, unit, cut-off, due)
    ("RULES.md: Wednesday 11/02/2026 + 3 working days, Tết in between",
     "11/02/2026 10:00", 3, DAY, None, "23/02/2026 17:00"),
    ("received the Friday before Tết 2026, 1 working day",
     "13/02/2026 09:00", 1, DAY, None, "23/02/2026 17:00"),
    ("received the Friday before Tết 2026, 5 working days",
     "13/02/2026 09:00", 5, DAY, None, "27/02/2026 17:00"),
    ("received at 16:45 on a working day: counted from the next day",
     "10/03/2026 16:45", 2, DAY, None, "12/03/2026 17:00"),
    ("received at 17:00 sharp: after closing, received the next morning",
     "10/03/2026 17:00", 2, DAY, None, "13/03/2026 17:00"),
    ("Hùng Kings' day 2026 is a Sunday: Monday 27/04 is off, then 30/4 and 1/5",
     "24/04/2026 10:00", 3, DAY, None, "04/05/2026 17:00"),
    ("Hùng Kings' substitute Monday 27/04/2026 is not counted",
     "24/04/2026 10:00", 1, DAY, None, "28/04/2026 17:00"),
    ("make-up Saturday 26/04/2025 is a working day",
     "25/04/2025 10:00", 1, DAY, None, "26/04/2025 17:00"),
    ("30/4, 1/5 and the swapped Friday 02/05/2025 are off",
     "29/04/2025 10:00", 1, DAY, None, "05/05/2025 17:00"),
    ("New Year 2026: Friday 02/01 swapped off",
     "31/12/2025 10:00", 1, DAY, None, "05/01/2026 17:00"),
    ("make-up Saturday 10/01/2026 is a working day",
     "09/01/2026 10:00", 1, DAY, None, "10/01/2026 17:00"),
    ("National Day 2026: Monday 31/08 swapped off, 1/9 and 2/9 off",
     "28/08/2026 10:00", 1, DAY, None, "03/09/2026 17:00"),
    ("make-up Saturday 22/08/2026 is a working day",
     "21/08/2026 10:00", 1, DAY, None, "22/08/2026 17:00"),
    ("8 working hours from 15:00 on a Friday end on Monday",
     "06/03/2026 15:00", 8, HOUR, None, "09/03/2026 15:30"),
    ("4 working hours from 07:30 end at 11:30, not 13:30",
     "09/03/2026 07:30", 4, HOUR, None, "09/03/2026 11:30"),
    ("working hours skip the lunch break",
     "09/03/2026 10:30", 2, HOUR, None, "09/03/2026 14:30"),
    ("working hours skip Tết",
     "13/02/2026 15:00", 4, HOUR, None, "23/02/2026 09:30"),
    ("1 half day from a morning: the same afternoon",
     "09/03/2026 09:00", 1, HALF_DAY, None, "09/03/2026 17:00"),
    ("1 half day from an afternoon: the next morning",
     "09/03/2026 14:00", 1, HALF_DAY, None, "10/03/2026 11:30"),
    ("3 half days from a Friday afternoon: Tuesday morning",
     "06/03/2026 14:00", 3, HALF_DAY, None, "10/03/2026 11:30"),
    ("online at 22:00: received at 07:30 the next day, counted from the day after",
     "04/03/2026 22:00", 1, DAY, None, "06/03/2026 17:00"),
    ("online at 22:00, 8 working hours counted from 07:30",
     "04/03/2026 22:00", 8, HOUR, None, "06/03/2026 08:00"),
    ("online on a Sunday: received Monday 07:30",
     "08/03/2026 10:00", 1, DAY, None, "10/03/2026 17:00"),
    ("online on the first day of Tết: received when the offices open again",
     "17/02/2026 08:00", 1, DAY, None, "24/02/2026 17:00"),
    ("same-day procedure received before its 15:00 cut-off",
     "10/03/2026 14:00", 0, DAY, dt.time(15, 0), "10/03/2026 17:00"),
    ("same-day procedure received after its 15:00 cut-off on a Friday: Monday",
     "13/03/2026 15:30", 0, DAY, dt.time(15, 0), "16/03/2026 17:00"),
    ("after the cut-off, days count from the next working day",
     "10/03/2026 15:30", 1, DAY, dt.time(15, 0), "12/03/2026 17:00"),
]


@pytest.mark.parametrize(("case", "received", "duration", "unit", "cutoff", "due"), DUE_DATES,
                         ids=[case[0] for case in DUE_DATES])
def test_due_dates_of_real_cases(case, received, duration, unit, cutoff, due):
    result = CALENDAR.due_at(local(received), duration=duration, unit=unit, cutoff=cutoff)
    assert result.strftime("%d/%m/%Y %H:%M") == due
    assert result.utcoffset() == dt.timedelta(hours=7)


def test_the_shipped_swaps_fall_on_the_weekdays_announced():
    kinds = {row.date: row.kind for row in calendar_file_read(SWAPS_FILE)}
    make_up = sorted(d for d, k in kinds.items() if k == "workday")
    assert make_up == [dt.date(2025, 4, 26), dt.date(2026, 1, 10), dt.date(2026, 8, 22)]
    assert all(d.weekday() == 5 for d in make_up)  # all Saturdays
    # the swapped days off are a Friday, a Friday and a Monday next to the holidays
    assert [d.weekday() for d in (dt.date(2025, 5, 2), dt.date(2026, 1, 2),
                                  dt.date(2026, 8, 31))] == [4, 4, 0]
    assert all(kinds[d] == HOLIDAY for d in (dt.date(2025, 5, 2), dt.date(2026, 1, 2),
                                             dt.date(2026, 8, 31), dt.date(2026, 4, 27)))


def test_working_days_are_weekdays_minus_holidays_plus_make_up_days():
    assert CALENDAR.is_working_day(dt.date(2026, 3, 9))  # a Monday
    assert not CALENDAR.is_working_day(dt.date(2026, 3, 7))  # a Saturday
    assert not CALENDAR.is_working_day(dt.date(2026, 2, 17))  # first day of Tết
    assert CALENDAR.is_working_day(dt.date(2025, 4, 26))  # make-up Saturday
    assert not CALENDAR.is_working_day(dt.date(2025, 5, 2))  # swapped Friday


def test_inputs_in_any_timezone_give_local_times():
    received = dt.datetime(2026, 2, 11, 3, 0, tzinfo=dt.UTC)  # 10:00 in Vietnam
    due = CALENDAR.due_at(received, duration=3, unit=DAY)
    assert due == local("23/02/2026 17:00")
    assert due.tzinfo == LOCAL_TZ


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        CALENDAR.due_at(dt.datetime(2026, 2, 11, 10, 0), duration=3, unit=DAY)


def test_bad_durations_and_units_are_refused():
    with pytest.raises(ValueError, match="unit"):
        CALENDAR.due_at(local("11/02/2026 10:00"), duration=3, unit="week")
    with pytest.raises(ValueError, match="duration"):
        CALENDAR.due_at(local("11/02/2026 10:00"), duration=-1, unit=DAY)


@pytest.mark.parametrize(("arrives", "received"), [
    ("10/03/2026 09:15", "10/03/2026 09:15"),  # inside a period: unchanged
    ("10/03/2026 07:00", "10/03/2026 07:30"),  # before opening
    ("10/03/2026 11:30", "10/03/2026 13:30"),  # at the start of the lunch break
    ("10/03/2026 12:10", "10/03/2026 13:30"),  # during the lunch break
    ("13/03/2026 22:00", "16/03/2026 07:30"),  # Friday night → Monday
    ("20/02/2026 10:00", "23/02/2026 07:30"),  # during Tết
    ("25/04/2025 18:00", "26/04/2025 07:30"),  # the make-up Saturday is open
])
def test_official_time_of_receipt(arrives, received):
    assert CALENDAR.receipt_time(local(arrives)) == local(received)


def test_a_cut_off_moves_the_counting_not_the_official_receipt():
    arrives = local("10/03/2026 15:30")
    assert CALENDAR.receipt_time(arrives) == arrives
    assert CALENDAR.counted_receipt(arrives, cutoff=dt.time(15, 0)) == local("11/03/2026 07:30")
    assert CALENDAR.counted_receipt(local("10/03/2026 15:00"), cutoff=dt.time(15, 0)) \
        == local("10/03/2026 15:00")


def test_a_desk_with_its_own_office_hours():
    desk = CALENDAR.with_periods(periods_from_pairs([["07:00", "11:00"], ["13:00", "16:30"]]))
    assert desk.due_at(local("11/02/2026 10:00"), duration=3, unit=DAY) \
        == local("23/02/2026 16:30")
    assert desk.receipt_time(local("10/03/2026 16:45")) == local("11/03/2026 07:00")
    assert desk.holidays == CALENDAR.holidays


def test_working_time_between_two_instants():
    assert CALENDAR.working_time_between(local("06/03/2026 15:00"), local("09/03/2026 15:30")) \
        == dt.timedelta(hours=8)
    assert CALENDAR.working_time_between(local("13/02/2026 16:00"), local("23/02/2026 08:30")) \
        == dt.timedelta(hours=2)
    assert CALENDAR.working_time_between(local("09/03/2026 15:00"), local("09/03/2026 10:00")) \
        == dt.timedelta(0)


SUPPLEMENTS = [
    # (case, received, requested, completed, duration, unit, restart due, resume due)
    ("3 days; one day over at the request",
     "09/03/2026 10:00", "11/03/2026 10:00", "13/03/2026 09:00", 3, DAY,
     "18/03/2026 17:00", "17/03/2026 17:00"),
    ("5 days; two over before Tết, the rest after the complete dossier",
     "10/02/2026 09:00", "13/02/2026 10:00", "25/02/2026 09:00", 5, DAY,
     "04/03/2026 17:00", "02/03/2026 17:00"),
    ("requested on the day of receipt: nothing was counted yet",
     "09/03/2026 08:00", "09/03/2026 15:00", "10/03/2026 09:00", 2, DAY,
     "12/03/2026 17:00", "12/03/2026 17:00"),
    ("8 hours; 2 used at the request",
     "09/03/2026 07:30", "09/03/2026 09:30", "10/03/2026 14:00", 8, HOUR,
     "11/03/2026 14:30", "11/03/2026 10:30"),
    ("4 half days; the first afternoon over at the request",
     "09/03/2026 09:00", "10/03/2026 08:00", "11/03/2026 09:00", 4, HALF_DAY,
     "13/03/2026 11:30", "12/03/2026 17:00"),
]


@pytest.mark.parametrize(
    ("case", "received", "requested", "completed", "duration", "unit", "restart", "resume"),
    SUPPLEMENTS, ids=[case[0] for case in SUPPLEMENTS])
def test_due_date_after_a_supplement(case, received, requested, completed, duration, unit,
                                     restart, resume):
    times = {"received_at": local(received), "requested_at": local(requested),
             "completed_at": local(completed), "duration": duration, "unit": unit}
    assert CALENDAR.due_after_supplement(**times, mode=RESTART) == local(restart)
    assert CALENDAR.due_after_supplement(**times, mode=RESUME) == local(resume)


def test_restart_is_the_full_duration_from_the_complete_dossier():
    completed = local("25/02/2026 09:00")
    assert CALENDAR.due_after_supplement(
        received_at=local("10/02/2026 09:00"), requested_at=local("13/02/2026 10:00"),
        completed_at=completed, duration=5, unit=DAY, mode=RESTART,
    ) == CALENDAR.due_at(completed, duration=5, unit=DAY)


def test_supplement_times_out_of_order_or_an_unknown_mode_are_refused():
    with pytest.raises(ValueError, match="order"):
        CALENDAR.due_after_supplement(
            received_at=local("10/03/2026 09:00"), requested_at=local("09/03/2026 09:00"),
            completed_at=local("11/03/2026 09:00"), duration=2, unit=DAY)
    with pytest.raises(ValueError, match="mode"):
        CALENDAR.due_after_supplement(
            received_at=local("09/03/2026 09:00"), requested_at=local("10/03/2026 09:00"),
            completed_at=local("11/03/2026 09:00"), duration=2, unit=DAY, mode="pause")


def test_periods_are_read_from_the_setting_and_from_desks():
    assert periods_parse("07:30-11:30,13:30-17:00") == DEFAULT_PERIODS
    assert periods_parse(" 7:00-11:00 , 13:00-16:30 ") == (
        (dt.time(7), dt.time(11)), (dt.time(13), dt.time(16, 30)))
    assert parse_time("7:05") == dt.time(7, 5)


@pytest.mark.parametrize("text", [
    "", "07:30", "07:30-11:30;13:30-17:00", "11:30-07:30", "07:30-12:00,11:30-17:00",
    "13:30-17:00,07:30-11:30", "25:00-26:00", "7h30-11h30",
])
def test_bad_periods_are_refused(text):
    with pytest.raises(ValueError):
        periods_parse(text)


def test_a_day_cannot_be_both_off_and_worked():
    with pytest.raises(ValueError, match="both"):
        WorkCalendar(holidays={dt.date(2026, 1, 10)}, workdays={dt.date(2026, 1, 10)})


# --- properties --------------------------------------------------------------------------------
WINDOW_START = dt.date(2026, 1, 1)
WINDOW_DAYS = 120
window_days = st.integers(0, WINDOW_DAYS).map(lambda n: WINDOW_START + dt.timedelta(days=n))
PERIOD_CHOICES = [
    DEFAULT_PERIODS,
    periods_parse("07:00-11:00,13:00-16:30"),
    periods_parse("08:00-12:00"),
    periods_parse("07:30-10:00,10:15-11:30,13:30-17:00"),
]


@st.composite
def calendars(draw):
    holidays = draw(st.sets(window_days, max_size=25))
    weekends = draw(st.sets(window_days.filter(lambda d: d.weekday() >= 5), max_size=6))
    return WorkCalendar(holidays=holidays, workdays=weekends - holidays,
                        periods=draw(st.sampled_from(PERIOD_CHOICES)))


instants = st.datetimes(
    min_value=dt.datetime(2025, 12, 20), max_value=dt.datetime(2026, 4, 30),
).map(lambda d: d.replace(tzinfo=LOCAL_TZ))
durations = st.integers(0, 30)
units = st.sampled_from(UNITS)
cutoffs = st.none() | st.sampled_from([dt.time(11, 0), dt.time(15, 0), dt.time(16, 30)])
PROPERTY = settings(max_examples=150, deadline=None)


def inside_or_at_end_of_a_period(calendar, moment):
    return any(start <= moment <= end for start, end in calendar.working_periods(moment.date()))


@PROPERTY
@given(calendars(), instants, durations, units, cutoffs)
def test_the_due_time_is_never_before_the_receipt(calendar, received, duration, unit, cutoff):
    due = calendar.due_at(received, duration=duration, unit=unit, cutoff=cutoff)
    assert due >= calendar.receipt_time(received) >= received


@PROPERTY
@given(calendars(), instants, durations, units, cutoffs)
def test_the_due_time_is_working_time_on_a_working_day(calendar, received, duration, unit,
                                                      cutoff):
    due = calendar.due_at(received, duration=duration, unit=unit, cutoff=cutoff)
    assert calendar.is_working_day(due.date())
    assert inside_or_at_end_of_a_period(calendar, due)


@PROPERTY
@given(calendars(), instants)
def test_the_official_receipt_is_working_time_and_stable(calendar, arrives):
    received = calendar.receipt_time(arrives)
    assert any(start <= received < end for start, end in calendar.working_periods(received.date()))
    assert calendar.receipt_time(received) == received
    assert calendar.working_time_between(arrives, received) == dt.timedelta(0)


@PROPERTY
@given(calendars(), instants, durations, st.integers(1, 10), units)
def test_a_longer_duration_is_never_due_earlier(calendar, received, duration, more, unit):
    assert calendar.due_at(received, duration=duration, unit=unit) \
        <= calendar.due_at(received, duration=duration + more, unit=unit)


@PROPERTY
@given(calendars(), instants, instants, durations, units)
def test_a_later_receipt_is_never_due_earlier(calendar, first, second, duration, unit):
    first, second = sorted([first, second])
    assert calendar.due_at(first, duration=duration, unit=unit) \
        <= calendar.due_at(second, duration=duration, unit=unit)


@PROPERTY
@given(calendars(), instants, durations, units, window_days)
def test_adding_a_holiday_never_makes_a_due_date_earlier(calendar, received, duration, unit,
                                                         day):
    more_holidays = WorkCalendar(holidays=calendar.holidays | {day},
                                 workdays=calendar.workdays - {day}, periods=calendar.periods)
    assert more_holidays.due_at(received, duration=duration, unit=unit) \
        >= calendar.due_at(received, duration=duration, unit=unit)


@PROPERTY
@given(calendars(), instants, durations, units, cutoffs)
def test_a_cut_off_never_makes_a_due_date_earlier(calendar, received, duration, unit, cutoff):
    assert calendar.due_at(received, duration=duration, unit=unit, cutoff=cutoff) \
        >= calendar.due_at(received, duration=duration, unit=unit)


@PROPERTY
@given(calendars(), st.lists(instants, min_size=3, max_size=3), durations, units, cutoffs)
def test_resuming_is_never_later_than_restarting(calendar, times, duration, unit, cutoff):
    received, requested, completed = sorted(times)
    args = {"received_at": received, "requested_at": requested, "completed_at": completed,
            "duration": duration, "unit": unit, "cutoff": cutoff}
    resumed = calendar.due_after_supplement(**args, mode=RESUME)
    restarted = calendar.due_after_supplement(**args, mode=RESTART)
    assert calendar.counted_receipt(completed, cutoff=cutoff) <= resumed <= restarted
    assert inside_or_at_end_of_a_period(calendar, resumed)


@PROPERTY
@given(calendars(), instants, durations, units)
def test_a_supplement_asked_and_completed_at_once_changes_nothing(calendar, received, duration,
                                                                 unit):
    args = {"received_at": received, "requested_at": received, "completed_at": received,
            "duration": duration, "unit": unit}
    original = calendar.due_at(received, duration=duration, unit=unit)
    assert calendar.due_after_supplement(**args, mode=RESUME) == original
    assert calendar.due_after_supplement(**args, mode=RESTART) == original


@PROPERTY
@given(calendars(), st.lists(instants, min_size=3, max_size=3))
def test_working_time_adds_up_and_inverts(calendar, times):
    first, middle, last = sorted(times)
    between = calendar.working_time_between
    assert between(first, middle) + between(middle, last) == between(first, last)
    reached = calendar.add_working_time(first, between(first, last))
    assert between(first, reached) == between(first, last)
    if between(first, last):
        assert reached <= last
