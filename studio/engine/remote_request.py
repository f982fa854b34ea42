"""What the remote engine sends to llama-server's ``/completion`` and how it reads a streamed chunk back
(studio/engine/remote.py sends it).

Form-held poetry: the in-process engine steers a held poem's line lengths with a logits processor
(form_steer.LineSteer), which cannot run on a server. For forms counted in Chinese characters (绝句, 律诗, ...)
the same rules go to the server as a GBNF ``grammar``: each line exactly its count of Han characters (nothing
else inside the line: no comma, space, letter or digit), then at most one Chinese closing mark, then the line
break, for exactly the lines still to write. Forms counted in syllables (haiku) get no grammar (a grammar
cannot count English syllables); their line count is still held by the output stream (textstream.max_lines).

Rhyme (issue 13, as rhyme_steer holds it in-process): the last character of each rhyme position still to write is
one of a 平水韵 group's characters. A grammar cannot read back what it matched, so the choice is written out: one
alternative per candidate group (the group(s) the draft's rhyme is in, else the 平 groups a first rhyme is held to,
those of line 1's last character when the draft's line 1 ends on 平), each holding every later rhyme position to that
group; llama.cpp follows all alternatives at once and drops those the sampled rhyme character is not in, so a
polyphonic character keeps every group it has until a later rhyme settles it. (A line 1 the model writes itself
does not narrow the groups here, as it does in-process.)
"""

from __future__ import annotations

from typing import Any

from studio.domain import StopReason
from studio.domain.text import is_cjk
from studio.engine.form_steer import LinePlan
from studio.engine.prompts import PromptPlan
from studio.engine.reasoning import Markers
from studio.engine.rhyme_steer import group_chars, han_groups

STOP_TYPES = {"eos": StopReason.STOP, "word": StopReason.STOP, "limit": StopReason.LENGTH}

# Han ideographs only (CJK unified, extension A, compatibility): what a classical line is made of. Kana and hangul,
# which studio.domain.text counts as CJK too, are not Chinese verse.
_HAN = r"[\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF]"
_CLOSING = "[，。！？；、：]"  # form_steer's Chinese closing marks


def line_grammar(plan: LinePlan | None) -> str | None:
    """GBNF holding the lines still to write to their Han-character counts and the rhyme (see the module
    docstring); None when the plan is not counted in characters."""
    if plan is None or plan.unit != "han" or not plan.targets:
        return None

    def line(i: int, rhyme_rule: str | None = None) -> str:
        n = max(0, plan.targets[i] - (plan.first_line_done if i == 0 else 0))
        chars = ["han"] * n
        if rhyme_rule is not None and n:
            chars[-1] = rhyme_rule
        return " ".join([*chars, "close?", '"\\n"'])

    lines = range(len(plan.targets))
    rules = [f"l{i} ::= {line(i)}" for i in lines]
    order = [f"l{i}" for i in lines]
    groups = _rhyme_groups(plan)
    positions = [i for i in lines if (plan.first_index + i) % 2 == 1]
    if groups and positions:
        first = positions[0]
        alternatives = []
        for k, group in enumerate(groups):
            chars = "".join(sorted(c for c in group_chars(frozenset({group}), plan.rhyme.system if plan.rhyme
                                                        else "pingshui") if is_cjk(c)))
            if not chars:
                continue
            rules.append(f"r{k} ::= [{chars}]")
            for i in positions:
                rules.append(f"l{i}r{k} ::= {line(i, f'r{k}')}")
            alternatives.append(" ".join(f"l{i}r{k}" if i in positions else f"l{i}" for i in lines[first:]))
        if alternatives:
            order = [*order[:first], "(" + " | ".join(alternatives) + ")"]
    root = "root ::= " + " ".join(order)
    return "\n".join([root, *rules, f"han ::= {_HAN}", f"close ::= {_CLOSING}"]) + "\n"


