"""The guard against PySide6 6.12.0's lost references to None/True (see studio/ui/qtcompat.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from studio.ui.qtcompat import bindings_borrow_singletons

REPO = Path(__file__).resolve().parents[2]
LOOP = (
    "import sys; sys.path.insert(0, {repo!r})\n"
    "from PySide6.QtCore import QObject, Signal\n"
    "{guard}"
    "class A(QObject):\n    s = Signal()\n"
    "a = A()\n"
    "for _ in range(300_000):\n    a.setObjectName('x'); a.s.emit()\n"
    "print('survived')\n"
)


def _run(guard: bool) -> subprocess.CompletedProcess[str]:
    code = LOOP.format(repo=str(REPO), guard=(
        "from studio.ui.qtcompat import protect_singletons; protect_singletons()\n" if guard else ""))
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)


def test_a_long_session_of_calls_into_the_bindings_survives_with_the_guard():
    p = _run(guard=True)
    assert p.returncode == 0 and "survived" in p.stdout, p.stderr[-2000:]


def test_the_guard_is_still_needed_on_these_bindings():
    # When this starts failing, the installed PySide6 is fixed and qtcompat can go.
    if sys.version_info >= (3, 12) or not bindings_borrow_singletons():
        pytest.skip("these bindings keep their references; the guard does nothing here")
    p = _run(guard=False)
    assert p.returncode != 0 and "dealloc" in p.stderr
