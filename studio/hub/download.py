"""A download that survives anything: a ranged GET into ``models/.partial/<sha256>.part``, resumed from the
partial's size after a cancel, a crash or ``kill -9``, checked against the hub's SHA-256, and renamed into
``models/`` only when complete and verified.

Why our own and not huggingface_hub's: measured, huggingface_hub 2.4 starts again from zero after a ``kill -9``
(its ``.incomplete`` file is not reused). Naming the partial by the hash the hub gives means a resume can only
ever continue the same bytes: a file replaced upstream has another hash, so another partial.

The partial's bytes are re-hashed on resume (about a second per GB) rather than trusting a saved digest state: a
crash can leave the file longer than any state saved before it, and the file's own bytes are the truth.
"""

from __future__ import annotations

import errno
import hashlib
import logging
import os
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock, Timeout

from studio.domain import StorageError, UsageError
from studio.domain.files import feed_file, fsync_dir, sha256_of
from studio.domain.i18n import QT_TRANSLATE_NOOP, msg
from studio.hub.client import HubClient, HubFile
from studio.hub.errors import DiskSpaceError, DownloadCancelled, HashMismatchError, HubError
from studio.paths import os_reason

log = logging.getLogger(__name__)

PARTIAL_DIR = ".partial"
_SPARE_BYTES = 32 << 20  # left free beyond the file itself: the database and logs live on the same disk
_PROGRESS_EVERY_S = 0.1


@dataclass(frozen=True)
class Progress:
    done: int
    total: int
    bytes_per_s: float  # over the last few seconds; 0 until measured
    resumed_from: int = 0

    @property
    def fraction(self) -> float:
        return self.done / self.total if self.total else 0.0

    @property
    def seconds_left(self) -> float | None:
        if self.bytes_per_s <= 0:
            return None
        return max(0.0, (self.total - self.done) / self.bytes_per_s)


ProgressCallback = Callable[[Progress], None]


def partial_path(models_dir: Path, sha256: str) -> Path:
    return models_dir / PARTIAL_DIR / f"{sha256}.part"


def download(client: HubClient, info: HubFile, models_dir: Path, *, on_progress: ProgressCallback | None = None,
             cancel: threading.Event | None = None) -> Path:
    """Fetch ``info`` into ``models_dir`` (resuming a partial of the same hash) and return the model's path.

    Raises HubError (network, refused access; the partial is kept), DiskSpaceError (too little room before the
    start, or the disk filled: the partial is kept), HashMismatchError (the bytes are not the hub's: the partial
    is deleted, nothing is added) or DownloadCancelled (the partial is kept).
    """
    if not info.sha256:
        raise HubError(msg(QT_TRANSLATE_NOOP("messages", "The hub gave no SHA-256 for {path} in {repo}, so Studio "
                                                         "cannot check the file."), path=info.path, repo=info.repo),
                       hint=msg(QT_TRANSLATE_NOOP("messages", "Download it from a hub that serves LFS hashes "
                                                              "(huggingface.co or a full mirror).")))
    target = models_dir / info.name
    if target.exists():
        return _already_there(target, info)
    part = partial_path(models_dir, info.sha256)
    try:
        part.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError(msg(QT_TRANSLATE_NOOP("messages", "Studio cannot write to its models folder {models_dir} "
                                                             "({reason})."),
                               models_dir=models_dir, reason=os_reason(exc))) from None
    lock = FileLock(str(part) + ".lock")
    try:
        lock.acquire(timeout=0)
    except Timeout:
        raise UsageError(msg(QT_TRANSLATE_NOOP("messages", "{name} is being downloaded already (by another Studio "
                                                           "window or command)."), name=info.name)) from None
    try:
        _fetch(client, info, part, on_progress, cancel)
        try:
            os.replace(part, target)  # the one moment the model appears, whole and checked
            fsync_dir(models_dir)
        except OSError as exc:
            raise StorageError(msg(QT_TRANSLATE_NOOP("messages", "Studio could not move the finished {name} into "
                                                                 "{models_dir} ({reason})."),
                                   name=info.name, models_dir=models_dir, reason=os_reason(exc)),
                               hint=msg(QT_TRANSLATE_NOOP("messages", "It stays in models/.partial; try again.")),
                               ) from None
    finally:
        lock.release()
        Path(str(part) + ".lock").unlink(missing_ok=True)
    log.info("downloaded %s/%s to %s", info.repo, info.path, target)
    return target


