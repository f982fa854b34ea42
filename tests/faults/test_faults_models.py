"""Malformed models: variants of the real default GGUF, each loaded in a child process through Studio's loader.

Goal: no crash (a signal death of the child), no hang, and every refusal a ModelLoadError whose message reads
well and names the file. CI runs ~50 variants (every family plus the regression guards); STUDIO_FAULTS_FULL=1
runs all ~345.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from faultkit.common import full_run, timeout_s
from faultkit.models import run_model_variants


@pytest.mark.timeout(timeout_s())
@pytest.mark.slow
def test_malformed_models_never_crash_and_are_refused_readably(tmp_path: Path, default_model_path: Path) -> None:
    report = run_model_variants(default_model_path, tmp_path, full=full_run())
    print(f"\nmodels: {report.variants} variants, {report.crashes} crashes, {report.hangs} hangs, "
          f"{report.rejected} refused ({report.readable} readably; {report.by_stage}), {report.loaded} loaded, "
          f"{report.other_errors} other errors, {report.seconds}s")
    problems = "\n".join(report.problems)
    assert report.control == "loaded", problems
    assert report.variants >= (200 if full_run() else 40)
    assert report.crashes == 0, problems
    assert report.hangs == 0, problems
    assert report.other_errors == 0, problems
    assert report.readable == report.rejected, problems
