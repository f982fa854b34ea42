"""`studio continue --logprobs K --json` (issue 15) in real processes on the real default model: per generated
token the top-K alternatives with probabilities in the JSON on stderr; bad K or no --json refused in one line."""

from __future__ import annotations

import json

from tests.cli.run import studio

STORY = "The lighthouse keeper climbed the stairs every evening. At the top, he lit the lamp and"


def test_continue_with_logprobs_adds_each_tokens_alternatives(default_model_path, studio_home):
    p = studio(["continue", "--max-tokens", "16", "--seed", "3", "--logprobs", "4", "--json"], studio_home,
               stdin=STORY)
    assert p.returncode == 0, p.stderr
    line = json.loads(p.stderr.strip().splitlines()[-1])
    tokens = line["tokens"]
    assert len(tokens) == line["generated_tokens"] > 0
    for t in tokens:
        assert 0 < t["prob"] <= 1 and isinstance(t["text"], str)
        assert len(t["top"]) == 4
        probs = [a["prob"] for a in t["top"]]
        assert probs == sorted(probs, reverse=True) and sum(probs) <= 1.0 + 1e-4
    assert "".join(t["text"] for t in tokens).strip() == p.stdout.strip()

    plain = studio(["continue", "--max-tokens", "16", "--seed", "3", "--json"], studio_home, stdin=STORY)
    assert plain.returncode == 0, plain.stderr
    assert "tokens" not in json.loads(plain.stderr.strip().splitlines()[-1])
    assert plain.stdout == p.stdout  # the same text: asking for the probabilities changes nothing written


def test_bad_logprobs_requests_are_one_readable_line(studio_home):
    for args, why in ((["--logprobs", "11", "--json"], "1 to 10"), (["--logprobs", "0"], None),
                      (["--logprobs", "-2", "--json"], "1 to 10"), (["--logprobs", "3"], "add --json")):
        p = studio(["continue", "--show-prompt", *args], studio_home, stdin=STORY)
        if why is None:  # 0 means off: nothing to refuse (it goes on to load a model, which may not be there)
            assert "--logprobs" not in p.stderr
            continue
        assert p.returncode == 2, p.stderr
        assert why in p.stderr and "Traceback" not in p.stderr and len(p.stderr.strip().splitlines()) == 1
