"""Light and dark themes: a palette and editor colours read from resources/themes, plus one shared style sheet.

"system" follows the desktop's colour scheme (QStyleHints.colorScheme) and switches live when it changes.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from studio.paths import resources_dir

log = logging.getLogger(__name__)

THEME_MODES = ("system", "light", "dark")

# Used when a theme file is missing or damaged, so a broken install still shows readable text.
_FALLBACK_EDITOR = {
    "pending": "#3a6ea5",
    "pending_background": "#e8f0fa",
    "rewrite_original": "#a33a2f",
    "rewrite_original_background": "#fbe9e6",
    "diff_insert": "#1f6b35",
    "diff_insert_background": "#dcf3e2",
    "diff_delete": "#9b2d22",
    "diff_delete_background": "#f9dedb",
    "gutter": "#a39b8f",
    "gutter_background": "#f6f3ee",
    "gutter_estimated": "#c08a3e",
    "find_match": "#fbe7a6",
    "heading": "#7b3f8c",
    "scene": "#2d5d8a",
    "character": "#8a4b16",
    "parenthetical": "#6f6a61",
    "dialogue": "#26231f",
    "transition": "#2d7a5a",
    "note": "#8e877c",
    "section": "#b34d74",
    "emphasis": "#26231f",
}


@dataclass(frozen=True)
class Theme:
    key: str  # "light" | "dark"
    name: str
    dark: bool
    palette: dict[str, str] = field(default_factory=dict)
    editor: dict[str, str] = field(default_factory=dict)

    def color(self, role: str) -> QColor:
        return QColor(self.editor.get(role) or _FALLBACK_EDITOR.get(role, "#808080"))

    def qpalette(self) -> QPalette:
        pal = QPalette()
        for role_name, value in self.palette.items():
            role = getattr(QPalette.ColorRole, role_name, None)
            if role is None:
                continue
            color = QColor(value)
            pal.setColor(QPalette.ColorGroup.All, role, color)
            if role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText, QPalette.ColorRole.ButtonText):
                muted = QColor(color)
                muted.setAlphaF(0.45)
                pal.setColor(QPalette.ColorGroup.Disabled, role, muted)
        return pal


def themes_dir() -> Path:
    return resources_dir() / "themes"


def load_theme(key: str) -> Theme:
    path = themes_dir() / f"{key}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        log.warning("theme %s unreadable (%s); using built-in colours", path, exc)
        data = {}
    return Theme(
        key=key,
        name=str(data.get("name", key.title())),
        dark=bool(data.get("dark", key == "dark")),
        palette={str(k): str(v) for k, v in dict(data.get("palette", {})).items()},
        editor={**_FALLBACK_EDITOR, **{str(k): str(v) for k, v in dict(data.get("editor", {})).items()}},
    )


def system_prefers_dark() -> bool:
    hints = QGuiApplication.styleHints()
    return hints.colorScheme() == Qt.ColorScheme.Dark


def style_sheet() -> str:
    try:
        return (themes_dir() / "common.qss").read_text(encoding="utf-8")
    except OSError:
        return ""


class ThemeManager(QObject):
    """Owns the current theme; widgets that paint their own colours listen to ``theme_changed``."""

    theme_changed = Signal(object)  # Theme

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._mode = "system"
        self._theme = load_theme("dark" if system_prefers_dark() else "light")
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._on_color_scheme_changed)

    @property
    def mode(self) -> str:
        return self._mode

    @property
    def theme(self) -> Theme:
        return self._theme

    def set_mode(self, mode: str) -> None:
        if mode not in THEME_MODES:
            mode = "system"
        self._mode = mode
        self.apply()

    def apply(self) -> None:
        key = self._mode if self._mode != "system" else ("dark" if system_prefers_dark() else "light")
        self._theme = load_theme(key)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.setPalette(self._theme.qpalette())
            app.setStyleSheet(style_sheet())
        self.theme_changed.emit(self._theme)

    @Slot(Qt.ColorScheme)
    def _on_color_scheme_changed(self, _scheme: Qt.ColorScheme) -> None:
        if self._mode == "system":
            self.apply()
