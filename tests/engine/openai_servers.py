"""Real OpenAI-compatible servers on 127.0.0.1 for the OpenAI engine's tests (studio/engine/openai_engine.py),
started and stopped by the tests:

* llama-cpp-python's own server (the ``llama-cpp-python[server]`` extra), started by
  tests/engine/llama_cpp_python_launcher.py with the default model (use_extra_bufts off: see the launcher);
* llama.cpp's llama-server (tests/engine/remote_server.py) spoken to only through its ``/v1`` endpoints, with the
  engine kind forced to "openai": the stand-in for vLLM, whose API it shares (``/v1/completions``,
  ``/v1/chat/completions``, ``n``, ``stream_options``, ``logprobs``), also behind a front that hides its /props
  (props_hidden), so that a ``studio`` process picks the OpenAI engine for it by itself.

A server that cannot start is a failure, never a skip.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from .remote_server import LlamaServer, ServerProcess
from .standin import StandIn, serving, url_of

LAUNCHER = Path(__file__).with_name("llama_cpp_python_launcher.py")
PY_N_CTX = 4096  # another size than llama-server's 8192: the engine must find it out, not assume it


class LlamaCppPythonServer(ServerProcess):
    """``llama_cpp.server`` serving ``model`` on a free port of 127.0.0.1."""

    name = "llama-cpp-python's server"

    def __init__(self, model: Path, *, n_ctx: int = PY_N_CTX, api_key: str | None = None,
                 log: Path | None = None) -> None:
        super().__init__(log)
        self.proc = subprocess.Popen(
            [sys.executable, str(LAUNCHER), str(model), str(self.port), str(n_ctx), *([api_key] if api_key else [])],
            stdout=self._log, stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"})  # its "Disconnected" line reaches the log at once
        self._wait_ready()


@pytest.fixture(scope="session")
def llama_cpp_python_server(default_model_path: Path,
                            tmp_path_factory: pytest.TempPathFactory) -> Iterator[LlamaCppPythonServer]:
    """The default model behind llama-cpp-python's server, once per session."""
    server = LlamaCppPythonServer(default_model_path, log=tmp_path_factory.mktemp("llama-cpp-python") / "log")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def py_server_engine(llama_cpp_python_server: LlamaCppPythonServer) -> Iterator[object]:
    """The OpenAI engine connected to llama-cpp-python's server (the factory picks it: no /props there)."""
    from studio.engine.servers import remote_engine_for

    engine = remote_engine_for(llama_cpp_python_server.url)
    engine.load(Path("unused"))
    yield engine
    engine.close()


@pytest.fixture(scope="session")
def v1_engine(llama_server: LlamaServer) -> Iterator[object]:
    """The OpenAI engine on llama-server's /v1 endpoints (kind forced: the factory would pick RemoteEngine)."""
    from studio.engine.servers import remote_engine_for

    engine = remote_engine_for(llama_server.url, kind="openai")
    engine.load(Path("unused"))
    yield engine
    engine.close()



class _HiddenPropsFront(StandIn):
    """Passes each request to ``server.client`` (the real server) unchanged, streams included, but /props."""

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        self._pass("GET")

    def do_POST(self) -> None:  # noqa: N802
        self._pass("POST")

    def _pass(self, method: str) -> None:
        if self.path.startswith("/props"):
            self._json(404, {"error": {"code": 404, "message": "File Not Found", "type": "not_found_error"}})
            return
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        headers = {k: v for k, v in self.headers.items() if k.lower() in ("content-type", "authorization")}
        client: httpx.Client = self.server.client  # type: ignore[attr-defined]
        with client.stream(method, self.path, content=body, headers=headers) as resp:
            self.send_response(resp.status_code)
            self.send_header("Content-Type", resp.headers.get("content-type", "application/json"))
            self.end_headers()
            for piece in resp.iter_raw():
                self.wfile.write(piece)
                self.wfile.flush()


@contextmanager
def props_hidden(upstream: str) -> Iterator[str]:
    """The address of a front for the real server at ``upstream`` that answers /props with 404: llama-server then
    looks like any other OpenAI-compatible server (studio/engine/servers.detect_kind asks /props), so a ``studio``
    process picks the OpenAI engine for it, as for vLLM. Everything else the engine gets is the real server's."""
    with httpx.Client(base_url=upstream, timeout=httpx.Timeout(120.0)) as client, \
            serving(_HiddenPropsFront, client=client) as server:
        yield url_of(server)
