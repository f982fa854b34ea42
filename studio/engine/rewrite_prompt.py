"""The Rewrite prompt: the selection, what to do with it, the text around it and worked examples, in a chat or a
base-model frame, within the context budget (the layout and placeholders are those of studio/engine/prompts.py)."""

from __future__ import annotations

import math

from studio.domain import Action, ContextOverflowError, GenerationRequest, LoreHit
from studio.domain.i18n import QT_TRANSLATE_NOOP, msg
from studio.engine import quick_rewrites, reasoning
from studio.engine.budget import head_within, tail_within
from studio.engine.prompts import (
    _LABELS,
    DEFAULT_REWRITE_BASE,
    DEFAULT_REWRITE_CHAT,
    MIN_GENERATION_TOKENS,
    REASONING_ROOM,
    REWRITE_CONTEXT_TOKENS,
    REWRITE_EXAMPLES,
    SAFETY_TOKENS,
    ModelTraits,
    PromptPlan,
    Tokenize,
    _blocks,
    _exemplars,
    _han_variant,
    _output_scripts,
    _rewrite_label,
    draft_language,
    form_name,
    render,
    resolve_sampler,
)
from studio.engine.quick_rewrites import QUICK_REWRITES, QuickRewrite, quick_rewrite
from studio.engine.textstream import Leading

_PIECEMEAL = msg(QT_TRANSLATE_NOOP("messages", "Rewrite it a few paragraphs at a time."))


def _refuse_huge_selection(core: str, n_ctx: int, tokenize: Tokenize) -> None:
    """Refuse at once a selection far bigger than the context, from a prefix only.

    llama.cpp's tokenizer slows down faster than the text grows (measured: 4.6 s for 30k words, ~60 s for 200k,
    and the build below tokenizes more than once); if a prefix alone already fills the context, the whole
    selection cannot fit, and the writer hears so immediately.
    """
    probe_chars = n_ctx * 8  # far more characters than n_ctx tokens of any real text
    if len(core) <= probe_chars:
        return
    probe = tokenize(core[:probe_chars], False)
    if len(probe) < n_ctx:
        return  # unusually dense text: let the exact count below decide
    chars_per_token = probe_chars / max(1, len(probe))
    fits_tokens = max(0, int((n_ctx - SAFETY_TOKENS - 24) / 2.5))  # the selection, its rewrite, the frame
    fits_chars = int(fits_tokens * chars_per_token)
    raise ContextOverflowError(
        msg(QT_TRANSLATE_NOOP("messages", "The selection is too long to rewrite in one go: {chars:,} characters "
                              "(more than {n_ctx:,} tokens); about {fits_chars:,} characters ({fits_tokens:,} tokens) "
                              "fit in this model's context of {n_ctx:,} tokens, with room for the rewritten text."),
            chars=len(core), n_ctx=n_ctx, fits_chars=fits_chars, fits_tokens=fits_tokens),
        fits_chars=fits_chars, fits_tokens=fits_tokens, hint=_PIECEMEAL)


