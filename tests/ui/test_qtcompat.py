"""The guard against PySide6 6.12.0's lost references to None/True (see studio/ui/qtcompat.py).

The pin (PySide6 < 6.12) keeps the faulty bindings out, so the guard is checked two ways: the installed bindings
are measured to be sound (and the guard then leaves the interpreter alone), and bindings with the bug are
emulated, each call dropping one reference as 6.12.0's do, to show that the probe sees them and the guard keeps
a long session alive where, without it, Python aborts. Every check runs in its own interpreter: the counts of
None and True are process-wide, and a run that loses them aborts.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

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
# Bindings with 6.12.0's bug: every call hands back None (or True) without the reference it owes the caller.
BORROWING = '''
import ctypes, sys
sys.path.insert(0, {repo!r})
from studio.ui import qtcompat

drop = ctypes.pythonapi.Py_DecRef
drop.argtypes = [ctypes.py_object]
drop.restype = None

class BorrowingSignal:
    def emit(self):
        drop(True)
        return True

class BorrowingObject:
    def __init__(self):
        self.fired = BorrowingSignal()
    def setObjectName(self, name):
        drop(None)

qtcompat._Probe = BorrowingObject  # what the probe measures
print("borrows:", qtcompat.bindings_borrow_singletons())
before = sys.getrefcount(None)
print("guarded:", qtcompat.protect_singletons() if {guard} else "not asked")
print("added:", sys.getrefcount(None) - before)
obj = BorrowingObject()
for _ in range(300_000):  # far more than the references None and True have in a fresh interpreter
    obj.setObjectName("x")
    obj.fired.emit()
print("survived")
'''
SOUND = '''
import sys
sys.path.insert(0, {repo!r})
import PySide6
from studio.ui import qtcompat
print("version:", PySide6.__version__)
print("borrows:", qtcompat.bindings_borrow_singletons())
before = sys.getrefcount(None), sys.getrefcount(True)
print("guarded:", qtcompat.protect_singletons())
print("unchanged:", (sys.getrefcount(None), sys.getrefcount(True)) == before)
'''
MORTAL_SINGLETONS = sys.version_info < (3, 12)  # from 3.12 None and True are immortal and the guard stands aside


def _python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=False)


def _loop(guard: bool) -> subprocess.CompletedProcess[str]:
    return _python(LOOP.format(repo=str(REPO), guard=(
        "from studio.ui.qtcompat import protect_singletons; protect_singletons()\n" if guard else "")))


def test_a_long_session_of_calls_into_the_bindings_survives_with_the_guard():
    p = _loop(guard=True)
    assert p.returncode == 0 and "survived" in p.stdout, p.stderr[-2000:]


def test_the_pinned_bindings_are_sound_and_the_guard_leaves_them_alone():
    p = _python(SOUND.format(repo=str(REPO)))
    assert p.returncode == 0, p.stderr[-2000:]
    major, minor = (int(x) for x in p.stdout.split("version: ")[1].split(".")[:2])
    assert (major, minor) < (6, 12), "the pin in pyproject.toml keeps PySide6 below 6.12 (see qtcompat.py)"
    assert "borrows: False" in p.stdout, p.stdout  # measured: 6.11 and older keep their references
    assert "guarded: False" in p.stdout and "unchanged: True" in p.stdout, p.stdout


def test_bindings_that_borrow_are_detected_and_the_guard_keeps_the_session_alive():
    p = _python(BORROWING.format(repo=str(REPO), guard=True))
    assert p.returncode == 0 and "survived" in p.stdout, p.stderr[-2000:]
    if MORTAL_SINGLETONS:
        assert "borrows: True" in p.stdout and "guarded: True" in p.stdout, p.stdout
        added = int(p.stdout.split("added: ")[1].split()[0])
        assert added > (1 << 40) - 1000, p.stdout  # a reserve no session can use up (less the probe's calls)
    else:
        assert "borrows: False" in p.stdout and "guarded: False" in p.stdout, p.stdout


def test_without_the_guard_such_bindings_abort_python():
    # The control for the test above: the emulated bug is real enough to kill the interpreter unguarded.
    p = _python(BORROWING.format(repo=str(REPO), guard=False))
    if MORTAL_SINGLETONS:
        assert p.returncode != 0 and "survived" not in p.stdout, p.stdout
        assert "dealloc" in p.stderr, p.stderr[-2000:]
    else:
        assert p.returncode == 0 and "survived" in p.stdout, p.stderr[-2000:]
