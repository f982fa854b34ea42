"""The rhyme books: 平水韵 from its shipped table, 中华新韵 and 十三辙 from pypinyin's readings, both scripts."""

from __future__ import annotations

import pytest

from studio.forms import rhymebook
from studio.forms.rhymebook import base_group, chars_of, final_of, groups_of, is_ping_group, tone_of


def test_the_table_has_the_106_groups_in_order() -> None:
    groups = rhymebook.pingshui_groups()
    assert len(groups) == 106
    counts = {tone: sum(g.startswith(tone) for g in groups) for tone in ("上平", "下平", "上声", "去声", "入声")}
    assert counts == {"上平": 15, "下平": 15, "上声": 29, "去声": 30, "入声": 17}
    assert groups[0] == "上平一东" and groups[-1] == "入声十七洽"
    assert sum(is_ping_group(g) for g in groups) == 30
    assert all(chars_of(g) for g in groups)


@pytest.mark.parametrize(("char", "groups"), [
    ("东", {"上平一东"}), ("真", {"上平十一真"}), ("天", {"下平一先"}), ("楼", {"下平十一尤"}),
    ("晓", {"上声十七筱"}), ("鸟", {"上声十七筱"}), ("霜", {"下平七阳"}), ("月", {"入声六月"}),
    ("少", {"上声十七筱", "去声十八啸"}),  # 多少 and 少年
    ("看", {"上平十四寒", "去声十五翰"}), ("思", {"上平四支", "去声四寘"}),
    ("鄰", {"上平十一真"}), ("樓", {"下平十一尤"}), ("還", {"上平十五删", "下平一先"}),
    ("間", {"上平十五删", "去声十六谏"}),
])
def test_groups_of_known_characters_in_both_scripts(char: str, groups: set[str]) -> None:
    assert groups_of(char) == groups


def test_tones_under_pingshui_keep_the_entering_tone_oblique() -> None:
    for ch in "白国國独獨石竹":  # 入声: Mandarin reads them 2nd tone, verse counts them 仄
        assert tone_of(ch) == {"仄"}, ch
        assert "平" in tone_of(ch, "xinyun"), ch
    assert tone_of("看") == {"平", "仄"} and tone_of("思") == {"平", "仄"}
    assert tone_of("明") == {"平"} and tone_of("月") == {"仄"}
    assert tone_of("ㄅ") == frozenset() and groups_of("a") == frozenset() and groups_of("") == frozenset()


def test_modern_systems_follow_the_pinyin_final() -> None:
    assert {base_group(g) for g in groups_of("霜", "xinyun")} == {"十唐"}
    assert {base_group(g) for g in groups_of("乡", "shisanzhe")} == {"江阳"}
    assert groups_of("天", "xinyun") == {"八寒:平"} and is_ping_group("八寒:平") and not is_ping_group("八寒:仄")
    assert {base_group(g) for g in groups_of("诗", "xinyun")} == {"十三支"}  # shi: the apical -i
    assert {base_group(g) for g in groups_of("西", "xinyun")} == {"十二齐"}
    assert {base_group(g) for g in groups_of("诗", "shisanzhe")} == {"一七"}
    assert {base_group(g) for g in groups_of("雪", "xinyun")} == {"三皆"}
    assert "七尤:平" in groups_of("樓", "xinyun") and "七尤:平" in groups_of("楼", "xinyun")
    assert final_of("jun") == "vn" and final_of("yue") == "ve" and final_of("gui") == "uei" and final_of("er") == "er"
    assert final_of("zhi") == "-i" and final_of("ji") == "i" and final_of("wang") == "uang" and final_of("lv") == "v"


def test_chars_of_holds_both_scripts() -> None:
    zhen = chars_of("上平十一真")
    assert {"真", "人", "邻", "鄰", "尘", "塵"} <= zhen
    assert "天" not in zhen
    assert "光" in chars_of("十唐:平", "xinyun") and "光" in chars_of("十唐", "xinyun")


def test_unknown_system_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown rhyme system"):
        groups_of("东", "guangyun")  # type: ignore[arg-type]


def test_every_group_holds_its_head_character() -> None:
    # The printed lists name a group by its first character; the source's 下平一先 had lost 先 (it read 仄 only).
    for group in rhymebook.pingshui_groups():
        assert group in groups_of(group[-1]) or group in groups_of(rhymebook.simplified(group[-1])), group


def test_variant_characters_are_read_as_their_listed_form() -> None:
    assert groups_of("疎") == groups_of("疏") == {"上平六鱼", "去声六御"}
    assert groups_of("鴈") == groups_of("雁") and groups_of("鄕") == groups_of("乡")
    assert groups_of("啼") == {"上平八齐"} and groups_of("谿") == groups_of("溪") == {"上平八齐"}
    assert "上平十一真" in groups_of("蘋") and "上平十一真" in groups_of("苹")  # 白蘋, pín


def test_the_modern_rhyme_books_come_from_their_data_file(tmp_path, monkeypatch, caplog) -> None:
    from studio.forms import rhymebook

    assert len(set(rhymebook._by_final("xinyun").values())) == 14  # 中华新韵's 韵部
    assert len(set(rhymebook._by_final("shisanzhe").values())) == 13  # 十三辙
    assert rhymebook.shisanzhe_of_final("iang") == "江阳" and rhymebook.shisanzhe_of_final("ui") == "灰堆"
    # Without the file (a damaged install): one logged error and empty books, never a crash in a check.
    monkeypatch.setattr(rhymebook, "resources_dir", lambda: tmp_path)
    rhymebook._by_final.cache_clear()
    try:
        assert rhymebook._by_final("xinyun") == {} and "could not be read" in caplog.text
    finally:
        rhymebook._by_final.cache_clear()
