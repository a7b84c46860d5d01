"""The calendar table: seeding from the holidays package, importing announced days, the cached
calendar every deadline reads, and the desks' own office hours."""

import datetime as dt
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from motcua.core.calendar_sources import (
    NOT_YET_IN_LAW,
    SWAPS_FILE,
    calendar_file_read,
    package_holidays,
)
from motcua.core.models import CalendarDay
from motcua.core.selectors import work_calendar
from motcua.core.services import CalendarImportError, calendar_import, calendar_seed
from motcua.core.workdays import WorkCalendar, periods_parse
from motcua.geo.models import ServiceDesk

pytestmark = pytest.mark.django_db


@pytest.fixture
def empty_calendar():
    CalendarDay.objects.all().delete()


def days():
    return list(CalendarDay.objects.order_by("date").values_list("date", "kind", "name", "source"))


def write(tmp_path, text, name="lich.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- seeding ----------------------------------------------------------------------------------
def test_seed_fills_the_holidays_of_the_package_tet_included(empty_calendar):
    summary = calendar_seed(years=[2026])
    assert summary.created == len(package_holidays([2026])) > 10
    first_day_of_tet = CalendarDay.objects.get(date=dt.date(2026, 2, 17))
    assert first_day_of_tet.kind == "holiday"
    assert first_day_of_tet.source == "holidays"
    assert first_day_of_tet.name == "Tết Nguyên Đán"
    assert CalendarDay.objects.get(date=dt.date(2026, 4, 27)).kind == "holiday"


def test_seeding_twice_changes_nothing(empty_calendar, django_capture_on_commit_callbacks):
    calendar_seed(years=[2025, 2026])
    before = days()
    with django_capture_on_commit_callbacks() as callbacks:
        summary = calendar_seed(years=[2025, 2026])
    assert (summary.created, summary.updated, summary.removed) == (0, 0, 0)
    assert summary.unchanged == len(before)
    assert days() == before
    assert callbacks == []  # nothing written, so no change announced to the processes


def test_seed_keeps_days_edited_by_an_administrator_or_imported(empty_calendar, tmp_path):
    calendar_seed(years=[2026])
    CalendarDay.objects.filter(date=dt.date(2026, 4, 27)).update(
        name="Nghỉ bù Giỗ Tổ Hùng Vương (đã sửa)", source="admin")
    calendar_import(path=write(tmp_path, "date,kind,name\n"
                                         "2026-08-31,holiday,Nghỉ hoán đổi Quốc khánh\n"))
    summary = calendar_seed(years=[2026])
    assert summary.kept == 2
    assert CalendarDay.objects.get(date=dt.date(2026, 4, 27)).name \
        == "Nghỉ bù Giỗ Tổ Hùng Vương (đã sửa)"
    assert CalendarDay.objects.get(date=dt.date(2026, 8, 31)).name == "Nghỉ hoán đổi Quốc khánh"


def test_seed_removes_days_it_wrote_that_the_package_no_longer_lists(empty_calendar):
    CalendarDay.objects.create(date=dt.date(2026, 3, 3), kind="holiday", name="Ngày đã bỏ",
                               source="holidays")
    CalendarDay.objects.create(date=dt.date(2026, 3, 4), kind="holiday", name="Nghỉ đột xuất",
                               source="admin")
    summary = calendar_seed(years=[2026])
    assert summary.removed == 1
    assert not CalendarDay.objects.filter(date=dt.date(2026, 3, 3)).exists()
    assert CalendarDay.objects.filter(date=dt.date(2026, 3, 4)).exists()


def test_seed_leaves_out_days_off_not_yet_in_law(empty_calendar):
    calendar_seed(years=[2026, 2027])
    assert not CalendarDay.objects.filter(date__in=[dt.date(2026, 11, 24),
                                                    dt.date(2027, 11, 24)]).exists()
    assert not any(name.startswith(NOT_YET_IN_LAW)
                   for name in CalendarDay.objects.values_list("name", flat=True))


def test_seed_command_takes_years(empty_calendar):
    out = io.StringIO()
    call_command("calendar_seed", "--years", "2025", "2026", stdout=out)
    assert CalendarDay.objects.filter(date__year=2025).exists()
    assert CalendarDay.objects.filter(date__year=2026).exists()
    assert not CalendarDay.objects.filter(date__year=2027).exists()
    assert out.getvalue().startswith("ngày lễ các năm 2025, 2026: thêm ")


def test_seed_command_refuses_unlikely_years():
    with pytest.raises(CommandError, match="Hãy cho năm từ 1995 đến 2100, không phải 26"):
        call_command("calendar_seed", "--years", "26", stdout=io.StringIO())


# --- import -------------------------------------------------------------------------------------
def test_import_writes_every_row_in_either_date_format(empty_calendar, tmp_path):
    path = write(tmp_path, "date,kind,name\n"
                           "2026-01-02,holiday,Nghỉ hoán đổi Tết Dương lịch\n"
                           "10/01/2026,WORKDAY,Làm bù cho thứ Sáu 02/01/2026\n")
    summary = calendar_import(path=path)
    assert (summary.created, summary.updated, summary.unchanged) == (2, 0, 0)
    assert days() == [
        (dt.date(2026, 1, 2), "holiday", "Nghỉ hoán đổi Tết Dương lịch", "import"),
        (dt.date(2026, 1, 10), "workday", "Làm bù cho thứ Sáu 02/01/2026", "import"),
    ]


def test_an_imported_day_replaces_a_seeded_one(empty_calendar, tmp_path):
    calendar_seed(years=[2026])
    summary = calendar_import(path=write(
        tmp_path, "date,kind,name\n2026-08-31,holiday,Nghỉ hoán đổi Quốc khánh\n"))
    assert summary.updated == 1
    day = CalendarDay.objects.get(date=dt.date(2026, 8, 31))
    assert (day.name, day.source) == ("Nghỉ hoán đổi Quốc khánh", "import")


def test_importing_twice_changes_nothing(empty_calendar):
    calendar_import(path=SWAPS_FILE)
    before = days()
    summary = calendar_import(path=SWAPS_FILE)
    assert (summary.created, summary.updated) == (0, 0)
    assert summary.unchanged == len(before) == 25
    assert days() == before


def test_a_bad_file_imports_nothing_and_names_every_bad_row(empty_calendar, tmp_path):
    path = write(tmp_path, "date,kind,name\n"
                           "2026-01-02,holiday,Nghỉ hoán đổi\n"
                           "2026-13-40,holiday,Sai ngày\n"
                           "10/01/2026,làm bù,Làm bù\n"
                           "\n"
                           "02/01/2026,holiday,Lặp lại\n"
                           "2026-01-11,workday,\n")
    with pytest.raises(CalendarImportError) as caught:
        calendar_import(path=path)
    assert caught.value.errors == [
        "dòng 3: 2026-13-40 không phải là ngày; hãy viết 2026-02-14 hoặc 14/02/2026",
        "dòng 4: loại phải là holiday (ngày nghỉ) hoặc workday (ngày làm bù), không phải "
        "làm bù",
        "dòng 6: ngày 02/01/2026 đã có ở dòng 2",
        "dòng 7: thiếu tên ngày",
    ]
    assert not CalendarDay.objects.exists()


def test_a_file_without_the_columns_imports_nothing(empty_calendar, tmp_path):
    path = write(tmp_path, "ngay,kind,name\n2026-01-02,holiday,Nghỉ\n")
    with pytest.raises(CalendarImportError) as caught:
        calendar_import(path=path)
    assert caught.value.errors == ["thiếu cột: date"]
    assert not CalendarDay.objects.exists()


def test_import_command_lists_the_rows_and_says_nothing_was_imported(empty_calendar, tmp_path):
    path = write(tmp_path, "date,kind,name\n2026-01-02,holiday,Nghỉ\n31/02/2026,holiday,Sai\n")
    err = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("calendar_import", str(path), stdout=io.StringIO(), stderr=err)
    assert str(caught.value) == "1 lỗi; không nhập gì."
    assert "dòng 3: 31/02/2026 không phải là ngày" in err.getvalue()
    assert not CalendarDay.objects.exists()


def test_import_command_reports_what_it_did(empty_calendar):
    out = io.StringIO()
    call_command("calendar_import", str(SWAPS_FILE), stdout=out)
    assert out.getvalue().strip() == "lịch: thêm 25, sửa 0, giữ nguyên 0"


def test_import_command_names_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="Không có tệp"):
        call_command("calendar_import", str(tmp_path / "khong-co.csv"))


