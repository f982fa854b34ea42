"""Markdown, HTML and Fountain exports, compared with reference files under tests/data/export.

To accept a deliberate change of output, run once with STUDIO_UPDATE_REFERENCES=1 and review the diff.
"""

from __future__ import annotations

import html as html_lib
import os
import re

import markdown
import pytest
import yaml  # an independent parser is the point of the front-matter test; declared in the test extra
from export_drafts import CREATED, DRAFTS, REFERENCES, UPDATED

from studio.domain import Draft, Form
from studio.export.fountain import draft_to_fountain, plain_title, split_title_entry
from studio.export.imports import parse_front_matter
from studio.export.markdown import (
    body_to_markdown,
    draft_to_markdown,
    escape_line,
    markdown_to_body,
    render_html,
    unescape_line,
    yaml_str,
)
from studio.forms.fountain import UNPRINTED, ElementKind, parse


def assert_matches_reference(name: str, actual: str) -> None:
    path = REFERENCES / name
    if os.environ.get("STUDIO_UPDATE_REFERENCES"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(actual.encode("utf-8"))
    expected = path.read_bytes().decode("utf-8")
    assert actual == expected, f"{name} differs from its reference file"


@pytest.mark.parametrize("key", list(DRAFTS))
def test_markdown_matches_reference(key: str) -> None:
    draft, style = DRAFTS[key]
    assert_matches_reference(f"{key}.md", draft_to_markdown(draft, style_name=style))


def test_fountain_matches_reference() -> None:
    assert_matches_reference("screenplay.fountain", draft_to_fountain(DRAFTS["screenplay"][0]))


def test_html_matches_reference() -> None:
    assert_matches_reference("poetry_zh.html", render_html(DRAFTS["poetry_zh"][0], standalone=True))


def _text_lines(fragment: str) -> list[str]:
    """What a reader sees: each <br> or paragraph is a line break, tags removed, entities decoded."""
    text = re.sub(r"<br\s*/?>\n?", "\n", fragment)
    text = re.sub(r"</p>\s*<p>", "\n\n", text)
    text = html_lib.unescape(re.sub(r"<[^>]+>", "", text)).replace("\xa0", " ")
    return [line for line in text.strip("\n").split("\n")]


@pytest.mark.parametrize("key", ["poetry", "poetry_zh", "lyrics", "lyrics_zh"])
def test_python_markdown_keeps_every_verse_line(key: str) -> None:
    draft, _ = DRAFTS[key]
    rendered = markdown.markdown(body_to_markdown(draft.body, draft.form))
    expected = [line.rstrip() for line in draft.body.split("\n")]
    assert "<h" not in rendered and "<li>" not in rendered and "<hr" not in rendered and "<code>" not in rendered
    assert _text_lines(rendered) == expected


def test_stanza_gaps_are_paragraphs() -> None:
    rendered = markdown.markdown(body_to_markdown("one\ntwo\n\nthree\nfour\n\n\nfive", Form.POETRY))
    assert rendered.count("<p>") == 3 and rendered.count("<br") == 2


def test_lyrics_section_tags_stay_readable() -> None:
    rendered = markdown.markdown(body_to_markdown("[Chorus]\nla la\n\n【副歌】\n啦啦", Form.LYRICS))
    assert "<strong>[Chorus]</strong><br" in rendered and "<strong>【副歌】</strong><br" in rendered


def test_screenplay_markdown_shape() -> None:
    md = body_to_markdown(DRAFTS["screenplay"][0].body, Form.SCREENPLAY)
    assert "## INT. FERRY TERMINAL - NIGHT" in md  # scene number dropped from the heading
    assert "> **CLERK (O.S.)**  \n> Ten-fifteen left at ten-ten." in md
    assert "> *(breathless)*" in md
    assert "**CUT TO:**" in md
    for hidden in ("Act One", "Mara learns", "Is the wheel", "An old beat", "slaps the counter"):
        assert hidden not in md  # sections, synopses, notes and boneyard are not printed
    rendered = markdown.markdown(md)
    assert rendered.count("<h2>") == 3 and "<blockquote>" in rendered
    assert '<p align="center">THE END</p>' in rendered


def test_underline_becomes_u_and_comes_back() -> None:
    md = body_to_markdown("He opens _the_ box.", Form.SCREENPLAY)
    assert md == "He opens <u>the</u> box."
    assert markdown_to_body(md, Form.SCREENPLAY) == "He opens _the_ box."


def test_prose_is_exported_as_written() -> None:
    draft, _ = DRAFTS["prose"]
    assert body_to_markdown(draft.body, Form.PROSE) == draft.body


@pytest.mark.parametrize(
    "line",
    ["# hash", "## two", "> quote", "- dash", "+ plus", "* star", "1. one", "12) twelve", "---", "***", "___",
     "- - -", "=====", "<div>", "</p>", "<!-- c -->", "[ref]: http://example.com", "`code`", "\\back", "    four",
     "\tTab", "\u3000\u3000全角", "plain", "*emphasis* stays", ""],
)
def test_escape_line_round_trips_and_renders_literally(line: str) -> None:
    escaped = escape_line(line)
    assert unescape_line(escaped) == line.replace("\t", "    ")
    rendered = markdown.markdown("before  \n" + escaped + "  \nafter") if line else ""
    if line and not line.startswith("*emphasis"):
        assert _text_lines(rendered) == ["before", line.replace("\t", "    "), "after"]


TITLES = [
    "Plain", "Act 1: The Fall", 'He said "no"', "It's mine", "# not a comment", "- not a list", "@handle", "%percent",
    "yes", "null", "2024-05-01", "12", "line one\nline two", "tab\there", "back\\slash", "静夜思：李白", "🌙 moon",
    "control\x07bell", "sep\u2028line", "bom\ufeff", "C1\x85next", "lone\ud800surrogate", "", "  padded  ", "a: b: c",
    "{braces}", "[brackets]", "*star", "&anchor", "!tag", "|pipe", ">fold", "`tick",
]


@pytest.mark.parametrize("title", TITLES)
def test_front_matter_is_valid_yaml_for_any_title(title: str) -> None:
    draft = Draft(1, title, Form.POETRY, "x", created_at=CREATED, updated_at=UPDATED)
    text = draft_to_markdown(draft, style_name=title)
    block = text.split("---\n")[1]
    data = yaml.safe_load(block)
    clean = title.replace("\ud800", "")
    assert data["title"] == clean and data.get("style", "") == clean  # an empty style name is left out
    assert data["form"] == "poetry" and data["words"] == 1
    assert data["created"] == CREATED and data["updated"] == UPDATED.replace(microsecond=0)
    ours, _ = parse_front_matter(text)  # and the importer's own reader agrees
    assert ours["title"] == clean


def test_yaml_str_escapes() -> None:
    assert yaml_str('a"b\\c\nd') == '"a\\"b\\\\c\\nd"'
    assert yaml_str("静夜思") == '"静夜思"'
    assert yaml_str("\u2028") == '"\\u2028"'


def test_front_matter_without_dates_or_style() -> None:
    text = draft_to_markdown(Draft(1, "T", Form.PROSE, "你好 world"))
    assert text == '---\ntitle: "T"\nform: prose\nwords: 3\n---\n\n你好 world\n'
    assert draft_to_markdown(Draft(1, "T", Form.PROSE, "")) == '---\ntitle: "T"\nform: prose\nwords: 0\n---\n\n'


def test_render_html_fragment_and_page() -> None:
    draft = Draft(1, "<script>alert(1)</script> & co", Form.POETRY, "line one\nline two")
    fragment = render_html(draft)
    assert fragment.startswith('<article class="form-poetry">')
    assert "<h1>&lt;script&gt;alert(1)&lt;/script&gt; &amp; co</h1>" in fragment
    assert "line one<br" in fragment
    page = render_html(draft, standalone=True)
    assert page.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in page and 'lang="en"' in page
    assert 'lang="zh"' in render_html(DRAFTS["poetry_zh"][0], standalone=True)


@pytest.mark.parametrize("key", list(DRAFTS))
def test_markdown_round_trips_through_markdown_to_body(key: str) -> None:
    draft, _ = DRAFTS[key]
    md = body_to_markdown(draft.body, draft.form)
    back = markdown_to_body(md, draft.form)
    if draft.form == Form.SCREENPLAY:
        assert _printed(back) == _printed(draft.body)
    else:
        assert back == draft.body


def _printed(fountain: str) -> list[tuple[str, str]]:
    return [(e.kind.value, e.text) for e in parse(fountain) if e.kind not in UNPRINTED]


def test_fountain_export_title_page() -> None:
    draft = Draft(1, "Brick & Steel", Form.SCREENPLAY, "EXT. PATIO - DAY\n\nA gorgeous day.")
    assert draft_to_fountain(draft) == "Title: Brick & Steel\n\nEXT. PATIO - DAY\n\nA gorgeous day.\n"
    # The body's own title page keeps its other entries; its Title gives way to the draft's.
    own = "Title: Old name\nCredit: Written by\nAuthor: Stu\n\nEXT. PATIO - DAY\n\nA gorgeous day."
    out = draft_to_fountain(Draft(1, "New name", Form.SCREENPLAY, own))
    assert out == "Title: New name\nCredit: Written by\nAuthor: Stu\n\nEXT. PATIO - DAY\n\nA gorgeous day.\n"
    multi = draft_to_fountain(Draft(1, "Line one\nLine two", Form.SCREENPLAY, "Action."))
    assert multi.startswith("Title:\n    Line one\n    Line two\n\n")
    assert [e.kind for e in parse(multi)][:3] == [ElementKind.TITLE_PAGE] * 3


def test_fountain_export_of_other_forms_stays_what_it_was() -> None:
    prose = draft_to_fountain(Draft(1, "P", Form.PROSE, "BANG!\nShe ran.\n\nINT. maybe\nok"))
    assert [e.kind for e in parse(prose)][1:] == [ElementKind.ACTION] * 4
    poem = draft_to_fountain(Draft(1, "P", Form.POETRY, "one\ntwo\n\nthree"))
    assert poem == "Title: P\n\n~one\n~two\n\n~three\n"


def test_split_title_entry_and_plain_title() -> None:
    assert split_title_entry("Title: X\n\nBody") == ("X", "Body")
    assert split_title_entry("Title: X\nAuthor: Y\n\nBody") == ("X", "Author: Y\n\nBody")
    assert split_title_entry("No title page") == (None, "No title page")
    assert plain_title("_**BRICK & STEEL**_") == "BRICK & STEEL"
