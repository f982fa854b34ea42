"""The main window: drafts on the left, the editor in the middle, the assistant on the right.

The window builds its parts, lays out the widgets, wires the parts' signals to each other and shuts them down in
order. The work is done by the parts, each in its own module and none importing another:

- ``DraftSession`` (draft_session.py): the open draft, unsaved changes, autosave and the saving thread, conflicts;
- ``DraftCommands`` (draft_commands.py): create, rename, duplicate, trash, restore, purge, import, export, revisions;
- ``GenerationController`` (generation.py): Continue, Rewrite and Alternatives in the editor;
- ``ModelController`` (model_controller.py): the local model or a server, its settings, its status bar line;
- ``ContextPreview`` (context_preview.py): what the model would be given, in the assistant panel;
- ``LibraryController`` (library_controller.py): presets and styles, and the writer's picks;
- ``WindowState`` (window_state.py): geometry, panels, theme, zoom, focus mode, the last open draft;
- ``WindowActions`` (actions.py): the menus, shortcuts and keys, and which actions are enabled.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import QMainWindow, QSplitter, QStackedWidget, QVBoxLayout, QWidget

from studio.domain import Action, Draft, GenerationStats, ModelInfo
from studio.ui import ask_tab, history_panel, lorebook, messages, token_view
from studio.ui.actions import WindowActions
from studio.ui.assistant import AssistantPanel
from studio.ui.context_preview import ContextPreview
from studio.ui.dialogs import ModelSettingsDialog
from studio.ui.draft_commands import DraftCommands
from studio.ui.draft_session import DraftSession
from studio.ui.editor import DraftEditor
from studio.ui.empty_page import EmptyPage
from studio.ui.findbar import FindBar
from studio.ui.form_check import FormCheckPanel
from studio.ui.generation import GenerationController, RequestInputs
from studio.ui.get_model_dialog import GetModelPart
from studio.ui.library_controller import LibraryController
from studio.ui.model_controller import ModelController
from studio.ui.operations import Operations
from studio.ui.parts import WindowParts
from studio.ui.proposal_bar import ProposalBar
from studio.ui.qtcompat import protect_singletons
from studio.ui.sidebar import DraftsPanel
from studio.ui.statusbar import SaveState, StudioStatusBar
from studio.ui.stored_settings import StoredSettings
from studio.ui.theme import ThemeManager
from studio.ui.window_language import WindowLanguage
from studio.ui.window_state import WindowState
from studio.ui.worker import EngineHost, Runner

if TYPE_CHECKING:
    from studio.services import Services
    from studio.services.generation import ServerChoice

log = logging.getLogger(__name__)


class MainWindow(QMainWindow):
    draft_opened = Signal(int)
    draft_saved = Signal(int)  # the text the editor shows (and the notes) are on disk now
    model_ready = Signal(object)  # ModelInfo
    model_failed = Signal(object)  # Failure
    preview_shown = Signal()
    library_changed = Signal()  # drafts were made, changed or removed: the sidebar reads its list again, once

    def __init__(self, services: Services, runner_factory: Callable[[], Runner] | None = None,
                 model: str | None = None, *, load_model: bool = True, server: ServerChoice | None = None) -> None:
        protect_singletons()  # see qtcompat: a window built without launch() (tests, scripts) needs it too
        super().__init__()
        self.services = services
        self.setWindowTitle(self.tr("Studio"))
        self.resize(1280, 800)
        self._closed = False

        # -- widgets ---------------------------------------------------------------------------------------
        self.theme_manager = ThemeManager(self)
        self.host = EngineHost(runner_factory or services.new_window_runner, self)
        self.sidebar = DraftsPanel(services)
        self.editor = DraftEditor()
        self.find_bar = FindBar(self.editor)
        self.assistant = AssistantPanel()
        self.status = StudioStatusBar()

        # -- parts -----------------------------------------------------------------------------------------
        self.operations = Operations(self)  # background work other than generation; failures to one presenter
        self.settings = StoredSettings(services.library)
        self.session = DraftSession(services.drafts, self.editor, self.assistant, self)
        self.saver = self.session.saver
        session = self.session
        parts = WindowParts(self.editor, self.sidebar, self.assistant, self.theme_manager, self.settings)
        self.commands = DraftCommands(services.drafts, parts, lambda: session.draft, session.save_now, self,
                                      self.operations)
        self.generation = gen = GenerationController(self.host, parts, services, self._request_inputs, self)
        self.proposal = ProposalBar(self.generation, self.theme_manager.theme)
        self.model = ModelController(self.host, services, self.operations, self, model, server)
        self.preview = ContextPreview(self.host, self.saver, parts, gen.build_preview_request, self)
        self.library = LibraryController(services.library, self.assistant, self.settings, self)
        self._lay_out()
        self.window_state = WindowState(self, self.splitter, parts)
        self.menu_actions = WindowActions(self, self.editor, self.find_bar)
        self.editor.key_handler = self.menu_actions.handle_editor_key
        self.language = WindowLanguage(self, parts, self.status, self.menu_actions, lambda: session.draft)  # 字, 词
        self.form_check = FormCheckPanel(self.editor, self._held_form, self)  # Generate -> Check the form...
        self.get_model = GetModelPart(services.model_shop, self.menu_actions.act_get_model, self.operations,
                                      self)  # Model -> Get a model...
        self.lorebook = lorebook.LorebookPart(services.lore, self)  # Generate -> Lorebook...
        self.ask = ask_tab.AskPart(self.host, parts, session, services, self.generation, self)  # the Ask tab
        self.history = history_panel.HistoryPart(services.history, self.menu_actions.act_history, gen, session, self)
        self.token_view = token_view.TokenView(gen, self.host, parts, self.menu_actions, self)  # View -> Token…

        # -- what launch, the tests and scripts call on the window, each done by a part ----------------------
        c, ws = self.commands, self.window_state
        self.open_draft, self.save_now = session.open, session.save_now
        self.save_in_background, self.is_dirty = session.save_in_background, session.is_dirty
        self.create_draft, self.new_draft, self.import_files = c.create_draft, c.new_draft, c.import_files
        self.export_current, self.export_all = c.export_current, c.export_all
        self.keep_revision, self.show_revisions = c.keep_revision, c.show_revisions
        self.load_model, self.open_model_settings = self.model.load, self.model.open_settings
        self.edit_presets, self.edit_styles = self.library.edit_presets, self.library.edit_styles
        self.set_theme_mode, self.toggle_theme = ws.set_theme_mode, ws.toggle_theme
        self.refresh_preview, self.toggle_focus_mode = self.preview.refresh, ws.toggle_focus_mode

        self._wire()
        ws.restore()
        self.library.restore_choices()
        self.library.reload()
        self.sidebar.refresh()
        self._open_initial_draft()
        if load_model:
            self.load_model()

    @property
    def current_draft(self) -> Draft | None:
        return self.session.draft

    @property
    def model_info(self) -> ModelInfo | None:
        return self.model.info

    @property
    def model_dialog(self) -> ModelSettingsDialog | None:
        return self.model.settings_dialog.current

    @property
    def focus_mode(self) -> bool:
        return self.window_state.focus_mode

    @property
    def theme_actions(self) -> dict[str, QAction]:
        return self.menu_actions.theme_actions

    # ==================================================================================== layout
    def _lay_out(self) -> None:
        editor_column = QWidget()
        col = QVBoxLayout(editor_column)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(0)
        col.addWidget(self.editor, 1)
        col.addWidget(self.proposal)
        col.addWidget(self.find_bar)

        self.stack = QStackedWidget()
        self.empty_page = EmptyPage()
        self.stack.addWidget(self.empty_page)
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
        self.setStatusBar(self.status)

    # ==================================================================================== wiring
    def _wire(self) -> None:
        a, c, d, g, m = self.menu_actions, self.commands, self.session, self.generation, self.model
        ws, status, sidebar = self.window_state, self.status, self.sidebar
        self.library_changed.connect(sidebar.library_changed)  # coalesced there: a burst reads the list once
        self.operations.failed.connect(lambda title, text: messages.show_error(self, title, text))  # the presenter
        for act, slot in (
            (a.act_new, c.new_draft), (a.act_import, c.import_files), (a.act_export, c.export_current),
            (a.act_export_all, c.export_all), (a.act_snapshot, c.keep_revision), (a.act_revisions, c.show_revisions),
            (a.act_focus, ws.toggle_focus_mode), (a.act_next_pane, ws.focus_next_pane),
            (a.act_search, ws.focus_search), (a.act_sidebar, ws.show_sidebar), (a.act_assistant, ws.show_assistant),
            (a.act_toggle_theme, ws.toggle_theme), (a.act_preview, self.preview.refresh),
            (a.act_presets, self.library.edit_presets), (a.act_styles, self.library.edit_styles),
        ):
            act.triggered.connect(slot)
        m.use_actions(a.act_model_settings, a.act_reload_model, a.act_connect_server, a.act_local_model)
        a.continue_requested.connect(self.continue_at_cursor)
        a.rewrite_requested.connect(self.rewrite_selection)
        a.alternatives_requested.connect(self.ask_alternatives)
        a.accept_requested.connect(g.accept)
        a.escape_requested.connect(self._on_escape)
        a.retry_requested.connect(g.retry)
        a.cycle_requested.connect(g.cycle)
        a.match_verse_requested.connect(g.start_match_verse)
        a.act_check_form.triggered.connect(self.form_check.open_panel)
        a.theme_mode_requested.connect(ws.set_theme_mode)

        d.save_state_changed.connect(self._on_save_state_changed)
        d.draft_changed.connect(self._on_draft_changed)
        d.meta_changed.connect(self.library.draft_updated)
        d.meta_changed.connect(self._update_title)
        d.drafts_changed.connect(self.library_changed)
        d.draft_saved.connect(self.draft_saved)
        d.edited.connect(self.assistant.schedule_preview)
        d.discard_run_requested.connect(g.discard)
        d.message.connect(status.showMessage)
        d.style_set_by_save.connect(self.library.set_draft)  # the style box shows the style a save chose

        c.show_requested.connect(d.show)
        c.open_requested.connect(d.open)
        c.renamed.connect(d.adopt_stored)
        c.library_changed.connect(self.library_changed)
        c.discard_run_requested.connect(g.discard)
        c.message.connect(status.showMessage)
        sidebar.draft_selected.connect(self._on_draft_selected)
        sidebar.new_requested.connect(c.new_draft)
        sidebar.rename_requested.connect(c.rename_draft)
        sidebar.duplicate_requested.connect(c.duplicate_draft)
        sidebar.trash_requested.connect(c.trash_draft)
        sidebar.restore_requested.connect(c.restore_draft)
        sidebar.purge_requested.connect(c.purge_draft)
        self.empty_page.new_button.clicked.connect(c.new_draft)
        self.empty_page.import_button.clicked.connect(c.import_files)

        m.model_changed.connect(self._on_model_changed)
        m.model_changed.connect(self.preview.set_model)
        m.show_in(status)
        m.model_ready.connect(self.model_ready)
        m.model_ready.connect(self.assistant.schedule_preview)
        m.model_failed.connect(self.model_failed)
        self.get_model.switch_requested.connect(m.use_file)  # a model just downloaded, used now
        self.preview.preview_shown.connect(self.preview_shown)
        self.assistant.style_chosen.connect(d.set_style)
        self.assistant.preview_requested.connect(self.preview.refresh)

        ws.focus_mode_changed.connect(a.set_focus_mode)
        ws.theme_mode_changed.connect(a.set_theme_mode)
        ws.panels_changed.connect(a.set_panels)
        ws.message.connect(status.showMessage)
        self.theme_manager.theme_changed.connect(self.editor.set_theme)
        self.theme_manager.theme_changed.connect(self.proposal.set_theme)

        g.run_started.connect(m.run_started)
        g.run_started.connect(self._on_run_changed)
        g.run_ended.connect(self._on_run_changed)
        g.run_updated.connect(self._on_run_changed)
        g.stats_measured.connect(self._on_stats_measured)
        g.message.connect(lambda text: status.showMessage(text, 8000))
        g.text_accepted.connect(d.save_in_background)

    # ==================================================================================== the open draft
    def _open_initial_draft(self) -> None:
        last = self.window_state.last_draft()
        candidates = [s.id for s in self.sidebar.summaries()]
        if last in candidates:
            self.open_draft(last)
        elif candidates:
            self.open_draft(candidates[0])
        else:
            self.session.show(None)

    @Slot(object)
    def _on_draft_changed(self, draft: Draft | None) -> None:
        self.library.set_draft(draft)
        self.menu_actions.set_draft_form(draft.form.value if draft is not None else None)
        self.stack.setCurrentIndex(0 if draft is None else 1)
        self.language.show_length(draft)
        if draft is not None:
            self.editor.setFocus()
        self._update_title()
        if draft is not None and all(s.id != draft.id for s in self.sidebar.summaries()):
            self.library_changed.emit()  # made elsewhere (another window) since the list was read
        self.sidebar.set_current(draft.id if draft else None)
        self.preview.set_draft(draft)
        if draft is not None:
            self.window_state.remember_draft(draft.id)
            self.draft_opened.emit(draft.id)
            self.assistant.schedule_preview()

    @Slot(int)
    def _on_draft_selected(self, draft_id: int) -> None:
        if not self.session.open(draft_id):
            current = self.session.draft
            self.sidebar.set_current(current.id if current else None)  # the list shows the draft still open

    @Slot(object, str)
    def _on_save_state_changed(self, state: SaveState, detail: str) -> None:
        self.status.set_save_state(state, detail)
        self._update_title()

    @Slot()
    def _update_title(self, *_: object) -> None:
        draft = self.session.draft
        if draft is None:
            self.setWindowTitle(self.tr("Studio"))
        else:
            title = self.tr("%1 • — Studio") if self.session.is_dirty() else self.tr("%1 — Studio")
            self.setWindowTitle(title.replace("%1", draft.title))

    # ==================================================================================== generation
    def _request_inputs(self, action: Action) -> RequestInputs | None:
        """What a request is made of: the open draft (the session) and the writer's picks (the assistant)."""
        if self.session.draft is None:
            return None
        c = self.assistant.choices()
        return RequestInputs(draft=self.session.draft, notes=self.assistant.notes_text(), style_id=c.style_id,
                             preset_id=c.preset_for(action), instruction=c.instruction, alternatives=c.alternatives,
                             max_tokens=c.max_tokens)

    def _held_form(self) -> str | None:
        """The poetry form the style chosen for the open draft holds (the form check's first choice)."""
        return self.services.generation.held_form(self.assistant.choices().style_id)

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
            self.window_state.toggle_focus_mode()

    @Slot()
    def _on_run_changed(self, *_: object) -> None:
        run = self.generation.run
        streaming = run is not None and run.streaming
        self.menu_actions.set_run(run is not None, streaming, run.n if run is not None else 0)
        self.model.run_changed(streaming)

    @Slot(object)
    def _on_model_changed(self, info: ModelInfo | None) -> None:
        if info is not None:
            self.generation.model_file = Path(str(info.path)).name

    @Slot(object)
    def _on_stats_measured(self, stats: GenerationStats) -> None:
        self.status.set_speed(stats.tokens_per_s)

    # ==================================================================================== lifetime
    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        super().changeEvent(event)
        if event.type() == QEvent.Type.ActivationChange and not self.isActiveWindow() and self.session.is_dirty():
            QTimer.singleShot(0, self.session.save_in_background)  # not inside the activation change itself

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if self._closed:
            event.accept()
            return
        if not self.session.save_now() and not messages.ask(self, self.tr("Quit without saving?"), self.tr(
                "Your latest changes could not be saved. Quit anyway and lose them?"), default_yes=False):
            event.ignore()
            return
        # The order matters: no autosave or run may start once the threads stop.
        self.session.autosave.stop()
        self.generation.discard()
        self.window_state.save(self.session.draft.id if self.session.draft else None)
        self.editor.words.stop()
        self.operations.shutdown()  # results still to come have no window to land in
        self.host.shutdown()  # cancel, quit, wait, close the model
        self.session.shutdown()  # the save in flight lands, then the saving thread stops
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
