"""What the middle of the window shows when no draft is open: what Studio is for, and the two ways to start."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget


class EmptyPage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.addStretch(2)
        title = QLabel("<h2>" + self.tr("Nothing open") + "</h2>")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay.addWidget(title)
        hint = QLabel(
            self.tr("Start a screenplay, a song, a poem or a story.")
            + "<br><span style='color:gray'>"
            + self.tr("Ctrl+N new draft · Ctrl+O import a file · Ctrl+Return asks the model to continue")
            + "</span>"
        )
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        hint.setWordWrap(True)  # the stack is as wide as its widest page; this page must not set a minimum
        lay.addWidget(hint)
        row = QWidget()
        rl = QVBoxLayout(row)
        self.new_button = QPushButton(self.tr("New draft…"))
        self.import_button = QPushButton(self.tr("Import a file…"))
        for b in (self.new_button, self.import_button):
            b.setMinimumWidth(200)
            rl.addWidget(b, 0, Qt.AlignmentFlag.AlignHCenter)
        lay.addWidget(row)
        lay.addStretch(3)
