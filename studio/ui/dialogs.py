"""Small dialogs: a new draft, and the model settings (which model, context size, threads, GPU layers)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from studio.domain import Form, ModelInfo
from studio.ui.sidebar import FORM_LABELS
from studio.ui.worker import EngineHost

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


def describe_model(info: ModelInfo) -> str:
    size = f"{info.size_bytes / 1e6:,.0f} MB" if info.size_bytes else ""
    parts = [p for p in (info.quantization, size) if p]
    if info.context_length:
        parts.append(f"{info.context_length:,} ctx")
    if info.has_chat_template:
        parts.append("chat")
    where = {"chosen": "chosen file", "data": "data folder", "repo": "models/ folder", "embedded": "built in"}
    if info.source:
        parts.append(where.get(info.source, info.source))
    extra = f"  ({', '.join(parts)})" if parts else ""
    return f"{info.name}{extra}"


class ModelSettingsDialog(QDialog):
    """Pick a GGUF from what discovery finds (asked on the engine thread) or from a file; set how to load it."""

    def __init__(
        self,
        host: EngineHost,
        current: ModelChoice,
        loaded: ModelInfo | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Model settings")
        self.resize(620, 440)
        self._host = host
        self._request = 0
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
        row = QHBoxLayout()
        self.browse = QPushButton("&Choose a GGUF file…")
        row.addWidget(self.browse)
        row.addStretch(1)
        lay.addLayout(row)

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
        lay.addLayout(form)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Load")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)

        self._chosen_path = current.path
        self.browse.clicked.connect(self._on_browse_clicked)
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
            self.models.addItem(item)
            if chosen and Path(path) == Path(chosen):
                self.models.setCurrentItem(item)
        if chosen and not any(
            self.models.item(i).data(Qt.ItemDataRole.UserRole) == chosen for i in range(self.models.count())
        ):
            self.choose_file(chosen)
        n = len(found)
        self.status.setText(f"{n} model{'s' if n != 1 else ''} found." if n else "No models found yet.")
