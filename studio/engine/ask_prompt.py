"""The prompt for a question about the draft (Action.ASK, the assistant's Ask tab): the passage around the cursor,
the draft's notes and triggered lore, and the writer's question; the answer goes beside the draft, never into it.

Two frames, chosen as Rewrite chooses (``traits.chat`` is set when the model has a chat template and the engine
uses it): a chat model gets the question as a user message; a base model gets a completion frame it can only go on
as a numbered list ("Answer:\\n1."), the shape every quick ask wants (titles, names, what could happen next, where a
scene drags) and the one a small base model keeps best: an open "Answer:" makes it write more story instead.

The frame speaks the question's language (an English question about a Chinese poem gets English labels, so the
answer comes in English); with a question of no letters, the draft's.
"""

from __future__ import annotations

from studio.domain import Action, ContextOverflowError, GenerationRequest, LoreHit
from studio.domain.i18n import QT_TRANSLATE_NOOP, msg
from studio.engine import reasoning
from studio.engine.budget import head_within, tail_within
from studio.engine.prompts import (
    REASONING_ROOM,
    SAFETY_TOKENS,
    ModelTraits,
    PromptPlan,
    Tokenize,
    _blocks,
    _han_variant,
    _output_scripts,
    draft_language,
    form_name,
    resolve_sampler,
)
from studio.engine.textstream import Leading

ASK_CONTEXT_TOKENS = 1200  # the passage around the cursor: enough for a scene, little reading time
AFTER_SHARE = 0.2  # of that, the text after the cursor
BASE_MAX_TOKENS = 160  # a list of five to ten short items
CHAT_MAX_TOKENS = 320
MAX_LINES = 12  # a base model that keeps listing is stopped here (StopReason.FORM)

_BASE = {
    "en": {"intro": "Questions a writer asked about the passage above, with answers.\n\n",
           "intro_alone": "Questions a writer asked, with answers.\n\n",
           "question": "Question: ", "answer": "Answer:\n"},
    "zh": {"intro": "写作者就上文提出的问题和回答。\n\n", "intro_alone": "写作者提出的问题和回答。\n\n",
           "question": "问题：", "answer": "回答：\n"},
}
_CHAT = {
    "en": ("Here is a passage from my {form}:\n\n{passage}\n\n", "{question}\n\nAnswer in a few short lines; give a "
           "list as numbered lines. Do not rewrite my text."),
    "zh": ("这是我写的{form}中的一段：\n\n{passage}\n\n",
           "{question}\n\n请简短回答；列举时每行一项并编号。不要改写我的文字。"),
}
_FIRST_ITEM = "1."


def build_ask(request: GenerationRequest, traits: ModelTraits, tokenize: Tokenize) -> PromptPlan:
    question = request.instruction.strip()
    if not question:
        raise ContextOverflowError(msg(QT_TRANSLATE_NOOP("messages", "Ask a question first.")), fits_chars=0,
                                   fits_tokens=0, hint=msg(QT_TRANSLATE_NOOP("messages", "Type what you want to "
                                                                                         "know about the draft.")))
    lang = draft_language(question) if any(c.isalpha() for c in question) else draft_language(
        request.before, request.after)
    sampler = resolve_sampler(request)
    use_chat = traits.chat is not None
    max_tokens = request.max_tokens or (CHAT_MAX_TOKENS if use_chat else BASE_MAX_TOKENS)
    lore: tuple[LoreHit, ...] = tuple(h for h in request.lore if h.text.strip())
    budget = min(ASK_CONTEXT_TOKENS, max(0, traits.n_ctx // 3))
    tails: dict[str, str] = {}

    def assemble(budget: int, lore: tuple[LoreHit, ...]) -> tuple[list[int], str]:
        blocks = _blocks(request, lang, lore)
        memory = blocks["lore"] + blocks["notes"]  # no style guidance or exemplars: this is no piece to write
        before = tail_within(request.before, tokenize, int(budget * (1 - AFTER_SHARE)))
        after = head_within(request.after, tokenize, int(budget * AFTER_SHARE))
        passage = (before + after).strip()
        if use_chat:
            assert traits.chat is not None
            head, tail = _CHAT[lang]
            text = memory + (head.format(form=form_name(request, lang), passage=passage) if passage else "")
            text += tail.format(question=question)
            rendered = traits.chat([{"role": "user", "content": text}])
            tails[rendered] = reasoning.generation_tail(rendered, text)
            return tokenize(rendered, True), rendered
        lab = _BASE[lang]
        text = memory + (f"{passage}\n\n* * *\n\n{lab['intro']}" if passage else lab["intro_alone"])
        text += f"{lab['question']}{question}\n{lab['answer']}{_FIRST_ITEM}"
        return list(traits.bos) + tokenize(text, False), text

    # Less of the passage, then the last lore entries, before refusing: the question itself must fit.
    tries = [(budget >> k, lore) for k in range(4)] + [(budget >> 3, lore[:n]) for n in range(len(lore) - 1, -1, -1)]
    tries.append((0, ()))
    for size, entries in tries:
        tokens, text = assemble(size, entries)
        if len(tokens) + max_tokens + SAFETY_TOKENS <= traits.n_ctx:
            lore_in, lore_out = entries, lore[len(entries):]
            break
    else:
        raise ContextOverflowError(
            msg(QT_TRANSLATE_NOOP("messages", "The question is too long for the model's context of {n_ctx:,} "
                                              "tokens."), n_ctx=traits.n_ctx),
            fits_chars=0, fits_tokens=0, hint=msg(QT_TRANSLATE_NOOP("messages", "Ask it in fewer words.")))

    opened = reasoning.open_block(tails.get(text, "")) if use_chat else None
    if opened is not None:
        max_tokens += REASONING_ROOM  # a model that must think first would otherwise never reach the answer
    if use_chat:
        stops: tuple[str, ...] = tuple(sampler.stop)
        prefix, max_lines = "", None
    else:
        # A base model that has finished its list starts the next question, a break, a long gap (not one blank
        # line: small models often put one between the items) or a line that is no item (list_only).
        lab = _BASE[lang]
        stops = (*sampler.stop, f"\n{lab['question'].rstrip()}", "\n* * *", "\n\n\n")
        prefix, max_lines = _FIRST_ITEM, MAX_LINES
    return PromptPlan(action=Action.ASK, mode="chat" if use_chat else "completion", tokens=tokens, text=text,
                      sampler=sampler, max_tokens=max_tokens, stops=stops, leading=Leading.KEEP, trim_trailing=True,
                      prefix=prefix, max_lines=max_lines, list_only=not use_chat,
                      scripts=_output_scripts(request, question), han_variant=_han_variant(request),
                      no_break_line=not use_chat,
                      open_reasoning=opened.open if opened else "", lore_in=lore_in, lore_left_out=lore_out)
