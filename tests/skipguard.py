"""A skip is a failure where the suite is meant to run in full (see tests/conftest.py for when that is).

Loaded by tests/conftest.py; tests/test_skipguard.py loads it into a small inner session with ``-p tests.skipguard``.
"""

from __future__ import annotations

import os

import pytest

# Values of CI that mean "not CI" (a developer may export CI=0 to say so).
_NOT_SET = {"", "0", "false", "no", "off"}


def skips_are_failures() -> bool:
    """True as root or with CI set. CI runs as root, with the package registries reachable: everything a test
    needs (the model, llama.cpp's sources, the small chat model, root's ability to drop its privileges) is at hand
    there, so a skip can only mean a test that silently stopped testing. Only on a developer's machine, as a normal
    user, may a test that needs root (a mount, a tmpfs) skip."""
    root = hasattr(os, "geteuid") and os.geteuid() == 0
    return root or os.environ.get("CI", "").strip().lower() not in _NOT_SET


class SkipGuard:
    def __init__(self) -> None:
        self.skipped: list[tuple[str, str]] = []  # (node id, reason)

    def _note(self, report: pytest.CollectReport | pytest.TestReport) -> None:
        if report.skipped and not hasattr(report, "wasxfail"):  # an expected failure is not a skip
            longrepr = report.longrepr
            reason = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
            self.skipped.append((report.nodeid, reason.removeprefix("Skipped: ")))

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        self._note(report)  # a module-level importorskip skips the whole file at collection

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        self._note(report)

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        # wrap_session returns session.exitstatus after this hook, so this is what the process exits with. A file
        # skipped whole at collection leaves "no tests collected" (5): that too is this failure.
        passing = (pytest.ExitCode.OK, pytest.ExitCode.NO_TESTS_COLLECTED)
        if self.skipped and skips_are_failures() and session.exitstatus in passing:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        if not (self.skipped and skips_are_failures()):
            return
        terminalreporter.section("skips are failures here", sep="=", red=True, bold=True)
        terminalreporter.line(f"{len(self.skipped)} skipped (running as root or with CI set, where nothing may "
                              "skip; see tests/skipguard.py):", red=True)
        for nodeid, reason in self.skipped:
            terminalreporter.line(f"  SKIPPED {nodeid}: {reason}", red=True)


def pytest_configure(config: pytest.Config) -> None:
    if not config.pluginmanager.has_plugin("studio-skip-guard"):
        config.pluginmanager.register(SkipGuard(), "studio-skip-guard")
