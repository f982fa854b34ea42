"""Holding a poem to its form on the real default model: line count and per-line length."""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest

from studio.domain import Action, Draft, Finished, Form, LoadSettings
from studio.forms import poetry
from studio.services import Services


@pytest.fixture(scope="module")
def setup(default_model_path, tmp_path_factory):
    from studio.paths import Paths

    sv = Services.open(Paths(tmp_path_factory.mktemp("steer-home")).ensure())
    runner = sv.new_model_runner()
    runner.load(default_model_path, LoadSettings())
    yield sv, runner
    runner.close()
    sv.close()


def _poems(sv, runner, key: str, hold: bool, seeds: range) -> list[str]:
    style = next(s for s in sv.library.styles(Form.POETRY) if s.builtin_key == key)
    draft = Draft(id=0, title="t", form=Form.POETRY, body="", style_id=style.id)
    req = replace(sv.generation.build_request(draft, Action.CONTINUE, cursor=0, max_tokens=80), draft_key=None)
    assert req.hold_form == key.split(".")[1]
    if not hold:
        req = replace(req, hold_form=None)
    out = []
    for seed in seeds:
        events = list(runner.stream(replace(req, seed=seed), threading.Event()))
        out.append(next(e for e in events if isinstance(e, Finished)).text.strip())
    return out


def test_held_jueju_lines_have_the_forms_length(setup):
    sv, runner = setup
    poems = _poems(sv, runner, "poetry.wujue", True, range(2000, 2004))
    for text in poems:
        lines = [ln for ln in text.splitlines() if ln.strip()]
        assert len(lines) == 4, text
        # Every line holds exactly five Han characters and no comma inside it.
        five_each = all(poetry.check(ln, "wujue").lines[0].count == 5 for ln in lines)
        assert five_each or poetry.check(text, "wujue").ok, text
    assert sum(poetry.check(t, "wujue").ok for t in poems) >= 3, poems


def test_held_haiku_stops_at_three_lines(setup):
    sv, runner = setup
    for text in _poems(sv, runner, "poetry.haiku", True, range(3000, 3003)):
        assert len([ln for ln in text.splitlines() if ln.strip()]) == 3, text
