"""One streamed request to an OpenAI-compatible server, read into Studio's events (studio/engine/openai_engine.py
builds the request; this reads it): SSE chunks of ``/v1/completions`` or ``/v1/chat/completions``, one or ``n``
choices told apart by their index, reasoning kept out of the text (reasoning.ShownStream), the output stream's
stop sequences and line counts applied, Stop by shutting the socket down, every failure one readable line with
the text so far kept as a partial proposal. With token probabilities asked for, each choice's ``logprobs`` go
with its text as on the other engines (the deltas carry the tokens since the last one, Finished all of them),
kept only while they spell what the server wrote (remote_logprobs.TokenTrail).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import Any

import httpx
import httpx_sse

from studio.domain import (
    Finished,
    GenerationError,
    GenerationEvent,
    GenerationStats,
    StopReason,
    TokenAlternatives,
)
from studio.domain.i18n import QT_TRANSLATE_NOOP, msg
from studio.engine import job
from studio.engine.openai_probe import ServerHttp
from studio.engine.openai_support import choice_parts, openai_status_failure
from studio.engine.prompts import PromptPlan
from studio.engine.reasoning import ShownStream
from studio.engine.remote_http import parse_chunk, watch_for_stop
from studio.engine.remote_logprobs import TokenTrail
from studio.engine.remote_support import ServerFailure, describe_failure, stream_cut

log = logging.getLogger(__name__)


@dataclass
class _Alt:
    """One alternative while its stream runs."""

    index: int
    seed: int | None
    out: ShownStream
    generated: int = 0  # chunks with text or reasoning: one token each on llama.cpp servers (usage wins)
    first_at: float = 0.0
    reason: StopReason | None = None  # set when it ended
    trail: TokenTrail | None = None  # with token probabilities: its tokens so far
    fresh: int = 0  # trail.tokens[fresh:] not yet sent with a delta

    def tokens(self) -> list[TokenAlternatives] | None:
        return self.trail.tokens if self.trail is not None else None


def run_request(http: ServerHttp, endpoint: str, body: dict[str, Any], plan: PromptPlan, indices: list[int],
                seeds: list[int | None], stopping: Callable[[], bool], *, model: str,
                logprobs: int = 0) -> Generator[GenerationEvent, None, list[int]]:
    """Stream ``body`` to ``endpoint`` for alternatives ``indices`` (the server's choices 0..k-1, in order).
    Yields TextDelta and one Finished per alternative; returns the alternatives the server sent nothing for
    (a server that ignored ``n``), for the caller to run one by one. ``logprobs``: the top alternatives per token
    the body asks for (0: none asked, none read)."""
    url = http.url
    n_prompt = len(plan.tokens)
    started = time.perf_counter()
    alts = [_Alt(index=i, seed=s, out=job.output_stream(plan), trail=TokenTrail(logprobs) if logprobs else None)
            for i, s in zip(indices, seeds, strict=True)]
    usage: dict[str, Any] = {}
    evaluated: int | None = None

    def stats(alt: _Alt, reason: StopReason) -> GenerationStats:
        end = time.perf_counter()
        generated = alt.generated
        whole = reason is not StopReason.CANCELLED
        if len(alts) == 1 and whole and isinstance(usage.get("completion_tokens"), int):
            generated = int(usage["completion_tokens"])
        prompt = int(usage["prompt_tokens"]) if isinstance(usage.get("prompt_tokens"), int) else n_prompt
        details = usage.get("prompt_tokens_details")
        cached = details.get("cached_tokens") if isinstance(details, dict) else None
        if not isinstance(cached, int):
            cached = prompt - evaluated if evaluated is not None else 0
        tps = (generated - 1) / (end - alt.first_at) if generated > 1 and end > alt.first_at else 0.0
        return GenerationStats(prompt_tokens=prompt, cached_tokens=max(0, cached), generated_tokens=generated,
                               ttft_s=round(alt.first_at - started, 4) if alt.first_at else 0.0,
                               total_s=round(end - started, 4), tokens_per_s=round(tps, 2), stop_reason=reason,
                               trimmed_chars=plan.trimmed_chars, trimmed_preview=plan.trimmed_preview,
                               seed=alt.seed, model=model)

    if stopping():
        yield Finished("", stats(alts[0], StopReason.CANCELLED), alts[0].index)
        return []
    failure: ServerFailure | None = None
    cancelled = False
    watching = threading.Event()
    try:
        with httpx_sse.connect_sse(http.client, "POST", endpoint, json=body) as source:
            resp = source.response
            if resp.status_code != 200:
                resp.read()
                if resp.status_code in (400, 422) and len(alts) > 1:
                    # n refused (llama-server allows at most its slot count): the caller runs them one by one.
                    log.info("%s refused n=%d (HTTP %d): alternatives one after another", url, len(alts),
                             resp.status_code)
                    return list(indices)
                raise openai_status_failure(resp, url, f"endpoint {endpoint}")
            threading.Thread(target=watch_for_stop, args=(resp, stopping, watching), daemon=True,
                             name="openai-stop").start()
            done = False
            for event in source.iter_sse():
                if stopping():
                    cancelled = True
                    break
                if event.data.strip() == "[DONE]":
                    done = True
                    break
                chunk = parse_chunk(event.data, url,
                                    msg(QT_TRANSLATE_NOOP("messages", "Is it an OpenAI-compatible server?")))
                if isinstance(chunk.get("usage"), dict):
                    usage = chunk["usage"]
                timings = chunk.get("timings")
                if isinstance(timings, dict) and isinstance(timings.get("prompt_n"), int):
                    evaluated = int(timings["prompt_n"])  # llama-server: the prompt tokens it had to read
                for part in choice_parts(chunk):
                    if not 0 <= part.index < len(alts) or alts[part.index].reason is not None:
                        continue
                    alt = alts[part.index]
                    if part.text or part.thinking:
                        alt.generated += 1
                        alt.first_at = alt.first_at or time.perf_counter()
                    if part.reasoning:
                        alt.out.filter.reasoning_apart(part.reasoning)
                    if alt.trail is not None:
                        alt.trail.add(part.logprobs, part.reasoning + part.text)
                    alt.fresh = yield from job.shown_piece(alt.out, part.text.encode("utf-8"), alt.index,
                                                           alt.tokens(), alt.fresh)
                    if alt.out.done:
                        alt.reason = alt.out.stop_reason
                    elif part.finish_reason:
                        alt.reason = StopReason.LENGTH if part.finish_reason == "length" else StopReason.STOP
                # Read on to [DONE] for the usage, unless a stop sequence ended it here: then the server would
                # go on writing what nobody reads.
                if any(a.out.done for a in alts) and all(a.reason is not None for a in alts):
                    done = True
                    break
            if not done and not cancelled:
                if stopping():
                    cancelled = True
                else:
                    failure = stream_cut(url)
    except ServerFailure as exc:
        failure = exc
    except httpx_sse.SSEError:
        failure = ServerFailure(msg(QT_TRANSLATE_NOOP("messages", "The server {url} did not send a text stream."),
                                    url=url),
                                msg(QT_TRANSLATE_NOOP("messages", "Is it an OpenAI-compatible server?")))
    except httpx.HTTPError as exc:
        if stopping():
            cancelled = True
        else:
            failure = describe_failure(exc, url, http.idle_s)
    finally:
        watching.set()
    if failure is not None and not any(a.out.text or a.generated for a in alts):
        raise GenerationError(failure.message, hint=failure.hint)
    # A choice the server never sent (it ignored n) is run on its own afterwards; with one choice there is
    # nothing to tell apart and its Finished comes here.
    missing = [] if (cancelled or failure or len(alts) == 1) else [
        a.index for a in alts if a.generated == 0 and a.reason is None]
    for alt in alts:
        if alt.index in missing:
            continue
        yield from job.stream_tail(alt.out, alt.index, alt.tokens() or [], alt.fresh)
        if failure is not None or (alt.reason is None and cancelled):
            reason = StopReason.CANCELLED  # partial: the text so far stays a proposal
        else:
            reason = alt.reason or StopReason.STOP  # STOP: the stream ended cleanly without naming why
        yield Finished(alt.out.text, stats(alt, reason), alt.index, alt.trail.final() if alt.trail else ())
    if failure is not None:
        raise GenerationError(msg(QT_TRANSLATE_NOOP("messages", "{failure} The text written so far was kept."),
                                  failure=failure.message), hint=failure.hint)
    return missing
