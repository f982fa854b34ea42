"""GenerationService.form_check: each alternative of a held poem carries the form checker's verdict, so the window
can mark those that fail (issue 13). The poem checked is the stanza the alternative lands in."""

from __future__ import annotations

from studio.domain import Action, Form, GenerationRequest
from studio.forms import poetry
from studio.services.generation import GenerationService


def request(before: str, after: str = "", hold: str | None = "wujue") -> GenerationRequest:
    return GenerationRequest(action=Action.CONTINUE, before=before, after=after, form=Form.POETRY, hold_form=hold)


def test_an_alternative_is_checked_as_the_poem_it_completes() -> None:
    poem = "床前明月光\n疑是地上霜\n举头望明月\n低头思故乡"
    # The title above the blank line and a note after the next blank line are not part of the poem.
    req = request("静夜思\n\n床前明月光\n", after="举头望明月\n低头思故乡\n\n后记")
    got = GenerationService.form_check(req, "疑是地上霜\n")
    assert got is not None and got == poetry.check(poem, "wujue")
    assert got.ok


def test_an_alternative_that_breaks_the_form_is_marked() -> None:
    got = GenerationService.form_check(request("秋夜\n\n"), "春眠不觉晓\n处处闻啼鸟鸟\n夜来风雨声\n花落知多少\n")
    assert got is not None and not got.ok
    assert any("line 2" in d.message for d in got.deviations), got.deviations


def test_nothing_to_check_without_a_held_form() -> None:
    assert GenerationService.form_check(request("秋夜\n\n", hold=None), "随便写写\n") is None
    assert GenerationService.form_check(request("秋夜\n\n", hold="no-such-form"), "随便写写\n") is None
