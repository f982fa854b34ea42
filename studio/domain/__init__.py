"""Domain: frozen dataclasses, enums and errors shared by every layer."""

from studio.domain.engine import EngineCapabilities, PromptPreview
from studio.domain.errors import (
    ConflictError,
    ContextOverflowError,
    DatabaseCorruptError,
    DatabaseLockedError,
    ExportError,
    GenerationError,
    ImportFileError,
    ModelLoadError,
    NotFoundError,
    StorageError,
    StudioError,
    UsageError,
)
from studio.domain.lore import DEFAULT_SCAN_CHARS, LoreEntry, LoreHit
from studio.domain.models import (
    MAX_LOGPROBS,
    Action,
    Draft,
    DraftSummary,
    Finished,
    Form,
    GenerationEvent,
    GenerationRecord,
    GenerationRequest,
    GenerationStats,
    LoadSettings,
    ModelInfo,
    Preset,
    PromptProgress,
    Revision,
    RevisionReason,
    Sampler,
    StopReason,
    StyleVariant,
    TextDelta,
    Thinking,
    TokenAlternatives,
)
from studio.domain.text import count_chars, count_words

__all__ = [
    "DEFAULT_SCAN_CHARS", "MAX_LOGPROBS",
    "Action", "ConflictError", "ContextOverflowError", "DatabaseCorruptError", "DatabaseLockedError", "Draft",
    "DraftSummary", "EngineCapabilities", "ExportError", "Finished", "Form", "GenerationError", "GenerationEvent",
    "GenerationRecord", "GenerationRequest", "GenerationStats", "ImportFileError", "LoadSettings",
    "LoreEntry", "LoreHit", "ModelInfo",
    "ModelLoadError", "NotFoundError", "Preset", "PromptPreview", "PromptProgress", "Revision", "RevisionReason",
    "Sampler", "StopReason", "StorageError", "StudioError", "StyleVariant", "TextDelta", "Thinking",
    "TokenAlternatives", "UsageError",
    "count_chars", "count_words",
]
