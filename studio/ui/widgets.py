"""Small builders for the widgets every bar and dialog makes the same way: a button wired to what it does, a field
labelled for screen readers, a text to read, a row of buttons, a single-shot timer. A widget and its wiring are then
made in one place, so a new button cannot be shown without the slot it stands for.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Generic, TypeVar

from PySide6.QtCore import QObject, QTimer, SignalInstance
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLineEdit, QPlainTextEdit, QPushButton, QToolButton, QWidget

Slot0 = Callable[[], object] | SignalInstance  # what a signal without arguments is connected to

_D = TypeVar("_D", bound=QDialog)

STRETCH = None  # in a row(): the free space goes here

_ARG = re.compile(r"%([1-9][0-9]?)")


def arg(text: str, *values: object) -> str:
    """A translated text with its ``%1``, ``%2``... filled in, as Qt's QString.arg (which PySide6 lacks) does.

    One pass over the text: a value that itself holds "%2" (a file name, a server's message) stays as it is, and a
    translation may put the placeholders in any order. A placeholder without a value is left showing.
    """
    def value(m: re.Match[str]) -> str:
        i = int(m.group(1))
        return str(values[i - 1]) if i <= len(values) else m.group(0)

    return _ARG.sub(value, text)


def push_button(text: str, clicked: Slot0 | None = None, *, tip: str = "") -> QPushButton:
    button = QPushButton(text)
    if tip:
        button.setToolTip(tip)
    if clicked is not None:
        button.clicked.connect(clicked)
    return button


def tool_button(text: str, tip: str, clicked: Slot0) -> QToolButton:
    """A small icon-like button: its text is a symbol, so the tooltip says what it does (and its key)."""
    button = QToolButton()
    button.setText(text)
    button.setToolTip(tip)
    button.clicked.connect(clicked)
    return button


def field(name: str) -> QLineEdit:
    """A line edit whose placeholder is its only label, so a screen reader is given the same words."""
    edit = QLineEdit()
    edit.setPlaceholderText(name)
    edit.setAccessibleName(name)
    return edit


def read_only_text(name: str, placeholder: str = "") -> QPlainTextEdit:
    """A text the writer reads and copies from but does not type in (an answer, a prompt, an output), named for
    screen readers; ``placeholder`` says what appears there."""
    text = QPlainTextEdit()
    text.setReadOnly(True)
    text.setAccessibleName(name)
    if placeholder:
        text.setPlaceholderText(placeholder)
    return text


def row(*items: QWidget | None) -> QHBoxLayout:
    """The widgets side by side, left to right; a ``STRETCH`` among them takes the free space."""
    lay = QHBoxLayout()
    for item in items:
        if item is STRETCH:
            lay.addStretch(1)
        else:
            lay.addWidget(item)
    return lay


def single_shot_timer(parent: QObject, interval_ms: int, timeout: Slot0) -> QTimer:
    """A timer that fires once, ``interval_ms`` after its last ``start()``: for work worth doing only once a burst
    of events (keystrokes, tokens, caret moves) has passed."""
    timer = QTimer(parent)
    timer.setSingleShot(True)
    timer.setInterval(interval_ms)
    timer.timeout.connect(timeout)
    return timer


class OneDialog(Generic[_D]):
    """A window's one dialog of a kind, opened without blocking: asking again brings the open one to the front,
    and once it is closed it is deleted (a closed dialog kept would hold its part of the window's state)."""

    def __init__(self) -> None:
        self.current: _D | None = None  # the open one

    def open(self, make: Callable[[], _D]) -> _D:
        """The open dialog, or a new one from ``make`` (which wires it), opened."""
        if self.current is not None:
            self.current.raise_()
            return self.current
        dlg = self.current = make()
        dlg.finished.connect(self._on_finished)
        dlg.open()
        return dlg

    def _on_finished(self, _result: int) -> None:
        if self.current is not None:
            self.current.deleteLater()
        self.current = None
