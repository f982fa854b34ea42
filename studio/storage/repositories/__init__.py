"""Repositories: one per aggregate, bound to a Session, returning studio.domain dataclasses only.

ORM rows never leave this package, so nothing lazy-loaded can be touched from another thread or after the
session closed. Repositories flush but never commit: the unit of work (store.py) owns the transaction.

- drafts.py: drafts and their revisions
- catalogue.py: presets and style variants, one generic repository over storage/kinds.py
- records.py: generations and settings
- lore.py: a draft's lorebook entries and scan depth
"""

from __future__ import annotations

from studio.storage.repositories._common import UNSET
from studio.storage.repositories.catalogue import CatalogueRepository, PresetRepository, StyleRepository
from studio.storage.repositories.drafts import DraftRepository, RevisionRepository
from studio.storage.repositories.lore import LoreRepository
from studio.storage.repositories.records import GenerationRepository, SettingsRepository

__all__ = [
    "UNSET",
    "CatalogueRepository",
    "DraftRepository",
    "GenerationRepository",
    "LoreRepository",
    "PresetRepository",
    "RevisionRepository",
    "SettingsRepository",
    "StyleRepository",
]
