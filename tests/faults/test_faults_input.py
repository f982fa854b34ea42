"""Hostile input: each case gets a clear message and loses nothing (see faultkit/hostile.py for the cases)."""

from __future__ import annotations

from pathlib import Path

import pytest
from faultkit import hostile
from faultkit.common import full_run, timeout_s


def _run(case, tmp_path: Path, **kw) -> hostile.CaseResult:  # noqa: ANN001
    home = tmp_path / "studio-home"
    res = case(home, **kw)
    print(f"\n{res.name}: {res.timings} {res.message}")
    return res


@pytest.mark.parametrize("case", [hostile.big_paste, hostile.import_nul_bytes, hostile.import_utf8_surrogates,
                                  hostile.import_utf16_lone_surrogate, hostile.import_latin1_file_name,
                                  hostile.cli_title_not_utf8, hostile.export_missing_folder],
                         ids=lambda c: c.__name__)
@pytest.mark.timeout(timeout_s())
def test_hostile_input(case, tmp_path: Path) -> None:  # noqa: ANN001
    res = _run(case, tmp_path)
    assert res.ok, "\n".join(res.problems)


@pytest.mark.timeout(timeout_s())
def test_huge_draft_is_fast_enough(tmp_path: Path) -> None:
    res = _run(hostile.huge_draft, tmp_path)
    assert res.ok, "\n".join(res.problems)


@pytest.mark.timeout(timeout_s())
@pytest.mark.slow
def test_rewrite_larger_than_context_is_refused(tmp_path: Path, default_model_path: Path) -> None:
    res = _run(hostile.rewrite_overflow, tmp_path, words=200_000 if full_run() else 30_000)
    assert res.ok, "\n".join(res.problems)


@pytest.mark.skipif(not hostile.can_mount(), reason="needs root to mount a read-only folder / a tiny tmpfs")
@pytest.mark.parametrize("case", [hostile.export_read_only, hostile.export_disk_full], ids=lambda c: c.__name__)
@pytest.mark.timeout(timeout_s())
def test_export_to_read_only_or_full_disk(case, tmp_path: Path) -> None:  # noqa: ANN001
    res = _run(case, tmp_path)
    assert res.ok, "\n".join(res.problems)
