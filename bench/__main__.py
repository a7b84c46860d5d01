"""`make bench`: figures printed, never asserted. `python -m bench reports` measures the
statistics (bench/reports.py).

1. Search latency (p50/p95/p99) over a fixed query set on a generated catalogue of 10,000
   procedures, in process and through the API.
2. Requests per second of the procedure page and of the search API against a bare Django view
   doing one primary-key query, served by the same server (gunicorn, same workers, same
   settings), reported as ratios. Uses wrk when installed, else a Python keep-alive client.
"""

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

QUERIES = [
    "giay xac nhan tinh trang hon nhan", "Đăng ký KHAI SINH", "cap doi bang lai xe",
    "dang ky thuong tru", "ly lich tu phap", "khai tu", "giay phep xay dung",
    "so do", "tam tru", "can cuoc", "bao hiem y te cho tre em", "ho kinh doanh",
    "tro cap that nghiep", "chung thuc ban sao", "dang ky ket hon", "ho chieu",
    "dang ky xe may", "giay khai sihn", "thue su dung dat", "mai tang phi",
]


def percentile(values, q):
    values = sorted(values)
    index = min(len(values) - 1, max(0, round(q / 100 * (len(values) - 1))))
    return values[index]


def setup_env(var: Path, procedures: int) -> dict:
    env = dict(os.environ, MOTCUA_VAR_DIR=str(var), MOTCUA_BENCH_VIEWS="1",
               MOTCUA_LOG_LEVEL="WARNING", DJANGO_SETTINGS_MODULE="motcua.settings")
    motcua = str(Path(sys.executable).with_name("motcua"))
    subprocess.run([motcua, "migrate", "--noinput", "-v0"], env=env, check=True, cwd=var)
    subprocess.run([motcua, "demo", "load", "--dossiers", "0"], env=env, check=True, cwd=var,
                   stdout=subprocess.DEVNULL)
    if not procedures:
        return env
    code = (
        "import django; django.setup(); from bench.catalogue import generate; "
        f"print(generate({procedures}))"
    )
    out = subprocess.run([sys.executable, "-c", code], env=dict(env, PYTHONPATH=os.getcwd()),
                         check=True, cwd=os.getcwd(), capture_output=True, text=True)
    print(f"catalogue: {out.stdout.strip()} procedures")
    return env


