"""A real database of its own (a SQLite file, or a fresh PostgreSQL database next to the test
one) migrated and loaded by the same commands a user runs, for tests that need several
processes or threads, or a process killed mid-write."""

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]


def motcua() -> str:
    return str(Path(sys.executable).with_name("motcua"))


def separate_postgres_database(url: str, suffix: str) -> str:
    import psycopg

    parts = urlsplit(url)
    name = (parts.path.lstrip("/") or "motcua") + suffix
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


def scratch_env(var: Path, suffix: str) -> dict:
    env = dict(os.environ, MOTCUA_VAR_DIR=str(var), MOTCUA_LANGUAGE="vi",
               DJANGO_SETTINGS_MODULE="motcua.settings",
               PYTHONPATH=os.pathsep.join([str(ROOT), str(ROOT / "src")]))
    database_url = os.environ.get("DATABASE_URL", "")
    if database_url.startswith("postgres"):
        env["DATABASE_URL"] = separate_postgres_database(database_url, suffix)
    else:
        env.pop("DATABASE_URL", None)
    for command in (["migrate", "--noinput", "-v0"], ["demo", "load", "--dossiers", "0"]):
        subprocess.run([motcua(), *command], env=env, check=True, cwd=var,
                       stdout=subprocess.DEVNULL)
    return env


def run_script(env: dict, code: str, *, check=True) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], env=env, cwd=env["MOTCUA_VAR_DIR"],
                          capture_output=True, text=True, check=check, timeout=300)


def last_json(process: subprocess.CompletedProcess):
    return json.loads(process.stdout.strip().splitlines()[-1])
