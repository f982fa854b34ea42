"""Turning sampled token bytes into the text a writer sees, one safe piece at a time.

Pure Python, no llama.cpp: bytes in, whole characters out. It holds back

* an incomplete UTF-8 sequence (a CJK character or an emoji split across tokens),
* text that might be the start of a stop sequence (so a stop string never flashes up and disappears),
* leading whitespace the editor already has, and, for rewrites, trailing whitespace,

so that the concatenation of everything :meth:`OutputStream.feed` returned plus :meth:`OutputStream.finish`
is exactly :attr:`OutputStream.text`.
"""

from __future__ import annotations

import codecs
import re
from enum import Enum

# A line that goes on a list: "2.", "3)", "10、", "二、", "- ", "• " at its start. A line of digits alone may
# still become one ("12" before its "."), so it is held back until it is decided.
_ITEM = re.compile(r"(?:\d{1,3}|[一二三四五六七八九十]{1,3})[.)、．）]|[-*•·–]")
_MAYBE_ITEM = re.compile(r"(?:\d{1,3}|[一二三四五六七八九十]{1,3})")


class Leading(Enum):
    KEEP = "keep"
    SPACES = "spaces"  # drop leading spaces/tabs (the draft already ends with one)
    ALL = "all"  # drop all leading whitespace (rewrites: the selection's own is restored around the text)


class OutputStream:
    def __init__(self, *, stops: tuple[str, ...] = (), leading: Leading = Leading.KEEP,
                 trim_trailing: bool = False, prefix: str = "", suffix: str = "",
                 max_lines: int | None = None, list_only: bool = False, keep_prefix: bool = False) -> None:
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._stops = tuple(s for s in stops if s)
        self._longest_stop = max((len(s) for s in self._stops), default=0)
        self._leading = leading
        self._trim_trailing = trim_trailing
        self._prefix = prefix
        self._suffix = suffix
        self._max_lines = max_lines if max_lines and max_lines > 0 else None
        # The answer is a list (the Ask frame on a base model): the first line that is not an item ends it.
        self._list_only = list_only
        self._items_to = 0  # _raw[:_items_to] is whole lines, each an item or blank
        self._raw = ""  # content after leading whitespace was dropped
        self._started = False
        self._emitted = 0  # characters of _raw already handed out
        self._searched = 0  # stop sequences were looked for in _raw[:_searched]
        self._prefix_sent = False
        self._keep_prefix = keep_prefix  # the prefix is text of its own: shown even when nothing follows it
        self._out: list[str] = []
        self.done = False
        self.stopped_by: str | None = None  # "stop" (a stop sequence) or "form" (line count reached)

    @property
    def text(self) -> str:
        return "".join(self._out)

    @property
    def placement(self) -> tuple[int, int, int]:
        """Where the text fed in went (token_spans): characters kept after the leading whitespace, how many of
        them were handed out, and where they start in :attr:`text` (after the prefix)."""
        return len(self._raw), self._emitted, len(self._prefix) if self._prefix_sent else 0

    def feed(self, piece: bytes) -> str:
        """Take the bytes of one token; return the text that is now safe to show (maybe "")."""
        if self.done:
            return ""
        return self._push(self._decoder.decode(piece, final=False))

    def finish(self) -> str:
        """No more tokens: flush what was held back (an unfinished UTF-8 sequence becomes U+FFFD)."""
        out = "" if self.done else self._push(self._decoder.decode(b"", final=True))
        if self.done:
            return out + self._close()
        end = len(self._raw)
        if self._trim_trailing:
            end = len(self._raw.rstrip())
        out += self._take(end)
        return out + self._close()

    # -------------------------------------------------------------------------------------------- internals

    def _push(self, text: str) -> str:
        if not text:
            return ""
        if not self._started:
            if self._leading is Leading.ALL:
                text = text.lstrip()
            elif self._leading is Leading.SPACES:
                text = text.lstrip(" \t")
            if not text:
                return ""
            self._started = True
        self._raw += text

        cut = self._find_stop()
        if cut is not None:
            self.done, self.stopped_by = True, "stop"
            return self._take(self._final_end(cut))
        cut = self._find_line_limit()
        if cut is not None:
            self.done, self.stopped_by = True, "form"
            return self._take(self._final_end(cut))
        cut, undecided = self._find_list_end()
        if cut is not None:
            self.done, self.stopped_by = True, "form"
            return self._take(self._final_end(cut))

        end = min(len(self._raw) - self._partial_stop_len(), undecided)
        if self._trim_trailing:
            end = min(end, len(self._raw.rstrip()))
        return self._take(end)

    def _find_stop(self) -> int | None:
        if not self._stops:
            return None
        # A stop sequence cannot match inside leading whitespace: "\n" as a stop means "after a line of text",
        # not "immediately" when the cursor sits at the start of a line.
        body_start = len(self._raw) - len(self._raw.lstrip())
        start = max(body_start, self._searched - self._longest_stop + 1, 0)
        best: int | None = None
        for s in self._stops:
            i = self._raw.find(s, start)
            if i >= 0 and (best is None or i < best):
                best = i
        self._searched = len(self._raw)
        return best

    def _find_line_limit(self) -> int | None:
        if self._max_lines is None:
            return None
        lines = 0
        pos = 0
        while True:
            nl = self._raw.find("\n", pos)
            if nl < 0:
                return None
            if self._raw[pos:nl].strip():
                lines += 1
                if lines >= self._max_lines:
                    return nl
            pos = nl + 1

    def _find_list_end(self) -> tuple[int | None, int]:
        """(where the list ends, or None; where text still undecided begins: a line that may or may not be an
        item is not shown yet)."""
        if not self._list_only:
            return None, len(self._raw)
        if self._items_to == 0:  # the first line goes on from the prefix ("1."): an item by construction
            nl = self._raw.find("\n")
            if nl < 0:
                return None, len(self._raw)
            self._items_to = nl + 1
        pos = self._items_to
        while pos <= len(self._raw):
            nl = self._raw.find("\n", pos)
            line = self._raw[pos:] if nl < 0 else self._raw[pos:nl]
            head = line.lstrip()
            if head and not _ITEM.match(head):
                if nl >= 0 or not _MAYBE_ITEM.fullmatch(head):
                    return pos - 1, len(self._raw)  # cut before the newline that began it
            if nl < 0:
                decided = bool(head) and _ITEM.match(head) is not None
                return None, len(self._raw) if decided else pos - 1
            pos = self._items_to = nl + 1
        return None, len(self._raw)

    def _partial_stop_len(self) -> int:
        """Length of the longest tail of the text that is a proper prefix of a stop sequence."""
        best = 0
        for s in self._stops:
            for k in range(min(len(s) - 1, len(self._raw)), best, -1):
                if self._raw.endswith(s[:k]):
                    best = k
                    break
        return best

    def _final_end(self, cut: int) -> int:
        return len(self._raw[:cut].rstrip()) if self._trim_trailing else cut

    def _take(self, end: int) -> str:
        if end <= self._emitted:
            return ""
        piece = self._raw[self._emitted:end]
        self._emitted = end
        if not self._prefix_sent:
            self._prefix_sent = True
            piece = self._prefix + piece
        self._out.append(piece)
        return piece

    def _close(self) -> str:
        if self._keep_prefix and not self._prefix_sent:
            self._prefix_sent = True
            self._out.append(self._prefix)
            return self._prefix
        if self._prefix_sent and self._suffix:
            self._out.append(self._suffix)
            suffix, self._suffix = self._suffix, ""
            return suffix
        return ""
