"""A real llama.cpp ``llama-server`` on 127.0.0.1 for the remote-engine tests, started and stopped by the tests.

The binary is built from the llama.cpp vendored in the pinned llama-cpp-python sdist by scripts/build_llama_tool
(cached by version under .studio-test-cache/; scripts/test has scripts/setup build it ahead of time). A missing
build is a failure, never a skip. ``--no-repack``: llama.cpp's extra (repacked) weight buffers fault on this
machine's CPU.
``--swa-full``: Gemma 3 has sliding-window layers; without a full-size SWA cache the server can only go back to its
context checkpoints and re-read the last tokens of a draft it switched back to (measured: 5 of 90), with it the
slot is cut exactly where the prompts differ, as the local engine does (llama-cpp-python keeps swa_full on).
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

REPO = Path(__file__).resolve().parents[2]
SLOTS = 2
N_CTX = 8192  # per slot with --kv-unified off: the server gets N_CTX * SLOTS, each slot N_CTX like the local engine


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def llama_server_binary() -> Path:
    proc = subprocess.run([str(REPO / "scripts" / "build_llama_tool"), "llama-server"], capture_output=True, text=True,
                          check=False, timeout=3600)
    exe = Path(proc.stdout.strip().splitlines()[-1]) if proc.stdout.strip() else None
    if proc.returncode != 0 or exe is None or not exe.is_file():
        pytest.fail("llama-server could not be built (./scripts/test builds it first; or STUDIO_SETUP_TESTS=1 "
                    f"./scripts/setup): {proc.stderr.strip()[-600:]}")
    return exe


class ServerProcess:
    """A model server process on a free port of 127.0.0.1 that the tests start, wait for, kill and stop. Subclasses
    start ``self.proc`` and call ``_wait_ready``."""

    name = "the server"
    proc: subprocess.Popen[bytes]

    def __init__(self, log: Path | None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log
        self._log = log.open("wb") if log is not None else subprocess.DEVNULL

    def log_text(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace") if self.log_path else ""

    def _wait_ready(self, timeout: float = 120.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                pytest.fail(f"{self.name} exited with {self.proc.returncode} while starting: {self.log_text()[-800:]}")
            try:
                if httpx.get(f"{self.url}/v1/models", timeout=2).status_code in (200, 401):  # 401: --api-key
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        self.stop()
        pytest.fail(f"{self.name} did not answer on {self.url} within {timeout:.0f} s")

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


class LlamaServer(ServerProcess):
    """One llama-server process serving ``model`` on a free port of 127.0.0.1."""

    name = "llama-server"

    def __init__(self, exe: Path, model: Path, *, slots: int = SLOTS, n_ctx: int = N_CTX, log: Path | None = None,
                 extra: tuple[str, ...] = ()) -> None:
        super().__init__(log)
        threads = str(min(2, os.cpu_count() or 2))
        self.proc = subprocess.Popen(
            [str(exe), "-m", str(model), "--host", "127.0.0.1", "--port", str(self.port), "-np", str(slots),
             "-c", str(n_ctx * slots), "--no-repack", "--swa-full", "-t", threads, "-tb", threads, "--no-webui",
             *extra],
            stdout=self._log, stderr=subprocess.STDOUT)
        self._wait_ready()

    def slots(self) -> list[dict[str, object]]:
        data = httpx.get(f"{self.url}/slots", timeout=5).json()
        assert isinstance(data, list), data
        return data

    def released_tokens(self) -> list[int]:
        """The slot's token count (prompt + generated) at each release, from the server's log, oldest first."""
        assert self.log_path is not None, "start the server with a log to read its releases"
        text = self.log_path.read_text(encoding="utf-8", errors="replace")
        return [int(m) for m in re.findall(r"stop processing: n_tokens = (\d+)", text)]


@pytest.fixture(scope="session")
def llama_server_exe() -> Path:
    return llama_server_binary()


@pytest.fixture(scope="session")
def llama_server(llama_server_exe: Path, default_model_path: Path,
                 tmp_path_factory: pytest.TempPathFactory) -> Iterator[LlamaServer]:
    """The default model behind llama-server with two slots, once per session."""
    server = LlamaServer(llama_server_exe, default_model_path, log=tmp_path_factory.mktemp("llama-server") / "log")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def remote_engine(llama_server: LlamaServer) -> Iterator[object]:
    from studio.engine.remote import RemoteEngine

    engine = RemoteEngine(llama_server.url)
    engine.load(Path("unused"))
    yield engine
    engine.close()
