"""One long-lived QThread that owns one worker object, as the engine thread and the save thread do.

The worker is moved to the thread at once, so its slots run there when reached through signals (Qt queues a
connection across threads by itself); the owner starts the thread once it has wired the worker, and ``stop`` lets
the slot running now return before the thread ends, so whatever it holds (a save, a model) is left whole.
"""

from __future__ import annotations

from typing import Generic, TypeVar

from PySide6.QtCore import QObject, QThread

_W = TypeVar("_W", bound=QObject)


class WorkerThread(Generic[_W]):
    def __init__(self, name: str, worker: _W) -> None:
        self._thread = QThread()
        self._thread.setObjectName(name)  # shown by debuggers and in thread dumps
        self.worker = worker
        worker.moveToThread(self._thread)

    @property
    def running(self) -> bool:
        return self._thread.isRunning()

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        """Quit the thread's event loop once the slot running now returns, and wait until the thread has ended."""
        self._thread.quit()
        self._thread.wait()
