"""Progress lines from inside a Studio child process, so the crash tests kill it at chosen points of its work.

A driver calls ``install()`` before it opens Studio. From then on the child writes, on the file descriptor named
by ``STUDIO_FAULTS_TRACE_FD`` (a pipe the parent reads), one line as each phase begins and one when it ended:

    BEGIN <phase>
    RESULT <phase> <seconds>

Phases: ``open`` (Store.open as a whole), ``backup`` (the copy made before start-up), ``migration`` (from the
moment Alembic starts upgrading until the migration's transaction is committed), ``seed`` (the built-ins' write
inside Store.open) and ``write`` (every other unit of work that may write, from before its BEGIN IMMEDIATE until
after its commit). Drivers add their own lines through ``emit`` (``SAVED ...``, ``BEGIN streaming``, ...) and end
with ``DONE`` when they finish by themselves.

Each line is one ``os.write`` of well under PIPE_BUF bytes: atomic (threads never interleave inside a line) and
unbuffered, so a line written before a SIGKILL always reaches the parent, and a phase whose RESULT is missing was
still running when the kill landed. The hooks wrap Studio's own functions; nothing about what they do changes.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

TRACE_FD_ENV = "STUDIO_FAULTS_TRACE_FD"

_fd: int | None = None
_state = threading.local()


def emit(line: str) -> None:
    """One progress line to the parent (or nowhere, when the child runs without a trace pipe)."""
    if _fd is not None:
        os.write(_fd, (line.replace("\n", " ") + "\n").encode("utf-8", "replace"))


@contextlib.contextmanager
def phase(name: str) -> Iterator[None]:
    """BEGIN before the block, RESULT with its duration after it (only if it ended without raising)."""
    emit(f"BEGIN {name}")
    started = time.perf_counter()
    yield
    emit(f"RESULT {name} {time.perf_counter() - started:.6f}")


def _in_open() -> bool:
    return getattr(_state, "open", 0) > 0


def install() -> None:
    """Open the trace pipe and wrap Store.open, the backup, the migration and every writing unit of work."""
    global _fd
    fd = os.environ.get(TRACE_FD_ENV)
    _fd = int(fd) if fd else None
    if getattr(install, "done", False):
        return
    install.done = True  # type: ignore[attr-defined]

    import alembic.command

    from studio.storage import migrate
    from studio.storage.store import Store

    open_store = Store.open.__func__  # type: ignore[attr-defined]

    def traced_open(cls: type[Store], *args: Any, **kwargs: Any) -> Store:
        _state.open = getattr(_state, "open", 0) + 1
        try:
            with phase("open"):
                return open_store(cls, *args, **kwargs)
        finally:
            _state.open -= 1

    Store.open = classmethod(traced_open)  # type: ignore[assignment,method-assign]

    backup = migrate.backup_database

    def traced_backup(*args: Any, **kwargs: Any) -> Any:
        with phase("backup"):
            return backup(*args, **kwargs)

    migrate.backup_database = traced_backup  # type: ignore[assignment]

    # BEGIN when Alembic starts (after its imports and the engine), RESULT once _run_alembic has committed.
    upgrade: Callable[..., Any] = alembic.command.upgrade
    started: dict[str, float] = {}

    def traced_upgrade(*args: Any, **kwargs: Any) -> Any:
        emit("BEGIN migration")
        started["t"] = time.perf_counter()
        return upgrade(*args, **kwargs)

    alembic.command.upgrade = traced_upgrade  # type: ignore[assignment]
    run_alembic = migrate._run_alembic

    def traced_run_alembic(*args: Any, **kwargs: Any) -> None:
        run_alembic(*args, **kwargs)
        emit(f"RESULT migration {time.perf_counter() - started.get('t', time.perf_counter()):.6f}")

    migrate._run_alembic = traced_run_alembic  # type: ignore[assignment]

    unit_of_work = Store.unit_of_work

    @contextlib.contextmanager
    def traced_uow(self: Store, *, readonly: bool = False) -> Iterator[Any]:
        if readonly:
            with unit_of_work(self, readonly=True) as uow:
                yield uow
            return
        with phase("seed" if _in_open() else "write"), unit_of_work(self) as uow:
            yield uow

    Store.unit_of_work = traced_uow  # type: ignore[assignment,method-assign]
