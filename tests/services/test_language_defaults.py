"""Chinese-aware default styles, through DraftService on a real SQLite file with the shipped built-in styles."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from studio.domain import Form
from studio.services import Services
from studio.services.language_defaults import chinese_style_key, is_mostly_chinese, verse_line_lengths

WUJUE = "春眠不觉晓，\n处处闻啼鸟。\n夜来风雨声，\n花落知多少。"
QIJUE = "朝辞白帝彩云间，\n千里江陵一日还。\n两岸猿声啼不住，\n轻舟已过万重山。"
QIJUE_ONE_LINE_A_COUPLET = "秦时明月汉时关，万里长征人未还。\n但使龙城飞将在，不教胡马度阴山。"
PROSE = "那年夏天，我们在河边住了一个月。每天傍晚，外婆都会坐在门口剥豆子，一边剥一边讲她年轻时的事。"
LYRICS = "[主歌]\n街灯一盏一盏亮起来\n我数着你离开的脚步\n[副歌]\n别说再见 别说永远"


def style_name(sv: Services, style_id: int | None) -> str | None:
    return sv.library.style(style_id).name if style_id is not None else None


def first_style(sv: Services, form: Form) -> str:
    return sv.library.styles(form)[0].name


# -- new drafts -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("form", "body", "expected"), [
    (Form.PROSE, PROSE, "中文散文"),
    (Form.LYRICS, LYRICS, "中文流行歌词"),
    (Form.POETRY, WUJUE, "五言绝句"),
    (Form.POETRY, QIJUE, "七言绝句"),
    (Form.POETRY, QIJUE_ONE_LINE_A_COUPLET, "七言绝句"),
], ids=["prose", "lyrics", "wujue", "qijue", "qijue-couplets"])
def test_a_new_chinese_draft_gets_the_chinese_style_of_its_form(sv, form, body, expected):
    d = sv.drafts.create("草稿", form, body=body)
    assert style_name(sv, d.style_id) == expected
    assert style_name(sv, sv.drafts.get(d.id).style_id) == expected  # stored, not only returned


@pytest.mark.parametrize(("form", "body"), [
    (Form.POETRY, "Shall I compare thee to a summer's day?\nThou art more lovely and more temperate."),
    (Form.PROSE, "The summer we spent by the river, with 外婆 shelling peas at the door every evening."),
    (Form.PROSE, "夏の夕方、祖母はいつも戸口に座って豆をむきながら、若い頃の話をしてくれた。"),  # Japanese
    (Form.SCREENPLAY, "内景。厨房——夜\n\n外婆坐在门口剥豆子。"),  # no Chinese screenplay style ships
    (Form.PROSE, "夏天"),  # too little to judge
    (Form.PROSE, ""),
], ids=["english-poem", "english-prose-with-a-han-word", "japanese", "chinese-screenplay", "two-han", "empty"])
def test_other_drafts_keep_the_form_s_default_style(sv, form, body):
    d = sv.drafts.create("Draft", form, body=body)
    assert style_name(sv, d.style_id) == first_style(sv, form)


def test_an_imported_chinese_file_gets_the_chinese_style(sv, tmp_path: Path):
    txt = tmp_path / "河边.txt"
    txt.write_text(PROSE, "utf-8")
    assert style_name(sv, sv.drafts.import_file(txt).style_id) == "中文散文"
    md = tmp_path / "早发白帝城.md"
    md.write_text(f"---\ntitle: 早发白帝城\nform: poetry\n---\n\n{QIJUE}\n", "utf-8")
    poem = sv.drafts.import_file(md)
    assert poem.form is Form.POETRY and style_name(sv, poem.style_id) == "七言绝句"
    english = tmp_path / "river.txt"
    english.write_text("The summer we spent by the river.", "utf-8")
    assert style_name(sv, sv.drafts.import_file(english).style_id) == first_style(sv, Form.PROSE)


def test_the_chinese_style_is_found_by_its_built_in_key_even_renamed(sv):
    zh = next(s for s in sv.library.styles(Form.PROSE) if s.builtin_key == "prose.zh-sanwen")
    sv.library.style_catalogue.save(dataclasses.replace(zh, name="我的散文"))
    assert style_name(sv, sv.drafts.create("河边", Form.PROSE, body=PROSE).style_id) == "我的散文"


# -- a draft created empty and filled later ------------------------------------------------------------------------


def test_an_empty_poem_gets_its_chinese_style_at_the_first_save_that_can_tell(sv):
    d = sv.drafts.create("无题", Form.POETRY)
    assert style_name(sv, d.style_id) == "Free verse"
    d = sv.drafts.save(d.id, body="朝辞白帝", expected_version=d.version)
    assert style_name(sv, d.style_id) == "Free verse"  # too little to judge yet
    d = sv.drafts.save(d.id, body="朝辞白帝彩云间", expected_version=d.version)
    assert style_name(sv, d.style_id) == "Free verse"  # no finished line to measure yet
    d = sv.drafts.save(d.id, body="朝辞白帝彩云间，\n千里", expected_version=d.version)
    assert style_name(sv, d.style_id) == "七言绝句"
    assert style_name(sv, sv.drafts.get(d.id).style_id) == "七言绝句"


def test_a_writer_who_sets_the_style_back_keeps_it(sv):
    d = sv.drafts.create("无题", Form.POETRY)
    d = sv.drafts.save(d.id, body=WUJUE, expected_version=d.version)
    assert style_name(sv, d.style_id) == "五言绝句"
    free = sv.library.style_by_name("Free verse", Form.POETRY)
    d = sv.drafts.update_meta(d.id, style_id=free.id)
    d = sv.drafts.save(d.id, body=WUJUE + "\n\n新的一节，\n写成自由诗。", expected_version=d.version)
    assert style_name(sv, d.style_id) == "Free verse"


def test_a_style_the_writer_chose_before_typing_is_kept(sv):
    d = sv.drafts.create("河边", Form.PROSE)
    noir = sv.library.style_by_name("Noir", Form.PROSE)
    d = sv.drafts.update_meta(d.id, style_id=noir.id)
    d = sv.drafts.save(d.id, body=PROSE, expected_version=d.version)
    assert style_name(sv, d.style_id) == "Noir"


def test_an_english_draft_translated_into_chinese_gets_the_chinese_style_once(sv):
    d = sv.drafts.create("River", Form.PROSE, body="The summer we spent by the river.")
    assert style_name(sv, d.style_id) == "Literary"
    d = sv.drafts.save(d.id, body=PROSE, expected_version=d.version)
    assert style_name(sv, d.style_id) == "中文散文"
    assert d.version == sv.drafts.get(d.id).version  # one save, one version: the style went in the same write


def test_saving_notes_or_a_title_alone_does_not_change_the_style(sv):
    d = sv.drafts.create("无题", Form.PROSE)
    d = sv.drafts.save(d.id, notes=PROSE, title="河边", expected_version=d.version)
    assert style_name(sv, d.style_id) == "Literary"


# -- the judgement itself ----------------------------------------------------------------------------------------


def test_the_judgement_of_language_and_line_length():
    assert is_mostly_chinese(PROSE) and is_mostly_chinese(WUJUE)
    assert not is_mostly_chinese("The river, 河, ran past the house every summer of my childhood.")
    assert verse_line_lengths(WUJUE) == [5, 5, 5, 5]
    assert verse_line_lengths(QIJUE_ONE_LINE_A_COUPLET) == [7, 7, 7, 7]
    assert verse_line_lengths("春眠不觉晓") == []  # the line is not finished
    # A title line and a stray short clause do not outvote the poem's own lines.
    assert chinese_style_key(Form.POETRY, "静夜思\n" + QIJUE) == "poetry.qijue"
    assert chinese_style_key(Form.SCREENPLAY, PROSE) is None
