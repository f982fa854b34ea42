"""Prompt assembly per action, form and style, and the context budget.

Layout, for prefix reuse: ``[guidance] [notes] [exemplars, each after a break] [break] draft``. Everything
before the draft is rendered and tokenized on its own, so its tokens are identical from one Continue to the next, and
the draft grows at the end: llama.cpp keeps the longest common token prefix, so a second Continue on the same draft
re-reads only what changed. A Continue's lorebook entries (``request.lore``, triggered by keys near the cursor), in
their stable order, are one bracketed note inside the draft text, at a paragraph boundary just before the scan
window, which moves only in steps (engine/lore_note.py): an entry that comes in re-reads only the prompt's end, and
typing on keeps the cache. When the context is tight the oldest draft text gives way first, then the last entries,
and the plan says which were left out. Rewrite and Ask read the entries in their header (``{lore}`` in
``{header}``): their prompts are built anew around the selection or the question each time, so there is no
growing prefix to keep, and a chat model reads them as part of the request.

Templates (from a :class:`~studio.domain.Preset`, or the defaults below, which equal the built-in presets in
resources/presets/presets.toml) use these placeholders; anything else in braces is left alone:

=================  ==========================================================================================
``{header}``       ``{guidance}{lore}{notes}{exemplars}`` followed by a break line ("* * *"), or "" when all are empty;
                   in a Continue without ``{lore}`` of its own, ``{guidance}{notes}{exemplars}`` (the entries go in
                   the note in the draft text)
``{guidance}``     the style's guidance as a labelled block ("Style: ...\\n\\n"), or ""
``{lore}``         the lorebook entries in the prompt, each as a labelled block ("Lore: ...\\n\\n"), or "". A
                   Continue template that writes ``{lore}`` places the entries itself: they go there, not in the
                   note (and an entry coming in then re-reads the prompt from that place on)
``{exemplars}``    the style's exemplars, each after a break line, as earlier pieces of an anthology, or ""
``{notes}``        the draft's notes (memory) as a labelled block, or ""
``{form}``         what is being written, as a noun that takes "a": "story", "screenplay (Fountain format)",
                   "song", "poem", or the poetry form held to ("haiku", "五言绝句")
``{before}``       the draft text before the cursor or selection (its oldest part trimmed when it must be)
``{after}``        the draft text after the cursor or selection (only its start)
``{selection}``    rewrite: the selected text
``{instruction}``  rewrite: what to do, in words ("more vivid", "shorter", or the writer's own words)
``{label}``        rewrite, base models: the instruction as a heading ("Rewritten to be more vivid", "改写得更生动")
``{examples}``     rewrite, base models: worked examples of that instruction ("Original: «...»\\nShorter: «...»")
``{original_label}`` rewrite, base models: the heading of the passage to rewrite ("Original", "原文")
=================  ==========================================================================================

Labels and the rewrite examples follow the draft's language (English or Chinese), so a Chinese draft is not
nudged into English by an English header.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from studio.domain import Action, ContextOverflowError, Form, GenerationRequest, LoreHit, PromptPreview, Sampler
from studio.domain.i18n import QT_TRANSLATE_NOOP, msg
from studio.domain.text import is_cjk
from studio.engine import lore_note
from studio.engine.budget import preview_of, trim_oldest
from studio.engine.form_steer import LinePlan, line_plan_for, line_target, lines_left, meter_line_plan
from studio.engine.guard import allowed_scripts
from studio.engine.textstream import Leading

Tokenize = Callable[[str, bool], list[int]]  # (text, parse_special_tokens) -> token ids, no BOS

PLACEHOLDERS = ("header", "guidance", "lore", "exemplars", "notes", "form", "before", "after", "selection",
                "instruction", "label", "original_label", "examples")
_PLACEHOLDER = re.compile(r"\{(" + "|".join(PLACEHOLDERS) + r")\}")

DEFAULT_CONTINUE_BASE = "{header}{before}"
DEFAULT_REWRITE_BASE = "{header}{before}{selection}{after}\n\n{original_label}: «{selection}»\n{label}: «"
DEFAULT_REWRITE_CHAT = (
    "{header}Passage to rewrite:\n{selection}\n\nRewrite the passage so that it is {instruction}. Keep its "
    "language, tense and point of view. It sits in this text (do not repeat the text around it):\n"
    "{before}[…]{after}\n\nAnswer with the rewritten passage only, no explanation."
)

# Samplers when no preset is given (the built-in presets carry the same values).
DEFAULT_SAMPLERS: dict[Action, Sampler] = {
    Action.CONTINUE: Sampler(temperature=0.8, top_p=0.95, top_k=40, min_p=0.05, repeat_penalty=1.1, max_tokens=200),
    Action.REWRITE: Sampler(temperature=0.7, top_p=0.95, top_k=40, min_p=0.05, repeat_penalty=1.05, max_tokens=200),
    Action.ASK: Sampler(temperature=0.7, top_p=0.95, top_k=40, min_p=0.05, repeat_penalty=1.15, max_tokens=160),
}

# Budget rules.
SAFETY_TOKENS = 8  # llama.cpp needs the prompt strictly shorter than n_ctx; a little room for BOS/markers
MIN_DRAFT_TOKENS = 64  # less draft than this and a Continue is guesswork
MIN_GENERATION_TOKENS = 32
# Tokens the lore note's seams may add over its text measured alone (a paragraph break tokenized on either side).
NOTE_SEAM_TOKENS = 4
AFTER_SHARE = 0.2  # FIM / rewrite: at most this share of the context for text after the cursor
REWRITE_CONTEXT_TOKENS = 600
# Worked examples for the {examples} placeholder. The default frame uses none: on the 270M base model the
# examples' content leaked into the rewrites (bench/rewrite_eval.py: on topic 33-47% with 1-2 examples against
# 93% zero-shot, with anti-copy).
REWRITE_EXAMPLES = 2  # rewrite: how much surrounding text is worth its reading time
# Rewrite on a template that opens a reasoning block: tokens added to max_tokens for the reasoning (R1 distills
# cannot be told not to think; they mostly close the block within a few hundred tokens on a one-paragraph task).
REASONING_ROOM = 768

_LABELS = {
    "en": {"guidance": "Style", "notes": "Notes", "break": "* * *",
           "original": "Original", "lore": "Lore"},
    "zh": {"guidance": "风格", "notes": "备注", "break": "* * *", "original": "原文", "lore": "设定"},
}
_FORM_NAMES = {
    "en": {Form.PROSE: "story", Form.SCREENPLAY: "screenplay (Fountain format)", Form.LYRICS: "song",
           Form.POETRY: "poem"},
    "zh": {Form.PROSE: "散文", Form.SCREENPLAY: "剧本（Fountain 格式）", Form.LYRICS: "歌词", Form.POETRY: "诗"},
}


# ------------------------------------------------------------------------------------------- quick rewrites
# The named rewrites ("More vivid", "更简短") and the worked examples for free-text ones are data, shared with the
# assistant's quick buttons: resources/quick_rewrites.toml, read on first use by studio/engine/quick_rewrites.py.


def _rewrite_label(lang: str, words: str) -> str:
    """The base-model frame's heading for a free-text instruction: "Rewritten (in the first person)"."""
    return f"改写（{words}）" if lang == "zh" else f"Rewritten ({words})"


