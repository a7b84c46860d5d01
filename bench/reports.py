"""Statistics at national scale: `python -m bench reports --dossiers 1000000`.

For SQLite, and for PostgreSQL when a server answers on 127.0.0.1:5432: a history of N
dossiers made by `motcua simulate` (its rate), the full rebuild of the facts from the events
(its time), the incremental update's cost per event (real actions through the services,
each event's task timed), and p50/p95 of the dashboard and of GET /api/v1/stats served by
gunicorn over a set of questions a provincial leader asks (province, commune, agency,
procedure; a month, a quarter, a year). Figures printed, never asserted. ``--var DIR``
keeps the databases, so a second run measures again without simulating again.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.__main__ import percentile, postgres_url, session_cookie, start_server

HERE = Path(__file__).resolve().parents[1]


def motcua(env, var, *args, capture=True):
    out = subprocess.run([str(Path(sys.executable).with_name("motcua")), *args], env=env,
                         cwd=var, check=True, capture_output=capture, text=True)
    return out.stdout if capture else ""


def in_process(env, var, code: str) -> str:
    out = subprocess.run([sys.executable, "-c", "import django; django.setup()\n" + code],
                         env=dict(env, PYTHONPATH=str(HERE)), cwd=var, check=True,
                         capture_output=True, text=True)
    return out.stdout.strip().splitlines()[-1]


INCREMENTAL = """
import json
from bench.reports import incremental_events
print(json.dumps(incremental_events({n})))
"""


def incremental_events(n: int) -> dict:
    """Submit, accept and start ``n`` dossiers through the services, each event's facts task
    run as it is after commit; returns the time of the facts update per event."""
    from bench.dossiers import bench_procedure
    from motcua.accounts.models import User
    from motcua.demo.dossiers import demo_form_data
    from motcua.dossiers import services
    from motcua.eforms.schema import effective_schema
    from motcua.reports import services as facts

    timings: list[float] = []
    original = facts.dossier_facts_update

    def timed(*, dossier_id):
        start = time.perf_counter()
        try:
            return original(dossier_id=dossier_id)
        finally:
            timings.append(time.perf_counter() - start)

    facts.dossier_facts_update = timed
    version = bench_procedure()
    citizen = User.objects.get(username="025080001234")
    receiver = User.objects.get(username="vietri.motcua")
    specialist = User.objects.get(username="vietri.tuphap")
    form = demo_form_data(effective_schema(version), citizen)
    for _ in range(n):
        dossier = services.dossier_draft_create(version=version, actor=citizen)
        services.dossier_form_save(dossier=dossier, actor=citizen, data=form)
        services.dossier_submit(dossier=dossier, actor=citizen)
        services.dossier_accept(dossier=dossier, actor=receiver)
        services.dossier_start(dossier=dossier, actor=specialist)
    ms = sorted(t * 1000 for t in timings)
    return {"events": len(ms), "mean": sum(ms) / max(1, len(ms)),
            "p95": ms[int(0.95 * (len(ms) - 1))] if ms else 0}


def biggest() -> list[str]:
    """The commune with most dossiers, its busiest agency, and that agency's most frequent
    procedure."""
    from django.db.models import Count

    from motcua.catalog.models import Procedure
    from motcua.geo.models import Agency, Unit
    from motcua.reports.models import DossierTrack

    def top(rows, key):
        return rows.values(key).annotate(n=Count("pk")).order_by("-n")[0][key]

    commune = Unit.objects.get(pk=top(DossierTrack.objects.filter(unit__depth__gt=0),
                                      "unit_id"))
    agency = top(DossierTrack.objects.filter(unit=commune), "agency_id")
    procedure = top(DossierTrack.objects.filter(agency_id=agency), "procedure_id")
    return [commune.code, Agency.objects.get(pk=agency).code,
            Procedure.objects.get(pk=procedure).code]


def questions(env, var) -> list[str]:
    """Dashboard queries of a provincial leader: the biggest commune, its biggest agency
    and procedure, over a month, a quarter and the year to date."""
    code = "import json; from bench.reports import biggest; print(json.dumps(biggest()))"
    commune, agency, procedure = json.loads(in_process(env, var, code))
    today = dt.date.today()
    month = today.replace(day=1) - dt.timedelta(days=1)
    periods = [f"tu={today.replace(month=1, day=1)}&den={today}",
               f"tu={month.replace(day=1)}&den={month}",
               f"tu={today - dt.timedelta(days=91)}&den={today}"]
    out = []
    for p in periods:
        out += [f"/can-bo/thong-ke/?{p}", f"/can-bo/thong-ke/?{p}&don-vi={commune}",
                f"/can-bo/thong-ke/?{p}&co-quan={agency}",
                f"/can-bo/thong-ke/?{p}&don-vi={commune}&co-quan={agency}&thu-tuc={procedure}"]
    return out


def latency(base, paths, cookie, rounds):
    import http.client
    from urllib.parse import urlsplit

    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
    times = []
    for _ in range(rounds):
        for path in paths:
            start = time.perf_counter()
            conn.request("GET", path, headers={"Cookie": f"sessionid={cookie}",
                                               "Accept-Encoding": "gzip"})
            response = conn.getresponse()
            response.read()
            assert response.status == 200, (path, response.status)
            times.append((time.perf_counter() - start) * 1000)
    conn.close()
    return times


def one_database(name, env, var, args):
    print(f"--- {name}, {args.dossiers:,} dossiers (seed {args.seed}) ---")
    motcua(env, var, "migrate", "--noinput", "-v0")
    motcua(env, var, "demo", "load", "--dossiers", "0")
    marker = var / f"simulated-{name}.txt"
    if marker.exists() and marker.read_text().split()[:2] == [str(args.dossiers),
                                                               str(args.seed)]:
        print(f"simulator: {marker.read_text().split(maxsplit=2)[2]} (earlier run, kept)")
    else:
        out = motcua(env, var, "simulate", "--dossiers", str(args.dossiers), "--seed",
                     str(args.seed), "--no-facts")
        line = [x for x in out.replace("\r", "\n").splitlines() if x.startswith("simulated")]
        print(f"simulator: {line[-1]}")
        marker.write_text(f"{args.dossiers} {args.seed} {line[-1]}")
    if args.no_rebuild:
        print("full rebuild: skipped (--no-rebuild)")
    else:
        start = time.perf_counter()
        out = motcua(env, var, "reports", "rebuild")
        print(f"full rebuild: {time.perf_counter() - start:.1f} s ({out.strip()})")
    inc = json.loads(in_process(env, var, INCREMENTAL.format(n=args.incremental)))
    print(f"incremental update per event: mean {inc['mean']:.1f} ms, p95 {inc['p95']:.1f} ms "
          f"over {inc['events']} events")
    paths = questions(env, var)
    cookie = session_cookie(env, var, "tinh.lanhdao")
    server, base = start_server(env, var, args.workers)
    try:
        latency(base, paths, cookie, 1)  # warm up
        times = latency(base, paths, cookie, args.rounds)
        print(f"dashboard over {len(paths)} questions x {args.rounds}: "
              f"p50 {percentile(times, 50):.0f} ms, p95 {percentile(times, 95):.0f} ms")
        api = [p.replace("/can-bo/thong-ke/?", "/api/v1/stats?").replace("tu=", "from=")
               .replace("den=", "to=").replace("don-vi=", "unit=").replace("co-quan=", "agency=")
               .replace("thu-tuc=", "procedure=") + "&group_by=unit" for p in paths]
        latency(base, api, cookie, 1)
        times = latency(base, api, cookie, args.rounds)
        print(f"stats API over {len(api)} questions x {args.rounds}: "
              f"p50 {percentile(times, 50):.0f} ms, p95 {percentile(times, 95):.0f} ms")
    finally:
        server.terminate()
        server.wait(timeout=10)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench reports")
    parser.add_argument("--dossiers", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--incremental", type=int, default=50,
                        help="dossiers taken through 3 events each to time the update")
    parser.add_argument("--var", type=Path, default=None,
                        help="keep the databases here (and reuse a history made before)")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--no-rebuild", action="store_true",
                        help="with --var: the facts are current, do not time a rebuild")
    args = parser.parse_args(argv)
    print(f"machine: {os.cpu_count()} CPUs (shared with whatever else runs)")
    with tempfile.TemporaryDirectory(prefix="motcua-bench-reports-") as tmp:
        var = args.var or Path(tmp)
        var.mkdir(parents=True, exist_ok=True)
        base = dict(os.environ, MOTCUA_VAR_DIR=str(var), MOTCUA_LOG_LEVEL="WARNING",
                    DJANGO_SETTINGS_MODULE="motcua.settings")
        base.pop("DATABASE_URL", None)
        if "sqlite" in args.databases:
            one_database("SQLite", base, var, args)
        if "postgresql" in args.databases:
            url = postgres_database(keep=args.var is not None)
            if url:
                one_database("PostgreSQL", dict(base, DATABASE_URL=url), var, args)
            else:
                print("PostgreSQL: no server on 127.0.0.1:5432")


def postgres_database(*, keep: bool) -> str | None:
    """A database of its own; kept between runs with --var."""
    if not keep:
        return postgres_url()
    import socket

    try:
        socket.create_connection(("127.0.0.1", 5432), timeout=2).close()
    except OSError:
        return None
    import psycopg

    with psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
        if not c.execute("SELECT 1 FROM pg_database WHERE datname = 'motcua_bench_reports'"
                         ).fetchone():
            c.execute('CREATE DATABASE "motcua_bench_reports"')
    return "postgres://postgres@127.0.0.1:5432/motcua_bench_reports"


if __name__ == "__main__":
    main()
