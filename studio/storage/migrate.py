"""Start-up checks for the database file: verify it, copy it aside, then migrate it to the newest schema.

A damaged file, or one from a newer Studio, is never opened for writing: the writer gets a DatabaseCorruptError
naming the file and the backups to restore from, and the bytes on disk stay exactly as they were.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from studio.domain import StorageError
from studio.domain.i18n import QT_TRANSLATE_NOOP, msg
from studio.storage.errors import BACKUP_PATTERN, corrupt_error, list_backups, translate

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory
    from sqlalchemy.engine import Connection

log = logging.getLogger(__name__)

SQLITE_MAGIC = b"SQLite format 3\x00"
SQLITE_HEADER_SIZE = 100
# Long enough for a slow disk to finish someone else's upgrade; short enough that a stuck lock gets reported.
MIGRATE_LOCK_TIMEOUT_S = 120.0


@dataclass(frozen=True)
class UpgradeResult:
    """What ``upgrade`` did: the backup it made (if any) and the schema revision before and after."""

    backup: Path | None
    from_revision: str | None
    to_revision: str

    @property
    def migrated(self) -> bool:
        return self.from_revision != self.to_revision


def migrations_dir() -> Path:
    return Path(__file__).resolve().parent / "migrations"


def alembic_config(*, connection: Connection | None = None, url: str | None = None) -> Config:
    """An Alembic Config built in code (no alembic.ini), pointing at the migrations inside the package."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    if url:
        cfg.set_main_option("sqlalchemy.url", url)
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def script_directory() -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    head = script_directory().get_current_head()
    if head is None:  # pragma: no cover - the package always ships revisions
        raise StorageError(msg(QT_TRANSLATE_NOOP("messages", "Studio's database migrations are missing from the "
                                                             "installation.")))
    return head


def known_revisions() -> set[str]:
    return {script.revision for script in script_directory().walk_revisions()}


def upgrade(db_path: Path | str, backups_dir: Path | str, keep: int = 5) -> UpgradeResult:
    """Verify ``db_path``, back it up into ``backups_dir`` (keeping the newest ``keep``), migrate it to head.

    A missing or empty file becomes a new database. No backup is made when the file has not changed since the
    newest one (except before a migration); ``keep=0`` turns backups off. Runs under a file lock
    (``<db>.migrate.lock``) so two Studios starting together do not migrate the same file at once.
    """
    from filelock import FileLock, Timeout

    db_path = Path(db_path)
    backups_dir = Path(backups_dir)
    try:
        db_path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError(msg(QT_TRANSLATE_NOOP("messages", "Studio cannot create the data folder {parent}: "
                                                             "{reason}."),
                               parent=db_path.parent, reason=str(exc.strerror or exc))) from exc

    lock = FileLock(f"{db_path}.migrate.lock", timeout=MIGRATE_LOCK_TIMEOUT_S)
    try:
        lock.acquire()
    except Timeout as exc:
        raise StorageError(
            msg(QT_TRANSLATE_NOOP("messages", "Another Studio has been upgrading {db_path} for over "
                                              "{migrate_lock_timeout_s:.0f} seconds."),
                db_path=db_path, migrate_lock_timeout_s=MIGRATE_LOCK_TIMEOUT_S),
            hint=msg(QT_TRANSLATE_NOOP("messages", "If no other Studio is running, delete {lock_file} and start "
                                                   "again."), lock_file=lock.lock_file),
        ) from exc
    except OSError as exc:
        raise StorageError(msg(QT_TRANSLATE_NOOP("messages", "Studio cannot create a lock file next to {db_path}: "
                                                             "{reason}."),
                               db_path=db_path, reason=str(exc.strerror or exc))) from exc
    try:
        return _upgrade_locked(db_path, backups_dir, keep)
    finally:
        lock.release()