# ------------------------------------------------------------------------------------------- results


@dataclass
class PromptPlan:
    """A prompt ready to run: its tokens and how to treat the output."""

    action: Action
    mode: str  # completion | chat | fim
    tokens: list[int]
    text: str  # the prompt as text (special markers shown as text), for previews and logs
    sampler: Sampler
    max_tokens: int
    stops: tuple[str, ...] = ()
    leading: Leading = Leading.KEEP
    trim_trailing: bool = False
    prefix: str = ""  # emitted before the output (rewrite: the selection's leading whitespace)
    suffix: str = ""  # emitted after it (rewrite: the selection's trailing whitespace)
    max_lines: int | None = None  # poetry: stop after this many lines (StopReason.FORM)
    list_only: bool = False  # ask on a base model: the first line that is not a list item ends the answer
    line_plan: LinePlan | None = None  # poetry: hold lengths, rhyme, no copies (engine/form_steer.py)
    trimmed_chars: int = 0
    trimmed_preview: str = ""
    source_tokens: list[int] = field(default_factory=list)  # rewrite: the selection, to discourage copying it
    # What the output may never show (engine/guard.py): letters of other scripts than these (None: no limit), the
    # frame's break line at the start, and long runs of the exemplars.
    scripts: frozenset[str] | None = None
    han_variant: str | None = None  # the draft's Chinese: "simplified" | "traditional" | None
    no_break_line: bool = False
    exemplars: tuple[str, ...] = ()
    # The opener of a reasoning block the prompt leaves open (a template that makes the model think first): the
    # output starts inside it (engine/reasoning.py). "" when none.
    open_reasoning: str = ""
    keep_prefix: bool = False  # the prefix is shown even when the model adds nothing (a forced prefix)
    lore_in: tuple[LoreHit, ...] = ()  # the lorebook entries in the prompt
    lore_left_out: tuple[LoreHit, ...] = ()  # triggered entries the context had no room for


