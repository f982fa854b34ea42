"""Crash during work: SIGKILL a real Studio process (the CLI, or a driver that autosaves through Services) at
random moments, then check that the database opens cleanly and holds everything reported saved before the kill.

One data folder is shared by all the trials of a run, like a writer's: crash, start again, keep working.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from faultkit.autosave_driver import digest, step_of
from faultkit.common import PYTHON, REPO, child_env

DRIVER = Path(__file__).with_name("autosave_driver.py")
GUI_DRIVER = Path(__file__).with_name("gui_driver.py")


@dataclass
class CrashReport:
    kills: int = 0
    lost: int = 0  # items reported saved before a kill that were missing or different afterwards
    reported: int = 0  # items reported saved, in all trials
    unclean_opens: int = 0  # Store.open refused the database, or integrity_check was not ok
    killed_while: dict[str, int] = field(default_factory=dict)  # what the child was doing when killed
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass
class _Expect:
    """What the parent knows was committed: drafts by id (digest of title and body), and the autosave step."""

    drafts: dict[int, str] = field(default_factory=dict)
    autosave_id: int | None = None
    autosave_step: int = 0


class _Reader(threading.Thread):
    """Collects a child's stdout lines as they come (timestamps included) without blocking the parent."""

    def __init__(self, proc: subprocess.Popen[str]) -> None:
        super().__init__(daemon=True)
        self.proc = proc
        self.lines: list[str] = []
        self.ready = threading.Event()

    def run(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            line = line.rstrip("\n")
            self.lines.append(line)
            if line == "ready":
                self.ready.set()


def _kill(proc: subprocess.Popen[str]) -> bool:
    """SIGKILL the child if it still runs. True when the kill landed (the child had not exited by itself)."""
    if proc.poll() is not None:
        return False
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    return proc.returncode == -signal.SIGKILL


@dataclass(frozen=True)
class KillTiming:
    """When to SIGKILL a driver: with probability ``early`` at a random moment during its start-up (within
    ``start_s`` seconds), else a random ``work_s`` after it printed "ready"."""

    early: float
    start_s: float
    ready_timeout_s: float
    work_s: tuple[float, float]
    starting: str
    working: str


def run_and_kill(cmd: list[str], env: dict[str, str], err_path: Path, rng: random.Random,
                 timing: KillTiming) -> tuple[subprocess.Popen[str], _Reader, bool, str]:
    """Start ``cmd``, kill it at a random moment, and return (process, its output reader, whether the kill
    landed, the phase it landed in)."""
    with open(err_path, "w") as err:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err, text=True, env=env, cwd=str(REPO))
        reader = _Reader(proc)
        reader.start()
        if rng.random() < timing.early:
            time.sleep(rng.uniform(0.0, timing.start_s))
            phase = timing.starting if not reader.ready.is_set() else timing.working
        else:
            reader.ready.wait(timeout=timing.ready_timeout_s)
            time.sleep(rng.uniform(*timing.work_s))
            phase = timing.working
        landed = _kill(proc)
        reader.join(timeout=10)
    return proc, reader, landed, phase


# A third of the kills land while the process is still starting (opening, backing up, migrating the
# database); the rest while it saves.
_AUTOSAVE_TIMING = KillTiming(early=0.3, start_s=1.2, ready_timeout_s=60, work_s=(0.0, 0.8),
                              starting="starting", working="saving")


def _autosave_trial(home: Path, rng: random.Random, seed: int, expect: _Expect, report: CrashReport,
                    stderr_dir: Path) -> str:
    imports = home.parent / "imports"
    imports.mkdir(exist_ok=True)
    err_path = stderr_dir / f"driver-{seed}.err"
    proc, reader, landed, phase = run_and_kill([PYTHON, str(DRIVER), str(seed), str(imports)], child_env(home),
                                               err_path, rng, _AUTOSAVE_TIMING)
    if not landed:
        report.problems.append(f"driver {seed} exited by itself (code {proc.returncode}): "
                               f"{err_path.read_text()[-500:]}")
    for line in reader.lines:
        parts = line.split()
        if not parts:
            continue
        if parts[0] == "autosave":
            expect.autosave_id, expect.autosave_step = int(parts[1]), int(parts[2])
            report.reported += 1
        elif parts[0] in ("created", "imported"):
            expect.drafts[int(parts[1])] = parts[2]
            report.reported += 1
        elif parts[0] == "corrupt-autosave":
            report.lost += 1
            report.problems.append(f"autosave draft {parts[1]} held text no save ever wrote")
    return phase


