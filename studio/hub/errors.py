"""What can go wrong with the hub, each in words a writer can act on (and with the CLI's exit code)."""

from __future__ import annotations

from studio.domain import StorageError, StudioError


class HubError(StudioError):
    """The hub could not be reached or answered with an error; any partial download is kept for a resume."""

    exit_code = 1


class HubAccessError(HubError):
    """The hub refused access (401/403): a gated or private repo, or a token without access to it."""


class HubNotFoundError(HubError):
    """No such repo, or no such file in it (404)."""


class HashMismatchError(StudioError):
    """The downloaded bytes do not match the hub's SHA-256: nothing is kept, nothing appears among the models."""

    exit_code = 3


class DiskSpaceError(StorageError):
    """Not enough free disk, found before the download starts or when the disk filled up during it."""


class DownloadCancelled(StudioError):
    """The writer stopped the download; what was fetched is kept and the next try resumes from it."""

    exit_code = 130
