"""A Continue that must begin with given text (issue 15: "clicking an alternative regenerates from that point"):
the model reads the forced prefix after the draft text, the output begins with it (also when the model adds
nothing), and the tokens' spans come after it; the service builds such a request for the window and the CLI."""

from __future__ import annotations

from studio.domain import Action, GenerationRequest, Sampler
from studio.engine.llama_engine import LlamaEngine
from studio.engine.prompts import ModelTraits, build_prompt
from studio.engine.textstream import Leading, OutputStream
from studio.services import Services
from tests.engine.conftest import run


def tok(text: str, special: bool) -> list[int]:
    return [ord(c) for c in text]


def test_the_prompt_ends_with_the_draft_then_the_forced_prefix() -> None:
    req = GenerationRequest(action=Action.CONTINUE, before="The sea was calm.", forced_prefix=" Then the wind")
    plan = build_prompt(req, ModelTraits(n_ctx=4096, bos=(1,)), tok)
    assert plan.text.endswith("The sea was calm. Then the wind")
    assert plan.prefix == " Then the wind" and plan.keep_prefix
    # The writer's trailing space stays theirs: the forced text follows it as the proposal did.
    spaced = GenerationRequest(action=Action.CONTINUE, before="The sea was calm. ", forced_prefix="Then the ")
    plan = build_prompt(spaced, ModelTraits(n_ctx=4096, bos=(1,)), tok)
    assert plan.text.endswith("The sea was calm. Then the") and plan.leading is Leading.SPACES
    assert plan.prefix == "Then the "
    plain = build_prompt(GenerationRequest(action=Action.CONTINUE, before="The sea"), ModelTraits(4096, (1,)), tok)
    assert plain.prefix == "" and not plain.keep_prefix


def test_a_kept_prefix_is_shown_even_when_nothing_follows() -> None:
    out = OutputStream(prefix="Then the wind", keep_prefix=True)
    assert out.finish() == "Then the wind" and out.text == "Then the wind"
    out = OutputStream(prefix="\n\n")  # a verse's blank line comes only with a verse
    assert out.finish() == "" and out.text == ""


def test_the_real_model_writes_on_from_the_forced_prefix(engine: LlamaEngine) -> None:
    forced = " He lit the lamp and"
    request = GenerationRequest(action=Action.CONTINUE, before="The keeper climbed the stairs.", seed=2,
                                max_tokens=16, logprobs=3, forced_prefix=forced,
                                sampler=Sampler(temperature=0.0, max_tokens=16))
    r = run(engine, request)
    text = r.final.text
    assert text.startswith(forced) and len(text) > len(forced)
    assert "".join(d.text for d in r.deltas) == text
    placed = [t for t in r.final.tokens if t.start is not None]
    assert placed and placed[0].start is not None and placed[0].start >= len(forced)
    for t in placed:
        assert text[t.start:t.end] == t.text or "\ufffd" in t.text


def test_the_service_builds_a_forced_continue_and_never_a_forced_rewrite(paths) -> None:  # type: ignore[no-untyped-def]
    sv = Services.open(paths)
    try:
        draft = sv.drafts.create("Lamp", "prose", body="The keeper climbed the stairs.")
        req = sv.generation.build_request(draft, Action.CONTINUE, forced_prefix=" He lit", logprobs=5)
        assert req.forced_prefix == " He lit" and req.before == "The keeper climbed the stairs."
        rewrite = sv.generation.build_request(draft, Action.REWRITE, selection=(4, 10), forced_prefix="x")
        assert rewrite.forced_prefix == ""
    finally:
        sv.close()
