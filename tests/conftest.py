import pytest
from django.core.management import call_command

# Figures worth reading after a run (page weights, generated cases…), printed at the end.
FIGURES: list[tuple[str, str]] = []


def pytest_terminal_summary(terminalreporter):
    if FIGURES:
        terminalreporter.section("figures")
        for name, value in FIGURES:
            terminalreporter.write_line(f"{name}: {value}")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The demo province and catalogue, loaded once per session. Tests run in transactions
    that roll back, so they all start from this state; pytest-django runs the transactional
    tests (which empty the database) after these."""
    with django_db_blocker.unblock():
        call_command("demo_load", dossiers=0, stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.fixture(autouse=True)
def fresh_process_caches():
    """Each test rolls the database back, catalogue and calendar generations included; the
    per-process search index, calendar and page cache must not carry one test's data into the
    next."""
    from django.core.cache import cache

    from motcua.catalog import search
    from motcua.core.selectors import calendar_forget

    search._current = None
    calendar_forget()
    cache.clear()
    yield
    search._current = None
    calendar_forget()
    cache.clear()


# Named people of the demo and a submitted dossier, for every test directory.
from tests.dossiers.conftest import (  # noqa: E402, F401
    citizen,
    make_submitted,
    officials,
    other_citizen,
)
