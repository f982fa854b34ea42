"""The Store: the one object the rest of Studio holds to reach the database.

``Store.open`` verifies, backs up and migrates the file, then seeds the built-ins. Work happens in short units
of work (one Session, one transaction); nothing returned from them is an ORM object, and nothing raised from
them is an SQLAlchemy or sqlite3 exception.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Self

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from studio.domain import DatabaseLockedError, StorageError, StudioError
from studio.domain.i18n import QT_TRANSLATE_NOOP, msg
from studio.paths import Paths, resources_dir
from studio.storage import migrate
from studio.storage.builtins import BuiltinCatalog, SeedReport, load_builtins, seed_builtins
from studio.storage.db import BEGIN_MODE, IMMEDIATE, create_engine
from studio.storage.errors import list_backups, translate
from studio.storage.repositories import (
    DraftRepository,
    GenerationRepository,
    LoreRepository,
    PresetRepository,
    RevisionRepository,
    SettingsRepository,
    StyleRepository,
)

if TYPE_CHECKING:
    from filelock import BaseFileLock

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class UnitOfWork:
    """The repositories of one transaction. Valid only inside ``with store.unit_of_work() as uow:``."""

    session: Session
    drafts: DraftRepository
    revisions: RevisionRepository
    presets: PresetRepository
    styles: StyleRepository
    generations: GenerationRepository
    settings: SettingsRepository
    lore: LoreRepository


class Store:
    """An open database. Thread-safe: each unit of work takes its own pooled connection."""

    def __init__(self, engine: Engine, path: Path, backups_dir: Path, builtins: BuiltinCatalog) -> None:
        self._engine: Engine | None = engine
        # Every unit of work begins IMMEDIATE (see db.py): it may read then write, and must not fail half way
        # because another process wrote in between.
        self._uow_engine = engine.execution_options(**{BEGIN_MODE: IMMEDIATE})
        self._path = path
        self._backups_dir = backups_dir
        self._builtins = builtins
        self.last_seed: SeedReport | None = None

    @classmethod
    def open(cls, paths: Paths, *, keep_backups: int = 5, resources: Path | None = None) -> Store:
        """Open (creating if needed) the database in ``paths``: verify, back up, migrate, seed built-ins.

        ``resources`` is the folder holding presets/ and styles/ (default: studio.paths.resources_dir()).
        Raises DatabaseCorruptError for a damaged or too-new file (left untouched), StorageError otherwise.
        """
        try:
            paths.ensure()
        except OSError as exc:
            raise StorageError(
                msg(QT_TRANSLATE_NOOP("messages", "Studio cannot create its data folder {root}: {reason}."),
                    root=paths.root, reason=str(exc.strerror or exc)),
                hint=msg(QT_TRANSLATE_NOOP("messages", "Check the folder's permissions, or choose another one with "
                                                       "--data-dir.")),
            ) from exc
        path = paths.database
        # Read the built-ins first: a broken resource file should stop us before anything touches the database.
        catalog = load_builtins(resources if resources is not None else resources_dir())
        _check_writable(path)
        try:
            migrate.upgrade(path, paths.backups, keep=keep_backups)
            engine = create_engine(path, backups_dir=paths.backups)
        except StudioError:
            raise
        except (SQLAlchemyError, sqlite3.Error) as exc:
            raise translate(exc, path=path, backups_dir=paths.backups) from exc
        store = cls(engine, path, paths.backups, catalog)
        try:
            with store.unit_of_work() as uow:
                store.last_seed = seed_builtins(uow.session, catalog)
        except BaseException:
            store.close()
            raise
        log.info("opened %s", path)
        return store

    @property
    def path(self) -> Path:
        return self._path

    @property
    def builtins(self) -> BuiltinCatalog:
        """The shipped preset and style definitions this store was seeded from."""
        return self._builtins

    @property
    def closed(self) -> bool:
        return self._engine is None

    def backups(self) -> list[Path]:
        """Backups of this database, newest first."""
        return list_backups(self._backups_dir)

    @contextmanager
    def unit_of_work(self, *, readonly: bool = False) -> Iterator[UnitOfWork]:
        """One transaction: commits when the block ends, rolls back if it raises.

        Failures arrive as StorageError subclasses (ConflictError, DatabaseCorruptError...), never as SQLAlchemy
        or sqlite3 types. Keep the block short: it holds the database's write lock. ``readonly=True`` begins a
        plain (deferred) transaction instead: under WAL a reader never waits for a writer, so the window's reads
        do not stall behind a long autosave on another thread.
        """
        if self._engine is None:
            raise StorageError(msg(QT_TRANSLATE_NOOP("messages", "The database is closed.")))
        # expire_on_commit=False: repositories already returned plain dataclasses; nothing needs reloading.
        session = Session(bind=self._engine if readonly else self._uow_engine, expire_on_commit=False)
        uow = UnitOfWork(
            session=session,
            drafts=DraftRepository(session),
            revisions=RevisionRepository(session),
            presets=PresetRepository(session, self._builtins),
            styles=StyleRepository(session, self._builtins),
            generations=GenerationRepository(session),
            settings=SettingsRepository(session),
            lore=LoreRepository(session),
        )
        try:
            yield uow
            session.commit()
        except StudioError:
            self._rollback(session)
            raise
        except (SQLAlchemyError, sqlite3.Error) as exc:
            self._rollback(session)
            raise translate(exc, path=self._path, backups_dir=self._backups_dir) from exc
        except BaseException:
            self._rollback(session)
            raise
        finally:
            session.close()

    @staticmethod
    def _rollback(session: Session) -> None:
        # The original failure is what the writer needs to see; a failing rollback (the connection is gone, say)
        # is only logged. SQLite discards an unfinished transaction on its own.
        try:
            session.rollback()
        except Exception:
            log.warning("rollback failed", exc_info=True)

    def close(self) -> None:
        """Close every pooled connection (SQLite checkpoints the WAL when the last one closes)."""
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None
            log.info("closed %s", self._path)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({str(self._path)!r}{', closed' if self.closed else ''})"


def _check_writable(path: Path) -> None:
    """Refuse, at start-up and in words, a database Studio could read but never save to.

    Without this a read-only file (permissions, ``chattr +i``, a read-only disk) opens fine and the writer only
    learns of it at the first autosave, with text already typed. SQLite also needs to create the -wal and -shm
    files beside it, so the folder must be writable too.
    """
    import os
    import tempfile

    where = path if path.exists() else path.parent
    try:
        if path.exists():
            os.close(os.open(path, os.O_RDWR))
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".studio-write-check-"):
            pass
    except OSError as exc:
        raise StorageError(
            msg(QT_TRANSLATE_NOOP("messages", "Studio cannot save to {where}: it is read-only ({reason}). Nothing "
                                              "was changed."), where=where, reason=str(exc.strerror or exc)),
            hint=msg(QT_TRANSLATE_NOOP("messages", "Make it writable (permissions, a read-only disk, or chattr -i), "
                                                   "or start with --data-dir on a copy in a writable folder.")),
        ) from exc


def acquire_instance_lock(paths: Paths) -> BaseFileLock:
    """Take the data folder's single-window lock without waiting; release it with ``lock.release()``.

    Raises DatabaseLockedError when another Studio window holds it. Only the GUI takes this lock: the CLI may
    run beside a window, which WAL, the busy timeout and draft versions make safe.
    """
    from filelock import FileLock, Timeout

    try:
        paths.root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError(msg(QT_TRANSLATE_NOOP("messages", "Studio cannot create its data folder {root}: {reason}."),
                               root=paths.root, reason=str(exc.strerror or exc))) from exc
    # thread_local=False: the window may release the lock from a different thread than the one that took it.
    lock = FileLock(str(paths.lock_file), thread_local=False)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        raise DatabaseLockedError(
            msg(QT_TRANSLATE_NOOP("messages", "Studio is already open on {root} (another window holds it)."),
                root=paths.root),
            hint=msg(QT_TRANSLATE_NOOP("messages", "Switch to that window, or start this one with another "
                                                   "--data-dir.")),
        ) from None
    except OSError as exc:
        raise StorageError(msg(QT_TRANSLATE_NOOP("messages", "Studio cannot create its lock file {lock_file}: "
                                                             "{reason}."),
                               lock_file=paths.lock_file, reason=str(exc.strerror or exc))) from exc
    return lock
