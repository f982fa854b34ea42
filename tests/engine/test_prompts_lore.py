"""Lorebook entries in the prompt: a Continue's entries are one bracketed note in the draft text at a paragraph
boundary just before the scan window, moving in steps (at the end of the header for a short draft), so a new entry
keeps the prompt before the note; a template's own {lore} places them itself; the budget order (oldest draft text
first, then the last entries, said in the plan); Rewrite reads them in its header."""

from __future__ import annotations

from collections.abc import Sequence

from studio.domain import DEFAULT_SCAN_CHARS, Action, Form, GenerationRequest, LoreHit, Preset, StyleVariant
from studio.engine.lore_note import anchor
from studio.engine.prompts import MIN_DRAFT_TOKENS, ModelTraits, PromptPlan, build_prompt, plan_preview


def tok(text: str, special: bool) -> list[int]:
    return [ord(c) for c in text]  # one token per character: budgets are exact to reason about


def traits(n_ctx: int = 32768) -> ModelTraits:  # room for paragraphs(60) at a token per character
    return ModelTraits(n_ctx=n_ctx, bos=(1,))


def text_of(plan: PromptPlan) -> str:
    return "".join(chr(t) for t in plan.tokens[1:])


def common(a: Sequence[int], b: Sequence[int]) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


STYLE = StyleVariant(id=1, name="Spare", form=Form.PROSE, guidance="Short sentences.")
MARA = LoreHit(entry_id=1, text="Mara is the lighthouse keeper; she is deaf in one ear.", key="Mara", position=0)
TOWER = LoreHit(entry_id=2, text="灯塔在岛的北端，灯已经三年没亮。", key="灯塔", position=1)
PINNED = LoreHit(entry_id=4, text="The sea is cold.", pinned=True, position=-1)


def paragraphs(n: int) -> str:
    return "\n\n".join(f"Paragraph {i}: " + " ".join(f"w{i}x{j}" for j in range(30)) + "." for i in range(n))


def test_a_short_draft_gets_the_note_at_the_end_of_the_header_before_the_break() -> None:
    req = GenerationRequest(action=Action.CONTINUE, before="Mara climbed the stairs.", notes="Winter, 1911.",
                            style=STYLE, lore=(MARA, TOWER))
    plan = build_prompt(req, traits(), tok)
    assert plan.text == ("Style: Short sentences.\n\nNotes: Winter, 1911.\n\n"
                         "[Lore: Mara is the lighthouse keeper; she is deaf in one ear.]\n"
                         "[Lore: 灯塔在岛的北端，灯已经三年没亮。]\n\n* * *\n\nMara climbed the stairs.")
    assert text_of(plan) == plan.text  # --show-prompt and the preview show exactly what the model reads
    assert plan.lore_in == (MARA, TOWER) and plan.lore_left_out == ()
    assert "[Lore:" in plan.stops and plan.no_break_line
    preview = plan_preview(plan, 4096)
    assert [h.key for h in preview.lore] == ["Mara", "灯塔"] and preview.lore_left_out == ()
    # No header at all (no style, no notes): the note and the break open the prompt.
    bare = build_prompt(GenerationRequest(action=Action.CONTINUE, before="", lore=(PINNED,)), traits(), tok)
    assert bare.text == "[Lore: The sea is cold.]\n\n* * *\n\n"


def test_a_chinese_draft_gets_a_chinese_note() -> None:
    before = "\n\n".join(f"第{i}段。" + "灯塔的光照着海面，船从远处经过。" * 8 for i in range(40))
    plan = build_prompt(GenerationRequest(action=Action.CONTINUE, before=before, lore=(TOWER,)), traits(), tok)
    assert "\n\n【设定：灯塔在岛的北端，灯已经三年没亮。】\n\n第" in plan.text
    assert "【设定：" in plan.stops and text_of(plan) == plan.text
    assert len(plan.text) - plan.text.index("【设定") >= DEFAULT_SCAN_CHARS


