"""Small dialogs: a new draft, and the model settings (which model, context size, threads, GPU layers)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal, Slot
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
from studio.services.models import DownloadedModel, MachineFacts, offload_advice
from studio.ui import widgets
from studio.ui.sidebar import FORM_LABELS
from studio.ui.worker import EngineHost

if TYPE_CHECKING:
    from studio.services.models import ModelShop
    from studio.ui.operations import Operations

log = logging.getLogger(__name__)


class NewDraftDialog(QDialog):
    """Asks for a title and a form. ``get`` is the one entry point (tests replace it)."""

    def __init__(self, parent: QWidget | None = None, form: Form = Form.PROSE) -> None:
        super().__init__(parent)
        self.setWindowTitle("New draft")
        lay = QFormLayout(self)
        self.title = QLineEdit()
        self.title.setPlaceholderText("Untitled")
        self.form = QComboBox()
        for f, label in FORM_LABELS.items():
            self.form.addItem(label, f.value)
        self.form.setCurrentIndex(max(0, self.form.findData(form.value)))
        lay.addRow("&Title", self.title)
        lay.addRow("&Form", self.form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addRow(buttons)

    def values(self) -> tuple[str, Form]:
        return (self.title.text().strip() or "Untitled", Form(self.form.currentData()))

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


def describe_model(info: ModelInfo, licence: str | None = None) -> str:
    """One line for the list: quant, size, context, chat, where it was found and (``licence`` not None: it was
    looked up) the licence, as `studio models` lists them."""
    size = f"{info.size_bytes / 1e6:,.0f} MB" if info.size_bytes else ""
    parts = [p for p in (info.quantization, size) if p]
    if info.context_length:
        parts.append(f"{info.context_length:,} ctx")
    if info.has_chat_template:
        parts.append("chat")
    where = {"chosen": "chosen file", "data": "data folder", "repo": "models/ folder", "embedded": "built in"}
    if info.source:
        parts.append(where.get(info.source, info.source))
    if licence is not None:
        parts.append(f"licence: {licence}" if licence else "licence not stated")
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
        self.setWindowTitle("Model settings")
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
            f"Loaded now: <b>{loaded.name}</b> <span style='color:gray'>({loaded.path})</span>" if loaded
            else "No model is loaded."
        )
        self.loaded_label.setWordWrap(True)
        self.loaded_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay.addWidget(self.loaded_label)
        lay.addWidget(QLabel("&Models found:"))
        self.models = QListWidget()
        self.models.setAccessibleName("Models")
        lay.addWidget(self.models, 1)
        self.status = QLabel("Looking for models…")
        self.status.setWordWrap(True)
        lay.addWidget(self.status)
        self.browse = widgets.push_button("&Choose a GGUF file…", self._on_browse_clicked)
        lay.addLayout(widgets.row(self.browse, widgets.STRETCH))

        form = QFormLayout()
        self.n_ctx = QSpinBox()
        self.n_ctx.setRange(0, 131072)
        self.n_ctx.setSingleStep(1024)
        self.n_ctx.setSpecialValueText("automatic")
        self.n_ctx.setValue(current.n_ctx or 0)
        self.n_ctx.setToolTip("Tokens the model can read at once. Bigger reads more of the draft but uses more memory.")
        self.threads = QSpinBox()
        self.threads.setRange(0, 256)
        self.threads.setSpecialValueText("automatic")
        self.threads.setValue(current.n_threads or 0)
        self.gpu_layers = QSpinBox()
        self.gpu_layers.setRange(-1, 999)
        self.gpu_layers.setSpecialValueText("all")
        self.gpu_layers.setValue(current.n_gpu_layers)
        self.gpu_layers.setToolTip("Layers to run on the graphics card (0: none, all: every layer)")
        form.addRow("Context &size", self.n_ctx)
        form.addRow("&Threads", self.threads)
        form.addRow("&GPU layers", self.gpu_layers)
        self.gpu_note = QLabel("Asking llama.cpp about GPU offload…" if shop is not None else "")
        self.gpu_note.setWordWrap(True)
        self.gpu_note.setAccessibleName("GPU offload")
        form.addRow("", self.gpu_note)
        lay.addLayout(form)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Load")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)

        self._chosen_path = current.path
        self.models.currentItemChanged.connect(self._on_model_changed)
        host.worker.models_discovered.connect(self._on_models_discovered)
        self._add_placeholder_default()
        self._request = host.discover(current.path)

    def _add_placeholder_default(self) -> None:
        item = QListWidgetItem("Automatic (the first usable model; the built-in one if there is no other)")
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
        item = QListWidgetItem(f"{Path(path).name}  (chosen file: {path})")
        item.setData(Qt.ItemDataRole.UserRole, path)
        self.models.insertItem(1, item)
        self.models.setCurrentItem(item)

    @Slot()
    def _on_browse_clicked(self) -> None:
        start = str(Path(self._chosen_path).parent) if self._chosen_path else str(Path.home())
        path, _ = QFileDialog.getOpenFileName(self, "Choose a model", start, "GGUF models (*.gguf);;All files (*)")
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
        self.gpu_note.setText(offload_advice(self._facts, size, layers))

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
            error = info.error
            if error:
                item.setData(Qt.ItemDataRole.UserRole + 1, error)
                item.setText(f"{info.name or Path(path).name}  (cannot be used: {error})")
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
        self.status.setText(f"{n} model{'s' if n != 1 else ''} found." if n else "No models found yet.")
        # Discovery can answer after Load closed the dialog (then deleted): a details operation started then would
        # land on deleted widgets, as dropping the key only stops those already in flight.
        if self._shop is not None and self._operations is not None and not self._closed:
            shop = self._shop
            self._operations.run_in_background(lambda: (shop.machine(), shop.with_details(found)), self._show_details,
                                               key=_DETAILS_KEY, title="The models' details could not be read")

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
