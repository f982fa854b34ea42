"""The SQLAlchemy engine for one SQLite file, with the pragmas and transaction handling Studio relies on."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy import create_engine as sa_create_engine
from sqlalchemy.engine import URL, Connection, ExceptionContext
from sqlalchemy.pool import ConnectionPoolEntry

from studio.storage.errors import translate

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 5000
# Execution option naming the BEGIN flavour for a connection's transactions (see _on_begin).
BEGIN_MODE = "studio_begin"
IMMEDIATE = "IMMEDIATE"
DEFERRED = "DEFERRED"


def casefold(value: Any) -> Any:
    """SQL function ``studio_fold``: Unicode-aware case folding (SQLite's lower() only folds ASCII)."""
    return value.casefold() if isinstance(value, str) else value


def create_engine(path: Path, *, backups_dir: Path | None = None, foreign_keys: bool = True) -> Engine:
    """An engine on the SQLite file ``path``.

    Every connection gets: WAL (readers never block the writer and a crash cannot tear a page), foreign keys
    (SQLite leaves them off by default), a busy timeout (a second process waits for the lock instead of failing
    at once) and synchronous=NORMAL (durable at each checkpoint, safe against corruption in WAL mode).

    Transactions are explicit: pysqlite's own implicit BEGIN handling skips DDL (so a failed migration would be
    half applied) and cannot do BEGIN IMMEDIATE; we switch it off and emit BEGIN ourselves. ``foreign_keys``
    is False only for migrations, where batch mode copies tables around.

    Errors from the driver are raised as StorageError subclasses (studio.storage.errors.translate).
    """
    url = URL.create("sqlite+pysqlite", database=str(path))
    engine = sa_create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, record: ConnectionPoolEntry) -> None:
        dbapi_conn.isolation_level = None  # we send BEGIN ourselves (see _on_begin)
        cur = dbapi_conn.cursor()
        try:
            cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            cur.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
            mode = cur.execute("PRAGMA journal_mode=WAL").fetchone()
            if not mode or str(mode[0]).lower() != "wal":
                # Network file systems refuse WAL; SQLite then keeps its rollback journal, which is still safe.
                log.warning("SQLite kept journal_mode=%s for %s (WAL unavailable)", mode[0] if mode else "?", path)
            cur.execute("PRAGMA synchronous=NORMAL")
        finally:
            cur.close()
        dbapi_conn.create_function("studio_fold", 1, casefold, deterministic=True)

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # IMMEDIATE takes the write lock up front (waiting up to the busy timeout). A DEFERRED transaction that
        # reads and then writes fails at once with SQLITE_BUSY if another process wrote in between, which no
        # timeout can cure; units of work therefore begin IMMEDIATE (Rails and Django recommend the same).
        mode = conn.get_execution_options().get(BEGIN_MODE, DEFERRED)
        conn.exec_driver_sql(f"BEGIN {mode}")

    @event.listens_for(engine, "handle_error")
    def _on_error(ctx: ExceptionContext) -> None:
        original = ctx.original_exception
        if isinstance(original, sqlite3.Error):
            raise translate(original, path=path, backups_dir=backups_dir) from original

    return engine