def test_in_a_long_draft_the_note_sits_at_a_paragraph_boundary_before_the_scan_window() -> None:
    draft = paragraphs(60)  # about 14,000 characters
    plan = build_prompt(GenerationRequest(action=Action.CONTINUE, before=draft, lore=(MARA, TOWER)), traits(), tok)
    text = plan.text
    at = text.index("[Lore: Mara")
    assert text[:at] == draft[:at]  # the draft unchanged up to the note, which opens a paragraph
    assert text[at - 2: at] == "\n\n" and text.index("[Lore: 灯塔") > at  # one note, entries in their order
    after = text[text.index("]\n\n", text.index("[Lore: 灯塔")) + 3:]
    assert after.startswith("Paragraph ") and draft.endswith(after)
    # At least the scan depth of draft text after the note, at most two depths and the paragraph searched back.
    assert DEFAULT_SCAN_CHARS <= len(after) <= 2 * DEFAULT_SCAN_CHARS + len(draft.split("\n\n")[0]) + 2
    assert text_of(plan) == text and not plan.no_break_line


def test_a_new_entry_changes_the_prompt_only_after_the_note() -> None:
    draft = paragraphs(60)
    without = build_prompt(GenerationRequest(action=Action.CONTINUE, before=draft, lore=(PINNED,)), traits(), tok)
    with_more = build_prompt(GenerationRequest(action=Action.CONTINUE, before=draft + " Mara came.",
                                               lore=(PINNED, MARA)), traits(), tok)
    same = common(without.tokens, with_more.tokens)
    at = with_more.text.index("[Lore:")
    assert same >= at  # everything up to the note (BOS included) is the same: the cache keeps it
    assert len(with_more.tokens) - same <= 2 * DEFAULT_SCAN_CHARS + 400
    # No entries before, one now: the prefix up to the note is the draft tokenized whole, as it was.
    none = build_prompt(GenerationRequest(action=Action.CONTINUE, before=draft), traits(), tok)
    assert common(none.tokens, with_more.tokens) >= at


def test_typing_on_keeps_the_note_in_place_until_it_steps_on() -> None:
    draft = paragraphs(60)
    places = []
    typed = ""
    for i in range(400):
        typed += f" w{i}"  # about 1,800 characters in all, word by word
        plan = build_prompt(GenerationRequest(action=Action.CONTINUE, before=draft + typed, lore=(MARA,)),
                            traits(), tok)
        places.append(plan.text.index("[Lore:"))
    moves = [b for a, b in zip(places, places[1:], strict=False) if a != b]
    assert 1 <= len(moves) <= 2  # once per half scan depth typed (1,000 characters), not per keystroke
    assert all(b > a for a, b in zip(places, places[1:], strict=False) if a != b)  # only forwards


def test_anchor_depends_only_on_the_text_before_it_and_the_length() -> None:
    text = paragraphs(60)
    at = anchor(text, 2000)
    assert text[at - 2: at] == "\n\n"
    edited = text[:at] + text[at:].replace("w59x3", "CHANGED")  # an edit after the anchor, same length
    assert anchor(edited, 2000) == at
    assert anchor(text[:2500], 2000) == 0  # shorter than a depth and a step: the start
    assert anchor("灯塔" * 3000, 2000) == 6000 - 2000 - (4000 % 1000)  # no boundary at all: the step point


def test_a_template_with_its_own_lore_places_the_entries_there() -> None:
    preset = Preset(id=1, name="Own", action=Action.CONTINUE, template_base="{lore}Story:\n{header}{before}")
    draft = paragraphs(60)
    plan = build_prompt(GenerationRequest(action=Action.CONTINUE, before=draft, notes="Winter.", lore=(MARA,),
                                          preset=preset), traits(), tok)
    assert plan.text.startswith("Lore: Mara is the lighthouse keeper; she is deaf in one ear.\n\nStory:\nNotes: "
                                "Winter.\n\n* * *\n\nParagraph 0")
    assert plan.text.count("Mara is the lighthouse") == 1 and "[Lore" not in plan.text
    assert plan.lore_in == (MARA,)


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


def test_fill_in_the_middle_keeps_the_note_in_the_prefix() -> None:
    draft = paragraphs(60)
    fim = ModelTraits(n_ctx=32768, bos=(1,), fim=(0x110001, 0x110002, 0x110003))
    plan = build_prompt(GenerationRequest(action=Action.CONTINUE, before=draft, after="The end.", lore=(MARA,)),
                        fim, tok)
    assert plan.mode == "fim"
    pre, suf = plan.tokens.index(0x110001), plan.tokens.index(0x110002)
    prefix = "".join(chr(t) for t in plan.tokens[pre + 1: suf])
    assert "\n\n[Lore: Mara is" in prefix and prefix.endswith(draft[-200:])
    assert plan.text == f"<FIM_PREFIX>{prefix}<FIM_SUFFIX>The end.<FIM_MIDDLE>"
