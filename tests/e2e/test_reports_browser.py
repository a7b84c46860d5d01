"""A provincial leader drills down the statistics in the browser: the province, one commune,
one procedure, the list of its dossiers; the counts agree at every level. The pages pass
axe, fit a 360 px phone, work without JavaScript and stay within the page budget."""

import datetime as dt
import gzip
import re

import pytest

from .conftest import FIGURES, axe_violations
from .test_dossier_browser import login, new_page

pytestmark = pytest.mark.browser

LEADER = ("tinh.lanhdao", "Canbo@2026")
# Received online, in person, by post: the 3rd to 5th numbers of a row (after "to
# process" and "carried over").
RECEIVED = slice(2, 5)


def period() -> str:
    today = dt.date.today()
    return f"tu={today - dt.timedelta(days=70)}&den={today}"


def row_numbers(row) -> list[int]:
    return [int(re.sub(r"\D", "", c) or 0) for c in row.locator("td").all_inner_texts()[:-2]]


def tile(page, label) -> int:
    text = page.locator(".stat-tiles li", has_text=label).first.locator(".stat-value")
    return int(text.inner_text())


def serious(page):
    return [v for v in axe_violations(page) if v["impact"] in {"serious", "critical"}]


def test_province_to_commune_to_procedure_to_dossiers(site, browser):
    page = new_page(browser)
    login(page, site, LEADER)
    page.goto(f"{site}/can-bo/thong-ke/?{period()}")
    assert page.get_by_role("heading", name="Thống kê hồ sơ thủ tục hành chính").is_visible()
    assert serious(page) == []
    province_received = tile(page, "Mới tiếp nhận")
    assert province_received > 0

    units = page.locator("section:has(#bang-unit) tbody tr")
    commune = units.filter(has_text="Phường Việt Trì").first
    received_in_row = sum(row_numbers(commune)[RECEIVED])
    assert received_in_row > 0
    assert sum(sum(row_numbers(r)[RECEIVED]) for r in units.all()) == province_received

    commune.get_by_role("link", name="Phường Việt Trì").click()
    page.wait_for_load_state()
    assert "Phường Việt Trì" in page.locator(".breadcrumbs").inner_text()
    assert tile(page, "Mới tiếp nhận") == received_in_row
    assert serious(page) == []

    procedures = page.locator("section:has(#bang-procedure) tbody tr")
    first = next(r for r in procedures.all() if sum(row_numbers(r)[RECEIVED]) > 0)
    received_for_procedure = sum(row_numbers(first)[RECEIVED])
    first.locator("th a").click()
    page.wait_for_load_state()
    assert tile(page, "Mới tiếp nhận") == received_for_procedure

    page.locator(".stat-tiles a", has_text="Mới tiếp nhận").click()
    page.wait_for_load_state()
    assert page.locator("#dossier-count").inner_text() == f"{received_for_procedure} hồ sơ"
    assert page.locator("table.queue tbody tr").count() == min(50, received_for_procedure)
    assert serious(page) == []


def test_dashboard_on_a_phone_without_javascript_within_budget(site, browser):
    context = browser.new_context(viewport={"width": 360, "height": 740},
                                  java_script_enabled=False, locale="vi-VN")
    page = context.new_page()
    login(page, site, LEADER)
    responses = []
    page.on("response", lambda r: responses.append(r))
    page.goto(f"{site}/can-bo/thong-ke/?{period()}")
    total = sum(len(gzip.compress(r.body(), 6)) for r in responses if r.ok)
    FIGURES.append(("page weight /can-bo/thong-ke/ (province)", f"{total / 1024:.1f} KiB gzip"))
    assert total <= 100 * 1024
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    # The period form works by itself: choose a commune and show.
    page.get_by_label("Đơn vị", exact=True).select_option(label="Phường Việt Trì")
    page.get_by_role("button", name="Xem").click()
    page.wait_for_load_state()
    assert "Phường Việt Trì" in page.locator(".lead").inner_text()
    assert "don-vi=07900" in page.url
    context.close()


def test_keyboard_reaches_every_figure_link(site, browser):
    page = new_page(browser)
    login(page, site, LEADER)
    page.goto(f"{site}/can-bo/thong-ke/?{period()}")
    seen = set()
    for _ in range(40):
        page.keyboard.press("Tab")
        seen.add(page.evaluate("document.activeElement.textContent.trim()"))
    assert "Xem" in seen
    assert any("Mới tiếp nhận" in s for s in seen)
