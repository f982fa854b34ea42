"""Small dialogs: a new draft, and the model settings (which model, context size, threads, GPU layers)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from studio.domain import Form, ModelInfo
from studio.domain.i18n import QT_TRANSLATE_NOOP
from studio.services.models import DownloadedModel, MachineFacts, offload_advice
from studio.ui import widgets
from studio.ui.i18n import format_number, shown
from studio.ui.sidebar import FORM_LABELS, form_label
from studio.ui.worker import EngineHost

if TYPE_CHECKING:
    from studio.services.models import ModelShop
    from studio.ui.operations import Operations

log = logging.getLogger(__name__)


class NewDraftDialog(QDialog):
    """Asks for a title and a form. ``get`` is the one entry point (tests replace it)."""

    def __init__(self, parent: QWidget | None = None, form: Form = Form.PROSE) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("New draft"))
        lay = QFormLayout(self)
        self.title = QLineEdit()
        self.title.setPlaceholderText(self.tr("Untitled"))
        self.form = QComboBox()
        for f in FORM_LABELS:
            self.form.addItem(form_label(f), f.value)
        self.form.setCurrentIndex(max(0, self.form.findData(form.value)))
        lay.addRow(self.tr("&Title"), self.title)
        lay.addRow(self.tr("&Form"), self.form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addRow(buttons)

    def values(self) -> tuple[str, Form]:
        return (self.title.text().strip() or self.tr("Untitled"), Form(self.form.currentData()))

    @staticmethod
    def get(parent: QWidget | None, form: Form = Form.PROSE) -> tuple[str, Form] | None:
        dlg = NewDraftDialog(parent, form)
        if dlg.exec() != QDialog.DialogCode.Accepted:
            return None
        return dlg.values()


@dataclass(frozen=True)
class ModelChoice:
    path: str | None  # None: the first usable model found (the embedded default if nothing else)
    n_ctx: int | None
    n_threads: int | None
    n_gpu_layers: int


# Where discovery found a model (ModelInfo.source), marked here and translated where it is shown.
MODEL_SOURCES = {
    "chosen": QT_TRANSLATE_NOOP("ModelSettingsDialog", "chosen file"),
    "data": QT_TRANSLATE_NOOP("ModelSettingsDialog", "data folder"),
    "repo": QT_TRANSLATE_NOOP("ModelSettingsDialog", "models/ folder"),
    "embedded": QT_TRANSLATE_NOOP("ModelSettingsDialog", "built in"),
}


def describe_model(info: ModelInfo, licence: str | None = None) -> str:
    """One line for the list: quant, size, context, chat, where it was found and (``licence`` not None: it was
    looked up) the licence, as `studio models` lists them."""
    parts = [info.quantization] if info.quantization else []
    if info.size_bytes:
        mb = format_number(round(info.size_bytes / 1e6))
        parts.append(widgets.arg(QCoreApplication.translate("ModelSettingsDialog", "%1 MB"), mb))
    if info.context_length:
        ctx = format_number(info.context_length)
        parts.append(widgets.arg(QCoreApplication.translate("ModelSettingsDialog", "%1 ctx"), ctx))
    if info.has_chat_template:
        parts.append(QCoreApplication.translate("ModelSettingsDialog", "chat"))
    if info.source:
        where = MODEL_SOURCES.get(info.source)
        parts.append(QCoreApplication.translate("ModelSettingsDialog", where) if where else info.source)
    if licence:
        parts.append(widgets.arg(QCoreApplication.translate("ModelSettingsDialog", "licence: %1"), licence))
    elif licence is not None:
        parts.append(QCoreApplication.translate("ModelSettingsDialog", "licence not stated"))
    extra = f"  ({', '.join(parts)})" if parts else ""
    return f"{info.name}{extra}"


_DETAILS_KEY = "model-settings-details"
_LAYERS_ROLE = Qt.ItemDataRole.UserRole + 2  # the model's layer count (None: not known)
_SIZE_ROLE = Qt.ItemDataRole.UserRole + 3


class ModelSettingsDialog(QDialog):
    """Pick a GGUF from what discovery finds (asked on the engine thread) or from a file; set how to load it.

    With a ``shop`` and ``operations`` the list also gets each model's licence and the GPU layers row says what
    this llama.cpp can offload and how many of the chosen model's layers fit; both need a header read per file
    and a look at the GPU, so they come from a background operation after discovery answers."""

    details_shown = Signal()  # licences and the offload advice are in

    def __init__(
        self,
        host: EngineHost,
        current: ModelChoice,
        loaded: ModelInfo | None,
        parent: QWidget | None = None,
        *,
        shop: ModelShop | None = None,
        operations: Operations | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Model settings"))
        self.resize(620, 440)
        self._host = host
        self._request = 0
        self._shop = shop
        self._operations = operations
        self._facts: MachineFacts | None = None
        self._default_item: QListWidgetItem | None = None  # the usable model "Automatic" stands for
        self._closed = False
        lay = QVBoxLayout(self)
        self.loaded_label = QLabel(
            widgets.arg(self.tr("Loaded now: <b>%1</b> <span style='color:gray'>(%2)</span>"), loaded.name, loaded.path)
            if loaded else self.tr("No model is loaded.")
        )
        self.loaded_label.setWordWrap(True)
        self.loaded_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay.addWidget(self.loaded_label)
        lay.addWidget(QLabel(self.tr("&Models found:")))
        self.models = QListWidget()
        self.models.setAccessibleName(self.tr("Models"))
        lay.addWidget(self.models, 1)
        self.status = QLabel(self.tr("Looking for models…"))
        self.status.setWordWrap(True)
        lay.addWidget(self.status)
        self.browse = widgets.push_button(self.tr("&Choose a GGUF file…"), self._on_browse_clicked)
        lay.addLayout(widgets.row(self.browse, widgets.STRETCH))

        form = QFormLayout()
        self.n_ctx = QSpinBox()
        self.n_ctx.setRange(0, 131072)
        self.n_ctx.setSingleStep(1024)
        self.n_ctx.setSpecialValueText(self.tr("automatic"))
        self.n_ctx.setValue(current.n_ctx or 0)
        self.n_ctx.setToolTip(
            self.tr("Tokens the model can read at once. Bigger reads more of the draft but uses more memory.")
        )
        self.threads = QSpinBox()
        self.threads.setRange(0, 256)
        self.threads.setSpecialValueText(self.tr("automatic"))
        self.threads.setValue(current.n_threads or 0)
        self.gpu_layers = QSpinBox()
        self.gpu_layers.setRange(-1, 999)
        self.gpu_layers.setSpecialValueText(self.tr("all"))
        self.gpu_layers.setValue(current.n_gpu_layers)
        self.gpu_layers.setToolTip(self.tr("Layers to run on the graphics card (0: none, all: every layer)"))
        form.addRow(self.tr("Context &size"), self.n_ctx)
        form.addRow(self.tr("&Threads"), self.threads)
        form.addRow(self.tr("&GPU layers"), self.gpu_layers)
        self.gpu_note = QLabel(self.tr("Asking llama.cpp about GPU offload…") if shop is not None else "")
        self.gpu_note.setWordWrap(True)
        self.gpu_note.setAccessibleName(self.tr("GPU offload"))
        form.addRow("", self.gpu_note)
        lay.addLayout(form)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("&Load"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)

        self._chosen_path = current.path
        self.models.currentItemChanged.connect(self._on_model_changed)
        host.worker.models_discovered.connect(self._on_models_discovered)
        self._add_placeholder_default()
        self._request = host.discover(current.path)

    def _add_placeholder_default(self) -> None:
        item = QListWidgetItem(self.tr("Automatic (the first usable model; the built-in one if there is no other)"))
        item.setData(Qt.ItemDataRole.UserRole, None)
        self.models.addItem(item)
        if not self._chosen_path:
            self.models.setCurrentItem(item)

    def choice(self) -> ModelChoice:
        return ModelChoice(
            path=self._chosen_path,
            n_ctx=self.n_ctx.value() or None,
            n_threads=self.threads.value() or None,
            n_gpu_layers=self.gpu_layers.value(),
        )

    def choose_file(self, path: str) -> None:
        """Select a file as if it had been picked in the file dialog (adds it to the list)."""
        for i in range(self.models.count()):
            if self.models.item(i).data(Qt.ItemDataRole.UserRole) == path:
                self.models.setCurrentRow(i)
                return
        item = QListWidgetItem(widgets.arg(self.tr("%1  (chosen file: %2)"), Path(path).name, path))
        item.setData(Qt.ItemDataRole.UserRole, path)
        self.models.insertItem(1, item)
        self.models.setCurrentItem(item)

    @Slot()
    def _on_browse_clicked(self) -> None:
        start = str(Path(self._chosen_path).parent) if self._chosen_path else str(Path.home())
        filters = self.tr("GGUF models (*.gguf);;All files (*)")
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Choose a model"), start, filters)
        if path:
            self.choose_file(path)

    @Slot(object, object)
    def _on_model_changed(self, current: QListWidgetItem | None, _previous: object) -> None:
        if current is None:
            return
        self._chosen_path = current.data(Qt.ItemDataRole.UserRole)
        error = current.data(Qt.ItemDataRole.UserRole + 1)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(not error)
        self.status.setText(error or (current.toolTip() or ""))
        self._show_offload()

    def _show_offload(self) -> None:
        if self._facts is None:
            return
        item: QListWidgetItem | None = self.models.currentItem()
        if item is not None and item.data(Qt.ItemDataRole.UserRole) is None:
            item = self._default_item  # "Automatic": the model it would load
        size = int(item.data(_SIZE_ROLE) or 0) if item is not None else 0
        layers = item.data(_LAYERS_ROLE) if item is not None else None
        self.gpu_note.setText(shown(offload_advice(self._facts, size, layers)))

    @Slot(int, object)
    def _on_models_discovered(self, request_id: int, found: list[ModelInfo]) -> None:
        if request_id != self._request:
            return
        chosen = self._chosen_path
        for info in found:
            path = str(info.path)
            item = QListWidgetItem(describe_model(info))
            item.setData(Qt.ItemDataRole.UserRole, path)
            item.setToolTip(path)
            error = shown(info.error)  # translated here: a QVariant keeps the text, not the message it came from
            if error:
                item.setData(Qt.ItemDataRole.UserRole + 1, error)
                item.setText(widgets.arg(self.tr("%1  (cannot be used: %2)"), info.name or Path(path).name, error))
                item.setForeground(self.palette().placeholderText())
            item.setData(_SIZE_ROLE, info.size_bytes)
            self.models.addItem(item)
            if info.is_default and self._default_item is None:
                self._default_item = item
            if chosen and Path(path) == Path(chosen):
                self.models.setCurrentItem(item)
        if chosen and not any(
            self.models.item(i).data(Qt.ItemDataRole.UserRole) == chosen for i in range(self.models.count())
        ):
            self.choose_file(chosen)
        n = len(found)
        if not n:
            self.status.setText(self.tr("No models found yet."))
        else:  # two texts: without a translation (English) Qt fills the plural text in as it is
            self.status.setText(self.tr("%n model found.", "", n) if n == 1 else self.tr("%n models found.", "", n))
        # Discovery can answer after Load closed the dialog (then deleted): a details operation started then would
        # land on deleted widgets, as dropping the key only stops those already in flight.
        if self._shop is not None and self._operations is not None and not self._closed:
            shop = self._shop
            self._operations.run_in_background(lambda: (shop.machine(), shop.with_details(found)), self._show_details,
                                               key=_DETAILS_KEY, title=self.tr("The models' details could not be read"))

    def _show_details(self, result: tuple[MachineFacts, list[DownloadedModel]]) -> None:
        facts, details = result
        self._facts = facts
        by_path = {str(d.info.path): d for d in details}
        for i in range(self.models.count()):
            item = self.models.item(i)
            d = by_path.get(item.data(Qt.ItemDataRole.UserRole) or "")
            if d is None or d.info.error:
                continue
            item.setText(describe_model(d.info, d.licence))
            item.setData(_LAYERS_ROLE, d.layers)
        self._show_offload()
        self.details_shown.emit()

    def done(self, result: int) -> None:
        self._closed = True
        if self._operations is not None:
            self._operations.drop(_DETAILS_KEY)  # what it would show is gone
        super().done(result)
