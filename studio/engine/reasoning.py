"""Reasoning ("thinking") kept out of the text a writer sees, the same way for every engine.

Models that think before they answer (Qwen3, DeepSeek-R1 and its distills, SmolLM3, gpt-oss, Magistral, ...)
write their reasoning between markers, then the answer. Studio switches thinking off where the chat template
allows it (:func:`thinking_off`: Qwen3's ``enable_thinking``, SmolLM3's ``/no_think``), and whatever reasoning
still comes is taken out of the stream by :class:`ReasoningFilter`: a Rewrite proposal or a Continue never holds
it; the engines report it as ``Thinking`` events so the window can say "thinking…" meanwhile.

Some templates open the block in the prompt itself (DeepSeek-R1 distills always render ``<think>\\n`` after the
assistant tag; Qwen3 with thinking on): then the model's first words are reasoning and only its closing marker
says where the answer starts. :func:`open_block` finds such a prompt and the filter starts inside the block.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from studio.domain import StopReason
from studio.engine.textstream import OutputStream
from studio.engine.token_spans import TokenSpans


@dataclass(frozen=True)
class Markers:
    open: str
    close: str
    models: str  # who writes them


# The start and end tags of each family, as llama.cpp's own reasoning parsers know them (common/parsers/*.cpp and
# common/chat-diff-analyzer.cpp of the llama.cpp vendored by llama-cpp-python 0.3.36). One table: adding a family
# here is all every engine needs.
REASONING_MARKERS: tuple[Markers, ...] = (
    Markers("<think>", "</think>", "Qwen3, QwQ, DeepSeek-R1 and its distills, SmolLM3, Kimi K2, LFM2, MiniCPM"),
    Markers("[THINK]", "[/THINK]", "Magistral, Ministral 3"),
    Markers("<|START_THINKING|>", "<|END_THINKING|>", "Cohere Command A Reasoning"),
    Markers("<|channel|>analysis<|message|>", "<|end|>", "gpt-oss (harmony format)"),
    Markers("<|channel>thought", "<channel|>", "Gemma 4"),
    Markers("<mm:think>", "</mm:think>", "MiniMax M3"),
    Markers("<|open|>think<|sep|>", "<|close|>think<|sep|>", "Kimi K3"),
)
# What opens the answer after a block and is no text either: gpt-oss's final channel header.
ANSWER_HEADERS: tuple[str, ...] = ("<|start|>assistant<|channel|>final<|message|>", "<|channel|>final<|message|>")

_BY_OPEN = {m.open: m for m in REASONING_MARKERS}
# Outside a block: an opener starts one; a closer (the prompt opened a block Studio did not see) or a header is
# dropped.
_OUTSIDE = tuple(sorted({*_BY_OPEN, *(m.close for m in REASONING_MARKERS), *ANSWER_HEADERS}, key=len, reverse=True))


def open_block(prompt_tail: str) -> Markers | None:
    """The block a prompt leaves open at its end (its opener after the last closer), else None. ``prompt_tail``:
    what the chat template added after the writer's text (so a selection that quotes a marker cannot count)."""
    best: tuple[int, Markers] | None = None
    for m in REASONING_MARKERS:
        at = prompt_tail.rfind(m.open)
        if at >= 0 and prompt_tail.find(m.close, at + len(m.open)) < 0 and (best is None or at > best[0]):
            best = (at, m)
    return best[1] if best else None


def markers_in(template: str) -> Markers | None:
    """The family whose opener a chat template's source mentions (the model writes these), else None."""
    return next((m for m in REASONING_MARKERS if m.open in template), None)


def markers_opened_by(opener: str) -> Markers | None:
    """The family of an opener kept in a plan (prompts.PromptPlan.open_reasoning), None for ""."""
    return _BY_OPEN.get(opener)


def honours_no_think(template: str) -> bool:
    """Templates whose model reads "/no_think" in the system message as "answer without thinking": SmolLM3's
    template tests for it; Qwen3's (``enable_thinking`` beside ``<think>``) leaves it to the model, trained on it."""
    return "/no_think" in template or ("enable_thinking" in template and "<think>" in template)


def thinking_off(messages: list[dict[str, str]], template: str) -> list[dict[str, str]]:
    """``messages`` with "/no_think" in the system message where the template honours it (a system message is
    added when there is none); unchanged otherwise. The template's ``enable_thinking`` variable is the renderer's
    part (chat_template.GuardedChatTemplate, llama-server's ``chat_template_kwargs``)."""
    if not honours_no_think(template):
        return messages
    out = [dict(m) for m in messages]
    if out and out[0].get("role") == "system":
        if "/no_think" not in out[0].get("content", ""):
            out[0]["content"] = (out[0].get("content", "").rstrip() + "\n\n/no_think").lstrip()
        return out
    return [{"role": "system", "content": "/no_think"}, *out]


def generation_tail(rendered: str, content: str) -> str:
    """What the template wrote after the last message's ``content``: its generation prompt (the assistant tag, and
    an opened think block where it opens one)."""
    core = content.strip()
    at = rendered.rfind(core) if core else -1
    return rendered[at + len(core):] if at >= 0 else rendered[-200:]


