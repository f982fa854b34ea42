"""The curated catalogue parses, every entry has every field (and sane values), and a broken one is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from studio.domain import StudioError
from studio.hub.catalogue import REQUIRED_FIELDS, load_catalogue
from studio.hub.quants import is_projector, is_split_part, quant_of, recommended_order
from studio.paths import resources_dir

CATALOGUE = resources_dir() / "catalogue.toml"


def test_the_catalogue_parses_and_every_entry_has_every_field() -> None:
    import tomllib

    raw = tomllib.loads(CATALOGUE.read_text(encoding="utf-8"))["model"]
    entries = load_catalogue(CATALOGUE)
    assert 8 <= len(entries) <= 12
    for item in raw:
        assert set(REQUIRED_FIELDS) <= set(item), item.get("name")
    for e in entries:
        assert e.repo.count("/") == 1 and e.file.endswith(".gguf")
        assert quant_of(e.file), f"{e.name}: the file names no quant"
        assert 0.4 <= e.params_b <= 15, e.name
        assert 100_000_000 < e.size_bytes < 12_000_000_000, e.name
        assert set(e.languages) <= {"en", "zh"} and e.languages, e.name
        assert e.kind in ("instruct", "base")
        assert e.source.startswith("https://"), f"{e.name}: where was it confirmed?"
        assert e.writes and e.licence
    assert any("zh" in e.languages for e in entries) and any(e.languages == ("en",) for e in entries)
    assert "sha256" not in CATALOGUE.read_text(encoding="utf-8").replace("SHA-256", ""), "no hashes typed in"


@pytest.mark.parametrize("broken, complaint", [
    ('[[model]]\nname = "x"\n', "lacks"),
    ("model = 3\n", "lists no models"),
    ("[[model\n", "cannot be read"),
])
def test_a_broken_catalogue_is_refused_in_words(tmp_path: Path, broken: str, complaint: str) -> None:
    p = tmp_path / "catalogue.toml"
    p.write_text(broken, encoding="utf-8")
    with pytest.raises(StudioError, match=complaint):
        load_catalogue(p)


def test_an_entry_with_a_wrong_type_is_named(tmp_path: Path) -> None:
    text = CATALOGUE.read_text(encoding="utf-8").replace('kind = "instruct"', 'kind = "chat"', 1)
    p = tmp_path / "catalogue.toml"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(StudioError, match=r"entry 1 \(qwen2.5-0.5b\) has kind 'chat'"):
        load_catalogue(p)


@pytest.mark.parametrize("name, quant", [
    ("Qwen2.5-7B-Instruct-Q4_K_M.gguf", "Q4_K_M"), ("qwen2.5-0.5b-instruct-q4_k_m.gguf", "Q4_K_M"),
    ("Mistral-Nemo-Instruct-2407-IQ4_XS.gguf", "IQ4_XS"), ("Qwen1.5-4B.Q8_0.gguf", "Q8_0"),
    ("Llama-3.2-3B-Instruct-f16.gguf", "F16"), ("model-Q4_0_4_8.gguf", "Q4_0_4_8"), ("plain.gguf", ""),
])
def test_quant_names_are_read_from_file_names(name: str, quant: str) -> None:
    assert quant_of(name) == quant


def test_quant_preference_and_file_kinds() -> None:
    assert recommended_order("Q4_K_M") < recommended_order("Q6_K") < recommended_order("Q2_K")
    assert recommended_order("Q4_0_4_8") > recommended_order("F16")
    assert is_split_part("big-Q4_K_M-00001-of-00003.gguf") and not is_split_part("big-Q4_K_M.gguf")
    assert is_projector("mmproj-gemma-3-4b-it-f16.gguf")
