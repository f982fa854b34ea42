"""studio.services.forms: which text is the poem the window's form check reads (the stanza at the cursor, a title
aside, a sonnet's quatrains together), the form a poem looks written in, a song's verses and a verse's meter, and
how a new verse is measured against it (issue 13). Pure functions: no model, no store."""

from __future__ import annotations

import pytest

from studio.domain import UsageError
from studio.services import forms

CHUNXIAO = "春晓\n\n春眠不觉晓\n处处闻啼鸟\n夜来风雨声\n花落知多天\n\n后记：改了一个字。"


def test_the_poem_at_the_cursor_leaves_the_title_and_the_note_out() -> None:
    for cursor in (0, CHUNXIAO.index("夜"), None):
        first, poem = forms.poem_at(CHUNXIAO, cursor, "wujue")
        assert (first, poem) == (2, "春眠不觉晓\n处处闻啼鸟\n夜来风雨声\n花落知多天")
    check = forms.check_poem(CHUNXIAO, None, cursor=CHUNXIAO.index("夜"))
    assert check.form == "wujue" and not check.result.ok and check.editor_line(4) == 6
    misfit = forms.misfit_of_check(check.result)
    assert misfit is not None and (misfit.line, misfit.kind, misfit.count) == (4, "rhyme", 1)


def test_a_sonnet_in_quatrains_is_read_as_one_poem() -> None:
    quatrain = "a line\nb line\nc line\nd line"
    text = "\n\n".join([quatrain] * 3 + ["e line\nf line"])
    first, poem = forms.poem_at(text, 0, "sonnet")
    assert first == 0 and len(poem.splitlines()) == 17  # 14 lines and the three blank lines between stanzas


@pytest.mark.parametrize(("text", "form"), [
    ("静夜思\n\n床前明月光\n疑是地上霜\n举头望明月\n低头思故乡", "wujue"),
    ("朝辞白帝彩云间，千里江陵一日还。\n两岸猿声啼不住，轻舟已过万重山。", "qijue"),
    ("An old silent pond\nA frog jumps into the pond\nSplash! Silence again.", "haiku"),
    ("whatever the sea says\nthe shore keeps", "free-verse"),
])
def test_a_draft_without_a_form_is_checked_as_the_form_it_looks_written_in(text: str, form: str) -> None:
    assert forms.guess_form(text) == form


def test_empty_text_and_an_unknown_form_are_clear() -> None:
    check = forms.check_poem("", "wujue")
    assert check.text == "" and not check.result.ok  # "0 lines, 五言绝句 wants 4": never a silent pass
    with pytest.raises(UsageError, match="Unknown poetry form"):
        forms.check_poem(CHUNXIAO, "ode")
    with pytest.raises(UsageError, match="Unknown rhyme system"):
        forms.check_poem(CHUNXIAO, "wujue", rhyme="cmu")


def test_a_songs_verses_end_at_blank_lines_and_tags() -> None:
    song = "[Verse 1]\nOne line here\nTwo lines here\n[Chorus]\nSing it now\n\nLast one"
    found = forms.verses(song)
    assert [v.lines for v in found] == [("One line here", "Two lines here"), ("Sing it now",), ("Last one",)]
    assert [song[v.start:v.end] for v in found] == [v.text for v in found]
    assert forms.verse_at(song, song.index("Two")) == found[0]
    assert forms.verse_at(song, len(song)) == found[2]
    with pytest.raises(UsageError, match="There is no verse 4: the draft has 3"):
        forms.require_verse(song, 4)


def test_a_new_verse_is_measured_against_the_meter_line_by_line() -> None:
    meter = forms.meter_of(("月亮挂在天上", "照着我的家乡", "风儿轻轻吹过", "带走我的忧伤"))
    assert (meter.unit, meter.counts, meter.scheme) == ("characters", (6, 6, 6, 6), "AAxA")
    assert forms.verse_fit(meter, "\n\n星星挂在天上\n照亮回家方向\n小河慢慢流过\n唱着我的歌唱").ok
    fit = forms.verse_fit(meter, "星星挂在天\n照亮回家方向\n小河慢慢流过\n唱着我的歌声")
    # 天 (言前) breaks line 1 from its rhyme with lines 2 and 4 (江阳), and 声 (中东) line 4 too.
    assert [(d[0], d[1]) for d in fit.deviations] == [(1, "count"), (2, "rhyme"), (4, "rhyme")]
    short = forms.misfit_of_verse(forms.verse_fit(meter, "星星挂在天上"))
    assert short is not None and short.kind == "lines" and short.line is None
