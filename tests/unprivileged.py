"""Run one call where file permissions bite, also as root.

Root ignores file modes (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH), so as root a test of "this folder is read-only"
would pass through the success path, and CI runs as root. As root, :func:`call_unprivileged` runs the call in a
child process that has given up every capability before it starts (the bounding set is emptied, then the child
execs itself, so it begins with no capabilities at all): the kernel then checks the mode bits for it as for any
other owner, and a 0444 file of root's is read-only to it. The child keeps uid 0 on purpose: it can still reach
pytest's root-only temporary folders and a checkout in a private folder, where switching to another uid (65534)
could not; only the privilege to ignore modes is gone. As a normal user the call simply runs in this process.

The function and its arguments are pickled (so the function must be importable by name: a function of ``studio``
or a module-level function of a test module), and what it returns or raises comes back the same way.
"""

from __future__ import annotations

import ctypes
import io
import os
import pickle
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

REPO = Path(__file__).resolve().parent.parent
T = TypeVar("T")

_PR_CAPBSET_DROP = 24  # <linux/prctl.h>
_CAP_LAST = 63  # more than any kernel defines; prctl says EINVAL past its own last capability


def is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def call_unprivileged(func: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``func(*args, **kwargs)``, without the privilege to ignore file modes (see the module docstring)."""
    if not is_root():
        return func(*args, **kwargs)
    if not sys.platform.startswith("linux"):
        raise RuntimeError("running as root outside Linux: no way here to drop the privilege to ignore file modes")
    # sys.path first, on its own: the function's module can only be found once the child has the same path.
    payload = pickle.dumps(list(sys.path)) + pickle.dumps((func, args, kwargs))
    proc = subprocess.run([sys.executable, "-m", "tests.unprivileged", "drop"], input=payload, capture_output=True,
                          cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)}, timeout=300)
    if proc.returncode != 0:
        raise RuntimeError(f"the unprivileged child failed (exit {proc.returncode}):\n"
                           + proc.stderr.decode("utf-8", "replace")[-3000:])
    kind, value = pickle.loads(proc.stdout)
    if kind == "raised":
        raise value
    return value  # type: ignore[no-any-return]


def _effective_capabilities() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("CapEff:"):
            return int(line.split()[1], 16)
    raise RuntimeError("no CapEff line in /proc/self/status")


def _drop_and_exec() -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in range(_CAP_LAST + 1):
        if libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 and ctypes.get_errno() != 22:  # EINVAL: no such cap
            raise OSError(ctypes.get_errno(), f"prctl(PR_CAPBSET_DROP, {cap}) failed")
    # Capabilities a root process gets at exec are limited by the bounding set, now empty.
    os.execv(sys.executable, [sys.executable, "-m", "tests.unprivileged", "run"])


def _run() -> None:
    caps = _effective_capabilities()
    if caps != 0:
        raise SystemExit(f"refusing to run: the child still has capabilities {caps:#x}")
    stream = io.BytesIO(sys.stdin.buffer.read())
    sys.path[:0] = [p for p in pickle.load(stream) if p not in sys.path]  # test modules import as in the parent
    func, args, kwargs = pickle.load(stream)
    out, sys.stdout = sys.stdout, sys.stderr  # stdout carries only the pickled result
    try:
        result: tuple[str, Any] = ("returned", func(*args, **kwargs))
    except Exception as exc:  # noqa: BLE001 - whatever it raises is the parent's to judge
        result = ("raised", exc)
    out.buffer.write(pickle.dumps(result))


if __name__ == "__main__":
    _drop_and_exec() if sys.argv[1:] == ["drop"] else _run()