# --- the calendar deadlines read ----------------------------------------------------------------
def test_the_database_calendar_is_the_package_plus_the_announced_days(empty_calendar):
    calendar_seed(years=[2025, 2026])
    calendar_import(path=SWAPS_FILE)
    kinds = dict.fromkeys(package_holidays([2025, 2026]), "holiday")
    kinds.update((row.date, row.kind) for row in calendar_file_read(SWAPS_FILE))
    assert work_calendar() == WorkCalendar(
        holidays={d for d, k in kinds.items() if k == "holiday"},
        workdays={d for d, k in kinds.items() if k == "workday"})
    received = dt.datetime(2026, 2, 11, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    assert work_calendar().due_at(received, duration=3, unit="day").isoformat() \
        == "2026-02-23T17:00:00+07:00"


def test_the_calendar_is_read_once_until_a_day_changes(django_assert_num_queries,
                                                        django_capture_on_commit_callbacks):
    monday = dt.date(2026, 3, 9)
    assert work_calendar().is_working_day(monday)
    with django_assert_num_queries(1):  # the generation check, nothing else
        work_calendar()
    with django_capture_on_commit_callbacks(execute=True):
        CalendarDay.objects.create(date=monday, kind="holiday", name="Nghỉ đột xuất")
    assert not work_calendar().is_working_day(monday)


def test_the_working_periods_setting_gives_the_province_hours(settings):
    settings.WORKING_PERIODS = "07:00-11:00,13:00-16:30"
    assert work_calendar().periods == periods_parse("07:00-11:00,13:00-16:30")


def test_a_desk_with_its_own_hours_counts_in_them():
    desk = ServiceDesk.objects.first()
    assert work_calendar(desk=desk).periods == periods_parse("07:30-11:30,13:30-17:00")
    desk.working_periods = [["07:00", "11:00"], ["13:00", "16:30"]]
    desk.full_clean()
    calendar = work_calendar(desk=desk)
    assert calendar.periods == periods_parse("07:00-11:00,13:00-16:30")
    assert calendar.holidays == work_calendar().holidays


@pytest.mark.parametrize("value", [
    [["07:30"]], [["11:30", "07:30"]], [["07:30", "12:00"], ["11:00", "17:00"]],
    "07:30-11:30", [["7h30", "11h30"]], {"sáng": ["07:30", "11:30"]},
])
def test_bad_desk_hours_are_refused_in_vietnamese(value):
    desk = ServiceDesk.objects.first()
    desk.working_periods = value
    with pytest.raises(ValidationError) as caught:
        desk.full_clean()
    assert caught.value.message_dict["working_periods"] == [
        'Hãy viết các khoảng giờ thành cặp ["HH:MM", "HH:MM"] theo thứ tự trong ngày, không '
        'chồng lên nhau, ví dụ [["07:30", "11:30"], ["13:30", "17:00"]].']


# --- administration -----------------------------------------------------------------------------
def test_a_day_added_in_the_admin_is_marked_as_set_by_hand(admin_client):
    response = admin_client.post("/quan-tri/core/calendarday/add/", {
        "date": "2026-03-10", "kind": "holiday", "name": "Nghỉ đột xuất do bão",
    })
    assert response.status_code == 302
    assert CalendarDay.objects.get(date=dt.date(2026, 3, 10)).source == "admin"


def test_a_seeded_day_edited_in_the_admin_survives_the_next_seeding(admin_client,
                                                                     empty_calendar):
    calendar_seed(years=[2026])
    day = CalendarDay.objects.get(date=dt.date(2026, 4, 30))
    response = admin_client.post(f"/quan-tri/core/calendarday/{day.pk}/change/", {
        "date": "2026-04-30", "kind": "holiday", "name": "Ngày Giải phóng miền Nam",
    })
    assert response.status_code == 302
    day.refresh_from_db()
    assert day.source == "admin"
    assert calendar_seed(years=[2026]).kept == 1
    day.refresh_from_db()
    assert (day.name, day.source) == ("Ngày Giải phóng miền Nam", "admin")


def test_the_admin_finds_days_by_year_or_date(admin_client, empty_calendar):
    calendar_seed(years=[2025, 2026])
    by_year = admin_client.get("/quan-tri/core/calendarday/", {"q": "2025"}).content.decode()
    assert "Giỗ Tổ Hùng Vương" in by_year
    assert CalendarDay.objects.filter(date__year=2025).count() \
        == by_year.count('name="_selected_action"')
    by_date = admin_client.get("/quan-tri/core/calendarday/", {"q": "17/02/2026"})
    assert by_date.content.decode().count('name="_selected_action"') == 1
    assert "Tết Nguyên Đán" in by_date.content.decode()


def test_wrong_office_hours_in_the_setting_stop_the_start(tmp_path):
    env = dict(os.environ, MOTCUA_VAR_DIR=str(tmp_path),
               MOTCUA_WORKING_PERIODS="07:30-11:30,11:00-17:00")
    done = subprocess.run([str(Path(sys.executable).with_name("motcua")), "check"], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    assert "ImproperlyConfigured: MOTCUA_WORKING_PERIODS='07:30-11:30,11:00-17:00'" in done.stderr
