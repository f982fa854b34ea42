"""Damaged databases: 50 broken, foreign, too-new, read-only and locked variants of a real Studio database.

For each: Studio starts (``Services.open`` and the CLI ``studio drafts list``), says what happened in a readable
line (CLI exit code 4), names the newest backup when there is one, and never changes the damaged file (sha256
before == after). Where Studio offers to open the newest backup, ``restore_newest_backup`` must keep the damaged
file, renamed, byte for byte.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import shutil
import sqlite3
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from faultkit.common import PYTHON, REPO, child_env, readable_problems, sha256_file

PAGE = 4096
# ``studio drafts list`` on a data folder, some way (the Python install's by default; tests/package: the bundle's).
CliRunner = Callable[[Path], "subprocess.CompletedProcess[str]"]


@dataclass
class DbCase:
    name: str
    family: str
    damage: Callable[[Path], None]  # applied to the data folder (studio.sqlite3 and backups/ inside)
    expect: str = "corrupt"  # corrupt | storage (read-only, locked) | empty
    backups: bool = True  # keep the backups folder (False: the writer has none)
    wrap: Callable[[Path], contextlib.AbstractContextManager[None]] | None = None  # held while Studio starts
    cli_user: int | None = None  # run the CLI as this uid (a real permission check; root ignores modes)
    root_only: bool = False  # made read-only by a mechanism only root can use (chattr, mount, another uid)


@dataclass
class DbReport:
    variants: int = 0
    refused: int = 0  # Services.open raised a StorageError
    readable: int = 0  # ... whose message reads well (first line standalone, names the file, no Python)
    named_backup: int = 0  # ... naming the newest backup, of those that had one and are corrupt
    with_backup: int = 0
    cli_checked: int = 0
    cli_exit4: int = 0
    overwritten: int = 0  # the damaged file's bytes changed (goal 0)
    restored: int = 0  # restore_newest_backup kept the damaged file intact and the backup opened
    restore_tried: int = 0
    problems: list[str] = field(default_factory=list)
    results: dict[str, dict[str, object]] = field(default_factory=dict)
    seconds: float = 0.0

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


# ------------------------------------------------------------------------------------------ the golden folder


def make_golden(root: Path) -> Path:
    """A real data folder made by Studio: 40 drafts (a few spanning overflow pages), revisions, one backup."""
    from studio.paths import resolve_paths
    from studio.services import Services

    home = root / "golden"
    paths = resolve_paths(home)
    rng = random.Random(7)
    sv = Services.open(paths)
    try:
        for i in range(40):
            words = ["rain", "window", "她", "letter", "night", "sea"]
            body = " ".join(rng.choice(words) for _ in range(rng.randrange(50, 3000)))
            d = sv.drafts.create(f"Draft {i}", rng.choice(["prose", "poetry", "screenplay", "lyrics"]), body=body)
            if i % 5 == 0:
                sv.drafts.save(d.id, body=body + "\nMore.", expected_version=d.version)
    finally:
        sv.close()
    sv = Services.open(paths)  # the second start backs the file up
    try:
        sv.drafts.create("After the backup", "prose", body="Written after the newest backup.")
    finally:
        sv.close()
    for side in ("-wal", "-shm"):
        Path(str(paths.database) + side).unlink(missing_ok=True)
    assert paths.backups.is_dir() and any(paths.backups.iterdir()), "golden folder has no backup"
    return home


# ------------------------------------------------------------------------------------------------ damage


def _db(home: Path) -> Path:
    return home / "studio.sqlite3"


def _truncate(frac: float | None = None, size: int | None = None) -> Callable[[Path], None]:
    def damage(home: Path) -> None:
        db = _db(home)
        n = size if size is not None else int(db.stat().st_size * (frac or 0))
        os.truncate(db, n)

    return damage


def _overwrite(offset: int, data: bytes) -> Callable[[Path], None]:
    def damage(home: Path) -> None:
        with open(_db(home), "r+b") as fh:
            fh.seek(offset)
            fh.write(data)

    return damage


def _btree_pages(db: Path) -> list[int]:
    """Page numbers (0-based) holding b-tree pages, from their type byte: overwriting one is always detectable."""
    data = db.read_bytes()
    pages = []
    for n in range(1, len(data) // PAGE):
        if data[n * PAGE] in (2, 5, 10, 13):
            pages.append(n)
    return pages


def _random_pages(seed: int, count: int, *, zero: bool = False) -> Callable[[Path], None]:
    def damage(home: Path) -> None:
        db = _db(home)
        rng = random.Random(seed)
        pages = _btree_pages(db)
        with open(db, "r+b") as fh:
            for n in rng.sample(pages, k=min(count, len(pages))):
                fh.seek(n * PAGE)
                fh.write(bytes(PAGE) if zero else rng.randbytes(PAGE))

    return damage


def _replace_file(data: bytes) -> Callable[[Path], None]:
    def damage(home: Path) -> None:
        _db(home).write_bytes(data)

    return damage


def _sql(*statements: str) -> Callable[[Path], None]:
    def damage(home: Path) -> None:
        conn = sqlite3.connect(_db(home))
        try:
            conn.execute("PRAGMA journal_mode=DELETE")  # leave no -wal behind: the damage is in the main file
            for s in statements:
                conn.execute(s)
            conn.commit()
        finally:
            conn.close()

    return damage


def _noop(home: Path) -> None:
    del home


@contextlib.contextmanager
def _immutable(home: Path) -> Iterator[None]:
    """chattr +i: even root cannot write, rename or delete the file."""
    db = _db(home)
    subprocess.run(["chattr", "+i", str(db)], check=True)
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(db)], check=False)


@contextlib.contextmanager
def _readonly_mount(home: Path) -> Iterator[None]:
    """The whole data folder on a read-only file system (a bind mount remounted ro): EROFS for every write."""
    subprocess.run(["mount", "--bind", str(home), str(home)], check=True)
    try:
        subprocess.run(["mount", "-o", "remount,bind,ro", str(home)], check=True)
        yield
    finally:
        subprocess.run(["umount", str(home)], check=False)


@contextlib.contextmanager
def _locked(home: Path, exclusive_mode: bool) -> Iterator[None]:
    """Another process holds an EXCLUSIVE transaction on the database for as long as Studio tries to start."""
    mode = "PRAGMA locking_mode=EXCLUSIVE;" if exclusive_mode else ""
    code = (
        "import sqlite3,sys,time\n"
        f"c=sqlite3.connect(sys.argv[1], isolation_level=None)\n"
        f"c.executescript({mode!r})\n"
        "c.execute('BEGIN EXCLUSIVE')\n"
        "c.execute('SELECT count(*) FROM sqlite_master').fetchall()\n"
        "print('locked', flush=True)\n"
        "time.sleep(600)\n"
    )
    holder = subprocess.Popen([PYTHON, "-c", code, str(_db(home))], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None
        line = holder.stdout.readline()
        assert line.strip() == "locked", f"the lock holder did not start: {line!r}"
        yield
    finally:
        holder.kill()
        holder.wait()


# The cases that need root (chattr +i, a bind mount remounted read-only, dropping to another uid). CI runs as
# root, so they run there; as another user they cannot run at all, and the other cases are run and counted
# without them.
ROOT_ONLY = ("immutable-file", "read-only-filesystem", "read-only-mode-other-user")


def can_run_root_cases() -> bool:
    return os.geteuid() == 0 and all(shutil.which(tool) for tool in ("mount", "umount", "chattr"))


def build_cases(golden: Path) -> list[DbCase]:
    size = _db(golden).stat().st_size
    pages = size // PAGE
    cases: list[DbCase] = []

    def add(name: str, family: str, damage: Callable[[Path], None], **kw: object) -> None:
        cases.append(DbCase(f"{len(cases):02d}-{name}", family, damage, root_only=name in ROOT_ONLY,
                            **kw))  # type: ignore[arg-type]

    # Truncated at various sizes (whole pages and mid-page).
    for frac in (0.9, 0.75, 0.5, 0.33, 0.1):
        add(f"truncated-{int(frac * 100)}pct", "truncated", _truncate(frac))
    for n in (1, 2, 3):
        add(f"truncated-{n}-pages", "truncated", _truncate(size=n * PAGE))
    add("truncated-mid-page", "truncated", _truncate(size=(pages // 2) * PAGE + 1234))
    add("truncated-minus-1-page", "truncated", _truncate(size=size - PAGE))
    add("truncated-header-only", "truncated", _truncate(size=100))
    add("truncated-50-bytes", "truncated", _truncate(size=50))
    # Random b-tree pages overwritten with noise or zeros.
    for seed in range(8):
        add(f"pages-noise-s{seed}", "pages", _random_pages(seed, 1 + seed % 4))
    for seed in range(3):
        add(f"pages-zeroed-s{seed}", "pages", _random_pages(100 + seed, 2, zero=True))
    add("schema-page-noise", "pages", _overwrite(100, random.Random(3).randbytes(PAGE - 100)))
    add("last-page-noise", "pages", _overwrite((pages - 1) * PAGE, random.Random(4).randbytes(PAGE)))
    # The header.
    add("header-zeroed", "header", _overwrite(0, bytes(100)))
    add("magic-damaged", "header", _overwrite(0, b"SQLite format 4\x00"))
    add("page-size-field", "header", _overwrite(16, b"\x00\x07"))
    add("page-count-field", "header", _overwrite(28, b"\xff\xff\xff\xff"))
    add("first-page-zeroed", "header", _overwrite(0, bytes(PAGE)))
    # Schema: a newer Studio, or not Studio's at all.
    add("newer-revision", "schema", _sql("UPDATE alembic_version SET version_num = '9999_from_the_future'"))
    add("two-revisions", "schema", _sql("INSERT INTO alembic_version VALUES ('0001_initial_x')"))
    add("no-alembic-table", "schema", _sql("DROP TABLE alembic_version"))
    add("foreign-sqlite", "schema", _replace_file(b""), expect="corrupt")
    add("schema-sql-garbled", "schema", _sql("PRAGMA writable_schema=ON",
                                             "UPDATE sqlite_master SET sql = 'CREATE TABLE drafts(' "
                                             "WHERE type = 'table' AND name = 'drafts'"))
    add("newer-revision-no-backups", "schema", _sql("UPDATE alembic_version SET version_num = 'ffff'"), backups=False)
    # Not SQLite at all.
    add("text-file", "foreign", _replace_file(b"Chapter One\n\nIt was a dark and stormy night.\n" * 300))
    add("png-file", "foreign", _replace_file(b"\x89PNG\r\n\x1a\n" + random.Random(5).randbytes(20000)))
    add("gguf-file", "foreign", _replace_file(b"GGUF\x03\x00\x00\x00" + random.Random(6).randbytes(5000)))
    add("random-bytes", "foreign", _replace_file(random.Random(7).randbytes(size)))
    add("zeros", "foreign", _replace_file(bytes(size)))
    add("text-file-no-backups", "foreign", _replace_file(b"notes\n" * 100), backups=False)
    add("truncated-no-backups", "truncated", _truncate(0.5), backups=False)
    # Empty: a database that lost all its bytes is not a new one when backups exist.
    add("empty-file", "empty", _replace_file(b""), expect="corrupt")
    add("empty-file-no-backups", "empty", _replace_file(b""), expect="empty", backups=False)
    # Read-only, with real mechanisms (root only: see ROOT_ONLY; the rest run as any user).
    add("immutable-file", "read-only", _noop, expect="storage", wrap=_immutable)
    add("read-only-filesystem", "read-only", _noop, expect="storage", wrap=_readonly_mount)
    add("read-only-mode-other-user", "read-only", _chmod_for_nobody, expect="storage", cli_user=65534)
    # Locked by another process.
    add("locked-exclusive-transaction", "locked", _noop, expect="storage",
        wrap=lambda home: _locked(home, exclusive_mode=False))
    add("locked-exclusive-mode", "locked", _noop, expect="storage",
        wrap=lambda home: _locked(home, exclusive_mode=True))

    # The foreign-sqlite case needs a real SQLite file that Studio did not make.
    for c in cases:
        if c.name.endswith("foreign-sqlite"):
            c.damage = _foreign_sqlite
    return cases


def _foreign_sqlite(home: Path) -> None:
    db = _db(home)
    db.unlink()
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE recipes (id INTEGER PRIMARY KEY, name TEXT)")
    conn.executemany("INSERT INTO recipes (name) VALUES (?)", [(f"soup {i}",) for i in range(500)])
    conn.commit()
    conn.close()


def _chmod_for_nobody(home: Path) -> None:
    """Owned by root, mode 0444 in a 0555 folder: the writer (uid 65534 here) may read but not write anything."""
    for p in [home, *home.rglob("*")]:
        p.chmod(0o555 if p.is_dir() else 0o444)
    home.parent.chmod(0o755)


# ------------------------------------------------------------------------------------------------ checks


def _fingerprint(home: Path) -> dict[str, str]:
    """sha256 of the database and its side files, as found."""
    out = {}
    for suffix in ("", "-wal", "-shm"):
        p = Path(str(_db(home)) + suffix)
        if p.exists():
            out[suffix or "db"] = sha256_file(p)
    return out


_WARM: list[bool] = []


def _prewarm() -> None:
    """Another user cannot read this interpreter's standard library (it lives under /root): before forking a
    child that drops to that user, import everything a start of Studio imports by starting one, once."""
    if _WARM:
        return
    import logging.handlers  # noqa: F401
    import tempfile
    import traceback  # noqa: F401

    import studio.app  # noqa: F401
    from studio.paths import resolve_paths
    from studio.services import Services

    with tempfile.TemporaryDirectory() as tmp:
        Services.open(resolve_paths(tmp)).close()
    _WARM.append(True)


def _open_as(uid: int, paths: object) -> None:
    """Services.open in a forked child running as ``uid``; its StorageError is raised again here."""
    from studio.domain import DatabaseCorruptError, StorageError

    _prewarm()
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        os.close(r)
        out: dict[str, object] = {}
        try:
            os.setgid(uid)
            os.setuid(uid)
            # What this user needs lives beside the data folder, not under the checkout (which may be private).
            os.environ["STUDIO_MODEL_CACHE"] = str(paths.root.parent / "model-cache")  # type: ignore[attr-defined]
            from studio.services import Services

            Services.open(paths).close()  # type: ignore[arg-type]
        except DatabaseCorruptError as exc:
            out = {"type": "DatabaseCorruptError", "message": exc.message, "hint": exc.hint, "backups": exc.backups,
                   "path": exc.path}
        except StorageError as exc:
            out = {"type": "StorageError", "message": exc.message, "hint": exc.hint}
        except BaseException as exc:  # noqa: BLE001
            out = {"type": "other", "message": f"{type(exc).__name__}: {exc}"}
        os.write(w, json.dumps(out).encode())
        os._exit(0)
    os.close(w)
    with os.fdopen(r, "rb") as fh:
        data = fh.read()
    os.waitpid(pid, 0)
    got = json.loads(data or b"{}")
    if got.get("type") == "DatabaseCorruptError":
        raise DatabaseCorruptError(str(got["message"]), path=str(got["path"]), backups=list(got["backups"]),
                                   hint=got.get("hint"))
    if got.get("type") == "StorageError":
        raise StorageError(str(got["message"]), hint=got.get("hint"))
    if got.get("type") == "other":
        raise RuntimeError(got["message"])


def _run_cli(home: Path, uid: int | None) -> subprocess.CompletedProcess[str]:
    """``studio drafts list`` on ``home``: a real process; as another user, a fork that drops to that user and
    runs the same entry point (the interpreter lives under /root, which other users cannot execute)."""
    if uid is None:
        env = child_env(home, HOME=str(home.parent))
        return subprocess.run([PYTHON, "-m", "studio", "drafts", "list"], capture_output=True, text=True, env=env,
                              cwd=str(REPO), timeout=120)
    _prewarm()

    out_r, out_w = os.pipe()
    err_r, err_w = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        code = 1
        try:
            os.dup2(out_w, 1)
            os.dup2(err_w, 2)
            os.setgid(uid)
            os.setuid(uid)
            os.environ["STUDIO_HOME"] = str(home)
            os.environ["HOME"] = str(home.parent)
            os.environ["STUDIO_MODEL_CACHE"] = str(home.parent / "model-cache")  # not under a private checkout
            import sys

            sys.stdout = os.fdopen(1, "w", closefd=False)
            sys.stderr = os.fdopen(2, "w", closefd=False)
            from studio.app import main

            code = main(["drafts", "list"])
            sys.stdout.flush()
            sys.stderr.flush()
        except BaseException:  # noqa: BLE001
            import traceback

            os.write(2, traceback.format_exc().encode())
        finally:
            os._exit(code)
    os.close(out_w)
    os.close(err_w)
    with os.fdopen(out_r) as o, os.fdopen(err_r) as e:
        stdout, stderr = o.read(), e.read()
    _, status = os.waitpid(pid, 0)
    return subprocess.CompletedProcess(["studio", "drafts", "list"], os.waitstatus_to_exitcode(status), stdout, stderr)


def check_case(case: DbCase, golden: Path, work: Path, report: DbReport, *, cli: bool,
               run_cli: CliRunner | None = None) -> None:
    from studio.domain import DatabaseCorruptError, StorageError
    from studio.paths import resolve_paths
    from studio.services import Services
    from studio.services.recovery import restore_newest_backup

    if case.cli_user is not None:
        # Every folder above must let that user through (pytest's temporary folders are root-only).
        import tempfile

        base = Path(tempfile.mkdtemp(prefix="studio-faults-", dir="/tmp"))
        base.chmod(0o755)
        home = base / case.name
    else:
        home = work / case.name
    shutil.copytree(golden, home)
    if not case.backups:
        shutil.rmtree(home / "backups")
    case.damage(home)
    paths = resolve_paths(home)
    db = paths.database
    before = _fingerprint(home)
    backups_before = sorted(p.name for p in paths.backups.glob("studio-*.sqlite3")) if paths.backups.is_dir() else []
    newest = str(paths.backups / max(backups_before)) if backups_before else None
    res: dict[str, object] = {"family": case.family, "expect": case.expect}
    report.variants += 1
    err: BaseException | None = None
    wrap = case.wrap(home) if case.wrap else contextlib.nullcontext()
    started = time.perf_counter()
    with wrap:
        try:
            if case.cli_user is not None:
                _open_as(case.cli_user, paths)  # root would ignore the file modes: open as that user
            else:
                sv = Services.open(paths)
                sv.close()
        except StorageError as exc:
            err = exc
        except Exception as exc:  # noqa: BLE001
            err = exc
            res["unexpected"] = f"{type(exc).__name__}: {exc}"
        res["open_s"] = round(time.perf_counter() - started, 2)
        if cli:
            proc = run_cli(home) if run_cli is not None else _run_cli(home, case.cli_user)
            report.cli_checked += 1
            lines = proc.stderr.strip().splitlines()
            res["cli_rc"] = proc.returncode
            res["cli_first_line"] = lines[0] if lines else ""
            if lines and not lines[0].startswith("studio: error: ") and any(
                    ln.startswith("studio: error: ") for ln in lines):
                report.problems.append(f"{case.name}: the CLI prints other lines before its error: {lines[0]!r}")
                lines = lines[next(i for i, ln in enumerate(lines) if ln.startswith("studio: error: ")):]
            if case.expect == "empty":
                if proc.returncode != 0:
                    report.problems.append(f"{case.name}: the CLI failed on an empty database: {proc.stderr[-300:]}")
            elif (proc.returncode == 4 and lines and lines[0].startswith("studio: error: ")
                  and "Traceback" not in proc.stderr):
                report.cli_exit4 += 1
                issues = readable_problems(lines[0])
                if issues:
                    report.problems.append(f"{case.name}: CLI line {lines[0]!r}: {issues}")
                if newest and case.expect == "corrupt" and newest not in proc.stderr:
                    report.problems.append(f"{case.name}: the CLI does not name the newest backup")
            else:
                report.problems.append(f"{case.name}: CLI exit {proc.returncode}, stderr {proc.stderr[-400:]!r}")
    after = _fingerprint(home)
    if case.expect != "empty" and after.get("db") != before.get("db"):
        report.overwritten += 1
        report.problems.append(f"{case.name}: the damaged file was changed")
    res["sha_same"] = after.get("db") == before.get("db")

    if case.expect == "empty":
        res["outcome"] = "opened" if err is None else f"refused: {err}"
        if err is not None:
            report.problems.append(f"{case.name}: an empty database with no backups should start fresh: {err}")
        report.results[case.name] = res
        return
    if err is None:
        report.problems.append(f"{case.name}: Studio opened the damaged database without a word")
        res["outcome"] = "opened"
        report.results[case.name] = res
        return
    if not isinstance(err, StorageError):
        report.problems.append(f"{case.name}: {res.get('unexpected')}")
        res["outcome"] = "unexpected"
        report.results[case.name] = res
        return
    report.refused += 1
    message = str(err)
    first = message.splitlines()[0]
    res["outcome"] = type(err).__name__
    res["first_line"] = first
    issues = readable_problems(first, max_len=400)
    if first.count("(") != first.count(")"):
        issues.append("the first line stops inside a parenthesis (the detail runs over several lines)")
    if case.expect == "corrupt":
        if not isinstance(err, DatabaseCorruptError):
            issues.append(f"a {type(err).__name__}, not DatabaseCorruptError")
        if str(db) not in first:
            issues.append("the first line does not name the file")
    if issues:
        report.problems.append(f"{case.name}: {first!r}: {issues}")
    else:
        report.readable += 1
    if newest and case.expect == "corrupt":
        report.with_backup += 1
        if newest in message:
            report.named_backup += 1
        else:
            report.problems.append(f"{case.name}: the message does not name the newest backup {newest}")
    if isinstance(err, DatabaseCorruptError) and err.backups:
        report.restore_tried += 1
        try:
            kept = restore_newest_backup(paths, err)
            ok = sha256_file(kept) == before.get("db")
            sv = Services.open(paths)
            try:
                n = len(sv.drafts.list())
            finally:
                sv.close()
            if ok and n > 0:
                report.restored += 1
            else:
                report.problems.append(f"{case.name}: restore kept {kept} (same bytes: {ok}); drafts after: {n}")
            res["restored_drafts"] = n
        except Exception as exc:  # noqa: BLE001
            report.problems.append(f"{case.name}: restore_newest_backup failed: {type(exc).__name__}: {exc}")
    report.results[case.name] = res


def _cleanup(home: Path) -> None:
    if home.parent.name.startswith("studio-faults-"):
        shutil.rmtree(home.parent, ignore_errors=True)


CLI_SUBSET = ("truncated-50pct", "pages-noise-s0", "header-zeroed", "newer-revision", "text-file", "empty-file",
              "immutable-file", "read-only-filesystem", "read-only-mode-other-user", "locked-exclusive-transaction",
              "text-file-no-backups")


def run_damaged_databases(work: Path, *, full: bool, which: str = "all",
                          run_cli: CliRunner | None = None) -> DbReport:
    """The cases in-process; the CLI on every case when ``full``, else on CLI_SUBSET. ``which``: "all", "user"
    (every case any user can run) or "root" (the ROOT_ONLY cases). ``run_cli`` runs ``studio drafts list`` on a
    data folder another way (tests/package: the bundle); by default the Python install's."""
    if which not in ("all", "user", "root"):
        raise ValueError(f"which must be all, user or root, not {which!r}")
    started = time.perf_counter()
    work.mkdir(parents=True, exist_ok=True)
    golden = make_golden(work)
    report = DbReport()
    for case in build_cases(golden):
        if (which == "user" and case.root_only) or (which == "root" and not case.root_only):
            continue
        cli = full or case.name.split("-", 1)[1] in CLI_SUBSET
        try:
            check_case(case, golden, work / "cases", report, cli=cli, run_cli=run_cli)
        except Exception as exc:  # noqa: BLE001 - one broken case must not hide the others
            report.problems.append(f"{case.name}: harness error {type(exc).__name__}: {exc}")
        finally:
            for tmp in Path("/tmp").glob(f"studio-faults-*/{case.name}"):
                _cleanup(tmp)
    report.seconds = round(time.perf_counter() - started, 1)
    (work / "db-report.json").write_text(json.dumps(report.as_dict(), indent=2, default=str))
    return report
