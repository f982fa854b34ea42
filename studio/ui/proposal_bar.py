"""The bar under the editor while a run exists: what is happening, the verbs with their keys, and for a rewrite
the word-level difference between the passage and the proposal."""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QTextBrowser, QVBoxLayout, QWidget

from studio.domain import Action
from studio.services.diffing import word_diff
from studio.ui import widgets
from studio.ui.diff_view import diff_html
from studio.ui.generation import GenerationController, Phase
from studio.ui.theme import Theme

_DIFF_LIMIT = 20_000  # characters; a longer passage shows its diff after the run, not while streaming


class ProposalBar(QFrame):
    def __init__(self, controller: GenerationController, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("proposalBar")
        self._controller = controller
        self._theme = theme
        lay = QVBoxLayout(self)
        lay.setContentsMargins(10, 6, 10, 6)
        lay.setSpacing(4)
        self.diff = QTextBrowser()
        self.diff.setAccessibleName("Proposed rewrite")
        self.diff.hide()
        lay.addWidget(self.diff)
        row = QHBoxLayout()
        self.label = QLabel("")
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setWordWrap(True)
        row.addWidget(self.label, 1)
        self.prev_button = widgets.push_button("◀", lambda: controller.cycle(-1), tip="Previous alternative (Alt+Left)")
        self.counter = QLabel("")
        self.next_button = widgets.push_button("▶", lambda: controller.cycle(1), tip="Next alternative (Alt+Right)")
        self.accept_button = widgets.push_button("Accept  Tab", controller.accept)
        self.accept_button.setDefault(True)
        self.stop_button = widgets.push_button("Stop  Esc", controller.stop)
        self.discard_button = widgets.push_button("Discard  Esc", controller.discard)
        self.retry_button = widgets.push_button("Retry  Ctrl+R", controller.retry)
        for w in (self.prev_button, self.counter, self.next_button, self.accept_button, self.stop_button,
                  self.discard_button, self.retry_button):
            row.addWidget(w)
        for b in (self.prev_button, self.next_button, self.accept_button, self.stop_button, self.discard_button,
                  self.retry_button):
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keyboard stays in the editor
        lay.addLayout(row)
        controller.run_updated.connect(self._on_run_updated)
        self.hide()

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        self._on_run_updated()

    @Slot()
    def _on_run_updated(self) -> None:
        run = self._controller.run
        if run is None:
            self.hide()
            self.diff.clear()
            return
        verb = {Action.CONTINUE: "Continue", Action.REWRITE: "Rewrite"}[run.action]
        text = run.text()
        if run.phase == Phase.STREAMING:
            if run.progress and not text:
                done, total = run.progress
                state = f"reading the draft… {int(100 * done / max(total, 1))}%"
            elif run.stopped:
                state = "stopping…"
            elif run.current in run.thinking:
                state = "thinking…"  # the model reasons before it answers: its reasoning is folded away
            else:
                state = "writing…" if text else "waiting for the model…"
        elif run.phase == Phase.FAILED:
            state = run.failure.message if run.failure else "failed"
        else:
            fin = run.finished.get(run.current)
            speed = f" · {fin.stats.tokens_per_s:.0f} tokens/s" if fin and fin.stats.tokens_per_s else ""
            partial = " (stopped early)" if fin and fin.stats.partial or run.stopped else ""
            state = f"done{partial}{speed}" if text else "nothing written"
        self.label.setText(f"{verb}: {state}")
        thought = run.thought().strip()
        # The reasoning stays out of the editor; hovering the line shows its end, for the curious.
        fold = ("…" if len(thought) > 1500 else "") + thought[-1500:]
        self.label.setToolTip(f"The model's reasoning (not part of the text):\n{fold}" if thought else "")
        multi = run.n > 1
        for w in (self.prev_button, self.counter, self.next_button):
            w.setVisible(multi)
        self.counter.setText(f"{run.current + 1} / {run.n}")
        self.stop_button.setVisible(run.streaming)
        self.discard_button.setVisible(not run.streaming)
        self.accept_button.setEnabled(bool(text) or run.streaming)
        self.retry_button.setEnabled(not run.streaming)
        if run.action == Action.REWRITE and (len(run.original) <= _DIFF_LIMIT or not run.streaming):
            self.diff.setHtml(diff_html(word_diff(run.original, text), self._theme) if text else "")
            self.diff.setVisible(bool(text))
            # As tall as the difference needs, up to a third of the editor's height.
            doc = self.diff.document()
            doc.setTextWidth(self.diff.viewport().width())
            parent = self.parentWidget()
            limit = max(60, parent.height() // 3) if parent is not None else 160
            self.diff.setFixedHeight(min(limit, int(doc.size().height()) + 12))
        else:
            self.diff.hide()
        self.show()
