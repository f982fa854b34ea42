"""Crash during work: SIGKILL a real Studio process at points chosen from its own progress lines, then check that
the database opens cleanly and holds everything reported saved before the kill.

Each child runs with faultkit.trace installed: it says when each phase of Studio's work begins and ends (the
backup, the migration, every write) and what it has saved. The parent picks a kill point for each trial (a
phase, and which occurrence of it), waits for that BEGIN line, sleeps a random part of the phase's usual length
(learnt from the RESULT lines of the run so far) and kills. Where the kill landed is read afterwards from the
child's own lines (a BEGIN without its RESULT), not guessed from the clock, and every count is kept per phase.

Three sets:
- ``work``: the autosave driver (Services in a loop: save, create, import) and `studio` CLI commands, killed
  during a migration (a fresh copy of a database at the previous schema revision, thousands of drafts), during
  the backup made at start-up, or during a write;
- ``window``: the offscreen MainWindow autosaving what a writer types, killed during one of its saves;
- ``stream``: the window with the REAL default model, killed while a Continue streams, or just after Tab
  accepted it; after a restart the draft must hold exactly the text before the accept or the text after it.

One data folder is shared by the trials of a set, like a writer's: crash, start again, keep working (each
migration trial gets its own copy of the old database).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import statistics
import subprocess
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from faultkit.autosave_driver import digest, step_of
from faultkit.common import PYTHON, REPO, child_env
from faultkit.trace import TRACE_FD_ENV

FAULTKIT = Path(__file__).resolve().parent
DRIVER = FAULTKIT / "autosave_driver.py"
GUI_DRIVER = FAULTKIT / "gui_driver.py"
CLI = FAULTKIT / "cli_traced.py"

# Which phase a kill landed in, when several were running at once (a save inside an accept, say): the most
# specific one. A kill with none running landed "between" phases; one before the first line, "starting".
PRIORITY = ("migration", "backup", "seed", "after-accept", "streaming", "write", "open")
# A phase's usual length before the run has measured it (seconds): the first delays are drawn from these.
DEFAULT_S = {"migration": 0.05, "backup": 0.02, "write": 0.004, "after-accept": 0.01, "streaming": 1.0}
# A child that has not reached its kill point by then is a failure. Each trial takes 1-5 s here; a window
# loading the model and streaming on two busy cores ~10-20 s. After MAX_DRIVER_FAILURES the set stops: the
# harness or the build is broken, and more trials would only take time.
TRIAL_TIMEOUT_S = 30.0
MODEL_TRIAL_TIMEOUT_S = 240.0
MAX_DRIVER_FAILURES = 3
OLD_REVISION = "0001"  # the schema the migration trials start from
OLD_DRAFTS = 3000  # drafts in that old database: enough that the migration takes a while


@dataclass
class CrashReport:
    trials: int = 0
    kills: int = 0  # trials ended by a SIGKILL that landed while the child still ran
    reported: int = 0  # items reported saved, in all trials
    lost: int = 0  # items reported saved before a kill that were missing or different afterwards
    unclean_opens: int = 0  # Store.open refused the database, or integrity_check was not ok
    driver_failures: int = 0  # a child exited by itself, a command failed, or the kill point never came
    # Per phase the kill aimed at: trials, and how many of those kills landed in that phase.
    targets: dict[str, dict[str, int]] = field(default_factory=dict)
    # Per phase a kill landed in: kills, lost, unclean opens, and what the draft held afterwards.
    phases: dict[str, dict[str, object]] = field(default_factory=dict)
    usual_s: dict[str, float] = field(default_factory=dict)  # median length of each phase, as measured
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def as_dict(self) -> dict[str, object]:
        return asdict(self)

    def landed_in_target(self) -> int:
        return sum(t["landed"] for t in self.targets.values())

    def phase(self, name: str) -> dict[str, object]:
        return self.phases.setdefault(name, {"kills": 0, "lost": 0, "unclean_opens": 0, "outcomes": {}})

    def outcome(self, phase: str, what: str) -> None:
        out = self.phase(phase)["outcomes"]
        assert isinstance(out, dict)
        out[what] = out.get(what, 0) + 1


@dataclass
class _Expect:
    """What the parent knows was committed in one data folder: drafts by id (digest of title and body), the
    autosave step, and drafts that may hold either of two texts (an accept whose save may not have landed)."""

    drafts: dict[int, str] = field(default_factory=dict)
    autosave_id: int | None = None
    autosave_step: int = 0
    either: dict[int, tuple[str, str, bool]] = field(default_factory=dict)  # before, after, after reported saved
    watch: int | None = None  # the draft a window streamed into: its outcome is counted per phase
    revision: str | None = None  # the schema revision Store.open must leave behind (head), when checked


@dataclass(frozen=True)
class KillPoint:
    """Kill when the ``nth`` line starting with ``match`` arrives, after a random part (up to ``spread`` times)
    of the usual length of ``phase`` so far; a fixed ``delay_s`` range instead, when given (for a phase that the
    kill always cuts short, whose length the run therefore never learns)."""

    phase: str
    match: str
    nth: int = 1
    spread: float = 0.8
    delay_s: tuple[float, float] | None = None


class _Durations:
    """The lengths of each phase seen so far in a run (from RESULT lines), for drawing kill delays."""

    def __init__(self) -> None:
        self.seen: dict[str, list[float]] = {}

    def add(self, phase: str, seconds: float) -> None:
        self.seen.setdefault(phase, []).append(seconds)

    def usual(self, phase: str) -> float:
        seen = self.seen.get(phase)
        return statistics.median(seen[-50:]) if seen else DEFAULT_S.get(phase, 0.01)


class _Trace(threading.Thread):
    """Reads a child's trace pipe as lines come, tracks which phases are running, and fires the kill."""

    def __init__(self, fd: int, proc: subprocess.Popen[str], point: KillPoint | None, rng: random.Random,
                 durations: _Durations) -> None:
        super().__init__(daemon=True)
        self._file = os.fdopen(fd, "r", encoding="utf-8", errors="replace")
        self.proc = proc
        self.point = point
        self.rng = rng
        self.durations = durations
        self.lines: list[str] = []
        self.fired = threading.Event()
        self.kill_sent = False
        self._open: dict[str, int] = {}
        self._seen = 0

    def run(self) -> None:
        with self._file:
            for raw in self._file:
                line = raw.rstrip("\n")
                self.lines.append(line)
                parts = line.split()
                if len(parts) >= 2 and parts[0] == "BEGIN":
                    self._open[parts[1]] = self._open.get(parts[1], 0) + 1
                elif len(parts) >= 3 and parts[0] == "RESULT":
                    self._open[parts[1]] = max(0, self._open.get(parts[1], 0) - 1)
                    try:
                        self.durations.add(parts[1], float(parts[2]))
                    except ValueError:
                        pass
                p = self.point
                if p is not None and not self.fired.is_set() and line.startswith(p.match):
                    self._seen += 1
                    if self._seen >= p.nth:
                        lo, hi = p.delay_s or (0.0, p.spread * self.durations.usual(p.phase))
                        time.sleep(self.rng.uniform(lo, hi))
                        self.kill()
                        self.fired.set()

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.kill_sent = True

    def finish(self) -> str:
        """After the child is gone and its pipe drained: the phase the kill landed in (from every line the child
        wrote before it died: a phase whose RESULT never came was running)."""
        self.join(timeout=30)
        running = [name for name, n in self._open.items() if n > 0]
        for name in PRIORITY:
            if name in running:
                return name
        if running:
            return running[0]
        return "between" if self.lines else "starting"


