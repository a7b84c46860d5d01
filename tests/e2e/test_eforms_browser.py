"""E-form pages on a 360 px phone: readable, touchable, accessible, and the error summary
takes the citizen to each field. The pages are assembled here as the dossier pages will
assemble them, with the site's own stylesheet."""

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.utils.html import escape

from motcua.eforms.render import error_summary_render, form_render
from motcua.eforms.schema import (
    form_steps,
    schema_check,
    standard_applicant_schema,
    step_fields,
    step_progress,
)

from .conftest import axe_violations

pytestmark = pytest.mark.browser

DATA = Path(__file__).resolve().parents[2] / "src/motcua/eforms/data"
SCHEMAS = {"standard": standard_applicant_schema()} | {
    path.stem: schema_check(json.loads(path.read_text(encoding="utf-8")))
    for path in sorted(DATA.glob("*.json"))
}
PAGES = [(key, step) for key, schema in SCHEMAS.items()
         for step in range(1, len(form_steps(schema)) + 1)]
# A page of the site's own origin that the server does not have: the browser is handed our
# HTML for it, and loads the stylesheet from the server as a real page would.
PAGE_PATH = "/kiem-thu-to-khai/"


def every_error(schema, step):
    return {name: [f"Sửa mục {schema['properties'][name]['title'][:30]}"]
            for name in step_fields(schema, step)}


STANDARD_ERRORS = {"national_id": ["Nhập số định danh cá nhân gồm 12 chữ số"],
                   "sex": ["Chọn giới tính"]}


@pytest.fixture(scope="session")
def fragments(django_db_setup, django_db_blocker):
    """Every page's summary and fields, rendered before the browser needs them: Playwright
    keeps an event loop running in the test's thread, where Django refuses database reads,
    so the rendering (the commune picker reads the units) runs in a thread of its own."""
    from django.db import connection

    def render_all():
        try:
            out = {}
            for key, step in PAGES:
                schema, errors = SCHEMAS[key], every_error(SCHEMAS[key], step)
                out[(key, step)] = (error_summary_render(errors, schema),
                                    form_render(schema, {}, errors, step=step))
            standard = SCHEMAS["standard"]
            out[("standard", "summary")] = (error_summary_render(STANDARD_ERRORS, standard),
                                            form_render(standard, {}, STANDARD_ERRORS, step=1))
            return out
        finally:
            connection.close()

    with django_db_blocker.unblock(), ThreadPoolExecutor(1) as pool:
        return pool.submit(render_all).result()


@pytest.mark.django_db
def test_every_page_of_every_form_renders_all_its_fields(fragments):
    # Also the reason the test database exists when only the browser tests run: pytest-django
    # creates it only for a session holding a test that asks for it.
    for key, step in PAGES:
        summary, fields = fragments[(key, step)]
        names = step_fields(SCHEMAS[key], step)
        assert summary.count('<a href="#f-') == len(names)
        assert all(f'name="{name}"' in fields for name in names)


def page_html(site: str, schema: dict, step: int, rendered: tuple[str, str]) -> str:
    title = form_steps(schema)[step - 1]
    summary, fields = rendered
    return (
        '<!doctype html><html lang="vi"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<title>{escape(title)}</title>'
        f'<link rel="stylesheet" href="{site}/static/motcua/site.css"></head><body>'
        '<main id="main" class="wrap">'
        f'<p>{step_progress(schema, step)}</p><h1>{escape(title)}</h1>'
        f'{summary}'
        f'<form method="post" action="{PAGE_PATH}" novalidate>'
        f'{fields}'
        '<button type="submit" class="btn-big">Tiếp tục</button></form></main></body></html>'
    )


def show(page, site: str, html: str) -> None:
    page.route(site + PAGE_PATH,
               lambda route: route.fulfill(body=html, content_type="text/html"))
    page.goto(site + PAGE_PATH)


@pytest.mark.parametrize(("key", "step"), PAGES)
def test_each_page_fits_a_phone_with_big_targets_and_no_serious_violations(
        fragments, site, phone, key, step):
    show(phone, site, page_html(site, SCHEMAS[key], step, fragments[(key, step)]))
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360, "scrolls sideways"
    small = phone.evaluate("""() => [...document.querySelectorAll(
            'input:not([type=radio]):not([type=checkbox]), select, textarea, .choice, button,'
            + ' .error-summary a')]
        .map(e => [e.id || e.className || e.tagName, e.getBoundingClientRect().height])
        .filter(([, h]) => h < 44)""")
    assert small == [], small
    serious = [v for v in axe_violations(phone) if v["impact"] in {"serious", "critical"}]
    assert serious == [], serious


def test_the_summary_has_the_focus_and_its_links_land_on_the_fields(fragments, site, phone):
    show(phone, site, page_html(site, SCHEMAS["standard"], 1, fragments[("standard", "summary")]))
    assert phone.evaluate("document.activeElement.id") == "error-summary"
    phone.get_by_role("link", name="Nhập số định danh cá nhân gồm 12 chữ số").click()
    assert phone.evaluate("document.activeElement.id") == "f-national_id"
    phone.keyboard.type("025190000123")
    assert phone.input_value("#f-national_id") == "025190000123"
    phone.get_by_role("link", name="Chọn giới tính").click()
    assert phone.evaluate("document.activeElement.id") == "f-sex-1"


def test_a_field_is_announced_with_its_hint_and_error(fragments, site, phone):
    show(phone, site, page_html(site, SCHEMAS["standard"], 1, fragments[("standard", "summary")]))
    field = phone.get_by_role("textbox", name="Số định danh cá nhân")
    assert field.get_attribute("aria-invalid") == "true"
    description = phone.evaluate(
        "id => document.getElementById(id).getAttribute('aria-describedby').split(' ')"
        ".map(x => document.getElementById(x).textContent).join(' ')", "f-national_id")
    assert "12 chữ số in trên thẻ căn cước" in description
    assert "Lỗi: Nhập số định danh cá nhân gồm 12 chữ số" in description
    assert phone.get_by_role("group", name="Giới tính").is_visible()
    assert phone.get_by_role("radio", name="Nữ").is_visible()
