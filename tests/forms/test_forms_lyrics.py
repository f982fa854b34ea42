"""Lyrics: section tags, syllables per line, end-rhyme letters in English and Chinese."""

from __future__ import annotations

from pathlib import Path

import pytest

from studio.forms.lyrics import analyze, parse_tag, sections
from studio.forms.rhyme import english_rhyme_keys, rhyme_labels, rhymes

CORPUS = Path(__file__).resolve().parent.parent / "data" / "corpus"


@pytest.mark.parametrize(
    ("line", "expected"),
    [("[Verse 1]", ("Verse 1", "verse", 1)), ("[Chorus]", ("Chorus", "chorus", None)),
     ("[Pre-Chorus]", ("Pre-Chorus", "pre-chorus", None)), ("[Chorus x2]", ("Chorus x2", "chorus", None)),
     ("[Bridge: Ana]", ("Bridge: Ana", "bridge", None)), ("  [Outro]  ", ("Outro", "outro", None)),
     ("[副歌]", ("副歌", "chorus", None)), ("【主歌二】", ("主歌二", "verse", 2)), ("[桥段]", ("桥段", "bridge", None)),
     ("[laughs]", ("laughs", "other", None))],
)
def test_section_tags(line: str, expected: tuple[str, str, int | None]) -> None:
    assert parse_tag(line) == expected


@pytest.mark.parametrize("line", ["I said [Chorus] out loud", "[]", "plain line", "[a] [b]"])
def test_not_tags(line: str) -> None:
    assert parse_tag(line) is None


def test_english_song_from_corpus() -> None:
    song = analyze((CORPUS / "lyrics_en.txt").read_text(encoding="utf-8"))
    assert [(s.name, s.kind, s.start, s.end) for s in song.sections] == [
        ("Verse 1", "verse", 0, 5), ("Chorus", "chorus", 6, 11), ("Bridge", "bridge", 12, 17),
        ("Outro", "outro", 18, 20),
    ]
    assert [song.scheme(i) for i in range(4)] == ["ABCB", "ABAB", "ABCB", "A"]
    verse = [line.syllables for line in song.lines[1:5]]
    assert verse == [8, 6, 8, 6]  # common metre
    assert song.lines[13].syllables == 6  # "Singin' in the kitchen": singin' read as singing
    assert all(line.rhyme is None and line.syllables == 0 for line in song.lines if line.is_tag)


def test_chinese_song_from_corpus() -> None:
    song = analyze((CORPUS / "lyrics_zh.txt").read_text(encoding="utf-8"))
    assert [(s.name, s.kind) for s in song.sections] == [("主歌", "verse"), ("副歌", "chorus")]
    assert song.scheme(0) == "AAAA"  # 亮/方/光/长: 江阳 rhyme, whatever the medial (iang, ang, uang)
    assert song.scheme(1) == "AABC"  # 谷/雾 rhyme (姑苏); "baby" ends in English; 候 is new
    assert [line.syllables for line in song.lines[1:5]] == [8, 9, 8, 8]
    assert song.lines[9].syllables == 6  # 等你回来 baby: four characters and two syllables


def test_untagged_lines_form_an_untitled_section() -> None:
    secs = sections("first line\nsecond line\n\n[Chorus]\nla la")
    assert [(s.name, s.start, s.end) for s in secs] == [("", 0, 2), ("Chorus", 3, 5)]
    assert sections("") == []
    assert sections("\n\n[Verse]\n") == [sections("[Verse]")[0].__class__("Verse", "verse", None, 2, 3)]


def test_rhyme_labels_english() -> None:
    assert rhyme_labels(["the darling buds of May,", "Thou art more lovely", "a summer's day", "so lovely"]) == \
        ["A", "B", "A", "B"]
    assert rhyme_labels(["set the fire", "climbing higher", "", "🔥"]) == ["A", "A", None, None]
    assert rhymes("feared!", "beard") and not rhymes("beard", "hen")
    assert english_rhyme_keys("blorp") == frozenset({"~orp"})  # spelling fallback for unknown words
    assert rhymes("a blorp", "the florp")


def test_rhyme_labels_chinese_tone_insensitive() -> None:
    # 光 guāng / 霜 shuāng / 乡 xiāng share the 江阳 rhyme; 月 does not.
    assert rhyme_labels(["床前明月光，", "疑是地上霜。", "举头望明月，", "低头思故乡。"]) == ["A", "A", "B", "A"]
    # Tone does not matter: 妈 mā and 骂 mà rhyme.
    assert rhymes("我的妈", "不要骂")


def test_heteronym_read_as_the_poem_needs() -> None:
    # 还 is huán here (rhymes with 间 and 山), not hái; and once fixed, 来 (lái) does not join the group.
    poem = ["朝辞白帝彩云间，", "千里江陵一日还。", "两岸猿声啼不住，", "轻舟已过万重山。"]
    assert rhyme_labels(poem) == ["A", "A", "B", "A"]
    assert rhyme_labels(["一日还", "万重山", "归去来"]) == ["A", "A", "B"]


def test_emoji_and_long_lines_in_lyrics() -> None:
    text = "[Hook]\n" + "🎵" * 50 + "\n" + "na " * 40_000 + "night\n" + "what a light 💡"
    song = analyze(text)
    assert song.lines[1].syllables == 0 and song.lines[1].rhyme is None
    assert song.lines[2].rhyme == song.lines[3].rhyme == "A"
