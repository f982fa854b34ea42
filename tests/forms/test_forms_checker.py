"""The form checker on known poems, passing and broken, in both scripts and both languages: Chinese rhyme by 平水韵
(and 中华新韵, 十三辙), 平仄 against the standard patterns, English sonnet schemes, iambic stress, limerick bounce."""

from __future__ import annotations

from pathlib import Path

import pytest

from studio.domain import UsageError
from studio.forms.poetry import check
from studio.forms.rhymebook import traditional

CORPUS = Path(__file__).resolve().parent.parent / "data" / "corpus"

CHUNXIAO = "春眠不觉晓，\n处处闻啼鸟。\n夜来风雨声，\n花落知多少。\n"
BAIDI = "朝辞白帝彩云间，\n千里江陵一日还。\n两岸猿声啼不住，\n轻舟已过万重山。\n"
JINGYESI = (CORPUS / "jingyesi_libai.txt").read_text(encoding="utf-8")
DENGGUANQUE = (CORPUS / "denguanquelou_wangzhihuan.txt").read_text(encoding="utf-8")
DENGGAO = (CORPUS / "denggao_dufu.txt").read_text(encoding="utf-8")
SONNET_18 = (CORPUS / "sonnet_18.txt").read_text(encoding="utf-8")
# Wordsworth, 1807: a Petrarchan octave ABBAABBA and the sestet CDCDCD.
WORLD_TOO_MUCH = """The world is too much with us; late and soon,
Getting and spending, we lay waste our powers;—
Little we see in Nature that is ours;
We have given our hearts away, a sordid boon!
This Sea that bares her bosom to the moon;
The winds that will be howling at all hours,
And are up-gathered now like sleeping flowers;
For this, for everything, we are out of tune;
It moves us not. Great God! I'd rather be
A Pagan suckled in a creed outworn;
So might I, standing on this pleasant lea,
Have glimpses that would make me less forlorn;
Have sight of Proteus rising from the sea;
Or hear old Triton blow his wreathed horn.
"""


def to_traditional(text: str) -> str:
    return "".join(traditional(ch) for ch in text)


def messages(result) -> list[str]:
    return [d.message for d in result.deviations]


# -- Chinese rhyme ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("script", ["simplified", "traditional"])
def test_chunxiao_rhymes_in_an_oblique_group(script: str) -> None:
    text = CHUNXIAO if script == "simplified" else to_traditional(CHUNXIAO)
    assert "曉" in text or script == "simplified"
    result = check(text, "wujue")
    assert result.ok, messages(result)
    assert result.rhyme_system == "pingshui"
    assert result.pattern is not None and result.pattern.endswith("仄韵")
    assert [line.rhyme_char for line in result.lines] == (["晓", "鸟", "声", "少"] if script == "simplified"
                                                           else ["曉", "鳥", "聲", "少"])
    assert result.lines[1].rhyme_groups == ("上声十七筱",)
    assert result.lines[3].rhyme_groups == ("上声十七筱", "去声十八啸")  # 少 has two readings; one rhymes


@pytest.mark.parametrize("script", ["simplified", "traditional"])
def test_chunxiao_ending_in_tian_fails_and_says_where(script: str) -> None:
    text = CHUNXIAO.replace("多少", "多天")
    text = text if script == "simplified" else to_traditional(text)
    result = check(text, "wujue")
    assert not result.ok
    rhyme = [d for d in result.deviations if "does not rhyme" in d.message]
    assert len(rhyme) == 1 and rhyme[0].line_no == 4
    first, second = ("晓", "鸟") if script == "simplified" else ("曉", "鳥")
    assert rhyme[0].message == (f"line 4: 天 (下平一先) does not rhyme with {first} (line 1: 上声十七筱), "
                                f"{second} (line 2: 上声十七筱) under 平水韵; 五言绝句 rhymes in one group")
    assert rhyme[0].message in result.lines[3].issues


@pytest.mark.parametrize("script", ["simplified", "traditional"])
def test_baidi_with_a_tower_for_a_mountain_fails(script: str) -> None:
    good = BAIDI if script == "simplified" else to_traditional(BAIDI)
    assert check(good, "qijue").ok, messages(check(good, "qijue"))
    simplified = script == "simplified"
    bad = good.replace("万重山" if simplified else "萬重山", "万重楼" if simplified else "萬重樓")
    result = check(bad, "qijue")
    assert not result.ok
    [dev] = result.deviations
    assert dev.line_no == 4 and "楼 (下平十一尤)" in dev.message.replace("樓", "楼")
    assert "上平十五删" in dev.message  # the groups of 间 and 还, which the tower does not share


