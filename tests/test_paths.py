from __future__ import annotations

from pathlib import Path

import pytest

from studio.paths import ENV_MODEL_CACHE, Paths


def test_the_data_folder_layout_is_the_one_existing_folders_have(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    # These names are on every writer's disk: a start must find the database, backups and caches where an
    # earlier version put them.
    monkeypatch.delenv(ENV_MODEL_CACHE, raising=False)
    p = Paths(tmp_path)
    assert p.database == tmp_path / "studio.sqlite3"
    assert p.backups == tmp_path / "backups"
    assert p.logs == tmp_path / "logs"
    assert p.models == tmp_path / "models"
    assert p.cache == tmp_path / "cache"
    assert p.model_cache == tmp_path / "cache" / "models"
    assert p.state_cache == tmp_path / "cache" / "states"
    assert p.lock_file == tmp_path / "studio.lock"
    assert all(isinstance(x, Path) for x in (p.database, p.state_cache, p.lock_file))


def test_a_shared_model_cache_comes_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_MODEL_CACHE, str(tmp_path / "shared"))
    assert Paths(tmp_path / "home").model_cache == tmp_path / "shared"


def test_ensure_makes_the_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_MODEL_CACHE, raising=False)
    p = Paths(tmp_path / "home").ensure()
    assert all(d.is_dir() for d in (p.root, p.backups, p.logs, p.models, p.state_cache, p.model_cache))
