"""The model hub (Hugging Face or a mirror of it): listing a repo's GGUF files, the curated catalogue, and a
download that survives a cancel, a crash or ``kill -9``.

HTTP to the hub lives here, not in engine/ (which runs models) nor in services/ (which only decides what to
fetch): this package imports nothing from services, ui, cli or storage, and the front ends reach it only through
studio.services.models (both rules are import-linter contracts in pyproject.toml).
"""

from __future__ import annotations

from studio.hub.catalogue import CatalogueEntry, load_catalogue
from studio.hub.errors import (
    DiskSpaceError,
    DownloadCancelled,
    HashMismatchError,
    HubAccessError,
    HubError,
    HubNotFoundError,
)
from studio.hub.quants import quant_of, recommended_order

__all__ = ["CatalogueEntry", "DiskSpaceError", "DownloadCancelled", "HashMismatchError", "HubAccessError", "HubError",
           "HubNotFoundError", "load_catalogue", "quant_of", "recommended_order"]