def _upgrade_locked(db_path: Path, backups_dir: Path, keep: int) -> UpgradeResult:
    head = head_revision()
    current: str | None = None
    backup: Path | None = None
    if db_path.exists() and db_path.stat().st_size == 0 and list_backups(backups_dir):
        # A database that lost every byte while backups of it exist was damaged (a failing disk, a sync tool), not
        # never used: starting afresh in it would hide that the writer's library is in the backups.
        raise corrupt_error(db_path, backups_dir, msg(QT_TRANSLATE_NOOP("messages", "is empty (0 bytes), although "
                                                                                    "Studio has backups of it.")))
    if db_path.exists() and db_path.stat().st_size > 0:
        current = verify_database(db_path, backups_dir)
        # A start that changed nothing since the newest backup (say, a CLI "list") makes no new copy: it would
        # only push an older, different backup out of the `keep` window. Before a migration we always copy.
        if keep > 0 and (current != head or not _unchanged_since_last_backup(db_path, backups_dir)):
            try:
                backup = backup_database(db_path, backups_dir)
                prune_backups(backups_dir, keep)
            except (OSError, sqlite3.Error) as exc:
                if current != head:
                    # Never change the schema of a file we could not copy aside first.
                    raise StorageError(
                        msg(QT_TRANSLATE_NOOP("messages", "Studio could not back up {db_path} into {backups_dir} "
                                                          "before upgrading it: {reason}."),
                            db_path=db_path, backups_dir=backups_dir, reason=str(exc)),
                        hint=msg(QT_TRANSLATE_NOOP("messages", "Free some disk space or check the folder's "
                                                               "permissions, then start again.")),
                    ) from exc
                log.warning("could not back up %s into %s: %s", db_path, backups_dir, exc)
    if current != head:
        log.info("migrating %s from %s to %s", db_path, current or "an empty database", head)
        _run_alembic(db_path, backups_dir)
    return UpgradeResult(backup=backup, from_revision=current, to_revision=head)


def _unchanged_since_last_backup(db_path: Path, backups_dir: Path) -> bool:
    """True when neither the file nor its WAL was written after the newest backup was made.

    Strictly older: on file systems with coarse timestamps a write in the same tick counts as a change.
    """
    backups = list_backups(backups_dir)
    if not backups:
        return False
    try:
        backup_time = backups[0].stat().st_mtime_ns
        db_time = db_path.stat().st_mtime_ns
        wal = db_path.with_name(db_path.name + "-wal")
        # Any connection, even our read-only check, creates an empty WAL; only one with frames holds changes.
        if wal.exists() and (wal_stat := wal.stat()).st_size > 0:
            db_time = max(db_time, wal_stat.st_mtime_ns)
    except OSError:
        return False
    return db_time < backup_time


def verify_database(db_path: Path, backups_dir: Path | None = None) -> str | None:
    """Check a non-empty database file without writing to it; return its Alembic revision.

    None means a valid SQLite file with no tables yet. Raises DatabaseCorruptError when the file is not SQLite,
    fails SQLite's quick_check, is an SQLite file Studio did not make, or was made by a newer Studio.
    """
    try:
        with db_path.open("rb") as fh:
            header = fh.read(SQLITE_HEADER_SIZE)
    except OSError as exc:
        raise StorageError(msg(QT_TRANSLATE_NOOP("messages", "Studio cannot read the database {db_path}: {reason}."),
                               db_path=db_path, reason=str(exc.strerror or exc))) from exc
    if len(header) < SQLITE_HEADER_SIZE or not header.startswith(SQLITE_MAGIC):
        raise corrupt_error(db_path, backups_dir, msg(QT_TRANSLATE_NOOP("messages", "is not an SQLite database, or its "
                                                                                    "first page is damaged.")))

    with _read_only(db_path, backups_dir) as conn:
        try:
            problems = [str(r[0]) for r in conn.execute("PRAGMA quick_check(5)").fetchall()]
            if problems != ["ok"]:
                # SQLite's report spans lines ("*** in database main ***\nPage 5: ..."); the message's first
                # line must read on its own, so the detail goes on one line.
                detail = "; ".join(" ".join(p.split()) for p in problems)
                raise corrupt_error(db_path, backups_dir,
                                    msg(QT_TRANSLATE_NOOP("messages", "is damaged (SQLite's check found: {detail})."),
                                        detail=detail))
            tables = {str(r[0]) for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()}
            if "alembic_version" not in tables:
                if tables - {"sqlite_sequence"}:
                    raise corrupt_error(
                        db_path,
                        backups_dir,
                        msg(QT_TRANSLATE_NOOP("messages", "is an SQLite database, but not one Studio made.")),
                        advice=msg(QT_TRANSLATE_NOOP("messages", "Studio left it untouched; move it aside or choose "
                                                                 "another data folder with --data-dir.")),
                    )
                return None
            revisions = [str(r[0]) for r in conn.execute("SELECT version_num FROM alembic_version").fetchall()]
        except sqlite3.Error as exc:
            raise translate(exc, path=db_path, backups_dir=backups_dir) from exc

    if not revisions:
        return None
    known = known_revisions()
    unknown = [r for r in revisions if r not in known]
    if unknown:
        raise corrupt_error(
            db_path,
            backups_dir,
            msg(QT_TRANSLATE_NOOP("messages", "was made by a newer Studio (database revision {unknown}; this Studio "
                                              "knows up to {head})."),
                unknown=", ".join(unknown), head=head_revision()),
            advice=msg(QT_TRANSLATE_NOOP("messages", "Studio left it untouched. Update Studio, or open one of the "
                                                     "older backups with this version.")),
        )
    if len(revisions) > 1:  # pragma: no cover - our chain is linear; a fork means someone edited the file
        raise corrupt_error(db_path, backups_dir, msg(QT_TRANSLATE_NOOP("messages", "records several schema revisions "
                                                                                    "({revisions})."),
                                                      revisions=", ".join(revisions)))
    return revisions[0]


