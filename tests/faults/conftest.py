"""Fault tests: small deterministic subsets by default; STUDIO_FAULTS_FULL=1 runs the full sets (see docs/faults.md).

The kit lives in tests/faults/faultkit so bench/faults.py can run the very same code.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)

from faultkit.common import full_run  # noqa: E402


@pytest.fixture(scope="session")
def full() -> bool:
    return full_run()


def pytest_report_header(config: pytest.Config) -> str:
    return f"fault sets: {'FULL (STUDIO_FAULTS_FULL=1)' if full_run() else 'CI subset (STUDIO_FAULTS_FULL=1 for all)'}"
