"""Which llama-server slot holds which draft, and where a draft's slot is saved (studio/engine/remote.py speaks the
HTTP; this module only keeps the books, so it is testable without a server).

* Each draft gets its own slot while there are free ones; then the least recently used draft gives its slot up.
  Going back to a draft whose slot was kept costs the server almost nothing (``cache_prompt``).
* When the server was started with ``--slot-save-path``, a draft's slot is saved to a file before the slot is
  given to another draft and when the engine closes, and restored before the draft's next request, so a draft's
  cache survives both eviction and a server restart. The file name is a hash of the model and the draft key: a
  draft key never reaches the server's file system as a path, and the same draft on another model (whose cache
  could not be restored) gets another file.
* What each slot holds, as far as Studio knows: the prompt and generated tokens of its last request. The engine
  reads a long prompt in chunks after the part the slot has. That must not be a guess on the low side: a chunk
  shorter than what the slot has cuts the slot's cache back to the chunk (llama-server keeps only the common
  prefix with each request). So a slot this engine has not used counts as holding nothing of a draft it is
  given (a draft then re-reads once after Studio restarts beside a running server without slot files), and a
  slot restored from a file this process did not write counts as holding the whole prompt (no chunks).
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class SlotPick:
    """The slot for a request, and what must happen on the server before it is sent."""

    slot: int  # -1: the server picks (one slot and no saving, or a request without a draft)
    evicted: str | None = None  # the draft that gives this slot up: save its cache first (when saving)
    fresh: bool = False  # the slot does not hold this draft: restore the draft's saved file first (when saving)


def common_prefix(a: Sequence[int], b: Sequence[int]) -> int:
    n = min(len(a), len(b))
    i = 0
    while i < n and a[i] == b[i]:
        i += 1
    return i


class DraftSlots:
    """LRU draft -> slot bookkeeping for one connected server (see the module docstring)."""

    def __init__(self, slots: int, *, saving: bool, namespace: str) -> None:
        self.slots = max(1, slots)
        self.saving = saving
        self._namespace = namespace
        self._owner: OrderedDict[str, int] = OrderedDict()  # draft key -> slot, least recent first
        self._held: dict[int, tuple[int, ...] | None] = {}  # slot -> its tokens; None: assume the whole prompt
        self._saved: dict[str, tuple[int, ...]] = {}  # draft key -> the tokens its saved file holds (this process)

    @property
    def per_draft(self) -> bool:
        """Whether drafts get slots of their own: several slots, or one slot whose drafts are swapped via files."""
        return self.slots > 1 or self.saving

    def pick(self, draft_key: str | None) -> SlotPick:
        if not draft_key or not self.per_draft:
            return SlotPick(-1)
        if draft_key in self._owner:
            self._owner.move_to_end(draft_key)
            return SlotPick(self._owner[draft_key])
        used = set(self._owner.values())
        free = next((s for s in range(self.slots) if s not in used), None)
        evicted = None
        if free is None:
            evicted, free = self._owner.popitem(last=False)
        self._owner[draft_key] = free
        return SlotPick(free, evicted=evicted, fresh=True)

    def file_name(self, draft_key: str) -> str:
        digest = hashlib.sha256(f"{self._namespace}\x00{draft_key}".encode()).hexdigest()[:40]
        return f"studio-{digest}.bin"

    def holding(self) -> list[tuple[str, int]]:
        """(draft key, slot) for every draft that has a slot now, least recent first."""
        return list(self._owner.items())

    def known_prefix(self, slot: int, tokens: Sequence[int]) -> int:
        """How many leading tokens of ``tokens`` the slot holds, as far as Studio knows (see the module docstring)."""
        if slot < 0:
            return 0
        held = self._held.get(slot, ())
        return len(tokens) if held is None else common_prefix(held, tokens)

    def used(self, slot: int, tokens: Sequence[int], draft_key: str | None) -> None:
        """A request ran on ``slot`` (the server's answer says which): it now holds ``tokens``. A slot that held
        another draft no longer does: that draft is restored from its file next time."""
        if slot < 0:
            return
        self._held[slot] = tuple(tokens)
        for key, owned in list(self._owner.items()):
            if owned == slot and key != draft_key:
                del self._owner[key]

    def forget(self, slot: int) -> None:
        self._held.pop(slot, None)

    def saved(self, draft_key: str, slot: int) -> None:
        held = self._held.get(slot, ())
        if held is not None:
            self._saved[draft_key] = held

    def restored(self, draft_key: str, slot: int, ok: bool) -> None:
        """After a restore: the slot holds the draft's saved tokens (None: saved by another process)."""
        if ok:
            self._held[slot] = self._saved.get(draft_key)
        else:
            self._held.pop(slot, None)  # a failed restore leaves the slot empty

    def clear(self) -> None:
        self._owner.clear()
        self._held.clear()
