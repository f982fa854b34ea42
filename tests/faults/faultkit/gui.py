"""The window variant of the crash test: SIGKILL the offscreen MainWindow while it autosaves what is typed."""

from __future__ import annotations

import random
import subprocess
import time
from pathlib import Path

from faultkit.common import PYTHON, REPO, child_env
from faultkit.crash import GUI_DRIVER, CrashReport, _Expect, _kill, _Reader


def gui_trial(home: Path, rng: random.Random, seed: int, expect: _Expect, report: CrashReport,
              stderr_dir: Path) -> str:
    err_path = stderr_dir / f"gui-{seed}.err"
    env = child_env(home, PYTHONPATH=f"{REPO}:{Path(__file__).resolve().parent.parent}")
    with open(err_path, "w") as err:
        proc = subprocess.Popen([PYTHON, str(GUI_DRIVER), str(seed)], stdout=subprocess.PIPE, stderr=err, text=True,
                                env=env, cwd=str(REPO))
        reader = _Reader(proc)
        reader.start()
        if rng.random() < 0.2:
            time.sleep(rng.uniform(0.0, 2.0))
            phase = "window starting" if not reader.ready.is_set() else "window autosaving"
        else:
            reader.ready.wait(timeout=90)
            time.sleep(rng.uniform(0.1, 1.5))
            phase = "window autosaving"
        landed = _kill(proc)
        reader.join(timeout=10)
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
