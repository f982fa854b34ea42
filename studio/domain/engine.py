"""What an engine can do, as data: probed once when a model loads, shown to the writer, never guessed at call time.

Pure values (no I/O, no third-party imports), so every layer can read them: the services pick a prompt mode from
them, the window shows them, and the engine contract tests (tests/engine/contract.py) check that each engine
behaves as its capabilities say.
"""

from __future__ import annotations

from dataclasses import dataclass

from studio.domain.lore import LoreHit


@dataclass(frozen=True)
class EngineCapabilities:
    """What a loaded engine offers through the Engine protocol (studio/engine/base.py).

    A field is True only when the engine itself does it for Studio's requests, not when the library underneath
    could in principle: a capability the writer is shown must be one a request can use. Before a model is loaded
    everything is off and ``n_ctx`` is 0.
    """

    chat_template: bool = False  # rewrites are rendered through the model's own chat template
    logprobs: bool = False  # per-token probabilities / alternatives come back with the text
    fim: bool = False  # fill-in-the-middle prompts (prefix/suffix/middle tokens) for text with an "after"
    state_save_restore: bool = False  # a draft's prompt state is kept and restored (per-draft KV states / slots)
    grammar: bool = False  # sampling can be constrained by a grammar (GBNF or JSON schema)
    native_alternatives: bool = False  # n alternatives sampled together in one call (else one after another)
    n_ctx: int = 0  # the context window in tokens: a prompt must be shorter than this

    def describe(self) -> str:
        """One line for a status bar or ``studio models``: the context size and what is on."""
        names = [label for label, on in (
            ("chat template", self.chat_template), ("logprobs", self.logprobs), ("fill-in-the-middle", self.fim),
            ("saved draft states", self.state_save_restore), ("grammar", self.grammar),
            ("parallel alternatives", self.native_alternatives),
        ) if on]
        context = f"context {self.n_ctx:,} tokens" if self.n_ctx else "no model loaded"
        return "; ".join([context, *names])


@dataclass(frozen=True)
class PromptPreview:
    """What the model would be given for a request, without generating (the UI's context view)."""

    prompt_text: str
    prompt_tokens: int
    trimmed_chars: int
    trimmed_preview: str
    fits: bool
    n_ctx: int = 0
    max_tokens: int = 0
    mode: str = "completion"  # completion | chat | fim
    message: str = ""  # why it does not fit, when it does not
    lore: tuple[LoreHit, ...] = ()  # lorebook entries in the prompt, each with the key that brought it in
    lore_left_out: tuple[LoreHit, ...] = ()  # triggered entries the context had no room for (said, never silent)
