"""Import… and Export… in the Library dialogs (Library -> Presets…/Styles…), offscreen over a real data folder: the
chosen entry is written with the edits the writer sees, a file's entries are added and chosen, a bad file adds
nothing and says why."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from studio.ui.library_dialogs import PresetEditor, StyleEditor


def _answer_file_dialogs(monkeypatch: Any, path: Path) -> list[str]:
    asked: list[str] = []

    def pick(parent: Any, title: str, *args: Any, **kwargs: Any) -> tuple[str, str]:
        asked.append(title)
        return str(path), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", pick)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", pick)
    return asked


def test_export_then_import_a_preset_with_the_buttons(services, dialogs, qtbot, monkeypatch, tmp_path: Path):
    dlg = PresetEditor(services.library)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.list.setCurrentRow(0)
    chosen = dlg.current()
    assert chosen is not None
    dlg.description.setText("Edited, not saved yet")
    dlg.description.textEdited.emit("Edited, not saved yet")
    out = tmp_path / "one.toml"
    asked = _answer_file_dialogs(monkeypatch, out)
    qtbot.mouseClick(dlg.files.export_button, Qt.MouseButton.LeftButton)
    assert asked == ["Export preset"]
    [entry] = tomllib.loads(out.read_text(encoding="utf-8"))["preset"]
    assert entry["name"] == chosen.name and entry["description"] == "Edited, not saved yet"

    before = len(services.library.presets())
    changed: list[bool] = []
    dlg.library_changed.connect(lambda: changed.append(True))
    qtbot.mouseClick(dlg.files.import_button, Qt.MouseButton.LeftButton)
    assert len(services.library.presets()) == before + 1
    assert dlg.current().name == f"{chosen.name} (imported)" and changed
    assert not dialogs.shown


def test_a_bad_file_is_refused_in_the_dialog_and_nothing_is_added(services, dialogs, qtbot, monkeypatch,
                                                                  tmp_path: Path):
    dlg = StyleEditor(services.library)
    qtbot.addWidget(dlg)
    bad = tmp_path / "bad.toml"
    bad.write_text("[[style]]\nname = 'Salt'\nform = 'prose'\nguidance = 'g'\n"
                   "[[style]]\nname = 'Brine'\nform = 'prose'\nguidance = 'g'\n[style.sampler]\ntop_p = 3\n",
                   encoding="utf-8")
    _answer_file_dialogs(monkeypatch, bad)
    before = services.library.styles()
    assert not dlg.files.import_file()
    assert services.library.styles() == before
    [(kind, title, text)] = dialogs.shown
    assert kind == "warning" and title == "Nothing was imported"
    assert "style #2 “Brine”" in text and "sampler top_p = 3 is outside" in text and "Nothing was imported" in text

    # And a good style file, exported from the dialog, comes back in.
    dlg.list.setCurrentRow(0)
    out = tmp_path / "style.toml"
    _answer_file_dialogs(monkeypatch, out)
    assert dlg.files.export_file() and dlg.files.import_file()
    assert len(services.library.styles()) == len(before) + 1