def build_rewrite(request: GenerationRequest, traits: ModelTraits, tokenize: Tokenize) -> PromptPlan:
    selection = request.selection
    if not selection.strip():
        raise ContextOverflowError(msg(QT_TRANSLATE_NOOP("messages", "Select some text to rewrite first.")),
                                   fits_chars=0, fits_tokens=0)
    lang = draft_language(selection, request.before)
    instruction = request.instruction.strip().rstrip(".!。！")
    quick = quick_rewrite(instruction) if instruction else _preset_instruction(request)
    sampler = resolve_sampler(request)
    blocks = _blocks(request, lang)
    lore_in: tuple[LoreHit, ...] = tuple(h for h in request.lore if h.text.strip())
    lore_out: tuple[LoreHit, ...] = ()
    words = quick.words[lang] if quick else instruction
    label = quick.labels[lang] if quick else _rewrite_label(lang, instruction)
    factor = quick.length_factor if quick else 1.5

    core = selection.strip()
    lead_ws = selection[: len(selection) - len(selection.lstrip())]
    trail_ws = selection[len(selection.rstrip()):]
    _refuse_huge_selection(core, traits.n_ctx, tokenize)
    sel_tokens = tokenize(core, False)
    # The rewrite's length follows the selection's, not the preset's Continue-sized default.
    max_tokens = request.max_tokens or max(MIN_GENERATION_TOKENS, math.ceil(len(sel_tokens) * factor) + 24)

    use_chat = traits.chat is not None
    preset = request.preset
    if use_chat:
        template = preset.template_chat if preset is not None and preset.template_chat.strip() else DEFAULT_REWRITE_CHAT
    else:
        template = preset.template_base if preset is not None and preset.template_base.strip() else DEFAULT_REWRITE_BASE
    # Presets written for Continue can still be used for a Rewrite; without a {selection} the rewrite frame is
    # the default one.
    if "{selection}" not in template:
        template = DEFAULT_REWRITE_CHAT if use_chat else DEFAULT_REWRITE_BASE

    def examples_text(n: int) -> str:
        lab = _LABELS[lang]["original"]
        out = []
        if quick is not None:
            for original, rewritten in quick.examples[lang][:n]:
                out.append(f"{lab}: «{original}»\n{label}: «{rewritten}»\n\n")
        else:
            for ex_words, original, rewritten in quick_rewrites.catalogue().custom_examples[lang][:n]:
                out.append(f"{lab}: «{original}»\n{_rewrite_label(lang, ex_words)}: «{rewritten}»\n\n")
        return "".join(out)

    tails: dict[str, str] = {}  # rendered chat prompt -> what the template added after the message

    def assemble(before: str, after: str, n_examples: int) -> tuple[list[int], str]:
        values = blocks | {
            "form": form_name(request, lang), "before": before, "after": after, "selection": core,
            "instruction": words, "label": label, "examples": examples_text(n_examples),
            "original_label": _LABELS[lang]["original"],
        }
        text = render(template, values)
        if use_chat:
            assert traits.chat is not None
            rendered = traits.chat([{"role": "user", "content": text}])
            tails[rendered] = reasoning.generation_tail(rendered, text)
            return tokenize(rendered, True), rendered
        return list(traits.bos) + tokenize(text, False), text

    # Context around the selection: the end of the text before it and the start of the text after it, at
    # sentence boundaries, within a modest budget (the rewrite is about the selection).
    ctx_budget = min(REWRITE_CONTEXT_TOKENS, max(0, traits.n_ctx // 4))
    before_ctx = tail_within(request.before, tokenize, int(ctx_budget * 0.75)) if "{before}" in template else ""
    after_ctx = head_within(request.after, tokenize, int(ctx_budget * 0.25)) if "{after}" in template else ""

    n_ex = REWRITE_EXAMPLES
    tries = [(n_ex, True, len(lore_in)), (min(n_ex, 1), True, len(lore_in)), (min(n_ex, 1), False, len(lore_in))]
    # Then the last lorebook entries give way, one by one, before the frame's last example.
    tries += [(min(n_ex, 1), False, k) for k in range(len(lore_in) - 1, -1, -1)] + [(0, False, 0)]
    for n_examples, with_context, n_lore in tries:
        b, a = (before_ctx, after_ctx) if with_context else ("", "")
        blocks = _blocks(request, lang, lore_in[:n_lore])
        tokens, text = assemble(b, a, n_examples)
        if len(tokens) + max_tokens + SAFETY_TOKENS <= traits.n_ctx:
            lore_in, lore_out = lore_in[:n_lore], lore_in[n_lore:]
            break
    else:
        copies = max(1, template.count("{selection}"))
        overhead = len(tokens) - copies * len(sel_tokens)
        fits_tokens = max(0, int((traits.n_ctx - SAFETY_TOKENS - overhead - 24) / (copies + factor)))
        chars_per_token = len(core) / max(1, len(sel_tokens))
        fits_chars = int(fits_tokens * chars_per_token)
        raise ContextOverflowError(
            msg(QT_TRANSLATE_NOOP("messages", "The selection is too long to rewrite in one go: {chars:,} characters "
                                  "({tokens:,} tokens); about {fits_chars:,} characters ({fits_tokens:,} tokens) fit "
                                  "in this model's context of {n_ctx:,} tokens, with room for the rewritten text."),
                chars=len(core), tokens=len(sel_tokens), fits_chars=fits_chars, fits_tokens=fits_tokens,
                n_ctx=traits.n_ctx),
            fits_chars=fits_chars, fits_tokens=fits_tokens, hint=_PIECEMEAL)

    opened = reasoning.open_block(tails.get(text, "")) if use_chat else None
    if opened is not None:
        # The model reasons before it answers and its reasoning counts against max_tokens: room for it, as far as
        # the context allows (job.generation_room clamps), or the answer would never come.
        max_tokens += REASONING_ROOM
    if use_chat:
        # Small chat models like to add a note after the answer: a one-line selection ends at the line's end, a
        # one-paragraph selection at a blank line.
        stops: tuple[str, ...] = tuple(sampler.stop) + (
            ("\n",) if "\n" not in core else ("\n\n",) if "\n\n" not in core else ())
    else:
        # The frame quotes with « »; small models sometimes close with a CJK bracket or start the next example.
        orig = _LABELS[lang]["original"]
        extra = ["»", f"\n{orig}:", f"\n{orig}：", "\n\n\n"] + (["\n\n"] if "\n\n" not in core else [])
        extra += [c for c in ("」", "』", "«") if c not in core]
        stops = tuple(sampler.stop) + tuple(extra)
    return PromptPlan(action=Action.REWRITE, mode="chat" if use_chat else "completion", tokens=tokens, text=text,
                      sampler=sampler, max_tokens=max_tokens, stops=stops, leading=Leading.ALL, trim_trailing=True,
                      prefix=lead_ws, suffix=trail_ws, source_tokens=sel_tokens,
                      scripts=_output_scripts(request, *(() if quick else (instruction,))),
                      han_variant=_han_variant(request),
                      exemplars=_exemplars(request), open_reasoning=opened.open if opened else "",
                      lore_in=lore_in, lore_left_out=lore_out)


def _preset_instruction(request: GenerationRequest) -> QuickRewrite:
    """No instruction given: the preset's key or name may say it ("rewrite.expand", "Shorten"); else rephrase."""
    preset = request.preset
    if preset is not None:
        for candidate in ((preset.builtin_key or "").rsplit(".", 1)[-1], preset.name):
            quick = quick_rewrite(candidate) if candidate else None
            if quick is not None:
                return quick
    return QUICK_REWRITES["rephrase"]
