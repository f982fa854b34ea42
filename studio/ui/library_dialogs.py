"""Editors for prompt presets and style variants: create, duplicate, edit, delete, reset a built-in."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Generic, TypeVar

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from studio.domain import Action, Form, Preset, Sampler, StudioError, StyleVariant
from studio.domain.i18n import QT_TRANSLATE_NOOP
from studio.ui import builtin_names, messages, widgets
from studio.ui.library_files import LibraryFileButtons
from studio.ui.sidebar import FORM_LABELS, form_label

if TYPE_CHECKING:
    from studio.services import LibraryService
    from studio.services.library import Catalogue

log = logging.getLogger(__name__)

# A Preset or a StyleVariant (each editor edits one kind): frozen dataclasses with id, name, description, builtin,
# modified.
Item = TypeVar("Item", bound=Preset | StyleVariant)
EXEMPLAR_SEPARATOR = "\n---\n"


@dataclass(frozen=True)
class SamplerField:
    """One of a preset's sampler numbers in the editor: a spin box over ``low``..``high``."""

    name: str  # the Sampler field it edits
    label: str  # marked for translation in PresetEditor's context (top-p, top-k, min-p are names: not marked)
    low: float
    high: float
    step: float | None = None  # None: whole numbers
    own_row: bool = False  # a form row of its own; the others share the one "Sampling" row


SAMPLER_FIELDS = (
    SamplerField("temperature", QT_TRANSLATE_NOOP("PresetEditor", "Temp"), 0.0, 2.0, 0.05),
    SamplerField("top_p", "top-p", 0.0, 1.0, 0.01),
    SamplerField("top_k", "top-k", 0, 1000),
    SamplerField("min_p", "min-p", 0.0, 1.0, 0.01),
    SamplerField("repeat_penalty", QT_TRANSLATE_NOOP("PresetEditor", "Repeat &penalty"), 0.5, 2.0, 0.01, own_row=True),
    SamplerField("max_tokens", QT_TRANSLATE_NOOP("PresetEditor", "&Max tokens"), 1, 8192, own_row=True),
)
ACTION_NAMES = {
    Action.CONTINUE: QT_TRANSLATE_NOOP("PresetEditor", "continue"),
    Action.REWRITE: QT_TRANSLATE_NOOP("PresetEditor", "rewrite"),
}


@dataclass(frozen=True)
class KindTexts:
    """What an editor says about the kind it edits, each sentence whole: a translation cannot be glued together
    from "Could not delete" and "the preset" (Chinese puts the object first, and has no article)."""

    plural: str  # the list's name for screen readers
    read_failed: str
    save_failed: str
    create_failed: str
    duplicate_failed: str
    delete_failed: str
    reset_failed: str
    new_name: str  # what a new item is called
    delete_title: str  # the heading of the confirmation


