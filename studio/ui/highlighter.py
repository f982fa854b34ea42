"""Form-aware highlighting, one line (block) at a time.

QSyntaxHighlighter re-runs only the edited block (and the following ones while their state changes), so the
rules here look at one line plus the state the previous line left: that keeps typing in a 200,000-word draft
as cheap as in a short one. Fountain is classified line by line with the same rules studio.forms.fountain uses
for a whole script (scene headings, cues, dialogue, transitions...); the exporter keeps using the full parser.
"""

from __future__ import annotations

import re
from enum import IntEnum

from PySide6.QtGui import QColor, QFont, QSyntaxHighlighter, QTextCharFormat, QTextDocument

from studio.domain import Form
from studio.ui.textpos import has_astral, to_u16
from studio.ui.theme import Theme

# Fountain line patterns (https://fountain.io/syntax).
_SCENE = re.compile(r"^(?:INT|EXT|EST|INT\.?/EXT|I/E)[. ]", re.IGNORECASE)
_FORCED_SCENE = re.compile(r"^\.[^.]")
_TRANSITION = re.compile(r"^[A-Z0-9 .'\-]+TO:$")
_CENTERED = re.compile(r"^>.*<$")
_CUE = re.compile(r"^[^a-z]*[A-Z][^a-z]*?(\s*\([^)]*\))*\s*\^?$")
_EMPHASIS = re.compile(r"(\*\*\*|\*\*|\*|_)(?=\S)(.+?)(?<=\S)\1")
_NOTE = re.compile(r"\[\[.*?\]\]")
# Lyrics section labels: "[Chorus]", "[Verse 2]", "[副歌]", or a bare "Chorus:" line.
_LYRIC_SECTION = re.compile(
    r"^\s*(\[[^\]]+\]|\((?:verse|chorus|bridge|hook|intro|outro|pre-chorus)[^)]*\)|"
    r"(?:verse|chorus|pre-chorus|bridge|hook|intro|outro|refrain|interlude)(?:\s*\d+)?\s*:?)\s*$",
    re.IGNORECASE,
)
_HEADING = re.compile(r"^#{1,6}\s")
_SCENE_BREAK = re.compile(r"^\s*(\*\s*\*\s*\*|#|~~~|---)\s*$")


def is_section_label(line: str) -> bool:
    """A lyrics section label ("[Chorus]") or a Markdown heading: structure, not a sung or read line."""
    return bool(_LYRIC_SECTION.match(line) or _HEADING.match(line))


class LineState(IntEnum):
    """What a line was, kept in QTextBlock.userState so the next line can be classified from it."""

    NONE = 0
    BLANK = 1
    ACTION = 2
    SCENE = 3
    CHARACTER = 4
    PARENTHETICAL = 5
    DIALOGUE = 6
    TRANSITION = 7
    OTHER = 8


_BONEYARD = 0x100  # flag: an unfinished /* ... */ continues on the next line


