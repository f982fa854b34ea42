"""A guard against a reference-counting bug in the Qt bindings (PySide6 6.12.0 on Python older than 3.12).

Those wheels hand back ``None`` (from every method that returns nothing: ``setObjectName``, ``QTimer.start``,
``processEvents``...) and ``True`` (from ``Signal.emit``) without taking a reference, as is correct only where
those objects are immortal (Python 3.12+). On Python 3.11 each such call takes one reference away from
``None``/``True``; after some minutes of use (thousands of calls) the count reaches zero and the interpreter
aborts with "Fatal Python error: none_dealloc" or "bool_dealloc", taking the window with it.

The fix belongs in the bindings (PySide6 6.11 is not affected; pin below 6.12 on Python 3.11). Until then,
:func:`protect_singletons` measures whether the installed bindings have the bug and, only then, gives ``None``,
``True`` and ``False`` so many references that they cannot run out, which is what Python 3.12 does for them.
"""

from __future__ import annotations

import ctypes
import logging
import sys

from PySide6.QtCore import QObject, Signal

log = logging.getLogger(__name__)

_RESERVE = 1 << 40  # references added once; a billion calls a second would need weeks to use them up
_protected = False


class _Probe(QObject):
    fired = Signal()


def bindings_borrow_singletons() -> bool:
    """Whether calls into the bindings take references away from None or True (measured, not guessed)."""
    probe = _Probe()
    n_none, n_true = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(16):
        probe.setObjectName("probe")  # returns None
        probe.fired.emit()  # returns True
    # Ints taken before and after: each correct call leaves the counts as they were.
    return sys.getrefcount(None) < n_none or sys.getrefcount(True) < n_true


def _add_references(obj: object, n: int) -> bool:
    # ob_refcnt is the first field of every object in a release build of CPython 3.11; check before writing.
    cell = ctypes.c_ssize_t.from_address(id(obj))
    if abs(cell.value - (sys.getrefcount(obj) - 1)) > 2:
        return False
    cell.value += n
    return True


def protect_singletons() -> bool:
    """Apply the guard if this interpreter and these bindings need it. Safe to call more than once."""
    global _protected
    if _protected or sys.version_info >= (3, 12):  # 3.12+: None, True and False are immortal already
        return _protected
    if not bindings_borrow_singletons():
        return False
    import PySide6

    done = all(_add_references(o, _RESERVE) for o in (None, True, False))
    _protected = done
    if done:
        log.warning(
            "PySide6 %s on Python %s loses references to None/True on every call; guarded. Use PySide6 < 6.12 "
            "(or Python 3.12+) to be rid of this.", PySide6.__version__, sys.version.split()[0]
        )
    else:
        log.error("PySide6 %s loses references to None/True and the guard could not be applied; the window may "
                  "abort after long use. Install PySide6 < 6.12.", PySide6.__version__)
    return done
