"""Import… and Export… in the Library dialogs: presets and styles as TOML files (services/library_files.py).

Export writes the preset or style chosen in the list (edits not saved yet are saved first, so the file holds what
the writer sees); Import adds every entry of a file, or, when the file is bad, nothing, and says why.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, cast

from PySide6.QtCore import QObject, SignalInstance, Slot
from PySide6.QtWidgets import QFileDialog, QWidget

from studio.ui import messages, widgets

if TYPE_CHECKING:
    from studio.services.library import LibraryService

TOML_FILTER = "TOML (*.toml);;*"


class LibraryDialog(Protocol):
    """What the buttons use of a Library dialog (library_dialogs._LibraryDialog)."""

    library_changed: SignalInstance

    def current(self) -> Any: ...  # the Preset or StyleVariant chosen in the list, or None
    def is_dirty(self) -> bool: ...
    def save(self, *_: object, reload: bool = True) -> None: ...
    def reload(self, select_id: int | None = None) -> None: ...


class LibraryFileButtons(QObject):
    """The two buttons of one Library dialog (``kind``: "presets" or "styles") and what they do."""

    def __init__(self, dialog: QWidget, library: LibraryService, kind: str) -> None:
        super().__init__(dialog)
        self._widget = dialog
        self._dialog = cast(LibraryDialog, dialog)
        self._library = library
        self._kind = kind
        self.import_button = widgets.push_button(self.tr("&Import…"), self.import_file,
                                                 tip=self.tr("Add the entries of a TOML file"))
        self.export_button = widgets.push_button(self.tr("E&xport…"), self.export_file,
                                                 tip=self.tr("Write the chosen entry to a TOML file"))

    @Slot()
    def import_file(self) -> bool:
        title = self.tr("Import presets") if self._kind == "presets" else self.tr("Import styles")
        path, _ = QFileDialog.getOpenFileName(self._widget, title, str(Path.home()), TOML_FILTER)
        if not path:
            return False
        lib = self._library
        with messages.reported(self._widget, self.tr("Nothing was imported")) as attempt:
            items = lib.import_presets(Path(path)) if self._kind == "presets" else lib.import_styles(Path(path))
        if attempt.failed or not items:
            return False
        self._dialog.library_changed.emit()
        self._dialog.reload(items[0].id)
        return True

    @Slot()
    def export_file(self) -> bool:
        if self._dialog.is_dirty():
            self._dialog.save(reload=False)
        chosen = self._dialog.current()
        if chosen is None or chosen.id is None:
            return False
        item_id, name = chosen.id, chosen.name
        title = self.tr("Export preset") if self._kind == "presets" else self.tr("Export style")
        stem = "".join(c if c.isalnum() or c in " -_" else "_" for c in name).strip() or "studio"
        path, _ = QFileDialog.getSaveFileName(self._widget, title, str(Path.home() / f"{stem}.toml"), TOML_FILTER)
        if not path:
            return False
        out = Path(path)
        lib = self._library
        with messages.reported(self._widget, self.tr("The file was not written")) as attempt:
            if self._kind == "presets":
                lib.export_presets(out, [item_id])
            else:
                lib.export_styles(out, [item_id])
        return not attempt.failed
