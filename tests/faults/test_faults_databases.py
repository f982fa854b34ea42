"""Damaged databases: Studio starts, says what happened, names the newest backup, never overwrites the file.

Three read-only cases need root (chattr +i, a read-only bind mount, another uid); they are their own test, which
runs wherever the suite runs as root (CI does) and only there. Every other case runs, and is counted, as any user.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from faultkit.common import full_run, timeout_s
from faultkit.dbdamage import ROOT_ONLY, DbReport, can_run_root_cases, run_damaged_databases


def _check(report: DbReport, *, variants: int) -> None:
    print(f"\ndatabases: {report.variants} variants, {report.refused} refused, {report.readable} readable, "
          f"{report.named_backup}/{report.with_backup} name the newest backup, CLI exit 4: "
          f"{report.cli_exit4}/{report.cli_checked}, {report.overwritten} overwritten, restored "
          f"{report.restored}/{report.restore_tried}, {report.seconds}s")
    problems = "\n".join(report.problems)
    assert report.variants == variants, problems
    assert report.overwritten == 0, problems
    assert report.named_backup == report.with_backup, problems
    assert report.restored == report.restore_tried, problems
    assert not report.problems, problems


@pytest.mark.parametrize("install", ["python", "bundle"])
@pytest.mark.timeout(timeout_s())
def test_damaged_databases_are_refused_untouched(tmp_path: Path, install: str) -> None:
    """On the Python install, and with the CLI run from the Linux bundle (tests/package) in a clean environment."""
    run_cli = None
    homes: list[Path] = []
    if install == "bundle":
        from tests.package.bundle import bundle_cli

        on_bundle = bundle_cli(tmp_path / "machine")

        def run_cli(home: Path) -> subprocess.CompletedProcess[str]:
            homes.append(home)
            return on_bundle(home)

    report = run_damaged_databases(tmp_path, full=full_run(), which="user", run_cli=run_cli)
    assert len(homes) == (report.cli_checked if install == "bundle" else 0) and report.cli_checked > 0
    _check(report, variants=50 - len(ROOT_ONLY))
    # Every case that is not a read-only one is refused readably (the empty file with no backups starts afresh).
    assert report.readable == report.variants - 1, "\n".join(report.problems)


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root (chattr +i, a read-only bind mount, another uid); "
                                              "CI runs as root")
@pytest.mark.timeout(timeout_s())
def test_read_only_databases_made_by_root_are_refused_untouched(tmp_path: Path) -> None:
    assert can_run_root_cases(), "running as root, but mount, umount or chattr is missing"
    report = run_damaged_databases(tmp_path, full=full_run(), which="root")
    _check(report, variants=len(ROOT_ONLY))
    assert report.refused == report.readable == len(ROOT_ONLY), "\n".join(report.problems)
    if not full_run():
        assert report.cli_checked == len(ROOT_ONLY)  # all three are in CLI_SUBSET
        assert report.cli_exit4 == len(ROOT_ONLY), "\n".join(report.problems)
