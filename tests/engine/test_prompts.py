"""Prompt assembly and the context budget, with a stand-in tokenizer (one token per character)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from studio.domain import Action, ContextOverflowError, Form, GenerationRequest, Preset, Sampler, StyleVariant
from studio.engine import prompts
from studio.engine.prompts import ModelTraits, build_prompt, resolve_sampler, trim_oldest
from studio.engine.quick_rewrites import QUICK_REWRITES, quick_rewrite

REPO = Path(__file__).resolve().parents[2]


def tok(text: str, special: bool) -> list[int]:
    return [ord(c) for c in text]


def traits(n_ctx: int = 4096, **kw: object) -> ModelTraits:
    return ModelTraits(n_ctx=n_ctx, bos=(1,), **kw)  # type: ignore[arg-type]


STYLE = StyleVariant(id=1, name="Spare", form=Form.PROSE, guidance="Short sentences. Concrete nouns.",
                     exemplars=("The rain came. She did not move.",), sampler_overrides={"temperature": 0.5})


def paragraphs(n: int, words: int = 40) -> str:
    return "\n\n".join(f"Paragraph {i}: " + " ".join(f"word{i}x{j}" for j in range(words)) + "." for i in range(n))


def test_continue_layout_header_first_then_draft_and_stable_prefix() -> None:
    req = GenerationRequest(action=Action.CONTINUE, before="It was dark. The sea", notes="Mara keeps the light.",
                            style=STYLE)
    plan = build_prompt(req, traits(), tok)
    assert plan.text.startswith("Style: Short sentences.")
    assert plan.text.index("Notes: Mara") < plan.text.index("It was dark")
    assert plan.text.endswith("It was dark. The sea")
    assert plan.tokens[0] == 1  # BOS
    longer = build_prompt(GenerationRequest(action=Action.CONTINUE, before="It was dark. The sea rose.",
                                            notes="Mara keeps the light.", style=STYLE), traits(), tok)
    head = len(plan.tokens) - len("The sea")
    assert longer.tokens[:head] == plan.tokens[:head]


def test_sampler_precedence() -> None:
    preset = Preset(id=1, name="P", action=Action.CONTINUE, template_base="{before}",
                    sampler=Sampler(temperature=0.9, max_tokens=100))
    req = GenerationRequest(action=Action.CONTINUE, before="x", preset=preset, style=STYLE)
    assert resolve_sampler(req).temperature == 0.5  # the style's override wins over the preset
    req2 = GenerationRequest(action=Action.CONTINUE, before="x", preset=preset, style=STYLE,
                             sampler=Sampler(temperature=0.1), max_tokens=33)
    s = resolve_sampler(req2)
    assert (s.temperature, s.max_tokens) == (0.1, 33)  # explicit sampler, then request.max_tokens


def test_trimming_drops_oldest_draft_keeps_notes_and_guidance() -> None:
    draft = paragraphs(60)
    req = GenerationRequest(action=Action.CONTINUE, before=draft, notes="NOTES-KEEP", style=STYLE,
                            sampler=Sampler(max_tokens=200))
    plan = build_prompt(req, traits(n_ctx=4096), tok)
    assert len(plan.tokens) + plan.max_tokens <= 4096
    assert plan.trimmed_chars > 0
    assert "NOTES-KEEP" in plan.text and "Short sentences" in plan.text
    assert plan.text.endswith(draft[-200:])
    kept = draft[plan.trimmed_chars:]
    assert kept.startswith("Paragraph ")  # cut at a paragraph boundary
    assert plan.trimmed_preview.startswith("Paragraph 0:")


def test_trim_cut_moves_in_large_steps_as_the_draft_grows() -> None:
    def count(t: str) -> int:
        return len(t)

    cuts = []
    text = paragraphs(40)
    for extra in range(30):
        grown = text + "\n\n" + " ".join("more" for _ in range(extra * 5))
        _, dropped = trim_oldest(grown, count, 3000)
        cuts.append(dropped)
    assert len(set(cuts)) <= 4, cuts  # 30 growth steps, only a few distinct cut points
    assert cuts == sorted(cuts)


def test_notes_too_long_for_the_context_raise() -> None:
    req = GenerationRequest(action=Action.CONTINUE, before="Hello", notes="n" * 5000)
    with pytest.raises(ContextOverflowError) as err:
        build_prompt(req, traits(n_ctx=2048), tok)
    assert "notes" in str(err.value).lower()


def test_selection_too_big_says_how_much_fits() -> None:
    req = GenerationRequest(action=Action.REWRITE, before="", selection="s" * 5000, instruction="shorter")
    with pytest.raises(ContextOverflowError) as err:
        build_prompt(req, traits(n_ctx=2048), tok)
    assert 0 < err.value.fits_tokens < 2048 and 0 < err.value.fits_chars < 5000
    assert "characters" in str(err.value) and "tokens" in str(err.value)


def test_rewrite_base_frame_and_whitespace() -> None:
    req = GenerationRequest(action=Action.REWRITE, before="Before. ", selection="  The cat sat.\n", after=" After.",
                            instruction="More vivid!")
    plan = build_prompt(req, traits(), tok)
    assert plan.text.endswith("Original: «The cat sat.»\nRewritten to be more vivid: «")
    assert "»" in plan.stops and plan.prefix == "  " and plan.suffix == "\n"
    assert plan.source_tokens == tok("The cat sat.", False)


def test_rewrite_in_chinese_uses_chinese_labels() -> None:
    req = GenerationRequest(action=Action.REWRITE, before="", selection="雨下了一整夜。", instruction="shorter")
    plan = build_prompt(req, traits(), tok)
    assert plan.text.endswith("原文: «雨下了一整夜。»\n改写得更简短: «")


def test_rewrite_instruction_from_preset_name_or_key() -> None:
    expand = Preset(id=3, name="Expand", action=Action.REWRITE, template_base=prompts.DEFAULT_REWRITE_BASE,
                    builtin_key="rewrite.expand")
    plan = build_prompt(GenerationRequest(action=Action.REWRITE, before="", selection="He left.", preset=expand),
                        traits(), tok)
    assert "Rewritten to be longer" in plan.text
    assert quick_rewrite("make it shorter.") is QUICK_REWRITES["shorter"]
    assert quick_rewrite("in the voice of a pirate") is None


def test_chat_rewrite_uses_the_chat_renderer() -> None:
    seen: list[list[dict[str, str]]] = []

    def chat(messages: list[dict[str, str]]) -> str:
        seen.append(messages)
        return "<user>" + messages[0]["content"] + "<assistant>"

    req = GenerationRequest(action=Action.REWRITE, before="Start. ", selection="The cat sat.", after=" End.",
                            instruction="in the past tense")
    plan = build_prompt(req, traits(chat=chat), tok)
    assert plan.mode == "chat" and plan.text.startswith("<user>") and plan.text.endswith("<assistant>")
    content = seen[0][0]["content"]
    assert "The cat sat." in content and "in the past tense" in content and "Start. […] End." in content
    assert "\n" in plan.stops  # a one-line selection ends at the end of the line


def test_fim_layout_when_the_model_has_fim_tokens() -> None:
    req = GenerationRequest(action=Action.CONTINUE, before="Once upon", after=" lived happily.", notes="N")
    plan = build_prompt(req, traits(fim=(900, 901, 902)), tok)
    assert plan.mode == "fim"
    pre, suf, mid = plan.tokens.index(900), plan.tokens.index(901), plan.tokens.index(902)
    assert plan.tokens[0] == 1 and pre < suf < mid == len(plan.tokens) - 1
    assert plan.tokens[suf + 1:mid] == tok(" lived happily.", False)


def test_trailing_space_is_left_to_the_model() -> None:
    plan = build_prompt(GenerationRequest(action=Action.CONTINUE, before="The sea was "), traits(), tok)
    assert plan.text.endswith("The sea was") and plan.leading.value == "spaces"


def test_chinese_draft_gets_chinese_labels() -> None:
    req = GenerationRequest(action=Action.CONTINUE, before="春天来了，山上的桃花开了。", notes="主角是一个老人。")
    plan = build_prompt(req, traits(), tok)
    assert plan.text.startswith("备注：主角是一个老人。")


def test_builtin_presets_match_engine_defaults_and_use_known_placeholders() -> None:
    data = tomllib.loads((REPO / "resources" / "presets" / "presets.toml").read_text(encoding="utf-8"))
    presets = {p["key"]: p for p in data["preset"]}
    assert {"continue.default", "continue.bold", "continue.short", "rewrite.default", "rewrite.expand",
            "rewrite.shorten"} <= set(presets)
    assert presets["continue.default"]["template_base"] == prompts.DEFAULT_CONTINUE_BASE
    assert presets["rewrite.default"]["template_base"] == prompts.DEFAULT_REWRITE_BASE
    assert presets["rewrite.default"]["template_chat"] == prompts.DEFAULT_REWRITE_CHAT
    default = Sampler(**{k: v for k, v in presets["continue.default"]["sampler"].items()})
    assert default == prompts.DEFAULT_SAMPLERS[Action.CONTINUE]
    for p in presets.values():
        for field in ("template_base", "template_chat"):
            for name in re.findall(r"\{(\w+)\}", p.get(field, "")):
                assert name in prompts.PLACEHOLDERS, (p["key"], name)
