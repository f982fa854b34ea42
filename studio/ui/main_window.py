"""The main window: drafts on the left, the editor in the middle, the assistant on the right.

It owns the engine thread (EngineHost) and shuts it down in order on close, saves the draft after typing pauses
(and on switching drafts, losing focus and closing), and keeps window state in the settings table.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from studio.domain import (
    Action,
    Draft,
    ModelInfo,
)
from studio.ui import messages
from studio.ui.assistant import AssistantPanel
from studio.ui.context_preview import ContextPreview
from studio.ui.dialogs import ModelSettingsDialog
from studio.ui.draft_commands import DraftCommands
from studio.ui.draft_session import DraftSession
from studio.ui.editor import DraftEditor
from studio.ui.findbar import FindBar
from studio.ui.generation import GenerationController, RequestInputs
from studio.ui.library_controller import LibraryController
from studio.ui.model_controller import ModelController
from studio.ui.proposal_bar import ProposalBar
from studio.ui.qtcompat import protect_singletons
from studio.ui.sidebar import DraftsPanel
from studio.ui.statusbar import SaveState, StudioStatusBar
from studio.ui.stored_settings import StoredSettings
from studio.ui.theme import THEME_MODES, Theme, ThemeManager
from studio.ui.window_state import WindowState
from studio.ui.worker import EngineHost, Runner

log = logging.getLogger(__name__)

# Window state kept in the settings table (the same store as everything else, so --data-dir moves it too).



class MainWindow(QMainWindow):
    draft_opened = Signal(int)
    draft_saved = Signal(int)  # the text the editor shows (and the notes) are on disk now
    model_ready = Signal(object)  # ModelInfo
    model_failed = Signal(object)  # Failure
    preview_shown = Signal()

    def __init__(
        self,
        services: Any,
        runner_factory: Callable[[], Runner] | None = None,
        model: str | None = None,
        *,
        load_model: bool = True,
    ) -> None:
        protect_singletons()  # see qtcompat: a window built without launch() (tests, scripts) needs it too
        super().__init__()
        self.services = services
        self.setWindowTitle("Studio")
        self.resize(1280, 800)
        self._closed = False

        self.theme_manager = ThemeManager(self)
        self.host = EngineHost(runner_factory or services.new_model_runner, self)
        self.settings = StoredSettings(services.library)
        self.model = ModelController(self.host, self.settings, self, model)

        # -- widgets ---------------------------------------------------------------------------------------
        self.sidebar = DraftsPanel(services)
        self.editor = DraftEditor()
        self.editor.key_handler = self._handle_editor_key
        self.find_bar = FindBar(self.editor)
        self.assistant = AssistantPanel()
        self.session = DraftSession(services.drafts, self.editor, self.assistant, self)
        self.saver = self.session.saver
        session = self.session
        self.commands = DraftCommands(services.drafts, self.sidebar, self.editor, self.theme_manager,
                                      lambda: session.draft, session.save_now, self)
        c = self.commands
        # The window's own verbs (launch, tests, scripts), each done by a part.
        self.create_draft = c.create_draft
        self.new_draft = c.new_draft
        self.import_files = c.import_files
        self.export_current = c.export_current
        self.export_all = c.export_all
        self.keep_revision = c.keep_revision
        self.show_revisions = c.show_revisions
        self.load_model = self.model.load
        self.model_settings = self.model.stored_choice
        self.open_model_settings = self.model.open_settings
        self.generation = GenerationController(self.host, self.editor, services, self._request_inputs, self)
        self.proposal = ProposalBar(self.generation, self.theme_manager.theme)
        self.preview = ContextPreview(self.host, self.saver, self.assistant, self.generation.build_preview_request,
                                      self)
        self.refresh_preview = self.preview.refresh

        editor_column = QWidget()
        col = QVBoxLayout(editor_column)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(0)
        col.addWidget(self.editor, 1)
        col.addWidget(self.proposal)
        col.addWidget(self.find_bar)

        self.stack = QStackedWidget()
        self.stack.addWidget(self._build_empty_page())
        self.stack.addWidget(editor_column)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.sidebar)
        self.splitter.addWidget(self.stack)
        self.splitter.addWidget(self.assistant)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setStretchFactor(2, 0)
        self.splitter.setSizes([250, 760, 300])
        self.splitter.setChildrenCollapsible(True)
        self.setCentralWidget(self.splitter)

        self.status = StudioStatusBar()
        self.setStatusBar(self.status)
        self.library = LibraryController(services.library, self.assistant, self.settings, self)
        self.edit_presets = self.library.edit_presets
        self.edit_styles = self.library.edit_styles
        self.window_state = WindowState(self, self.splitter, self.sidebar, self.editor, self.assistant,
                                        self.theme_manager, self.settings)
        ws = self.window_state
        self.set_theme_mode = ws.set_theme_mode
        self.toggle_theme = ws.toggle_theme
        self.toggle_focus_mode = ws.toggle_focus_mode

        self._build_actions()
        self._connect()
        self.theme_manager.theme_changed.connect(self._on_theme_changed)
        self.window_state.restore()
        self.library.restore_choices()
        self.library.reload()
        self.sidebar.refresh()
        self._open_initial_draft()
        if load_model:
            self.load_model()

    # ==================================================================================== building the window
    def _build_empty_page(self) -> QWidget:
        page = QWidget()
        lay = QVBoxLayout(page)
        lay.addStretch(2)
        title = QLabel("<h2>Nothing open</h2>")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay.addWidget(title)
        hint = QLabel(
            "Start a screenplay, a song, a poem or a story.<br>"
            "<span style='color:gray'>Ctrl+N new draft · Ctrl+O import a file · Ctrl+Return asks the model "
            "to continue</span>"
        )
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        hint.setWordWrap(True)  # the stack is as wide as its widest page; this page must not set a minimum
        lay.addWidget(hint)
        row = QWidget()
        rl = QVBoxLayout(row)
        self.empty_new = QPushButton("New draft…")
        self.empty_import = QPushButton("Import a file…")
        for b in (self.empty_new, self.empty_import):
            b.setMinimumWidth(200)
            rl.addWidget(b, 0, Qt.AlignmentFlag.AlignHCenter)
        lay.addWidget(row)
        lay.addStretch(3)
        return page

    def _action(
        self,
        menu: Any,
        text: str,
        slot: Callable[..., Any],
        shortcuts: list[QKeySequence | str] | QKeySequence | QKeySequence.StandardKey | str | None = None,
        tip: str = "",
        checkable: bool = False,
    ) -> QAction:
        act = QAction(text, self)
        if shortcuts is not None:
            keys = shortcuts if isinstance(shortcuts, list) else [shortcuts]
            act.setShortcuts([QKeySequence(k) for k in keys])
        if tip:
            act.setStatusTip(tip)
        act.setCheckable(checkable)
        act.triggered.connect(slot)
        menu.addAction(act)
        self.addAction(act)  # shortcuts work while menus are hidden (focus mode)
        return act

    def _build_actions(self) -> None:
        ws = self.window_state
        mb = self.menuBar()
        m = mb.addMenu("&File")
        self.act_new = self._action(m, "&New draft…", self.new_draft, QKeySequence.StandardKey.New)
        self.act_import = self._action(m, "&Import…", self.import_files, QKeySequence.StandardKey.Open)
        m.addSeparator()
        self.act_export = self._action(m, "&Export draft…", self.export_current, "Ctrl+E")
        self.act_export_all = self._action(m, "Export &all drafts…", self.export_all, "Ctrl+Shift+E")
        m.addSeparator()
        self.act_snapshot = self._action(m, "&Keep a revision now", self.keep_revision, "Ctrl+Shift+S")
        self.act_revisions = self._action(m, "&Revisions…", self.show_revisions, "Ctrl+Shift+H")
        m.addSeparator()
        self.act_quit = self._action(m, "&Quit", self.close, QKeySequence.StandardKey.Quit)
        self.act_quit.setShortcuts([QKeySequence("Ctrl+Q")])
        self.act_quit.setMenuRole(QAction.MenuRole.QuitRole)

        m = mb.addMenu("&Edit")
        self.act_undo = self._action(m, "&Undo", self.editor.undo)
        self.act_undo.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)  # the editor's own keys handle it
        self.act_undo.setText("&Undo\tCtrl+Z")
        self.act_redo = self._action(m, "&Redo\tCtrl+Shift+Z", self.editor.redo)
        m.addSeparator()
        self.act_find = self._action(m, "&Find…", lambda: self.find_bar.open_bar(replace=False),
                                     QKeySequence.StandardKey.Find)
        self.act_replace = self._action(m, "Find and &replace…", lambda: self.find_bar.open_bar(replace=True), "Ctrl+H")
        self.act_find_next = self._action(m, "Find &next", self.find_bar.find_next, QKeySequence.StandardKey.FindNext)
        self.act_find_prev = self._action(m, "Find &previous", self.find_bar.find_previous,
                                          QKeySequence.StandardKey.FindPrevious)

        m = mb.addMenu("&View")
        self.act_zoom_in = self._action(m, "Zoom &in", lambda: self.editor.zoom_by(1), ["Ctrl+=", "Ctrl++"])
        self.act_zoom_out = self._action(m, "Zoom &out", lambda: self.editor.zoom_by(-1), "Ctrl+-")
        self.act_zoom_reset = self._action(m, "&Actual size", self.editor.reset_zoom, "Ctrl+0")
        m.addSeparator()
        self.act_focus = self._action(m, "&Focus mode", ws.toggle_focus_mode, ["F11", "Ctrl+Shift+F"], checkable=True)
        self.act_next_pane = self._action(m, "Next &pane", ws.focus_next_pane, "F6")
        self.act_search = self._action(m, "Search drafts", ws.focus_search, "Ctrl+Shift+O")
        self.act_sidebar = self._action(m, "&Drafts panel", ws.show_sidebar, "Ctrl+1", checkable=True)
        self.act_assistant = self._action(m, "A&ssistant panel", ws.show_assistant, "Ctrl+2",
                                          checkable=True)
        self.act_sidebar.setChecked(True)
        self.act_assistant.setChecked(True)
        tm = m.addMenu("&Theme")
        self.theme_group = QActionGroup(self)
        self.theme_actions: dict[str, QAction] = {}
        for mode in THEME_MODES:
            act = QAction({"system": "Follow the &system", "light": "&Light", "dark": "&Dark"}[mode], self)
            act.setCheckable(True)
            act.triggered.connect(lambda _c=False, mode=mode: ws.set_theme_mode(mode))
            self.theme_group.addAction(act)
            tm.addAction(act)
            self.theme_actions[mode] = act
        self.act_toggle_theme = self._action(m, "Switch light/dark", ws.toggle_theme, "Ctrl+Shift+L")

        m = mb.addMenu("&Generate")
        self.act_continue = self._action(m, "&Continue", self.continue_at_cursor, ["Ctrl+Return", "Ctrl+Enter"])
        self.act_rewrite = self._action(m, "&Rewrite selection", self.rewrite_selection,
                                        ["Ctrl+Shift+Return", "Ctrl+Shift+Enter"])
        self.act_alternatives = self._action(m, "&Alternatives", self.ask_alternatives,
                                             ["Ctrl+Alt+Return", "Ctrl+Alt+Enter"])
        m.addSeparator()
        # Tab stays with the editor (it is also a character); the editor's key handler sends it here.
        self.act_accept = self._action(m, "Acc&ept\tTab", self.generation.accept)
        self.act_escape = self._action(m, "&Stop / discard", self._on_escape, "Escape")
        self.act_retry = self._action(m, "Re&try", self.generation.retry, "Ctrl+R")
        self.act_prev_alt = self._action(m, "&Previous alternative", lambda: self.generation.cycle(-1), "Alt+Left")
        self.act_next_alt = self._action(m, "&Next alternative", lambda: self.generation.cycle(1), "Alt+Right")
        m.addSeparator()
        self.act_preview = self._action(m, "Show the &context", self.refresh_preview, "F5")

        m = mb.addMenu("&Library")
        self.act_presets = self._action(m, "&Presets…", self.edit_presets)
        self.act_styles = self._action(m, "&Styles…", self.edit_styles)
        m = mb.addMenu("&Model")
        self.act_model_settings = self._action(m, "Model &settings…", self.open_model_settings, "Ctrl+Shift+M")
        self.act_reload_model = self._action(m, "&Reload model", lambda: self.load_model())
        self._update_run_actions()

    def _connect(self) -> None:
        m = self.model
        m.model_changed.connect(self._on_model_changed)
        m.model_changed.connect(self.preview.set_model)
        self.preview.preview_shown.connect(self.preview_shown)
        m.state_changed.connect(self.status.set_model)
        m.model_ready.connect(self.model_ready)
        m.model_ready.connect(self.assistant.schedule_preview)
        m.model_failed.connect(self.model_failed)
        d = self.session
        d.save_state_changed.connect(self._on_save_state_changed)
        d.draft_changed.connect(self._on_draft_changed)
        d.meta_changed.connect(self.library.draft_updated)
        d.meta_changed.connect(self._update_title)
        d.drafts_changed.connect(self.sidebar.refresh)
        d.draft_saved.connect(self.draft_saved)
        d.edited.connect(self.assistant.schedule_preview)
        d.discard_run_requested.connect(self.generation.discard)
        d.message.connect(self.status.showMessage)
        self.sidebar.draft_selected.connect(self._on_draft_selected)
        c = self.commands
        c.show_requested.connect(self.session.show)
        c.open_requested.connect(self.open_draft)
        c.renamed.connect(self.session.adopt_stored)
        c.drafts_changed.connect(self.sidebar.refresh)
        c.discard_run_requested.connect(self.generation.discard)
        c.message.connect(self.status.showMessage)
        self.sidebar.new_requested.connect(c.new_draft)
        self.sidebar.rename_requested.connect(c.rename_draft)
        self.sidebar.duplicate_requested.connect(c.duplicate_draft)
        self.sidebar.trash_requested.connect(c.trash_draft)
        self.sidebar.restore_requested.connect(c.restore_draft)
        self.sidebar.purge_requested.connect(c.purge_draft)
        self.empty_new.clicked.connect(c.new_draft)
        self.empty_import.clicked.connect(c.import_files)
        self.editor.word_count_changed.connect(self._on_word_count_changed)
        self.find_bar.opened.connect(self._update_run_actions)
        self.find_bar.closed.connect(self._update_run_actions)
        ws = self.window_state
        ws.focus_mode_changed.connect(self._on_focus_mode_changed)
        ws.theme_mode_changed.connect(self._on_theme_mode_changed)
        ws.panels_changed.connect(self._on_panels_changed)
        ws.message.connect(self.status.showMessage)
        self.assistant.style_chosen.connect(self.session.set_style)
        self.assistant.preview_requested.connect(self.refresh_preview)
        g = self.generation
        g.run_started.connect(self._on_run_started)
        g.run_ended.connect(self._on_run_ended)
        g.run_updated.connect(self._update_run_actions)
        g.stats_measured.connect(self._on_stats_measured)
        g.message.connect(self._on_generation_message)
        g.text_accepted.connect(self.session.save_in_background)

    # ==================================================================================== settings and state
    # ==================================================================================== drafts
    @property
    def current_draft(self) -> Draft | None:
        return self.session.draft

    def is_dirty(self) -> bool:
        return self.session.is_dirty()

    def save_now(self) -> bool:
        return self.session.save_now()

    def save_in_background(self) -> None:
        self.session.save_in_background()

    def _open_initial_draft(self) -> None:
        last = self.window_state.last_draft()
        candidates = [s.id for s in self.sidebar.summaries()]
        if last in candidates:
            self.open_draft(last)
        elif candidates:
            self.open_draft(candidates[0])
        else:
            self.session.show(None)

    def open_draft(self, draft_id: int) -> bool:
        return self.session.open(draft_id)

    @Slot(object)
    def _on_draft_changed(self, draft: Draft | None) -> None:
        self.library.set_draft(draft)
        if draft is None:
            self.stack.setCurrentIndex(0)
            self.status.set_words(0)
        else:
            self.stack.setCurrentIndex(1)
            summary = next((s for s in self.sidebar.summaries() if s.id == draft.id), None)
            if summary is not None:
                self.status.set_words(summary.word_count)  # until the editor's own count comes in
            self.editor.setFocus()
        self._update_title()
        if draft is not None and all(s.id != draft.id for s in self.sidebar.summaries()):
            self.sidebar.refresh()  # made elsewhere (import, another window) since the list was read
        self.sidebar.set_current(draft.id if draft else None)
        self.preview.set_draft(draft)
        if draft is not None:
            self.window_state.remember_draft(draft.id)
            self.draft_opened.emit(draft.id)
            self.assistant.schedule_preview()

    @Slot(object, str)
    def _on_save_state_changed(self, state: SaveState, detail: str) -> None:
        self.status.set_save_state(state, detail)
        self._update_title()

    @Slot()
    def _update_title(self, *_: object) -> None:
        draft = self.session.draft
        if draft is None:
            self.setWindowTitle("Studio")
            return
        mark = " •" if self.session.is_dirty() else ""
        self.setWindowTitle(f"{draft.title}{mark} — Studio")

    @Slot(int)
    def _on_draft_selected(self, draft_id: int) -> None:
        if not self.open_draft(draft_id):
            current = self.session.draft
            self.sidebar.set_current(current.id if current else None)  # the list shows the draft still open

    @Slot(int)
    def _on_word_count_changed(self, n: int) -> None:
        if self.session.draft is not None:
            self.status.set_words(n)

    # ==================================================================================== assistant choices
    def _request_inputs(self, action: Action) -> RequestInputs | None:
        if self.session.draft is None:
            return None
        c = self.assistant.choices()
        return RequestInputs(
            draft=self.session.draft,
            notes=self.assistant.notes_text(),
            preset_id=c.preset_for(action),
            style_id=c.style_id,
            instruction=c.instruction,
            alternatives=c.alternatives,
            max_tokens=c.max_tokens,
        )

    # ==================================================================================== generation
    @Slot()
    def continue_at_cursor(self) -> bool:
        return self.generation.start(Action.CONTINUE)

    @Slot()
    def rewrite_selection(self) -> bool:
        return self.generation.start(Action.REWRITE)

    @Slot()
    def ask_alternatives(self) -> bool:
        action = Action.REWRITE if self.editor.textCursor().hasSelection() else Action.CONTINUE
        return self.generation.start(action, alternatives=True)

    @Slot()
    def _on_escape(self) -> None:
        if self.generation.escape():
            return
        if self.find_bar.isVisible():
            self.find_bar.close_bar()
        elif self.window_state.focus_mode:
            self.toggle_focus_mode()

    def _handle_editor_key(self, event: QKeyEvent) -> bool:
        """Keys that mean something for a run. The window's shortcuts usually get them first; this catches them
        when a shortcut cannot fire (Tab is text to Qt, so it always comes here)."""
        key, mods = event.key(), event.modifiers()
        mods &= ~Qt.KeyboardModifier.KeypadModifier
        run = self.generation.run
        ctrl = Qt.KeyboardModifier.ControlModifier
        shift = Qt.KeyboardModifier.ShiftModifier
        alt = Qt.KeyboardModifier.AltModifier
        if key == Qt.Key.Key_Tab and mods == Qt.KeyboardModifier.NoModifier and run is not None:
            return self.generation.accept() or True
        if key == Qt.Key.Key_Escape:
            self._on_escape()
            return True
        if run is not None and mods == alt and key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            self.generation.cycle(-1 if key == Qt.Key.Key_Left else 1)
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if mods == ctrl:
                self.continue_at_cursor()
                return True
            if mods == ctrl | shift:
                self.rewrite_selection()
                return True
            if mods == ctrl | alt:
                self.ask_alternatives()
                return True
        if key == Qt.Key.Key_R and mods == ctrl and run is not None:
            self.generation.retry()
            return True
        return False

    @Slot()
    def _on_run_started(self) -> None:
        self.model.run_started()
        self._update_run_actions()

    @Slot(bool)
    def _on_run_ended(self, _accepted: bool) -> None:
        self._update_run_actions()

    @Slot()
    def _update_run_actions(self) -> None:
        run = self.generation.run
        has = run is not None
        self.act_accept.setEnabled(has)
        self.act_retry.setEnabled(has and not run.streaming)  # type: ignore[union-attr]
        self.act_prev_alt.setEnabled(has and run.n > 1)  # type: ignore[union-attr]
        self.act_next_alt.setEnabled(has and run.n > 1)  # type: ignore[union-attr]
        # Escape is only claimed when there is something for it to do, so it still closes popups otherwise.
        self.act_escape.setEnabled(has or self.window_state.focus_mode or self.find_bar.isVisible())
        self.model.run_changed(run is not None and run.streaming)

    @property
    def model_info(self) -> ModelInfo | None:
        return self.model.info

    @property
    def model_dialog(self) -> ModelSettingsDialog | None:
        return self.model.dialog

    @Slot(object)
    def _on_model_changed(self, info: ModelInfo | None) -> None:
        if info is not None:
            self.generation.model_file = Path(str(info.path)).name

    @Slot(object)
    def _on_stats_measured(self, stats: Any) -> None:
        self.status.set_speed(float(getattr(stats, "tokens_per_s", 0.0) or 0.0))

    @Slot(str)
    def _on_generation_message(self, text: str) -> None:
        self.status.showMessage(text, 8000)

    # ==================================================================================== view
    @property
    def focus_mode(self) -> bool:
        return self.window_state.focus_mode

    @Slot(bool)
    def _on_focus_mode_changed(self, on: bool) -> None:
        self.act_focus.setChecked(on)
        self._update_run_actions()

    @Slot(str)
    def _on_theme_mode_changed(self, mode: str) -> None:
        self.theme_actions.get(mode, self.theme_actions["system"]).setChecked(True)

    @Slot(bool, bool)
    def _on_panels_changed(self, sidebar: bool, assistant: bool) -> None:
        self.act_sidebar.setChecked(sidebar)
        self.act_assistant.setChecked(assistant)

    @Slot(object)
    def _on_theme_changed(self, theme: Theme) -> None:
        self.editor.set_theme(theme)
        self.proposal.set_theme(theme)

    # ==================================================================================== lifetime
    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        super().changeEvent(event)
        if event.type() == QEvent.Type.ActivationChange and not self.isActiveWindow() and self.session.is_dirty():
            QTimer.singleShot(0, self.session.save_in_background)  # not inside the activation change itself

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if self._closed:
            event.accept()
            return
        if not self.save_now() and not messages.ask(self, "Quit without saving?",
                            "Your latest changes could not be saved. Quit anyway and lose them?",
                            default_yes=False):
            event.ignore()
            return
        self.session.autosave.stop()
        self.generation.discard()
        self.window_state.save(self.session.draft.id if self.session.draft else None)
        self.editor.words.stop()
        self.host.shutdown()  # cancel, quit, wait, close the model
        self.session.shutdown()  # the saving thread
        self._closed = True
        event.accept()

    def shutdown(self) -> None:
        """Stop the engine thread without the close dialog (used by tests and on application exit)."""
        if not self._closed:
            self.close()
        if not self._closed:  # the writer refused to lose changes; the threads must still stop
            self.host.shutdown()
            self.session.shutdown()
            self._closed = True

