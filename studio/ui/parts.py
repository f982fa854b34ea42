"""The window's widgets that several of its parts work on, built once by the window and handed to each part as
one value (a part reads the ones it needs; none of them imports the window)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from studio.ui.assistant import AssistantPanel
    from studio.ui.editor import DraftEditor
    from studio.ui.sidebar import DraftsPanel
    from studio.ui.stored_settings import StoredSettings
    from studio.ui.theme import ThemeManager


@dataclass(frozen=True)
class WindowParts:
    editor: DraftEditor
    sidebar: DraftsPanel
    assistant: AssistantPanel
    themes: ThemeManager
    settings: StoredSettings  # the window's own preferences (theme, geometry, last draft), in the database
