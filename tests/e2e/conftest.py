"""Browser tests: the real server in a subprocess, with its own database loaded by the same
commands a user runs (`motcua migrate`, `motcua demo load`), driven by Debian's Chromium
through Playwright."""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.conftest import FIGURES  # noqa: F401  (the browser tests report page weights there)

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_FLAGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]

def _motcua() -> str:
    return str(Path(sys.executable).with_name("motcua"))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _separate_postgres_database(url: str) -> str:
    """The server gets its own database next to the test one, created afresh."""
    import psycopg

    parts = urlsplit(url)
    name = (parts.path.lstrip("/") or "motcua") + "_e2e"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    var = tmp_path_factory.mktemp("e2e-var")
    env = dict(os.environ, MOTCUA_VAR_DIR=str(var), MOTCUA_LANGUAGE="vi")
    database_url = os.environ.get("DATABASE_URL", "")
    if database_url.startswith("postgres"):
        env["DATABASE_URL"] = _separate_postgres_database(database_url)
    else:
        env.pop("DATABASE_URL", None)
    for command in (["migrate", "--noinput", "-v0"], ["demo", "load", "--dossiers", "40"]):
        subprocess.run([_motcua(), *command], env=env, check=True, cwd=var,
                       stdout=subprocess.DEVNULL)
    port = _free_port()
    log = open(var / "server.log", "w")  # noqa: SIM115
    server = subprocess.Popen(
        [_motcua(), "runserver", "--noreload", f"127.0.0.1:{port}"],
        env=env, cwd=var, stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(base + "/", timeout=5) as response:  # noqa: S310
                if response.status == 200:
                    break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError((var / "server.log").read_text()) from None
            time.sleep(0.3)
    yield base
    server.terminate()
    server.wait(timeout=10)
    log.close()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        pytest.fail("Browser tests need Debian's chromium: apt-get install chromium")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        yield instance
        instance.close()


@pytest.fixture
def phone(browser):
    """A 360 px wide phone, as our citizens use."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2,
                                  is_mobile=True, has_touch=True, locale="vi-VN")
    yield context.new_page()
    context.close()


@pytest.fixture
def desktop(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    yield context.new_page()
    context.close()


@pytest.fixture
def no_js(browser):
    context = browser.new_context(viewport={"width": 360, "height": 740},
                                  java_script_enabled=False, locale="vi-VN")
    yield context.new_page()
    context.close()


def axe_violations(page) -> list[dict]:
    if not AXE_JS.exists():
        pytest.fail("axe-core is missing: run `npm ci` (make test does)")
    # Evaluated by the browser's debugging channel: our Content-Security-Policy rightly
    # refuses an injected inline <script>.
    page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    result = page.evaluate(
        "async () => await axe.run(document, {resultTypes: ['violations']})"
    )
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"],
         "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]
