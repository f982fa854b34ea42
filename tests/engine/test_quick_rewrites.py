"""The quick-rewrite catalogue (resources/quick_rewrites.toml): its content, its checks, and that the engine and the
assistant's quick buttons read the same list."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path
from typing import Any

import pytest

from studio.domain import Action, GenerationRequest, Preset, StudioError
from studio.engine import quick_rewrites
from studio.engine.prompts import ModelTraits, build_prompt
from studio.engine.quick_rewrites import (
    LANGUAGES,
    QUICK_REWRITES,
    QuickRewriteResourceError,
    load_quick_rewrites,
    quick_rewrite,
)
from studio.paths import resources_dir
from studio.services.library import quick_rewrite_buttons

REPO = Path(__file__).resolve().parents[2]
SHIPPED = resources_dir() / quick_rewrites.FILE_NAME


def tok(text: str, special: bool) -> list[int]:
    return [ord(c) for c in text]


def raw() -> dict[str, Any]:
    """The shipped file as plain TOML, read independently of the loader."""
    return tomllib.loads(SHIPPED.read_text(encoding="utf-8"))


def test_the_file_ships_with_the_package() -> None:
    assert SHIPPED.is_file()
    # The wheel copies resources/ into studio/resources, where resources_dir() looks first when installed.
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]["resources"] == "studio/resources"


def test_every_rewrite_has_words_labels_and_examples_in_english_and_chinese() -> None:
    entries = raw()["rewrite"]
    assert [e["key"] for e in entries] == list(QUICK_REWRITES)  # file order, nothing lost or added by the loader
    assert set(LANGUAGES) == {"en", "zh"}
    for entry in entries:
        q = QUICK_REWRITES[entry["key"]]
        for lang in ("en", "zh"):
            assert q.words[lang].strip() and q.labels[lang].strip(), (q.key, lang)
            assert q.words[lang] == entry[lang]["words"] and q.labels[lang] == entry[lang]["label"]
            assert q.examples[lang] and all(o.strip() and r.strip() and o != r for o, r in q.examples[lang])
            assert q.examples[lang] == tuple(tuple(pair) for pair in entry[lang]["examples"])
        assert any("\u4e00" <= c <= "\u9fff" for c in q.words["zh"] + q.labels["zh"]), q.key  # Chinese is Chinese
        assert q.length_factor == entry["length_factor"] > 0
        # A rewrite preset names its rewrite by its key's last part ("rewrite.shorter"): the key must resolve.
        assert quick_rewrite(q.key) is q
        for alias in entry["aliases"]:
            assert quick_rewrite(alias) is q and quick_rewrite(f"Make it {alias.upper()}!") is q
    custom = {lang: [c for c in raw()["custom_example"] if c["lang"] == lang] for lang in ("en", "zh")}
    for lang, examples in custom.items():
        assert examples, lang
        assert quick_rewrites.catalogue().custom_examples[lang] == tuple(
            (c["instruction"], c["original"], c["rewritten"]) for c in examples
        )


def test_the_mapping_semantics_the_engine_relies_on() -> None:
    assert quick_rewrite("make it shorter.") is QUICK_REWRITES["shorter"] is QUICK_REWRITES["shorter"]
    assert quick_rewrite("in the voice of a pirate") is None
    assert "rephrase" in QUICK_REWRITES and "nope" not in QUICK_REWRITES
    assert len(QUICK_REWRITES) == len(raw()["rewrite"])
    with pytest.raises(KeyError):
        QUICK_REWRITES["nope"]


def test_the_prompt_takes_its_words_from_the_file() -> None:
    traits = ModelTraits(n_ctx=4096, bos=(1,))
    for key, q in QUICK_REWRITES.items():
        for lang, selection in (("en", "The cat sat on the mat."), ("zh", "雨下了一整夜。")):
            req = GenerationRequest(action=Action.REWRITE, before="", selection=selection, instruction=key)
            assert build_prompt(req, traits, tok).text.endswith(f"«{selection}»\n{q.labels[lang]}: «"), (key, lang)
    # Free-text instructions get the file's custom examples, each under its own heading.
    frame = Preset(id=1, name="With examples", action=Action.REWRITE, template_base="{examples}{selection}\n{label}: «")
    req = GenerationRequest(action=Action.REWRITE, before="", selection="The cat sat.", instruction="as a limerick",
                            preset=frame)
    text = build_prompt(req, traits, tok).text
    first = quick_rewrites.catalogue().custom_examples["en"][0]
    assert f"Rewritten ({first[0]}): «{first[2]}»" in text and text.endswith("Rewritten (as a limerick): «")


def test_the_assistant_buttons_and_the_engine_see_the_same_rewrites(qtbot: Any) -> None:
    from studio.ui.assistant import AssistantPanel

    panel = AssistantPanel()
    qtbot.addWidget(panel)
    with_buttons = [e["key"] for e in raw()["rewrite"] if e.get("button")]
    assert with_buttons and [b.property("quickRewrite") for b in panel.quick_buttons] == with_buttons
    assert [b.text() for b in panel.quick_buttons] == [QUICK_REWRITES[k].button for k in with_buttons]
    assert quick_rewrite_buttons() == [(k, QUICK_REWRITES[k].button) for k in with_buttons]
    for button in panel.quick_buttons:
        button.setChecked(True)
        # What the panel asks the engine for is the rewrite the button stands for, not free text.
        found = quick_rewrite(panel.instruction_text())
        assert found is not None and found.key == button.property("quickRewrite"), button.text()
        button.setChecked(False)


def test_importing_the_engine_does_not_read_the_file() -> None:
    code = (
        "import studio.engine.prompts, studio.services.library\n"
        "from studio.engine import quick_rewrites as q\n"
        "print(q.catalogue.cache_info().currsize)\n"
        "q.quick_rewrite('shorter')\n"
        "print(q.catalogue.cache_info().currsize)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120,
                         check=True)
    assert out.stdout.split() == ["0", "1"]


# -- a broken file is named, with the entry ------------------------------------------------------------------

GOOD = """
[[rewrite]]
key = "shorter"
button = "Shorter"
length_factor = 0.8
aliases = ["shorter", "更简短"]
[rewrite.en]
words = "shorter"
label = "Rewritten to be shorter"
examples = [["A long sentence here.", "Short."]]
[rewrite.zh]
words = "更简短"
label = "改写得更简短"
examples = [["很长很长的一句话。", "短句。"]]

