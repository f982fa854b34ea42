"""Reading Studio's shipped TOML resources (presets, styles, the quick-rewrite catalogue): engine and storage both
read them, so the reading and the file-level checks live below both, with the error type each reader names."""

from __future__ import annotations

import tomllib
from collections.abc import Collection
from pathlib import Path
from typing import Any

from studio.domain.errors import StudioError


def read_toml(path: Path, error: type[StudioError], top_level: Collection[str], why: str = "") -> dict[str, Any]:
    """The TOML document at ``path``. ``error`` names the file for anything wrong with it: unreadable, not TOML,
    or a top-level key outside ``top_level`` (``why`` is added to that message)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise error(f"{path}: not valid TOML ({exc}).") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise error(f"{path}: cannot be read ({exc}).") from exc
    extra = sorted(set(data) - set(top_level))
    if extra:
        raise error(f"{path}: unexpected top-level key(s) {', '.join(map(repr, extra))}{why}.")
    return data
