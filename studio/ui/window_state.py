"""How the window looks and what it remembers between runs: geometry, the panels and their widths, theme, zoom,
focus mode, and the draft that was open.

It is all kept in the settings table (the same store as everything else, so --data-dir moves it too).
"""

from __future__ import annotations

import base64
import logging

from PySide6.QtCore import QByteArray, QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QMainWindow, QSplitter

from studio.ui import widgets
from studio.ui.editor import DEFAULT_POINT_SIZE
from studio.ui.parts import WindowParts

log = logging.getLogger(__name__)

KEY_GEOMETRY = "ui.geometry"
KEY_SPLITTER = "ui.splitter"
KEY_THEME = "ui.theme"
KEY_LAST_DRAFT = "ui.last_draft"
KEY_ZOOM = "ui.zoom"


class WindowState(QObject):
    focus_mode_changed = Signal(bool)
    theme_mode_changed = Signal(str)  # "system", "light" or "dark"
    panels_changed = Signal(bool, bool)  # whether the drafts panel and the assistant are wanted (outside focus mode)
    message = Signal(str, int)  # for the status bar, with how long to show it (ms)

    def __init__(
        self,
        window: QMainWindow,
        splitter: QSplitter,
        parts: WindowParts,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._splitter = splitter
        self._parts = parts
        self._focus_mode = False
        self._splitter_before_focus: list[int] | None = None
        self._sidebar_wanted = True
        self._assistant_wanted = True
        parts.editor.zoom_changed.connect(self._on_zoom_changed)

    # -- between runs --------------------------------------------------------------------------------------
    def restore(self) -> None:
        self._parts.themes.set_mode(str(self._parts.settings.get(KEY_THEME, "system") or "system"))
        self.theme_mode_changed.emit(self._parts.themes.mode)
        geometry = self._parts.settings.get(KEY_GEOMETRY)
        if isinstance(geometry, str) and geometry:
            try:
                self._window.restoreGeometry(QByteArray(base64.b64decode(geometry)))
            except (ValueError, TypeError):
                log.info("stored window geometry ignored")
        sizes = self._parts.settings.get(KEY_SPLITTER)
        if isinstance(sizes, list) and len(sizes) == 3 and all(isinstance(s, int) for s in sizes):
            self._splitter.setSizes(sizes)
            self._sidebar_wanted, self._assistant_wanted = sizes[0] > 0, sizes[2] > 0
            self.panels_changed.emit(self._sidebar_wanted, self._assistant_wanted)
        zoom = self._parts.settings.get(KEY_ZOOM, DEFAULT_POINT_SIZE)
        self._parts.editor.set_point_size(int(zoom) if isinstance(zoom, int | float) else DEFAULT_POINT_SIZE)

    def save(self, open_draft: int | None) -> None:
        geometry = base64.b64encode(bytes(self._window.saveGeometry().data())).decode("ascii")
        self._parts.settings.set(KEY_GEOMETRY, geometry)
        sizes = self._splitter.sizes()
        if self._focus_mode and self._splitter_before_focus:
            sizes = self._splitter_before_focus  # the panels as they were, not hidden
        self._parts.settings.set(KEY_SPLITTER, [int(s) for s in sizes])
        self._parts.settings.set(KEY_THEME, self._parts.themes.mode)
        self._parts.settings.set(KEY_ZOOM, self._parts.editor.point_size)
        self._parts.settings.set(KEY_LAST_DRAFT, open_draft)

    def last_draft(self) -> int | None:
        last = self._parts.settings.get(KEY_LAST_DRAFT)
        return last if isinstance(last, int) else None

    def remember_draft(self, draft_id: int) -> None:
        self._parts.settings.set(KEY_LAST_DRAFT, draft_id)

    # -- theme ---------------------------------------------------------------------------------------------
    def set_theme_mode(self, mode: str) -> None:
        self._parts.themes.set_mode(mode)
        self.theme_mode_changed.emit(self._parts.themes.mode)
        self._parts.settings.set(KEY_THEME, self._parts.themes.mode)

    @Slot()
    def toggle_theme(self) -> None:
        self.set_theme_mode("light" if self._parts.themes.theme.dark else "dark")

    # -- panels and focus ----------------------------------------------------------------------------------
    @property
    def focus_mode(self) -> bool:
        return self._focus_mode

    @Slot()
    def toggle_focus_mode(self) -> None:
        self._focus_mode = not self._focus_mode
        if self._focus_mode:
            self._splitter_before_focus = self._splitter.sizes()
            self._parts.sidebar.hide()
            self._parts.assistant.hide()
            self._window.menuBar().hide()
            self.message.emit(self.tr("Focus mode: Escape or F11 to leave."), 4000)
        else:
            self._parts.sidebar.setVisible(self._sidebar_wanted)
            self._parts.assistant.setVisible(self._assistant_wanted)
            self._window.menuBar().show()
            if self._splitter_before_focus:
                self._splitter.setSizes(self._splitter_before_focus)
        self._parts.editor.setFocus()
        self.focus_mode_changed.emit(self._focus_mode)

    @Slot(bool)
    def show_sidebar(self, shown: bool) -> None:
        self._sidebar_wanted = shown
        self._parts.sidebar.setVisible(shown)

    @Slot(bool)
    def show_assistant(self, shown: bool) -> None:
        self._assistant_wanted = shown
        self._parts.assistant.setVisible(shown)

    @Slot()
    def focus_next_pane(self) -> None:
        """F6: drafts list, editor, notes, in turn (only the panes that are shown)."""
        ui = self._parts
        panes = [w for w in (ui.sidebar.view, ui.editor, ui.assistant.notes) if w.isVisible()]
        if not panes:
            return
        current = next((i for i, w in enumerate(panes) if w.hasFocus()), -1)
        panes[(current + 1) % len(panes)].setFocus(Qt.FocusReason.TabFocusReason)

    @Slot()
    def focus_search(self) -> None:
        if not self._parts.sidebar.isVisible():
            self._sidebar_wanted = True
            self.panels_changed.emit(self._sidebar_wanted, self._assistant_wanted)
            self._parts.sidebar.show()
        self._parts.sidebar.search.setFocus()
        self._parts.sidebar.search.selectAll()

    @Slot(int)
    def _on_zoom_changed(self, size: int) -> None:
        self.message.emit(widgets.arg(self.tr("Zoom: %1 pt"), size), 1500)