class FormHighlighter(QSyntaxHighlighter):
    def __init__(self, document: QTextDocument, form: Form, theme: Theme) -> None:
        super().__init__(document)
        self._form = form
        self._formats: dict[str, QTextCharFormat] = {}
        self._text: str | None = None
        self._build_formats(theme)

    @property
    def form(self) -> Form:
        return self._form

    def set_form(self, form: Form) -> None:
        if form != self._form:
            self._form = form
            self.rehighlight()

    def set_theme(self, theme: Theme) -> None:
        self._build_formats(theme)
        self.rehighlight()

    def _build_formats(self, theme: Theme) -> None:
        def fmt(color: str, *, bold: bool = False, italic: bool = False, caps: bool = False) -> QTextCharFormat:
            f = QTextCharFormat()
            f.setForeground(theme.color(color))
            if bold:
                f.setFontWeight(QFont.Weight.Bold)
            if italic:
                f.setFontItalic(True)
            if caps:
                f.setFontCapitalization(QFont.Capitalization.AllUppercase)
            return f

        self._formats = {
            "scene": fmt("scene", bold=True),
            "character": fmt("character", bold=True),
            "parenthetical": fmt("parenthetical", italic=True),
            "dialogue": fmt("dialogue"),
            "transition": fmt("transition", bold=True),
            "centered": fmt("transition"),
            "note": fmt("note", italic=True),
            "section": fmt("section", bold=True),
            "heading": fmt("heading", bold=True),
            "synopsis": fmt("note", italic=True),
            "lyric": fmt("section", italic=True),
        }
        bold = QTextCharFormat()
        bold.setFontWeight(QFont.Weight.Bold)
        italic = QTextCharFormat()
        italic.setFontItalic(True)
        under = QTextCharFormat()
        under.setFontUnderline(True)
        self._emphasis = {"*": italic, "**": bold, "***": _merged(bold, italic), "_": under}
        muted = QColor(theme.color("note"))
        self._markup = QTextCharFormat()
        self._markup.setForeground(muted)

    # -- QSyntaxHighlighter --------------------------------------------------------------------------------
    def highlightBlock(self, text: str) -> None:  # noqa: N802 - Qt's name
        # Rules find Python indices; Qt wants UTF-16 positions. They only differ when the line has an emoji.
        self._text = text if has_astral(text) else None
        prev = self.previousBlockState()
        prev = prev if prev >= 0 else 0
        if self._form == Form.SCREENPLAY:
            self._fountain(text, prev)
            return
        # Prose and lyrics lines stand alone: a line's state only says whether it is blank.
        self.setCurrentBlockState(LineState.BLANK if not text.strip() else LineState.OTHER)
        if text:
            (self._lyrics if self._form == Form.LYRICS else self._prose)(text)

    def _set(self, start: int, length: int, fmt: QTextCharFormat) -> None:
        if self._text is not None:
            end = to_u16(self._text, start + length)
            start = to_u16(self._text, start)
            length = end - start
        self.setFormat(start, length, fmt)

    def _format_at(self, index: int) -> QTextCharFormat:
        return self.format(to_u16(self._text, index) if self._text is not None else index)

    # -- forms ---------------------------------------------------------------------------------------------
    def _prose(self, text: str) -> None:
        if _HEADING.match(text):
            self._set(0, len(text), self._formats["heading"])
            return
        if _SCENE_BREAK.match(text):
            self._set(0, len(text), self._markup)
            return
        if "*" in text or "_" in text:
            self._inline_emphasis(text)

    def _lyrics(self, text: str) -> None:
        if _LYRIC_SECTION.match(text):
            self._set(0, len(text), self._formats["section"])
        elif _HEADING.match(text):
            self._set(0, len(text), self._formats["heading"])
        elif text.lstrip().startswith("(") and text.rstrip().endswith(")"):
            self._set(0, len(text), self._formats["parenthetical"])  # backing vocals, "(x2)"

    def _fountain(self, text: str, prev_state: int) -> None:
        boneyard_open = bool(prev_state & _BONEYARD)
        prev = LineState(prev_state & 0xFF) if (prev_state & 0xFF) in LineState._value2member_map_ else LineState.NONE
        line, state, boneyard_open = self._boneyard(text, boneyard_open)
        stripped = line.strip()
        if not stripped:
            kind = LineState.BLANK
            # A blank line of exactly two spaces keeps a dialogue block going (Fountain's rule).
            if line == "  " and prev in (LineState.DIALOGUE, LineState.PARENTHETICAL):
                kind = LineState.DIALOGUE
        else:
            kind = self._classify_fountain(line, stripped, prev)
        self.setCurrentBlockState(int(kind) | (_BONEYARD if boneyard_open else 0))
        name = {
            LineState.SCENE: "scene",
            LineState.CHARACTER: "character",
            LineState.PARENTHETICAL: "parenthetical",
            LineState.DIALOGUE: "dialogue",
            LineState.TRANSITION: "transition",
        }.get(kind)
        if name and stripped:
            self._set(0, len(text), self._formats[name])
        elif kind == LineState.OTHER:
            self._fountain_other(text, stripped)
        if kind in (LineState.ACTION, LineState.DIALOGUE) and ("*" in text or "_" in text):
            self._inline_emphasis(text)
        for m in _NOTE.finditer(text):
            self._set(m.start(), m.end() - m.start(), self._formats["note"])
        for start, length in state:
            self._set(start, length, self._formats["note"])

    def _classify_fountain(self, line: str, stripped: str, prev: LineState) -> LineState:
        after_blank = prev in (LineState.BLANK, LineState.NONE, LineState.SCENE, LineState.TRANSITION)
        if stripped.startswith(("#", "=", "~")) or _CENTERED.match(stripped) or stripped == "===":
            return LineState.OTHER
        if stripped.startswith("!"):
            return LineState.ACTION
        if stripped.startswith("@"):
            return LineState.CHARACTER
        if prev in (LineState.CHARACTER, LineState.DIALOGUE, LineState.PARENTHETICAL):
            if stripped.startswith("(") and stripped.endswith(")"):
                return LineState.PARENTHETICAL
            return LineState.DIALOGUE
        if _FORCED_SCENE.match(stripped) or (after_blank and _SCENE.match(stripped)):
            return LineState.SCENE
        if stripped.startswith(">"):
            return LineState.TRANSITION
        if after_blank and _TRANSITION.match(stripped):
            return LineState.TRANSITION
        if after_blank and _CUE.match(stripped) and any(c.isalpha() for c in stripped):
            return LineState.CHARACTER
        return LineState.ACTION

    def _fountain_other(self, text: str, stripped: str) -> None:
        if stripped.startswith("#"):
            self._set(0, len(text), self._formats["section"])
        elif stripped.startswith("=") and not stripped.startswith("==="):
            self._set(0, len(text), self._formats["synopsis"])
        elif stripped.startswith("~"):
            self._set(0, len(text), self._formats["lyric"])
        elif _CENTERED.match(stripped):
            self._set(0, len(text), self._formats["centered"])
        else:
            self._set(0, len(text), self._markup)  # page break

    def _boneyard(self, text: str, open_: bool) -> tuple[str, list[tuple[int, int]], bool]:
        """The line with /* ... */ blanked out, the spans to grey, and whether a comment is still open."""
        if "/*" not in text and "*/" not in text and not open_:
            return text, [], False
        spans: list[tuple[int, int]] = []
        chars = list(text)
        i = 0
        start = 0 if open_ else -1
        while i < len(text):
            if start < 0 and text.startswith("/*", i):
                start = i
                i += 2
                continue
            if start >= 0 and text.startswith("*/", i):
                spans.append((start, i + 2 - start))
                for j in range(start, i + 2):
                    chars[j] = " "
                start = -1
                i += 2
                continue
            i += 1
        if start >= 0:
            spans.append((start, len(text) - start))
            for j in range(start, len(text)):
                chars[j] = " "
        return "".join(chars), spans, start >= 0

    def _inline_emphasis(self, text: str) -> None:
        for m in _EMPHASIS.finditer(text):
            mark = m.group(1)
            fmt = self._emphasis.get(mark)
            if fmt is None:
                continue
            self._set(m.start(), len(mark), self._markup)
            self._set(m.start(2), len(m.group(2)), _merged(self._format_at(m.start(2)), fmt))
            self._set(m.end(2), len(mark), self._markup)


def _merged(base: QTextCharFormat, extra: QTextCharFormat) -> QTextCharFormat:
    f = QTextCharFormat(base)
    f.merge(extra)
    return f