def _rhyme_groups(plan: LinePlan) -> tuple[str, ...]:
    """The groups the next rhyme position may be in, known from the draft's lines (none: no rhyme held)."""
    if plan.rhyme is None or plan.rhyme.kind != "han":
        return ()
    lines = [*plan.written, plan.partial] if plan.partial else list(plan.written)
    first = next((i for i in range(len(plan.targets)) if (plan.first_index + i) % 2 == 1), None)
    if first is None:
        return ()
    groups = han_groups(lines, plan.first_index + first, len(plan.written), plan.rhyme.system)
    return tuple(sorted(groups or ()))


def completion_body(plan: PromptPlan, tokens: list[int], *, max_tokens: int, seed: int, slot: int,
                    banned: tuple[int, ...], stream: bool = True, reasoning: Markers | None = None,
                    n_probs: int = 0) -> dict[str, Any]:
    """The body of one ``/completion``. ``tokens``: the prompt, or a leading part of it when the prompt is read in
    chunks (then ``max_tokens`` is 0: read, do not write). ``reasoning``: the markers the model thinks in, for a
    reasoning budget of 0 (a block the model opens is closed at once; servers without it ignore the fields)."""
    s = plan.sampler
    body: dict[str, Any] = {
        "prompt": tokens, "stream": stream, "cache_prompt": True, "n_predict": max_tokens, "seed": seed,
        "temperature": s.temperature, "top_k": s.top_k, "top_p": s.top_p, "min_p": s.min_p,
        "repeat_penalty": s.repeat_penalty, "id_slot": slot,
        # Progress chunks while a long prompt is read: PromptProgress for the window, bytes that keep the idle
        # timeout from firing on a slow server, and writes that let the server notice a Stop between batches.
        "return_progress": stream,
        "return_tokens": stream,  # the generated token ids: what the slot holds after the prompt (remote_slots)
    }
    if banned:
        body["logit_bias"] = [[t, False] for t in banned]
    if reasoning is not None and max_tokens > 0 and not plan.open_reasoning:
        # llama-server's reasoning budget (common/reasoning-budget.cpp): 0 tokens, so the end tag is forced right
        # after a start tag the model writes. Not for a block the prompt opened: the server cannot see it start.
        body.update(reasoning_budget_tokens=0, reasoning_budget_start_tag=reasoning.open,
                    reasoning_budget_end_tags=[reasoning.close], reasoning_budget_message="")
    if n_probs > 0 and max_tokens > 0:
        body["n_probs"] = n_probs  # per token the top n with probabilities (remote_logprobs reads them)
    grammar = line_grammar(plan.line_plan) if max_tokens > 0 else None
    if grammar:
        body["grammar"] = grammar
    return body


def chunk_progress(chunk: dict[str, Any]) -> tuple[int, int] | None:
    """(tokens read, prompt tokens) of a progress chunk; None for a chunk that carries text or the end."""
    progress = chunk.get("prompt_progress")
    if not isinstance(progress, dict) or chunk.get("content") or chunk.get("stop"):
        return None
    total = int(progress.get("total") or 0)
    done = int(progress.get("cache") or 0) + int(progress.get("processed") or 0)
    return (max(0, min(done, total)), total) if total > 0 else (0, 0)


def prompt_evaluated(chunk: dict[str, Any]) -> int | None:
    """How many prompt tokens the server evaluated for this request (the final chunk's ``timings.prompt_n``)."""
    timings = chunk.get("timings")
    if isinstance(timings, dict) and isinstance(timings.get("prompt_n"), int):
        return int(timings["prompt_n"])
    return None


def prompt_speed(chunk: dict[str, Any]) -> float | None:
    """Prompt tokens per second the server measured for this request (None when too few to say)."""
    timings = chunk.get("timings")
    if not isinstance(timings, dict):
        return None
    n, ms = timings.get("prompt_n"), timings.get("prompt_ms")
    if isinstance(n, int) and n >= 16 and isinstance(ms, int | float) and ms > 0:
        return n / (ms / 1000.0)
    return None
