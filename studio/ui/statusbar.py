"""The status bar: the model and what it is doing, the speed of the last run, the draft's length (字 for Chinese,
words for the rest, both when a draft mixes them), and whether it is saved."""

from __future__ import annotations

from enum import Enum

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from studio.domain.counts import TextCounts
from studio.domain.i18n import QT_TRANSLATE_NOOP
from studio.ui import widgets

_CONTEXT = "StudioStatusBar"


# The values are the English texts, marked for translation here and translated where shown (the language is
# chosen after import).
class ModelState(Enum):
    NONE = QT_TRANSLATE_NOOP("StudioStatusBar", "no model")
    LOADING = QT_TRANSLATE_NOOP("StudioStatusBar", "loading…")
    READY = QT_TRANSLATE_NOOP("StudioStatusBar", "ready")
    GENERATING = QT_TRANSLATE_NOOP("StudioStatusBar", "generating…")
    ERROR = QT_TRANSLATE_NOOP("StudioStatusBar", "error")

    def text(self) -> str:
        return QCoreApplication.translate(_CONTEXT, self.value)


class SaveState(Enum):
    SAVED = QT_TRANSLATE_NOOP("StudioStatusBar", "Saved")
    SAVING = QT_TRANSLATE_NOOP("StudioStatusBar", "Saving…")
    UNSAVED = QT_TRANSLATE_NOOP("StudioStatusBar", "Unsaved")
    FAILED = QT_TRANSLATE_NOOP("StudioStatusBar", "Not saved")
    NONE = ""

    def text(self) -> str:
        return QCoreApplication.translate(_CONTEXT, self.value) if self.value else ""


class StudioStatusBar(QStatusBar):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model_label = QLabel("")
        self.model_label.setAccessibleName(self.tr("Model"))
        self.speed_label = QLabel("")
        self.speed_label.setAccessibleName(self.tr("Speed of the last run"))
        self.words_label = QLabel("")
        self.words_label.setAccessibleName(self.tr("Length"))
        self.save_label = QLabel("")
        self.save_label.setAccessibleName(self.tr("Save state"))
        # Permanent (a passing message never covers it): while a server is in use, the writer always sees that
        # what is sent for generation leaves the computer.
        self.remote_label = QLabel("")
        self.remote_label.setAccessibleName(self.tr("Where text goes"))
        self.remote_label.hide()
        for w in (self.remote_label, self.model_label, self.speed_label, self.words_label, self.save_label):
            self.addPermanentWidget(w)
        self.model_name = ""
        self.model_state = ModelState.NONE
        self.save_state = SaveState.NONE
        self.words = 0
        self.counts = TextCounts(0, 0)
        self.set_model("", ModelState.NONE)
        self.set_counts(self.counts)

    def set_model(self, name: str | None, state: ModelState, detail: str = "") -> None:
        if name is not None:
            self.model_name = name
        self.model_state = state
        who = self.model_name or self.tr("Model")
        self.model_label.setText(widgets.arg(self.tr("%1: %2"), who, state.text()))
        self.model_label.setToolTip(detail or who)

    def set_remote(self, hint: str) -> None:
        """The "text leaves this computer" hint while a server is in use; "" hides it."""
        self.remote_label.setText(hint)
        self.remote_label.setVisible(bool(hint))

    def set_speed(self, tokens_per_s: float) -> None:
        n = round(tokens_per_s)
        self.speed_label.setText(self.tr("%Ln tokens/s", "", n) if tokens_per_s > 0 else "")

    def set_words(self, n: int) -> None:
        """A length known only as a total (a draft's stored count, before the editor has counted it)."""
        self.set_counts(TextCounts(han=0, words=n))

    def set_counts(self, counts: TextCounts) -> None:
        self.counts = counts
        self.words = counts.total
        self.words_label.setText(self.counts_text(counts))

    def counts_text(self, counts: TextCounts) -> str:
        """What TextCounts.label says, through Qt's translation: only the kinds the text has, both when mixed."""
        if not counts.total:
            # Disambiguated: an empty draft is counted in the window language's own unit (0 字 in Chinese).
            return self.tr("%Ln words", "an empty draft", 0)
        parts = []
        if counts.han:
            h = counts.han
            one = h == 1
            parts.append(self.tr("%Ln Chinese character", "", h) if one else self.tr("%Ln Chinese characters", "", h))
        if counts.words:
            w = counts.words
            parts.append(self.tr("%Ln word", "", w) if w == 1 else self.tr("%Ln words", "", w))
        return widgets.arg(self.tr("%1 · %2"), parts[0], parts[1]) if len(parts) == 2 else parts[0]

    def set_save_state(self, state: SaveState, detail: str = "") -> None:
        self.save_state = state
        self.save_label.setText(state.text())
        self.save_label.setToolTip(detail)