@dataclass(frozen=True)
class ModelTraits:
    n_ctx: int
    bos: tuple[int, ...]  # prepended to completion prompts ((), when the model adds none)
    chat: Callable[[list[dict[str, str]]], str] | None = None  # renders chat messages; None for base models
    fim: tuple[int, int, int] | None = None  # (prefix, suffix, middle) token ids when the model has FIM


# ------------------------------------------------------------------------------------------- helpers


def draft_language(*texts: str) -> str:
    """"zh" when the text is mostly CJK (so headers and examples match it), else "en"."""
    sample = "".join(t[-3000:] for t in texts if t)
    letters = [c for c in sample if c.isalpha()]
    if not letters:
        return "en"
    cjk = sum(1 for c in letters if is_cjk(c))
    return "zh" if cjk / len(letters) > 0.3 else "en"


def form_name(request: GenerationRequest, lang: str) -> str:
    if request.form is Form.POETRY and request.hold_form:
        target = line_target(request.hold_form)
        if target is not None:
            return target.title if lang == "zh" or target.language == "zh" else target.title.lower()
    return _FORM_NAMES[lang][request.form]


def resolve_sampler(request: GenerationRequest) -> Sampler:
    """Preset sampler (or the action's default) merged with the style's overrides; an explicit request sampler
    replaces both; ``request.max_tokens`` wins over everything."""
    if request.sampler is not None:
        sampler = request.sampler
    else:
        sampler = request.preset.sampler if request.preset is not None else DEFAULT_SAMPLERS[request.action]
        if request.style is not None and request.style.sampler_overrides:
            sampler = sampler.merged(request.style.sampler_overrides)
    if request.max_tokens:
        sampler = sampler.merged({"max_tokens": request.max_tokens})
    return sampler


def lore_block(hit: LoreHit, lang: str) -> str:
    """One lorebook entry as it stands in the prompt."""
    colon = "：" if lang == "zh" else ": "
    return f"{_LABELS[lang]['lore']}{colon}{hit.text.strip()}\n\n"


