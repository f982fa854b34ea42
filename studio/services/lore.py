"""The lorebook's use cases: keep a draft's entries, refuse the ones that cannot work, and say which entries a
request triggers (and by which key) for the prompt and for "What the model sees".

Matching is literal: a key is text, never a pattern (``Mara.*`` and ``[1]`` mean those characters). Keys with
Chinese (or other CJK) characters match anywhere in running text, which has no spaces between words; other keys
match regardless of case unless the entry is case-sensitive, and only as whole words when it asks so.
"""

from __future__ import annotations

import builtins
import logging
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from studio.domain import DEFAULT_SCAN_CHARS, LoreEntry, LoreHit, UsageError
from studio.domain.i18n import QT_TRANSLATE_NOOP, msg
from studio.domain.lore import MAX_SCAN_CHARS
from studio.domain.text import is_cjk
from studio.storage import Store

log = logging.getLogger(__name__)

# The context assumed when neither a loaded model nor the model settings say (the engine's own cap on a model's
# trained context, engine/llama_engine.DEFAULT_MAX_CTX).
DEFAULT_N_CTX = 8192
# What an entry must leave of the context for the prompt to be worth running: the engine's frame margin, the least
# draft and the least output (engine/prompts.py: SAFETY_TOKENS + MIN_DRAFT_TOKENS + MIN_GENERATION_TOKENS).
RESERVED_TOKENS = 8 + 64 + 32
# Without a tokenizer an entry is counted by a bound that errs high: every CJK character a token, every other three
# characters a token (English runs about four per token on the models Studio ships with).
CHARS_PER_TOKEN_BOUND = 3
_KEY_SEPARATORS = (",", "，", "、", "\n")


def parse_keys(keys: str | Iterable[str]) -> tuple[str, ...]:
    """Keys from "Mara,玛拉" (commas, Chinese commas, 、 or new lines) or a list: stripped, empties and repeats
    dropped. No key left: UsageError."""
    raw = [keys] if isinstance(keys, str) else list(keys)
    parts: list[str] = []
    for item in raw:
        for sep in _KEY_SEPARATORS[1:]:
            item = item.replace(sep, _KEY_SEPARATORS[0])
        parts.extend(item.split(_KEY_SEPARATORS[0]))
    out: list[str] = []
    for p in (p.strip() for p in parts):
        if p and p not in out:
            out.append(p)
    if not out:
        raise UsageError(msg(QT_TRANSLATE_NOOP("messages", "A lore entry needs at least one key (a name or word that "
                                                           "brings it into the prompt); only blanks were given.")),
                         hint=msg(QT_TRANSLATE_NOOP("messages", "Give keys separated by commas, e.g. Mara, 玛拉.")))
    return tuple(out)


def estimate_tokens(text: str) -> int:
    """An upper-leaning token count without a tokenizer (see CHARS_PER_TOKEN_BOUND)."""
    cjk = sum(1 for c in text if is_cjk(c))
    return cjk + math.ceil((len(text) - cjk) / CHARS_PER_TOKEN_BOUND)


def _is_word_char(c: str) -> bool:
    # A letter or digit of a script that spaces its words: a Chinese character next to "Mara" is no word of it.
    return (c.isalnum() or c == "_") and not is_cjk(c)


def key_found(key: str, text: str, *, case_sensitive: bool = False, whole_word: bool = False) -> bool:
    """Whether ``key`` occurs literally in ``text`` under the entry's options."""
    if not key:
        return False
    needle, hay = (key, text) if case_sensitive else (key.casefold(), text.casefold())
    cjk_key = any(is_cjk(c) for c in key)
    if not whole_word or cjk_key:
        return needle in hay
    i = hay.find(needle)
    while i >= 0:
        before = hay[i - 1] if i > 0 else ""
        after = hay[i + len(needle)] if i + len(needle) < len(hay) else ""
        # A boundary is needed only where the key itself starts or ends with a word character ("[1]" has none).
        left_ok = not (_is_word_char(needle[0]) and before and _is_word_char(before))
        right_ok = not (_is_word_char(needle[-1]) and after and _is_word_char(after))
        if left_ok and right_ok:
            return True
        i = hay.find(needle, i + 1)
    return False


