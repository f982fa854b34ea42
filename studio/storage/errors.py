"""Turn sqlite3 / SQLAlchemy failures into StorageError subclasses a writer can act on.

Nothing outside studio.storage should ever see an SQLAlchemy or sqlite3 exception type: the engine's
``handle_error`` hook (db.py) and the unit of work (store.py) both route failures through ``translate``.
"""

from __future__ import annotations

import logging
import re
import sqlite3
from pathlib import Path

from studio.domain import ConflictError, DatabaseCorruptError, StorageError
from studio.domain.i18n import QT_TRANSLATE_NOOP, msg

log = logging.getLogger(__name__)

# Primary SQLite result codes (https://sqlite.org/rescode.html); extended codes keep these in the low byte.
SQLITE_PERM = 3
SQLITE_BUSY = 5
SQLITE_LOCKED = 6
SQLITE_NOMEM = 7
SQLITE_READONLY = 8
SQLITE_IOERR = 10
SQLITE_CORRUPT = 11
SQLITE_FULL = 13
SQLITE_CANTOPEN = 14
SQLITE_CONSTRAINT = 19
SQLITE_NOTADB = 26

BACKUP_PATTERN = re.compile(r"^studio-(\d{8})-(\d{6})(?:-(\d+))?\.sqlite3$")

BUSY_MESSAGE = msg(QT_TRANSLATE_NOOP("messages", "The database is busy (another Studio is writing); try again."))


def list_backups(backups_dir: Path | None) -> list[Path]:
    """Studio's own backup files in ``backups_dir``, newest first (other files there are not ours)."""
    if backups_dir is None or not backups_dir.is_dir():
        return []
    found: list[tuple[tuple[str, str, int], Path]] = []
    for p in backups_dir.iterdir():
        m = BACKUP_PATTERN.match(p.name)
        if m and p.is_file():
            found.append(((m.group(1), m.group(2), int(m.group(3) or 0)), p))
    found.sort(key=lambda item: item[0], reverse=True)
    return [p for _, p in found]


def corrupt_error(
    path: Path, backups_dir: Path | None, problem: str, *, advice: str | None = None
) -> DatabaseCorruptError:
    """The error for a database Studio refuses to touch: names the file and the backups to restore from.

    Everything goes in the message (the list of backups last, one per line), so ``str(err)`` reads well in a
    dialog and on a terminal alike.
    """
    backups = list_backups(backups_dir)
    if advice is None:
        advice = (
            msg(QT_TRANSLATE_NOOP("messages", "Studio left the file untouched. To recover, quit Studio, move the file "
                                              "aside and copy the newest backup to {path}."), path=path)
            if backups
            else msg(QT_TRANSLATE_NOOP("messages", "Studio left the file untouched. Move it aside to start with an "
                                                   "empty database."))
        )
    if backups:
        listing = msg(QT_TRANSLATE_NOOP("messages", "Backups (newest first):\n{backups}"),
                      backups="\n".join(f"  {b}" for b in backups))
    elif backups_dir:
        listing = msg(QT_TRANSLATE_NOOP("messages", "There are no backups in {folder}."), folder=backups_dir)
    else:
        listing = msg(QT_TRANSLATE_NOOP("messages", "There are no backups."))
    # The problem completes the sentence ("The database X is damaged (...)"): a translation reorders the whole.
    message = msg(QT_TRANSLATE_NOOP("messages", "The database {path} {problem}\n{advice}\n{listing}"),
                  path=path, problem=problem, advice=advice, listing=listing)
    return DatabaseCorruptError(message, path=str(path), backups=[str(b) for b in backups])


def sqlite_code(exc: BaseException) -> int | None:
    """The primary SQLite result code of a sqlite3 error (Python 3.11+ records it), if any."""
    code = getattr(exc, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def translate(exc: BaseException, *, path: Path, backups_dir: Path | None = None) -> StorageError:
    """A StorageError for ``exc`` (an sqlite3 error, or an SQLAlchemy error wrapping one)."""
    if isinstance(exc, StorageError):
        return exc
    original: BaseException = getattr(exc, "orig", None) or exc
    text = str(original)
    lowered = text.lower()
    code = sqlite_code(original)

    from sqlalchemy.orm.exc import StaleDataError  # local: keeps this module importable without the ORM loaded

    if isinstance(exc, StaleDataError):
        return ConflictError(
            msg(QT_TRANSLATE_NOOP("messages", "The draft was changed elsewhere (another window or the command line) "
                                              "while saving; nothing was overwritten.")),
            hint=msg(QT_TRANSLATE_NOOP("messages", "Reload the draft and try again.")),
        )
    if code in (SQLITE_BUSY, SQLITE_LOCKED) or "database is locked" in lowered or "is busy" in lowered:
        return StorageError(BUSY_MESSAGE)
    if code == SQLITE_READONLY or "readonly database" in lowered:
        return StorageError(
            msg(QT_TRANSLATE_NOOP("messages", "Studio cannot write to {path}: the file or its folder is read-only."),
                path=path),
            hint=msg(QT_TRANSLATE_NOOP("messages", "Check the permissions of the data folder, or choose another one "
                                                   "with --data-dir.")),
        )
    if code == SQLITE_FULL or "disk is full" in lowered:
        return StorageError(
            msg(QT_TRANSLATE_NOOP("messages", "The disk holding {path} is full; the last change was not saved."),
                path=path),
            hint=msg(QT_TRANSLATE_NOOP("messages", "Free some space and try again.")),
        )
    if code in (SQLITE_CORRUPT, SQLITE_NOTADB) or "malformed" in lowered or "not a database" in lowered:
        return corrupt_error(path, backups_dir, msg(QT_TRANSLATE_NOOP("messages", "is damaged ({text})."), text=text))
    if code == SQLITE_IOERR or "disk i/o error" in lowered:
        return StorageError(
            msg(QT_TRANSLATE_NOOP("messages", "Studio could not read or write {path} (disk I/O error)."), path=path),
            hint=msg(QT_TRANSLATE_NOOP("messages", "Check that the drive is still connected and healthy.")),
        )
    if code in (SQLITE_CANTOPEN, SQLITE_PERM) or "unable to open" in lowered:
        return StorageError(
            msg(QT_TRANSLATE_NOOP("messages", "Studio cannot open the database {path}."), path=path),
            hint=msg(QT_TRANSLATE_NOOP("messages", "Check that the folder exists and that you may read and write it.")),
        )
    if code == SQLITE_NOMEM:
        return StorageError(msg(QT_TRANSLATE_NOOP("messages", "SQLite ran out of memory.")),
                            hint=msg(QT_TRANSLATE_NOOP("messages", "Close other programs and try again.")))
    if code == SQLITE_CONSTRAINT or isinstance(original, sqlite3.IntegrityError):
        return StorageError(msg(QT_TRANSLATE_NOOP("messages", "The database refused the change ({text})."), text=text))
    log.debug("untranslated storage error", exc_info=exc)
    return StorageError(msg(QT_TRANSLATE_NOOP("messages", "Database error on {path}: {text}"), path=path, text=text))
