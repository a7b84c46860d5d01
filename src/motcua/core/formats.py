"""Vietnamese display formats: dates dd/mm/yyyy, money 30.000 đ."""

import datetime as dt
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def format_money(amount: int | None) -> str:
    """30000 → '30.000 đ'. Money is always an integer number of đồng."""
    if amount is None:
        return ""
    sign = "-" if amount < 0 else ""
    return f"{sign}{abs(int(amount)):,} đ".replace(",", ".")


def format_date(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.astimezone(LOCAL_TZ) if value.tzinfo else value
    return value.strftime("%d/%m/%Y")


def format_datetime(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    if value.tzinfo:
        value = value.astimezone(LOCAL_TZ)
    return value.strftime("%H:%M %d/%m/%Y")
