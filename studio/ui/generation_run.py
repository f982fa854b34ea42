"""One run of the generation controller (generation.py) and what the window supplies for it: plain state, kept
apart so the controller's module holds only its behaviour."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING

from PySide6.QtGui import QTextCursor

from studio.domain import Action, Draft, Finished, GenerationRequest, TokenAlternatives
from studio.ui.worker import Failure

if TYPE_CHECKING:
    from studio.services.forms import Misfit, VerseFit


class Phase(Enum):
    STREAMING = "streaming"
    READY = "ready"  # finished (or stopped): waiting for accept / discard / retry
    FAILED = "failed"


@dataclass
class Run:
    job: int
    action: Action
    request: GenerationRequest
    draft_id: int
    group_id: str
    n: int
    range: QTextCursor  # continue: the insertion point; rewrite: the passage (a selection that follows edits)
    original: str = ""
    texts: list[str] = field(default_factory=list)
    finished: dict[int, Finished] = field(default_factory=dict)
    records: dict[int, int] = field(default_factory=dict)
    current: int = 0
    follow: bool = True  # show whichever alternative is streaming until the writer picks one
    phase: Phase = Phase.STREAMING
    failure: Failure | None = None
    accept_when_done: bool = False
    started: float = field(default_factory=time.monotonic)
    progress: tuple[int, int] | None = None
    stopped: bool = False
    thoughts: list[str] = field(default_factory=list)  # each alternative's reasoning (kept apart, never accepted)
    thinking: set[int] = field(default_factory=set)  # alternatives whose latest piece was reasoning
    # Per finished alternative of a held form or matched verse: (misfit or None, verse fit); marked, never hidden.
    verdicts: dict[int, tuple[Misfit | None, VerseFit | None]] = field(default_factory=dict)
    build: Callable[[RequestInputs, int, int | None], GenerationRequest] | None = None  # how Retry asks again
    # Per alternative, its tokens with their alternatives and spans in its text (the token view; empty when off).
    tokens: list[list[TokenAlternatives]] = field(default_factory=list)
    # The running job's alternative 0 is the run's alternative ``offset`` (a token view branch adds one later).
    offset: int = 0

    @property
    def streaming(self) -> bool:
        return self.phase == Phase.STREAMING

    def available(self) -> list[int]:
        """Alternatives the writer can look at: started ones (or finished, even if empty)."""
        return [i for i in range(self.n) if self.texts[i] or i in self.finished]

    def text(self) -> str:
        return self.texts[self.current] if 0 <= self.current < len(self.texts) else ""

    def thought(self) -> str:
        """The shown alternative's reasoning so far ("" for a model that did not think)."""
        return self.thoughts[self.current] if 0 <= self.current < len(self.thoughts) else ""


@dataclass(frozen=True)
class RequestInputs:
    """What the window supplies for a request: the draft and the writer's current choices."""

    draft: Draft
    notes: str
    preset_id: int | None
    style_id: int | None
    instruction: str
    alternatives: int
    max_tokens: int | None