def test_jingyesi_passes_by_default_with_tone_warnings_and_fails_strict() -> None:
    for text in (JINGYESI, to_traditional(JINGYESI)):
        result = check(text, "wujue")
        assert result.ok and result.deviations == []
        assert result.warnings, "静夜思 is a 古绝: its tones leave the pattern"
        assert all("tones" in w.message or "孤平" in w.message or "三平尾" in w.message for w in result.warnings)
        assert [line.tones for line in result.lines] == ["平平平仄平", "平仄仄仄平", "仄平⊙平仄", "平平⊙仄⊙"]
        strict = check(text, "wujue", strict=True)
        assert not strict.ok and {d.message for d in strict.deviations} == {w.message for w in result.warnings}


@pytest.mark.parametrize("text", [DENGGUANQUE, to_traditional(DENGGUANQUE)])
def test_dengguanquelou_keeps_rhyme_and_tones(text: str) -> None:
    result = check(text, "wujue", strict=True)
    assert result.ok, messages(result)
    assert result.pattern == "五言绝句 仄起首句不入韵，平韵"
    assert [line.pattern for line in result.lines] == ["仄仄平平仄", "平平仄仄平", "平平平仄仄", "仄仄仄平平"]
    assert all(line.pattern_ok for line in result.lines)


@pytest.mark.parametrize("text", [DENGGAO, to_traditional(DENGGAO)])
def test_denggao_a_regulated_seven_character_octave(text: str) -> None:
    result = check(text, "qilv", strict=True)
    assert result.ok, messages(result)
    assert result.pattern == "七言律诗 仄起首句入韵，平韵"
    assert {line.rhyme_char for line in result.lines[1::2]} | {result.lines[0].rhyme_char} == \
        ({"哀", "回", "来", "台", "杯"} if "来" in text else {"哀", "回", "來", "臺", "杯"})
    couplets = [n.message for n in result.notes if "对仗" in n.message]
    assert len(couplets) == 2
    pair = "无边落木萧萧下 / 不尽长江滚滚来" if "来" in text else "無邊落木蕭蕭下 / 不盡長江滾滾來"
    assert couplets[0].startswith("颔联") and pair in couplets[0]
    assert couplets[1].startswith("颈联")


def test_a_broken_qilv_names_the_line() -> None:
    bad = DENGGAO.replace("浊酒杯", "浊酒瓶")
    result = check(bad, "qilv")
    [dev] = result.deviations
    assert dev.line_no == 4 and dev.message.startswith("line 4 (verse 2): 瓶 (下平九青) does not rhyme with 哀")


def test_first_line_unrhymed_is_allowed() -> None:
    result = check(DENGGUANQUE, "wujue")
    assert result.lines[0].rhyme_char == "尽" and result.ok


def test_tone_faults_gu_ping_and_san_ping_wei() -> None:
    # 五言 type B with a 仄 first character and nothing to rescue it: 孤平 (仄平仄仄平); a line ending 平平平.
    result = check("白日依山尽，\n白河入海流。\n欲穷千里目，\n更上一层楼。\n", "wujue")
    assert any("孤平" in w.message and w.line_no == 2 for w in result.warnings), result.warnings
    result = check("白日依山尽，\n黄河入海流。\n欲穷千里目，\n更上楼台高。\n", "wujue")
    assert not result.ok  # 高 (下平四豪) does not rhyme with 流
    assert any("三平尾" in w.message and w.line_no == 4 for w in result.warnings)


def test_modern_rhyme_books() -> None:
    # 春望's 深/心/金/簪 rhymed for 杜甫; in Mandarin 簪 (zān) no longer does.
    chunwang = (CORPUS / "chunwang_dufu.txt").read_text(encoding="utf-8")
    assert check(chunwang, "wulv").ok
    modern = check(chunwang, "wulv", rhyme="xinyun")
    assert not modern.ok and modern.rhyme_system == "xinyun"
    assert any("簪" in m and "八寒" in m for m in messages(modern))
    assert check(JINGYESI, "wujue", rhyme="shisanzhe").ok  # 光/霜/乡 all 江阳
    assert check(JINGYESI, "wujue", rhyme="十三辙").rhyme_system == "shisanzhe"
    # Under 中华新韵 the entering tone is gone: 白 is 平 (bái); under 平水韵 it stays 仄.
    assert check(DENGGUANQUE, "wujue").lines[0].tones[0] == "仄"
    assert check(DENGGUANQUE, "wujue", rhyme="xinyun").lines[0].tones[0] == "平"
    with pytest.raises(UsageError, match="Unknown rhyme system 'guangyun'"):
        check(JINGYESI, "wujue", rhyme="guangyun")


