"""Presets and styles in the assistant panel: what it offers (styles only for the open draft's form), the editors
that change them, and the writer's picks (presets, alternatives, length) kept for the next run.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtWidgets import QWidget

from studio.domain import Draft, StudioError, StyleVariant
from studio.ui.assistant import AssistantPanel
from studio.ui.library_dialogs import PresetEditor, StyleEditor
from studio.ui.stored_settings import StoredSettings

if TYPE_CHECKING:
    from studio.services import LibraryService

log = logging.getLogger(__name__)

KEY_CONTINUE_PRESET = "ui.continue_preset"
KEY_REWRITE_PRESET = "ui.rewrite_preset"
KEY_ALTERNATIVES = "ui.alternatives"
KEY_MAX_TOKENS = "ui.max_tokens"


class LibraryController(QObject):
    def __init__(
        self, library: LibraryService, panel: AssistantPanel, settings: StoredSettings, owner: QWidget
    ) -> None:
        super().__init__(owner)
        self._library = library
        self._panel = panel
        self._settings = settings
        self._owner = owner  # parent of the editors
        self._styles: list[StyleVariant] = []
        self._draft: Draft | None = None
        self._restoring = False
        panel.choices_changed.connect(self._on_choices_changed)

    def restore_choices(self) -> None:
        # Setting the boxes fires choices_changed, which stores every pick, while the preset boxes are still empty
        # (they fill in reload()): without the guard a restored count wrote "no preset" over the stored picks.
        self._restoring = True
        try:
            alternatives = self._settings.get(KEY_ALTERNATIVES, 3)
            if isinstance(alternatives, int):
                self._panel.alternatives.setValue(alternatives)
            max_tokens = self._settings.get(KEY_MAX_TOKENS, 0)
            if isinstance(max_tokens, int):
                self._panel.max_tokens.setValue(max_tokens)
        finally:
            self._restoring = False

    @Slot()
    def reload(self) -> None:
        try:
            presets = self._library.presets()
            styles = self._library.styles()
        except StudioError as exc:
            log.warning("library unreadable: %s", exc)
            presets, styles = [], []
        self._styles = styles
        chosen = self._settings.get(KEY_CONTINUE_PRESET), self._settings.get(KEY_REWRITE_PRESET)
        self._panel.set_presets(presets, *chosen)
        if self._draft is not None:
            self._panel.set_styles(styles, self._draft.form, self._draft.style_id)

    @Slot(object)
    def set_draft(self, draft: Draft | None) -> None:
        """Another draft is open: the styles offered are those for its form, with its own one chosen."""
        self._draft = draft
        if draft is not None:
            self._panel.set_styles(self._styles, draft.form, draft.style_id)

    @Slot(object)
    def draft_updated(self, draft: Draft) -> None:
        self._draft = draft  # its style (or title) changed; the panel already shows the writer's pick

    @Slot()
    def _on_choices_changed(self) -> None:
        if self._restoring:
            return
        c = self._panel.choices()
        self._settings.set(KEY_CONTINUE_PRESET, c.continue_preset_id)
        self._settings.set(KEY_REWRITE_PRESET, c.rewrite_preset_id)
        self._settings.set(KEY_ALTERNATIVES, c.alternatives)
        self._settings.set(KEY_MAX_TOKENS, c.max_tokens or 0)

    @Slot()
    def edit_presets(self) -> PresetEditor:
        dlg = PresetEditor(self._library, self._owner)
        dlg.library_changed.connect(self.reload)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.open()
        return dlg

    @Slot()
    def edit_styles(self) -> StyleEditor:
        dlg = StyleEditor(self._library, self._owner, form=self._draft.form if self._draft else None)
        dlg.library_changed.connect(self.reload)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.open()
        return dlg
