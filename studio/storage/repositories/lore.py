"""A draft's lorebook: its entries, in prompt order, and how far back its keys are looked for.

Checks a writer can fail (empty keys, an entry too big for the context) are the service's (services/lore.py);
this layer only stores what it is given, in order.
"""

from __future__ import annotations

import builtins
from typing import Any

from sqlalchemy import func, select

from studio.domain import DEFAULT_SCAN_CHARS, LoreEntry
from studio.storage.mapping import from_row
from studio.storage.orm import DraftRow, LoreBookRow, LoreEntryRow, utcnow
from studio.storage.repositories._common import Repository, flush, get_row, require_rows

_FIELDS = ("keys", "text", "pinned", "enabled", "case_sensitive", "whole_word", "position")


def _entry(row: LoreEntryRow) -> LoreEntry:
    return from_row(LoreEntry, row, keys=tuple(row.keys))


class LoreRepository(Repository):
    def _row(self, entry_id: int) -> LoreEntryRow:
        return get_row(self._session, LoreEntryRow, entry_id, "lore entry")

    def add(self, entry: LoreEntry, *, at_end: bool = True) -> LoreEntry:
        """Store ``entry`` (its id is ignored); with ``at_end`` it goes after the draft's last entry."""
        require_rows(self._session, (DraftRow, entry.draft_id, "draft"))
        position = entry.position
        if at_end:
            last = self._session.scalar(
                select(func.max(LoreEntryRow.position)).where(LoreEntryRow.draft_id == entry.draft_id))
            position = 0 if last is None else last + 1
        now = utcnow()
        row = LoreEntryRow(draft_id=entry.draft_id, keys=list(entry.keys), text=entry.text, pinned=entry.pinned,
                           enabled=entry.enabled, case_sensitive=entry.case_sensitive, whole_word=entry.whole_word,
                           position=position, created_at=now, updated_at=now)
        self._session.add(row)
        flush(self._session)
        return _entry(row)

    def get(self, entry_id: int) -> LoreEntry:
        return _entry(self._row(entry_id))

    def list(self, draft_id: int) -> list[LoreEntry]:
        """The draft's entries in prompt order (position, then the order they were made)."""
        require_rows(self._session, (DraftRow, draft_id, "draft"))
        stmt = (select(LoreEntryRow).where(LoreEntryRow.draft_id == draft_id)
                .order_by(LoreEntryRow.position, LoreEntryRow.id))
        return [_entry(r) for r in self._session.scalars(stmt)]

    def update(self, entry_id: int, **changes: Any) -> LoreEntry:
        """Change the given fields (names of LoreEntry: keys, text, pinned, enabled, case_sensitive, whole_word,
        position)."""
        unknown = set(changes) - set(_FIELDS)
        if unknown:
            raise TypeError(f"not a lore entry field: {', '.join(sorted(unknown))}")
        row = self._row(entry_id)
        for name, value in changes.items():
            setattr(row, name, list(value) if name == "keys" else value)
        row.updated_at = utcnow()
        flush(self._session)
        return _entry(row)

    def remove(self, entry_id: int) -> LoreEntry:
        row = self._row(entry_id)
        entry = _entry(row)
        self._session.delete(row)
        flush(self._session)
        return entry

    def copy_all(self, from_draft: int, to_draft: int) -> builtins.list[LoreEntry]:
        """Copies of ``from_draft``'s entries and settings on ``to_draft`` (Duplicate), in the same order."""
        made = [self.add(LoreEntry(id=None, draft_id=to_draft, keys=e.keys, text=e.text, pinned=e.pinned,
                                   enabled=e.enabled, case_sensitive=e.case_sensitive, whole_word=e.whole_word,
                                   position=e.position), at_end=False)
                for e in self.list(from_draft)]
        book = self._session.get(LoreBookRow, from_draft)
        if book is not None:
            self.set_scan_chars(to_draft, book.scan_chars)
        return made

    def scan_chars(self, draft_id: int) -> int:
        """How many characters before the cursor are scanned for keys (the default unless the draft sets one)."""
        book = self._session.get(LoreBookRow, draft_id)
        return book.scan_chars if book is not None else DEFAULT_SCAN_CHARS

    def scan_chars_set(self, draft_id: int) -> bool:
        return self._session.get(LoreBookRow, draft_id) is not None

    def set_scan_chars(self, draft_id: int, chars: int) -> None:
        require_rows(self._session, (DraftRow, draft_id, "draft"))
        self._session.merge(LoreBookRow(draft_id=draft_id, scan_chars=chars))  # made the first time, updated after
        flush(self._session)