# -- bad input -------------------------------------------------------------------------------------------
def test_bad_input_is_named_line_by_line() -> None:
    empty = check("", "wujue")
    assert not empty.ok and messages(empty) == ["0 lines, 五言绝句 wants 4"]
    latin = check("床前明月光，\n疑是地上 frost。\n举头望明月，\n低头思故乡。\n", "wujue")
    assert "line 2: has non-Chinese words, 五言绝句 is all Chinese" in messages(latin)
    assert "line 2: ends without a Chinese character, so it cannot rhyme" in messages(latin)
    all_latin = check("moon\nlight\nfrost\nhome\n", "wujue")
    assert not all_latin.ok and len(all_latin.deviations) >= 4
    # 𠀋 (U+2000B) is in no rhyme table: a note for the line, and the rhyme it sits in cannot be confirmed.
    missing = check("床前明月光，\n疑是地上𠀋。\n举头望明月，\n低头思故乡。\n", "wujue")
    assert "line 2: 𠀋 is not in the 平水韵 table; its tone and rhyme are not checked" in [
        n.message for n in missing.notes]
    assert not missing.ok
    assert any("cannot be checked" in m for m in messages(missing))
    variants = check("床前明月光，\n疑是地上霜。\n举头望明月，\n低头思故鄕。\n", "wujue")  # 鄕: a variant of 鄉
    assert variants.ok, messages(variants)


# -- English -----------------------------------------------------------------------------------------------
def test_sonnet_18_fits_the_shakespearean_scheme() -> None:
    result = check(SONNET_18, "sonnet")
    assert result.ok, messages(result)
    assert result.pattern == "Shakespearean ABAB CDCD EFEF GG"
    assert all(line.stress and len(line.stress) >= 9 for line in result.lines)
    assert result.lines[12].stress == "x/x/x/x/x/"  # "So long as men can breathe or eyes can see"


def test_a_sonnet_whose_couplet_does_not_rhyme_fails() -> None:
    broken = SONNET_18.replace("gives life to thee.", "gives life to you.")
    result = check(broken, "sonnet")
    assert not result.ok
    assert messages(result) == ["line 14 does not rhyme with line 13, sonnet wants ABAB CDCD EFEF GG (Shakespearean)"]


def test_a_petrarchan_sonnet_fits_its_scheme() -> None:
    result = check(WORLD_TOO_MUCH, "sonnet")
    assert result.ok, messages(result)
    assert result.pattern == "Petrarchan ABBAABBA CDCDCD"
    broken = WORLD_TOO_MUCH.replace("to the moon;", "to the night;")
    assert "line 5 does not rhyme with line 1" in messages(check(broken, "sonnet"))[0]


def test_iambic_stress_report() -> None:
    result = check(SONNET_18, "sonnet")
    departures = [w for w in result.warnings if "iambic" in w.message]
    # CMU stresses "sometime" on its first syllable; in line 7 that falls on an off-beat.
    assert [w.line_no for w in departures] == [7]
    assert "7 (sometime)" in departures[0].message
    assert result.ok  # a stress report, not a failure
    lumpy = check("\n".join(["Elephants necessarily generate catastrophe"] * 14), "sonnet")
    assert len([w for w in lumpy.warnings if "iambic" in w.message]) == 14


def test_limerick_rhyme_and_bounce() -> None:
    lear = check((CORPUS / "limerick_lear.txt").read_text(encoding="utf-8"), "limerick")
    assert lear.ok and lear.warnings == []
    assert [line.stress for line in lear.lines] == ["x/xx/xx/", "x/xx/xx/", "x/xx/", "x/xx/", "x/xx/xx/"]
    flat = check("There once was a tabby named Pat\nwho sat all day long on a mat\nshe wanted to eat\n"
                 "some fish and some meat\nand immediately got fat", "limerick")
    assert flat.ok  # rhymes AABBA
    assert [w.line_no for w in flat.warnings] == [5]
    assert "do not bounce on 3 beats" in flat.warnings[0].message


def test_haiku_stays_syllables() -> None:
    result = check((CORPUS / "haiku_en_1.txt").read_text(encoding="utf-8"), "haiku")
    assert result.ok and result.warnings == [] and result.pattern is None
    assert all(line.stress is None and line.tones is None for line in result.lines)


def test_rhyme_option_is_ignored_by_english_forms() -> None:
    assert check(SONNET_18, "sonnet", rhyme="xinyun").rhyme_system is None
