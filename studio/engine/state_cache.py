"""Per-draft llama.cpp KV states: an in-memory LRU with byte accounting and a size-capped disk cache.

Coming back to a draft (after working on another, or after restarting Studio) should not re-read the whole
draft. Each entry is the KV state of sequence 0 (``llama_state_seq_get_data``: the cache only, no logits and
none of llama-cpp-python's ~537 MB ``n_batch x n_vocab`` scores buffer that ``Llama.save_state`` copies for a
262k vocabulary) plus the tokens it holds. Entries are keyed by the model file's identity, the context
settings and the draft key, so a state never meets a model or context it was not made with.

Disk entries are written atomically (temp file then rename) and carry a header and a CRC32; anything that does
not check out is ignored and removed. Not thread-safe: it belongs to the engine's owner thread.
"""

from __future__ import annotations

import collections
import hashlib
import json
import logging
import os
import struct
import tempfile
import time
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np

log = logging.getLogger(__name__)

_MAGIC = b"STUDIOKV"
_FORMAT = 1
_HEAD = struct.Struct("<8sII")  # magic, format, json length
_SUFFIX = ".kvstate"


@dataclass
class StateEntry:
    key: str
    tokens: np.ndarray  # int32, the tokens whose K/V the state holds, in order
    state: bytearray  # llama_state_seq_get_data bytes

    @property
    def nbytes(self) -> int:
        return len(self.state) + int(self.tokens.nbytes)


