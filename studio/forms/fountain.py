"""Fountain (plain-text screenplay) parsing: one pass over the lines, returning elements with spans.

Follows the Fountain 1.1 syntax (https://fountain.io/syntax). Each ``Element`` names its line and the column
span it covers in that line, so the editor can colour a block with no whole-document offsets, and the exporter
can walk the same list. Notes ``[[...]]`` and boneyard ``/* ... */`` may span lines; they are reported per
line, and the text around them is classified as if they were not there.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from studio.forms.counting import split_lines


class ElementKind(StrEnum):
    TITLE_PAGE = "title_page"
    SCENE_HEADING = "scene_heading"
    ACTION = "action"
    CHARACTER = "character"
    PARENTHETICAL = "parenthetical"
    DIALOGUE = "dialogue"
    TRANSITION = "transition"
    CENTERED = "centered"
    LYRIC = "lyric"
    NOTE = "note"
    BONEYARD = "boneyard"
    SECTION = "section"
    SYNOPSIS = "synopsis"
    PAGE_BREAK = "page_break"


# Elements that Fountain says are for the writer only and never printed.
UNPRINTED = frozenset({ElementKind.NOTE, ElementKind.BONEYARD, ElementKind.SECTION, ElementKind.SYNOPSIS})


@dataclass(frozen=True)
class Element:
    """One Fountain element on one line.

    ``start``/``end`` are column offsets into that line (end exclusive) covering the element including any
    forcing mark, so a highlighter can format exactly that range. ``text`` is the content without forcing marks,
    notes or boneyard (for a character cue: "TOM (V.O.)" without "@" or "^").
    """

    kind: ElementKind
    line_index: int
    start: int
    end: int
    text: str
    dual: bool = False  # character cue of the second speaker in dual dialogue ("^")
    level: int = 0  # section depth (number of "#")
    key: str = ""  # title page key ("Title", "Credit"...), lowercased
    scene_number: str = ""  # "#12A#" at the end of a scene heading, without the hashes


_SCENE = re.compile(r"^(?:INT|EXT|EST|INT\.?/EXT|I/E)[. ]", re.IGNORECASE)
_SCENE_NUMBER = re.compile(r"\s*#([\w.\-]+)#\s*$")
_TITLE_FIRST_KEYS = {"title", "credit", "author", "authors", "source", "draft date", "date", "contact", "contact info",
                     "copyright", "notes", "revision", "format", "font", "watermark"}
_TITLE_KEY = re.compile(r"^([A-Za-z][A-Za-z0-9 _.\-]{0,40}):(.*)$")
_PAGE_BREAK = re.compile(r"^={3,}$")
_CENTERED = re.compile(r"^>\s*(.*?)\s*<$")
_TRANSITION_TAIL = re.compile(r"TO:$")
_EXTENSION = re.compile(r"\s*(\([^)]*\)\s*)+$")


_CLOSERS = {ElementKind.BONEYARD: "*/", ElementKind.NOTE: "]]"}  # each two characters long


def _blank_masks(lines: list[str]) -> tuple[list[list[tuple[int, int, ElementKind]]], list[str]]:
    """Find boneyard and note spans (which may cross lines) and return each line with them blanked out.

    Blanking with spaces keeps every other column where it was, so spans of the remaining element stay right.
    """
    spans: list[list[tuple[int, int, ElementKind]]] = [[] for _ in lines]
    cleaned: list[str] = []
    inside: ElementKind | None = None  # the span an earlier line or column opened and has not closed
    for i, line in enumerate(lines):
        chars = list(line)
        pos = 0
        n = len(line)
        while pos < n:
            if inside is not None:
                close = line.find(_CLOSERS[inside], pos)
                end = n if close < 0 else close + 2
                spans[i].append((pos, end, inside))
                chars[pos:end] = " " * (end - pos)
                pos = end
                if close >= 0:
                    inside = None
                continue
            b = line.find("/*", pos)
            o = line.find("[[", pos)
            if b < 0 and o < 0:
                break
            if o < 0 or (0 <= b < o):
                pos, inside = b, ElementKind.BONEYARD
            else:
                pos, inside = o, ElementKind.NOTE
        # An unclosed note runs on only while lines keep coming; a blank line ends it (Fountain's rule).
        if inside == ElementKind.NOTE and not line.strip():
            inside = None
        cleaned.append("".join(chars))
    return spans, cleaned


_SENTENCE_PUNCT = re.compile(r"[。！？，；：…、.!?,;]")


def _is_upper_cue(name: str) -> bool:
    # "McCLANE" needs "@"; "R2-D2" and "HAL 9000" are fine: uppercase letters, at least one of them.
    if not any(c.isalpha() for c in name) or name != name.upper():
        return False
    if any(c.isupper() for c in name):
        return True
    # Chinese and Japanese have no case, so "upper case" says nothing: a caseless cue must look like a name
    # (short, no sentence punctuation), or every line of action followed by another line would become a cue.
    return len(name) <= 12 and not _SENTENCE_PUNCT.search(name)


def parse(text: str) -> list[Element]:
    """Parse Fountain ``text`` into elements, in line order (a line may carry several: action plus a note)."""
    lines = split_lines(text)
    spans, clean = _blank_masks(lines)
    out: list[Element] = []

    def blank(i: int) -> bool:
        return i < 0 or i >= len(lines) or not clean[i].strip()

    def extent(i: int) -> tuple[int, int]:
        s = clean[i]
        stripped = s.strip()
        start = s.find(stripped[0]) if stripped else 0
        return start, start + len(stripped)

    # Title page: only at the very top, "Key: value" lines with indented continuations, up to a blank line.
    i = 0
    first = _TITLE_KEY.match(clean[0].strip()) if lines else None
    if first and first.group(1).strip().lower() in _TITLE_FIRST_KEYS:
        key = ""
        while i < len(lines) and clean[i].strip():
            line = clean[i]
            m = _TITLE_KEY.match(line.strip())
            s, e = extent(i)
            if m and not line[:1].isspace():
                key = m.group(1).strip().lower()
                out.append(Element(ElementKind.TITLE_PAGE, i, s, e, m.group(2).strip(), key=key))
            else:
                out.append(Element(ElementKind.TITLE_PAGE, i, s, e, line.strip(), key=key))
            i += 1

    in_dialogue = False
    while i < len(lines):
        raw = clean[i]
        line = raw.strip()
        if not line:
            # Two spaces alone keep a dialogue block going (a deliberate empty line inside a speech).
            if in_dialogue and raw == "  " and not spans[i]:
                out.append(Element(ElementKind.DIALOGUE, i, 0, 2, ""))
            elif not spans[i]:
                in_dialogue = False  # a line holding only a note or boneyard does not end a speech
        else:
            start, end = extent(i)
            kind, content, extra = _classify(line, i, in_dialogue, blank)
            in_dialogue = kind in (ElementKind.CHARACTER, ElementKind.PARENTHETICAL, ElementKind.DIALOGUE)
            out.append(Element(kind, i, start, end, content, **extra))
        # Notes and boneyard come after the line's own element, so a highlighter painting in order lays them on top.
        for s, e, kind in spans[i]:
            piece = lines[i][s:e]
            if kind == ElementKind.NOTE:
                piece = piece.removeprefix("[[").removesuffix("]]")
            else:
                piece = piece.removeprefix("/*").removesuffix("*/")
            out.append(Element(kind, i, s, e, piece.strip()))
        i += 1
    return out


def _classify(
    line: str, i: int, in_dialogue: bool, blank: Callable[[int], bool]
) -> tuple[ElementKind, str, dict[str, Any]]:
    """The kind of a non-blank (already stripped) line, its text without forcing marks, and extra fields."""
    if _PAGE_BREAK.match(line):
        return ElementKind.PAGE_BREAK, "", {}
    if line.startswith("!"):
        return ElementKind.ACTION, line[1:], {}
    if in_dialogue:
        if line.startswith("(") and line.endswith(")"):
            return ElementKind.PARENTHETICAL, line, {}
        return ElementKind.DIALOGUE, line, {}
    if line.startswith("#"):
        level = len(line) - len(line.lstrip("#"))
        return ElementKind.SECTION, line[level:].strip(), {"level": level}
    if line.startswith("="):
        return ElementKind.SYNOPSIS, line[1:].strip(), {}
    m = _CENTERED.match(line)
    if m:
        return ElementKind.CENTERED, m.group(1), {}
    if line.startswith(">"):
        return ElementKind.TRANSITION, line[1:].strip(), {}
    if line.startswith("~"):
        return ElementKind.LYRIC, line[1:].lstrip(), {}
    if line.startswith(".") and not line.startswith(".."):
        return (ElementKind.SCENE_HEADING, *_scene(line[1:].strip()))
    if line.startswith("@"):
        return _cue(line[1:])
    if blank(i - 1) and _SCENE.match(line):
        return (ElementKind.SCENE_HEADING, *_scene(line))
    if blank(i - 1) and blank(i + 1) and _TRANSITION_TAIL.search(line) and line == line.upper():
        return ElementKind.TRANSITION, line, {}
    if blank(i - 1) and not blank(i + 1):
        name = _EXTENSION.sub("", line.removesuffix("^").rstrip())
        if _is_upper_cue(name):
            return _cue(line)
    return ElementKind.ACTION, line, {}


def _scene(text: str) -> tuple[str, dict[str, Any]]:
    m = _SCENE_NUMBER.search(text)
    if m:
        return text[: m.start()].rstrip(), {"scene_number": m.group(1)}
    return text, {}


def _cue(text: str) -> tuple[ElementKind, str, dict[str, Any]]:
    text = text.strip()
    dual = text.endswith("^")
    return ElementKind.CHARACTER, text.removesuffix("^").rstrip(), {"dual": dual}


def title_page(text: str) -> dict[str, str]:
    """The title page of a Fountain document as {lowercase key: value}; multi-line values joined with \\n."""
    values: dict[str, list[str]] = {}
    for el in parse_title_page_only(text):
        values.setdefault(el.key, [])
        if el.text:
            values[el.key].append(el.text)
    return {k: "\n".join(v) for k, v in values.items()}


def parse_title_page_only(text: str) -> list[Element]:
    """Title page elements, without parsing the (possibly long) script after it."""
    head, _, _ = text.partition("\n\n")
    return [e for e in parse(head) if e.kind == ElementKind.TITLE_PAGE]


def split_title_page(text: str) -> tuple[dict[str, str], str]:
    """(title page values, the script after the title page and its blank line)."""
    lines = split_lines(text)
    els = parse_title_page_only(text)
    if not els:
        return {}, text
    last = max(e.line_index for e in els)
    rest = lines[last + 1 :]
    while rest and not rest[0].strip():
        rest.pop(0)
    body = "\n".join(rest)
    if rest and text.endswith("\n"):
        body += "\n"
    return title_page(text), body


def elements_by_line(elements: list[Element]) -> dict[int, list[Element]]:
    """Elements grouped by line index, for a highlighter that formats one block at a time."""
    grouped: dict[int, list[Element]] = {}
    for el in elements:
        grouped.setdefault(el.line_index, []).append(el)
    return grouped


_NEEDS_FORCING = re.compile(r"^\s*(?:[.!@~>#=^]|\[\[|/\*)")


def force_action(line: str) -> str:
    """``line`` marked with "!" when a Fountain reader could take it for something other than action.

    Used when prose or a converted paragraph is written out as Fountain: an all-caps line ("BANG!") would
    otherwise become a character cue, "INT. maybe" a scene heading, "FADE TO:" a transition.
    """
    s = line.strip()
    if not s:
        return line
    risky = (
        _NEEDS_FORCING.match(line) is not None
        or _SCENE.match(s) is not None
        or (any(c.isalpha() for c in s) and s == s.upper())
        or _TRANSITION_TAIL.search(s) is not None
    )
    return "!" + line if risky else line
