"""Where Studio keeps its data. Order: --data-dir, then $STUDIO_HOME, then the platform's user data folder."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "Studio"
ENV_HOME = "STUDIO_HOME"
ENV_MODEL_CACHE = "STUDIO_MODEL_CACHE"


@dataclass(frozen=True)
class Paths:
    root: Path

    @property
    def database(self) -> Path:
        return self.root / "studio.sqlite3"

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def models(self) -> Path:
        """The data folder's own GGUF drop folder."""
        return self.root / "models"

    @property
    def cache(self) -> Path:
        return self.root / "cache"

    @property
    def model_cache(self) -> Path:
        """Where the embedded default model is assembled, once. $STUDIO_MODEL_CACHE may share one between
        data folders (the test suite does, so it assembles the 250 MB file once, not per test)."""
        shared = os.environ.get(ENV_MODEL_CACHE)
        return Path(shared).expanduser() if shared else self.cache / "models"

    @property
    def state_cache(self) -> Path:
        """Per-draft llama.cpp states, so coming back to a draft does not re-read it."""
        return self.cache / "states"

    @property
    def lock_file(self) -> Path:
        return self.root / "studio.lock"

    def ensure(self) -> Paths:
        for p in (self.root, self.backups, self.logs, self.models, self.model_cache, self.state_cache):
            p.mkdir(parents=True, exist_ok=True)
        return self


def resolve_paths(data_dir: str | os.PathLike[str] | None = None) -> Paths:
    if data_dir:
        return Paths(Path(data_dir).expanduser().resolve())
    env = os.environ.get(ENV_HOME)
    if env:
        return Paths(Path(env).expanduser().resolve())
    from platformdirs import user_data_dir

    return Paths(Path(user_data_dir(APP_NAME, appauthor=False)))


def package_root() -> Path:
    return Path(__file__).resolve().parent


def resources_dir() -> Path:
    """Built-in presets, styles, themes and icons: inside the package when installed, at the top of a checkout."""
    inside = package_root() / "resources"
    if inside.is_dir():
        return inside
    return package_root().parent / "resources"


def checkout_models_dir() -> Path | None:
    """The repository's models/ folder when Studio runs from a checkout."""
    candidate = package_root().parent / "models"
    if (package_root().parent / "pyproject.toml").is_file() and candidate.is_dir():
        return candidate
    return None
