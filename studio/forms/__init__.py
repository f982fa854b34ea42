"""Form-aware writing: Fountain screenplays, song lyrics and fixed poetic forms. Pure functions.

Importing this package is cheap: the CMU dictionary and pypinyin's tables load on first use.
"""

from __future__ import annotations

from studio.forms.counting import LineCount, count_line, count_syllables, han_count, line_counts, word_syllables
from studio.forms.fountain import Element, ElementKind
from studio.forms.fountain import parse as parse_fountain
from studio.forms.lyrics import LyricLine, LyricsAnalysis, Section
from studio.forms.lyrics import analyze as analyze_lyrics
from studio.forms.poetry import (
    FORMS,
    CheckResult,
    Deviation,
    FormSpec,
    LineReport,
    LineTarget,
    check,
    get_form,
    line_target,
    stanzas,
)
from studio.forms.rhyme import rhyme_labels

__all__ = [
    "FORMS", "CheckResult", "Deviation", "Element", "ElementKind", "FormSpec", "LineCount", "LineReport",
    "LineTarget", "LyricLine", "LyricsAnalysis", "Section", "analyze_lyrics", "check", "count_line",
    "count_syllables", "get_form", "han_count", "line_counts", "line_target", "parse_fountain", "rhyme_labels",
    "stanzas", "word_syllables",
]
