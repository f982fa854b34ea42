"""Dialogs for errors and questions, in one place so every message reads the same (and tests can record them).

Everything goes through QMessageBox's static functions, which tests replace to record instead of blocking.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtWidgets import QMessageBox, QWidget

from studio.domain import StudioError
from studio.ui import i18n

log = logging.getLogger(__name__)


def error_text(error: BaseException | str) -> str:
    """What the writer reads of an error, in the window's language: a StudioError's message (and hint) translated
    (i18n.error_text); anything else is a bug, named by its type; a text from below the window translated if it
    is a ``Msg``."""
    if isinstance(error, StudioError):
        return i18n.error_text(error)
    if isinstance(error, BaseException):
        return f"{type(error).__name__}: {error}"
    return i18n.shown(error)


def show_error(parent: QWidget | None, title: str, error: BaseException | str) -> None:
    text = error_text(error)
    log.info("showing error %r: %s", title, text)
    QMessageBox.warning(parent, title, text)


class Attempt:
    """What ``reported`` yields: after the block, ``failed`` says whether it stopped on an error the writer saw."""

    failed = False


@contextmanager
def reported(parent: QWidget | None, title: str) -> Iterator[Attempt]:
    """Run the block; a ``StudioError`` it raises is shown to the writer under ``title`` and goes no further.

    Anything else is a bug and propagates (to the excepthook). Code after the block checks ``failed``::

        with messages.reported(self, "The draft could not be renamed") as attempt:
            renamed = drafts.rename(draft_id, title)
        if attempt.failed:
            return
    """
    attempt = Attempt()
    try:
        yield attempt
    except StudioError as exc:
        attempt.failed = True
        show_error(parent, title, exc)


def inform(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.information(parent, title, text)


def ask(parent: QWidget | None, title: str, text: str, *, default_yes: bool = True) -> bool:
    buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
    default = QMessageBox.StandardButton.Yes if default_yes else QMessageBox.StandardButton.No
    return QMessageBox.question(parent, title, text, buttons, default) == QMessageBox.StandardButton.Yes
