"""StateCache: memory LRU with byte accounting, atomic size-capped disk tier, damaged entries ignored."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from studio.engine.state_cache import StateCache, StateEntry


def entry(key: str, n_tokens: int, n_bytes: int, fill: int = 7) -> StateEntry:
    return StateEntry(key, np.arange(n_tokens, dtype=np.int32), bytearray([fill]) * n_bytes)


def test_memory_lru_evicts_by_bytes(tmp_path: Path) -> None:
    cache = StateCache(None, memory_bytes=3000)
    for k in "abc":
        cache.put(entry(k, 10, 900))
    cache.get("a")  # a is now the most recent
    cache.put(entry("d", 10, 900))
    assert cache.get("b") is None  # the least recently used went first
    assert cache.get("a") is not None and cache.get("d") is not None
    assert cache.memory_used <= 3000


def test_disk_round_trip_and_peek(tmp_path: Path) -> None:
    key = StateCache.make_key("model|1|2", "n_ctx=8192", "draft-1|continue")
    StateCache(tmp_path).put(entry(key, 50, 4096, fill=3))
    fresh = StateCache(tmp_path)  # a new process: nothing in memory
    tokens = fresh.peek_tokens(key)
    assert tokens is not None and list(tokens) == list(range(50))
    got = fresh.get(key)
    assert got is not None and bytes(got.state) == bytes([3]) * 4096
    assert list(got.tokens) == list(range(50))


def test_damaged_entries_are_ignored_and_removed(tmp_path: Path) -> None:
    cache = StateCache(tmp_path)
    for i, damage in enumerate(("flip", "truncate", "garbage")):
        key = f"k{i}"
        cache.put(entry(key, 20, 2048))
        cache.clear_memory()
        path = tmp_path / f"{key}.kvstate"
        data = bytearray(path.read_bytes())
        if damage == "flip":
            data[-5] ^= 0xFF
        elif damage == "truncate":
            data = data[:-100]
        else:
            data = bytearray(b"not a state file at all")
        path.write_bytes(bytes(data))
        assert cache.get(key) is None
        assert not path.exists()


def test_entry_for_another_key_is_not_returned(tmp_path: Path) -> None:
    cache = StateCache(tmp_path)
    cache.put(entry("one", 5, 100))
    (tmp_path / "one.kvstate").rename(tmp_path / "two.kvstate")
    cache.clear_memory()
    assert cache.get("two") is None


def test_disk_cap_removes_oldest(tmp_path: Path) -> None:
    cache = StateCache(tmp_path, disk_bytes=5000)
    for k in ("a", "b", "c"):
        cache.put(entry(k, 10, 2000))
    names = sorted(p.name for p in tmp_path.glob("*.kvstate"))
    assert "c.kvstate" in names and len(names) <= 2
    assert not list(tmp_path.glob(".kv-*"))  # no temporary files left behind


def test_a_state_file_with_meta_of_the_wrong_types_is_ignored(tmp_path: Path) -> None:
    """A damaged header whose JSON is valid but says "n_tokens": null (or a list) is a damaged file: peek and get
    say "nothing cached" instead of raising into the engine (which would fail the writer's Continue)."""
    import json
    import struct

    import studio.engine.state_cache as sc

    for bad in (None, [1, 2], {"n": 1}):
        cache = StateCache(tmp_path)
        key = f"k-{type(bad).__name__}"
        cache.put(entry(key, 20, 2048))
        cache.clear_memory()
        path = tmp_path / f"{key}.kvstate"
        data = path.read_bytes()
        magic, fmt, meta_len = sc._HEAD.unpack(data[: sc._HEAD.size])
        meta = json.loads(data[sc._HEAD.size: sc._HEAD.size + meta_len])
        meta["n_tokens"] = bad
        new_meta = json.dumps(meta).encode()
        path.write_bytes(struct.pack(sc._HEAD.format, magic, fmt, len(new_meta)) + new_meta
                         + data[sc._HEAD.size + meta_len:])
        assert StateCache(tmp_path).peek_tokens(key) is None
        assert StateCache(tmp_path).get(key) is None
