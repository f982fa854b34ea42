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
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from .remote_server import LlamaServer, ServerProcess

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
