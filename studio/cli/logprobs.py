"""``studio continue --logprobs K --json``: per generated token, the top-K alternatives with their probabilities,
added to the JSON line each alternative writes on stderr (issue 15)."""

from __future__ import annotations

import argparse
import dataclasses
from typing import TYPE_CHECKING, Any

from studio.domain import MAX_LOGPROBS, Finished, GenerationRequest, UsageError

if TYPE_CHECKING:
    from studio.services.generation import ModelRunner


def logprobs_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--logprobs", type=int, metavar="K", default=0,
                        help=f"with --json: per generated token, the top K (1-{MAX_LOGPROBS}) alternatives and their "
                             "probabilities in the JSON on stderr ('tokens')")


def with_logprobs(args: argparse.Namespace, request: GenerationRequest) -> GenerationRequest:
    """``request`` asking for ``--logprobs`` alternatives; a K out of range, or no --json to carry them, is
    refused before any model is loaded."""
    k = int(getattr(args, "logprobs", 0) or 0)
    if not k:
        return request
    if not 1 <= k <= MAX_LOGPROBS:
        raise UsageError(f"--logprobs takes 1 to {MAX_LOGPROBS} alternatives per token, not {k}.")
    if not getattr(args, "json", False):
        raise UsageError("--logprobs adds the alternatives to the JSON on stderr: add --json.")
    return dataclasses.replace(request, logprobs=k)


def require_logprobs(request: GenerationRequest, runner: ModelRunner, where: str) -> None:
    """Refuse, before generating, a request for probabilities the loaded engine cannot give (closing it)."""
    if request.logprobs and not runner.capabilities.logprobs:
        runner.close()
        raise UsageError(f"{where} does not report token probabilities: run without --logprobs, or use the "
                         "local model or a server that returns them.")


def tokens_json(request: GenerationRequest, finished: Finished) -> dict[str, Any]:
    """The ``tokens`` key of an alternative's JSON line (nothing when --logprobs was not asked for)."""
    if not request.logprobs:
        return {}
    return {"tokens": [t.to_dict() for t in finished.tokens]}
