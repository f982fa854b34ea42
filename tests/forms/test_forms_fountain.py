"""Fountain parsing: every element kind, with spans a highlighter can use."""

from __future__ import annotations

from pathlib import Path

from studio.forms.fountain import (
    Element,
    elements_by_line,
    force_action,
    parse,
    split_title_page,
    title_page,
)
from studio.forms.fountain import (
    ElementKind as K,
)

CORPUS = Path(__file__).resolve().parent.parent / "data" / "corpus"


def kinds(text: str) -> list[tuple[str, str]]:
    return [(e.kind.value, e.text) for e in parse(text)]


def test_corpus_scene_parses_every_element_kind() -> None:
    text = (CORPUS / "scene.fountain").read_text(encoding="utf-8")
    els = parse(text)
    found = {e.kind for e in els}
    assert found == set(K)
    lines = text.split("\n")
    for e in els:  # spans point at the element in its own line
        assert 0 <= e.start < e.end <= len(lines[e.line_index])
    heading = next(e for e in els if e.kind == K.SCENE_HEADING)
    assert (heading.text, heading.scene_number) == ("INT. FERRY TERMINAL - NIGHT", "1")
    cues = [e.text for e in els if e.kind == K.CHARACTER]
    assert cues == ["MARA", "CLERK (O.S.)", "MARA", "CLERK", "McGREGOR"]
    assert [e.dual for e in els if e.kind == K.CHARACTER] == [False, False, False, True, False]
    note = next(e for e in els if e.kind == K.NOTE)
    assert note.text == "Is the wheel too much?"
    assert lines[note.line_index][note.start:note.end] == "[[Is the wheel too much?]]"
    assert title_page(text) == {"title": "The Night Ferry", "credit": "Written by", "author": "Studio Tests",
                                "draft date": "2024-05-01"}


def test_scene_headings() -> None:
    assert kinds("INT. HOUSE - DAY\n\nShe waits.")[0] == ("scene_heading", "INT. HOUSE - DAY")
    assert kinds("ext. beach - night")[0] == ("scene_heading", "ext. beach - night")
    assert kinds("INT./EXT. CAR - MOVING")[0][0] == "scene_heading"
    assert kinds("I/E TRAIN - DAY")[0][0] == "scene_heading"
    assert kinds(".SNIPER SCOPE POV")[0] == ("scene_heading", "SNIPER SCOPE POV")
    assert kinds("...and then nothing.")[0][0] == "action"  # an ellipsis is not a forced heading
    assert kinds("INTERIOR DESIGN is her passion.")[0][0] == "action"
    # A heading needs a blank line before it.
    assert [k for k, _ in kinds("She waits.\nINT. HOUSE - DAY")] == ["action", "action"]


def test_character_cues_and_dialogue() -> None:
    text = "STEEL (V.O.)\n(quietly)\nThey're here.\n\nHAL 9000\nI'm sorry, Dave.\n\n@McCLANE\nYippee."
    assert kinds(text) == [
        ("character", "STEEL (V.O.)"), ("parenthetical", "(quietly)"), ("dialogue", "They're here."),
        ("character", "HAL 9000"), ("dialogue", "I'm sorry, Dave."),
        ("character", "McCLANE"), ("dialogue", "Yippee."),
    ]
    # Extensions may be lower case; the name itself must be upper case unless forced.
    assert kinds("MOM (cont'd)\nEat.")[0] == ("character", "MOM (cont'd)")
    assert kinds("Mom\nEat.")[0][0] == "action"
    # An all-caps line followed by a blank line is action (a shout), not a cue.
    assert kinds("BANG!\n\nSilence.")[0][0] == "action"


def test_dual_dialogue() -> None:
    els = parse("BRICK\nScrew retirement.\n\nSTEEL ^\nScrew retirement.")
    steel = [e for e in els if e.kind == K.CHARACTER][1]
    assert (steel.text, steel.dual) == ("STEEL", True)


