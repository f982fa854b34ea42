"""End rhymes: which lines rhyme with which, in English and Chinese.

English: two words rhyme when their sounds match from the last stressed vowel to the end (CMU dictionary:
"day"/"May" share "EY", "feared"/"beard" share "IH R D"). A word the dictionary lacks falls back to its
spelling from the last vowel group ("-orp"), which is only compared with other unknown words.

Chinese: rhyme is judged on the pinyin final (韵母), tone-insensitive, grouped into the thirteen rhyme classes
(十三辙) that Chinese songwriters use, so 光 (uang), 霜 (uang) and 乡 (iang) all rhyme in 江阳. Modern
Mandarin is a guide, not an authority, for Tang verse: some classical rhymes (深/心/簪) no longer sound alike.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from studio.forms.counting import is_han, last_word, pronunciations
from studio.forms.rhymebook import shisanzhe_of_final


def _rhyme_part(phones: Sequence[str]) -> str:
    stressed = [i for i, p in enumerate(phones) if p[-1] in "12"]
    vowels = [i for i, p in enumerate(phones) if p[-1].isdigit()]
    at = stressed[-1] if stressed else (vowels[-1] if vowels else 0)
    return " ".join(p.rstrip("012") for p in phones[at:])


@lru_cache(maxsize=16384)
def english_rhyme_keys(word: str) -> frozenset[str]:
    """Rhyme keys of an English word: one per pronunciation; spelling-based ("~orp") when unknown."""
    prons = pronunciations(word)
    if prons:
        return frozenset(_rhyme_part(p) for p in prons)
    w = re.sub(r"[^a-z]", "", word.lower())
    if not w:
        return frozenset()
    m = re.search(r"[aeiouy]+[^aeiouy]*e?$", w)
    return frozenset({"~" + (m.group(0) if m else w)})


def chinese_rhyme_class(final: str) -> str | None:
    """The rhyme class (十三辙) of a pinyin final; the final itself when it is not in the table; None if empty."""
    if not final:
        return None
    return shisanzhe_of_final(final) or final


def chinese_rhyme_keys(text: str) -> frozenset[str]:
    """Rhyme classes of the last Han character of ``text``: the reading its phrase gives it first, plus every
    other reading of a heteronym, because the poem decides which one is meant (还 is huán in 一日还, not hái)."""
    end = len(text)
    while end > 0 and not is_han(text[end - 1]):
        end -= 1
    if end == 0:
        return frozenset()
    start = end
    while start > 0 and is_han(text[start - 1]) and end - start < 16:
        start -= 1
    from pypinyin import Style, lazy_pinyin, pinyin  # lazy: pypinyin loads its phrase tables on import

    in_context = lazy_pinyin(text[start:end], style=Style.FINALS, strict=True, errors="ignore")
    readings = pinyin(text[end - 1], style=Style.FINALS, strict=True, heteronym=True, errors="ignore")
    finals = in_context[-1:] + (readings[0] if readings else [])
    return frozenset(c for c in (chinese_rhyme_class(f) for f in finals) if c)


def line_rhyme_keys(line: str) -> frozenset[str]:
    """Rhyme keys of the last word of a line: its last Han character or its last English word, whichever
    ends the line (so "我爱你 baby" rhymes on "baby"). Empty for a line with no word or ending in a number."""
    word = last_word(line)
    if not word or word.isdigit():
        return frozenset()
    if is_han(word[-1]):
        return frozenset("zh:" + k for k in chinese_rhyme_keys(word[-16:]))
    return frozenset("en:" + k for k in english_rhyme_keys(word))


def rhyme_labels(lines: Sequence[str]) -> list[str | None]:
    """Letters for the end rhymes of ``lines``: the first rhyme sound is A, the next new one B, and so on.

    Lines that rhyme share a letter; a line with no word gets None. Scheme notation, as in "ABAB".
    """
    return labels_for([line_rhyme_keys(line) for line in lines])


def labels_for(keys: Sequence[frozenset[str]]) -> list[str | None]:
    """Scheme letters for lines given the rhyme keys of each (sounds, or rhyme-book groups for Chinese verse)."""
    groups: list[frozenset[str]] = []
    labels: list[str | None] = []
    for line_keys in keys:
        if not line_keys:
            labels.append(None)
            continue
        for n, group in enumerate(groups):
            shared = group & line_keys
            if shared:
                # Narrow the group to the sound the lines share: once "还" has rhymed with "山" as huán, a
                # later "来" must not join through its other reading, hái.
                groups[n] = shared
                labels.append(_letter(n))
                break
        else:
            groups.append(line_keys)
            labels.append(_letter(len(groups) - 1))
    return labels


def eye_rhyme_key(line: str) -> str | None:
    """The spelling of a line's last English word from its last vowel group ("temperate" and "date" -> "ate",
    "love" and "prove" -> "ove"): the eye rhymes of older English verse, whose sounds have since moved apart."""
    word = last_word(line)
    if not word or is_han(word[-1]):
        return None
    w = re.sub(r"[^a-z]", "", word.lower())
    m = re.search(r"[aeiouy]+[^aeiouy]*e?$", w)
    return m.group(0) if m and len(m.group(0)) >= 2 else None


def sonnet_rhymes(a: str, b: str) -> bool:
    """Whether two lines rhyme as a sonnet's do: by sound, or to the eye (temperate/date in Shakespeare's 18)."""
    if rhymes(a, b):
        return True
    ka, kb = eye_rhyme_key(a), eye_rhyme_key(b)
    return ka is not None and ka == kb


def rhymes(a: str, b: str) -> bool:
    """Whether two lines end in a rhyme."""
    return bool(line_rhyme_keys(a) & line_rhyme_keys(b))


def _letter(n: int) -> str:
    # A..Z, then AA, AB... for very long stanzas rather than running into punctuation.
    out = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out
