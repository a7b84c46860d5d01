import datetime as dt

import pytest

from motcua.core.formats import format_date, format_datetime, format_money


@pytest.mark.parametrize(
    ("amount", "text"),
    [(30000, "30.000 đ"), (0, "0 đ"), (1200000, "1.200.000 đ"), (500, "500 đ"),
     (-8000, "-8.000 đ"), (None, "")],
)
def test_money_is_written_with_dots_and_dong(amount, text):
    assert format_money(amount) == text


def test_dates_are_day_month_year():
    assert format_date(dt.date(2026, 2, 11)) == "11/02/2026"


def test_times_are_shown_in_vietnam_time():
    utc = dt.datetime(2026, 11, 24, 17, 30, tzinfo=dt.UTC)
    assert format_datetime(utc) == "00:30 25/11/2026"
    assert format_date(utc) == "25/11/2026"