def _blocks(request: GenerationRequest, lang: str, lore: Sequence[LoreHit] | None = None, *,
            header_lore: bool = True) -> dict[str, str]:
    """The header's parts; ``lore`` is the entries that fit (default: all of the request's); ``header_lore``:
    whether ``{header}`` holds them (a Continue puts them in the note instead, unless its template has ``{lore}``)."""
    lab = _LABELS[lang]
    colon = "：" if lang == "zh" else ": "
    style = request.style
    guidance = f"{lab['guidance']}{colon}{style.guidance.strip()}\n\n" if style and style.guidance.strip() else ""
    # Exemplars read as earlier pieces of an anthology, each after the same break that then opens the draft: a
    # base model writes the next piece in their shape (a new haiku after two haiku) instead of commenting on
    # "examples". Measured with bench/forms_bench.py against labelled examples (docs/benchmarks.md).
    brk = lab["break"]
    exemplars = "".join(f"{brk}\n\n{ex.strip()}\n\n" for ex in (style.exemplars if style else ()) if ex.strip())
    notes = f"{lab['notes']}{colon}{request.notes.strip()}\n\n" if request.notes.strip() else ""
    lore_text = "".join(lore_block(h, lang) for h in (request.lore if lore is None else lore) if h.text.strip())
    header = guidance + (lore_text if header_lore else "") + notes + exemplars
    if header:
        header += f"{brk}\n\n"
    return {"header": header, "guidance": guidance, "lore": lore_text, "exemplars": exemplars, "notes": notes}


def render(template: str, values: dict[str, str]) -> str:
    """Fill the known placeholders; other braces (and placeholders without a value) are left as they are."""
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), template)


def _split_at(template: str, name: str) -> tuple[str, str]:
    marker = "{" + name + "}"
    i = template.find(marker)
    if i < 0:
        return template, ""
    return template[:i], template[i + len(marker):]


# ------------------------------------------------------------------------------------------- builders


def build_prompt(request: GenerationRequest, traits: ModelTraits, tokenize: Tokenize) -> PromptPlan:
    """The prompt for ``request`` on a model with ``traits``. Raises ContextOverflowError when even the
    essentials (notes, guidance, the selection) cannot fit."""
    if request.action is Action.REWRITE:
        from studio.engine.rewrite_prompt import build_rewrite  # it builds on this module's helpers

        return build_rewrite(request, traits, tokenize)
    if request.action is Action.ASK:
        from studio.engine.ask_prompt import build_ask  # it builds on this module's helpers

        return build_ask(request, traits, tokenize)
    return _build_continue(request, traits, tokenize)


