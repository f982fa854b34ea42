"""Storage: the SQLite database behind Studio (SQLAlchemy ORM, Alembic migrations, repositories).

Everything outside this package talks to ``Store`` and receives studio.domain dataclasses and StorageError
subclasses; SQLAlchemy and sqlite3 types stay inside.
"""

from studio.storage.builtins import BuiltinCatalog, BuiltinResourceError, SeedReport, load_builtins, seed_builtins
from studio.storage.repositories import UNSET
from studio.storage.store import Store, UnitOfWork, acquire_instance_lock

__all__ = [
    "UNSET",
    "BuiltinCatalog",
    "BuiltinResourceError",
    "SeedReport",
    "Store",
    "UnitOfWork",
    "acquire_instance_lock",
    "load_builtins",
    "seed_builtins",
]
