"""The window's language, and what follows the language of the text: View > Language (kept in the settings, used
from the next start), the status bar's length in 字 and words, and the quick rewrite buttons for the selection."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QWidget

from studio.domain import Draft
from studio.domain.counts import TextCounts, text_counts
from studio.ui import i18n, messages
from studio.ui.actions import WindowActions
from studio.ui.parts import WindowParts
from studio.ui.statusbar import StudioStatusBar

# Characters counted at once when a draft opens (about 10 ms); a longer draft shows its stored total until the
# editor's own count (in slices, after a pause) comes in.
COUNT_AT_ONCE = 50_000
BEFORE_CHARS = 3000  # of the text before a selection, what the engine reads to judge its language


class WindowLanguage(QObject):
    def __init__(
        self,
        owner: QWidget,
        parts: WindowParts,
        status: StudioStatusBar,
        actions: WindowActions,
        draft: Callable[[], Draft | None],
    ) -> None:
        super().__init__(owner)
        self._owner = owner  # parent of the dialog it shows
        self._editor = editor = parts.editor
        self._assistant = parts.assistant
        self._sidebar = parts.sidebar
        self._status = status
        self._settings = parts.settings
        self._actions = actions
        self._draft = draft
        editor.counts_changed.connect(self._on_counts_changed)
        editor.selectionChanged.connect(self._on_selection_changed)
        actions.language_requested.connect(self.choose)
        actions.set_language(self.setting() or i18n.window_language())

    # -- View > Language -------------------------------------------------------------------------------------
    def setting(self) -> str | None:
        value = self._settings.get(i18n.SETTING)
        return value if value in i18n.LANGUAGES else None

    @Slot(str)
    def choose(self, code: str) -> None:
        """Kept in the settings; the window is built in it the next time Studio starts."""
        if code not in i18n.LANGUAGES:
            return
        self._settings.set(i18n.SETTING, code)
        self._actions.set_language(code)
        name = i18n.LANGUAGE_NAMES[code]
        if code == i18n.window_language():
            self._status.showMessage(self.tr("The window speaks %1.").replace("%1", name), 5000)
            return
        # Widgets read their texts when they are made: rebuilding every one of them while a draft is open is
        # not worth the risk to the writer's work, so the switch waits for the next start.
        messages.inform(self._owner, self.tr("Language"),
                        self.tr("Studio will be in %1 the next time it starts.").replace("%1", name))

    # -- the length in the status bar ------------------------------------------------------------------------
    def show_length(self, draft: Draft | None) -> None:
        """A draft just opened: its length before the editor's own count comes in."""
        if draft is None:
            self._status.set_words(0)
        elif len(draft.body) <= COUNT_AT_ONCE:
            self._status.set_counts(text_counts(draft.body))
        else:  # a long draft: the stored total, its kinds come later
            summary = next((s for s in self._sidebar.summaries() if s.id == draft.id), None)
            if summary is not None:
                self._status.set_words(summary.word_count)

    @Slot(object)
    def _on_counts_changed(self, counts: TextCounts) -> None:
        if self._draft() is not None:
            self._status.set_counts(counts)

    # -- the quick rewrite buttons ---------------------------------------------------------------------------
    @Slot()
    def _on_selection_changed(self) -> None:
        """The quick rewrite buttons read (and ask) in the language of the passage they would rewrite."""
        cursor = self._editor.textCursor()
        if not cursor.hasSelection():
            self._assistant.set_selection("")
            return
        before = QTextCursor(self._editor.document())
        before.setPosition(max(0, cursor.selectionStart() - BEFORE_CHARS))
        before.setPosition(cursor.selectionStart(), QTextCursor.MoveMode.KeepAnchor)
        self._assistant.set_selection(cursor.selectedText(), before.selectedText())
