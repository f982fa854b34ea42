"""A loopback stand-in for the Hugging Face hub, enough for Studio's downloads: the tree API, the resolve URL
(a 302 to a "CDN" path with X-Linked-Etag / X-Linked-Size, as the hub answers), byte ranges (206 with
Content-Range), gated repos (401 without a token, 403 with the wrong one), and 404s. It serves real files (the
default model's bytes) and records every request, so a test can see where a resumed download started.

Knobs a test turns: ``bytes_per_s`` (slow enough to kill a download part way), ``corrupt_at`` (one byte flipped
in what is sent, the advertised hash unchanged), ``stop_after`` (the connection dropped after N bytes).
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlparse

GOOD_TOKEN = "hf_test_token_good"


@dataclass
class HostedFile:
    source: Path
    sha256: str
    size: int


@dataclass
class Repo:
    files: dict[str, HostedFile] = field(default_factory=dict)
    gated: bool = False


@dataclass
class Seen:
    method: str
    path: str
    range: str | None
    authorization: str | None


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(4 << 20):
            digest.update(block)
    return digest.hexdigest()


class StandInHub:
    def __init__(self) -> None:
        self.repos: dict[str, Repo] = {}
        self.requests: list[Seen] = []
        self.bytes_per_s: float | None = None
        self.corrupt_at: int | None = None
        self.stop_after: int | None = None
        self._lock = threading.Lock()
        hub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - quiet test server
                pass

            def do_HEAD(self) -> None:  # noqa: N802
                hub._handle(self, head=True)

            def do_GET(self) -> None:  # noqa: N802
                hub._handle(self, head=False)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="stand-in-hub", daemon=True)

    # -- set-up --------------------------------------------------------------------------------------------
    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def host(self, repo: str, name: str, source: Path, sha256: str | None = None, *, gated: bool = False) -> None:
        r = self.repos.setdefault(repo, Repo())
        r.gated = r.gated or gated
        r.files[name] = HostedFile(source, sha256 or sha256_of(source), source.stat().st_size)

    def byte_requests(self) -> list[Seen]:
        with self._lock:
            return [s for s in self.requests if s.method == "GET" and s.path.startswith("/cdn/")]

    def start(self) -> StandInHub:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)

    # -- answers -------------------------------------------------------------------------------------------
    def _handle(self, h: BaseHTTPRequestHandler, *, head: bool) -> None:
        path = unquote(urlparse(h.path).path)
        with self._lock:
            self.requests.append(Seen(h.command, path, h.headers.get("Range"), h.headers.get("Authorization")))
        try:
            if path.startswith("/api/models/") and "/tree/main" in path:
                repo = path.removeprefix("/api/models/").split("/tree/main")[0]
                r = self._repo_or_error(h, repo)
                if r is None:
                    return
                body = json.dumps([{"type": "file", "path": "README.md", "size": 12, "oid": "0" * 40}] + [
                    {"type": "file", "path": name, "size": f.size, "oid": "1" * 40,
                     "lfs": {"oid": f.sha256, "size": f.size, "pointerSize": 134}}
                    for name, f in r.files.items()]).encode()
                self._send(h, 200, {"Content-Type": "application/json"}, body, head)
            elif "/resolve/main/" in path:
                repo, name = path.lstrip("/").split("/resolve/main/", 1)
                r = self._repo_or_error(h, repo)
                if r is None:
                    return
                f = r.files.get(name)
                if f is None:
                    self._send(h, 404, {"X-Error-Code": "EntryNotFound"}, b"Entry not found", head)
                    return
                self._send(h, 302, {"Location": f"/cdn/{repo}/{name}", "X-Linked-Etag": f'"{f.sha256}"',
                                    "X-Linked-Size": str(f.size), "ETag": '"deadbeef"'}, b"", head)
            elif path.startswith("/cdn/"):
                repo, _, name = path.removeprefix("/cdn/").rpartition("/")
                f = self.repos[repo].files[name]
                self._send_bytes(h, f, head)
            else:
                self._send(h, 404, {}, b"Not found", head)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _repo_or_error(self, h: BaseHTTPRequestHandler, repo: str) -> Repo | None:
        r = self.repos.get(repo)
        if r is None:
            self._send(h, 404, {"X-Error-Code": "RepoNotFound"}, b"Repository not found", h.command == "HEAD")
            return None
        if r.gated:
            auth = h.headers.get("Authorization")
            if auth != f"Bearer {GOOD_TOKEN}":
                code = 401 if auth is None else 403
                self._send(h, code, {"X-Error-Code": "GatedRepo"}, b"Access to this model is restricted",
                           h.command == "HEAD")
                return None
        return r

    @staticmethod
    def _send(h: BaseHTTPRequestHandler, code: int, headers: dict[str, str], body: bytes, head: bool) -> None:
        h.send_response(code)
        for k, v in headers.items():
            h.send_header(k, v)
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        if not head:
            h.wfile.write(body)

    def _send_bytes(self, h: BaseHTTPRequestHandler, f: HostedFile, head: bool) -> None:
        start = 0
        rng = h.headers.get("Range")
        if rng and rng.startswith("bytes=") and rng.endswith("-"):
            start = int(rng.removeprefix("bytes=").removesuffix("-"))
            if start >= f.size:
                self._send(h, 416, {"Content-Range": f"bytes */{f.size}"}, b"", head)
                return
            h.send_response(206)
            h.send_header("Content-Range", f"bytes {start}-{f.size - 1}/{f.size}")
        else:
            h.send_response(200)
        h.send_header("Content-Length", str(f.size - start))
        h.send_header("Accept-Ranges", "bytes")
        h.end_headers()
        if head:
            return
        sent = 0
        began = time.monotonic()
        with f.source.open("rb") as src:
            src.seek(start)
            pos = start
            while block := src.read(256 << 10):
                if self.corrupt_at is not None and pos <= self.corrupt_at < pos + len(block):
                    i = self.corrupt_at - pos
                    block = block[:i] + bytes([block[i] ^ 0xFF]) + block[i + 1:]
                if self.stop_after is not None and sent + len(block) > self.stop_after:
                    h.wfile.write(block[: self.stop_after - sent])
                    h.wfile.flush()
                    h.close_connection = True
                    return
                h.wfile.write(block)
                sent += len(block)
                pos += len(block)
                if self.bytes_per_s:
                    ahead = sent / self.bytes_per_s - (time.monotonic() - began)
                    if ahead > 0:
                        time.sleep(ahead)
