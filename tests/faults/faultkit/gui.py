"""The window variant of the crash test: SIGKILL the offscreen MainWindow while it autosaves what is typed."""

from __future__ import annotations

import random
from pathlib import Path

from faultkit.common import PYTHON, REPO, child_env
from faultkit.crash import GUI_DRIVER, CrashReport, KillTiming, _Expect, run_and_kill

_GUI_TIMING = KillTiming(early=0.2, start_s=2.0, ready_timeout_s=90, work_s=(0.1, 1.5),
                         starting="window starting", working="window autosaving")


def gui_trial(home: Path, rng: random.Random, seed: int, expect: _Expect, report: CrashReport,
              stderr_dir: Path) -> str:
    err_path = stderr_dir / f"gui-{seed}.err"
    env = child_env(home, PYTHONPATH=f"{REPO}:{Path(__file__).resolve().parent.parent}")
    proc, reader, landed, phase = run_and_kill([PYTHON, str(GUI_DRIVER), str(seed)], env, err_path, rng,
                                               _GUI_TIMING)
    if not landed:
        report.problems.append(f"window {seed} exited by itself ({proc.returncode}): {err_path.read_text()[-800:]}")
    for line in reader.lines:
        parts = line.split()
        if not parts:
            continue
        if parts[0] == "autosave":
            expect.autosave_id, expect.autosave_step = int(parts[1]), int(parts[2])
            report.reported += 1
        elif parts[0] in ("odd-save", "corrupt-autosave", "dialog"):
            report.problems.append(f"window {seed}: {line}")
            if parts[0] != "dialog":
                report.lost += 1
    return phase
