"""The settings table as the window's parts use it (window state, the writer's choices, the model to load).

A setting that cannot be read falls back to its default and one that cannot be written is logged: remembering a
splitter position is never worth a dialog, and the draft itself is saved elsewhere with its own error handling.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from studio.domain import StudioError

if TYPE_CHECKING:
    from studio.services import LibraryService

log = logging.getLogger(__name__)


class StoredSettings:
    def __init__(self, library: LibraryService) -> None:
        self._library = library

    def get(self, key: str, default: Any = None) -> Any:
        try:
            return self._library.setting(key, default)
        except StudioError as exc:
            log.warning("reading setting %s failed: %s", key, exc)
            return default

    def set(self, key: str, value: Any) -> None:
        try:
            self._library.set_setting(key, value)
        except StudioError as exc:
            log.warning("writing setting %s failed: %s", key, exc)
