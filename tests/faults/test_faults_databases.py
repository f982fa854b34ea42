"""Damaged databases: Studio starts, says what happened, names the newest backup, never overwrites the file."""

from __future__ import annotations

from pathlib import Path

import pytest
from faultkit.common import full_run, timeout_s
from faultkit.dbdamage import run_damaged_databases


@pytest.mark.timeout(timeout_s())
def test_damaged_databases_are_refused_untouched(tmp_path: Path) -> None:
    report = run_damaged_databases(tmp_path, full=full_run())
    print(f"\ndatabases: {report.variants} variants, {report.refused} refused, {report.readable} readable, "
          f"{report.named_backup}/{report.with_backup} name the newest backup, CLI exit 4: "
          f"{report.cli_exit4}/{report.cli_checked}, {report.overwritten} overwritten, restored "
          f"{report.restored}/{report.restore_tried}, {report.seconds}s")
    problems = "\n".join(report.problems)
    assert report.variants >= 50
    assert report.overwritten == 0, problems
    assert report.named_backup == report.with_backup, problems
    assert report.restored == report.restore_tried, problems
    assert not report.problems, problems
