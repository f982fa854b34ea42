"""Model -> Get a model...: the curated catalogue with how each model would run here, any hub repo's GGUF files
with the quant to take, a download with progress, speed, time left and Cancel, then an offer to switch to it.

Everything slow happens off the UI thread: the machine facts and the catalogue through the window's Operations,
the download on its own daemon thread that reports through queued signals (it runs for minutes and has progress,
which Operations does not carry). Cancel sets an Event the download checks between reads, so it stops within one
network read and keeps what it fetched: the next Download resumes from there.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal, SignalInstance, Slot
from PySide6.QtGui import QAction, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from studio.services.models import (
    CatalogueChoice,
    DownloadCancelled,
    Fit,
    MachineFacts,
    ModelShop,
    Progress,
    RepoListing,
    Verdict,
    offload_advice,
)
from studio.ui import widgets
from studio.ui.i18n import format_number, shown
from studio.ui.operations import Operations, failure_text

log = logging.getLogger(__name__)

_FIT_COLOURS = {Verdict.RUNS_WELL: QColor("#2e7d32"), Verdict.SLOW: QColor("#b26a00"),
                Verdict.TOO_BIG: QColor("#c62828")}


def _size(n: int) -> str:
    if n >= 1e9:
        return widgets.arg(QCoreApplication.translate("GetModelDialog", "%1 GB"), format_number(n / 1e9, 1))
    return widgets.arg(QCoreApplication.translate("GetModelDialog", "%1 MB"), format_number(round(n / 1e6)))


def _duration(s: float) -> str:
    if s < 90:
        return widgets.arg(QCoreApplication.translate("GetModelDialog", "%1 s"), format_number(round(s)))
    if s < 5400:
        return widgets.arg(QCoreApplication.translate("GetModelDialog", "%1 min"), format_number(round(s / 60)))
    return widgets.arg(QCoreApplication.translate("GetModelDialog", "%1 h"), format_number(s / 3600, 1))


class GetModelDialog(QDialog):
    switch_requested = Signal(str)  # the path of a downloaded model the writer wants to use now
    catalogue_shown = Signal()
    files_shown = Signal()
    download_finished = Signal(str)  # path
    download_stopped = Signal(str)  # why, in words (cancelled, failed)
    _progress = Signal(object)  # Progress, from the download thread
    _finished = Signal(str)
    _failed = Signal(object)  # the exception

    def __init__(self, shop: ModelShop, operations: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Get a model"))
        self.resize(980, 620)
        self._shop = shop
        self._operations = operations
        self._cancel: threading.Event | None = None
        self._spec = ""  # what Download fetches: a catalogue name or OWNER/REPO:FILE
        self.downloaded_path = ""
        self.facts: MachineFacts | None = None

        self.machine_label = QLabel(self.tr("Looking at this machine…"))
        self.machine_label.setWordWrap(True)
        self.catalogue = self._table([self.tr("Model"), self.tr("Size"), self.tr("Languages"), self.tr("Licence"),
                                      self.tr("Fit here"), self.tr("Writes well")])
        self.repo_edit = QLineEdit()
        self.repo_edit.setPlaceholderText(self.tr("owner/repo, e.g. lmstudio-community/Qwen2.5-7B-Instruct-GGUF"))
        self.list_button = widgets.push_button(self.tr("List files"), self.list_repo)
        self.files = self._table([self.tr("File"), self.tr("Size"), self.tr("Quant"), self.tr("Fit here")])
        self.files.hide()
        self.repo_note = QLabel("")
        self.repo_note.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.hide()
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.download_button = widgets.push_button(self.tr("Download"), self.start_download)
        self.download_button.setEnabled(False)
        self.cancel_button = widgets.push_button(self.tr("Cancel download"), self.cancel_download)
        self.cancel_button.setEnabled(False)
        self.use_button = widgets.push_button(self.tr("Use it now"), self._on_use)
        self.use_button.hide()
        self.close_button = widgets.push_button(self.tr("Close"), self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.machine_label)
        layout.addWidget(QLabel(self.tr("Picked for writing in English and Chinese:")))
        layout.addWidget(self.catalogue, 3)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Or any repo on the hub:")))
        row.addWidget(self.repo_edit, 1)
        row.addWidget(self.list_button)
        layout.addLayout(row)
        layout.addWidget(self.files, 2)
        layout.addWidget(self.repo_note)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addLayout(widgets.row(self.download_button, self.cancel_button, self.use_button, widgets.STRETCH,
                                     self.close_button))

        self.catalogue.itemSelectionChanged.connect(self._on_catalogue_selected)
        self.files.itemSelectionChanged.connect(self._on_file_selected)
        self.repo_edit.returnPressed.connect(self.list_repo)
        self._progress.connect(self._on_progress)
        self._finished.connect(self._on_finished)
        self._failed.connect(self._on_failed)
        self._choices: list[CatalogueChoice] = []
        self._listing: RepoListing | None = None
        operations.run_in_background(self._read_catalogue, self._show_catalogue, key="get-model-catalogue",
                                     title=self.tr("The model catalogue could not be read"))

    def _table(self, headers: list[str]) -> QTableWidget:
        t = QTableWidget(0, len(headers))
        t.setHorizontalHeaderLabels(headers)
        t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        t.verticalHeader().hide()
        t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        t.horizontalHeader().setStretchLastSection(True)
        return t

    # -- the catalogue and the machine ---------------------------------------------------------------------
    def _read_catalogue(self) -> tuple[MachineFacts, list[CatalogueChoice]]:
        facts = self._shop.machine()
        return facts, self._shop.catalogue_fits(facts)

    def _show_catalogue(self, result: tuple[MachineFacts, list[CatalogueChoice]]) -> None:
        facts, choices = result
        self.facts, self._choices = facts, choices
        self.machine_label.setText(self.machine_text(facts))
        self.catalogue.setRowCount(len(choices))
        for i, c in enumerate(choices):
            here = self.tr(" (downloaded)") if c.downloaded else ""
            cells = [c.entry.title, _size(c.entry.size_bytes), self._languages(c.entry.languages), c.entry.licence,
                     self.fit_label(c.fit) + here, c.entry.writes]
            for j, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(f"{c.entry.repo}:{c.entry.file}\n{shown(c.fit.reason)}")
                self.catalogue.setItem(i, j, item)
            self._colour(self.catalogue.item(i, 4), c.fit)
        self.catalogue_shown.emit()

    def _languages(self, codes: tuple[str, ...]) -> str:
        names = {"en": self.tr("English"), "zh": self.tr("Chinese")}
        return self.tr(", ", "between the items of a list").join(names.get(c, c) for c in codes)

    def fit_label(self, fit: Fit) -> str:
        """How the model would run here, as Fit.label says it, in the window's language."""
        verdict = {Verdict.RUNS_WELL: self.tr("runs well"), Verdict.SLOW: self.tr("slow"),
                   Verdict.TOO_BIG: self.tr("too big")}[fit.verdict]
        if fit.verdict is Verdict.TOO_BIG:
            return verdict
        # One decimal below 10, so a "slow" 4.8 never reads as the 5 tokens/s it falls short of.
        speed = format_number(fit.tokens_per_s, 0 if fit.tokens_per_s >= 10 else 1)
        return widgets.arg(self.tr("%1 (~%2 tokens/s)"), verdict, speed)

    def machine_text(self, facts: MachineFacts) -> str:
        def gb(n: float) -> str:
            return format_number(round(n / 1e9))

        ram = widgets.arg(self.tr("%1 GB memory"), gb(facts.total_ram)) if facts.total_ram else self.tr("memory ?")
        free = widgets.arg(self.tr(" (%1 GB free now)"), gb(facts.available_ram)) if facts.available_ram else ""
        disk = widgets.arg(self.tr("%1 GB free disk"), gb(facts.free_disk)) if facts.free_disk is not None else ""
        gpu = (self._gpu_text(facts) if facts.gpu_offload else
               self.tr("This llama.cpp runs on the CPU only: it was built without GPU offload (a llama-cpp-python "
                       "built for CUDA, Vulkan or Metal has it)."))
        return widgets.arg(self.tr("This machine: %1%2, %3 cores, %4. %5"), ram, free,
                           format_number(facts.physical_cores), disk, gpu)

    def _gpu_text(self, facts: MachineFacts) -> str:
        g = facts.gpu
        if g is None:
            return self.tr("This llama.cpp can offload layers to a GPU, but the GPU's free memory cannot be measured "
                           "here, so how many layers fit is not known (set GPU layers in Model settings).")
        return widgets.arg(self.tr("This llama.cpp can offload layers to a GPU: %1 free of %2 on %3; choose a model to "
                                   "see how many of its layers fit (set GPU layers in Model settings)."),
                           _size(g.free), _size(g.total), ", ".join(g.devices))

    @staticmethod
    def _colour(item: QTableWidgetItem | None, fit: Fit) -> None:
        if item is not None:
            item.setForeground(_FIT_COLOURS[fit.verdict])

    def fit_labels(self) -> list[str]:
        return [self.catalogue.item(i, 4).text() for i in range(self.catalogue.rowCount())]  # type: ignore[union-attr]

    @Slot()
    def _on_catalogue_selected(self) -> None:
        rows = self.catalogue.selectionModel().selectedRows()
        if not rows:
            return
        self.files.clearSelection()
        c = self._choices[rows[0].row()]
        self._choose(c.entry.name, c.entry.title, c.fit, c.entry.size_bytes)

    # -- any repo ------------------------------------------------------------------------------------------
    @Slot()
    def list_repo(self) -> None:
        repo = self.repo_edit.text().strip()
        if not repo:
            return
        self.repo_note.setText(widgets.arg(self.tr("Asking the hub for %1's files…"), repo))
        self._operations.run_in_background(lambda: self._shop.repo_files(repo), self._show_files,
                                           key="get-model-files", title=self.tr("The repo's files could not be listed"),
                                           on_failed=lambda exc: self.repo_note.setText(failure_text(exc)))

    def _show_files(self, listing: RepoListing) -> None:
        self._listing = listing
        self.files.setRowCount(len(listing.files))
        for i, f in enumerate(listing.files):
            mark = "★ " if f.file.path == listing.recommended else ""
            fit = self.fit_label(f.fit) if f.usable else self.tr("not a whole model (projector or split part)")
            for j, text in enumerate([mark + f.file.path, _size(f.file.size), f.quant or "?", fit]):
                item = QTableWidgetItem(text)
                item.setToolTip(shown(f.fit.reason))
                self.files.setItem(i, j, item)
            self._colour(self.files.item(i, 3), f.fit)
        self.files.show()
        why = shown(listing.why)  # the services' reason, in the window's language
        self.repo_note.setText(widgets.arg(self.tr("Recommended: %1"), why) if listing.recommended
                               else widgets.arg(self.tr("Nothing to recommend: %1."), why))
        if listing.recommended:
            self.files.selectRow(next(i for i, f in enumerate(listing.files) if f.file.path == listing.recommended))
        self.files_shown.emit()

    @Slot()
    def _on_file_selected(self) -> None:
        rows = self.files.selectionModel().selectedRows()
        if not rows or self._listing is None:
            return
        self.catalogue.clearSelection()
        f = self._listing.files[rows[0].row()]
        if not f.usable:
            self.download_button.setEnabled(False)
            return
        self._choose(f"{self._listing.repo}:{f.file.path}", f.file.path, f.fit, f.file.size)

    def _choose(self, spec: str, title: str, fit: Fit, size_bytes: int) -> None:
        self._spec = spec
        running = self._cancel is not None
        self.download_button.setEnabled(not running and fit.verdict is not Verdict.TOO_BIG)
        if not running:
            # Layer counts are in the file's header, not in the catalogue or the hub's list: before a download the
            # advice is the share of its layers that fits. A CPU-only build is said once, above the catalogue.
            facts = self.facts
            gpu = f" {shown(offload_advice(facts, size_bytes))}" if facts is not None and facts.gpu_offload else ""
            self.status.setText(widgets.arg(self.tr("%1: %2."), title, shown(fit.reason)) + gpu)

    # -- the download --------------------------------------------------------------------------------------
    @Slot()
    def start_download(self) -> None:
        if not self._spec or self._cancel is not None:
            return
        cancel = threading.Event()
        self._cancel = cancel
        self.destroyed.connect(cancel.set)  # a dialog closed with its window stops the download too
        spec, shop = self._spec, self._shop
        progress, finished, failed = self._progress, self._finished, self._failed

        def work() -> None:
            try:
                path = shop.get(spec, on_progress=lambda p: _emit(progress, p), cancel=cancel)
            except BaseException as exc:  # noqa: BLE001 - every failure is shown in the dialog
                if not isinstance(exc, DownloadCancelled):
                    log.info("download of %s failed: %s", spec, exc, exc_info=not hasattr(exc, "exit_code"))
                _emit(failed, exc)
                return
            _emit(finished, str(path))

        self.download_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.use_button.hide()
        self.progress.setValue(0)
        self.progress.show()
        self.status.setText(self.tr("Connecting to the hub…"))
        threading.Thread(target=work, name="studio-model-download", daemon=True).start()

    @Slot()
    def cancel_download(self) -> None:
        if self._cancel is not None:
            self._cancel.set()
            self.cancel_button.setEnabled(False)
            self.status.setText(self.tr("Stopping…"))

    @property
    def downloading(self) -> bool:
        return self._cancel is not None

    @Slot(object)
    def _on_progress(self, p: Progress) -> None:
        self.progress.setValue(int(p.fraction * 1000))
        speed = (widgets.arg(self.tr("%1 MB/s"), format_number(p.bytes_per_s / 1e6, 1)) if p.bytes_per_s > 0
                 else "…")
        left = p.seconds_left
        eta = widgets.arg(self.tr(", %1 left"), _duration(left)) if left is not None else ""
        resumed = widgets.arg(self.tr(" (resumed at %1)"), _size(p.resumed_from)) if p.resumed_from else ""
        self.status.setText(widgets.arg(self.tr("%1 of %2 at %3%4%5"), _size(p.done), _size(p.total), speed, eta,
                                        resumed))

    @Slot(str)
    def _on_finished(self, path: str) -> None:
        self._end()
        self.downloaded_path = path
        self.progress.setValue(1000)
        self.status.setText(widgets.arg(
            self.tr("Downloaded and checked: %1 is in the models folder. Switch to it now?"), path.rsplit("/", 1)[-1]))
        self.use_button.show()
        self.download_finished.emit(path)

    @Slot(object)
    def _on_failed(self, exc: BaseException) -> None:
        self._end()
        if isinstance(exc, DownloadCancelled):
            text = self.tr("Cancelled. What was fetched is kept: Download again to resume from there.")
        else:
            text = failure_text(exc)
        self.status.setText(text)
        self.download_stopped.emit(text)

    def _end(self) -> None:
        self._cancel = None
        self.cancel_button.setEnabled(False)
        self.download_button.setEnabled(bool(self._spec))

    @Slot()
    def _on_use(self) -> None:
        if self.downloaded_path:
            self.switch_requested.emit(self.downloaded_path)
            self.accept()

    def done(self, result: int) -> None:
        self.cancel_download()  # closing the dialog never leaves a download running unseen
        super().done(result)


def _emit(signal: SignalInstance, value: object) -> None:
    with contextlib.suppress(RuntimeError):  # the dialog went first
        signal.emit(value)


class GetModelPart(QObject):
    """The window's part for Model -> Get a model...: opens the dialog, and passes on the writer's wish to use a
    downloaded model now (the window hands it to the model controller)."""

    switch_requested = Signal(str)  # the path of the downloaded model

    def __init__(self, shop_factory: Callable[[], ModelShop], action: QAction, operations: Operations,
                 owner: QWidget) -> None:
        super().__init__(owner)
        self._shop_factory = shop_factory
        self._operations = operations
        self._owner = owner
        self.dialog = widgets.OneDialog[GetModelDialog]()
        action.triggered.connect(self.open)

    @Slot()
    def open(self) -> GetModelDialog:
        def make() -> GetModelDialog:
            dlg = GetModelDialog(self._shop_factory(), self._operations, self._owner)
            dlg.switch_requested.connect(self.switch_requested)
            dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
            return dlg

        return self.dialog.open(make)
