"""`studio continue --draft ID --match-verse N` on the real default model, in a real process (issue 13): the new
verse is streamed to stdout, its per-line counts beside the original's go to stderr (verse_fit in --json), and
with --append it lands right after verse N."""

from __future__ import annotations

import json

from studio.services.forms import verses
from tests.cli.test_cli_generate import studio

SONG = "[主歌]\n月亮挂在天上\n照着我的家乡\n风儿轻轻吹过\n带走我的忧伤\n\n[副歌]\n啦啦啦\n"


def test_match_verse_appends_a_verse_of_the_same_meter_after_verse_n(default_model_path, studio_home):
    made = studio(["drafts", "new", "--title", "歌", "--form", "lyrics", "--file", "-"], studio_home, stdin=SONG)
    draft_id = made.stdout.strip()
    p = studio(["continue", "--draft", draft_id, "--match-verse", "1", "--seed", "5", "--append", "--json"],
               studio_home)
    assert p.returncode == 0, p.stderr
    stats = json.loads(p.stderr.strip().splitlines()[-1])
    fit = stats["verse_fit"]
    assert [ln["original"] for ln in fit["lines"]] == [6, 6, 6, 6]
    assert [ln["count"] for ln in fit["lines"]] == [6, 6, 6, 6], p.stdout
    body = studio(["drafts", "show", draft_id], studio_home).stdout
    found = verses(body)
    assert [v.lines for v in found][0] == verses(SONG)[0].lines and found[-1].lines == ("啦啦啦",)
    assert len(found) == 3 and found[1].lines == tuple(ln["text"] for ln in fit["lines"])
    assert body.index("[副歌]") > body.index(found[1].lines[-1])  # the new verse sits before the chorus


def test_match_verse_says_how_many_verses_there_are(default_model_path, studio_home):
    made = studio(["drafts", "new", "--title", "歌", "--form", "lyrics", "--file", "-"], studio_home, stdin=SONG)
    p = studio(["continue", "--draft", made.stdout.strip(), "--match-verse", "4"], studio_home)
    assert p.returncode == 2 and "There is no verse 4: the draft has 2" in p.stderr, p.stderr
    assert "Traceback" not in p.stderr
