"""Folders Studio cannot read or write: one readable line naming the folder (exit 4), or, where the folder is
optional, carry on and say so. Never a traceback, never "details in /dev/null".

The permissions are real: as root the CLI runs without the capabilities that let root ignore file modes, as
anyone else chmod binds directly (tests/as_writer.py, over tests/unprivileged.py).
"""

from __future__ import annotations

import hashlib
import logging
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from studio import app, cli
from studio.paths import resolve_paths
from studio.services import Services
from tests.as_writer import Sandbox, one_readable_line


@pytest.fixture
def box() -> Iterator[Sandbox]:
    sb = Sandbox()
    try:
        yield sb
    finally:
        sb.close()


def _data_folder(box: Sandbox, where: Path | None = None) -> Path:
    """A real data folder with one draft."""
    home = where or box.root / "home"
    sv = Services.open(resolve_paths(home))
    try:
        sv.drafts.create("秋夜 Autumn night", "poetry", body="月落乌啼霜满天\n")
    finally:
        sv.close()
    return home


def _env(box: Sandbox, home: Path, cache: Path | None = None) -> dict[str, str]:
    return box.env(STUDIO_HOME=str(home), STUDIO_MODEL_CACHE=str(cache or box.folder("empty-cache")))


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ------------------------------------------------------------------------------------------- the data folder


@pytest.mark.parametrize("how", ["mode-000", "behind-a-private-folder"])
def test_unreadable_data_folder_is_one_line_and_exit_4(box: Sandbox, how: str) -> None:
    if how == "mode-000":
        home = _data_folder(box)
        locked = home
    else:  # a clone inside someone's 0700 home: the writer cannot even reach it
        locked = box.folder("private")
        home = _data_folder(box, locked / "home")
    env = _env(box, home)
    box.lock(locked, 0o000)
    r = box.run(["drafts", "list"], env=env)
    assert r.returncode == 4, r.stderr
    line = one_readable_line(r.stderr, home)
    assert "read" in line or "reach" in line, line
    assert r.stdout == ""


def test_unwritable_data_folder_is_one_line_and_exit_4_and_nothing_changes(box: Sandbox) -> None:
    home = _data_folder(box)
    env = _env(box, home)
    before = _sha(home / "studio.sqlite3")
    box.lock(home, 0o555)
    r = box.run(["drafts", "list"], env=env)
    assert r.returncode == 4, r.stderr
    line = one_readable_line(r.stderr, home)
    assert "write" in line and str(home / "studio.sqlite3") not in line, line  # the folder is at fault, not the file
    box.lock(home, 0o755)
    assert _sha(home / "studio.sqlite3") == before


def test_data_folder_that_cannot_be_created_is_one_line_and_exit_4(box: Sandbox) -> None:
    parent = box.folder("parent")
    home = parent / "Studio"
    env = _env(box, home)
    box.lock(parent, 0o555)
    r = box.run(["drafts", "new", "--title", "First"], env=env)
    assert r.returncode == 4, r.stderr
    one_readable_line(r.stderr, home)


# ------------------------------------------------------------------------------------------- the model cache


@pytest.mark.parametrize("how", ["mode-000", "behind-a-private-folder"])
def test_unreadable_model_cache_is_one_line_and_exit_4_where_the_model_is_needed(box: Sandbox, how: str) -> None:
    home = _data_folder(box)
    if how == "mode-000":
        cache = box.folder("model-cache")
        locked = cache
    else:  # $STUDIO_MODEL_CACHE inside a checkout in a private folder (how the fault tests first failed)
        locked = box.folder("checkout")
        cache = locked / ".studio-test-cache" / "models"
        cache.mkdir(parents=True)
    env = _env(box, home, cache)
    box.lock(locked, 0o000)
    r = box.run(["continue", "--max-tokens", "4"], env=env, stdin="The rain")
    assert r.returncode == 4, r.stderr
    one_readable_line(r.stderr, cache)
    assert r.stdout == ""
    # Listing drafts needs no model: it carries on, and says nothing.
    r = box.run(["drafts", "list"], env=env)
    assert r.returncode == 0, r.stderr
    assert "秋夜 Autumn night" in r.stdout and r.stderr == ""


# ------------------------------------------------------------------------------------------- models/ folders


