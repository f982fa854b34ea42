"""Loopback stand-ins for servers that misbehave or that the tests cannot run (an Ollama, a vLLM, a broken
llama-server): a handler base with the JSON and mode plumbing, and one way to serve it on 127.0.0.1 in a thread.
The real servers are in remote_server.py and openai_servers.py."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class StandIn(BaseHTTPRequestHandler):
    """``server.mode`` (default "ok") says how the stand-in behaves; the subclass answers."""

    protocol_version = "HTTP/1.0"  # the body ends when the connection closes: streams need no chunking

    def log_message(self, *_args: object) -> None:
        pass

    @property
    def mode(self) -> str:
        return str(getattr(self.server, "mode", "ok"))

    def _json(self, status: int, body: object, content_type: str = "application/json") -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@contextmanager
def serving(handler: type[BaseHTTPRequestHandler], **attrs: Any) -> Iterator[ThreadingHTTPServer]:
    """``handler`` on a free port of 127.0.0.1 until the block ends; ``attrs`` are set on the server first."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    for name, value in attrs.items():
        setattr(server, name, value)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def url_of(server: ThreadingHTTPServer) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}"