def bench_search_in_process(env: dict, rounds: int) -> None:
    code = f"""
import json, time, django
django.setup()
from motcua.catalog.search import get_index, procedure_search
t = time.perf_counter(); get_index(); build = time.perf_counter() - t
queries = {json.dumps(QUERIES, ensure_ascii=False)}
times = []
for _ in range({rounds}):
    for q in queries:
        t = time.perf_counter(); procedure_search(q); times.append(time.perf_counter() - t)
print(json.dumps({{"build": build, "times": times}}))
"""
    out = subprocess.run([sys.executable, "-c", code], env=env, check=True,
                         capture_output=True, text=True, cwd=os.getcwd())
    data = json.loads(out.stdout.strip().splitlines()[-1])
    times = [t * 1000 for t in data["times"]]
    print(f"search index build: {data['build'] * 1000:.0f} ms")
    print(f"search in process over {len(QUERIES)} queries x {rounds}: "
          f"p50 {percentile(times, 50):.2f} ms, p95 {percentile(times, 95):.2f} ms, "
          f"p99 {percentile(times, 99):.2f} ms")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(env: dict, var: Path, workers: int):
    port = free_port()
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    server = subprocess.Popen(
        [gunicorn, "motcua.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--log-level", "warning"],
        env=env, cwd=var,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/", timeout=2).read()
            break
        except OSError:
            time.sleep(0.2)
    return server, base


def latency_http(base: str, paths: list[str], rounds: int) -> list[float]:
    import http.client
    from urllib.parse import urlsplit

    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    times = []
    for _ in range(rounds):
        for path in paths:
            t = time.perf_counter()
            conn.request("GET", path)
            conn.getresponse().read()
            times.append((time.perf_counter() - t) * 1000)
    conn.close()
    return times


def throughput(base: str, path: str, seconds: int, connections: int) -> float:
    if shutil.which("wrk"):
        out = subprocess.run(
            ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", base + path],
            check=True, capture_output=True, text=True,
        ).stdout
        for line in out.splitlines():
            if line.startswith("Requests/sec:"):
                return float(line.split()[1])
        raise RuntimeError(out)
    import http.client
    import threading
    from urllib.parse import quote, urlsplit

    parts = urlsplit(base)
    count = [0] * connections
    stop = time.monotonic() + seconds

    def worker(i):
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        while time.monotonic() < stop:
            conn.request("GET", quote(path, safe="/?=&+"))
            conn.getresponse().read()
            count[i] += 1

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(count) / seconds


def session_cookie(env: dict, var: Path, username: str) -> str:
    """A logged-in session for ``username``, made the way Django's test client does it."""
    code = (
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "from motcua.accounts.models import User\n"
        f"c = Client(); c.force_login(User.objects.get(username={username!r}))\n"
        "print(c.cookies['sessionid'].value)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], env=env, check=True, cwd=var,
                         capture_output=True, text=True)
    return out.stdout.strip().splitlines()[-1]


def bench_submissions(env: dict, var: Path, n: int) -> float:
    code = (f"import django; django.setup(); from bench.dossiers import submissions; "
            f"print(submissions({n}))")
    out = subprocess.run([sys.executable, "-c", code], env=dict(env, PYTHONPATH=os.getcwd()),
                         check=True, cwd=var, capture_output=True, text=True)
    return float(out.stdout.strip().splitlines()[-1])


def latency_cookie(base: str, path: str, cookie: str, rounds: int) -> list[float]:
    import http.client
    from urllib.parse import urlsplit

    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    times = []
    for _ in range(rounds):
        t = time.perf_counter()
        conn.request("GET", path, headers={"Cookie": f"sessionid={cookie}"})
        response = conn.getresponse()
        response.read()
        assert response.status == 200, response.status
        times.append((time.perf_counter() - t) * 1000)
    conn.close()
    return times


def postgres_url() -> str | None:
    try:
        socket.create_connection(("127.0.0.1", 5432), timeout=2).close()
    except OSError:
        return None
    import psycopg

    with psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
        c.execute('DROP DATABASE IF EXISTS "motcua_bench" WITH (FORCE)')
        c.execute('CREATE DATABASE "motcua_bench"')
    return "postgres://postgres@127.0.0.1:5432/motcua_bench"


def dossier_section(args, env, var):
    """Submissions/s on SQLite and PostgreSQL; tracking page against the bare view; the
    officials' queue at N dossiers."""
    rate = bench_submissions(env, var, args.submissions)
    print(f"submissions without files, SQLite: {rate:.1f}/s")
    pg = postgres_url()
    if pg:
        pg_env = dict(env, DATABASE_URL=pg)
        motcua = str(Path(sys.executable).with_name("motcua"))
        subprocess.run([motcua, "migrate", "--noinput", "-v0"], env=pg_env, check=True, cwd=var)
        subprocess.run([motcua, "demo", "load", "--dossiers", "0"], env=pg_env, check=True,
                       cwd=var, stdout=subprocess.DEVNULL)
        print(f"submissions without files, PostgreSQL: "
              f"{bench_submissions(pg_env, var, args.submissions):.1f}/s")
    else:
        print("submissions, PostgreSQL: no server on 127.0.0.1:5432")
    code = (f"import django; django.setup(); from bench.dossiers import queue_fill; "
            f"print(queue_fill({args.queue}))")
    out = subprocess.run([sys.executable, "-c", code], env=dict(env, PYTHONPATH=os.getcwd()),
                         check=True, cwd=var, capture_output=True, text=True)
    official = out.stdout.strip().splitlines()[-1]
    cookie = session_cookie(env, var, official)
    tracked = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); "
         "from motcua.dossiers.models import Dossier; "
         "d = Dossier.objects.exclude(code=None).exclude(applicant_national_id='').first(); "
         "print(d.code, d.applicant_national_id[-4:])"],
        env=env, check=True, cwd=var, capture_output=True, text=True,
    ).stdout.split()
    server, base = start_server(env, var, args.workers)
    try:
        times = latency_cookie(base, "/can-bo/?hang=processing", cookie, 5)  # warm up
        times = latency_cookie(base, "/can-bo/?hang=processing", cookie, args.rounds * 2)
        print(f"officials' queue page at {args.queue:,} open dossiers: "
              f"p50 {percentile(times, 50):.1f} ms, p95 {percentile(times, 95):.1f} ms")
        bare = throughput(base, "/_bench/bare/1/", args.seconds, args.connections)
        track = throughput(base, f"/tra-cuu/?ma={tracked[0]}&kiem-tra={tracked[1]}",
                           args.seconds, args.connections)
        print(f"tracking page: {track:.0f} req/s against the bare view's {bare:.0f} req/s, "
              f"ratio {track / bare:.2f}")
    finally:
        server.terminate()
        server.wait(timeout=10)


