"""The status bar: the model and what it is doing, the speed of the last run, words, and whether it is saved."""

from __future__ import annotations

from enum import Enum

from PySide6.QtWidgets import QLabel, QStatusBar, QWidget


class ModelState(Enum):
    NONE = "no model"
    LOADING = "loading…"
    READY = "ready"
    GENERATING = "generating…"
    ERROR = "error"


class SaveState(Enum):
    SAVED = "Saved"
    SAVING = "Saving…"
    UNSAVED = "Unsaved"
    FAILED = "Not saved"
    NONE = ""


class StudioStatusBar(QStatusBar):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model_label = QLabel("")
        self.model_label.setAccessibleName("Model")
        self.speed_label = QLabel("")
        self.speed_label.setAccessibleName("Speed of the last run")
        self.words_label = QLabel("")
        self.words_label.setAccessibleName("Words")
        self.save_label = QLabel("")
        self.save_label.setAccessibleName("Save state")
        # Permanent (a passing message never covers it): while a server is in use, the writer always sees that
        # what is sent for generation leaves the computer.
        self.remote_label = QLabel("")
        self.remote_label.setAccessibleName("Where text goes")
        self.remote_label.hide()
        for w in (self.remote_label, self.model_label, self.speed_label, self.words_label, self.save_label):
            self.addPermanentWidget(w)
        self.model_name = ""
        self.model_state = ModelState.NONE
        self.save_state = SaveState.NONE
        self.words = 0
        self.set_model("", ModelState.NONE)

    def set_model(self, name: str | None, state: ModelState, detail: str = "") -> None:
        if name is not None:
            self.model_name = name
        self.model_state = state
        who = self.model_name or "Model"
        self.model_label.setText(f"{who}: {state.value}")
        self.model_label.setToolTip(detail or who)

    def set_remote(self, hint: str) -> None:
        """The "text leaves this computer" hint while a server is in use; "" hides it."""
        self.remote_label.setText(hint)
        self.remote_label.setVisible(bool(hint))

    def set_speed(self, tokens_per_s: float) -> None:
        self.speed_label.setText(f"{tokens_per_s:.0f} tokens/s" if tokens_per_s > 0 else "")

    def set_words(self, n: int) -> None:
        self.words = n
        self.words_label.setText(f"{n:,} word{'s' if n != 1 else ''}")

    def set_save_state(self, state: SaveState, detail: str = "") -> None:
        self.save_state = state
        self.save_label.setText(state.value)
        self.save_label.setToolTip(detail)
