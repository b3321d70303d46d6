#!/usr/bin/env python3
"""Verify deliveries through the e-SAR API, as ONESQA (or an LAO, a province, DLA) receives them.

For each delivery: the manifest's SHA-256 is recomputed over its canonical JSON, then every file
it lists is fetched by the `url` of its entry and its SHA-256 and size compared with the entry.
Files are read in chunks (never whole into memory) and, with --out, saved under
DIR/<receipt number>/<path>. Only the Python standard library is needed.

    python3 scripts/verify_delivery.py --url http://127.0.0.1:8000 --username onesqa.reviewer
    python3 scripts/verify_delivery.py --url … --username … --delivery 12 --out received/

The password is read from ESAR_PASSWORD, or asked for. Exit status 0 when every delivery checked
verifies, 1 when one does not, 2 when the API refuses the log-in or a request.
"""

from __future__ import annotations

import argparse
import getpass
import hashlib
import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

CHUNK = 1024 * 1024


class ApiError(Exception):
    pass


class Api:
    def __init__(self, base: str) -> None:
        if urllib.parse.urlsplit(base).scheme not in ("http", "https"):
            raise SystemExit("--url must start with http:// or https://")
        self.base = base.rstrip("/")
        self.token: str | None = None

    def _request(self, path: str, body: dict[str, Any] | None = None) -> Any:
        # Every path is the API's own (the manifest's URLs are paths), under the checked base.
        url = f"{self.base}{path}"
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(url, data=data, method="POST" if data else "GET")  # noqa: S310
        request.add_header("Accept-Language", "en")
        if data:
            request.add_header("Content-Type", "application/json")
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        try:
            return urllib.request.urlopen(request, timeout=60)  # noqa: S310 - the given API
        except urllib.error.HTTPError as exc:
            try:
                detail = json.loads(exc.read()).get("detail", "")
            except ValueError:
                detail = ""
            raise ApiError(f"{exc.code} {url}: {detail}") from exc

    def json(self, path: str, body: dict[str, Any] | None = None) -> Any:
        with self._request(path, body) as response:
            return json.load(response)

    def log_in(self, username: str, password: str) -> None:
        answer = self.json("/api/v1/auth/token", {"username": username, "password": password})
        self.token = answer["token"]

    def chunks(self, path: str) -> Iterator[bytes]:
        with self._request(path) as response:
            yield from iter(lambda: response.read(CHUNK), b"")

    def deliveries(self) -> Iterator[dict[str, Any]]:
        page = 1
        while True:
            answer = self.json(f"/api/v1/deliveries?page={page}&page_size=500")
            yield from answer["items"]
            if page * 500 >= answer["count"]:
                return
            page += 1


def canonical_sha256(value: Any) -> str:
    data = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def verify(api: Api, delivery_id: int, out: Path | None) -> tuple[str, list[str], int]:
    """(receipt number, problems, files checked): no problems means the delivery verifies."""
    answer = api.json(f"/api/v1/deliveries/{delivery_id}/manifest")
    receipt = answer["receipt_number"]
    problems = []
    if canonical_sha256(answer["manifest"]) != answer["manifest_sha256"]:
        problems.append("the manifest does not match its SHA-256")
    for entry in answer["files"]:
        digest, size = hashlib.sha256(), 0
        target = None
        if out is not None:
            target = out / receipt / entry["path"]
            target.parent.mkdir(parents=True, exist_ok=True)
        try:
            with open(target, "wb") if target else open(os.devnull, "wb") as saved:
                for chunk in api.chunks(entry["url"]):
                    digest.update(chunk)
                    size += len(chunk)
                    saved.write(chunk)
        except ApiError as exc:
            problems.append(f"{entry['path']}: {exc}")
            continue
        if digest.hexdigest() != entry["sha256"] or size != entry["size"]:
            problems.append(f"{entry['path']}: SHA-256 or size differs from the manifest")
    return receipt, problems, len(answer["files"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True, help="e-SAR's address, e.g. https://esar.example")
    parser.add_argument("--username", required=True)
    parser.add_argument("--delivery", type=int, action="append", help="a delivery id (repeat)")
    parser.add_argument("--out", type=Path, help="save the files under this folder")
    args = parser.parse_args(argv)
    password = os.environ.get("ESAR_PASSWORD") or getpass.getpass("Password: ")
    api = Api(args.url)
    try:
        api.log_in(args.username, password)
        ids = args.delivery or [delivery["id"] for delivery in api.deliveries()]
        failed = 0
        files = 0
        for delivery_id in ids:
            receipt, problems, checked = verify(api, delivery_id, args.out)
            files += checked
            print(f"{receipt}: {'verified' if not problems else 'NOT VERIFIED'}")
            for problem in problems:
                print(f"  {problem}")
            failed += bool(problems)
    except ApiError as exc:
        print(f"refused: {exc}", file=sys.stderr)
        return 2
    print(f"{len(ids) - failed} of {len(ids)} deliveries verified ({files} files checked)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
