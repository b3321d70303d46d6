"""A minimal remote e-SAR for tests: a real HTTP server on 127.0.0.1 in a thread.

It does what ONESQA's e-SAR promises: POST /packages with a bearer token, an `Idempotency-Key` and
a multipart body (the manifest first, then every file it lists) stores one package per key, checks
every file against the manifest's SHA-256, and answers a repeated key with the same receipt.
`script` makes it misbehave on purpose, one entry per request in order:

- "503": read the request, store nothing, answer 503;
- "drop": store the package, then close the connection without answering (the answer is lost);
- "ok" (and whatever comes after the script): store and answer with the receipt.
"""

from __future__ import annotations

import hashlib
import json
import re
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

# What the tests configure as ESAR_REMOTE_TOKEN; a test value, not a secret.
TEST_TOKEN = "remote-test-token"  # noqa: S105


@dataclass
class StoredPackage:
    receipt: str
    manifest: dict[str, Any]
    files: dict[str, bytes]


@dataclass
class RemoteEsar:
    token: str
    script: list[str] = field(default_factory=list)
    packages: dict[str, StoredPackage] = field(default_factory=dict)
    # (idempotency key, what the server did) for every POST, in order.
    requests: list[tuple[str, str]] = field(default_factory=list)
    url: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def next_behaviour(self) -> str:
        with self.lock:
            return self.script.pop(0) if self.script else "ok"

    def store(self, key: str, manifest: dict[str, Any], files: dict[str, bytes]) -> str:
        with self.lock:
            if key not in self.packages:
                receipt = f"ONESQA-{len(self.packages) + 1:05d}"
                self.packages[key] = StoredPackage(receipt, manifest, files)
            return self.packages[key].receipt


def _parse_multipart(body: bytes, content_type: str) -> dict[str, bytes]:
    match = re.search(r'boundary="?([^";]+)"?', content_type)
    if match is None:
        raise ValueError("no boundary")
    delimiter = b"--" + match.group(1).encode()
    parts: dict[str, bytes] = {}
    for chunk in body.split(delimiter)[1:]:
        if chunk.startswith(b"--"):
            break
        head, _sep, data = chunk[2:].partition(b"\r\n\r\n")
        name = re.search(rb'name="([^"]*)"', head)
        if name is None:
            raise ValueError("a part without a name")
        parts[name.group(1).decode()] = data[:-2]
    return parts


class _Handler(BaseHTTPRequestHandler):
    remote: RemoteEsar

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass

    def _body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            data = bytearray()
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return bytes(data)
                data += self.rfile.read(size)
                self.rfile.readline()
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def _answer(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self) -> None:  # noqa: N802
        remote = self.remote
        body = self._body()
        key = self.headers.get("Idempotency-Key", "")
        if self.path.rstrip("/") != "/packages":
            self._answer(404, {"detail": "not found"})
            return
        if self.headers.get("Authorization") != f"Bearer {remote.token}":
            remote.requests.append((key, "401"))
            self._answer(401, {"detail": "bad token"})
            return
        behaviour = remote.next_behaviour()
        remote.requests.append((key, behaviour))
        if behaviour == "503":
            self._answer(503, {"detail": "busy, try later"})
            return
        if not key:
            self._answer(400, {"detail": "Idempotency-Key required"})
            return
        parts = _parse_multipart(body, self.headers.get("Content-Type", ""))
        manifest = json.loads(parts.pop("manifest"))
        for entry in manifest["files"]:
            data = parts.get(entry["path"])
            if data is None or hashlib.sha256(data).hexdigest() != entry["sha256"]:
                self._answer(422, {"detail": f"file {entry['path']} missing or changed"})
                return
        receipt = remote.store(key, manifest, parts)
        if behaviour == "drop":
            # Stored, but the answer never reaches the client.
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        self._answer(201, {"receipt": receipt})


@contextmanager
def remote_esar(
    *, token: str = TEST_TOKEN, script: list[str] | None = None
) -> Iterator[RemoteEsar]:
    """A running remote e-SAR at `remote.url`, stopped when the block ends."""
    remote = RemoteEsar(token=token, script=list(script or []))
    handler = type("Handler", (_Handler,), {"remote": remote})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    remote.url = f"http://127.0.0.1:{server.server_address[1]}/"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield remote
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