def _fetch(client: HubClient, info: HubFile, part: Path, on_progress: ProgressCallback | None,
           cancel: threading.Event | None) -> None:
    have = part.stat().st_size if part.exists() else 0
    if have > info.size:
        log.warning("%s is longer than the file on the hub; starting again", part)
        part.unlink()
        have = 0
    _check_room(part.parent, info, info.size - have)
    digest = hashlib.sha256()
    if have:
        feed_file(digest, part)
    meter = _Meter(info.size, have, on_progress)
    if have < info.size:
        with client.open_bytes(info.repo, info.path, start=have) as resp:
            if have and resp.status_code == 200:
                log.info("the hub ignored the range request for %s; fetching it whole", info.path)
                have, digest = 0, hashlib.sha256()
                meter = _Meter(info.size, 0, on_progress)
            elif have and resp.status_code == 206 and not _range_starts_at(resp.headers.get("content-range"), have):
                raise HubError(msg(QT_TRANSLATE_NOOP("messages", "The hub sent {path} from another offset than asked "
                                                                 "({range})."),
                                   path=info.path, range=repr(resp.headers.get("content-range"))),
                               hint=msg(QT_TRANSLATE_NOOP("messages", "Try again.")))
            elif resp.status_code == 416:
                raise HubError(msg(QT_TRANSLATE_NOOP("messages", "The hub would not resume {path} from byte {have:,}."),
                                   path=info.path, have=have), hint=msg(QT_TRANSLATE_NOOP("messages", "Try again.")))
            try:
                with part.open("r+b" if have else "wb") as out:
                    out.seek(have)
                    out.truncate()
                    for chunk in resp.iter_bytes():  # as received: a dropped connection loses nothing
                        if cancel is not None and cancel.is_set():
                            out.flush()
                            raise DownloadCancelled(
                                msg(QT_TRANSLATE_NOOP("messages", "Download of {name} stopped at {have_mb:,.0f} of "
                                                                  "{size_mb:,.0f} MB."),
                                    name=info.name, have_mb=have / 1e6, size_mb=info.size / 1e6),
                                hint=msg(QT_TRANSLATE_NOOP("messages", "The next try resumes from there.")))
                        if have + len(chunk) > info.size:
                            raise HubError(msg(QT_TRANSLATE_NOOP("messages", "The hub sent more bytes for {path} "
                                                                             "than it said it has."), path=info.path),
                                           hint=msg(QT_TRANSLATE_NOOP("messages", "Try again.")))
                        out.write(chunk)
                        digest.update(chunk)
                        have += len(chunk)
                        meter.update(have)
                    out.flush()
                    os.fsync(out.fileno())
            except OSError as exc:
                if exc.errno == errno.ENOSPC:
                    raise DiskSpaceError(
                        msg(QT_TRANSLATE_NOOP("messages", "The disk filled up while downloading {name} ({have_mb:,.0f} "
                                                          "of {size_mb:,.0f} MB fetched)."),
                            name=info.name, have_mb=have / 1e6, size_mb=info.size / 1e6),
                        hint=msg(QT_TRANSLATE_NOOP("messages", "Free some space and try again: the download resumes "
                                                               "from there."))) from None
                raise StorageError(msg(QT_TRANSLATE_NOOP("messages", "Studio could not write {part} ({reason})."),
                                       part=part, reason=os_reason(exc))) from None
    meter.update(have, force=True)
    if have != info.size:
        raise HubError(msg(QT_TRANSLATE_NOOP("messages", "The hub stopped sending {name} at {have_mb:,.0f} of "
                                                         "{size_mb:,.0f} MB."),
                           name=info.name, have_mb=have / 1e6, size_mb=info.size / 1e6),
                       hint=msg(QT_TRANSLATE_NOOP("messages", "Try again: the download resumes from there.")))
    if digest.hexdigest() != info.sha256:
        part.unlink(missing_ok=True)
        raise HashMismatchError(msg(QT_TRANSLATE_NOOP("messages", "The downloaded {name} does not match the hub's "
                                                                  "SHA-256 (it is damaged or not the file the hub "
                                                                  "lists); Studio deleted it."), name=info.name),
                                hint=msg(QT_TRANSLATE_NOOP("messages", "Try again; if it happens again, the mirror "
                                                                       "(HF_ENDPOINT) may serve a bad copy.")))


def _check_room(folder: Path, info: HubFile, needed: int) -> None:
    try:
        free = shutil.disk_usage(folder).free
    except OSError:
        return  # cannot tell: the write itself will say if the disk fills
    if free < needed + _SPARE_BYTES:
        raise DiskSpaceError(msg(QT_TRANSLATE_NOOP("messages", "Not enough free disk for {name}: it needs {needed} "
                                                               "and {parent} has {free} free."),
                                 name=info.name, needed=_gb(needed + _SPARE_BYTES), parent=folder.parent,
                                 free=_gb(free)),
                             hint=msg(QT_TRANSLATE_NOOP("messages", "Free some space or pick a smaller model (or a "
                                                                    "smaller quant).")))


def _already_there(target: Path, info: HubFile) -> Path:
    try:
        same = target.stat().st_size == info.size and sha256_of(target) == info.sha256
    except OSError as exc:
        raise StorageError(msg(QT_TRANSLATE_NOOP("messages", "Studio cannot read {target} ({reason})."),
                               target=target, reason=os_reason(exc))) from None
    if same:
        return target
    raise UsageError(msg(QT_TRANSLATE_NOOP("messages", "The models folder already has a different file named {name}."),
                         name=info.name),
                     hint=msg(QT_TRANSLATE_NOOP("messages", "Rename or remove it, then download again.")))


def _range_starts_at(content_range: str | None, start: int) -> bool:
    # "bytes 1000-1999/2000"
    if not content_range:
        return False
    try:
        unit, rest = content_range.split(" ", 1)
        return unit == "bytes" and int(rest.split("-", 1)[0]) == start
    except ValueError:
        return False


def _gb(n: int) -> str:
    return f"{n / 1e9:.1f} GB" if n >= 1e8 else f"{n / 1e6:.0f} MB"


class _Meter:
    """Progress at most every 100 ms, with the speed over the last ~5 s (a stalled connection shows as slowing,
    not as the average of the whole download)."""

    def __init__(self, total: int, start: int, callback: ProgressCallback | None) -> None:
        self._total = total
        self._start = start
        self._callback = callback
        self._samples: list[tuple[float, int]] = [(time.monotonic(), start)]
        self._last_call = 0.0

    def update(self, done: int, *, force: bool = False) -> None:
        if self._callback is None:
            return
        now = time.monotonic()
        if not force and now - self._last_call < _PROGRESS_EVERY_S:
            return
        self._last_call = now
        self._samples.append((now, done))
        while len(self._samples) > 2 and now - self._samples[0][0] > 5.0:
            self._samples.pop(0)
        t0, d0 = self._samples[0]
        speed = (done - d0) / (now - t0) if now > t0 else 0.0
        self._callback(Progress(done, self._total, speed, self._start))
