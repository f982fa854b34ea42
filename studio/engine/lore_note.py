"""Where a Continue's lorebook entries go: one note inside the draft text, at a paragraph boundary just before the
scan window (the last N characters before the cursor, where their keys are looked for: services/lore.py).

Why late: llama.cpp keeps the longest common token prefix with its previous call (engine-notes). An entry that a
key just typed brings in changes the prompt only from the note on, about N characters plus a paragraph before the
cursor; in the header it changed the prompt at its start and the whole draft was read again (bench/lore_ttft.py
measured x1.09 of a cold start there). Just before the window, the entries come before every mention that
triggered them, as a reader would want.

Why in steps: the note's anchor is the last paragraph (else line, sentence, word) boundary at or before a point
N characters before the cursor *rounded down* to a multiple of a step of N/2 characters, counted from the start of
the text the model reads. While the writer types, the rounding holds the point still for N/2 characters, and the
boundary is found in text before it, which typing does not touch: the prompt up to the note keeps its tokens. The
note sits between N and 2N characters (plus the paragraph searched back) before the cursor: a new entry re-reads at
most that, and typing on re-reads it once per N/2 characters written, when the anchor steps on. A smaller step
would make a trigger cheaper and the steps more frequent; N/2 keeps both at about N per step. The anchor stays at 0
(right after the header) until the draft is longer than N plus a step: a short draft is read in full anyway.

Why it reads as a note: a bracketed paragraph of its own, labelled, like the author's notes that KoboldAI and
NovelAI insert at a depth ("[Author's note: ...]", mikupad's injected prefix and suffix), which the models those
tools run treat as aside, not as story; 【】 in a Chinese draft. The Continue stops on the opener, so a model that
starts another note ends the output there instead of writing lore into the draft.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from studio.domain import LoreHit

MIN_STEP = 256  # characters; a tiny scan depth still moves the note rarely
_BOUNDARIES = (re.compile(r"\n[ \t]*\n"), re.compile(r"\n"), re.compile(r"(?<=[.!?…。！？」』”\"'])\s*"),
               re.compile(r"\s+"))
_BRACKETS = {"en": ("[", "]"), "zh": ("【", "】")}
_LABEL = {"en": "Lore: ", "zh": "设定："}


def anchor(text: str, depth: int) -> int:
    """Where in ``text`` (the draft text the model reads, ending at the cursor) the note goes: a character index,
    0 for the start. Depends only on the text before a point that moves with ``len(text)`` in steps (see above), so
    typing, and any edit after that point, leaves it where it is."""
    step = max(MIN_STEP, depth // 2)
    target = len(text) - max(0, depth)
    point = target - target % step if target > 0 else 0
    if point <= 0:
        return 0
    low = max(0, point - step)
    for pattern in _BOUNDARIES:
        found = None
        for m in pattern.finditer(text, low, point):  # endpos: only text before the point is looked at
            if m.end() > low:
                found = m.end()
        if found is not None:
            return found
    return point


def opener(lang: str) -> str:
    """How a note starts: the output ends if the model writes it."""
    return _BRACKETS[lang][0] + _LABEL[lang].rstrip()


def line(hit: LoreHit, lang: str) -> str:
    """One entry in the note: its own bracketed line (blank lines inside an entry closed up, so the note stays
    one paragraph)."""
    body = re.sub(r"\n[ \t]*(?:\n[ \t]*)+", "\n", hit.text.strip())
    left, right = _BRACKETS[lang]
    return f"{left}{_LABEL[lang]}{body}{right}\n"


def note(hits: Sequence[LoreHit], lang: str) -> str:
    """The entries' note, ending in a blank line; "" without entries."""
    lines = "".join(line(h, lang) for h in hits if h.text.strip())
    return lines + "\n" if lines else ""


def placed(text: str, at: int, block: str) -> tuple[str, str, str]:
    """``text`` cut at ``at`` and the note made a paragraph of its own there: (before, note, after)."""
    head, tail = text[:at], text[at:]
    if not block:
        return head, "", tail
    newlines = len(head) - len(head.rstrip("\n"))
    pad = "" if at == 0 or newlines >= 2 else "\n" * (2 - newlines)
    return head, pad + block, tail
