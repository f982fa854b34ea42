"""What a loaded llama.cpp model brings to prompt assembly: its BOS token, fill-in-the-middle tokens and chat
template. Read once, right after the model loads; the engine's capabilities say which of them it has."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from studio.engine import llama_compat

if TYPE_CHECKING:
    from studio.engine.chat_template import GuardedChatTemplate

log = logging.getLogger(__name__)


def bos_tokens(llama: Any, llama_c: Any) -> tuple[int, ...]:
    """The BOS token to put before completion prompts (token lists get none added), or () when the model adds
    none."""
    bos = llama.token_bos()
    return (bos,) if bos >= 0 and llama_c.llama_vocab_get_add_bos(llama_compat.vocab(llama)) else ()


def fim_tokens(llama: Any, llama_c: Any) -> tuple[int, int, int] | None:
    """(prefix, suffix, middle) token ids when the model has all three, else None."""
    vocab = llama_compat.vocab(llama)
    ids = (llama_c.llama_vocab_fim_pre(vocab), llama_c.llama_vocab_fim_suf(vocab),
           llama_c.llama_vocab_fim_mid(vocab))
    return ids if all(i >= 0 for i in ids) else None


def chat_template(llama: Any, name: str) -> GuardedChatTemplate | None:
    """The model's own chat template, compiled in Studio's guarded sandbox, or None when it has none or it cannot
    be used (then rewrites use the base-model prompt; the reason goes to the log)."""
    from studio.engine.chat_template import ChatTemplateError, GuardedChatTemplate

    template = llama.metadata.get("tokenizer.chat_template", "")
    if not template:
        return None
    eos, bos = llama.token_eos(), llama.token_bos()
    try:
        chat = GuardedChatTemplate(
            template,
            eos_token=llama_compat.token_text(llama, eos) if eos >= 0 else "",
            bos_token=llama_compat.token_text(llama, bos) if bos >= 0 else "",
        )
        chat.check()
    except ChatTemplateError as exc:
        log.warning("Not using the chat template of %s: %s. Rewrites use the base-model prompt.", name, exc)
        return None
    return chat


def reasoning_tokens(llama: Any) -> tuple[int, ...]:
    """The token ids of the reasoning markers in this vocabulary (Qwen3's ``</think>`` is one user-defined token,
    gpt-oss's channel markers control ones): the output guard lets them through (engine/reasoning.py)."""
    from studio.engine.reasoning import ANSWER_HEADERS, REASONING_MARKERS

    ids: set[int] = set()
    for marker in (*(m.open for m in REASONING_MARKERS), *(m.close for m in REASONING_MARKERS), *ANSWER_HEADERS):
        ids.update(int(t) for t in llama.tokenize(marker.encode("utf-8"), add_bos=False, special=True))
    return tuple(sorted(ids))