[[custom_example]]
lang = "zh"
instruction = "改成过去时"
original = "她走到集市。"
rewritten = "那天她走到了集市。"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "quick_rewrites.toml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_a_small_good_file_loads(tmp_path: Path) -> None:
    cat = load_quick_rewrites(write(tmp_path, GOOD))
    assert list(cat.rewrites) == ["shorter"] and cat.find("更简短。") is cat.rewrites["shorter"]
    assert cat.custom_examples == {"en": (), "zh": (("改成过去时", "她走到集市。", "那天她走到了集市。"),)}


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('[rewrite.zh]\nwords = "更简短"\nlabel = "改写得更简短"\nexamples = [["很长很长的一句话。", "短句。"]]\n', "",
         "rewrite 'shorter': missing 'zh'"),
        ('label = "改写得更简短"\n', "", "rewrite 'shorter', zh: missing 'label'"),
        ('examples = [["A long sentence here.", "Short."]]', 'examples = [["only one"]]',
         "rewrite 'shorter', en: 'examples' must be a non-empty list of [original, rewritten]"),
        ('aliases = ["shorter", "更简短"]', 'aliases = ["Shorter!", "更简短"]', "alias 'Shorter!' can never match"),
        ('button = "Shorter"', 'button = "Tighter"', "its button 'Tighter' is not one of its aliases"),
        ("length_factor = 0.8", 'length_factor = "short"', "'length_factor' must be a number"),
        ('key = "shorter"\n', 'key = "shorter"\nwords = "x"\n', "unknown key(s) 'words'"),
        ('lang = "zh"', 'lang = "fr"', "custom_example #1: 'lang' 'fr' is not one of: en, zh"),
        ("[[rewrite]]", "[[rewrite]\n", "not valid TOML"),
    ],
)
def test_bad_files_name_the_file_and_the_entry(tmp_path: Path, old: str, new: str, expected: str) -> None:
    assert old in GOOD
    path = write(tmp_path, GOOD.replace(old, new, 1))
    with pytest.raises(QuickRewriteResourceError) as info:
        load_quick_rewrites(path)
    assert isinstance(info.value, StudioError) and str(path) in str(info.value) and expected in str(info.value)


def test_an_alias_may_mean_only_one_rewrite(tmp_path: Path) -> None:
    twice = GOOD.split("[[custom_example]]")[0]
    second = twice.replace('key = "shorter"', 'key = "tighter"').replace('button = "Shorter"\n', "")
    path = write(tmp_path, twice + second)
    with pytest.raises(QuickRewriteResourceError, match="rewrite 'tighter': alias 'shorter' already means 'shorter'"):
        load_quick_rewrites(path)
