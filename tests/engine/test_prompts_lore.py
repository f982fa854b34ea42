"""Lorebook entries in the prompt: a fixed place (after the style's guidance, before the notes and the draft), the
cache-friendly prefix, and the budget order (oldest draft text first, then the last entries, said in the plan)."""

from __future__ import annotations

from studio.domain import Action, Form, GenerationRequest, LoreHit, StyleVariant
from studio.engine.prompts import MIN_DRAFT_TOKENS, ModelTraits, build_prompt, plan_preview


def tok(text: str, special: bool) -> list[int]:
    return [ord(c) for c in text]  # one token per character: budgets are exact to reason about


def traits(n_ctx: int = 4096) -> ModelTraits:
    return ModelTraits(n_ctx=n_ctx, bos=(1,))


STYLE = StyleVariant(id=1, name="Spare", form=Form.PROSE, guidance="Short sentences.")
MARA = LoreHit(entry_id=1, text="Mara is the lighthouse keeper; she is deaf in one ear.", key="Mara", position=0)
TOWER = LoreHit(entry_id=2, text="灯塔在岛的北端，灯已经三年没亮。", key="灯塔", position=1)


def paragraphs(n: int) -> str:
    return "\n\n".join(f"Paragraph {i}: " + " ".join(f"w{i}x{j}" for j in range(30)) + "." for i in range(n))


def test_entries_sit_after_the_guidance_before_notes_and_draft_in_their_order() -> None:
    req = GenerationRequest(action=Action.CONTINUE, before="Mara climbed the stairs.", notes="Winter, 1911.",
                            style=STYLE, lore=(MARA, TOWER))
    plan = build_prompt(req, traits(), tok)
    text = plan.text
    assert text.index("Style: Short") < text.index("Lore: Mara is") < text.index("Lore: 灯塔在岛") \
        < text.index("Notes: Winter") < text.index("Mara climbed")
    assert plan.lore_in == (MARA, TOWER) and plan.lore_left_out == ()
    preview = plan_preview(plan, 4096)
    assert [h.key for h in preview.lore] == ["Mara", "灯塔"] and preview.lore_left_out == ()


def test_typing_on_keeps_the_prompt_prefix_with_the_same_entries() -> None:
    a = build_prompt(GenerationRequest(action=Action.CONTINUE, before="Mara climbed", lore=(MARA,)), traits(), tok)
    b = build_prompt(GenerationRequest(action=Action.CONTINUE, before="Mara climbed the stairs", lore=(MARA,)),
                     traits(), tok)
    assert b.tokens[: len(a.tokens)] == a.tokens


def test_tight_context_trims_the_oldest_draft_first_then_leaves_the_last_entries_out() -> None:
    draft = paragraphs(40)  # far more than the context
    entries = (MARA, TOWER)
    req = GenerationRequest(action=Action.CONTINUE, before=draft, lore=entries, max_tokens=64)
    roomy = build_prompt(req, traits(1024), tok)
    assert roomy.lore_in == entries and roomy.trimmed_chars > 0  # the draft gave way, not the lore
    assert "Lore: Mara" in roomy.text and "灯塔" in roomy.text

    # A context with room for the frame, the output, the least draft and one entry only: the last entry goes.
    big = LoreHit(entry_id=3, text="x " * 300, key="x", position=2)
    req = GenerationRequest(action=Action.CONTINUE, before=draft, lore=(MARA, big), max_tokens=64)
    tight = build_prompt(req, traits(8 + 64 + MIN_DRAFT_TOKENS + 200), tok)
    assert tight.lore_in == (MARA,) and tight.lore_left_out == (big,)
    assert "x x x" not in tight.text and "Lore: Mara" in tight.text
    assert len(tight.tokens) + tight.max_tokens <= 8 + 64 + MIN_DRAFT_TOKENS + 200
    preview = plan_preview(tight, 0)
    assert preview.lore_left_out == (big,)  # never silently


def test_rewrite_reads_the_lore_too_and_gives_it_way_before_refusing() -> None:
    req = GenerationRequest(action=Action.REWRITE, before="The keeper waited. ", selection="Mara lit the lamp.",
                            after=" Night came.", instruction="more vivid", lore=(MARA,))
    plan = build_prompt(req, traits(), tok)
    assert "Lore: Mara is the lighthouse keeper" in plan.text and plan.lore_in == (MARA,)
    big = LoreHit(entry_id=3, text="y " * 400, key="y", position=2)
    small = build_prompt(GenerationRequest(action=Action.REWRITE, before="", selection="Mara lit the lamp.",
                                           instruction="shorter", lore=(MARA, big)), traits(700), tok)
    assert small.lore_in == (MARA,) and small.lore_left_out == (big,)
