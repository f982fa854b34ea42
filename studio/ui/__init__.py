"""The desktop window (PySide6). Only this package and studio.app import Qt.

``launch`` runs the window over an opened ``Services``, in the writer's language (the "language" setting, else
the system locale); ``show_startup_error`` reports a problem that stops the
window from opening (a database that cannot be opened, another window holding the data folder).
"""

from __future__ import annotations

import logging
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from PySide6.QtWidgets import QApplication

    from studio.services import Services
    from studio.services.generation import ServerChoice
    from studio.ui.i18n import Translations

log = logging.getLogger(__name__)

APP_NAME = "Studio"


def _application(argv: list[str] | None = None) -> QApplication:
    from PySide6.QtWidgets import QApplication

    from studio.ui.qtcompat import protect_singletons

    protect_singletons()  # before the event loop makes its first million calls into the bindings
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    if existing is not None:  # a QCoreApplication (no widgets possible) made by someone else in this process
        raise RuntimeError("A non-GUI Qt application already exists in this process; the window cannot open.")
    app = QApplication(list(argv) if argv is not None else sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setDesktopFileName("studio")
    from PySide6.QtGui import QIcon

    from studio.paths import resources_dir

    icon = resources_dir() / "icons" / "studio.svg"
    if icon.is_file():
        app.setWindowIcon(QIcon(str(icon)))
    return app


def launch(services: Services, *, model: str | None = None, server: ServerChoice | None = None,
           argv: list[str] | None = None) -> int:
    """Create the application (if needed) and the window, run the event loop, return its exit code.

    The window starts its engine thread and loads the model (or connects to ``server``, the command line's) in
    the background, so it appears at once.
    """
    from studio.ui.main_window import MainWindow

    app = _application(argv)
    translations = install_language(app, services)  # before the window: widgets read their texts when made
    window = MainWindow(services, model=model, server=server)
    window.show()
    # Quitting the application by any route (Ctrl+Q, the window manager, a logout) saves and stops the thread.
    app.aboutToQuit.connect(window.shutdown)
    try:
        code = int(app.exec())
    finally:
        window.shutdown()
    log.info("window closed (exit code %s, language %s)", code, translations.language)
    return code


def install_language(app: QApplication, services: Services, directory: Path | None = None) -> Translations:
    """Install the translations for the writer's language (View > Language), else the system locale's
    (``directory``: where Studio's compiled translations are, by default resources/i18n)."""
    from studio.domain import StudioError
    from studio.ui import i18n

    try:
        setting = services.library.setting(i18n.SETTING, None)
    except StudioError as exc:  # an unreadable setting: the system locale decides, as without one
        log.warning("reading the language setting failed: %s", exc)
        setting = None
    return i18n.install_translations(app, setting if isinstance(setting, str) else None, directory=directory)


def show_startup_error(title: str, message: str, details: str = "") -> None:
    """A modal message box for problems before the window exists (the database cannot be opened...)."""
    from PySide6.QtWidgets import QMessageBox

    _application()
    box = QMessageBox(QMessageBox.Icon.Critical, title, message)
    if details:
        box.setDetailedText(details)
    box.exec()


__all__ = ["install_language", "launch", "show_startup_error"]
