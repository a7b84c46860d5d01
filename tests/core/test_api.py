import pytest

from motcua.core.calendar_sources import SWAPS_FILE
from motcua.core.services import calendar_import, calendar_seed

pytestmark = pytest.mark.django_db

URL = "/api/v1/calendar/due-date"


@pytest.fixture(autouse=True)
def calendar_2025_2026():
    # The real calendar of these years, whatever year the tests run in.
    calendar_seed(years=[2025, 2026])
    calendar_import(path=SWAPS_FILE)


@pytest.mark.parametrize(("params", "due_at"), [
    # RULES.md: Wednesday 11/02/2026 + 3 working days, Tết in between
    ({"received_at": "2026-02-11T10:00", "duration": 3, "unit": "day"},
     "2026-02-23T17:00:00+07:00"),
    # the same moment in UTC
    ({"received_at": "2026-02-11T03:00:00Z", "duration": 3, "unit": "day"},
     "2026-02-23T17:00:00+07:00"),
    # 8 working hours from 15:00 on a Friday
    ({"received_at": "2026-03-06T15:00:00+07:00", "duration": 8, "unit": "hour"},
     "2026-03-09T15:30:00+07:00"),
    # 1 half day from an afternoon: the next morning
    ({"received_at": "2026-03-09T14:00", "duration": 1, "unit": "half_day"},
     "2026-03-10T11:30:00+07:00"),
    # online on a Sunday night, across the make-up Saturday of 2025
    ({"received_at": "2025-04-20T22:00", "duration": 5, "unit": "day"},
     "2025-04-26T17:00:00+07:00"),
    # a same-day procedure after its 15:00 cut-off
    ({"received_at": "2026-03-13T15:30", "duration": 0, "unit": "day", "cutoff": "15:00"},
     "2026-03-16T17:00:00+07:00"),
])
def test_due_date(client, params, due_at):
    response = client.get(URL, params)
    assert response.status_code == 200
    assert response.json() == {"due_at": due_at}


@pytest.mark.parametrize(("params", "field"), [
    ({"received_at": "hôm qua", "duration": 3, "unit": "day"}, "received_at"),
    ({"received_at": "11/02/2026 10:00", "duration": 3, "unit": "day"}, "received_at"),
    ({"received_at": "1900-02-11T10:00", "duration": 3, "unit": "day"}, "received_at"),
    ({"received_at": "2026-02-11T10:00", "duration": 3, "unit": "week"}, "unit"),
    ({"received_at": "2026-02-11T10:00", "duration": -1, "unit": "day"}, "duration"),
    ({"received_at": "2026-02-11T10:00", "duration": "ba", "unit": "day"}, "duration"),
    ({"received_at": "2026-02-11T10:00", "duration": 3, "unit": "day", "cutoff": "3pm"},
     "cutoff"),
    ({"duration": 3, "unit": "day"}, "received_at"),
])
def test_bad_input_is_a_readable_422(client, params, field):
    response = client.get(URL, params)
    assert response.status_code == 422
    body = response.json()
    assert set(body) == {"detail", "code"}
    assert body["code"] == "invalid"
    assert body["detail"].startswith(field) or f"{field}:" in body["detail"]


def test_a_bad_receipt_time_is_explained_in_vietnamese(client):
    body = client.get(URL, {"received_at": "hôm qua", "duration": 3, "unit": "day"}).json()
    assert body["detail"] == ("received_at: hôm qua không phải là ngày giờ theo ISO 8601, "
                              "ví dụ 2026-02-11T09:30 hoặc 2026-02-11T09:30+07:00")


def test_the_due_date_is_in_the_openapi_document(client):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/calendar/due-date"]["get"]
    assert {p["name"] for p in operation["parameters"]} \
        == {"received_at", "duration", "unit", "cutoff"}
