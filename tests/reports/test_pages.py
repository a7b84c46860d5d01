"""The dashboard, the dossier lists behind its numbers, the exports and the API: who may see
what, and that they all say the same figures."""

import csv
import io
import re

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from motcua.accounts.models import User
from motcua.geo.models import Unit
from motcua.reports.selectors import Slice, dossiers_behind, report_figures

pytestmark = pytest.mark.django_db


def period():
    today = timezone.localdate()
    return (today.replace(day=1) - timezone.timedelta(days=60)).replace(day=1), today


def test_a_specialist_or_a_citizen_sees_no_statistics(client, officials, citizen):
    for user in (officials["vietri.tuphap"], citizen):
        client.force_login(user)
        assert client.get("/can-bo/thong-ke/").status_code == 404
        assert client.get("/api/v1/stats").status_code == 403


def test_anonymous_is_sent_to_log_in(client):
    response = client.get("/can-bo/thong-ke/")
    assert response.status_code == 302
    assert "/dang-nhap/" in response["Location"]


def test_a_commune_leader_sees_their_commune_and_no_other(client, commune_leader):
    client.force_login(commune_leader)
    page = client.get("/can-bo/thong-ke/")
    assert page.status_code == 200
    assert "Phường Việt Trì" in page.content.decode()
    assert client.get("/can-bo/thong-ke/?don-vi=25").status_code == 404
    assert client.get("/can-bo/thong-ke/?don-vi=08542").status_code == 404
    assert client.get("/api/v1/stats?unit=25").json()["code"] == "forbidden"
    assert client.get("/api/v1/stats").json()["filters"]["unit"] == "07900"


def test_a_provincial_leader_sees_the_province_and_any_commune(client, province_leader):
    client.force_login(province_leader)
    assert client.get("/can-bo/thong-ke/").status_code == 200
    assert client.get("/can-bo/thong-ke/?don-vi=08542").status_code == 200


def test_bad_dates_are_a_clear_error(client, province_leader):
    client.force_login(province_leader)
    response = client.get("/can-bo/thong-ke/?tu=2026-13-01")
    assert response.status_code == 400
    assert "dd/mm/yyyy" in response.content.decode()
    api = client.get("/api/v1/stats?from=2026-05-01&to=2026-04-01")
    assert api.status_code == 400 and api.json()["code"] == "invalid_period"
    assert client.get("/api/v1/stats?group_by=planet").json()["code"] == "invalid_group_by"


def test_page_api_and_exports_give_the_same_figures(client, province_leader, demo_history):
    client.force_login(province_leader)
    start, end = period()
    qs = f"tu={start}&den={end}"
    expected = report_figures(start=start, end=end, group_by="unit")
    assert expected.total.flows["received"] > 40

    api = client.get(f"/api/v1/stats?from={start}&to={end}&group_by=unit").json()
    for key in ("received", "resolved", "resolved_late", "open", "overdue", "carried",
                "received_online", "paused", "withdrawn", "refused"):
        assert api["total"][key] == expected.total.as_dict()[key], key
    api_rows = {r["key"]: r for r in api["rows"]}

    page = client.get(f"/can-bo/thong-ke/?{qs}").content.decode()
    received = expected.total.flows["received"]
    assert re.search(rf'chi-so=received">\s*<span class="stat-value">{received}<', page)

    sheet = load_workbook(io.BytesIO(client.get(
        f"/can-bo/thong-ke/xuat/bao-cao.xlsx?{qs}").content))["Theo đơn vị"]
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    total = next(r for r in rows if r[1] == "Tổng cộng")
    d = expected.total.as_dict()
    assert total[2:5] == [d["to_process"], d["carried"], d["received_online"]]
    assert total[6:10] == [d["resolved"], d["resolved_early"], d["resolved_on_time"],
                           d["resolved_late"]]
    assert total[10] == d["open"] == api["total"]["open"]

    text = client.get(f"/can-bo/thong-ke/xuat/bao-cao.csv?{qs}&theo=unit").content.decode()
    table = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    by_name = {r[1]: r for r in table[1:]}
    for row in expected.rows:
        assert int(by_name[row.name][2]) == row.figures.to_process
        assert api_rows[row.code]["to_process"] == row.figures.to_process


def test_the_list_behind_a_number_has_that_many_dossiers(client, province_leader,
                                                         demo_history):
    client.force_login(province_leader)
    start, end = period()
    report = report_figures(start=start, end=end)
    for figure in ("received", "resolved", "resolved_late", "carried", "open", "paused",
                   "overdue", "within_deadline", "withdrawn", "to_process", "received_online"):
        count = dossiers_behind(figure=figure, start=start, end=end).count()
        assert count == report.total.as_dict()[figure], figure
    page = client.get(f"/can-bo/thong-ke/ho-so/?tu={start}&den={end}&chi-so=received")
    assert page.status_code == 200
    assert f"{report.total.flows['received']} hồ sơ" in page.content.decode()


def test_the_list_shows_no_personal_data_and_links_only_what_may_be_opened(
        client, commune_leader, demo_history):
    from motcua.dossiers.models import Dossier

    client.force_login(commune_leader)
    start, end = period()
    html = client.get(f"/can-bo/thong-ke/ho-so/?tu={start}&den={end}&chi-so=received"
                      ).content.decode()
    unit = Unit.objects.get(code="07900")
    dossiers = dossiers_behind(figure="received", start=start, end=end, slice=Slice(unit=unit))
    assert dossiers.exists()
    for d in Dossier.objects.filter(pk__in=dossiers.values("pk"))[:20]:
        assert d.code in html
        if d.applicant_name:
            assert d.applicant_name not in html
    assert "/can-bo/ho-so/" in html


def test_agency_head_sees_workload_and_reasons(client, demo_history):
    leader = User.objects.get(username="vietri.chutich")
    client.force_login(leader)
    agency = leader.roles.get(role="leader").agency
    start, end = period()
    page = client.get(f"/can-bo/thong-ke/co-quan/{agency.code}/?tu={start}&den={end}")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Thẩm định hồ sơ" in html
    assert client.get("/can-bo/thong-ke/co-quan/000.00.02.H43/").status_code == 404


def test_online_gaps_name_procedures_and_units(client, province_leader, demo_history):
    client.force_login(province_leader)
    start, end = period()
    page = client.get(f"/can-bo/thong-ke/truc-tuyen/?tu={start}&den={end}")
    assert page.status_code == 200
    html = page.content.decode()
    # Most of the 148 communes received no dossier at all in the demo.
    assert "Xã" in html


def test_index_page_and_its_exports(client, province_leader, demo_history):
    client.force_login(province_leader)
    start, end = period()
    assert client.get(f"/can-bo/thong-ke/chi-so-766/?tu={start}&den={end}").status_code == 200
    book = load_workbook(io.BytesIO(client.get(
        f"/can-bo/thong-ke/xuat/chi-so-766.xlsx?tu={start}&den={end}").content))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[3][3].startswith("Tổng điểm")
    assert any(r[2] == "Phường Việt Trì" for r in rows[4:])
