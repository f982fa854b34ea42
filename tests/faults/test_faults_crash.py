"""SIGKILL a real Studio process at random moments while it works; nothing reported saved may be lost."""

from __future__ import annotations

from pathlib import Path

import pytest
from faultkit.common import pick, timeout_s
from faultkit.crash import run_crash_trials


@pytest.mark.timeout(timeout_s())
def test_sigkill_during_work_loses_nothing(tmp_path: Path) -> None:
    kills = pick(ci=10, full=50)
    report = run_crash_trials(tmp_path, kills)
    print(f"\ncrash: {report.kills} kills ({report.killed_while}), {report.reported} items reported saved, "
          f"{report.lost} lost, {report.unclean_opens} unclean opens, {report.seconds}s")
    assert report.kills >= kills * 0.8, report.killed_while
    assert report.reported > 0
    assert report.unclean_opens == 0, report.problems
    assert report.lost == 0, report.problems


@pytest.mark.timeout(timeout_s())
def test_sigkill_of_the_window_while_it_autosaves_loses_nothing(tmp_path: Path) -> None:
    """The real MainWindow (offscreen) in a child process, typing and autosaving, killed at random moments."""
    pytest.importorskip("PySide6")
    kills = pick(ci=4, full=20)
    report = run_crash_trials(tmp_path, kills, gui=True)
    print(f"\nwindow crash: {report.kills} kills ({report.killed_while}), {report.reported} saves reported, "
          f"{report.lost} lost, {report.unclean_opens} unclean opens, {report.seconds}s")
    assert report.kills >= kills * 0.75, report.killed_while
    assert report.unclean_opens == 0, report.problems
    assert report.lost == 0, report.problems
    assert not report.problems, report.problems
