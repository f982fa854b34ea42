"""Errors that cross layers. Each carries a message a writer can act on."""

from __future__ import annotations


class StudioError(Exception):
    """Base of every error Studio shows to a writer. ``str(err)`` is the readable message."""

    exit_code = 1

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} {self.hint}" if self.hint else self.message


class UsageError(StudioError):
    """The writer asked for something that does not make sense (bad argument, unknown form...)."""

    exit_code = 2


class ModelLoadError(StudioError):
    """A model file is missing, damaged, not a GGUF, or cannot run on this machine."""

    exit_code = 3


class GenerationError(StudioError):
    """A generation could not run or failed part way; the draft is untouched."""

    exit_code = 3


class ContextOverflowError(GenerationError):
    """The request does not fit in the model's context window (for example a huge selection)."""

    def __init__(self, message: str, *, fits_chars: int = 0, fits_tokens: int = 0, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.fits_chars = fits_chars
        self.fits_tokens = fits_tokens


class StorageError(StudioError):
    """The database cannot be opened, read or written."""

    exit_code = 4


class DatabaseCorruptError(StorageError):
    """The database file is not SQLite, is damaged, or comes from a newer Studio. Never overwritten."""

    def __init__(
        self, message: str, *, path: str = "", backups: list[str] | None = None, hint: str | None = None
    ) -> None:
        super().__init__(message, hint=hint)
        self.path = path
        self.backups = list(backups or [])


class DatabaseLockedError(StorageError):
    """Another Studio window holds this data folder."""


class ConflictError(StorageError):
    """A draft changed elsewhere (another window or process) since it was read; nothing was overwritten."""


class NotFoundError(StudioError):
    """A draft, preset, style or revision with that id or name does not exist."""

    exit_code = 1


class ExportError(StudioError):
    """An export could not be written; the draft is untouched and no half-written file is left."""


class ImportFileError(StudioError):
    """A file could not be imported (binary, unknown encoding, unreadable)."""
