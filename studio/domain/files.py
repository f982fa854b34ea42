"""File facts every layer checks the same way: a file's SHA-256, read in blocks, and a folder's rename made durable."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Protocol

# 4 MiB: a 250 MB model is hashed in about sixty reads without holding more than one block in memory.
BLOCK = 4 << 20


class Digest(Protocol):
    def update(self, data: bytes, /) -> None: ...


def feed_file(digest: Digest, path: Path) -> None:
    """Add the bytes of ``path`` to ``digest`` (a download resumed after them goes on hashing from there)."""
    with path.open("rb") as fh:
        while block := fh.read(BLOCK):
            digest.update(block)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    feed_file(digest, path)
    return digest.hexdigest()


def fsync_dir(folder: Path) -> None:
    """Make a rename into ``folder`` durable, best effort: on POSIX the folder's entry is synced too; Windows
    cannot open a folder and does not need it. A folder that cannot be opened or synced is left as it is."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