def _build_continue(request: GenerationRequest, traits: ModelTraits, tokenize: Tokenize) -> PromptPlan:
    lang = draft_language(request.before, request.notes)
    sampler = resolve_sampler(request)
    template = (request.preset.template_base if request.preset is not None and request.preset.template_base.strip()
                else DEFAULT_CONTINUE_BASE)
    extra = {"form": form_name(request, lang), "instruction": request.instruction}
    # A template with {lore} of its own places the entries itself; otherwise they are the note in the draft text.
    in_note = "{lore}" not in template
    values = _blocks(request, lang, (), header_lore=False) | extra
    head_t, tail_t = _split_at(template, "before")
    head = render(head_t, values)
    tail = render(tail_t, values | {"after": ""})

    # The writer's trailing spaces are theirs: the model gets the text without them (a lone space token makes
    # base models stumble) and the output's leading spaces are dropped so the editor gets no double space.
    # A forced prefix (the token view's "write on from here") is read as the draft's own last words.
    before = request.before + request.forced_prefix
    stripped = before.rstrip(" \t")
    trailing_spaces = len(stripped) < len(before) and bool(stripped) and not stripped.endswith("\n")
    leading = Leading.SPACES if trailing_spaces else Leading.KEEP
    before = stripped if leading is Leading.SPACES else before
    lead = _verse_lead(before) if request.meter is not None else ""
    before += lead  # a matched verse is a stanza of its own: the model reads the blank line before it

    head_tokens = list(traits.bos) + (tokenize(head, False) if head else [])
    tail_tokens = tokenize(tail, False) if tail else []
    fim = traits.fim
    after_tokens: list[int] = []
    if fim is not None and request.after.strip():
        after_tokens = tokenize(request.after, False)[: int(traits.n_ctx * AFTER_SHARE)]
    fixed = len(head_tokens) + len(tail_tokens) + len(after_tokens) + (3 if fim else 0)

    max_tokens = max(1, sampler.max_tokens)
    room = traits.n_ctx - SAFETY_TOKENS - fixed
    if room < MIN_DRAFT_TOKENS + MIN_GENERATION_TOKENS:
        raise ContextOverflowError(
            msg(QT_TRANSLATE_NOOP("messages", "The notes and style guidance take {fixed:,} tokens, too many for the "
                                  "model's context of {n_ctx:,} tokens."), fixed=fixed, n_ctx=traits.n_ctx),
            fits_chars=0, fits_tokens=max(0, room),
            hint=msg(QT_TRANSLATE_NOOP("messages", "Shorten the draft's notes or pick a shorter style.")))
    if room - max_tokens < MIN_DRAFT_TOKENS:
        max_tokens = room - MIN_DRAFT_TOKENS
    lore_in, lore_out = _fit_lore(request, lang, tokenize, room - max_tokens - MIN_DRAFT_TOKENS, in_note)
    block = lore_note.note(lore_in, lang) if in_note else ""
    brk = f"{_LABELS[lang]['break']}\n\n"
    note_tokens = len(tokenize(f"\n\n{block}{brk}", False)) + NOTE_SEAM_TOKENS if block else 0
    if lore_in and not in_note:
        values = _blocks(request, lang, lore_in, header_lore=False) | extra
        head = render(head_t, values)
        head_tokens = list(traits.bos) + tokenize(head, False)
        fixed = len(head_tokens) + len(tail_tokens) + len(after_tokens) + (3 if fim else 0)
    budget = traits.n_ctx - SAFETY_TOKENS - fixed - note_tokens - max_tokens

    kept, dropped = trim_oldest(before, lambda t: len(tokenize(t, False)), budget)
    at = lore_note.anchor(kept, request.lore_depth) if block else -1
    if at == 0:
        # A short draft: the note closes the header, before the break that opens the draft. Right before the
        # cursor (an empty draft) a bare note was continued with more notes 5 times in 8 on the default model;
        # after the break, with the story.
        head = head[: -len(brk)] + block + brk if head.endswith(brk) else head + block + brk
        head_tokens = list(traits.bos) + tokenize(head, False)
        block = ""
    body, body_tokens = _draft_with_note(kept, block, at, tokenize)
    if fim is not None and after_tokens:
        pre, suf, mid = fim
        tokens = [*traits.bos, pre, *head_tokens[len(traits.bos):], *body_tokens, suf, *after_tokens, mid]
        mode = "fim"
        text = f"<FIM_PREFIX>{head}{body}<FIM_SUFFIX>{request.after[:2000]}<FIM_MIDDLE>"
    else:
        tokens = head_tokens + body_tokens + tail_tokens
        mode = "completion"
        text = head + body + tail

    max_lines = line_plan = None
    if request.meter is not None:
        m = request.meter
        max_lines = len(m.counts)
        # The verse matched is never copied (its runs are banned like an exemplar's); the rest of the song is the
        # writer's, so a refrain from it may come back.
        writer = request.before.replace(m.original, "") + request.after[:2000] if m.original else request.before
        line_plan = meter_line_plan(m.unit, m.counts, m.scheme, exemplars=(*_exemplars(request), m.original),
                                    writer=writer)
    elif request.hold_form:
        max_lines = lines_left(request.hold_form, request.before)
        line_plan = line_plan_for(request.hold_form, request.before, exemplars=_exemplars(request),
                                  after=request.after)
    # The model starting the next "piece" of the anthology (see _blocks) has finished this one.
    stops = tuple(sampler.stop) + ((f"\n{_LABELS[lang]['break']}",) if values["exemplars"] else ())
    stops += (lore_note.opener(lang),) if in_note and lore_in else ()  # another note: lore written as story
    return PromptPlan(action=Action.CONTINUE, mode=mode, tokens=tokens, text=text, sampler=sampler,
                      max_tokens=max_tokens, stops=stops, leading=leading, max_lines=max_lines, line_plan=line_plan,
                      prefix=lead + request.forced_prefix, keep_prefix=bool(request.forced_prefix),
                      trimmed_chars=dropped,
                      trimmed_preview=preview_of(before[:dropped]) if dropped else "",
                      scripts=_output_scripts(request), han_variant=_han_variant(request),
                      no_break_line=bool(values["header"]) or at == 0,
                      exemplars=_exemplars(request), lore_in=lore_in, lore_left_out=lore_out)


