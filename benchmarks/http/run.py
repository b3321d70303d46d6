"""Every page beside the framework's own ceiling, on the national world, through a real server.

    make bench-http            # or: .venv/bin/python -m benchmarks.http.run [--seconds 3] …

1. The database (BENCH_DATABASE_URL, default postgres://…/esar_bench_http) is created if missing,
   migrated, seeded once with the small world's personas and the national world (7,850 LAOs,
   20,000 institutions, one submitted SAR each for 2569), and ANALYZEd.
2. granian serves it with the production settings (ESAR_ENV=production), 2 workers × 1 thread,
   and the two ceiling routes of benchmarks/http/urls.py.
3. For each page, in rounds, wrk loads the page, then the bare view ("hello"), then the one-row
   page ("detail"): A, ceiling, A, ceiling … so that every ratio compares figures of the same
   minute. CPU per request is read from /proc for the server's workers and for PostgreSQL.
4. The table is printed (markdown) and written as JSON beside it (var/bench/http.json).

Nothing here asserts a time: the figures are for the README and the issue's closing notes.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/esar_bench_http"
YEAR = 2569
TICK = os.sysconf("SC_CLK_TCK")


def _environment(database_url: str, var: Path) -> dict[str, str]:
    """What the server and this process run with: production, no broker, the bench URLconf."""
    return {
        **os.environ,
        "ESAR_ENV": "production",
        "DJANGO_SETTINGS_MODULE": "benchmarks.http.settings",
        "DJANGO_SECRET_KEY": "benchmark-only-not-a-secret-" + "x" * 32,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",  # testserver: query counts
        "DATABASE_URL": database_url,
        "ESAR_VAR_DIR": str(var),
        "CELERY_BROKER_URL": "",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }


def _create_database(database_url: str) -> None:
    import psycopg

    base, _, name = database_url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


# --- The world ------------------------------------------------------------------------------


def prepare_world(*, reseed: bool) -> dict[str, str]:
    """Migrate, seed once (or again with --reseed), ANALYZE; return the path parameters."""
    from io import StringIO

    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count

    from esar.organizations.models import Institution, LocalAuthority
    from esar.sar.models import Sar

    call_command("migrate", "--no-input", verbosity=0)
    seeded = Sar.objects.filter(year_id=YEAR).count() >= 20_000
    if reseed or not seeded:
        started = time.perf_counter()
        print("Seeding the small world's personas and the national world (a few minutes)…")
        call_command("seed_demo", "--force", stdout=StringIO())
        call_command(
            "seed_demo", "--scale", "national", "--sars", str(YEAR), "--force", stdout=StringIO()
        )
        print(f"  seeded in {time.perf_counter() - started:.0f} s")
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"ANALYZE in {time.perf_counter() - started:.1f} s (this PostgreSQL runs no autovacuum)")
    call_command("collectstatic", "--no-input", verbosity=0)
    largest = (
        LocalAuthority.objects.values("province_id")
        .order_by()
        .annotate(n=Count("pk"))
        .order_by("-n", "province_id")
        .first()
    )
    institution = Institution.objects.order_by("pk").values_list("pk", flat=True).first()
    return {
        "year": str(YEAR),
        "province": largest["province_id"] if largest else "",
        "institution": str(institution),
    }


def credentials() -> dict[str, dict[str, str]]:
    """A signed-in session (cookie) and an API token for each persona, made in the database."""
    from django.test import Client

    from esar.accounts.models import User
    from esar.accounts.roles import Role
    from esar.accounts.tokens import issue_token

    def first(role: Role, prefix: str = "") -> User:
        users = User.objects.filter(membership__role=role, username__startswith=prefix)
        user = users.order_by("username").first()
        if user is None:  # measuring someone else's page under this name would mislead
            raise SystemExit(f"No demo account with the role {role} ({prefix}…): seed again.")
        return user

    personas = {
        "dla": User.objects.get(username="dla.admin"),
        "province": first(Role.PROVINCE_SUPERVISOR, "prov"),
        "lao": first(Role.LAO_OFFICER, "lao"),
        "school": first(Role.SCHOOL_OFFICER, "school"),
    }
    result: dict[str, dict[str, str]] = {"anonymous": {}}
    for name, user in personas.items():
        client = Client()
        client.force_login(user)
        cookie = "; ".join(f"{key}={morsel.value}" for key, morsel in client.cookies.items())
        token = issue_token(user=user).token
        result[name] = {"Cookie": cookie, "Authorization": f"Bearer {token}", "user": user.username}
    return result


def query_count(path: str, headers: dict[str, str]) -> int:
    """The SQL queries of one request, in this process through Django's test client."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    extra = {k: v for k, v in headers.items() if k in {"Cookie", "Authorization"}}
    with CaptureQueriesContext(connection) as queries:
        client.get(path, headers=extra)
    return len(queries.captured_queries)


