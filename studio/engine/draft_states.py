"""Who owns llama.cpp's live KV cache, and the per-draft states saved for everyone else.

One context serves every draft. The live cache belongs to one owner (a draft's Continue); when a job for another
owner comes, the live state is saved (state_cache: memory, then disk) and the newcomer's saved state is restored
when that saves more than re-reading. States are read and written with llama.cpp's per-sequence state API (KV
cache only; ``Llama.save_state`` would also copy a ~537 MB scores buffer for a 262k vocabulary).

Only Continue states are kept: a Rewrite's prompt changes with every selection, so its KV cache is rarely worth a
restore; switching to a Rewrite saves the draft's Continue state, and the next Continue restores it.

Not thread-safe: it belongs to the engine's owner thread.
"""

from __future__ import annotations

import ctypes
import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from studio.domain import Action, GenerationRequest
from studio.engine import llama_compat
from studio.engine.state_cache import StateCache, StateEntry

log = logging.getLogger(__name__)

# Restoring a saved state costs a copy of its bytes; below this many extra reusable tokens re-reading is as quick.
RESTORE_MIN_GAIN = 32
# A state worth keeping: shorter prompts are re-read in a blink.
SNAPSHOT_MIN_TOKENS = 64


@dataclass
class _Owner:
    """Whose text the live KV cache holds: a draft's Continue (see DraftStates.key_for)."""

    key: str  # state cache key
    dirty: bool = False  # the live cache changed since it was last saved


class DraftStates:
    """The live cache's owner and the saved states of a loaded model (``attach``) until it closes (``detach``)."""

    def __init__(self, state_dir: Path | None, *, memory_bytes: int, disk_bytes: int) -> None:
        self._cache = StateCache(state_dir, memory_bytes=memory_bytes, disk_bytes=disk_bytes)
        self._owner: _Owner | None = None
        self._llama: Any = None
        self._n_ctx = 0
        self._model_identity = ""
        self._context_signature = ""

    def attach(self, llama: Any, *, n_ctx: int, model_identity: str, context_signature: str) -> None:
        """A model was loaded: states are keyed by its file and context settings, so a state never meets a model
        or context it was not made with."""
        self._llama = llama
        self._n_ctx = n_ctx
        self._model_identity = model_identity
        self._context_signature = context_signature
        self._owner = None

    def detach(self) -> None:
        """The model is closing (call ``save_live`` first): forget the in-memory states and the owner."""
        self._cache.clear_memory()
        self._owner = None
        self._llama = None

    def key_for(self, request: GenerationRequest) -> str | None:
        if not request.draft_key or request.action is not Action.CONTINUE:
            return None
        return StateCache.make_key(self._model_identity, self._context_signature, f"{request.draft_key}|continue")

    def switch_owner(self, request: GenerationRequest, tokens: list[int]) -> None:
        """Before ``request`` runs with prompt ``tokens``: save the live state if it belongs to someone else, and
        restore this request's saved state when it reuses clearly more than the live cache."""
        key = self.key_for(request)
        owner_changed = self._owner is None or self._owner.key != key
        if owner_changed:
            self.save_live()
            self._owner = _Owner(key) if key else None
        if key is None:
            return
        live = common_prefix(llama_compat.live_tokens(self._llama), tokens)
        if not owner_changed and live >= len(tokens) // 2:
            return
        saved = self._cache.peek_tokens(key)
        if saved is None or common_prefix(saved, tokens) < live + RESTORE_MIN_GAIN:
            return
        entry = self._cache.get(key)
        if entry is not None:
            self._restore(entry)

    def mark_dirty(self) -> None:
        """The live cache is about to change (a job runs for the current owner)."""
        if self._owner is not None:
            self._owner.dirty = True

    def mark_clean(self) -> None:
        """The live cache was thrown away (after a failure): there is nothing of the owner's left to save."""
        if self._owner is not None:
            self._owner.dirty = False

    def save_live(self) -> None:
        """Save the owner's live state when it changed since the last save and is worth keeping."""
        owner, llama = self._owner, self._llama
        if owner is None or llama is None or not owner.dirty or llama.n_tokens < SNAPSHOT_MIN_TOKENS:
            return
        import llama_cpp.llama_cpp as llama_c

        started = time.perf_counter()
        size = llama_c.llama_state_seq_get_size(llama.ctx, 0)
        buf = bytearray(size)
        got = llama_c.llama_state_seq_get_data(llama.ctx, (ctypes.c_uint8 * size).from_buffer(buf), size, 0)
        if got == 0 or got > size:
            log.warning("llama.cpp returned no state for the draft; not caching it")
            return
        if got < size:
            del buf[got:]
        entry = StateEntry(owner.key, np.array(llama_compat.live_tokens(llama), dtype=np.int32), buf)
        self._cache.put(entry, persist=True)
        owner.dirty = False
        log.debug("Saved a draft state: %d tokens, %.1f MB, %.0f ms", len(entry.tokens), len(buf) / 1e6,
                  (time.perf_counter() - started) * 1000)

    def _restore(self, entry: StateEntry) -> None:
        import llama_cpp.llama_cpp as llama_c

        llama = self._llama
        n = len(entry.tokens)
        if n > self._n_ctx:
            self._cache.discard(entry.key)
            return
        started = time.perf_counter()
        ok = llama_c.llama_state_seq_set_data(
            llama.ctx, (ctypes.c_uint8 * len(entry.state)).from_buffer(entry.state), len(entry.state), 0)
        if not ok:
            log.warning("llama.cpp refused a saved draft state; re-reading the draft instead")
            self._cache.discard(entry.key)
            llama_compat.clear_kv(llama)
            return
        llama_compat.adopt_restored(llama, entry.tokens)
        self.mark_clean()
        log.debug("Restored a draft state: %d tokens in %.0f ms", n, (time.perf_counter() - started) * 1000)


def common_prefix(a: Any, b: Any) -> int:
    """How many leading tokens two token sequences share."""
    n = min(len(a), len(b))
    if n == 0:
        return 0
    x = np.asarray(a[:n], dtype=np.int64)
    y = np.asarray(b[:n], dtype=np.int64)
    diff = np.flatnonzero(x != y)
    return int(diff[0]) if diff.size else n
