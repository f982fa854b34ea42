"""Helpers the benchmarks share (engine_bench imports lore_ttft, so they live here rather than in either)."""

from __future__ import annotations

import threading
from typing import Any

from studio.domain import Finished, GenerationRequest


def first_token(engine: Any, request: GenerationRequest) -> Finished:
    """Run ``request`` to the end on ``engine`` and return its Finished event (its stats carry the TTFT)."""
    final = None
    for ev in engine.stream(request, threading.Event()):
        if isinstance(ev, Finished):
            final = ev
    assert final is not None
    return final
