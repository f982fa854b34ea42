"""Qt counts text positions in UTF-16 code units; Python strings count code points.

They differ by one for every character outside the Basic Multilingual Plane (emoji, rare CJK), which lyrics and
poems use. Every position that crosses between a QTextCursor and a Python string goes through here.
"""

from __future__ import annotations

import re

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def has_astral(text: str) -> bool:
    return not text.isascii() and _ASTRAL.search(text) is not None


def u16len(text: str) -> int:
    if text.isascii():
        return len(text)
    return len(text) + len(_ASTRAL.findall(text))


def to_index(text: str, u16_pos: int) -> int:
    """The Python index in ``text`` of a Qt position."""
    if not has_astral(text):
        return max(0, min(u16_pos, len(text)))
    extra = 0
    for m in _ASTRAL.finditer(text):
        if m.start() + extra >= u16_pos:
            break
        extra += 1
    return max(0, min(u16_pos - extra, len(text)))


def to_u16(text: str, index: int) -> int:
    """The Qt position of Python index ``index`` in ``text``."""
    return u16len(text[:index])
