"""The bar under the editor while a run exists: what is happening, the verbs with their keys, and for a rewrite
the word-level difference between the passage and the proposal."""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QTextBrowser, QVBoxLayout, QWidget

from studio.domain import Action
from studio.services.diffing import word_diff
from studio.ui import widgets
from studio.ui.diff_view import diff_html
from studio.ui.generation import GenerationController, Phase, Run
from studio.ui.i18n import format_number, shown
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
        self.diff.setAccessibleName(self.tr("Proposed rewrite"))
        self.diff.hide()
        lay.addWidget(self.diff)
        row = QHBoxLayout()
        self.label = QLabel("")
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setWordWrap(True)
        row.addWidget(self.label, 1)
        self.prev_button = widgets.push_button("◀", lambda: controller.cycle(-1),
                                               tip=self.tr("Previous alternative (Alt+Left)"))
        self.counter = QLabel("")
        self.next_button = widgets.push_button("▶", lambda: controller.cycle(1),
                                               tip=self.tr("Next alternative (Alt+Right)"))
        self.accept_button = widgets.push_button(self.tr("Accept  Tab"), controller.accept)
        self.accept_button.setDefault(True)
        self.stop_button = widgets.push_button(self.tr("Stop  Esc"), controller.stop)
        self.discard_button = widgets.push_button(self.tr("Discard  Esc"), controller.discard)
        self.retry_button = widgets.push_button(self.tr("Retry  Ctrl+R"), controller.retry)
        for w in (self.prev_button, self.counter, self.next_button, self.accept_button, self.stop_button,
                  self.discard_button, self.retry_button):
            row.addWidget(w)
        for b in (self.prev_button, self.next_button, self.accept_button, self.stop_button, self.discard_button,
                  self.retry_button):
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keyboard stays in the editor
        lay.addLayout(row)
        # A matched verse: the new verse's per-line counts beside the original's.
        self.meter = QLabel("")
        self.meter.setTextFormat(Qt.TextFormat.PlainText)
        self.meter.setWordWrap(True)
        self.meter.hide()
        lay.addWidget(self.meter)
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
        verb = self.tr("Continue") if run.action == Action.CONTINUE else self.tr("Rewrite")
        self.label.setText(widgets.arg(self.tr("%1: %2"), verb, self._state(run)))
        thought = run.thought().strip()
        # The reasoning stays out of the editor; hovering the line shows its end, for the curious.
        fold = ("…" if len(thought) > 1500 else "") + thought[-1500:]
        self.label.setToolTip(widgets.arg(self.tr("The model's reasoning (not part of the text):\n%1"), fold)
                              if thought else "")
        text = run.text()
        multi = run.n > 1
        for w in (self.prev_button, self.counter, self.next_button):
            w.setVisible(multi)
        mark, why = self._fit_mark(run)
        self.counter.setVisible(multi or bool(mark))
        position = f"{run.current + 1} / {run.n}" if multi else ""
        self.counter.setText(" · ".join(x for x in (position, mark) if x))
        self.counter.setToolTip(why)
        self._show_meter(run)
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

    def _fit_mark(self, run: Run) -> tuple[str, str]:
        """("does not fit: line 4 rhyme", the checker's first deviation) for a shown alternative that breaks the
        form or the verse it is held to; ("fits", "") for one that keeps it; ("", "") when nothing is held or the
        alternative is not finished."""
        if run.current not in run.verdicts:
            return "", ""
        misfit = run.verdicts[run.current][0]
        if misfit is None:
            return self.tr("fits"), ""
        kinds = {"lines": self.tr("line count"), "count": self.tr("length"), "rhyme": self.tr("rhyme"),
                 "script": self.tr("not Chinese"), "tones": self.tr("tones")}
        kind = kinds.get(misfit.kind, self.tr("form"))
        what = widgets.arg(self.tr("line %1 %2"), format_number(misfit.line), kind) if misfit.line else kind
        mark = widgets.arg(self.tr("does not fit: %1"), what)
        more = misfit.count - 1
        extra = "" if more <= 0 else self.tr("(and one more)") if more == 1 else self.tr("(and %n more)", "", more)
        tip = shown(misfit.message) + ("\n" + extra if extra else "")
        return mark, tip

    def _show_meter(self, run: Run) -> None:
        meter = run.request.meter
        if meter is None:
            self.meter.hide()
            return
        fit = run.verdicts.get(run.current, (None, None))[1]
        if fit is None:
            counts = " · ".join(format_number(c) for c in meter.counts)
            self.meter.setText(widgets.arg(self.tr("The verse matched, per line: %1"), counts))
        else:
            pairs = []
            for line in fit.lines:
                got = format_number(line.count)
                pairs.append(widgets.arg(self.tr("%1 (%2)"), got, format_number(line.target))
                             if line.target is not None else got)
            pairs += ["– (" + format_number(c) + ")" for c in meter.counts[len(fit.lines):]]
            self.meter.setText(widgets.arg(self.tr("Per line, new (original): %1"), " · ".join(pairs)))
        self.meter.show()

    def _state(self, run: Run) -> str:
        """What the run is doing, in a few words after its verb."""
        text = run.text()
        if run.phase == Phase.STREAMING:
            if run.progress and not text:
                done, total = run.progress
                return widgets.arg(self.tr("reading the draft… %1%"), format_number(int(100 * done / max(total, 1))))
            if run.stopped:
                return self.tr("stopping…")
            if run.current in run.thinking:
                return self.tr("thinking…")  # the model reasons before it answers: its reasoning is folded away
            return self.tr("writing…") if text else self.tr("waiting for the model…")
        if run.phase == Phase.FAILED:
            return run.failure.message if run.failure else self.tr("failed")
        if not text:
            return self.tr("nothing written")
        fin = run.finished.get(run.current)
        ended = self.tr("done (stopped early)") if fin and fin.stats.partial or run.stopped else self.tr("done")
        if fin and fin.stats.tokens_per_s:
            return widgets.arg(self.tr("%1 · %2 tokens/s"), ended, format_number(round(fin.stats.tokens_per_s)))
        return ended
