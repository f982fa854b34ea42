"""The lorebook window (Generate -> Lorebook…): a draft's world-info entries, what brings each in, and which are in
the prompt for the text before the cursor right now; and the lines "What the model sees" says about them.

The dialog does not block the window: a writer keeps it open beside the draft and watches "In the prompt now"
change as they type. Every change goes through the lore service (the same calls as ``studio lore``), and a
refused one (no keys, an entry larger than the context) is shown to the writer with nothing saved.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol, cast

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from studio.domain import Draft, LoreEntry, LoreHit, ModelInfo, PromptPreview
from studio.domain.lore import DEFAULT_SCAN_CHARS, MAX_SCAN_CHARS
from studio.ui import messages, textpos, widgets

if TYPE_CHECKING:
    from studio.services.lore import LoreService

log = logging.getLogger(__name__)

SHOWN_CHARS = 48  # of an entry's text, where a list names it


def entry_name(text: str) -> str:
    """An entry named by the start of its text (entries have no titles: their keys say what they are about)."""
    line = " ".join(text.split())
    return line if len(line) <= SHOWN_CHARS else line[: SHOWN_CHARS - 1] + "…"


def hit_reason(hit: LoreHit) -> str:
    """Why an entry is in, in the window's language: pinned, or the key that was found."""
    if hit.pinned:
        return QCoreApplication.translate("Lorebook", "pinned")
    return QCoreApplication.translate("Lorebook", "key “%1”").replace("%1", hit.key)


def describe_lore(preview: PromptPreview) -> str:
    """The lines "What the model sees" adds about the lorebook: each entry in and why, and each the context had no
    room for (said, never hidden); "" when the draft's lorebook brings nothing in."""
    lines: list[str] = []
    if preview.lore:
        items = "; ".join(f"{entry_name(h.text)} ({hit_reason(h)})" for h in preview.lore)
        lines.append(QCoreApplication.translate("Lorebook", "Lore in the prompt: %1").replace("%1", items))
    if preview.lore_left_out:
        items = "; ".join(f"{entry_name(h.text)} ({hit_reason(h)})" for h in preview.lore_left_out)
        left_out = QCoreApplication.translate("Lorebook", "Lore left out, no room in the context: %1")
        lines.append(left_out.replace("%1", items))
    return "\n".join(lines)


def _entry_line(e: LoreEntry) -> str:
    flags = []
    if e.pinned:
        flags.append(QCoreApplication.translate("Lorebook", "pinned"))
    if not e.enabled:
        flags.append(QCoreApplication.translate("Lorebook", "off"))
    head = ", ".join(e.keys)
    tail = f"  [{', '.join(flags)}]" if flags else ""
    return f"{head} — {entry_name(e.text)}{tail}"


