"""Background work other than generation (diffs, imports, exports, the pronunciation dictionary), as Anki's
``aqt/operations`` does it: the work runs off the UI thread, its result comes back on the UI thread, a newer
operation with the same key makes the older one's result stale (dropped, never shown), and every failure goes to
one presenter, the ``failed`` signal, which the window wires to its message dialog.

The generation engine has its own thread (worker.py) and the autosave its own ordered saver (saver.py); neither
goes through here.

The work runs on a daemon thread, so quitting with an operation in flight neither waits for it nor leaves a thread
that keeps the process alive; its late result is dropped.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Signal, Slot

from studio.domain import StudioError
from studio.domain.i18n import QT_TRANSLATE_NOOP
from studio.ui.i18n import error_text

log = logging.getLogger(__name__)

# English, marked for translation; failure_text gives it in the window's language.
GENERIC_FAILURE = QT_TRANSLATE_NOOP("Operations", "Something went wrong. The details are in Studio's log.")


class Op:
    """One operation: ``done`` once its result (or failure) reached the UI thread, or it was dropped as stale.

    There is deliberately no way to wait for it: a caller that needs the result takes it in ``on_done``, so the
    UI thread never stands still (and the writer's keys are never held) while files are read or written.
    """

    def __init__(self, number: int, key: str | None, title: str) -> None:
        self.number = number
        self.key = key
        self.title = title  # the heading of the message the writer sees if it fails
        self.done = False
        self.ok = False
        self.stale = False
        self.result: Any = None
        self.error: BaseException | None = None

    def _finish(self) -> None:
        self.done = True


class Operations(QObject):
    """Runs operations for one window (or, via ``shared()``, for the process)."""

    failed = Signal(str, str)  # title, the text for the writer (never a traceback)
    _finished = Signal(object, bool, object)  # Op, ok, result or exception: queued from the worker thread

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._numbers = itertools.count(1)
        self._latest: dict[str, int] = {}  # key -> number of the newest operation with that key
        self._callbacks: dict[int, tuple[Callable[[Any], None] | None, Callable[[BaseException], None] | None]] = {}
        self._closed = False
        self._finished.connect(self._on_finished)

    def run_in_background(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None] | None = None,
        *,
        key: str | None = None,
        title: str | None = None,
        on_failed: Callable[[BaseException], None] | None = None,
    ) -> Op:
        """Run ``fn()`` on a worker thread; ``on_done(result)`` runs on the UI thread unless a newer operation with
        the same ``key`` started meanwhile. A failure goes to ``failed`` (titled ``title``), then to ``on_failed``
        (for the caller's own clean-up), unless it is stale too. Without a ``title``, a generic one."""
        if title is None:
            title = QCoreApplication.translate("Operations", "That did not work")
        op = Op(next(self._numbers), key, title)
        if key is not None:
            self._latest[key] = op.number
        self._callbacks[op.number] = (on_done, on_failed)
        finished = self._finished

        def work() -> None:
            try:
                result = fn()
            except BaseException as exc:  # noqa: BLE001 - every failure is reported on the UI thread
                if not isinstance(exc, StudioError):
                    # Logged here, with its traceback, where it happened; the writer gets a plain sentence.
                    log.error("background operation %r failed", title, exc_info=exc)
                with contextlib.suppress(RuntimeError):  # the window, and this object, went first
                    finished.emit(op, False, exc)
                return
            with contextlib.suppress(RuntimeError):
                finished.emit(op, True, result)

        threading.Thread(target=work, name=f"studio-op-{key or op.number}", daemon=True).start()
        return op

    def report(self, title: str, error: BaseException | str) -> None:
        """Send a failure that is not an exception (some files of an import) to the same presenter."""
        self.failed.emit(title, failure_text(error))

    def drop(self, key: str) -> None:
        """Make the operations with ``key`` in flight stale (what they would show is gone)."""
        self._latest.pop(key, None)

    def is_stale(self, op: Op) -> bool:
        return self._closed or (op.key is not None and self._latest.get(op.key) != op.number)

    def shutdown(self) -> None:
        """Drop every result still to come (the window is closing)."""
        self._closed = True
        self._callbacks.clear()

    @Slot(object, bool, object)
    def _on_finished(self, op: Op, ok: bool, value: Any) -> None:
        on_done, on_failed = self._callbacks.pop(op.number, (None, None))
        try:
            if self.is_stale(op):
                op.stale = True
                log.debug("dropped the stale result of %r (operation %d)", op.title, op.number)
                return
            op.ok = ok
            if ok:
                op.result = value
                if on_done is not None:
                    on_done(value)
            else:
                op.error = value
                self.failed.emit(op.title, failure_text(value))
                if on_failed is not None:
                    on_failed(value)
        finally:
            op._finish()


def failure_text(error: BaseException | str) -> str:
    """What the writer reads, in the window's language: a StudioError says what went wrong in words; anything else
    is a bug, which the log has in full, so the writer gets one generic sentence."""
    if isinstance(error, str):
        return error
    if isinstance(error, StudioError):
        return error_text(error)
    return QCoreApplication.translate("Operations", GENERIC_FAILURE)


_shared: Operations | None = None


def shared() -> Operations:
    """The process's operations, for work that belongs to no window (the dictionary warm-up). Made on the UI
    thread on first use, owned by the application."""
    global _shared
    app = QCoreApplication.instance()
    owner: object = None
    if _shared is not None:
        with contextlib.suppress(RuntimeError):  # an application made before this one took it along
            owner = _shared.parent()
    if _shared is None or owner is not app:
        _shared = Operations(app)
    return _shared
