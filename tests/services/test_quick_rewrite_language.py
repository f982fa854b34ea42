"""Quick rewrites in the selection's language: a Chinese selection's buttons read and send 更生动, 更简洁, 更丰富,
更浅白, 更正式, which the engine knows by name and answers with its Chinese words, heading and examples (the real
prompt assembly on the shipped resources/quick_rewrites.toml)."""

from __future__ import annotations

import textwrap
import tomllib
from pathlib import Path

import pytest

from studio.domain import Action, GenerationRequest, Preset
from studio.engine import quick_rewrites
from studio.engine.prompts import ModelTraits, build_prompt
from studio.engine.quick_rewrites import QUICK_REWRITES, QuickRewriteResourceError, load_quick_rewrites, quick_rewrite
from studio.paths import resources_dir
from studio.services.library import quick_rewrite_buttons, quick_rewrite_choice, quick_rewrite_instruction

CHINESE = "雨下了一整夜，院子里的石榴花落了一地。"
ENGLISH = "It rained all night, and the pomegranate flowers covered the yard."
CHINESE_BUTTONS = ["更生动", "更简洁", "更丰富", "更浅白", "更正式"]
TRAITS = ModelTraits(n_ctx=4096, bos=(1,))


def tok(text: str, special: bool) -> list[int]:
    return [ord(c) for c in text]


def button_keys() -> list[str]:
    raw = tomllib.loads((resources_dir() / quick_rewrites.FILE_NAME).read_text("utf-8"))
    return [e["key"] for e in raw["rewrite"] if e.get("button")]


def prompt(selection: str, instruction: str, preset: Preset | None = None) -> str:
    req = GenerationRequest(action=Action.REWRITE, before="", selection=selection, instruction=instruction,
                            preset=preset)
    return build_prompt(req, TRAITS, tok).text


def test_a_chinese_selection_gets_chinese_buttons_and_an_english_one_english() -> None:
    keys = button_keys()
    assert [quick_rewrite_choice(k, CHINESE).label for k in keys] == CHINESE_BUTTONS
    assert [quick_rewrite_choice(k, ENGLISH).label for k in keys] == [QUICK_REWRITES[k].button for k in keys]
    assert [quick_rewrite_choice(k, ENGLISH).label for k in keys] == [
        "More vivid", "Shorter", "Longer", "Simpler", "More formal"]
    choice = quick_rewrite_choice("shorter", CHINESE)
    assert (choice.language, choice.instruction) == ("zh", "更简洁")
    # The text before the selection counts too, as the engine reads it: a Latin name in a Chinese story.
    assert quick_rewrite_choice("vivid", "Anna", before=CHINESE).label == "更生动"


def test_the_chinese_window_shows_the_chinese_button_texts() -> None:
    assert [text for _key, text in quick_rewrite_buttons("zh")] == CHINESE_BUTTONS
    assert quick_rewrite_buttons() == quick_rewrite_buttons("en") == [(k, QUICK_REWRITES[k].button) for k in
                                                                       button_keys()]


@pytest.mark.parametrize("key", button_keys())
def test_each_chinese_instruction_is_the_rewrite_the_engine_knows_and_prompts_in_chinese(key: str) -> None:
    q = QUICK_REWRITES[key]
    choice = quick_rewrite_choice(key, CHINESE)
    assert quick_rewrite(choice.instruction) is q  # by name, not free text
    text = prompt(CHINESE, choice.instruction)
    assert text.endswith(f"«{CHINESE}»\n{q.labels['zh']}: «")
    # A frame with worked examples gets the Chinese ones, not the English ones.
    frame = Preset(id=1, name="With examples", action=Action.REWRITE, template_base="{examples}{selection}\n{label}: «")
    with_examples = prompt(CHINESE, choice.instruction, frame)
    assert q.examples["zh"][0][1] in with_examples and q.examples["en"][0][1] not in with_examples


def test_several_buttons_and_free_text_make_one_instruction_in_the_selection_s_language() -> None:
    zh = quick_rewrite_instruction(["vivid", "shorter"], CHINESE)
    assert zh == "更生动、更简洁"
    assert quick_rewrite_instruction(["vivid"], CHINESE, free="改成过去时") == "更生动，改成过去时"
    assert quick_rewrite_instruction([], CHINESE, free="改成过去时") == "改成过去时"
    assert quick_rewrite_instruction(["formal"], CHINESE) == "更正式"
    assert prompt(CHINESE, zh).endswith(f"«{CHINESE}»\n改写（{zh}）: «")
    en = quick_rewrite_instruction(["vivid", "shorter"], ENGLISH, free="in the past tense")
    assert en == "More vivid, shorter, in the past tense"
    assert quick_rewrite_instruction(["shorter"], ENGLISH) == "Shorter"
    assert quick_rewrite(quick_rewrite_instruction(["shorter"], ENGLISH)) is QUICK_REWRITES["shorter"]
    assert quick_rewrite_instruction([], ENGLISH) == ""


BASE = """
[[rewrite]]
key = "shorter"
button = "Shorter"
length_factor = 0.8
aliases = ["shorter", "更简洁"]
[rewrite.en]
words = "shorter"
label = "Rewritten to be shorter"
examples = [["A long sentence here.", "Short."]]
[rewrite.zh]
{zh_button}
words = "更简短"
label = "改写得更简短"
examples = [["很长很长的一句话。", "短句。"]]
"""


def test_a_chinese_button_must_be_one_of_the_aliases(tmp_path: Path) -> None:
    good = tmp_path / "good.toml"
    good.write_text(textwrap.dedent(BASE.format(zh_button='button = "更简洁"')), "utf-8")
    assert load_quick_rewrites(good).rewrites["shorter"].button_in("zh") == "更简洁"
    bad = tmp_path / "bad.toml"
    bad.write_text(textwrap.dedent(BASE.format(zh_button='button = "更短小"')), "utf-8")
    with pytest.raises(QuickRewriteResourceError, match="'更短小' is not one of the rewrite's aliases"):
        load_quick_rewrites(bad)
    orphan = tmp_path / "orphan.toml"
    orphan.write_text(textwrap.dedent(BASE.format(zh_button='button = "更简洁"').replace('button = "Shorter"\n', "")),
                      "utf-8")
    with pytest.raises(QuickRewriteResourceError, match="no top-level 'button'"):
        load_quick_rewrites(orphan)
    without = tmp_path / "without.toml"
    without.write_text(textwrap.dedent(BASE.format(zh_button="")), "utf-8")
    assert load_quick_rewrites(without).rewrites["shorter"].button_in("zh") == "Shorter"  # the English one
