"""Untrusted model metadata: a GGUF whose chat template tries to escape Jinja's sandbox, read files or exhaust the
machine. Nothing may happen outside the sandbox; the writer gets a refusal or a readable error; the app survives.

How Studio handles chat templates: llama-cpp-python 0.3.36 would compile tokenizer.chat_template in Llama() in
jinja2's ImmutableSandboxedEnvironment (the CVE-2024-34359 fix); Studio defers that and renders templates itself
in a guarded sandbox (studio/engine/chat_template.py), only for Rewrite and the context preview; a template that
cannot be compiled or rendered safely at load is not used. See docs/faults.md.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from faultkit.common import full_run, timeout_s
from faultkit.templates import run_template_attacks


@pytest.mark.timeout(timeout_s())
@pytest.mark.slow
def test_hostile_chat_templates_stay_in_the_sandbox(tmp_path: Path, default_model_path: Path) -> None:
    report = run_template_attacks(default_model_path, tmp_path, full=full_run(), timeout_s=45 if full_run() else 20)
    print(f"\ntemplates: {report.templates} hostile templates, {report.side_effects} side effects, "
          f"{report.crashes} crashes, {report.hangs} hangs, {report.refused} refused at load, "
          f"{report.failed_readably} readable errors, {report.rendered_safely} rendered safely, {report.seconds}s")
    problems = "\n".join(report.problems)
    assert report.side_effects == 0, problems
    assert report.crashes == 0, problems
    assert report.hangs == 0, problems
    assert not report.problems, problems