@contextmanager
def _read_only(db_path: Path, backups_dir: Path | None) -> Iterator[sqlite3.Connection]:
    """A connection that cannot write the file: mode=ro, so checking a damaged file never makes it worse."""
    uri = f"{db_path.resolve().as_uri()}?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=5)
    except sqlite3.Error as exc:
        raise translate(exc, path=db_path, backups_dir=backups_dir) from exc
    try:
        yield conn
    finally:
        conn.close()


def backup_database(db_path: Path, backups_dir: Path) -> Path:
    """Copy ``db_path`` to ``backups_dir/studio-YYYYMMDD-HHMMSS[-n].sqlite3`` (UTC) with SQLite's backup API.

    The backup API copies a consistent snapshot including pages still in the WAL, which a file copy would miss.
    The copy is written under a temporary name and renamed, so a backup that exists is always complete.
    """
    backups_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    # Within one second, number past the highest existing copy (not the first free name: pruning may have
    # freed a lower one, and a new backup must never sort older than an existing one).
    same_second = [BACKUP_PATTERN.match(p.name) for p in backups_dir.glob(f"studio-{stamp}*.sqlite3")]
    taken = [int(m.group(3) or 1) for m in same_second if m and m.group(1) + "-" + m.group(2) == stamp]
    n = max(taken, default=0) + 1
    target = backups_dir / (f"studio-{stamp}.sqlite3" if n == 1 else f"studio-{stamp}-{n}.sqlite3")
    partial = target.with_name(target.name + ".part")
    try:
        with _read_only(db_path, backups_dir) as src:
            dst = sqlite3.connect(partial)
            try:
                src.backup(dst)
            finally:
                dst.close()
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    log.info("backed up %s to %s", db_path, target)
    return target


def prune_backups(backups_dir: Path, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` Studio backups; other files in the folder are left alone."""
    removed: list[Path] = []
    for old in list_backups(backups_dir)[max(keep, 0) :]:
        try:
            old.unlink()
            removed.append(old)
        except OSError as exc:
            log.warning("could not remove old backup %s: %s", old, exc)
    return removed


def _run_alembic(db_path: Path, backups_dir: Path) -> None:
    from alembic import command

    from studio.storage.db import BEGIN_MODE, IMMEDIATE, create_engine

    # Foreign keys off: batch mode rebuilds tables by copy-and-rename, which would trip ON DELETE actions. We
    # check the constraints ourselves before committing. One transaction: a failed upgrade leaves no half.
    engine = create_engine(db_path, backups_dir=backups_dir, foreign_keys=False)
    try:
        with engine.execution_options(**{BEGIN_MODE: IMMEDIATE}).begin() as conn:
            command.upgrade(alembic_config(connection=conn), "head")
            broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise StorageError(
                    msg(QT_TRANSLATE_NOOP("messages", "Upgrading {db_path} would break {count} reference(s) between "
                                                      "tables; nothing was changed."),
                        db_path=db_path, count=len(broken))
                )
    finally:
        engine.dispose()