class StateCache:
    """``get``/``put`` by key; memory first, then disk. ``memory_bytes``/``disk_bytes`` cap each tier."""

    def __init__(self, directory: Path | None, *, memory_bytes: int = 256 << 20, disk_bytes: int = 1 << 30) -> None:
        self.directory = Path(directory) if directory is not None else None
        self.memory_bytes = memory_bytes
        self.disk_bytes = disk_bytes
        self._mem: collections.OrderedDict[str, StateEntry] = collections.OrderedDict()
        self._mem_used = 0

    # ------------------------------------------------------------------------------------------ public

    @staticmethod
    def make_key(model_identity: str, context_signature: str, draft_key: str) -> str:
        raw = json.dumps([model_identity, context_signature, draft_key])
        return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:32]

    def get(self, key: str) -> StateEntry | None:
        entry = self._mem.get(key)
        if entry is not None:
            self._mem.move_to_end(key)
            return entry
        entry = self._read_disk(key)
        if entry is not None:
            self._remember(entry)
        return entry

    def peek_tokens(self, key: str) -> np.ndarray | None:
        """The tokens of an entry without loading its state from disk (to decide whether restoring pays)."""
        entry = self._mem.get(key)
        if entry is not None:
            return entry.tokens
        path = self._path(key)
        if path is None or not path.is_file():
            return None
        try:
            with path.open("rb") as fh:
                meta, _ = self._read_meta(fh, key)
                n = _meta_int(meta, "n_tokens")
                tokens = np.frombuffer(fh.read(4 * n), dtype=np.int32)
            return tokens if len(tokens) == n else None
        except (OSError, ValueError, KeyError, TypeError):  # TypeError: a header of the wrong types is damage too
            return None

    def put(self, entry: StateEntry, *, persist: bool = True) -> None:
        self._remember(entry)
        if persist:
            self._write_disk(entry)

    def discard(self, key: str) -> None:
        entry = self._mem.pop(key, None)
        if entry is not None:
            self._mem_used -= entry.nbytes
        path = self._path(key)
        if path is not None:
            path.unlink(missing_ok=True)

    def clear_memory(self) -> None:
        self._mem.clear()
        self._mem_used = 0

    @property
    def memory_used(self) -> int:
        return self._mem_used

    # ------------------------------------------------------------------------------------------ memory tier

    def _remember(self, entry: StateEntry) -> None:
        old = self._mem.pop(entry.key, None)
        if old is not None:
            self._mem_used -= old.nbytes
        if entry.nbytes > self.memory_bytes:
            return  # bigger than the whole tier: disk only
        self._mem[entry.key] = entry
        self._mem_used += entry.nbytes
        while self._mem_used > self.memory_bytes and self._mem:
            _, evicted = self._mem.popitem(last=False)
            self._mem_used -= evicted.nbytes

    # ------------------------------------------------------------------------------------------ disk tier

    def _path(self, key: str) -> Path | None:
        return self.directory / f"{key}{_SUFFIX}" if self.directory is not None else None

    def _write_disk(self, entry: StateEntry) -> None:
        path = self._path(entry.key)
        if path is None:
            return
        tokens = np.ascontiguousarray(entry.tokens, dtype=np.int32)
        crc = zlib.crc32(memoryview(entry.state), zlib.crc32(tokens.tobytes()))
        meta = json.dumps({"key": entry.key, "n_tokens": int(len(tokens)), "state_bytes": len(entry.state),
                           "crc32": crc, "written": time.time()}).encode("utf-8")
        tmp: str | None = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".kv-", suffix=".tmp", dir=path.parent)
            with os.fdopen(fd, "wb") as fh:
                fh.write(_HEAD.pack(_MAGIC, _FORMAT, len(meta)))
                fh.write(meta)
                fh.write(tokens.tobytes())
                fh.write(memoryview(entry.state))
            # No fsync: a state lost to a power cut only costs one slow Continue, and the CRC catches a torn file.
            os.replace(tmp, path)
            tmp = None
        except OSError as exc:
            log.warning("Could not save the draft state cache (%s)", exc)
        finally:
            if tmp is not None:
                Path(tmp).unlink(missing_ok=True)
        self._enforce_disk_cap(keep=path)

    def _read_meta(self, fh: BinaryIO, key: str) -> tuple[dict[str, object], int]:
        raw = fh.read(_HEAD.size)
        if len(raw) != _HEAD.size:
            raise ValueError("short header")
        magic, fmt, meta_len = _HEAD.unpack(raw)
        if magic != _MAGIC or fmt != _FORMAT or meta_len > 65536:
            raise ValueError("not a state file of this format")
        meta = json.loads(fh.read(meta_len).decode("utf-8"))
        if not isinstance(meta, dict) or meta.get("key") != key:
            raise ValueError("state file for another key")
        return meta, _HEAD.size + meta_len

    def _read_disk(self, key: str) -> StateEntry | None:
        path = self._path(key)
        if path is None or not path.is_file():
            return None
        try:
            size = path.stat().st_size
            with path.open("rb") as fh:
                meta, offset = self._read_meta(fh, key)
                n_tokens, n_state = _meta_int(meta, "n_tokens"), _meta_int(meta, "state_bytes")
                if n_tokens < 0 or n_state < 0 or offset + 4 * n_tokens + n_state != size:
                    raise ValueError("sizes do not add up")
                tokens = np.frombuffer(fh.read(4 * n_tokens), dtype=np.int32).copy()
                state = bytearray(n_state)
                if fh.readinto(state) != n_state:
                    raise ValueError("short state")
            if zlib.crc32(state, zlib.crc32(tokens.tobytes())) != meta["crc32"]:
                raise ValueError("checksum mismatch")
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.info("Ignoring damaged draft state %s (%s)", path.name, exc)
            path.unlink(missing_ok=True)
            return None
        os.utime(path)  # recently used: the size cap evicts by modification time
        return StateEntry(key, tokens, state)

    def _enforce_disk_cap(self, keep: Path) -> None:
        if self.directory is None:
            return
        try:
            files = [(p.stat().st_mtime, p.stat().st_size, p) for p in self.directory.glob(f"*{_SUFFIX}")]
        except OSError:
            return
        total = sum(size for _, size, _ in files)
        for _, size, p in sorted(files, key=lambda f: f[0]):
            if total <= self.disk_bytes:
                break
            if p == keep:
                continue
            p.unlink(missing_ok=True)
            total -= size


def _meta_int(meta: dict[str, object], name: str) -> int:
    """``int(meta[name])`` for a JSON value: numbers and numeric strings convert, anything else is a TypeError."""
    value = meta[name]
    if not isinstance(value, int | float | str):
        raise TypeError(f"{name} is a {type(value).__name__}, not a number")
    return int(value)