def test_dialogue_continues_over_a_two_space_line() -> None:
    els = parse("DEALER\nTen.\n  \nTwenty.\n\nHe leaves.")
    assert [e.kind for e in els] == [K.CHARACTER, K.DIALOGUE, K.DIALOGUE, K.DIALOGUE, K.ACTION]


def test_transitions_centered_and_forced() -> None:
    assert kinds("Go.\n\nCUT TO:\n\nEXT. ROAD - DAY")[1] == ("transition", "CUT TO:")
    assert kinds("> Burn to white.")[0] == ("transition", "Burn to white.")
    assert kinds(">THE END<")[0] == ("centered", "THE END")
    assert kinds("> THE END <")[0] == ("centered", "THE END")
    assert kinds("!SCANNING THE AISLES...\nNothing.")[0] == ("action", "SCANNING THE AISLES...")
    assert kinds("~Willy Wonka! Willy Wonka!")[0] == ("lyric", "Willy Wonka! Willy Wonka!")


def test_sections_synopses_page_breaks() -> None:
    els = parse("# Act I\n\n## Sequence 1\n\n= The setup.\n\n===\n\nAction.")
    assert [(e.kind, e.level) for e in els] == [(K.SECTION, 1), (K.SECTION, 2), (K.SYNOPSIS, 0), (K.PAGE_BREAK, 0),
                                                (K.ACTION, 0)]
    assert els[1].text == "Sequence 1"


def test_notes_and_boneyard_across_lines() -> None:
    text = "He opens the door. [[check\nthe continuity]] She enters.\n\n/* cut\nINT. OLD SCENE - DAY */\nEnd."
    els = parse(text)
    by_line = elements_by_line(els)
    assert [e.kind for e in by_line[0]] == [K.ACTION, K.NOTE]
    assert by_line[0][0].text == "He opens the door."
    assert [e.kind for e in by_line[1]] == [K.ACTION, K.NOTE]
    assert by_line[1][0].text == "She enters."
    assert by_line[1][1].text == "the continuity"
    assert [e.kind for e in by_line[3]] == [K.BONEYARD]
    assert [e.kind for e in by_line[4]] == [K.BONEYARD]  # a heading inside the boneyard is not a heading
    assert [e.kind for e in by_line[5]] == [K.ACTION]


def test_title_page_with_multi_line_values() -> None:
    text = ("Title:\n    _**BRICK & STEEL**_\n    _**FULL RETIRED**_\nAuthor: Stu Maschwitz\n\n"
            "EXT. BRICK'S PATIO - DAY\n\nA gorgeous day.")
    tp, rest = split_title_page(text)
    assert tp["title"] == "_**BRICK & STEEL**_\n_**FULL RETIRED**_"
    assert tp["author"] == "Stu Maschwitz"
    assert rest.startswith("EXT. BRICK'S PATIO - DAY")
    assert parse(text)[0].kind == K.TITLE_PAGE
    # Without a known first key there is no title page.
    assert title_page("Hello: world\n\nAction.") == {}


def test_force_action() -> None:
    assert force_action("BANG!") == "!BANG!"
    assert force_action("INT. maybe not") == "!INT. maybe not"
    assert force_action("# of people") == "!# of people"
    assert force_action("fade to:") == "fade to:"
    assert force_action("She waits.") == "She waits."
    assert force_action("") == ""


def test_mixed_scripts_emoji_and_long_lines() -> None:
    text = "INT. 茶馆 - 夜\n\n老王 ☕ 擦着桌子。\n\n老王\n(低声)\n今天不收钱。\n\n" + "雨" * 100_000
    els = parse(text)
    assert els[0] == Element(K.SCENE_HEADING, 0, 0, 11, "INT. 茶馆 - 夜")
    assert [e.kind for e in els[1:]] == [K.ACTION, K.CHARACTER, K.PARENTHETICAL, K.DIALOGUE, K.ACTION]
    # Chinese has no upper case: a sentence followed by another line is still action, a short name is a cue.
    assert [k for k, _ in kinds("老王擦着桌子，抬头看门。\n门开了。")] == ["action", "action"]
    assert parse("") == []
    assert parse("\n\n\n") == []
