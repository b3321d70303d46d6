"""A 100 MB PDF uploaded to a real server process: how much does the server's memory rise?

The server is granian (as `make run` starts it) with one worker and one thread, on the session's
test database. The figure is the rise of the worker's peak resident memory (VmHWM) from after a
small warm-up upload to after the big one, through the API and through the page. Printed, not
asserted.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection

from benchmarks.http.run import server as http_server
from esar.testing.sar import pdf_bytes

ROOT = Path(__file__).resolve().parent.parent
MB = 1024 * 1024
BIG_MB = 100
USERNAME, PASSWORD = "school3050000001", "esar-demo-2569"


def _database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgres://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _peak_kib(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1))


class Server:
    def __init__(self, base: str, worker: int) -> None:
        self.base = base
        self.worker = worker

    def peak_mib(self) -> float:
        return _peak_kib(self.worker) / 1024


@pytest.fixture(scope="module")
def server(national_world, django_db_blocker, tmp_path_factory) -> Iterator[Server]:
    var = tmp_path_factory.mktemp("server-var")
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "ESAR_VAR_DIR": str(var),
        "CELERY_BROKER_URL": "",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    # The server serves the collected, hashed static files, as `make run` does.
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    # One worker, one thread (benchmarks.http.run.server, as `make bench-http` starts it).
    with http_server(env, var, workers=1) as (base, workers):
        yield Server(base, workers[0])
    print(f"\n[server log: {var / 'server.log'}]")


def _multipart_file(pdf: Path, field: str, extra: dict[str, str]) -> tuple[Path, str]:
    """The request body on disk, so that the client does not hold it in memory either."""
    boundary = "esarbenchboundary7d1f"
    body = pdf.with_suffix(".body")
    with body.open("wb") as out:
        for name, value in extra.items():
            out.write(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                f"{value}\r\n".encode()
            )
        out.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; '
            f'filename="big.pdf"\r\nContent-Type: application/pdf\r\n\r\n'.encode()
        )
        with pdf.open("rb") as source:
            while chunk := source.read(1 << 20):
                out.write(chunk)
        out.write(f"\r\n--{boundary}--\r\n".encode())
    return body, f"multipart/form-data; boundary={boundary}"


def _post_file(opener, url: str, body: Path, content_type: str, headers: dict[str, str]):
    with body.open("rb") as stream:
        request = urllib.request.Request(  # noqa: S310
            url,
            data=stream,
            method="POST",
            headers={
                **headers,
                "Content-Type": content_type,
                "Content-Length": str(body.stat().st_size),
            },
        )
        started = time.perf_counter()
        try:
            with opener.open(request, timeout=600) as response:
                payload = response.read()
                status = response.status
        except urllib.error.HTTPError as error:
            payload, status = error.read(), error.code
        return status, payload, time.perf_counter() - started


@pytest.fixture(scope="module")
def big_pdf(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "big.pdf"
    # Just under the default limit of 100 MB (the year's upload_limit_mb).
    path.write_bytes(pdf_bytes(pages=20, filler=BIG_MB * MB - 256 * 1024))
    return path


def _api(server: Server, path: str, body: dict | None = None, token: str | None = None) -> dict:
    request = urllib.request.Request(  # noqa: S310
        f"{server.base}/api/v1{path}",
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Content-Type": "application/json"}
        | ({"Authorization": f"Bearer {token}"} if token else {}),
        method="POST" if body is not None else "GET",
    )
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
        return json.loads(response.read())


@pytest.mark.benchmark_only
def test_a_100_mb_upload_through_the_api(benchmark, server: Server, big_pdf: Path):
    token = _api(server, "/auth/token", {"username": USERNAME, "password": PASSWORD})["token"]
    sar = _api(server, "/sars", {"institution": "3050000001", "year": 2569}, token)
    opener = urllib.request.build_opener()
    headers = {"Authorization": f"Bearer {token}"}
    url = f"{server.base}/api/v1/sars/{sar['id']}/evidence"
    with tempfile.TemporaryDirectory() as tmp:
        small = Path(tmp) / "small.pdf"
        small.write_bytes(pdf_bytes(pages=2))
        body, content_type = _multipart_file(small, "file", {})
        status, payload, _seconds = _post_file(opener, url, body, content_type, headers)
        assert status == 200, payload[:1000]
    before = server.peak_mib()
    body, content_type = _multipart_file(big_pdf, "file", {})
    status, payload, seconds = benchmark.pedantic(
        _post_file, args=(opener, url, body, content_type, headers), rounds=1, iterations=1
    )
    assert status == 200, payload[:500]
    after = server.peak_mib()
    stored = json.loads(payload)
    assert stored["size"] == big_pdf.stat().st_size
    size = big_pdf.stat().st_size / MB
    print(
        f"\n[upload via API] {size:.0f} MB PDF ({stored['size']:,} bytes, {stored['pages']} "
        f"pages) stored in {seconds:.1f} s; server peak RSS "
        f"{before:.0f} → {after:.0f} MiB (rise {after - before:.1f} MiB)"
    )


@pytest.mark.benchmark_only
def test_a_100_mb_upload_through_the_page(benchmark, server: Server, big_pdf: Path):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.open(f"{server.base}/accounts/login/", timeout=30).read()
    csrf = next(c.value for c in jar if c.name == "csrftoken")
    login = urllib.request.Request(  # noqa: S310
        f"{server.base}/accounts/login/",
        data=urllib.parse.urlencode(
            {"username": USERNAME, "password": PASSWORD, "csrfmiddlewaretoken": csrf}
        ).encode(),
        headers={"Referer": f"{server.base}/accounts/login/"},
        method="POST",
    )
    opener.open(login, timeout=30).read()
    csrf = next(c.value for c in jar if c.name == "csrftoken")
    token = _api(server, "/auth/token", {"username": USERNAME, "password": PASSWORD})["token"]
    sar = _api(server, "/sars", {"institution": "3050000001", "year": 2569}, token)
    url = f"{server.base}/sar/{sar['id']}/files/upload/"
    headers = {"Referer": url, "X-CSRFToken": csrf}
    fields = {"csrfmiddlewaretoken": csrf, "kind": "evidence"}
    with tempfile.TemporaryDirectory() as tmp:
        small = Path(tmp) / "small.pdf"
        small.write_bytes(pdf_bytes(pages=2))
        body, content_type = _multipart_file(small, "file", fields)
        status, payload, _seconds = _post_file(opener, url, body, content_type, headers)
        assert status == 200, payload[:1000]
    before = server.peak_mib()
    body, content_type = _multipart_file(big_pdf, "file", fields)
    status, payload, seconds = benchmark.pedantic(
        _post_file, args=(opener, url, body, content_type, headers), rounds=1, iterations=1
    )
    assert status == 200, payload[:500]
    after = server.peak_mib()
    size = big_pdf.stat().st_size / MB
    print(
        f"\n[upload via page] {size:.0f} MB PDF in {seconds:.1f} s; server peak RSS "
        f"{before:.0f} → {after:.0f} MiB (rise {after - before:.1f} MiB)"
    )
