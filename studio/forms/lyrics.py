"""Song lyrics: section tags, per-line syllable counts and end-rhyme letters.

A section tag is a line holding only a bracketed name: "[Verse 1]", "[Chorus x2]", "[Bridge: Ana]", and the
Chinese forms "[副歌]" or "【主歌二】". Rhyme letters restart at A in each stanza (a run of lines between
blank lines or tags), because that is how a writer reads a scheme: verse "AABB", chorus "ABAB".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from studio.forms.counting import Lang, count_line, split_lines
from studio.forms.rhyme import rhyme_labels

_TAG = re.compile(r"^\s*(?:\[([^\[\]]{1,60})\]|【([^【】]{1,60})】)\s*$")
_NUMBER = re.compile(r"(\d+)|([一二三四五六七八九十]+)")
_CN_DIGITS = {c: i + 1 for i, c in enumerate("一二三四五六七八九")}

# Normalised tag name -> section kind. Longer names first so "pre-chorus" is not read as "chorus".
_KINDS: list[tuple[str, str]] = [
    ("pre-chorus", "pre-chorus"), ("prechorus", "pre-chorus"), ("pre chorus", "pre-chorus"),
    ("post-chorus", "post-chorus"), ("postchorus", "post-chorus"), ("post chorus", "post-chorus"),
    ("verse", "verse"), ("chorus", "chorus"), ("refrain", "chorus"), ("hook", "hook"), ("bridge", "bridge"),
    ("middle 8", "bridge"), ("intro", "intro"), ("outro", "outro"), ("coda", "outro"), ("interlude", "interlude"),
    ("instrumental", "interlude"), ("breakdown", "breakdown"), ("rap", "verse"), ("spoken", "spoken"),
    ("预副歌", "pre-chorus"), ("导歌", "pre-chorus"), ("主歌", "verse"), ("副歌", "chorus"), ("桥段", "bridge"),
    ("前奏", "intro"), ("尾奏", "outro"), ("结尾", "outro"), ("间奏", "interlude"), ("说唱", "verse"),
    ("念白", "spoken"),
]


@dataclass(frozen=True)
class Section:
    """A tagged part of a song. ``start`` is the tag's line index (or 0 for lines before any tag, where
    ``name`` is ""); ``end`` is the index after its last line."""

    name: str  # as written, without brackets: "Verse 1"
    kind: str  # verse, chorus, pre-chorus, post-chorus, bridge, hook, intro, outro, interlude, breakdown, spoken, other
    number: int | None
    start: int
    end: int


@dataclass(frozen=True)
class LyricLine:
    index: int  # 0-based line index in the text
    text: str
    section: int | None  # index into LyricsAnalysis.sections; None for blank lines before any content
    is_tag: bool
    syllables: int  # 0 for tags and blank lines
    rhyme: str | None  # scheme letter within its stanza; None for tags and blank lines


@dataclass(frozen=True)
class LyricsAnalysis:
    sections: list[Section]
    lines: list[LyricLine]

    def scheme(self, section: int) -> str:
        """The rhyme scheme of a section as letters, stanzas separated by spaces: "AABB ABAB"."""
        stanzas: list[str] = []
        current = ""
        for line in self.lines:
            if line.section != section or line.is_tag:
                continue
            if line.rhyme is None:
                if current:
                    stanzas.append(current)
                current = ""
            else:
                current += line.rhyme
        if current:
            stanzas.append(current)
        return " ".join(stanzas)


def parse_tag(line: str) -> tuple[str, str, int | None] | None:
    """(name, kind, number) when ``line`` is a section tag, else None."""
    m = _TAG.match(line)
    if not m:
        return None
    name = (m.group(1) or m.group(2) or "").strip()
    if not name:
        return None
    head = name.split(":", 1)[0].split("：", 1)[0]
    low = re.sub(r"\s*[x×]\s*\d+\s*$", "", head.strip().lower())  # "Chorus x2" repeats, it is not chorus 2
    kind = next((k for key, k in _KINDS if key in low), "other")
    number: int | None = None
    n = _NUMBER.search(low)
    if n:
        number = int(n.group(1)) if n.group(1) else _cn_number(n.group(2))
    return name, kind, number


def _cn_number(s: str) -> int | None:
    if s == "十":
        return 10
    if s.startswith("十"):
        return 10 + _CN_DIGITS.get(s[1:], 0)
    if len(s) == 1:
        return _CN_DIGITS.get(s)
    return None


def sections(text: str) -> list[Section]:
    """Sections of a song, in order. Lines before the first tag form an untitled section (name "")."""
    lines = split_lines(text)
    found: list[Section] = []
    current: tuple[str, str, int | None] | None = None
    start = 0

    def close(end: int) -> None:
        if current is None and not any(line.strip() for line in lines[start:end]):
            return  # nothing written before the first tag: no untitled section
        name, kind, number = current or ("", "other", None)
        found.append(Section(name, kind, number, start, _trim_end(lines, start, end)))

    for i, line in enumerate(lines):
        tag = parse_tag(line)
        if tag is not None:
            close(i)
            current, start = tag, i
    close(len(lines))
    return found


def _trim_end(lines: list[str], start: int, end: int) -> int:
    # Blank lines between sections belong to neither: a section ends after its last written line.
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1
    return end


def analyze(text: str, lang: Lang = "auto") -> LyricsAnalysis:
    """Sections, per-line syllable counts (a Han character is one syllable) and rhyme letters per stanza."""
    lines = split_lines(text)
    secs = sections(text)
    section_of: list[int | None] = [None] * len(lines)
    for n, sec in enumerate(secs):
        for i in range(sec.start, sec.end):
            section_of[i] = n

    rhyme_of: dict[int, str | None] = {}
    stanza: list[int] = []

    def flush() -> None:
        for i, label in zip(stanza, rhyme_labels([lines[i] for i in stanza]), strict=True):
            rhyme_of[i] = label
        stanza.clear()

    tags = [parse_tag(line) is not None for line in lines]
    for i, line in enumerate(lines):
        if tags[i] or not line.strip():
            flush()
        else:
            stanza.append(i)
    flush()

    out: list[LyricLine] = []
    for i, line in enumerate(lines):
        written = not tags[i] and bool(line.strip())
        out.append(LyricLine(
            index=i, text=line, section=section_of[i], is_tag=tags[i],
            syllables=count_line(line, lang, i).syllables if written else 0,
            rhyme=rhyme_of.get(i) if written else None,
        ))
    return LyricsAnalysis(sections=secs, lines=out)
