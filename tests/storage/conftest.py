"""Fixtures for the storage tests: real SQLite files in the test's own folder, small built-in resource files."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest

from studio.paths import Paths
from studio.storage import Store

PRESETS_TOML = """
[[preset]]
key = "continue-plain"
name = "Plain continue"
action = "continue"
description = "Keeps going in the same voice."
template_base = "{notes}\\n\\n{before}"

[preset.sampler]
temperature = 0.8
max_tokens = 120
stop = ["\\n\\n\\n"]

[[preset]]
key = "rewrite-vivid"
name = "Vivid rewrite"
action = "rewrite"
template_base = "Rewrite more vividly:\\n{selection}\\n"
template_chat = "Rewrite this passage more vividly: {selection}"
"""

STYLES_TOML = """
[[style]]
key = "prose-spare"
name = "Spare"
form = "prose"
description = "Short sentences."
guidance = "Write plainly. Cut adjectives."
exemplars = ["The door shut. She waited."]

[style.sampler]
temperature = 0.6

[[style]]
key = "poetry-spare"
name = "Spare"
form = "poetry"
guidance = "Few words per line."
"""


def write_resources(root: Path, presets: str = PRESETS_TOML, styles: str = STYLES_TOML) -> Path:
    (root / "presets").mkdir(parents=True, exist_ok=True)
    (root / "styles").mkdir(parents=True, exist_ok=True)
    (root / "presets" / "core.toml").write_text(textwrap.dedent(presets), encoding="utf-8")
    (root / "styles" / "core.toml").write_text(textwrap.dedent(styles), encoding="utf-8")
    return root


@pytest.fixture
def kit() -> SimpleNamespace:
    """The sample resource texts and the writer function, for tests that vary them (conftest is not imported)."""
    return SimpleNamespace(write=write_resources, presets=PRESETS_TOML, styles=STYLES_TOML)


@pytest.fixture
def resources(tmp_path: Path) -> Path:
    return write_resources(tmp_path / "resources")


@pytest.fixture
def store(paths: Paths, resources: Path) -> Iterator[Store]:
    s = Store.open(paths, resources=resources)
    yield s
    s.close()