def _fit_lore(request: GenerationRequest, lang: str, tokenize: Tokenize, budget: int,
              in_note: bool = False) -> tuple[tuple[LoreHit, ...], tuple[LoreHit, ...]]:
    """The triggered entries that fit in ``budget`` tokens (what the context holds beyond the frame, the output and
    the least draft worth continuing), and those left out: the last entries give way first, after the draft's
    oldest text (the caller trims that to what remains). ``in_note``: measured as lines of the note."""
    hits = tuple(h for h in request.lore if h.text.strip())
    if not hits:
        return (), ()
    if in_note:
        budget -= len(tokenize("\n\n\n", False)) + NOTE_SEAM_TOKENS  # the note's own paragraph breaks
    shape = lore_note.line if in_note else lore_block
    sizes = [len(tokenize(shape(h, lang), False)) for h in hits]
    n = len(hits)
    while n and sum(sizes[:n]) > budget:
        n -= 1
    return hits[:n], hits[n:]


def _draft_with_note(kept: str, block: str, at: int, tokenize: Tokenize) -> tuple[str, list[int]]:
    """The draft text the model reads, with the lore note at ``at`` (engine/lore_note.anchor), and its tokens.

    With a note, the text before the anchor, the note and the rest are tokenized apart, so the part before the
    anchor has the same tokens from one Continue to the next (a paragraph boundary is a natural seam for the
    tokenizer, so it also matches the draft tokenized whole, as it is without a note)."""
    if not block:
        return kept, tokenize(kept, False) if kept else []
    head, note_text, tail = lore_note.placed(kept, at, block)
    tokens = [t for part in (head, note_text, tail) if part for t in tokenize(part, False)]
    return head + note_text + tail, tokens


def _verse_lead(before: str) -> str:
    """What separates a new verse from the text before it: a blank line, or nothing at the start of a draft."""
    if not before.strip():
        return ""
    tail = before[len(before.rstrip(" \t\n")):]
    return "" if tail.count("\n") >= 2 else "\n" * (2 - tail.count("\n"))


def _output_scripts(request: GenerationRequest, *extra: str) -> frozenset[str] | None:
    """The scripts the output may use: the draft's own (the text around the cursor or selection), else the
    style's (a new poem), plus ``extra`` (a free-text rewrite instruction may name another language)."""
    draft = allowed_scripts(request.before[-3000:], request.selection[:3000], request.after[:1000])
    if draft is None:
        style = request.style
        draft = allowed_scripts(*(style.exemplars if style else ()), style.guidance if style else "")
    if draft is None:
        return None
    more = allowed_scripts(*extra) if extra else None
    return frozenset(draft | (more or set()))


def _han_variant(request: GenerationRequest) -> str | None:
    """Simplified or traditional, from the draft's own characters, else from the style's (a new poem)."""
    from studio.engine.guard import chinese_variant

    variant = chinese_variant(request.before[-3000:], request.selection[:3000], request.after[:1000])
    if variant is None and request.style is not None:
        variant = chinese_variant(*request.style.exemplars, request.style.guidance)
    return variant


def _exemplars(request: GenerationRequest) -> tuple[str, ...]:
    style = request.style
    return tuple(ex for ex in (style.exemplars if style else ()) if ex.strip())


def plan_preview(plan: PromptPlan, n_ctx: int) -> PromptPreview:
    return PromptPreview(prompt_text=plan.text, prompt_tokens=len(plan.tokens), trimmed_chars=plan.trimmed_chars,
                         trimmed_preview=plan.trimmed_preview, fits=True, n_ctx=n_ctx, max_tokens=plan.max_tokens,
                         mode=plan.mode, lore=plan.lore_in, lore_left_out=plan.lore_left_out)
