"""The built-in style variants in resources/styles: well formed, short enough, and true to their own forms."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from studio.domain import Form, Sampler, count_words
from studio.forms.fountain import ElementKind, parse
from studio.forms.lyrics import analyze
from studio.forms.poetry import check, get_form

STYLES = Path(__file__).resolve().parents[2] / "resources" / "styles"
FILES = ("prose.toml", "screenplay.toml", "lyrics.toml", "poetry.toml")
WORD_BUDGET = 250  # guidance + exemplars; the default model has 8k of context and the draft needs most of it


def load() -> list[dict[str, Any]]:
    styles: list[dict[str, Any]] = []
    for name in FILES:
        with (STYLES / name).open("rb") as fh:
            data = tomllib.load(fh)
        for style in data["style"]:
            style["_file"] = name
            styles.append(style)
    return styles


ALL = load()


def ids(styles: list[dict[str, Any]]) -> list[str]:
    return [s["key"] for s in styles]


def test_files_exist_and_keys_are_unique() -> None:
    assert sorted(p.name for p in STYLES.glob("*.toml")) == sorted(FILES)
    keys = ids(ALL)
    assert len(keys) == len(set(keys))


def test_required_styles_are_there() -> None:
    names = {s["name"] for s in ALL}
    for wanted in ("Tense thriller", "Sitcom banter", "Quiet drama", "Folk ballad", "Hip-hop verse",
                   "Pop, chorus first", "中文流行歌词", "Free verse", "Sonnet", "Haiku", "Limerick", "五言绝句",
                   "七言绝句", "Literary", "Noir", "Children's story", "中文散文"):
        assert wanted in names


@pytest.mark.parametrize("style", ALL, ids=ids(ALL))
def test_style_is_well_formed(style: dict[str, Any]) -> None:
    form = Form(style["form"])
    assert style["_file"] == f"{form.value}.toml"
    assert style["key"].startswith(f"{form.value}.")
    for field in ("name", "description", "guidance"):
        assert isinstance(style[field], str) and style[field].strip(), field
    assert "\n" not in style["description"]
    exemplars = style["exemplars"]
    assert 1 <= len(exemplars) <= 3 and all(isinstance(e, str) and e.strip() for e in exemplars)
    words = count_words(style["guidance"]) + sum(count_words(e) for e in exemplars)
    assert words <= WORD_BUDGET, f"{style['key']}: {words} words"
    overrides = style.get("sampler", {})
    assert set(overrides) <= {"temperature", "top_p", "top_k", "min_p", "repeat_penalty", "max_tokens", "stop"}
    Sampler().merged(overrides)  # the values fit the domain's sampler


@pytest.mark.parametrize("style", [s for s in ALL if s["form"] == "poetry"], ids=lambda s: s["key"])
def test_poetry_exemplars_pass_their_own_form(style: dict[str, Any]) -> None:
    # The key names the form ("poetry.haiku" -> haiku), so the engine can hold a generation to it.
    form = get_form(style["key"].split(".", 1)[1])
    for exemplar in style["exemplars"]:
        result = check(exemplar, form)
        assert result.ok, f"{style['key']}: {[d.message for d in result.deviations]}"


@pytest.mark.parametrize("style", [s for s in ALL if s["form"] == "screenplay"], ids=lambda s: s["key"])
def test_screenplay_exemplars_are_fountain(style: dict[str, Any]) -> None:
    for exemplar in style["exemplars"]:
        kinds = {e.kind for e in parse(exemplar)}
        assert {ElementKind.SCENE_HEADING, ElementKind.ACTION, ElementKind.CHARACTER, ElementKind.DIALOGUE} <= kinds


@pytest.mark.parametrize("style", [s for s in ALL if s["form"] == "lyrics"], ids=lambda s: s["key"])
def test_lyrics_exemplars_are_tagged_and_rhyme(style: dict[str, Any]) -> None:
    for exemplar in style["exemplars"]:
        song = analyze(exemplar)
        assert song.sections and all(s.name for s in song.sections)
        letters = [line.rhyme for line in song.lines if line.rhyme]
        assert len(letters) > len(set(letters)), f"{style['key']}: no two lines rhyme"


@pytest.mark.parametrize("style", [s for s in ALL if "zh" in s["key"] or s["name"][0] > "\u2e80"],
                         ids=lambda s: s["key"])
def test_chinese_styles_are_written_in_chinese(style: dict[str, Any]) -> None:
    from studio.forms.counting import han_count

    for text in (style["guidance"], *style["exemplars"]):
        assert han_count(text) > len(text) * 0.5