class ReasoningFilter:
    """Takes reasoning blocks out of streamed text, also when a marker is split across pieces.

    Text that could begin a marker is held back until it is known not to be one (and given back by ``finish``).
    ``inside``: the prompt opened this block (see :func:`open_block`), so nothing before its closer is text. A
    closer seen outside a block (a template that opened one without Studio seeing it) or an answer header is
    dropped. Whitespace right after a block is dropped while nothing has been shown yet. The reasoning itself is
    kept apart: :meth:`take_thought` hands out what came since its last call.
    """

    def __init__(self, inside: Markers | None = None) -> None:
        self._buf = ""
        self._inside = inside
        self._shown = False
        self._after_block = inside is not None
        self._thought: list[str] = []
        self.reasoned = False  # some reasoning came (the prompt's block, the model's own, or a server's field)
        # Where the text given out came from, for token_spans: characters fed, characters given out, and per
        # stretch of text given out [first character fed, first character given out, length].
        self.fed = 0
        self.out_len = 0
        self.runs: list[list[int]] = []

    @property
    def held(self) -> int:
        """Characters fed and still held back (they may begin a marker)."""
        return len(self._buf)

    @property
    def thinking(self) -> bool:
        """In a reasoning block now."""
        return self._inside is not None

    def feed(self, text: str) -> str:
        """The next piece of the model's text; returns what is now safe to show (maybe "")."""
        self._buf += text
        self.fed += len(text)
        out: list[str] = []
        while self._buf:
            if self._inside is not None:
                close = self._inside.close
                end = self._buf.find(close)
                if end < 0:
                    keep = _held(self._buf, (close,))
                    self._think(self._buf[:len(self._buf) - keep])
                    self._buf = self._buf[len(self._buf) - keep:]
                    break
                self._think(self._buf[:end])
                self._buf = self._buf[end + len(close):]
                self._inside, self._after_block = None, True
                continue
            hit = _first(self._buf)
            if hit is not None:
                at, marker = hit
                out.append(self._visible(self._buf[:at]))
                self._buf = self._buf[at + len(marker):]
                self._inside = _BY_OPEN.get(marker)
                self.reasoned = self.reasoned or self._inside is not None
                self._after_block = True
                continue
            keep = _held(self._buf, _OUTSIDE)
            out.append(self._visible(self._buf[:len(self._buf) - keep]))
            self._buf = self._buf[len(self._buf) - keep:]
            break
        return "".join(out)

    def finish(self) -> str:
        """The stream ended: what was held back and is text (an unclosed block's rest is reasoning)."""
        if self._inside is not None:
            rest, self._buf = self._buf, ""
            self._think(rest)
            return ""
        shown = self._visible(self._buf)
        self._buf = ""
        return shown

    def reasoning_apart(self, thought: str) -> None:
        """The server sent reasoning in a field of its own (``reasoning_content``): it parses the blocks itself,
        so its text is the answer even when the prompt opened a block."""
        if thought:
            self._think(thought)
        self._inside = None

    def take_thought(self) -> str:
        """The reasoning that came since the last call ("" when none)."""
        thought = "".join(self._thought)
        self._thought.clear()
        return thought

    def _think(self, text: str) -> None:
        if text:
            self._thought.append(text)
            self.reasoned = True

    def _visible(self, text: str) -> str:
        """``text``: the start of the buffer, given out."""
        source = self.fed - len(self._buf)
        if self._after_block and not self._shown:
            source += len(text) - len(text.lstrip())
            text = text.lstrip()
        if text:
            self._shown = True
            self._after_block = False
            last = self.runs[-1] if self.runs else None
            if last is not None and last[0] + last[2] == source:
                last[2] += len(text)
            else:
                self.runs.append([source, self.out_len, len(text)])
            self.out_len += len(text)
        return text


def _first(buf: str) -> tuple[int, str] | None:
    """The earliest marker in ``buf`` (the longest one where several start at the same place)."""
    best: tuple[int, str] | None = None
    for marker in _OUTSIDE:  # longest first: a tie keeps the longer
        at = buf.find(marker)
        if at >= 0 and (best is None or at < best[0]):
            best = (at, marker)
    return best


def _held(buf: str, markers: tuple[str, ...]) -> int:
    """How many characters at the end of ``buf`` could begin one of ``markers``."""
    best = 0
    for tag in markers:
        for k in range(min(len(tag) - 1, len(buf)), best, -1):
            if buf.endswith(tag[:k]):
                best = k
                break
    return best


class ShownStream:
    """Token bytes in, the writer's text out: decoded into whole characters, reasoning taken out
    (:class:`ReasoningFilter`), then the output stream's stops, spacing and line counts (textstream.OutputStream),
    which so never see a marker or a thought. What the engines stream through (job.output_stream)."""

    def __init__(self, out: OutputStream, inside: Markers | None = None) -> None:
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self.filter = ReasoningFilter(inside)
        self.out = out
        self.spans = TokenSpans(self.filter, out)  # where each token's text is shown (the token view)

    @property
    def done(self) -> bool:
        return self.out.done

    @property
    def stop_reason(self) -> StopReason:
        """Why the answer ended itself, once ``done``: the form's line count, or a stop sequence."""
        return StopReason.FORM if self.out.stopped_by == "form" else StopReason.STOP

    @property
    def text(self) -> str:
        return self.out.text

    def feed(self, piece: bytes) -> str:
        if self.out.done:
            return ""
        shown = self.filter.feed(self._decoder.decode(piece, final=False))
        return self.out.feed(shown.encode("utf-8")) if shown else ""

    def finish(self) -> str:
        if self.out.done:
            return self.out.finish()
        shown = self.filter.feed(self._decoder.decode(b"", final=True)) + self.filter.finish()
        return (self.out.feed(shown.encode("utf-8")) if shown else "") + self.out.finish()

    def take_thought(self) -> str:
        return self.filter.take_thought()
