"""Chinese-aware defaults: a draft written in Chinese gets a Chinese style unless the writer chose one.

Without this, a Chinese poem opened with the first poetry style, the English "Free verse", and its English
exemplars steered the model towards English. Which style: 中文散文 for prose, 中文流行歌词 for lyrics, and for
poetry 五言绝句 or 七言绝句 by the length of the lines (no Chinese screenplay style ships: a screenplay keeps its
default). The styles are found by their built-in keys, so a writer who renamed one still gets it, and one who
deleted it gets the form's default instead.

When: a new draft (created with text, or imported) at once; a draft created empty and filled later at the first
save where its text becomes Chinese, provided its style is still the one a new draft of that form gets (so the
writer had not chosen another). That happens once: a writer who then sets the style back keeps it, because the
text was already Chinese at the saves that follow. A fragment too short to judge (a title-like first line, or for
poetry no finished line yet to measure) waits for a later save.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Sequence

from studio.domain import Form, StyleVariant

CHINESE_STYLE_KEYS = {
    Form.PROSE: "prose.zh-sanwen",
    Form.LYRICS: "lyrics.zh-pop",
}
POETRY_FIVE = "poetry.wujue"
POETRY_SEVEN = "poetry.qijue"

# Han ideographs (not kana or hangul: a Japanese or Korean text is not Chinese).
_HAN_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_HAN = re.compile(f"[{_HAN_CLASS}]")
_KANA = re.compile("[\u3040-\u30ff]")
# Where a line of verse ends: a line break, or the punctuation Chinese verse puts at the end of each line
# (a 绝句 is often written as two lines of two clauses each: "春眠不觉晓，处处闻啼鸟。").
_VERSE_BREAK = re.compile("[\n\r，。！？；、,.!?;]")
_SAMPLE = 20_000  # characters judged: the head of a long draft says what language it is in
MIN_HAN = 6  # fewer Han characters than this is too little to judge by


def han_count(text: str) -> int:
    return len(_HAN.findall(text))


def is_mostly_chinese(text: str) -> bool:
    """Whether more than half of the letters in ``text`` are Han characters (and it is not Japanese), with at
    least :data:`MIN_HAN` of them."""
    sample = text[:_SAMPLE]
    han = han_count(sample)
    if han < MIN_HAN:
        return False
    letters = sum(1 for c in sample if c.isalpha())  # Han characters are letters to str.isalpha
    kana = len(_KANA.findall(sample))
    return han * 2 > letters and kana * 10 < letters


def verse_line_lengths(text: str) -> list[int]:
    """Han characters in each finished line of verse (one ended by a break or a clause's punctuation)."""
    pieces = _VERSE_BREAK.split(text[:_SAMPLE])
    finished = pieces[:-1]  # the last piece has no break after it yet: the writer may still be typing it
    return [n for n in (han_count(p) for p in finished) if n]


def chinese_style_key(form: Form, text: str) -> str | None:
    """The built-in Chinese style for a draft of ``form`` holding ``text``, or None: not Chinese, too little to
    judge, or no Chinese style for the form."""
    if not is_mostly_chinese(text):
        return None
    if form is Form.POETRY:
        lengths = verse_line_lengths(text)
        if not lengths:
            return None
        # The median line: a title line or a stray short clause does not decide it. 5 and 7 are the measures;
        # anything nearer 7 than 5 is 七言.
        return POETRY_SEVEN if statistics.median(lengths) >= 6 else POETRY_FIVE
    return CHINESE_STYLE_KEYS.get(form)


def chinese_style(form: Form, text: str, styles: Sequence[StyleVariant]) -> StyleVariant | None:
    """The Chinese style among ``styles`` (a form's styles as stored) for ``text``, or None."""
    key = chinese_style_key(form, text)
    if key is None:
        return None
    return next((s for s in styles if s.builtin_key == key and s.form is form), None)


def default_style(form: Form, text: str, styles: Sequence[StyleVariant]) -> StyleVariant | None:
    """The style a new draft of ``form`` holding ``text`` gets: the Chinese one for Chinese text, else the form's
    first style (built-ins first), or None when the form has none."""
    return chinese_style(form, text, styles) or next(iter(styles), None)


def style_after_save(
    form: Form, before: str, after: str, style_id: int | None, styles: Sequence[StyleVariant]
) -> StyleVariant | None:
    """The style a save should switch the draft to, or None to leave it: only when the text just became Chinese
    (``before`` was not, ``after`` is) and the style is still the form's default (see the module's doc)."""
    first = next(iter(styles), None)
    if style_id != (first.id if first else None):
        return None  # the writer chose a style
    if chinese_style_key(form, before) is not None:
        return None  # already decided on the text before this save: the style stands as the writer left it
    chosen = chinese_style(form, after, styles)
    return chosen if chosen is not None and chosen.id != style_id else None