class _LibraryDialog(QDialog, Generic[Item]):
    """A list on the left, the chosen item's fields on the right, and the library's verbs as buttons."""

    library_changed = Signal()
    _file_kind = ""  # "presets" or "styles": what Import… and Export… read and write

    def __init__(self, library: LibraryService, catalogue: Catalogue[Item], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._library = library
        self._catalogue = catalogue  # the verbs (save, duplicate, delete, reset) on this editor's kind
        self._texts = self._kind_texts()
        self._items: list[Item] = []
        self._current: Item | None = None
        self._dirty = False
        self._loading = False
        self.resize(860, 560)
        outer = QVBoxLayout(self)
        split = QSplitter()
        outer.addWidget(split, 1)

        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        self.list = QListWidget()
        self.list.setAccessibleName(self._texts.plural)
        ll.addWidget(self.list, 1)
        self.new_button = widgets.push_button(self.tr("&New"), self._on_new_clicked)
        self.duplicate_button = widgets.push_button(self.tr("D&uplicate"), self._on_duplicate_clicked)
        self.delete_button = widgets.push_button(self.tr("&Delete"), self._on_delete_clicked)
        self.reset_button = widgets.push_button(self.tr("&Reset built-in"), self._on_reset_clicked)
        ll.addLayout(widgets.row(self.new_button, self.duplicate_button, self.delete_button))
        ll.addWidget(self.reset_button)
        self.files = LibraryFileButtons(self, library, self._file_kind)  # Import… and Export… (library_files.py)
        ll.addLayout(widgets.row(self.files.import_button, self.files.export_button))
        split.addWidget(left)

        right = QWidget()
        self.form = QFormLayout(right)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.badge = QLabel("")
        self.form.addRow(self.badge)
        self.name = QLineEdit()
        self.form.addRow(self.tr("&Name"), self.name)
        self.description = QLineEdit()
        self.form.addRow(self.tr("Descri&ption"), self.description)
        self._build_fields()
        split.addWidget(right)
        split.setSizes([260, 600])

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        buttons.rejected.connect(self.reject)
        self.save_button.clicked.connect(self.save)
        outer.addWidget(buttons)

        self.list.currentRowChanged.connect(self._on_row_changed)
        self.name.textEdited.connect(self._mark_dirty)
        self.description.textEdited.connect(self._mark_dirty)
        self.reload()

    # -- to implement --------------------------------------------------------------------------------------
    def _kind_texts(self) -> KindTexts:
        raise NotImplementedError

    def _build_fields(self) -> None:
        raise NotImplementedError

    def _fetch(self) -> list[Item]:
        raise NotImplementedError

    def _show(self, item: Item) -> None:
        raise NotImplementedError

    def _collect(self, item: Item) -> Item:
        """``item`` with this kind's own fields as the form shows them (the base collects name and description)."""
        raise NotImplementedError

    def _blank(self, name: str) -> Item:
        raise NotImplementedError

    def _label(self, item: Item) -> str:
        return item.name

    # -- shared behaviour ----------------------------------------------------------------------------------
    def reload(self, select_id: int | None = None) -> None:
        with messages.reported(self, self._texts.read_failed) as attempt:
            self._items = self._fetch()
        if attempt.failed:
            self._items = []
        self._loading = True
        try:
            self.list.clear()
            for it in self._items:
                label = self._label(it) + ("  ·  " + self.tr("built-in") if it.builtin else "")
                label += "  ·  " + self.tr("edited") if it.modified else ""
                li = QListWidgetItem(label)
                li.setData(Qt.ItemDataRole.UserRole, it.id)
                self.list.addItem(li)
        finally:
            self._loading = False
        row = next((i for i, it in enumerate(self._items) if it.id == select_id), 0 if self._items else -1)
        self.list.setCurrentRow(row)
        self._on_row_changed(row)

    def current(self) -> Item | None:
        return self._current

    def is_dirty(self) -> bool:
        return self._dirty

    @Slot()
    def _mark_dirty(self, *_: object) -> None:
        if not self._loading:
            self._dirty = True

    @Slot(int)
    def _on_row_changed(self, row: int) -> None:
        if self._loading:
            return
        if self._dirty and self._current is not None:
            self.save(reload=False)
        self._current = self._items[row] if 0 <= row < len(self._items) else None
        self._loading = True
        try:
            if self._current is not None:
                self.name.setText(self._current.name)
                self.description.setText(self._current.description)
                self._show(self._current)
                badge = ""
                if self._current.builtin:
                    badge = self.tr("Built-in (edited)") if self._current.modified else self.tr("Built-in")
                self.badge.setText(f"<i>{badge}</i>" if badge else "")
        finally:
            self._loading = False
        self._dirty = False
        has = self._current is not None
        self.duplicate_button.setEnabled(has)
        self.delete_button.setEnabled(has)
        self.reset_button.setEnabled(bool(has and self._current is not None and self._current.builtin))
        self.save_button.setEnabled(has)

    def save(self, *_: object, reload: bool = True) -> None:
        if self._current is None:
            return
        try:
            current = self._current
            updated = replace(
                self._collect(current),
                name=self.name.text().strip() or current.name,
                description=self.description.text().strip(),
            )
            saved = self._catalogue.save(updated)
        except (StudioError, ValueError) as exc:
            messages.show_error(self, self._texts.save_failed, exc)
            return
        self._dirty = False
        self.library_changed.emit()
        if reload:
            self.reload(saved.id)

    def _apply(self, failed: str, verb: Callable[[], Item | None], *, discard_edits: bool = False) -> bool:
        """Run one of the catalogue's verbs (``failed``: the heading if it fails), then list again with its result
        chosen. Edits not saved yet are saved as the chosen row changes, unless the verb makes them moot (delete,
        reset)."""
        with messages.reported(self, failed) as attempt:
            result = verb()
        if attempt.failed:
            return False
        if discard_edits:
            self._dirty = False
        self.library_changed.emit()
        self.reload(result.id if result is not None else None)
        return True

    def _new_name(self) -> str:
        return _unique(self._texts.new_name, {it.name for it in self._items})

    def _current_id(self) -> int | None:
        return self._current.id if self._current is not None else None

    @Slot()
    def _on_new_clicked(self) -> None:
        if self._apply(self._texts.create_failed, lambda: self._catalogue.save(self._blank(self._new_name()))):
            self.name.setFocus()
            self.name.selectAll()

    @Slot()
    def _on_duplicate_clicked(self) -> None:
        if (item_id := self._current_id()) is not None:
            self._apply(self._texts.duplicate_failed, lambda: self._catalogue.duplicate(item_id))

    @Slot()
    def _on_delete_clicked(self) -> None:
        if self._current is None or (item_id := self._current.id) is None:
            return
        question = widgets.arg(self.tr("Delete “%1”?"), self._current.name)
        if not messages.ask(self, self._texts.delete_title, question, default_yes=False):
            return
        self._apply(self._texts.delete_failed, lambda: self._catalogue.delete(item_id), discard_edits=True)

    @Slot()
    def _on_reset_clicked(self) -> None:
        if (item_id := self._current_id()) is not None:
            self._apply(self._texts.reset_failed, lambda: self._catalogue.reset(item_id), discard_edits=True)


class PresetEditor(_LibraryDialog[Preset]):
    _file_kind = "presets"

    def __init__(self, library: LibraryService, parent: QWidget | None = None) -> None:
        super().__init__(library, library.preset_catalogue, parent)
        self.setWindowTitle(self.tr("Presets"))

    def _kind_texts(self) -> KindTexts:
        return KindTexts(
            plural=self.tr("Presets"),
            read_failed=self.tr("Could not read the presets"),
            save_failed=self.tr("The preset was not saved"),
            create_failed=self.tr("Could not create the preset"),
            duplicate_failed=self.tr("Could not duplicate the preset"),
            delete_failed=self.tr("Could not delete the preset"),
            reset_failed=self.tr("Could not reset the preset"),
            new_name=self.tr("New preset"),
            delete_title=self.tr("Delete preset"),
        )

    def _build_fields(self) -> None:
        self.action = QComboBox()
        self.action.addItem(self.tr("Continue"), Action.CONTINUE.value)
        self.action.addItem(self.tr("Rewrite"), Action.REWRITE.value)
        self.form.addRow(self.tr("&Action"), self.action)
        self.template_base = QPlainTextEdit()
        self.template_base.setPlaceholderText(
            self.tr("Prompt for base models ({notes}, {before}, {selection}, {instruction}…)")
        )
        self.template_chat = QPlainTextEdit()
        self.template_chat.setPlaceholderText(self.tr("Prompt for chat models (optional)"))
        self.form.addRow(self.tr("Base &template"), self.template_base)
        self.form.addRow(self.tr("C&hat template"), self.template_chat)
        self.sampler: dict[str, QSpinBox | QDoubleSpinBox] = {f.name: _spin(f) for f in SAMPLER_FIELDS}
        self.stop = QLineEdit()
        self.stop.setPlaceholderText(self.tr('Stop sequences, as JSON: ["\\n\\n", "THE END"]'))
        grid = QHBoxLayout()
        for f in SAMPLER_FIELDS:
            if not f.own_row:
                grid.addWidget(QLabel(self.tr(f.label)))
                grid.addWidget(self.sampler[f.name])
        self.form.addRow(self.tr("Sampling"), grid)
        for f in SAMPLER_FIELDS:
            if f.own_row:
                self.form.addRow(self.tr(f.label), self.sampler[f.name])
        self.form.addRow(self.tr("&Stop"), self.stop)
        for text in (self.template_base, self.template_chat):
            text.textChanged.connect(self._mark_dirty)
        for spin in self.sampler.values():
            spin.valueChanged.connect(self._mark_dirty)
        self.stop.textEdited.connect(self._mark_dirty)
        self.action.currentIndexChanged.connect(self._mark_dirty)

    def _fetch(self) -> list[Preset]:
        return list(self._library.presets())

    def _label(self, item: Preset) -> str:
        action = ACTION_NAMES.get(item.action)
        name = builtin_names.shown_name(item.name, item.builtin_key)
        return f"{name}  ({self.tr(action) if action else item.action.value})"

    def _show(self, item: Preset) -> None:
        self.action.setCurrentIndex(max(0, self.action.findData(item.action.value)))
        self.template_base.setPlainText(item.template_base)
        self.template_chat.setPlainText(item.template_chat)
        values = item.sampler.to_dict()
        for name, spin in self.sampler.items():
            spin.setValue(values[name])
        stop = item.sampler.stop
        self.stop.setText(json.dumps(list(stop), ensure_ascii=False) if stop else "")

    def _collect(self, item: Preset) -> Preset:
        stop_text = self.stop.text().strip()
        try:
            stop = tuple(str(x) for x in json.loads(stop_text)) if stop_text else ()
        except (ValueError, TypeError):
            raise ValueError(self.tr('Stop sequences must be a JSON list, like ["\\n\\n"].')) from None
        # Every field comes from the editor (the table covers all of Sampler but stop), none from the old one.
        sampler = Sampler().merged({name: spin.value() for name, spin in self.sampler.items()} | {"stop": stop})
        return replace(
            item,
            action=Action(self.action.currentData()),
            template_base=self.template_base.toPlainText(),
            template_chat=self.template_chat.toPlainText(),
            sampler=sampler,
        )

    def _blank(self, name: str) -> Preset:
        return Preset(id=None, name=name, action=Action.CONTINUE, template_base="{notes}\n\n{before}")


class StyleEditor(_LibraryDialog[StyleVariant]):
    _file_kind = "styles"

    def __init__(self, library: LibraryService, parent: QWidget | None = None, form: Form | None = None) -> None:
        self._initial_form = form
        super().__init__(library, library.style_catalogue, parent)
        self.setWindowTitle(self.tr("Styles"))

    def _kind_texts(self) -> KindTexts:
        return KindTexts(
            plural=self.tr("Styles"),
            read_failed=self.tr("Could not read the styles"),
            save_failed=self.tr("The style was not saved"),
            create_failed=self.tr("Could not create the style"),
            duplicate_failed=self.tr("Could not duplicate the style"),
            delete_failed=self.tr("Could not delete the style"),
            reset_failed=self.tr("Could not reset the style"),
            new_name=self.tr("New style"),
            delete_title=self.tr("Delete style"),
        )

    def _build_fields(self) -> None:
        self.style_form = QComboBox()
        for f in FORM_LABELS:
            self.style_form.addItem(form_label(f), f.value)
        self.form.addRow(self.tr("&Form"), self.style_form)
        self.guidance = QPlainTextEdit()
        self.guidance.setPlaceholderText(self.tr("How this style writes: voice, rhythm, imagery, what to avoid…"))
        self.form.addRow(self.tr("&Guidance"), self.guidance)
        self.exemplars = QPlainTextEdit()
        self.exemplars.setPlaceholderText(self.tr("Short examples in this style, separated by a line with ---"))
        self.form.addRow(self.tr("&Examples"), self.exemplars)
        self.overrides = QPlainTextEdit()
        self.overrides.setPlaceholderText(self.tr('Sampler changes as JSON, e.g. {"temperature": 1.0}'))
        self.overrides.setMaximumHeight(70)
        self.form.addRow(self.tr("Sampler &overrides"), self.overrides)
        self.style_form.currentIndexChanged.connect(self._mark_dirty)
        for text in (self.guidance, self.exemplars, self.overrides):
            text.textChanged.connect(self._mark_dirty)

    def _fetch(self) -> list[StyleVariant]:
        return list(self._library.styles())

    def _label(self, item: StyleVariant) -> str:
        return f"{builtin_names.shown_name(item.name, item.builtin_key)}  ({form_label(item.form)})"

    def _show(self, item: StyleVariant) -> None:
        self.style_form.setCurrentIndex(max(0, self.style_form.findData(item.form.value)))
        self.guidance.setPlainText(item.guidance)
        self.exemplars.setPlainText(EXEMPLAR_SEPARATOR.join(item.exemplars))
        self.overrides.setPlainText(json.dumps(dict(item.sampler_overrides)) if item.sampler_overrides else "")

    def _collect(self, item: StyleVariant) -> StyleVariant:
        raw = self.overrides.toPlainText().strip()
        try:
            overrides = dict(json.loads(raw)) if raw else {}
        except (ValueError, TypeError):
            raise ValueError(self.tr('Sampler overrides must be a JSON object, like {"temperature": 1.0}.')) from None
        exemplars = tuple(
            e.strip() for e in self.exemplars.toPlainText().replace("\r\n", "\n").split(EXEMPLAR_SEPARATOR) if e.strip()
        )
        return replace(
            item,
            form=Form(self.style_form.currentData()),
            guidance=self.guidance.toPlainText(),
            exemplars=exemplars,
            sampler_overrides=overrides,
        )

    def _blank(self, name: str) -> StyleVariant:
        return StyleVariant(id=None, name=name, form=self._initial_form or Form.PROSE, guidance="")


def _spin(field: SamplerField) -> QSpinBox | QDoubleSpinBox:
    if field.step is None:
        whole = QSpinBox()
        whole.setRange(int(field.low), int(field.high))
        return whole
    w = QDoubleSpinBox()
    w.setRange(field.low, field.high)
    w.setSingleStep(field.step)
    w.setDecimals(2)
    return w


def _unique(base: str, taken: set[str]) -> str:
    if base not in taken:
        return base
    n = 2
    while f"{base} {n}" in taken:
        n += 1
    return f"{base} {n}"
