"""Load test: the realistic mix of bench/locustfile.py at 10× the peak of a large province,
against SQLite-embedded and PostgreSQL, each served by two application processes.

    python -m bench.load [--seconds 60] [--databases sqlite postgres]

The peak we scale from: a large province handling 3,000,000 dossiers a year (several times
Phú Thọ's 826,600 in 2020), 250 working days, half of them online, 15 % of a day's traffic in
its busiest hour: 900 online submissions an hour, 0.25 a second, with about twenty page views
and lookups around each. Ten times that peak is offered here: 2.5 submissions a second (each a
draft, one small file per required document and the submission), 40–50 reads a second
(search, procedure pages, home, tracking) and two desk officers taking in what arrives.
"""

import argparse
import csv
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.scratch import scratch_env  # noqa: E402
from tests.servers import Server  # noqa: E402

SETUP_SCRIPT = """
import django, io, json, os
django.setup()
from reportlab.pdfgen import canvas
from motcua.accounts.models import User
from motcua.catalog.models import Procedure
from motcua.demo.dossiers import demo_form_data
from motcua.demo.people import CITIZENS, CITIZEN_PASSWORD
from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.eforms.schema import effective_schema

version = Procedure.objects.get(code="1.004873").current_version()
citizens = []
for c in CITIZENS:
    user = User.objects.get(username=c.national_id)
    citizens.append({"username": c.national_id, "password": CITIZEN_PASSWORD,
                     "form": demo_form_data(effective_schema(version), user)})
buffer = io.BytesIO(); page = canvas.Canvas(buffer); page.drawString(72, 720, "giay to")
page.showPage(); page.save()
tracking = [(d.code, (d.applicant_national_id or d.applicant_phone)[-4:])
            for d in Dossier.objects.exclude(code=None).exclude(applicant_national_id="")[:200]]
documents = [d.key for d in version.documents.all() if d.mandatory]
print(json.dumps({"procedure": "1.004873", "citizens": citizens, "tracking": tracking,
                  "documents": documents, "pdf": buffer.getvalue().decode("latin-1")}))
"""


def site_env(var: Path, database: str) -> dict:
    previous = os.environ.get("DATABASE_URL")
    if database == "postgres":
        os.environ["DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/motcua_load"
    else:
        os.environ.pop("DATABASE_URL", None)
    try:
        env = scratch_env(var, "_load")
    finally:
        if previous is None:
            os.environ.pop("DATABASE_URL", None)
        else:
            os.environ["DATABASE_URL"] = previous
    motcua = str(Path(sys.executable).with_name("motcua"))
    subprocess.run([motcua, "demo", "load", "--dossiers", "200"], env=env, cwd=var,
                   check=True, stdout=subprocess.DEVNULL)
    env["MOTCUA_TRACKING_RATE_LIMIT"] = "1000000000"  # one load generator, one address
    env["MOTCUA_LOGIN_FAILURE_LIMIT"] = "1000000"
    if database == "postgres":
        env["MOTCUA_DB_POOL"] = "true"
    return env


def run(database: str, seconds: int, readers: int, submitters: int) -> list[dict]:
    with tempfile.TemporaryDirectory(prefix=f"motcua-load-{database}-") as tmp:
        var = Path(tmp)
        env = site_env(var, database)
        setup = subprocess.run([sys.executable, "-c", SETUP_SCRIPT], env=env, cwd=var,
                               check=True, capture_output=True, text=True)
        (var / "setup.json").write_text(setup.stdout.strip().splitlines()[-1])
        server = Server(env, workers=2)
        try:
            locust = str(Path(sys.executable).with_name("locust"))
            users = readers + submitters + 2
            subprocess.run(
                [locust, "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
                 "--users", str(users), "--spawn-rate", str(users), "--run-time",
                 f"{seconds}s", "--host", server.url, "--csv", str(var / "load"),
                 "--only-summary", "--loglevel", "WARNING"],
                env=dict(env, MOTCUA_LOAD_SETUP=str(var / "setup.json"),
                         MOTCUA_LOAD_READERS=str(readers),
                         MOTCUA_LOAD_SUBMITTERS=str(submitters)),
                cwd=var, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        finally:
            server.stop()
        with open(var / "load_stats.csv", encoding="utf-8") as fh:
            return list(csv.DictReader(fh))


def report(database: str, rows: list[dict]) -> None:
    print(f"\n{database}, two application processes (gunicorn):")
    print(f"  {'request':28} {'count':>7} {'errors':>6} {'req/s':>7} {'p50':>6} {'p95':>6} "
          f"{'p99':>6}  (ms)")
    worst = {"read": 0.0, "write": 0.0}
    for row in rows:
        name = row["Name"]
        print(f"  {name[:28]:28} {row['Request Count']:>7} {row['Failure Count']:>6} "
              f"{float(row['Requests/s']):7.1f} {row['50%']:>6} {row['95%']:>6} "
              f"{row['99%']:>6}")
        kind = name.split(":")[0]
        if kind in worst and row["95%"] not in ("N/A", ""):
            worst[kind] = max(worst[kind], float(row["95%"]))
    total = next(r for r in rows if r["Name"] == "Aggregated")
    print(f"  worst p95 of a read: {worst['read']:.0f} ms (target ≤ 150), of a write: "
          f"{worst['write']:.0f} ms (target ≤ 300); errors: {total['Failure Count']} of "
          f"{total['Request Count']}")


def main():
    parser = argparse.ArgumentParser(prog="python -m bench.load")
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--readers", type=int, default=45)
    parser.add_argument("--submitters", type=int, default=25)
    parser.add_argument("--databases", nargs="+", default=["sqlite", "postgres"])
    args = parser.parse_args()
    for database in args.databases:
        report(database, run(database, args.seconds, args.readers, args.submitters))


if __name__ == "__main__":
    main()
