"""Helpers every fault family uses: the full/CI switch, child-process environments, hashes, message checks."""

from __future__ import annotations

import hashlib
import os
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
PYTHON = sys.executable
FULL_ENV = "STUDIO_FAULTS_FULL"


def full_run() -> bool:
    """True when the full fault sets should run (STUDIO_FAULTS_FULL=1); CI runs reduced, deterministic ones."""
    return os.environ.get(FULL_ENV, "").strip().lower() in ("1", "true", "yes", "on")


def timeout_s() -> int:
    """pytest-timeout seconds for one fault test: the suite's 300 s, or an hour for a full set."""
    return 3600 if full_run() else 300


def pick(ci: int, full: int) -> int:
    return full if full_run() else ci


def child_env(home: Path | None = None, **extra: str) -> dict[str, str]:
    """The environment for a Studio child process: this checkout importable, its own data folder, no Qt display,
    the shared model cache (so the 250 MB default model is never assembled twice)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["PYTHONUNBUFFERED"] = "1"
    env["PYTHONFAULTHANDLER"] = "1"  # a crash in a child leaves a native traceback on its stderr
    env.setdefault("STUDIO_MODEL_CACHE", str(REPO / ".studio-test-cache" / "models"))
    if home is not None:
        env["STUDIO_HOME"] = str(home)
    env.update(extra)
    return env


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(1 << 20):
            h.update(block)
    return h.hexdigest()


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


# Python exception class names and traceback debris a writer should never read.
_PY_LEAK = re.compile(
    r"Traceback \(most recent call last\)|\b(?:[A-Z][A-Za-z]*(?:Error|Exception)|struct\.error|KeyError|"
    r"StopIteration|OverflowError|MemoryError|UnicodeDecodeError|sqlite3\.|sqlalchemy\.|"
    r"llama_cpp\.|File \"[^\"]+\", line \d+)\b"
)


def python_leaks(message: str) -> list[str]:
    """Python exception names or traceback fragments found in a message meant for a writer."""
    return sorted({m.group(0) for m in _PY_LEAK.finditer(message)})


def readable_problems(message: str, *, must_mention: str | None = None, max_len: int = 600) -> list[str]:
    """Why ``message`` is not a good error for a writer (empty list: it is fine)."""
    problems = []
    text = message.strip()
    if not text:
        problems.append("empty message")
    if len(text) > max_len:
        problems.append(f"{len(text)} characters long")
    leaks = python_leaks(text)
    if leaks:
        problems.append(f"shows Python internals {leaks}")
    if must_mention and must_mention not in text:
        problems.append(f"does not mention {must_mention!r}")
    return problems