def _cli_trial(home: Path, rng: random.Random, seed: int, expect: _Expect, report: CrashReport,
               stderr_dir: Path) -> str:
    """A few `studio` commands one after another; one of them is killed at a random moment."""
    from studio.export.imports import parse_import

    work = home.parent / f"cli-{seed}"
    work.mkdir(exist_ok=True)
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
    deadline = time.monotonic() + rng.uniform(0.2, 3.5)
    phase = "finished"
    for cmd in commands:
        with open(stderr_dir / f"cli-{seed}.err", "a") as err:
            proc = subprocess.Popen([PYTHON, "-m", "studio", *cmd], stdout=subprocess.PIPE, stderr=err, text=True,
                                    env=child_env(home), cwd=str(REPO))
            try:
                out, _ = proc.communicate(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                _kill(proc)
                phase = f"cli {cmd[0]} {cmd[1]}"
                break
        if proc.returncode != 0:
            report.problems.append(f"`studio {' '.join(cmd[:2])}` failed with {proc.returncode}")
            continue
        lines = [ln for ln in out.splitlines() if ln.strip()]
        if cmd[1] == "new":
            expect.drafts[int(lines[0])] = digest(cmd[3], new_body)
            report.reported += 1
        elif cmd[1] == "import":
            for ln, path in zip(lines, imports):
                draft_id = int(ln.split("\t")[0])
                imported = parse_import(path)
                expect.drafts[draft_id] = digest(imported.title, imported.body)
                report.reported += 1
    return phase


def _verify(home: Path, expect: _Expect, report: CrashReport, trial: int) -> None:
    """Open the database the way Studio starts (Store.open), run integrity_check, compare with what was reported."""
    from sqlalchemy import text

    from studio.domain import NotFoundError, StudioError
    from studio.paths import resolve_paths
    from studio.storage import Store

    paths = resolve_paths(home)
    if not paths.database.exists():
        if expect.drafts or expect.autosave_id is not None:
            report.lost += len(expect.drafts) + 1
            report.problems.append(f"trial {trial}: the database file is gone")
        return
    try:
        store = Store.open(paths)
    except StudioError as exc:
        report.unclean_opens += 1
        report.lost += len(expect.drafts) + (1 if expect.autosave_id is not None else 0)
        report.problems.append(f"trial {trial}: Store.open refused the database: {exc}")
        return
    try:
        with store.unit_of_work() as uow:
            check = [r[0] for r in uow.session.execute(text("PRAGMA integrity_check")).fetchall()]
            if check != ["ok"]:
                report.unclean_opens += 1
                report.problems.append(f"trial {trial}: integrity_check: {check[:3]}")
            for draft_id, want in expect.drafts.items():
                try:
                    d = uow.drafts.get(draft_id)
                except NotFoundError:
                    report.lost += 1
                    report.problems.append(f"trial {trial}: draft {draft_id} reported saved is missing")
                    continue
                if digest(d.title, d.body) != want:
                    report.lost += 1
                    report.problems.append(f"trial {trial}: draft {draft_id} differs from what was saved")
            if expect.autosave_id is not None:
                try:
                    body = uow.drafts.get(expect.autosave_id).body
                except NotFoundError:
                    body = None
                step = step_of(body) if body is not None else None
                # The kill may land after a commit and before its "saved" line: one step more is fine, less is not.
                if step is None or step < expect.autosave_step:
                    report.lost += 1
                    report.problems.append(f"trial {trial}: autosave draft holds step {step}, "
                                           f"{expect.autosave_step} was reported saved")
                else:
                    expect.autosave_step = step
    finally:
        store.close()


def run_crash_trials(root: Path, kills: int, *, seed: int = 20240601, gui: bool = False) -> CrashReport:
    """``kills`` trials alternating the autosave driver and CLI command sequences (or the window driver when
    ``gui``), each ended by SIGKILL, each followed by a verification of the database."""
    started = time.perf_counter()
    home = root / "studio-home"
    logs = root / "child-stderr"
    logs.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    expect = _Expect()
    report = CrashReport()
    for trial in range(kills):
        trial_seed = seed + trial
        if gui:
            from faultkit.gui import gui_trial

            phase = gui_trial(home, rng, trial_seed, expect, report, logs)
        elif trial % 3 == 2:
            phase = _cli_trial(home, rng, trial_seed, expect, report, logs)
        else:
            phase = _autosave_trial(home, rng, trial_seed, expect, report, logs)
        if phase != "finished":
            report.kills += 1
        report.killed_while[phase] = report.killed_while.get(phase, 0) + 1
        _verify(home, expect, report, trial)
    report.seconds = round(time.perf_counter() - started, 1)
    (root / "crash-report.json").write_text(json.dumps(report.as_dict(), indent=2))
    return report
