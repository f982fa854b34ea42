"""The lorebook (world info): per-draft entries that enter the prompt when one of their keys appears in the text
just before the cursor. Pure values; matching lives in studio/services/lore.py, placement in studio/engine/prompts.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

# How many characters before the cursor are scanned for keys when a draft sets nothing: about a page, enough to
# catch a name mentioned in the scene without dragging in every character named since chapter one.
DEFAULT_SCAN_CHARS = 2000
MAX_SCAN_CHARS = 1_000_000


@dataclass(frozen=True)
class LoreEntry:
    id: int | None
    draft_id: int
    keys: tuple[str, ...]
    text: str
    pinned: bool = False  # always in the prompt, keys or not
    enabled: bool = True  # a disabled entry never enters the prompt
    case_sensitive: bool = False  # English keys match regardless of case unless this is set
    whole_word: bool = False  # English keys match only as whole words ("Mara" not in "Marathon"); never for Chinese
    position: int = 0  # the entry's place in the prompt (lower first) and in the list; the last ones give way first
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True)
class LoreHit:
    """An entry that is in the prompt for this request, and why: the key that matched (``pinned``: always in)."""

    entry_id: int | None
    text: str
    key: str = ""  # the key found in the scanned text; "" for a pinned entry
    pinned: bool = False
    position: int = 0

    @property
    def reason(self) -> str:
        return "pinned" if self.pinned else f"key “{self.key}”"