@dataclass
class _Outcome:
    target: str
    landed: str  # "" when no kill landed (the child was not running any more)
    lines: list[str]
    stdout: str
    returncode: int | None


def _env(home: Path, fd: int) -> dict[str, str]:
    return child_env(home, PYTHONPATH=os.pathsep.join([str(REPO), str(FAULTKIT.parent)]),
                     **{TRACE_FD_ENV: str(fd)})


def _run(cmd: list[str], home: Path, point: KillPoint | None, rng: random.Random, durations: _Durations,
         err_path: Path, report: CrashReport, what: str, timeout_s: float = TRIAL_TIMEOUT_S) -> _Outcome:
    """Run one child with a trace pipe; kill it at ``point`` (or let it finish when ``point`` is None)."""
    r, w = os.pipe()
    with open(err_path, "a") as err:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err, text=True, env=_env(home, w),
                                cwd=str(REPO), pass_fds=(w,))
        os.close(w)
        tr = _Trace(r, proc, point, rng, durations)
        tr.start()
        try:
            stdout, _ = proc.communicate(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            tr.kill()
            stdout, _ = proc.communicate()
            report.driver_failures += 1
            report.problems.append(f"{what}: the kill point ({point.match if point else 'the end'}) never came in "
                                   f"{timeout_s:.0f} s; last lines {tr.lines[-3:]}")
    landed = tr.finish()
    killed = tr.kill_sent and proc.returncode == -signal.SIGKILL
    if point is not None and not killed:
        report.driver_failures += 1
        report.problems.append(f"{what} exited by itself (code {proc.returncode}) before its kill point "
                               f"{point.match!r}: {err_path.read_text(errors='replace')[-600:]}")
    elif point is None and proc.returncode != 0:
        report.driver_failures += 1
        report.problems.append(f"{what} failed with exit code {proc.returncode}: "
                               f"{err_path.read_text(errors='replace')[-400:]}")
    for line in tr.lines:
        if line.startswith("PROBLEM "):
            report.problems.append(f"{what}: {line[8:]}")
    return _Outcome(point.phase if point else "", landed if killed else "", tr.lines, stdout, proc.returncode)


def _take_saved(lines: list[str], expect: _Expect, report: CrashReport) -> None:
    """What the child reported saved, into ``expect``."""
    for line in lines:
        parts = line.split()
        if len(parts) < 2 or parts[0] not in ("SAVED", "PROBLEM", "BEGIN", "READY"):
            continue
        if parts[0] == "SAVED" and parts[1] == "autosave":
            if parts[3] == "None":
                continue
            expect.autosave_id, expect.autosave_step = int(parts[2]), int(parts[3])
            expect.drafts.pop(expect.autosave_id, None)  # its text is checked by step from now on
            report.reported += 1
        elif parts[0] == "SAVED" and parts[1] in ("created", "imported", "draft"):
            draft_id = int(parts[2])
            expect.drafts[draft_id] = parts[3]
            if draft_id in expect.either:  # the accepted text was reported on disk: only it will do now
                before, after, _ = expect.either[draft_id]
                expect.either[draft_id] = (before, after, True)
            report.reported += 1
        elif parts[0] == "READY" and len(parts) == 3:
            draft_id = int(parts[1])
            expect.watch = draft_id
            if expect.drafts.get(draft_id, parts[2]) != parts[2]:
                report.lost += 1
                report.problems.append(f"draft {draft_id}: the window opened a text that is not what was saved")
        elif parts[0] == "BEGIN" and parts[1] == "after-accept":
            draft_id, before, after = int(parts[2]), parts[3], parts[4]
            if expect.drafts.get(draft_id, before) != before:
                report.lost += 1
                report.problems.append(f"draft {draft_id}: the window accepted onto text that is not what was saved")
            expect.either[draft_id] = (before, after, False)
        elif parts[0] == "PROBLEM" and parts[1] in ("corrupt-autosave", "odd-save"):
            report.lost += 1


# ------------------------------------------------------------------------------------------------ the trials


def _autosave_trial(home: Path, point: KillPoint, rng: random.Random, seed: int, durations: _Durations,
                    expect: _Expect, report: CrashReport, logs: Path) -> str:
    imports = home.parent / "imports"
    imports.mkdir(parents=True, exist_ok=True)
    out = _run([PYTHON, str(DRIVER), str(seed), str(imports)], home, point, rng, durations,
               logs / f"driver-{seed}.err", report, f"driver {seed}")
    _take_saved(out.lines, expect, report)
    return out.landed


def _cli_trial(home: Path, rng: random.Random, seed: int, durations: _Durations, expect: _Expect,
               report: CrashReport, logs: Path) -> str:
    """`studio` commands one after another; one of the writing ones is killed during one of its writes."""
    from studio.export.imports import parse_import

    work = home.parent / f"cli-{seed}"
    work.mkdir(parents=True, exist_ok=True)
    new_file = work / "new.txt"
    new_body = "".join(f"Paragraph {i} of trial {seed}.\n\n" for i in range(rng.randrange(1, 300))).rstrip("\n")
    new_file.write_text(new_body, encoding="utf-8")
    imports = []
    for k in range(3):
        p = work / f"import-{k}.md"
        p.write_text(f"# Imported {seed}.{k}\n\n" + "Some imported prose. " * rng.randrange(1, 2000) + "\n",
                     encoding="utf-8")
        imports.append(p)
    title = f"CLI draft {seed}"
    commands = [
        ["drafts", "new", "--title", title, "--file", str(new_file)],
        ["drafts", "import", *map(str, imports)],
        ["drafts", "list"],
        ["drafts", "new", "--title", title + " again", "--file", str(new_file)],
        ["drafts", "export", "--all", "--out", str(work / "export")],
    ]
    victim = rng.choice((0, 1, 3))  # the commands that write
    point = KillPoint("write", "BEGIN write", nth=rng.randrange(1, len(imports) + 1) if victim == 1 else 1)
    for i, cmd in enumerate(commands):
        killing = i == victim
        out = _run([PYTHON, str(CLI), *cmd], home, point if killing else None, rng, durations,
                   logs / f"cli-{seed}.err", report, f"`studio {' '.join(cmd[:2])}` ({seed})")
        if killing:
            return out.landed
        if out.returncode != 0:
            continue
        lines = [ln for ln in out.stdout.splitlines() if ln.strip()]
        if cmd[1] == "new":
            expect.drafts[int(lines[0])] = digest(cmd[3], new_body)
            report.reported += 1
        elif cmd[1] == "import":
            for ln, path in zip(lines, imports, strict=False):
                imported = parse_import(path)
                expect.drafts[int(ln.split("\t")[0])] = digest(imported.title, imported.body)
                report.reported += 1
    return ""


def make_old_database(root: Path, drafts: int = OLD_DRAFTS) -> tuple[Path, dict[int, str]]:
    """A data folder made by Studio, holding ``drafts`` drafts, then taken back to schema OLD_REVISION with
    Studio's own downgrade: what a writer has after updating Studio, before its first start."""
    from alembic import command

    from studio.domain import Form
    from studio.paths import resolve_paths
    from studio.storage import Store
    from studio.storage.db import create_engine
    from studio.storage.migrate import alembic_config

    home = root / "old-schema"
    paths = resolve_paths(home)
    store = Store.open(paths, keep_backups=0)
    rng = random.Random(11)
    words = ("rain", "window", "letter", "night", "sea", "她", "雨", "harbour", "lamp", "door")
    made: dict[int, str] = {}
    try:
        with store.unit_of_work() as uow:
            for i in range(drafts):
                body = " ".join(rng.choice(words) for _ in range(rng.randrange(20, 400)))
                d = uow.drafts.create(f"Old draft {i}", Form.PROSE, body=body)
                assert d.id is not None
                made[d.id] = digest(d.title, d.body)
    finally:
        store.close()
    engine = create_engine(paths.database, foreign_keys=False)
    try:
        with engine.begin() as conn:
            command.downgrade(alembic_config(connection=conn), OLD_REVISION)
    finally:
        engine.dispose()  # the last connection to close checkpoints the WAL into the file
    return home, made


def _migration_trial(old: tuple[Path, dict[int, str]], root: Path, rng: random.Random, seed: int,
                     durations: _Durations, report: CrashReport, logs: Path) -> tuple[str, Path, _Expect]:
    from studio.storage.migrate import head_revision

    home = root / f"migrate-{seed}" / "studio-home"
    shutil.copytree(old[0], home)
    expect = _Expect(drafts=dict(old[1]), revision=head_revision())
    landed = _autosave_trial(home, KillPoint("migration", "BEGIN migration"), rng, seed, durations, expect, report,
                             logs)
    return landed, home, expect


def _gui_trial(home: Path, mode: str, point: KillPoint, rng: random.Random, seed: int, durations: _Durations,
               expect: _Expect, report: CrashReport, logs: Path, model: Path | None) -> str:
    cmd = [PYTHON, str(GUI_DRIVER), mode, str(seed)] + ([str(model)] if model else [])
    out = _run(cmd, home, point, rng, durations, logs / f"gui-{mode}-{seed}.err", report, f"window {mode} {seed}",
               timeout_s=MODEL_TRIAL_TIMEOUT_S if model else TRIAL_TIMEOUT_S)
    _take_saved(out.lines, expect, report)
    return out.landed


# ------------------------------------------------------------------------------------------------ verification


def _verify(home: Path, expect: _Expect, report: CrashReport, trial: int, phase: str) -> None:
    """Open the database the way Studio starts (Store.open), run integrity_check, compare with what was
    reported saved; losses and unclean opens are counted against the phase the kill landed in."""
    from sqlalchemy import text

    from studio.domain import StudioError
    from studio.paths import resolve_paths
    from studio.storage import Store

    counts = report.phase(phase)

    def lose(n: int, why: str) -> None:
        report.lost += n
        counts["lost"] = int(counts["lost"]) + n  # type: ignore[call-overload]
        report.problems.append(f"trial {trial} ({phase}): {why}")

    def unclean(why: str) -> None:
        report.unclean_opens += 1
        counts["unclean_opens"] = int(counts["unclean_opens"]) + 1  # type: ignore[call-overload]
        report.problems.append(f"trial {trial} ({phase}): {why}")

    expected = len(expect.drafts) + len(expect.either) + (1 if expect.autosave_id is not None else 0)
    paths = resolve_paths(home)
    if not paths.database.exists():
        if expected:
            lose(expected, "the database file is gone")
        return
    try:
        store = Store.open(paths)
    except StudioError as exc:
        unclean(f"Store.open refused the database: {exc}")
        lose(expected, "nothing could be read")
        return
    try:
        with store.unit_of_work(readonly=True) as uow:
            check = [r[0] for r in uow.session.execute(text("PRAGMA integrity_check")).fetchall()]
            if check != ["ok"]:
                unclean(f"integrity_check: {check[:3]}")
            if expect.revision is not None:
                rev = [r[0] for r in uow.session.execute(text("SELECT version_num FROM alembic_version"))]
                if rev != [expect.revision]:
                    unclean(f"after a restart the schema is at {rev}, not {expect.revision}")
            rows = {int(r[0]): digest(r[1], r[2])
                    for r in uow.session.execute(text("SELECT id, title, body FROM drafts")).fetchall()}
            body_row = None
            if expect.autosave_id is not None:
                body_row = uow.session.execute(text("SELECT body FROM drafts WHERE id = :i"),
                                               {"i": expect.autosave_id}).scalar()
    finally:
        store.close()
    for draft_id, want in expect.drafts.items():
        if draft_id in expect.either:
            continue
        if draft_id not in rows:
            lose(1, f"draft {draft_id} reported saved is missing")
        elif rows[draft_id] != want:
            lose(1, f"draft {draft_id} differs from what was saved")
    watched = expect.watch
    if (watched is not None and watched not in expect.either and watched in expect.drafts
            and rows.get(watched) == expect.drafts[watched]):
        report.outcome(phase, "text as saved before the run")
    for draft_id, (before, after, saved) in list(expect.either.items()):
        got = rows.get(draft_id)
        if got == after:
            report.outcome(phase, "text after the accept" + (" (its save was reported)" if saved else ""))
        elif got == before and not saved:
            report.outcome(phase, "text before the accept")
        else:
            lose(1, f"draft {draft_id} holds neither the text before the accept nor the text after it"
                    if not saved else f"draft {draft_id} lost the accepted text that was reported saved")
            continue
        expect.drafts[draft_id] = got  # what the next trial starts from
        del expect.either[draft_id]
    if expect.autosave_id is not None:
        step = step_of(body_row) if body_row is not None else None
        # The kill may land after a commit and before its SAVED line: one step more is fine, less is not.
        if step is None or step < expect.autosave_step:
            lose(1, f"autosave draft holds step {step}, {expect.autosave_step} was reported saved")
        else:
            expect.autosave_step = step


# ------------------------------------------------------------------------------------------------ runs


def _make_backup_due(home: Path) -> None:
    """A start makes no backup when the database has not changed since the newest one (studio/storage/migrate.py),
    and a write trial killed before its changes reached the main file (they sit in the WAL) leaves it unchanged: the
    backup-aimed trial after it then waited in vain for "BEGIN backup" (a driver failure in a clean-clone CI run).
    Without older backups the start copies the database, so the kill has its phase."""
    for old in (home / "backups").glob("*"):
        if old.is_file():
            old.unlink()


def _plan_work(trial: int, rng: random.Random) -> tuple[str, KillPoint | None]:
    """The work set's trial kinds, in turn: migration, write (driver), backup, write (driver), write (CLI)."""
    kind = ("migration", "write", "backup", "write", "cli")[trial % 5]
    if kind == "write":
        return kind, KillPoint("write", "BEGIN write", nth=rng.randrange(2, 40), spread=0.5)
    if kind == "backup":
        return kind, KillPoint("backup", "BEGIN backup")
    return kind, None


def run_crash_trials(root: Path, kills: int, *, seed: int = 20240601, kind: str = "work",
                     model: Path | None = None, gui: bool = False) -> CrashReport:
    """``kills`` trials of one set (``kind``: work, window or stream; ``gui=True`` is the window set), each ended
    by a SIGKILL at a chosen point and followed by a verification of the database."""
    if gui:
        kind = "window"
    if kind == "stream" and model is None:
        raise ValueError("the stream set needs the real model (model=...)")
    started = time.perf_counter()
    home = root / "studio-home"
    logs = root / "child-stderr"
    logs.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    durations = _Durations()
    expect = _Expect()
    report = CrashReport()
    old = make_old_database(root) if kind == "work" else None
    for trial in range(kills):
        trial_seed = seed + trial
        where, what = home, expect
        if kind == "work":
            planned, point = _plan_work(trial, rng)
            if planned == "migration":
                assert old is not None
                target = "migration"
                landed, where, what = _migration_trial(old, root, rng, trial_seed, durations, report, logs)
            elif planned == "cli":
                target = "write"
                landed = _cli_trial(home, rng, trial_seed, durations, expect, report, logs)
            else:
                assert point is not None
                target = point.phase
                if planned == "backup":
                    _make_backup_due(home)
                landed = _autosave_trial(home, point, rng, trial_seed, durations, expect, report, logs)
        elif kind == "window":
            target = "write"
            point = KillPoint("write", "SAVING", nth=rng.randrange(2, 20))
            landed = _gui_trial(home, "type", point, rng, trial_seed, durations, expect, report, logs, None)
        else:
            mode = ("stream", "accept")[trial % 2]
            if mode == "stream":
                target = "streaming"
                point = KillPoint("streaming", "TOKENS", nth=rng.randrange(1, 5), delay_s=(0.0, 0.3))
            else:
                target = "after-accept"
                # From Tab to the accepted text reported on disk is 2-25 ms here (the saver thread's write, then
                # the window hearing of it); the kills that land after it teach the run how long it takes.
                point = KillPoint("after-accept", "BEGIN after-accept")
            landed = _gui_trial(home, mode, point, rng, trial_seed, durations, expect, report, logs, model)
        report.trials += 1
        t = report.targets.setdefault(target, {"trials": 0, "landed": 0})
        t["trials"] += 1
        phase = landed or "not killed"
        if landed:
            report.kills += 1
            counts = report.phase(landed)
            counts["kills"] = int(counts["kills"]) + 1  # type: ignore[call-overload]
            if landed == target:
                t["landed"] += 1
        _verify(where, what, report, trial, phase)
        if where != home:
            shutil.rmtree(where.parent, ignore_errors=True)
        if report.driver_failures >= MAX_DRIVER_FAILURES:
            report.problems.append(f"stopped after {report.driver_failures} driver failures")
            break
    report.usual_s = {p: round(statistics.median(v), 4) for p, v in sorted(durations.seen.items())}
    report.seconds = round(time.perf_counter() - started, 1)
    (root / "crash-report.json").write_text(json.dumps(report.as_dict(), indent=2))
    return report


def phase_table(report: CrashReport) -> list[tuple[str, int, int, str]]:
    """(phase, kills that landed there, lost, outcomes) rows, in PRIORITY order, for reports."""
    rows = []
    names = [p for p in PRIORITY if p in report.phases] + sorted(set(report.phases) - set(PRIORITY))
    for name in names:
        c = report.phases[name]
        outcomes = c["outcomes"]
        assert isinstance(outcomes, dict)
        rows.append((name, int(c["kills"]), int(c["lost"]),  # type: ignore[call-overload]
                     ", ".join(f"{k}: {v}" for k, v in sorted(outcomes.items()))))
    return rows

