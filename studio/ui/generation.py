"""Continue, Rewrite and Alternatives in the editor: one run at a time, streamed in as a proposal, then accepted
(one undo step), discarded, retried, or stepped through.

The controller lives on the UI thread. It builds requests from what the editor shows, hands them to the engine
thread (EngineHost), paints the tokens that come back into the editor's proposal overlay, records every finished
alternative, and on accept writes the text into the document. The draft is never touched before accept.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtGui import QTextCursor

from studio.domain import (
    Action,
    Finished,
    GenerationRequest,
    RevisionReason,
    StopReason,
    StudioError,
    TextDelta,
    Thinking,
)
from studio.services.forms import verse_at
from studio.ui import widgets
from studio.ui.generation_run import Phase, RequestInputs, Run
from studio.ui.i18n import error_text
from studio.ui.parts import WindowParts
from studio.ui.textpos import to_index, to_u16
from studio.ui.worker import EngineHost, Failure

__all__ = ["GenerationController", "Phase", "RequestInputs", "Run"]  # the run's state lives in generation_run

if TYPE_CHECKING:
    from studio.services import Services

log = logging.getLogger(__name__)


class GenerationController(QObject):
    run_started = Signal()
    run_updated = Signal()  # text, phase or the shown alternative changed
    run_ended = Signal(bool)  # accepted?
    stats_measured = Signal(object)  # GenerationStats of the last finished alternative
    message = Signal(str)  # something to tell the writer in the status bar
    text_accepted = Signal()  # the document changed by an accept (save soon)

    def __init__(
        self,
        host: EngineHost,
        parts: WindowParts,
        services: Services,
        inputs: Callable[[Action], RequestInputs | None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._host = host
        self._editor = parts.editor
        self._services = services
        self._inputs = inputs
        self.run: Run | None = None
        self.model_file = ""
        self.logprobs: Callable[[], int] = lambda: 0  # per token, how many alternatives to ask for (token_view)
        w = host.worker
        w.tokens_received.connect(self._on_tokens_received)
        w.thinking_received.connect(self._on_thinking_received)
        w.prompt_progressed.connect(self._on_prompt_progressed)
        w.alternative_finished.connect(self._on_alternative_finished)
        w.generation_finished.connect(self._on_generation_finished)
        w.generation_failed.connect(self._on_generation_failed)
        # Repainting the proposal once per batch is plenty; the diff of a rewrite is refreshed less often.
        self._diff_timer = widgets.single_shot_timer(self, 120, self.run_updated)

    # -- starting ------------------------------------------------------------------------------------------
    def start(self, action: Action, *, alternatives: bool = False) -> bool:
        """Continue at the cursor, or rewrite the selection. Returns False (and says why) when it cannot."""
        inputs = self._ready(action)
        if inputs is None:
            return False
        if action == Action.REWRITE and not self._editor.textCursor().hasSelection():
            self.message.emit(self.tr("Select the passage to rewrite first."))
            return False
        n = max(1, inputs.alternatives) if alternatives else 1
        return self._launch(action, self._range(action), inputs, n, seed=None)

    def propose(self, text: str, *, record_id: int | None = None) -> bool:
        """An earlier output (the history's Restore) as a proposal, shown as a finished run: at the cursor, or in
        place of the selection. Tab takes it (marking ``record_id`` accepted), Escape drops it, Retry asks anew."""
        action = Action.REWRITE if self._editor.textCursor().hasSelection() else Action.CONTINUE
        inputs = self._ready(action)
        return inputs is not None and bool(text) and self._launch(
            action, self._range(action), inputs, 1, seed=None, restored=(text, record_id))

    def _range(self, action: Action) -> QTextCursor:
        """Where a run lands: the selected passage for a rewrite, else the insertion point (a selection's end)."""
        cursor, rng = self._editor.textCursor(), QTextCursor(self._editor.document())
        if action == Action.REWRITE:
            rng.setPosition(cursor.selectionStart())
            rng.setPosition(cursor.selectionEnd(), QTextCursor.MoveMode.KeepAnchor)
        else:
            rng.setPosition(cursor.selectionEnd() if cursor.hasSelection() else cursor.position())
        return rng

    def start_match_verse(self) -> bool:
        """"Write a verse to this meter": a new verse after the one at the cursor, as a proposal (False: why not)."""
        inputs = self._ready(Action.CONTINUE)
        if inputs is None:
            return False
        body = self._editor.plain_text()
        verse = verse_at(body, to_index(body, self._editor.textCursor().selectionStart()))
        if verse is None:
            self.message.emit(self.tr("Put the cursor in a verse first: the new verse is written to its meter."))
            return False
        rng = QTextCursor(self._editor.document())
        rng.setPosition(to_u16(body, verse.end))

        def build(inp: RequestInputs, n: int, seed: int | None) -> GenerationRequest:
            return self._services.generation.build_match_verse_request(
                inp.draft, verse.number, body=self._editor.plain_text(), notes=inp.notes, preset_id=inp.preset_id,
                style_id=inp.style_id, n_alternatives=n, seed=seed, max_tokens=inp.max_tokens)[0]

        return self._launch(Action.CONTINUE, rng, inputs, 1, seed=None, build=build)

    def _ready(self, action: Action) -> RequestInputs | None:
        """A new run's inputs (a finished run is discarded); None, and why, while one streams or with no draft."""
        if self.run is not None:
            if self.run.streaming:
                self.message.emit(self.tr("A generation is running: press Escape to stop it first."))
                return None
            self.discard()
        inputs = self._inputs(action)
        if inputs is None:
            self.message.emit(self.tr("Open or create a draft first (Ctrl+N)."))
        return inputs

    def _build(
        self, action: Action, rng: QTextCursor, inputs: RequestInputs, n: int, seed: int | None, forced: str = ""
    ) -> GenerationRequest:
        body = self._editor.plain_text()
        if action == Action.REWRITE:
            sel: tuple[int, int] | None = (to_index(body, rng.selectionStart()), to_index(body, rng.selectionEnd()))
            pos = None
        else:
            sel = None
            pos = to_index(body, rng.position())
        return self._services.generation.build_request(
            inputs.draft, action, cursor=pos, selection=sel,
            instruction=inputs.instruction if action == Action.REWRITE else "", preset_id=inputs.preset_id,
            style_id=inputs.style_id, n_alternatives=n, seed=seed, max_tokens=inputs.max_tokens, body=body,
            notes=inputs.notes, logprobs=self.logprobs(), forced_prefix=forced)

    def build_preview_request(self) -> GenerationRequest | None:
        """A Continue at the cursor, as it would be asked now (for the context view)."""
        inputs = self._inputs(Action.CONTINUE)
        if inputs is None:
            return None
        try:
            return self._build(Action.CONTINUE, self._range(Action.CONTINUE), inputs, 1, None)
        except StudioError:
            return None

    def _launch(self, action: Action, rng: QTextCursor, inputs: RequestInputs, n: int, seed: int | None,
                build: Callable[[RequestInputs, int, int | None], GenerationRequest] | None = None,
                restored: tuple[str, int | None] | None = None) -> bool:
        try:
            request = build(inputs, n, seed) if build is not None else self._build(action, rng, inputs, n, seed)
            request = replace(request, logprobs=self.logprobs())
        except StudioError as exc:
            self.message.emit(error_text(exc))
            return False
        job = self._host.generate(request) if restored is None else -1  # restored: no job, no engine result is its
        run = Run(
            job=job,
            action=action,
            request=request,
            draft_id=inputs.draft.id,
            group_id=self._services.generation.new_group_id(),
            n=n,
            range=rng,
            original=request.selection,
            texts=[""] * n,
            thoughts=[""] * n,
            build=build,
            tokens=[[] for _ in range(n)],
        )
        if restored is not None:
            run.texts, run.phase, run.follow = [restored[0]], Phase.READY, False
            run.records.update({0: restored[1]} if restored[1] is not None else {})
        self.run = run
        ed = self._editor
        if action == Action.REWRITE:
            ed.mark_range(rng)
            ed.pending.start(rng.selectionEnd())
            # The caret leaves the passage so that the proposal after it is drawn (see PendingOverlay).
            caret = QTextCursor(ed.document())
            caret.setPosition(rng.selectionStart())
            ed.setTextCursor(caret)
        else:
            ed.pending.start(rng.position())
        log.info("run %s started: %s, %d alternative(s)", job, action.value, n)
        if restored is None:
            self.run_started.emit()  # the model is busy (a restored output keeps the model's state as it is)
        self._show()
        self.run_updated.emit()
        return True

    # -- verbs while a run exists --------------------------------------------------------------------------
    def stop(self) -> None:
        """Escape while streaming: the worker stops within one token; what came so far stays as a proposal."""
        run = self.run
        if run is not None and run.streaming:
            run.stopped = True
            self._host.cancel(run.job)
            self.message.emit(self.tr("Stopping…"))

    def escape(self) -> bool:
        """Stop a streaming run, or discard a finished one. False when there was nothing to do."""
        run = self.run
        if run is None:
            return False
        if run.streaming:
            self.stop()
        else:
            self.discard()
        return True

    def discard(self) -> None:
        run = self.run
        if run is not None:
            if run.streaming:
                self._host.cancel(run.job)  # late results of this job are ignored: self.run no longer matches
            self._end(accepted=False)

    def accept(self) -> bool:
        run = self.run
        if run is None:
            return False
        if run.streaming:
            # Tab while streaming: stop, and take what is there once the worker confirms the stop.
            run.accept_when_done = True
            self.stop()
            return True
        text = run.text()
        if run.failure is not None and not text:
            self.discard()
            return False
        if not text:
            self.message.emit(self.tr("The model wrote nothing to accept. Retry (Ctrl+R) or discard (Escape)."))
            return False
        ed = self._editor
        held = ed.held_caret()  # a composition open at the caret commits there, not after the accepted text
        if run.action == Action.REWRITE:
            start, end = run.range.selectionStart(), run.range.selectionEnd()
            body = ed.plain_text()
            if body[to_index(body, start):to_index(body, end)] != run.original:
                # The writer typed into the passage after asking; replacing it now would drop that typing unseen.
                self.message.emit(self.tr("The passage changed while the model wrote, so it was not replaced. "
                                          "Retry (Ctrl+R) rewrites it as it is now; Escape discards the proposal."))
                return False
            try:
                # The text as the editor shows it is kept first, so no rewrite can lose the writer's words.
                self._services.drafts.snapshot(run.draft_id, RevisionReason.BEFORE_REWRITE, body=body)
            except StudioError as exc:
                self.message.emit(widgets.arg(
                    self.tr("The rewrite was not applied: the draft could not be kept first (%1)."), error_text(exc)))
                return False
            ed.pending.clear()
            ed.clear_mark()
            inserted = ed.insert_as_one_step(start, text, replace_to=end)
        else:
            ed.pending.clear()
            inserted = ed.insert_as_one_step(run.range.position(), text)
        if held is not None:
            ed.restore_caret(held)
        else:
            caret = QTextCursor(ed.document())
            caret.setPosition(inserted.selectionEnd())
            ed.setTextCursor(caret)
        record_id = run.records.get(run.current)
        if record_id is not None:
            try:
                self._services.generation.accept(record_id)
            except StudioError as exc:
                log.warning("could not mark generation %s accepted: %s", record_id, exc)
        self._end(accepted=True)
        self.text_accepted.emit()
        return True

    def retry(self) -> bool:
        """The same action on the same passage (where it is now), with a fresh seed."""
        run = self.run
        if run is None:
            return False
        action, n, build, rng = run.action, run.n, run.build, QTextCursor(run.range)
        self.discard()
        inputs = self._inputs(action)
        if inputs is None:
            return False
        return self._launch(action, rng, inputs, n, seed=random.randrange(1, 2**31 - 1), build=build)

    def cycle(self, step: int) -> bool:
        run = self.run
        if run is None:
            return False
        avail = run.available()
        if not avail or (len(avail) < 2 and run.n < 2):
            return False
        pos = avail.index(run.current) if run.current in avail else 0
        run.current = avail[(pos + step) % len(avail)]
        run.follow = False
        self._show()
        self.run_updated.emit()
        return True

    def branch(self, forced: str) -> bool:
        """A new alternative of the finished Continue that begins with ``forced`` (the token view: the proposal up
        to a token, then the alternative the writer chose) and goes on from it; the writer steps through it as
        through the others. False, and why, when the run cannot take one."""
        run = self.run
        if run is None or run.action != Action.CONTINUE or run.build is not None:
            self.message.emit(self.tr("Writing on from another token works on a Continue's proposal."))
            return False
        if run.streaming:
            self.message.emit(self.tr("A generation is running: press Escape to stop it first."))
            return False
        inputs = self._inputs(run.action)
        if inputs is None:
            return False
        try:
            request = self._build(run.action, run.range, inputs, 1, None, forced)
        except StudioError as exc:
            self.message.emit(error_text(exc))
            return False
        run.request, run.job, run.offset, run.phase = request, self._host.generate(request), run.n, Phase.STREAMING
        run.n += 1
        run.texts.append("")
        run.thoughts.append("")
        run.tokens.append([])
        run.current, run.follow, run.stopped, run.failure = run.offset, True, False, None
        self.run_started.emit()
        self._show()
        self.run_updated.emit()
        return True

    # -- from the engine thread ----------------------------------------------------------------------------
    def _mine(self, job: int) -> Run | None:
        return self.run if self.run is not None and self.run.job == job else None

    @Slot(int, object)
    def _on_tokens_received(self, job: int, deltas: list[TextDelta]) -> None:
        run = self._mine(job)
        if run is None:
            return
        touched_current = False
        for d in deltas:
            i = d.index + run.offset
            if not 0 <= i < run.n:
                continue
            run.texts[i] += d.text
            run.tokens[i].extend(d.tokens)
            run.thinking.discard(i)
            if run.follow:
                run.current = i
            touched_current = touched_current or i == run.current
        run.progress = None
        if touched_current:
            self._show()
        if run.action == Action.REWRITE:
            if not self._diff_timer.isActive():
                self._diff_timer.start()
        else:
            self.run_updated.emit()

    @Slot(int, object)
    def _on_thinking_received(self, job: int, thoughts: list[Thinking]) -> None:
        """Reasoning goes to the run's side (the bar says "thinking…"), never into the proposal."""
        run = self._mine(job)
        if run is None:
            return
        for t in thoughts:
            if 0 <= (i := t.index + run.offset) < run.n:
                run.thoughts[i] += t.text
                run.thinking.add(i)
                if run.follow and not run.texts[run.current]:
                    run.current = i
        run.progress = None
        self.run_updated.emit()

    @Slot(int, int, int)
    def _on_prompt_progressed(self, job: int, done: int, total: int) -> None:
        run = self._mine(job)
        if run is not None:
            run.progress = (done, total)
            self.run_updated.emit()

    @Slot(int, object)
    def _on_alternative_finished(self, job: int, fin: Finished) -> None:
        run = self._mine(job)
        if run is None:
            return
        i = fin.index + run.offset
        if 0 <= i < run.n:
            run.finished[i] = fin
            run.thinking.discard(i)
            # The finished text is the engine's own account; it wins over the sum of deltas.
            run.texts[i], run.tokens[i] = fin.text, list(fin.tokens)
            if (verdict := self._services.generation.judge(run.request, fin.text)) is not None:  # one poem: cheap
                run.verdicts[i] = verdict
            if i == run.current:
                self._show()
        self.stats_measured.emit(fin.stats)
        try:
            rec = self._services.generation.record(
                run.draft_id, run.request, replace(fin, index=i), group_id=run.group_id, model_file=self.model_file
            )
            if rec.id is not None:
                run.records[i] = rec.id
        except StudioError as exc:
            log.warning("could not record generation: %s", exc)

    @Slot(int, object)
    def _on_generation_finished(self, job: int, _finished: list[Finished]) -> None:
        run = self._mine(job)
        if run is None:
            return
        run.phase = Phase.READY
        run.progress = None
        if run.current not in run.available() and run.available():
            run.current = run.available()[0]
        self._show()
        if run.accept_when_done:
            self.accept()
            return
        if not any(run.texts):
            stopped = run.stopped or any(f.stats.stop_reason == StopReason.CANCELLED for f in run.finished.values())
            self.message.emit(self.tr("Stopped before any text came.") if stopped
                              else self.tr("The model wrote nothing this time."))
        self.run_updated.emit()

    @Slot(int, object, object)
    def _on_generation_failed(self, job: int, failure: Failure, _finished: list[Finished]) -> None:
        run = self._mine(job)
        if run is None:
            return
        run.phase = Phase.FAILED
        run.failure = failure
        run.progress = None
        if not any(run.texts):
            # Nothing to propose: the draft stays exactly as it was; the message says what to do.
            self._editor.pending.clear()
            self._editor.clear_mark()
        self.message.emit(failure.message)
        self.run_updated.emit()

    # -- helpers -------------------------------------------------------------------------------------------
    def _show(self) -> None:
        run = self.run
        if run is not None:
            self._editor.pending.set_text(run.text())

    def _end(self, *, accepted: bool) -> None:
        self.run = None
        self._diff_timer.stop()
        self._editor.pending.clear()
        self._editor.clear_mark()
        self.run_ended.emit(accepted)
        self.run_updated.emit()
