"""How the window looks and what it remembers between runs: geometry, the panels and their widths, theme, zoom,
focus mode, and the draft that was open.

It is all kept in the settings table (the same store as everything else, so --data-dir moves it too).
"""

from __future__ import annotations

import base64
import logging

from PySide6.QtCore import QByteArray, QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QMainWindow, QSplitter

from studio.ui.assistant import AssistantPanel
from studio.ui.editor import DEFAULT_POINT_SIZE, DraftEditor
from studio.ui.sidebar import DraftsPanel
from studio.ui.stored_settings import StoredSettings
from studio.ui.theme import ThemeManager

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
        sidebar: DraftsPanel,
        editor: DraftEditor,
        assistant: AssistantPanel,
        themes: ThemeManager,
        settings: StoredSettings,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._splitter = splitter
        self._sidebar = sidebar
        self._editor = editor
        self._assistant = assistant
        self._themes = themes
        self._settings = settings
        self._focus_mode = False
        self._splitter_before_focus: list[int] | None = None
        self._sidebar_wanted = True
        self._assistant_wanted = True
        editor.zoom_changed.connect(self._on_zoom_changed)

    # -- between runs --------------------------------------------------------------------------------------
    def restore(self) -> None:
        self._themes.set_mode(str(self._settings.get(KEY_THEME, "system") or "system"))
        self.theme_mode_changed.emit(self._themes.mode)
        geometry = self._settings.get(KEY_GEOMETRY)
        if isinstance(geometry, str) and geometry:
            try:
                self._window.restoreGeometry(QByteArray(base64.b64decode(geometry)))
            except (ValueError, TypeError):
                log.info("stored window geometry ignored")
        sizes = self._settings.get(KEY_SPLITTER)
        if isinstance(sizes, list) and len(sizes) == 3 and all(isinstance(s, int) for s in sizes):
            self._splitter.setSizes(sizes)
            self._sidebar_wanted, self._assistant_wanted = sizes[0] > 0, sizes[2] > 0
            self.panels_changed.emit(self._sidebar_wanted, self._assistant_wanted)
        zoom = self._settings.get(KEY_ZOOM, DEFAULT_POINT_SIZE)
        self._editor.set_point_size(int(zoom) if isinstance(zoom, int | float) else DEFAULT_POINT_SIZE)

    def save(self, open_draft: int | None) -> None:
        self._settings.set(KEY_GEOMETRY, base64.b64encode(bytes(self._window.saveGeometry().data())).decode("ascii"))
        sizes = self._splitter.sizes()
        if self._focus_mode and self._splitter_before_focus:
            sizes = self._splitter_before_focus  # the panels as they were, not hidden
        self._settings.set(KEY_SPLITTER, [int(s) for s in sizes])
        self._settings.set(KEY_THEME, self._themes.mode)
        self._settings.set(KEY_ZOOM, self._editor.point_size)
        self._settings.set(KEY_LAST_DRAFT, open_draft)

    def last_draft(self) -> int | None:
        last = self._settings.get(KEY_LAST_DRAFT)
        return last if isinstance(last, int) else None

    def remember_draft(self, draft_id: int) -> None:
        self._settings.set(KEY_LAST_DRAFT, draft_id)

    # -- theme ---------------------------------------------------------------------------------------------
    def set_theme_mode(self, mode: str) -> None:
        self._themes.set_mode(mode)
        self.theme_mode_changed.emit(self._themes.mode)
        self._settings.set(KEY_THEME, self._themes.mode)

    @Slot()
    def toggle_theme(self) -> None:
        self.set_theme_mode("light" if self._themes.theme.dark else "dark")

    # -- panels and focus ----------------------------------------------------------------------------------
    @property
    def focus_mode(self) -> bool:
        return self._focus_mode

    @Slot()
    def toggle_focus_mode(self) -> None:
        self._focus_mode = not self._focus_mode
        if self._focus_mode:
            self._splitter_before_focus = self._splitter.sizes()
            self._sidebar.hide()
            self._assistant.hide()
            self._window.menuBar().hide()
            self.message.emit("Focus mode: Escape or F11 to leave.", 4000)
        else:
            self._sidebar.setVisible(self._sidebar_wanted)
            self._assistant.setVisible(self._assistant_wanted)
            self._window.menuBar().show()
            if self._splitter_before_focus:
                self._splitter.setSizes(self._splitter_before_focus)
        self._editor.setFocus()
        self.focus_mode_changed.emit(self._focus_mode)

    @Slot(bool)
    def show_sidebar(self, shown: bool) -> None:
        self._sidebar_wanted = shown
        self._sidebar.setVisible(shown)

    @Slot(bool)
    def show_assistant(self, shown: bool) -> None:
        self._assistant_wanted = shown
        self._assistant.setVisible(shown)

    @Slot()
    def focus_next_pane(self) -> None:
        """F6: drafts list, editor, notes, in turn (only the panes that are shown)."""
        panes = [w for w in (self._sidebar.view, self._editor, self._assistant.notes) if w.isVisible()]
        if not panes:
            return
        current = next((i for i, w in enumerate(panes) if w.hasFocus()), -1)
        panes[(current + 1) % len(panes)].setFocus(Qt.FocusReason.TabFocusReason)

    @Slot()
    def focus_search(self) -> None:
        if not self._sidebar.isVisible():
            self._sidebar_wanted = True
            self.panels_changed.emit(self._sidebar_wanted, self._assistant_wanted)
            self._sidebar.show()
        self._sidebar.search.setFocus()
        self._sidebar.search.selectAll()

    @Slot(int)
    def _on_zoom_changed(self, size: int) -> None:
        self.message.emit(f"Zoom: {size} pt", 1500)
