"""Real OpenAI-compatible servers on 127.0.0.1 for the OpenAI engine's tests (studio/engine/openai_engine.py),
started and stopped by the tests:

* llama-cpp-python's own server (the ``llama-cpp-python[server]`` extra), started by
  tests/engine/llama_cpp_python_launcher.py with the default model (use_extra_bufts off: see the launcher);
* llama.cpp's llama-server (tests/engine/remote_server.py) spoken to only through its ``/v1`` endpoints, with the
  engine kind forced to "openai": the stand-in for vLLM, whose API it shares (``/v1/completions``,
  ``/v1/chat/completions``, ``n``, ``stream_options``).

A server that cannot start is a failure, never a skip.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from .remote_server import LlamaServer, free_port

LAUNCHER = Path(__file__).with_name("llama_cpp_python_launcher.py")
PY_N_CTX = 4096  # another size than llama-server's 8192: the engine must find it out, not assume it


class LlamaCppPythonServer:
    """``llama_cpp.server`` serving ``model`` on a free port of 127.0.0.1."""

    def __init__(self, model: Path, *, n_ctx: int = PY_N_CTX, api_key: str | None = None,
                 log: Path | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log
        self._log = log.open("wb") if log is not None else subprocess.DEVNULL
        self.proc = subprocess.Popen(
            [sys.executable, str(LAUNCHER), str(model), str(self.port), str(n_ctx), *([api_key] if api_key else [])],
            stdout=self._log, stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"})  # its "Disconnected" line reaches the log at once
        self._wait_ready()

    def log_text(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace") if self.log_path else ""

    def _wait_ready(self, timeout: float = 120.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                tail = self.log_path.read_text(errors="replace")[-800:] if self.log_path else ""
                pytest.fail(f"llama-cpp-python's server exited with {self.proc.returncode} while starting: {tail}")
            try:
                if httpx.get(f"{self.url}/v1/models", timeout=2).status_code in (200, 401):
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        self.stop()
        pytest.fail(f"llama-cpp-python's server did not answer on {self.url} within {timeout:.0f} s")

    def kill(self) -> None:
        """Dies at once, mid-stream if one runs (SIGKILL: no goodbye to the client)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()
        if hasattr(self._log, "close"):
            self._log.close()


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
