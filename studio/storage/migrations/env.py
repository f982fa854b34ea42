"""Alembic environment for Studio's database, shipped inside the package so migrations install with the wheel.

Studio runs migrations itself (studio.storage.migrate.upgrade) and hands over an open connection in
``config.attributes["connection"]``; there is no alembic.ini. For development,
``studio.storage.migrate.alembic_config(url=...)`` gives a Config that the ``alembic.command`` functions accept
(for example ``command.revision(cfg, "message", autogenerate=True)``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from alembic import context

from studio.storage.orm import Base, UTCDateTime

config = context.config
target_metadata = Base.metadata


def _render_item(type_: str, obj: object, autogen_context: object) -> str | Literal[False]:
    # Revisions must not import studio.storage.orm (they are frozen history; the models move on), so our
    # UTC wrapper is written out as the plain DateTime it stores.
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime()"
    return False


def _configure(**kwargs: object) -> None:
    context.configure(
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things; batch mode rebuilds the table instead.
        render_as_batch=True,
        compare_type=True,
        render_item=_render_item,
        **kwargs,  # type: ignore[arg-type]  # connection, url or literal_binds: each of configure()'s own type
    )


def run_migrations_offline() -> None:
    _configure(url=config.get_main_option("sqlalchemy.url"), literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        # The caller owns the transaction (one transaction for the whole upgrade, see migrate.py).
        _configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()
        return

    from studio.storage.db import create_engine

    url = config.get_main_option("sqlalchemy.url") or ""
    engine = create_engine(Path(url.removeprefix("sqlite:///")), foreign_keys=False)
    try:
        with engine.begin() as conn:
            _configure(connection=conn)
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
