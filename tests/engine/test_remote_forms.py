"""Form-held poetry on a real llama-server: a held Chinese 五言绝句 goes to the server as a GBNF grammar
(studio/engine/remote_request.line_grammar), built on the writer's path (GenerationService.build_request, the
built-in wujue style) and run through ModelRunner with a ServerChoice, as the window does."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from studio.domain import Action, Draft, Finished, Form, LoadSettings
from studio.engine.form_steer import LinePlan
from studio.engine.remote_request import line_grammar
from studio.forms import poetry
from studio.services import Services
from studio.services.generation import ModelRunner, ServerChoice

from .remote_server import LlamaServer, llama_server, llama_server_exe  # noqa: F401 - fixtures

HAN = range(0x4E00, 0xA000)


@pytest.fixture
def runner(llama_server: LlamaServer, tmp_path: Path) -> Iterator[tuple[Services, ModelRunner]]:  # noqa: F811
    from studio.paths import Paths

    sv = Services.open(Paths(tmp_path / "home").ensure())
    run = ModelRunner(sv.paths, server=ServerChoice(llama_server.url))
    run.load(None, LoadSettings())
    yield sv, run
    run.close()
    sv.close()


def poems(sv: Services, run: ModelRunner, key: str, seeds: range, hold: bool = True) -> list[str]:
    style = next(s for s in sv.library.styles(Form.POETRY) if s.builtin_key == key)
    draft = Draft(id=0, title="t", form=Form.POETRY, body="", style_id=style.id)
    req = sv.generation.build_request(draft, Action.CONTINUE, cursor=0, max_tokens=80)
    assert req.hold_form == key.split(".")[1]
    req = replace(req, draft_key=None, hold_form=req.hold_form if hold else None)
    out = []
    for seed in seeds:
        events = list(run.stream(replace(req, seed=seed), threading.Event()))
        out.append(next(e for e in events if isinstance(e, Finished)).text.strip())
    return out


def test_a_held_wujue_on_the_server_has_four_lines_of_five_han_characters(
        runner: tuple[Services, ModelRunner]) -> None:
    sv, run = runner
    assert run.capabilities.grammar
    for text in poems(sv, run, "poetry.wujue", range(2000, 2004)):
        lines = text.splitlines()
        assert len(lines) == 4, text
        for line in lines:
            body = line.rstrip("，。！？；、：")
            assert len(body) == 5 and all(ord(c) in HAN for c in body), (line, text)
            assert len(line) - len(body) <= 1, line  # at most one closing mark
        assert all(ln.count == 5 for ln in poetry.check(text, "wujue").lines), text


def test_without_the_hold_the_server_writes_free_lines(runner: tuple[Services, ModelRunner]) -> None:
    # The baseline that makes the test above mean something: the same requests without the hold do not come
    # back as four clean lines of five characters each.
    sv, run = runner
    held = 0
    for text in poems(sv, run, "poetry.wujue", range(2000, 2004), hold=False):
        lines = text.splitlines()
        held += len(lines) == 4 and all(len(ln.rstrip("，。！？；、：")) == 5 for ln in lines)
    assert held < 4


def test_a_held_wujue_on_the_server_rhymes_on_one_pingshui_group(runner: tuple[Services, ModelRunner]) -> None:
    # The grammar carries one alternative per 平 group (issue 13): lines 2 and 4 end on characters of one group.
    from studio.engine.rhyme_steer import rhyme_char
    from studio.forms.rhymebook import groups_of

    sv, run = runner
    for text in poems(sv, run, "poetry.wujue", range(2000, 2004)):
        lines = text.splitlines()
        assert len(lines) == 4, text
        ends = [rhyme_char(lines[1]), rhyme_char(lines[3])]
        assert ends[0] and ends[1] and groups_of(ends[0]) & groups_of(ends[1]), text


def test_the_grammar_follows_the_line_plan() -> None:
    assert line_grammar(None) is None
    assert line_grammar(LinePlan(unit="syllable", targets=(5, 7, 5))) is None  # syllables: no grammar
    g = line_grammar(LinePlan(unit="han", targets=(5, 5), first_line_done=2))  # no rhyme held: lengths only
    assert g is not None
    rules = dict(line.split(" ::= ") for line in g.strip().splitlines())
    assert rules["root"] == "l0 l1"
    assert rules["l0"].split().count("han") == 3 and rules["l1"].split().count("han") == 5
    assert all(rules[f"l{i}"].endswith('close? "\\n"') for i in (0, 1))