def test_unreadable_user_models_folder_is_left_out_and_said(box: Sandbox, default_model_path: Path) -> None:
    home = _data_folder(box)
    env = _env(box, home, box.model_cache(default_model_path))
    box.lock(home / "models", 0o000)
    r = box.run(["models"], env=env)
    assert r.returncode == 0, r.stderr
    one_readable_line(r.stderr, home / "models", kind="warning")
    table = r.stdout.splitlines()
    assert any(str(home / "models") in row and "read" in row for row in table), r.stdout
    default = [row for row in table if row.startswith("*")]
    assert len(default) == 1 and "embedded" in default[0], r.stdout  # carries on with the default model


def test_unreadable_checkout_models_folder_is_left_out_and_said(box: Sandbox, default_model_path: Path) -> None:
    home = _data_folder(box)
    env = _env(box, home, box.model_cache(default_model_path))
    drop = box.code / "models"  # the copy's checkout drop folder; the real checkout is never locked
    box.lock(drop, 0o000)
    r = box.run(["models", "--json"], env=env)
    assert r.returncode == 0, r.stderr
    one_readable_line(r.stderr, drop, kind="warning")
    import json

    listed = json.loads(r.stdout)
    problem = [m for m in listed if m["path"] == str(drop)]
    assert len(problem) == 1 and problem[0]["source"] == "repo" and problem[0]["error"], listed
    assert [m["source"] for m in listed if m["default"]] == ["embedded"], listed


# ------------------------------------------------------------------------------------------- the log folder


def test_unwritable_log_folder_carries_on_and_says_where_the_log_goes(box: Sandbox) -> None:
    home = _data_folder(box)
    env = _env(box, home)
    box.lock(home / "logs", 0o555)
    r = box.run(["drafts", "list"], env=env)
    assert r.returncode == 0, r.stderr
    assert "秋夜 Autumn night" in r.stdout
    line = one_readable_line(r.stderr, home / "logs", kind="warning")
    instead = re.search(r"(/\S+\.log)\b", line.replace(str(home / "logs"), ""))
    assert instead, f"the line does not say where the log goes instead: {line}"
    logged = Path(instead.group(1))
    assert logged.is_file() and str(home / "studio.sqlite3") in logged.read_text(encoding="utf-8")


@pytest.fixture
def own_logging() -> Iterator[None]:
    """app.main configures the root logger; put it back as pytest had it."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for h in list(root.handlers):
        if h not in handlers:
            root.removeHandler(h)
            h.close()
    root.setLevel(level)


def _boom(args: object) -> int:
    raise RuntimeError("boom from the test")


def test_unexpected_error_points_at_a_log_that_exists(studio_home: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str], own_logging: None) -> None:
    studio_home.mkdir(parents=True)
    (studio_home / "logs").write_text("a file where the log folder should be")  # no mkdir works, even as root
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # where the log goes instead
    monkeypatch.setattr(cli, "run", _boom)
    assert app.main(["drafts", "list"]) == cli.EXIT_OTHER
    err = capsys.readouterr().err
    assert "/dev/null" not in err and "Traceback" not in err, err
    line = err.strip().splitlines()[-1]
    m = re.search(r"details in (/\S+\.log)\)", line)
    assert m, line
    logged = Path(m.group(1))
    assert logged.parent.parent == tmp_path
    for h in logging.getLogger().handlers:
        h.flush()
    assert "boom from the test" in logged.read_text(encoding="utf-8")


def test_unexpected_error_says_when_no_log_could_be_written(studio_home: Path, monkeypatch: pytest.MonkeyPatch,
                                                           capsys: pytest.CaptureFixture[str],
                                                           own_logging: None) -> None:
    studio_home.mkdir(parents=True)
    (studio_home / "logs").write_text("a file where the log folder should be")
    blocked = studio_home / "not-a-folder"
    blocked.write_text("")
    monkeypatch.setattr(tempfile, "tempdir", str(blocked))  # the fallback log folder cannot be made either
    monkeypatch.setattr(cli, "run", _boom)
    assert app.main(["drafts", "list"]) == cli.EXIT_OTHER
    err = capsys.readouterr().err
    assert "/dev/null" not in err and "Traceback" not in err, err
    lines = err.strip().splitlines()
    assert len(lines) == 2, err  # the log warning, then the error
    assert str(studio_home / "logs") in lines[0] and "no log" in lines[0].lower(), lines[0]
    assert "details in" not in lines[1] and "no log" in lines[1].lower(), lines[1]