def main():
    if sys.argv[1:2] == ["reports"]:
        from bench.reports import main as reports_main

        return reports_main(sys.argv[2:])
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--procedures", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--submissions", type=int, default=200)
    parser.add_argument("--queue", type=int, default=100_000)
    parser.add_argument("--only", choices=["catalogue", "dossiers", "community"], default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="motcua-bench-") as tmp:
        var = Path(tmp)
        env = setup_env(var, args.procedures if args.only in (None, "catalogue") else 0)
        # Tracking is rate-limited per address; the load generator is one address.
        env["MOTCUA_TRACKING_RATE_LIMIT"] = "100000000"
        if args.only in (None, "catalogue"):
            catalogue_section(args, env, var)
        if args.only in (None, "dossiers"):
            dossier_section(args, env, var)
        if args.only in (None, "community"):
            community_section(args, env, var)


def community_section(args, env, var):
    """The province's teams dashboard at 631 teams and a month of visits; visits logged/s."""
    rounds = max(3, args.rounds // 4)
    code = (
        "import django, json; django.setup(); from bench.community import province_fill, "
        "dashboard_time, visit_rate; from bench.__main__ import percentile; "
        f"filled = province_fill(); times = dashboard_time({rounds}); rate = visit_rate(200); "
        "print(json.dumps([filled, percentile(times, 50), percentile(times, 95), rate]))")
    out = subprocess.run([sys.executable, "-c", code], env=dict(env, PYTHONPATH=os.getcwd()),
                         check=True, cwd=var, capture_output=True, text=True)
    filled, p50, p95, rate = json.loads(out.stdout.strip().splitlines()[-1])
    print(f"teams dashboard, province, {filled['teams']} teams, {filled['members']:,} members, "
          f"{filled['visits']:,} visits this month (SQLite): p50 {p50:.0f} ms, p95 {p95:.0f} ms")
    print(f"visits logged through the service (SQLite): {rate:.0f}/s")


def catalogue_section(args, env, var):
    bench_search_in_process(env, args.rounds)
    server, base = start_server(env, var, args.workers)
    try:
        from urllib.parse import quote

        api_paths = [f"/api/v1/procedures?q={quote(q)}" for q in QUERIES]
        for path in api_paths[:3]:
            urllib.request.urlopen(base + path).read()
        times = latency_http(base, api_paths, max(1, args.rounds // 4))
        print(f"search API over HTTP: p50 {percentile(times, 50):.1f} ms, "
              f"p95 {percentile(times, 95):.1f} ms")
        bare = throughput(base, "/_bench/bare/1/", args.seconds, args.connections)
        page = throughput(base, "/thu-tuc/1.004222/", args.seconds, args.connections)
        search = throughput(base, "/api/v1/procedures?q=dang+ky+thuong+tru",
                            args.seconds, args.connections)
        tool = "wrk" if shutil.which("wrk") else "python client"
        print(f"throughput ({tool}, gunicorn {args.workers} workers, "
              f"{args.connections} connections, SQLite):")
        print(f"  bare single-query view: {bare:.0f} req/s")
        print(f"  procedure page:         {page:.0f} req/s  ratio {page / bare:.2f}")
        print(f"  search API:             {search:.0f} req/s  ratio {search / bare:.2f}")
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
