"""Starting safely: one window per data folder, and opening a backup without ever overwriting a damaged file."""

from __future__ import annotations

import logging
import shutil
from datetime import datetime
from pathlib import Path

from studio.domain import DatabaseCorruptError, StorageError
from studio.domain.i18n import QT_TRANSLATE_NOOP, msg
from studio.paths import Paths
from studio.storage import acquire_instance_lock

log = logging.getLogger(__name__)

__all__ = ["acquire_instance_lock", "restore_newest_backup"]


def restore_newest_backup(paths: Paths, error: DatabaseCorruptError) -> Path:
    """Move the damaged database aside (renamed, never overwritten or deleted) and copy the newest backup in.

    Returns where the damaged file now lives.
    """
    if not error.backups:
        raise StorageError(msg(QT_TRANSLATE_NOOP("messages", "There is no backup to open.")))
    backup = Path(error.backups[0])
    db = paths.database
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    kept = db.with_name(f"{db.name}.damaged-{stamp}")
    n = 1
    while kept.exists():
        kept = db.with_name(f"{db.name}.damaged-{stamp}-{n}")
        n += 1
    try:
        if db.exists():
            db.rename(kept)
        for suffix in ("-wal", "-shm"):
            side = db.with_name(db.name + suffix)
            if side.exists():
                side.rename(kept.with_name(kept.name + suffix))
        tmp = db.with_name(db.name + ".restoring")
        shutil.copy2(backup, tmp)
        tmp.replace(db)
    except OSError as exc:
        raise StorageError(msg(QT_TRANSLATE_NOOP("messages", "Could not open the backup {backup}: {reason}."),
                               backup=backup, reason=str(exc.strerror or exc))) from exc
    log.warning("restored %s from %s; damaged file kept as %s", db, backup, kept)
    return kept