# --- The server ----------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def _descendants(pid: int) -> list[int]:
    found = []
    for child in _children(pid):
        found.append(child)
        found.extend(_descendants(child))
    return found


@contextmanager
def server(env: dict[str, str], var: Path, workers: int) -> Iterator[tuple[str, list[int]]]:
    """granian on a free port with `env`, `workers` × 1 thread: yields its address and the pids
    of its worker processes; its log is var/server.log."""
    port = _free_port()
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "granian"),
            "--interface",
            "wsgi",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--blocking-threads",
            "1",
            "--no-access-log",
            "config.wsgi:application",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(var / "server.log").open("wb"),
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=1)  # noqa: S310
                break
            except urllib.error.HTTPError:
                break  # it answers (a health check may report a missing broker or storage)
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError(f"the server did not start; see {var / 'server.log'}")
        yield base, _descendants(process.pid) or [process.pid]
    finally:
        process.terminate()
        process.wait(timeout=20)


def _cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICK


def _postgres_pids() -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() in {"postgres", "postmaster"}:
                    pids.append(int(entry.name))
            except OSError:
                continue
    return pids


# --- One measurement -------------------------------------------------------------------------


@dataclass
class Run:
    requests: int
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    server_ms: float
    postgres_ms: float


_UNIT = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _latency(text: str, percentile: str) -> float:
    match = re.search(rf"^\s+{percentile}%\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
    return float(match.group(1)) * _UNIT[match.group(2)] if match else float("nan")


def measure(
    url: str, headers: dict[str, str], *, seconds: int, connections: int, workers: list[int]
) -> Run:
    args = ["wrk", "-t1", f"-c{connections}", f"-d{int(seconds)}s", "--latency", "--timeout", "10s"]
    for key in ("Cookie", "Authorization"):
        if headers.get(key):
            args += ["-H", f"{key}: {headers[key]}"]
    # Everyone's browser asks for compressed pages; the server decides what it does with it.
    args += ["-H", "Accept-Encoding: gzip, br", url]
    postgres = _postgres_pids()
    server_before, pg_before = _cpu_seconds(workers), _cpu_seconds(postgres)
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    server_after, pg_after = _cpu_seconds(workers), _cpu_seconds(postgres)
    load = parse_wrk(out)
    per = 1000 / max(load["requests"], 1)
    return Run(
        **load,
        server_ms=(server_after - server_before) * per,
        postgres_ms=(pg_after - pg_before) * per,
    )


def parse_wrk(out: str) -> dict[str, Any]:
    """wrk's report (with --latency) as requests, req/s, p50/p99 in ms and errors (non-2xx/3xx
    answers and socket errors: a benchmark that counts refusals as speed would mislead)."""
    errors = 0
    if match := re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        errors += int(match.group(1))
    if match := re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    ):
        errors += sum(int(g) for g in match.groups())
    requests = re.search(r"(\d+) requests in", out)
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if requests is None or rps is None:
        raise ValueError(f"not a wrk report: {out[:200]!r}")
    return {
        "requests": int(requests.group(1)),
        "rps": float(rps.group(1)),
        "p50_ms": _latency(out, "50"),
        "p99_ms": _latency(out, "99"),
        "errors": errors,
    }


def median_of(runs: list[Run], attr: str) -> float:
    return statistics.median(getattr(run, attr) for run in runs)


@dataclass
class Row:
    name: str
    path: str
    status: int
    bytes: int
    bytes_compressed: int
    queries: int
    runs: list[Run] = field(default_factory=list)
    hello: list[Run] = field(default_factory=list)
    detail: list[Run] = field(default_factory=list)

    def median(self, attr: str, runs: list[Run] | None = None) -> float:
        return median_of(runs or self.runs, attr)

    def ratio(self, ceiling: list[Run]) -> float:
        # Each round's page against the ceiling measured right after it, then the median.
        return statistics.median(a.rps / b.rps for a, b in zip(self.runs, ceiling, strict=True))


