"""SIGKILL a real Studio process at random moments while it works; nothing reported saved may be lost."""

from __future__ import annotations

from pathlib import Path

from faultkit.common import pick
from faultkit.crash import run_crash_trials


def test_sigkill_during_work_loses_nothing(tmp_path: Path) -> None:
    kills = pick(ci=10, full=50)
    report = run_crash_trials(tmp_path, kills)
    print(f"\ncrash: {report.kills} kills ({report.killed_while}), {report.reported} items reported saved, "
          f"{report.lost} lost, {report.unclean_opens} unclean opens, {report.seconds}s")
    assert report.kills >= kills * 0.8, report.killed_while
    assert report.reported > 0
    assert report.unclean_opens == 0, report.problems
    assert report.lost == 0, report.problems
