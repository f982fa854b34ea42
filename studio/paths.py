"""Where Studio keeps its data. Order: --data-dir, then $STUDIO_HOME, then the platform's user data folder."""

from __future__ import annotations

import errno
import logging
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import overload

from studio.domain import StorageError
from studio.domain.i18n import QT_TRANSLATE_NOOP, msg

log = logging.getLogger(__name__)

APP_NAME = "Studio"
ENV_HOME = "STUDIO_HOME"
ENV_MODEL_CACHE = "STUDIO_MODEL_CACHE"


class _Inside:
    """A fixed place in the data folder, read like a property: ``Paths(root).logs`` is ``root / "logs"``."""

    def __init__(self, *parts: str) -> None:
        self._parts = parts

    @overload
    def __get__(self, obj: None, owner: type[Paths]) -> _Inside: ...

    @overload
    def __get__(self, obj: Paths, owner: type[Paths]) -> Path: ...

    def __get__(self, obj: Paths | None, owner: type[Paths]) -> Path | _Inside:
        return self if obj is None else obj.root.joinpath(*self._parts)


@dataclass(frozen=True)
class Paths:
    root: Path

    # The data folder's layout, as one table: these names are on every writer's disk already.
    database = _Inside("studio.sqlite3")
    backups = _Inside("backups")
    logs = _Inside("logs")
    models = _Inside("models")  # the data folder's own GGUF drop folder
    cache = _Inside("cache")
    state_cache = _Inside("cache", "states")  # per-draft llama.cpp states: a draft opened again is not re-read
    lock_file = _Inside("studio.lock")

    @property
    def model_cache(self) -> Path:
        """Where the embedded default model is assembled, once. $STUDIO_MODEL_CACHE may share one between
        data folders (the test suite does, so it assembles the 250 MB file once, not per test)."""
        shared = os.environ.get(ENV_MODEL_CACHE)
        return Path(shared).expanduser() if shared else self.cache / "models"

    def ensure(self) -> Paths:
        """Create what is missing. The data folder and its backups are needed by every start: StorageError
        naming the folder when Studio cannot read or write one. The rest is needed only by some commands
        (logs, the models drop folder, the caches): made where possible, and each user of one reports its
        own problem (so `studio drafts list` works with a model cache it cannot reach)."""
        check_folder(self.root, msg(QT_TRANSLATE_NOOP("messages", "data folder")))
        check_folder(self.backups, msg(QT_TRANSLATE_NOOP("messages", "backups folder")))
        for p in (self.logs, self.models, self.state_cache, self.model_cache):
            try:
                p.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                log.debug("cannot create %s: %s", p, exc)
        return self


_DATA_HINT = msg(QT_TRANSLATE_NOOP("messages", "Check its permissions (Studio must be able to read and write it), or "
                                               "choose another one with --data-dir."))


def os_reason(exc: OSError) -> str:
    """The few words a writer needs from an OSError (its errno), without Python's punctuation."""
    if exc.errno in (errno.EACCES, errno.EPERM):
        return msg(QT_TRANSLATE_NOOP("messages", "permission denied"))
    if exc.errno == errno.EROFS:
        return msg(QT_TRANSLATE_NOOP("messages", "the disk is read-only"))
    if exc.errno == errno.ENOSPC:
        return msg(QT_TRANSLATE_NOOP("messages", "the disk is full"))
    return (exc.strerror or str(exc)).rstrip(".").lower()


def _may(folder: Path, mode: int) -> bool:
    # The effective ids: what open() and mkdir() will be judged by.
    return os.access(folder, mode, effective_ids=os.access in os.supports_effective_ids)


def _read_only_disk(folder: Path) -> bool:
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except (AttributeError, OSError):
        return False


def check_folder(folder: Path, what: str, *, write: bool = True, hint: str = _DATA_HINT) -> Path:
    """``folder``, created if missing, once Studio may list it (and, with ``write``, create files in it).

    Otherwise a StorageError (exit code 4) whose one line names the folder and what is wrong with it: it cannot
    be reached (a folder above it is closed), read, written or created, or it is not a folder.
    """
    try:
        st = os.stat(folder)
    except FileNotFoundError:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(msg(QT_TRANSLATE_NOOP("messages", "Studio cannot create its {what} {folder} "
                                                                 "({reason})."),
                                   what=what, folder=folder, reason=os_reason(exc)), hint=hint) from None
        st = os.stat(folder)
    except OSError as exc:
        raise StorageError(msg(QT_TRANSLATE_NOOP("messages", "Studio cannot reach its {what} {folder} ({reason} on a "
                                                             "folder above it)."),
                               what=what, folder=folder, reason=os_reason(exc)),
                           hint=hint) from None
    if not stat.S_ISDIR(st.st_mode):
        raise StorageError(msg(QT_TRANSLATE_NOOP("messages", "Studio's {what} {folder} is a file, not a folder."),
                               what=what, folder=folder), hint=hint)
    if not _may(folder, os.R_OK | os.X_OK):
        raise StorageError(msg(QT_TRANSLATE_NOOP("messages", "Studio cannot read its {what} {folder} (permission "
                                                             "denied)."), what=what, folder=folder), hint=hint)
    if write and not _may(folder, os.W_OK):
        reason = (msg(QT_TRANSLATE_NOOP("messages", "the disk is read-only")) if _read_only_disk(folder)
                  else msg(QT_TRANSLATE_NOOP("messages", "permission denied")))
        raise StorageError(msg(QT_TRANSLATE_NOOP("messages", "Studio cannot write to its {what} {folder} ({reason})."),
                               what=what, folder=folder, reason=reason), hint=hint)
    return folder


def resolve_paths(data_dir: str | os.PathLike[str] | None = None) -> Paths:
    if data_dir:
        return Paths(Path(data_dir).expanduser().resolve())
    env = os.environ.get(ENV_HOME)
    if env:
        return Paths(Path(env).expanduser().resolve())
    from platformdirs import user_data_dir

    return Paths(Path(user_data_dir(APP_NAME, appauthor=False)))


def package_root() -> Path:
    return Path(__file__).resolve().parent


def resources_dir() -> Path:
    """Built-in presets, styles, themes and icons: inside the package when installed, at the top of a checkout."""
    inside = package_root() / "resources"
    if inside.is_dir():
        return inside
    return package_root().parent / "resources"


def checkout_models_dir() -> Path | None:
    """The repository's models/ folder when Studio runs from a checkout."""
    candidate = package_root().parent / "models"
    if (package_root().parent / "pyproject.toml").is_file() and candidate.is_dir():
        return candidate
    return None