def fetch(url: str, headers: dict[str, str], *, compressed: bool) -> tuple[int, int]:
    request = urllib.request.Request(url)  # noqa: S310 - our own server on loopback
    for key in ("Cookie", "Authorization"):
        if headers.get(key):
            request.add_header(key, headers[key])
    if compressed:
        request.add_header("Accept-Encoding", "gzip, br")
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            return response.status, len(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, len(exc.read())


# --- The table -------------------------------------------------------------------------------


def table(rows: list[Row]) -> str:
    lines = [
        "| page | req/s | p50 / p99 ms | vs hello | vs detail | hello / detail req/s, same rounds "
        "| CPU ms/req server / PostgreSQL | queries | KB (compressed) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        lines.append(
            f"| {row.name} | {row.median('rps'):,.1f} | {row.median('p50_ms'):.1f} / "
            f"{row.median('p99_ms'):.1f} | {row.ratio(row.hello):.1%} | {row.ratio(row.detail):.1%} "
            f"| {row.median('rps', row.hello):,.0f} / {row.median('rps', row.detail):,.0f} "
            f"| {row.median('server_ms'):.1f} / {row.median('postgres_ms'):.1f} | {row.queries} "
            f"| {row.bytes / 1024:,.0f} ({row.bytes_compressed / 1024:,.0f}) |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=3, help="each load, seconds (3)")
    parser.add_argument("--rounds", type=int, default=3, help="page/ceiling rounds per page (3)")
    parser.add_argument("--connections", type=int, default=4, help="wrk connections (4)")
    parser.add_argument("--workers", type=int, default=2, help="granian workers, 1 thread each (2)")
    parser.add_argument("--only", default="", help="only pages whose name contains this")
    parser.add_argument("--reseed", action="store_true", help="seed the national world again")
    parser.add_argument("--json", default=str(ROOT / "var" / "bench" / "http.json"))
    options = parser.parse_args(argv)
    if not shutil.which("wrk"):
        print("wrk is missing: run scripts/ensure-wrk (make bench-http does).", file=sys.stderr)
        return 2

    database_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE)
    var = ROOT / "var" / "bench-http"
    var.mkdir(parents=True, exist_ok=True)
    env = _environment(database_url, var)
    os.environ.update(env)
    _create_database(database_url)
    import logging

    import django

    django.setup()
    # The seed's e-mail tasks run eagerly and would log a line each.
    logging.getLogger("celery").setLevel(logging.WARNING)
    from benchmarks.http.pages import CEILINGS, PAGES

    params = prepare_world(reseed=options.reseed)
    people = credentials()
    hello_page, detail_page = CEILINGS
    pages = [p for p in PAGES if options.only.lower() in p.name.lower()]
    rows: list[Row] = []
    with server(env, var, options.workers) as (base, workers):
        print(f"granian on {base}: {len(workers)} processes; {database_url.rsplit('/', 1)[1]}")
        hello_url = base + hello_page.path
        detail_url = base + detail_page.path.format(**params)
        for page in pages:
            headers = people[page.persona]
            url = base + page.path.format(**params)
            status, size = fetch(url, headers, compressed=False)
            _status, compressed = fetch(url, headers, compressed=True)
            if status != 200:
                raise SystemExit(f"{page.name}: {url} answered {status}, not 200; nothing measured")
            row = Row(
                name=page.name,
                path=page.path,
                status=status,
                bytes=size,
                bytes_compressed=compressed,
                queries=query_count(page.path.format(**params), headers),
            )
            load = {
                "seconds": options.seconds,
                "connections": options.connections,
                "workers": workers,
            }
            measure(url, headers, **{**load, "seconds": 1})  # warm-up, not counted
            for _ in range(options.rounds):
                row.runs.append(measure(url, headers, **load))
                row.hello.append(measure(hello_url, {}, **load))
                row.detail.append(measure(detail_url, {}, **load))
            errors = sum(run.errors for run in row.runs)
            print(
                f"  {page.name}: {row.median('rps'):,.1f} req/s, {row.ratio(row.detail):.1%} of "
                f"detail{f', {errors} ERRORS' if errors else ''}",
                flush=True,
            )
            rows.append(row)
    all_hello = [run for row in rows for run in row.hello]
    all_detail = [run for row in rows for run in row.detail]
    print()
    print(table(rows))
    if all_hello:
        print(
            f"\nCeilings in the same run: hello {median_of(all_hello, 'rps'):,.0f} req/s, "
            f"detail {median_of(all_detail, 'rps'):,.0f} req/s (medians of {len(all_hello)} "
            f"loads each; {options.workers} granian workers × 1 thread, wrk -c{options.connections},"
            f" {options.seconds:g} s a load)."
        )
    out = Path(options.json)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps([asdict(row) for row in rows], indent=1, ensure_ascii=False))
    print(f"Written: {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
