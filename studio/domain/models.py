"""Frozen dataclasses shared by every layer. No I/O, no third-party imports."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from studio.domain.i18n import QT_TRANSLATE_NOOP, msg
from studio.domain.lore import DEFAULT_SCAN_CHARS, LoreHit


class Form(StrEnum):
    PROSE = "prose"
    SCREENPLAY = "screenplay"
    LYRICS = "lyrics"
    POETRY = "poetry"

    @classmethod
    def parse(cls, value: str) -> Form:
        from studio.domain.errors import UsageError

        try:
            return cls(value.strip().lower())
        except ValueError:
            known = ", ".join(f.value for f in cls)
            raise UsageError(msg(QT_TRANSLATE_NOOP("messages", "Unknown form {form}; choose one of: {known}."),
                                 form=repr(value), known=known)) from None


class Action(StrEnum):
    CONTINUE = "continue"
    REWRITE = "rewrite"
    ASK = "ask"  # a question about the draft, answered beside it (the assistant's Ask tab), never into it


class RevisionReason(StrEnum):
    MANUAL = "manual"
    AUTOSAVE = "autosave"
    BEFORE_REWRITE = "before-rewrite"
    BEFORE_CONTINUE = "before-continue"
    IMPORT = "import"
    BEFORE_RESTORE = "before-restore"


class StopReason(StrEnum):
    LENGTH = "length"  # max_tokens reached
    STOP = "stop"  # end of text or a stop sequence
    CANCELLED = "cancelled"  # the writer pressed Stop; the text is partial
    FORM = "form"  # the form's line count was reached (poetry)


@dataclass(frozen=True)
class Sampler:
    temperature: float = 0.8
    top_p: float = 0.95
    top_k: int = 40
    min_p: float = 0.05
    repeat_penalty: float = 1.1
    max_tokens: int = 200
    stop: tuple[str, ...] = ()

    def merged(self, overrides: Mapping[str, Any] | None) -> Sampler:
        """A copy with the known keys of ``overrides`` applied (unknown keys are ignored)."""
        if not overrides:
            return self
        names = {f.name for f in dataclasses.fields(self)}
        clean: dict[str, Any] = {k: v for k, v in overrides.items() if k in names and v is not None}
        if "stop" in clean:
            clean["stop"] = tuple(clean["stop"])
        return dataclasses.replace(self, **clean)

    def to_dict(self) -> dict[str, Any]:
        d = dataclasses.asdict(self)
        d["stop"] = list(self.stop)
        return d


class _Trashable:
    """A draft or its summary: in the trash from ``deleted_at`` on."""

    deleted_at: datetime | None

    @property
    def deleted(self) -> bool:
        return self.deleted_at is not None


@dataclass(frozen=True)
class Draft(_Trashable):
    id: int
    title: str
    form: Form
    body: str = ""
    notes: str = ""
    style_id: int | None = None
    preset_id: int | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    deleted_at: datetime | None = None
    version: int = 1  # bumped on every write; guards against a second window overwriting newer text


@dataclass(frozen=True)
class DraftSummary(_Trashable):
    """A draft without its body, for lists (a 200,000-word body is not loaded to show a sidebar)."""

    id: int
    title: str
    form: Form
    word_count: int
    updated_at: datetime | None = None
    deleted_at: datetime | None = None


@dataclass(frozen=True)
class Revision:
    id: int
    draft_id: int
    body: str
    reason: RevisionReason
    created_at: datetime | None = None


@dataclass(frozen=True)
class Preset:
    id: int | None
    name: str
    action: Action
    template_base: str
    template_chat: str = ""
    sampler: Sampler = field(default_factory=Sampler)
    description: str = ""
    builtin: bool = False
    builtin_key: str | None = None  # stable key of the resource it came from
    modified: bool = False  # a built-in the writer edited: upgrades leave it alone


@dataclass(frozen=True)
class StyleVariant:
    id: int | None
    name: str
    form: Form
    guidance: str
    exemplars: tuple[str, ...] = ()
    sampler_overrides: Mapping[str, Any] = field(default_factory=dict)
    description: str = ""
    builtin: bool = False
    builtin_key: str | None = None
    modified: bool = False


@dataclass(frozen=True)
class GenerationRecord:
    """One generation as stored: what was asked, what came out, how fast, whether it was taken."""

    id: int | None
    draft_id: int | None
    action: Action
    output: str
    model_file: str = ""
    preset_id: int | None = None
    style_id: int | None = None
    instruction: str = ""
    group_id: str = ""  # alternatives of one request share a group
    alternative_index: int = 0
    seed: int | None = None
    prompt_tokens: int = 0
    cached_tokens: int = 0
    generated_tokens: int = 0
    ttft_s: float = 0.0
    tokens_per_s: float = 0.0
    stop_reason: str = ""
    accepted: bool = False
    created_at: datetime | None = None


@dataclass(frozen=True)
class ModelInfo:
    """What a GGUF header says about a model, read without loading it."""

    path: Path
    name: str
    architecture: str
    size_bytes: int
    parameters: int | None = None
    quantization: str = ""
    context_length: int | None = None
    has_chat_template: bool = False
    has_fim: bool = False
    vocab_size: int | None = None
    source: str = ""  # chosen | data | repo | embedded
    is_default: bool = False
    error: str = ""  # set by discovery for a file that cannot be used (why, in words); such an entry never loads


@dataclass(frozen=True)
class LoadSettings:
    n_ctx: int | None = None  # None: the smaller of the model's trained context and 8192
    n_threads: int | None = None  # None: measured default (see engine)
    n_gpu_layers: int = 0


@dataclass(frozen=True)
class VerseMeter:
    """A verse's shape, for writing a new verse to it ("Write a verse to this meter"): per line its count and
    rhyme letter. Lines that share a letter rhyme; "x" is a line free of rhyme."""

    unit: str  # "characters" (Han characters, a Chinese verse) or "syllables"
    counts: tuple[int, ...]
    scheme: str  # one letter per line: "xAxA"
    original: str = ""  # the verse it was read from: the new one must not copy it


@dataclass(frozen=True)
class GenerationRequest:
    """Everything the engine needs for one Continue or Rewrite. Text only, no storage ids required."""

    action: Action
    before: str  # text before the cursor (continue) or before the selection (rewrite)
    after: str = ""  # text after the cursor / selection
    selection: str = ""  # rewrite only
    instruction: str = ""  # rewrite: "more vivid", free text...; ask: the writer's question
    notes: str = ""  # the draft's memory
    form: Form = Form.PROSE
    style: StyleVariant | None = None
    preset: Preset | None = None
    sampler: Sampler | None = None  # explicit sampler; else preset's merged with style overrides
    seed: int | None = None
    n_alternatives: int = 1
    max_tokens: int | None = None
    draft_key: str | None = None  # identifies the draft for the per-draft state cache
    hold_form: str | None = None  # a poetry form to hold generation to (e.g. "haiku")
    meter: VerseMeter | None = None  # a new verse held to another's counts and rhymes (a stanza after ``before``)
    # Lorebook entries triggered for this request (services/lore.py), in prompt order, and the scan depth that
    # triggered them (the draft's N characters before the cursor): a Continue puts them in a note in the draft
    # text just before those N characters (engine/lore_note.py); the last ones give way when the context is tight.
    lore: tuple[LoreHit, ...] = ()
    lore_depth: int = DEFAULT_SCAN_CHARS
    # Per generated token, the top-k alternatives with their probabilities (0: off; at most MAX_LOGPROBS). Off
    # by default: the engines compute nothing for it then.
    logprobs: int = 0
    # Continue only: text the output must begin with (the window's "regenerate from this token" choice). The
    # model reads it after the draft text and writes on from it; the output (the proposal) includes it.
    forced_prefix: str = ""


# The most alternatives per token a request may ask for (the "k up to 10"; OpenAI's top_logprobs allows 20).
MAX_LOGPROBS = 10


@dataclass(frozen=True)
class TokenAlternatives:
    """One generated token and what the model almost wrote in its place: ``prob`` is the probability the model
    gave the token that was written, ``top`` the k likeliest tokens (``text``, probability), likeliest first.

    Probabilities are the model's own distribution at temperature 1 over the logits Studio samples from (after
    its own steering and bans, before the sampler's temperature, top-k/top-p and repeat penalty), so they do not
    change with the preset; remote engines report what their server computes. ``text`` is the token's own text:
    a token that holds part of a UTF-8 character shows U+FFFD for the missing part.

    ``start``/``end``: where the token's text lies in its alternative's shown text (the concatenation of the
    deltas, ``Finished.text``), in characters, so a window can find the token under the mouse; None for a token
    whose text was never shown (reasoning, a stop sequence, leading spaces the editor already has). A token that
    only begins a character has none; the one that completes it spans the whole character."""

    text: str
    prob: float
    top: tuple[tuple[str, float], ...] = ()
    start: int | None = None
    end: int | None = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"text": self.text, "prob": round(self.prob, 6),
                             "top": [{"text": t, "prob": round(p, 6)} for t, p in self.top]}
        if self.start is not None:
            d["start"], d["end"] = self.start, self.end
        return d


@dataclass(frozen=True)
class GenerationStats:
    prompt_tokens: int = 0
    cached_tokens: int = 0
    generated_tokens: int = 0
    ttft_s: float = 0.0
    total_s: float = 0.0
    tokens_per_s: float = 0.0
    stop_reason: StopReason = StopReason.STOP
    trimmed_chars: int = 0  # draft text dropped from the start to fit the context
    trimmed_preview: str = ""
    seed: int | None = None
    model: str = ""

    @property
    def partial(self) -> bool:
        return self.stop_reason == StopReason.CANCELLED

    def to_dict(self) -> dict[str, Any]:
        d = dataclasses.asdict(self)
        d["stop_reason"] = self.stop_reason.value
        d["partial"] = self.partial
        return d


@dataclass(frozen=True)
class TextDelta:
    """Whole characters of alternative ``index``; never a split UTF-8 sequence."""

    text: str
    index: int = 0
    # With ``GenerationRequest.logprobs``: the tokens sampled since the previous delta (some of them may only
    # finish a character shown here, or be held back text such as a stop sequence's start).
    tokens: tuple[TokenAlternatives, ...] = ()


@dataclass(frozen=True)
class Thinking:
    """Reasoning of alternative ``index`` (a model that thinks before it answers): never part of the text, never
    in ``Finished.text``; the window says "thinking…" while these come."""

    text: str
    index: int = 0


@dataclass(frozen=True)
class PromptProgress:
    """The prompt is being read (can take seconds on a long draft)."""

    done_tokens: int
    total_tokens: int
    index: int = 0


@dataclass(frozen=True)
class Finished:
    text: str
    stats: GenerationStats
    index: int = 0
    # With ``GenerationRequest.logprobs``: every generated token of this alternative, in order (the deltas carry
    # them as they come; tokens after the last shown text, e.g. a stop sequence's, are only here); empty when the
    # request did not ask or the engine cannot say (capabilities.logprobs).
    tokens: tuple[TokenAlternatives, ...] = ()


GenerationEvent = TextDelta | Thinking | PromptProgress | Finished