class LorebookDialog(QDialog):
    """One draft's lorebook: the entries (in prompt order), the selected one's fields, the scan depth and the
    entries the text before the cursor brings in now."""

    changed = Signal()  # an entry or the scan depth was saved: the context view is out of date

    def __init__(self, lore: LoreService, draft: Draft, before: Callable[[], str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModal(False)
        self.resize(760, 520)
        self._lore = lore
        self._before = before
        self.draft_id: int = draft.id if draft.id is not None else 0
        self._editing: int | None = None  # the entry the fields show; None: a new one

        self.entries = QListWidget()
        self.entries.setAccessibleName(self.tr("Lore entries"))
        # Long entries end in "…" (the whole entry is on the right) instead of a sideways scroll bar.
        self.entries.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.entries.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.keys = widgets.field(self.tr("Keys, separated by commas: Mara, 玛拉"))
        self.text = QPlainTextEdit()
        self.text.setAccessibleName(self.tr("Entry text"))
        self.text.setPlaceholderText(self.tr("What the model should know when a key comes up…"))
        self.text.setTabChangesFocus(True)
        self.pinned = QCheckBox(self.tr("&Pinned (always in the prompt)"))
        self.enabled = QCheckBox(self.tr("&Enabled"))
        self.enabled.setChecked(True)
        self.case_sensitive = QCheckBox(self.tr("&Case-sensitive (English keys)"))
        self.whole_word = QCheckBox(self.tr("&Whole words only (English keys)"))
        self.new_button = widgets.push_button(self.tr("&New entry"), self.new_entry)
        self.save_button = widgets.push_button(self.tr("&Save entry"), self.save_entry)
        self.remove_button = widgets.push_button(self.tr("&Remove…"), self.remove_entry)
        self.scan_depth = QSpinBox()
        self.scan_depth.setRange(1, MAX_SCAN_CHARS)
        self.scan_depth.setSingleStep(500)
        self.scan_depth.setSuffix(self.tr(" characters"))
        self.scan_depth.setAccessibleName(self.tr("Scan depth"))
        self.scan_depth.setToolTip(self.tr("How far back before the cursor the keys are looked for"))
        self.in_now = QLabel("")
        self.in_now.setWordWrap(True)
        self.in_now.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        close = widgets.push_button(self.tr("Close"), self.accept)

        fields = QFormLayout()
        fields.addRow(self.tr("&Keys"), self.keys)
        fields.addRow(self.tr("&Text"), self.text)
        checks = QVBoxLayout()
        for box in (self.pinned, self.enabled, self.case_sensitive, self.whole_word):
            checks.addWidget(box)
        fields.addRow("", checks)
        right = QVBoxLayout()
        right.addLayout(fields, 1)
        right.addLayout(widgets.row(self.new_button, self.save_button, widgets.STRETCH, self.remove_button))
        body = QHBoxLayout()
        body.addWidget(self.entries, 2)
        body.addLayout(right, 3)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        depth_row = QFormLayout()
        depth_row.addRow(self.tr("Look for keys in the last"), self.scan_depth)
        layout.addLayout(depth_row)
        layout.addWidget(self.in_now)
        layout.addLayout(widgets.row(widgets.STRETCH, close))

        self.entries.currentItemChanged.connect(self._on_current_changed)
        self.scan_depth.editingFinished.connect(self.save_depth)
        self.show_draft(draft)

    # -- the draft shown ------------------------------------------------------------------------------------
    def show_draft(self, draft: Draft) -> None:
        self.draft_id = draft.id if draft.id is not None else 0
        self.setWindowTitle(self.tr("Lorebook — %1").replace("%1", draft.title))
        depth = DEFAULT_SCAN_CHARS
        with messages.reported(self, self.tr("The lorebook could not be read")):
            depth = self._lore.scan_chars(self.draft_id)
        self.scan_depth.blockSignals(True)
        self.scan_depth.setValue(depth)
        self.scan_depth.blockSignals(False)
        self.reload()
        self.new_entry()

    def reload(self, select: int | None = None) -> None:
        """The list read again from the store; ``select`` (an entry id) is made current."""
        entries: list[LoreEntry] = []
        with messages.reported(self, self.tr("The lorebook could not be read")):
            entries = self._lore.list(self.draft_id)
        self.entries.blockSignals(True)
        self.entries.clear()
        for e in entries:
            item = QListWidgetItem(_entry_line(e))
            item.setData(Qt.ItemDataRole.UserRole, e.id)
            item.setData(Qt.ItemDataRole.UserRole + 1, e.text)
            item.setToolTip(e.text)
            self.entries.addItem(item)
            if e.id == select:
                self.entries.setCurrentItem(item)
        self.entries.blockSignals(False)
        self.remove_button.setEnabled(self._editing is not None)
        self.refresh_in_now()

    def entry_ids(self) -> list[int]:
        return [int(self.entries.item(i).data(Qt.ItemDataRole.UserRole)) for i in range(self.entries.count())]

    @Slot()
    def refresh_in_now(self) -> None:
        """Which entries the text before the cursor brings in now, and why."""
        hits: list[LoreHit] = []
        with messages.reported(self, self.tr("The lorebook could not be read")):
            hits = self._lore.triggered(self.draft_id, self._before())
        reasons = {h.entry_id: hit_reason(h) for h in hits}
        for i in range(self.entries.count()):  # the entries in the prompt now stand out in the list, with why
            item = self.entries.item(i)
            font = item.font()
            font.setBold(item.data(Qt.ItemDataRole.UserRole) in reasons)
            item.setFont(font)
            why = reasons.get(item.data(Qt.ItemDataRole.UserRole))
            text = item.data(Qt.ItemDataRole.UserRole + 1)
            item.setToolTip(self.tr("In the prompt now (%1)").replace("%1", why) + "\n\n" + text if why else text)
        if hits:
            items = "; ".join(f"{entry_name(h.text)} ({hit_reason(h)})" for h in hits)
            self.in_now.setText(self.tr("In the prompt now: %1").replace("%1", items))
        else:
            self.in_now.setText(self.tr("In the prompt now: no entry (no key in the text before the cursor)."))

    # -- editing --------------------------------------------------------------------------------------------
    @Slot()
    def new_entry(self) -> None:
        self.entries.setCurrentRow(-1)
        self._fill(None)

    def _fill(self, e: LoreEntry | None) -> None:
        self._editing = e.id if e is not None else None
        self.keys.setText(", ".join(e.keys) if e is not None else "")
        self.text.setPlainText(e.text if e is not None else "")
        self.pinned.setChecked(e.pinned if e is not None else False)
        self.enabled.setChecked(e.enabled if e is not None else True)
        self.case_sensitive.setChecked(e.case_sensitive if e is not None else False)
        self.whole_word.setChecked(e.whole_word if e is not None else False)
        self.remove_button.setEnabled(e is not None)
        self.save_button.setText(self.tr("&Save entry") if e is not None else self.tr("&Add entry"))

    @Slot(object, object)
    def _on_current_changed(self, current: QListWidgetItem | None, _previous: object) -> None:
        if current is None:
            return
        with messages.reported(self, self.tr("The lore entry could not be read")) as attempt:
            entry = self._lore.get(int(current.data(Qt.ItemDataRole.UserRole)))
        if not attempt.failed:
            self._fill(entry)

    @Slot()
    def save_entry(self) -> bool:
        """Add the fields as a new entry, or save them over the one selected; a refusal is shown, nothing saved."""
        values = {"pinned": self.pinned.isChecked(), "enabled": self.enabled.isChecked(),
                  "case_sensitive": self.case_sensitive.isChecked(), "whole_word": self.whole_word.isChecked()}
        keys, text = self.keys.text(), self.text.toPlainText()
        with messages.reported(self, self.tr("The lore entry was not saved")) as attempt:
            if self._editing is None:
                saved = self._lore.add(self.draft_id, keys, text, **values)
            else:
                saved = self._lore.update(self._editing, keys=keys, text=text, **values)
        if attempt.failed:
            return False
        self._fill(saved)
        self.reload(select=saved.id)
        self.changed.emit()
        return True

    @Slot()
    def remove_entry(self) -> bool:
        if self._editing is None:
            return False
        question = self.tr("Remove the lore entry for %1? This cannot be undone.").replace("%1", self.keys.text())
        if not messages.ask(self, self.tr("Remove the lore entry?"), question, default_yes=False):
            return False
        with messages.reported(self, self.tr("The lore entry was not removed")) as attempt:
            self._lore.remove(self._editing)
        if attempt.failed:
            return False
        self._fill(None)
        self.reload()
        self.changed.emit()
        return True

    @Slot()
    def save_depth(self) -> None:
        with messages.reported(self, self.tr("The scan depth was not saved")) as attempt:
            if self.scan_depth.value() == self._lore.scan_chars(self.draft_id):
                return
            self._lore.set_scan_chars(self.draft_id, self.scan_depth.value())
        if not attempt.failed:
            self.refresh_in_now()
            self.changed.emit()


class LoreWindow(Protocol):
    """What the part needs of the main window, by the names the window gives its parts. Typed loosely: the parts
    are independent of each other (pyproject's import-linter contract), so this module names none of them."""

    session: Any  # DraftSession: .draft, .draft_changed
    editor: QPlainTextEdit  # DraftEditor
    model: Any  # ModelController: .model_changed
    preview: Any  # ContextPreview: .refresh
    menu_actions: Any  # WindowActions: .act_lorebook


class LorebookPart(QObject):
    """The window's part for Generate -> Lorebook…: opens the dialog for the open draft, follows the draft and the
    text before the cursor while it is open, and tells the lore service the loaded model's context so an entry
    too large for it is refused when saved."""

    def __init__(self, lore: LoreService, window: QWidget) -> None:
        super().__init__(window)
        self._lore = lore
        self._window = parts = cast(LoreWindow, window)
        self._owner = window
        self.dialog = widgets.OneDialog[LorebookDialog]()
        # The "in now" line follows typing, but not on every keystroke: a burst reads the store once.
        self._typing = widgets.single_shot_timer(self, 400, self._on_typing_paused)
        parts.menu_actions.act_lorebook.triggered.connect(self.open)
        parts.session.draft_changed.connect(self._on_draft_changed)
        parts.editor.textChanged.connect(self._typing.start)
        parts.editor.cursorPositionChanged.connect(self._typing.start)
        parts.model.model_changed.connect(self._on_model_changed)

    def text_before_cursor(self) -> str:
        editor = self._window.editor
        text = editor.toPlainText()
        return text[: textpos.to_index(text, editor.textCursor().position())]

    @Slot()
    def open(self) -> LorebookDialog | None:
        draft = self._window.session.draft
        if draft is None or draft.id is None:
            messages.inform(self._owner, self.tr("Lorebook"), self.tr("Open or create a draft first: each draft has "
                                                                      "its own lorebook."))
            return None

        def make() -> LorebookDialog:
            dlg = LorebookDialog(self._lore, draft, self.text_before_cursor, self._owner)
            dlg.changed.connect(self._window.preview.refresh)
            dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
            return dlg

        return self.dialog.open(make)

    @Slot(object)
    def _on_draft_changed(self, draft: Draft | None) -> None:
        dlg = self.dialog.current
        if dlg is None:
            return
        if draft is None or draft.id is None:
            dlg.reject()
        elif draft.id != dlg.draft_id:
            dlg.show_draft(draft)

    @Slot()
    def _on_typing_paused(self) -> None:
        if self.dialog.current is not None:
            self.dialog.current.refresh_in_now()

    @Slot(object)
    def _on_model_changed(self, info: ModelInfo | None) -> None:
        # Entries are measured against the context the model runs with: the settings' (or the default) capped
        # by the model's trained length. The tokenizer stays on the engine thread, so the count is the service's
        # bound, which errs high.
        self._lore.use_model(None)
        if info is not None and info.context_length:
            self._lore.use_model(min(self._lore.context_size().n_ctx, info.context_length))
