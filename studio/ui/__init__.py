"""The desktop window (PySide6). Only this package and studio.app import Qt.

``launch`` runs the window over an opened ``Services``; ``show_startup_error`` reports a problem that stops the
window from opening (a database that cannot be opened, another window holding the data folder).
"""

from __future__ import annotations

import logging
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from studio.services import Services
    from studio.services.generation import ServerChoice

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
    window = MainWindow(services, model=model, server=server)
    window.show()
    # Quitting the application by any route (Ctrl+Q, the window manager, a logout) saves and stops the thread.
    app.aboutToQuit.connect(window.shutdown)
    try:
        code = int(app.exec())
    finally:
        window.shutdown()
    log.info("window closed (exit code %s)", code)
    return code


def show_startup_error(title: str, message: str, details: str = "") -> None:
    """A modal message box for problems before the window exists (the database cannot be opened...)."""
    from PySide6.QtWidgets import QMessageBox

    _application()
    box = QMessageBox(QMessageBox.Icon.Critical, title, message)
    if details:
        box.setDetailedText(details)
    box.exec()


__all__ = ["launch", "show_startup_error"]