def triggered(entries: Sequence[LoreEntry], before: str, scan_chars: int = DEFAULT_SCAN_CHARS) -> list[LoreHit]:
    """The entries in for text ending at the cursor (``before``), in prompt order: pinned ones always, disabled
    ones never, the others when one of their keys is in the last ``scan_chars`` characters."""
    window = before[-scan_chars:] if scan_chars > 0 else ""
    hits: list[LoreHit] = []
    for e in sorted(entries, key=lambda e: (e.position, e.id or 0)):
        if not e.enabled or not e.text.strip():
            continue
        if e.pinned:
            hits.append(LoreHit(entry_id=e.id, text=e.text, key="", pinned=True, position=e.position))
            continue
        key = next((k for k in e.keys if key_found(k, window, case_sensitive=e.case_sensitive,
                                                   whole_word=e.whole_word)), None)
        if key is not None:
            hits.append(LoreHit(entry_id=e.id, text=e.text, key=key, position=e.position))
    return hits


@dataclass(frozen=True)
class ContextSize:
    n_ctx: int
    source: str  # "model" (the loaded one), "settings" (the model settings' n_ctx) or "default"
    exact: bool  # counted with the model's tokenizer (else estimate_tokens)


class LoreService:
    """A draft's lorebook. ``use_model`` tells it the loaded model's context and token counter (thread-safe, or
    None): entries are then measured exactly at save; without one, by the model settings' context and a bound."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._n_ctx: int | None = None
        self._count: Callable[[str], int] | None = None

    def use_model(self, n_ctx: int | None, count_tokens: Callable[[str], int] | None = None) -> None:
        self._n_ctx = n_ctx or None
        self._count = count_tokens

    # -- reading ---------------------------------------------------------------------------------------------
    def list(self, draft_id: int) -> builtins.list[LoreEntry]:
        with self._store.unit_of_work(readonly=True) as uow:
            return uow.lore.list(draft_id)

    def get(self, entry_id: int) -> LoreEntry:
        with self._store.unit_of_work(readonly=True) as uow:
            return uow.lore.get(entry_id)

    def scan_chars(self, draft_id: int) -> int:
        with self._store.unit_of_work(readonly=True) as uow:
            uow.drafts.get(draft_id)
            return uow.lore.scan_chars(draft_id)

    def triggered(self, draft_id: int, before: str) -> builtins.list[LoreHit]:
        """The entries ``draft_id``'s text before the cursor brings in (with the key that did), in prompt order."""
        with self._store.unit_of_work(readonly=True) as uow:
            entries = uow.lore.list(draft_id)
            depth = uow.lore.scan_chars(draft_id)
        return triggered(entries, before, depth)

    # -- writing ---------------------------------------------------------------------------------------------
    def add(self, draft_id: int, keys: str | Iterable[str], text: str, *, pinned: bool = False, enabled: bool = True,
            case_sensitive: bool = False, whole_word: bool = False) -> LoreEntry:
        entry = LoreEntry(id=None, draft_id=draft_id, keys=parse_keys(keys), text=self._checked_text(text),
                          pinned=pinned, enabled=enabled, case_sensitive=case_sensitive, whole_word=whole_word)
        with self._store.unit_of_work() as uow:
            return uow.lore.add(entry)

    def update(self, entry_id: int, *, keys: str | Iterable[str] | None = None, text: str | None = None,
               pinned: bool | None = None, enabled: bool | None = None, case_sensitive: bool | None = None,
               whole_word: bool | None = None, position: int | None = None) -> LoreEntry:
        changes: dict[str, object] = {}
        if keys is not None:
            changes["keys"] = parse_keys(keys)
        if text is not None:
            changes["text"] = self._checked_text(text)
        for name, value in (("pinned", pinned), ("enabled", enabled), ("case_sensitive", case_sensitive),
                            ("whole_word", whole_word), ("position", position)):
            if value is not None:
                changes[name] = value
        with self._store.unit_of_work() as uow:
            return uow.lore.update(entry_id, **changes)

    def pin(self, entry_id: int, pinned: bool = True) -> LoreEntry:
        return self.update(entry_id, pinned=pinned)

    def disable(self, entry_id: int, disabled: bool = True) -> LoreEntry:
        return self.update(entry_id, enabled=not disabled)

    def remove(self, entry_id: int) -> LoreEntry:
        with self._store.unit_of_work() as uow:
            return uow.lore.remove(entry_id)

    def set_scan_chars(self, draft_id: int, chars: int) -> None:
        if not 0 < chars <= MAX_SCAN_CHARS:
            raise UsageError(msg(QT_TRANSLATE_NOOP("messages", "The lore scan depth must be between 1 and {most} "
                                                               "characters, not {chars}."),
                                 most=f"{MAX_SCAN_CHARS:,}", chars=chars))
        with self._store.unit_of_work() as uow:
            uow.lore.set_scan_chars(draft_id, chars)

    # -- sizes -----------------------------------------------------------------------------------------------
    def context_size(self) -> ContextSize:
        """The context entries are measured against: the loaded model's, else the model settings', else the
        default."""
        if self._n_ctx:
            return ContextSize(self._n_ctx, "model", self._count is not None)
        from studio.services.generation import SETTING_N_CTX

        with self._store.unit_of_work(readonly=True) as uow:
            stored = uow.settings.get(SETTING_N_CTX)
        try:
            n = int(stored) if stored else 0
        except (TypeError, ValueError):
            n = 0
        return ContextSize(n, "settings", False) if n > 0 else ContextSize(DEFAULT_N_CTX, "default", False)

    def measure(self, text: str) -> tuple[int, ContextSize]:
        """(tokens of ``text``, the context it is measured against)."""
        size = self.context_size()
        if size.exact and self._count is not None:
            return self._count(text), size
        return estimate_tokens(text), size

    def _checked_text(self, text: str) -> str:
        if not text.strip():
            raise UsageError(msg(QT_TRANSLATE_NOOP("messages", "A lore entry needs a text: what the model should "
                                                               "know when its key comes up.")))
        tokens, size = self.measure(text)
        room = size.n_ctx - RESERVED_TOKENS
        if tokens > room:
            how = (msg(QT_TRANSLATE_NOOP("messages", "counted with the loaded model's tokenizer")) if size.exact
                   else msg(QT_TRANSLATE_NOOP("messages", "estimated at one token per Chinese character and per "
                                                          "{n} other characters, no model being loaded"),
                            n=CHARS_PER_TOKEN_BOUND))
            whose = {"model": msg(QT_TRANSLATE_NOOP("messages", "the loaded model's")),
                     "settings": msg(QT_TRANSLATE_NOOP("messages", "the model settings'")),
                     "default": msg(QT_TRANSLATE_NOOP("messages", "the default"))}[size.source]
            raise UsageError(
                msg(QT_TRANSLATE_NOOP("messages", "This lore entry is too large for the context: about {tokens} "
                                                  "tokens ({how}), and {whose} context of {n_ctx} tokens leaves "
                                                  "{room} for lore beside the draft and the output. Nothing was "
                                                  "saved."),
                    tokens=f"{tokens:,}", how=how, whose=whose, n_ctx=f"{size.n_ctx:,}", room=f"{max(0, room):,}"),
                hint=msg(QT_TRANSLATE_NOOP("messages", "Shorten it, or split it into entries with their own keys.")))
        return text
