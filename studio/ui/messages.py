"""Dialogs for errors and questions, in one place so every message reads the same (and tests can record them).

Everything goes through QMessageBox's static functions, which tests replace to record instead of blocking.
"""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QMessageBox, QWidget

from studio.domain import StudioError

log = logging.getLogger(__name__)


def error_text(error: BaseException | str) -> str:
    if isinstance(error, StudioError):
        return str(error)
    if isinstance(error, BaseException):
        return f"{type(error).__name__}: {error}"
    return str(error)


def show_error(parent: QWidget | None, title: str, error: BaseException | str) -> None:
    text = error_text(error)
    log.info("showing error %r: %s", title, text)
    QMessageBox.warning(parent, title, text)


def ask(parent: QWidget | None, title: str, text: str, *, default_yes: bool = True) -> bool:
    buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
    default = QMessageBox.StandardButton.Yes if default_yes else QMessageBox.StandardButton.No
    return QMessageBox.question(parent, title, text, buttons, default) == QMessageBox.StandardButton.Yes
