"""The window's menus and keys: every QAction, its shortcuts, when it is enabled, and the keys the editor passes on
(Tab is text to Qt, so an accept has to be caught there).

Editing, finding and zooming act on the editor and the find bar directly. What a run does is asked for in
``*_requested`` signals; every other action is a plain QAction attribute that the window connects to the part
doing the work, so this module knows none of them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtGui import QAction, QActionGroup, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from studio.domain.i18n import QT_TRANSLATE_NOOP
from studio.ui.editor import DraftEditor
from studio.ui.findbar import FindBar
from studio.ui.i18n import LANGUAGE_NAMES
from studio.ui.theme import THEME_MODES

Keys = list[QKeySequence | str] | QKeySequence | QKeySequence.StandardKey | str | None

# Marked here, translated where the menu is built (the language is chosen after import). The domain's marker, not
# PySide6's: it is typed as returning the str it is given.
THEME_NAMES = {
    "system": QT_TRANSLATE_NOOP("WindowActions", "Follow the &system"),
    "light": QT_TRANSLATE_NOOP("WindowActions", "&Light"),
    "dark": QT_TRANSLATE_NOOP("WindowActions", "&Dark"),
}


class WindowActions(QObject):
    continue_requested = Signal()
    rewrite_requested = Signal()
    alternatives_requested = Signal()
    accept_requested = Signal()
    escape_requested = Signal()  # stop or discard a run, else close the find bar, else leave focus mode
    retry_requested = Signal()
    cycle_requested = Signal(int)  # -1: the previous alternative, 1: the next
    match_verse_requested = Signal()  # a new verse to the meter of the one the cursor is in
    theme_mode_requested = Signal(str)
    language_requested = Signal(str)  # "en" / "zh_CN": View > Language

    def __init__(self, window: QMainWindow, editor: DraftEditor, find_bar: FindBar) -> None:
        super().__init__(window)
        self._window = window
        self._find_bar = find_bar
        self._run = False  # a run is there (streaming or waiting for accept/discard)
        self._streaming = False
        self._alternatives = 0
        self._focus_mode = False
        self._verse_form = False  # the open draft is a poem or a song: its form can be checked, its verses matched
        self._build(window, editor, find_bar)
        find_bar.opened.connect(self._update_enabled)
        find_bar.closed.connect(self._update_enabled)
        self._update_enabled()

    def _action(self, menu: QMenu, text: str, slot: Callable[..., Any] | None = None, shortcuts: Keys = None,
                checkable: bool = False) -> QAction:
        act = QAction(text, self._window)
        if shortcuts is not None:
            keys = shortcuts if isinstance(shortcuts, list) else [shortcuts]
            act.setShortcuts([QKeySequence(k) for k in keys])
        act.setCheckable(checkable)
        if slot is not None:
            act.triggered.connect(slot)
        menu.addAction(act)
        self._window.addAction(act)  # shortcuts work while menus are hidden (focus mode)
        return act

    def _build(self, window: QMainWindow, editor: DraftEditor, find_bar: FindBar) -> None:
        mb = window.menuBar()
        m = mb.addMenu(self.tr("&File"))
        self.act_new = self._action(m, self.tr("&New draft…"), shortcuts=QKeySequence.StandardKey.New)
        self.act_import = self._action(m, self.tr("&Import…"), shortcuts=QKeySequence.StandardKey.Open)
        m.addSeparator()
        self.act_export = self._action(m, self.tr("&Export draft…"), shortcuts="Ctrl+E")
        self.act_export_all = self._action(m, self.tr("Export &all drafts…"), shortcuts="Ctrl+Shift+E")
        m.addSeparator()
        self.act_snapshot = self._action(m, self.tr("&Keep a revision now"), shortcuts="Ctrl+Shift+S")
        self.act_revisions = self._action(m, self.tr("&Revisions…"), shortcuts="Ctrl+Shift+H")
        m.addSeparator()
        self.act_quit = self._action(m, self.tr("&Quit"), window.close, QKeySequence.StandardKey.Quit)
        self.act_quit.setShortcuts([QKeySequence("Ctrl+Q")])
        self.act_quit.setMenuRole(QAction.MenuRole.QuitRole)

        m = mb.addMenu(self.tr("&Edit"))
        self.act_undo = self._action(m, self.tr("&Undo"), editor.undo)
        self.act_undo.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)  # the editor's own keys handle it
        self.act_undo.setText(self.tr("&Undo") + "\tCtrl+Z")
        self.act_redo = self._action(m, self.tr("&Redo") + "\tCtrl+Shift+Z", editor.redo)
        m.addSeparator()
        self.act_find = self._action(m, self.tr("&Find…"), lambda: find_bar.open_bar(replace=False),
                                     QKeySequence.StandardKey.Find)
        self.act_replace = self._action(m, self.tr("Find and &replace…"), lambda: find_bar.open_bar(replace=True),
                                        "Ctrl+H")
        self.act_find_next = self._action(m, self.tr("Find &next"), find_bar.find_next,
                                          QKeySequence.StandardKey.FindNext)
        self.act_find_prev = self._action(m, self.tr("Find &previous"), find_bar.find_previous,
                                          QKeySequence.StandardKey.FindPrevious)

        m = mb.addMenu(self.tr("&View"))
        self.act_zoom_in = self._action(m, self.tr("Zoom &in"), lambda: editor.zoom_by(1), ["Ctrl+=", "Ctrl++"])
        self.act_zoom_out = self._action(m, self.tr("Zoom &out"), lambda: editor.zoom_by(-1), "Ctrl+-")
        self.act_zoom_reset = self._action(m, self.tr("&Actual size"), editor.reset_zoom, "Ctrl+0")
        m.addSeparator()
        self.act_focus = self._action(m, self.tr("&Focus mode"), shortcuts=["F11", "Ctrl+Shift+F"], checkable=True)
        self.act_next_pane = self._action(m, self.tr("Next &pane"), shortcuts="F6")
        self.act_search = self._action(m, self.tr("Search drafts"), shortcuts="Ctrl+Shift+O")
        self.act_sidebar = self._action(m, self.tr("&Drafts panel"), shortcuts="Ctrl+1", checkable=True)
        self.act_assistant = self._action(m, self.tr("A&ssistant panel"), shortcuts="Ctrl+2", checkable=True)
        self.act_sidebar.setChecked(True)
        self.act_assistant.setChecked(True)
        # The token view (token_view.py): what the model almost wrote, on hover; off asks the engine for nothing.
        self.act_token_probs = self._action(m, self.tr("Token &probabilities"), checkable=True)
        self.act_token_tint = self._action(m, self.tr("&Tint unlikely tokens"), checkable=True)
        tm = m.addMenu(self.tr("&Theme"))
        self.theme_group = QActionGroup(window)
        self.theme_actions: dict[str, QAction] = {}
        for mode in THEME_MODES:
            act = QAction(self.tr(THEME_NAMES[mode]), window)
            act.setCheckable(True)
            act.triggered.connect(lambda _c=False, mode=mode: self.theme_mode_requested.emit(mode))
            self.theme_group.addAction(act)
            tm.addAction(act)
            self.theme_actions[mode] = act
        self.act_toggle_theme = self._action(m, self.tr("Switch light/dark"), shortcuts="Ctrl+Shift+L")
        lm = m.addMenu(self.tr("&Language"))
        self.language_group = QActionGroup(window)
        self.language_actions: dict[str, QAction] = {}
        for code, name in LANGUAGE_NAMES.items():
            act = QAction(name, window)  # each named in itself, not translated: a writer finds their own
            act.setCheckable(True)
            act.triggered.connect(lambda _c=False, code=code: self.language_requested.emit(code))
            self.language_group.addAction(act)
            lm.addAction(act)
            self.language_actions[code] = act

        m = mb.addMenu(self.tr("&Generate"))
        self.act_continue = self._action(m, self.tr("&Continue"), lambda: self.continue_requested.emit(),
                                         ["Ctrl+Return", "Ctrl+Enter"])
        self.act_rewrite = self._action(m, self.tr("&Rewrite selection"), lambda: self.rewrite_requested.emit(),
                                        ["Ctrl+Shift+Return", "Ctrl+Shift+Enter"])
        self.act_alternatives = self._action(m, self.tr("&Alternatives"), lambda: self.alternatives_requested.emit(),
                                             ["Ctrl+Alt+Return", "Ctrl+Alt+Enter"])
        m.addSeparator()
        # Tab stays with the editor (it is also a character); handle_editor_key sends it here.
        self.act_accept = self._action(m, self.tr("Acc&ept") + "\tTab", lambda: self.accept_requested.emit())
        self.act_escape = self._action(m, self.tr("&Stop / discard"), lambda: self.escape_requested.emit(), "Escape")
        self.act_retry = self._action(m, self.tr("Re&try"), lambda: self.retry_requested.emit(), "Ctrl+R")
        self.act_prev_alt = self._action(m, self.tr("&Previous alternative"), lambda: self.cycle_requested.emit(-1),
                                         "Alt+Left")
        self.act_next_alt = self._action(m, self.tr("&Next alternative"), lambda: self.cycle_requested.emit(1),
                                         "Alt+Right")
        m.addSeparator()
        self.act_match_verse = self._action(m, self.tr("Write a &verse to this meter"),
                                            lambda: self.match_verse_requested.emit(), "Ctrl+Alt+M")
        self.act_check_form = self._action(m, self.tr("Check the &form…"), shortcuts="Ctrl+Shift+K")
        m.addSeparator()
        self.act_preview = self._action(m, self.tr("Show the &context"), shortcuts="F5")
        self.act_lorebook = self._action(m, self.tr("&Lorebook…"), shortcuts="Ctrl+Shift+B")
        self.act_history = self._action(m, self.tr("&History…"), shortcuts="Ctrl+Alt+H")  # Ctrl+Shift+H: revisions

        m = mb.addMenu(self.tr("&Library"))
        self.act_presets = self._action(m, self.tr("&Presets…"))
        self.act_styles = self._action(m, self.tr("&Styles…"))
        m = mb.addMenu(self.tr("&Model"))
        self.act_get_model = self._action(m, self.tr("&Get a model…"))
        self.act_model_settings = self._action(m, self.tr("Model &settings…"), shortcuts="Ctrl+Shift+M")
        self.act_reload_model = self._action(m, self.tr("&Reload model"))
        m.addSeparator()
        self.act_connect_server = self._action(m, self.tr("&Connect to a server…"))
        self.act_local_model = self._action(m, self.tr("Use the &local model"))

    # -- what is enabled and checked -----------------------------------------------------------------------
    def set_run(self, present: bool, streaming: bool, alternatives: int) -> None:
        self._run, self._streaming, self._alternatives = present, streaming, alternatives
        self._update_enabled()

    def set_draft_form(self, form: str | None) -> None:
        """The open draft's form ("poetry", "lyrics"...; None: no draft): the form check and the verse to a meter
        are for poems and songs."""
        self._verse_form = form in ("poetry", "lyrics")
        self._update_enabled()

    @Slot(bool)
    def set_focus_mode(self, on: bool) -> None:
        self._focus_mode = on
        self.act_focus.setChecked(on)
        self._update_enabled()

    @Slot(bool, bool)
    def set_panels(self, sidebar: bool, assistant: bool) -> None:
        self.act_sidebar.setChecked(sidebar)
        self.act_assistant.setChecked(assistant)

    @Slot(str)
    def set_theme_mode(self, mode: str) -> None:
        self.theme_actions.get(mode, self.theme_actions["system"]).setChecked(True)

    @Slot(str)
    def set_language(self, code: str) -> None:
        act = self.language_actions.get(code)
        if act is not None:
            act.setChecked(True)

    @Slot()
    def _update_enabled(self) -> None:
        self.act_accept.setEnabled(self._run)
        self.act_retry.setEnabled(self._run and not self._streaming)
        self.act_prev_alt.setEnabled(self._run and self._alternatives > 1)
        self.act_next_alt.setEnabled(self._run and self._alternatives > 1)
        self.act_check_form.setEnabled(self._verse_form)
        self.act_match_verse.setEnabled(self._verse_form)
        # Escape is only claimed when there is something for it to do, so it still closes popups otherwise.
        self.act_escape.setEnabled(self._run or self._focus_mode or self._find_bar.isVisible())

    # -- keys the editor passes on -------------------------------------------------------------------------
    def handle_editor_key(self, event: QKeyEvent) -> bool:
        """Keys that mean something for a run. The window's shortcuts usually get them first; this catches them
        when a shortcut cannot fire (Tab is text to Qt, so it always comes here)."""
        key, mods = event.key(), event.modifiers()
        mods &= ~Qt.KeyboardModifier.KeypadModifier
        ctrl = Qt.KeyboardModifier.ControlModifier
        shift = Qt.KeyboardModifier.ShiftModifier
        alt = Qt.KeyboardModifier.AltModifier
        if key == Qt.Key.Key_Tab and mods == Qt.KeyboardModifier.NoModifier and self._run:
            self.accept_requested.emit()
            return True
        if key == Qt.Key.Key_Escape:
            self.escape_requested.emit()
            return True
        if self._run and mods == alt and key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            self.cycle_requested.emit(-1 if key == Qt.Key.Key_Left else 1)
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if mods == ctrl:
                self.continue_requested.emit()
                return True
            if mods == ctrl | shift:
                self.rewrite_requested.emit()
                return True
            if mods == ctrl | alt:
                self.alternatives_requested.emit()
                return True
        if key == Qt.Key.Key_R and mods == ctrl and self._run:
            self.retry_requested.emit()
            return True
        return False
