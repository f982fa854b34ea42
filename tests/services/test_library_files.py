"""Presets and styles in and out as TOML (services/library_files.py through LibraryService) on a real SQLite data
folder: a round trip keeps every field, a bad file is refused whole with a line naming the entry and the problem."""

from __future__ import annotations

import tomllib
from dataclasses import replace
from pathlib import Path

import pytest

from studio.domain import Action, Form, ImportFileError, Preset, Sampler, StyleVariant, UsageError

TRICKY = 'Line one\n\t"quoted" and """triple""" \\ back\\slash\nend with a quote"'


def _preset(name: str = "Slow burn") -> Preset:
    return Preset(id=None, name=name, action=Action.CONTINUE, template_base="{before}" + TRICKY,
                  template_chat="续写：{before}", description="慢一点 — slower",
                  sampler=Sampler(temperature=0.55, top_p=0.9, top_k=30, min_p=0.02, repeat_penalty=1.2,
                                  max_tokens=321, stop=["\n\n", "###"]))


def _style(name: str = "Salt") -> StyleVariant:
    return StyleVariant(id=None, name=name, form=Form.POETRY, guidance="Short lines.\nSea words.\x7f",
                        exemplars=("浪打礁石", 'A "gull" cries'),
                        sampler_overrides={"temperature": 1.1, "stop": ["--"]}, description="")


def _same(a: Preset | StyleVariant, b: Preset | StyleVariant) -> bool:
    return replace(a, id=None, name="") == replace(b, id=None, name="")


def test_presets_and_styles_round_trip_with_every_field(services, tmp_path: Path):
    lib = services.library
    p = lib.preset_catalogue.save(_preset())
    s = lib.style_catalogue.save(_style())
    pf, sf = tmp_path / "presets.toml", tmp_path / "styles.toml"
    assert lib.export_presets(pf, [p.id]) == 1
    assert lib.export_styles(sf, [s.id]) == 1
    assert tomllib.loads(pf.read_text(encoding="utf-8"))["preset"][0]["template_base"] == "{before}" + TRICKY

    [p2] = lib.import_presets(pf)
    [s2] = lib.import_styles(sf)
    assert p2.id != p.id and p2.name == "Slow burn (imported)" and _same(p2, p)
    assert s2.id != s.id and s2.name == "Salt (imported)" and _same(s2, s)
    assert not p2.builtin and p2.builtin_key is None
    [p3] = lib.import_presets(pf)
    assert p3.name == "Slow burn (imported 2)"

    everything = tmp_path / "all.toml"
    n = lib.export_presets(everything)
    assert n == len(lib.presets()) and len(tomllib.loads(everything.read_text(encoding="utf-8"))["preset"]) == n
    shipped = [x for x in lib.presets() if x.builtin]
    assert shipped, "the built-in presets are exported too"


BAD = [
    ("[[preset]]\nname = 'X'\naction = 'continue'\ntemplate_base = 'b'\ncolour = 'red'\n", "unknown key “colour”"),
    ("[[preset]]\naction = 'continue'\ntemplate_base = 'b'\n", "“name” is missing"),
    ("[[preset]]\nname = '  '\naction = 'continue'\ntemplate_base = 'b'\n", "the name is empty"),
    ("[[preset]]\nname = 'X'\naction = 'continue'\ntemplate_base = 3\n", "“template_base” must be text"),
    ("[[preset]]\nname = 'X'\naction = 'sing'\ntemplate_base = 'b'\n", "action “sing” is not one of"),
    ("[[preset]]\nname = 'X'\naction = 'continue'\ntemplate_base = 'b'\n[preset.sampler]\ntemperature = 9.0\n",
     "sampler temperature = 9.0 is outside"),
    ("[[preset]]\nname = 'X'\naction = 'continue'\ntemplate_base = 'b'\n[preset.sampler]\ntop_k = 'many'\n",
     "sampler top_k must be a whole number"),
    ("[[preset]]\nname = 'X'\naction = 'continue'\ntemplate_base = 'b'\n[preset.sampler]\nwarmth = 1\n",
     "unknown sampler setting “warmth”"),
    ("[[preset]]\nname = 'X'\naction = 'continue'\ntemplate_base = 'b'\n[preset.sampler]\nstop = ['']\n",
     "sampler stop must be a list"),
    ("[[style]]\nname = 'X'\nform = 'prose'\nguidance = 'g'\n", "unknown key; a file of presets"),
    ("name = 'X'\n", "unknown key"),
    ("[[preset]\nname = 'X'", "not a valid TOML file"),
    ("", "no [[preset]] tables"),
]


@pytest.mark.parametrize(("text", "why"), BAD)
def test_a_bad_preset_file_is_refused_whole_and_nothing_is_saved(services, tmp_path: Path, text: str, why: str):
    lib = services.library
    before = lib.presets()
    good = "[[preset]]\nname = 'Good one'\naction = 'rewrite'\ntemplate_base = 'b'\n\n"
    f = tmp_path / "bad.toml"
    f.write_text(good + text if text.startswith("[[preset]]\n") else text, encoding="utf-8")
    with pytest.raises(UsageError) as err:
        lib.import_presets(f)
    assert why in str(err.value), str(err.value)
    assert str(f) in str(err.value) and "Nothing was imported" in str(err.value)
    assert lib.presets() == before  # not even the good entry before the bad one


def test_bad_style_files_and_an_unreadable_file(services, tmp_path: Path):
    lib = services.library
    before = lib.styles()
    for text, why in (("[[style]]\nname = 'X'\nform = 'opera'\nguidance = 'g'\n", "form “opera” is not one of"),
                      ("[[style]]\nname = 'X'\nform = 'prose'\nguidance = 'g'\nexemplars = [1]\n", "“exemplars” must"),
                      ("[[style]]\nname = 'X'\nform = 'prose'\n", "“guidance” is missing")):
        f = tmp_path / "bad.toml"
        f.write_text(text, encoding="utf-8")
        with pytest.raises(UsageError, match=why):
            lib.import_styles(f)
    with pytest.raises(ImportFileError, match="could not be read"):
        lib.import_styles(tmp_path / "missing.toml")
    assert lib.styles() == before


def test_a_name_taken_in_another_form_is_kept(services, tmp_path: Path):
    lib = services.library
    f = tmp_path / "s.toml"
    f.write_text("[[style]]\nname = 'Salt'\nform = 'prose'\nguidance = 'g'\n"
                 "[[style]]\nname = 'Salt'\nform = 'poetry'\nguidance = 'h'\n", encoding="utf-8")
    made = lib.import_styles(f)
    assert [(s.name, s.form) for s in made] == [("Salt", Form.PROSE), ("Salt", Form.POETRY)]
