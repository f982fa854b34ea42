"""Drafts as Markdown (with YAML front matter) and as HTML for the preview.

The Markdown is written for python-markdown and for people: verse keeps every line break (two trailing spaces,
the hard break python-markdown honours; a backslash is not one there), stanza gaps stay paragraphs, and a line
that happens to look like Markdown syntax ("1. one more time", "# of nights", "* * *") is escaped so it stays a
line of the poem. Screenplays become a readable script: scene headings as headings, speeches as block quotes
with the cue in bold. Prose is the writer's own Markdown and goes out as written.

``markdown_to_body`` undoes the verse escaping so a draft exported here imports back unchanged.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Sequence
from datetime import datetime
from functools import partial
from typing import NamedTuple

from studio.domain import Draft, Form, LoreEntry, count_words
from studio.forms.counting import han_count, split_lines
from studio.forms.fountain import UNPRINTED, Element, ElementKind, force_action, parse
from studio.forms.lyrics import parse_tag

# ---------------------------------------------------------------------------------------------------- YAML


_YAML_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def yaml_str(value: str) -> str:
    """``value`` as a YAML double-quoted scalar: safe for colons, quotes, "#", newlines and any script.

    Characters YAML would read as line breaks or refuse (C0/C1 controls, U+2028/9, a BOM) are escaped as
    \\uXXXX; lone surrogates, which cannot be written as UTF-8, are dropped. Chinese stays readable.
    """
    out: list[str] = []
    for ch in value:
        code = ord(ch)
        if ch in _YAML_ESCAPES:
            out.append(_YAML_ESCAPES[ch])
        elif 0xD800 <= code <= 0xDFFF:
            continue
        elif code < 0x20 or 0x7F <= code <= 0x9F or code in (0x2028, 0x2029, 0xFEFF):
            out.append(f"\\u{code:04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _iso(moment: datetime) -> str:
    # Seconds are precise enough for a writer and keep the value a plain YAML timestamp.
    return moment.isoformat(timespec="seconds")


def front_matter(draft: Draft, style_name: str | None = None) -> str:
    """The YAML block that opens an exported file, "---" lines included."""
    lines = ["---", f"title: {yaml_str(draft.title)}", f"form: {Form(draft.form).value}"]
    if style_name:
        lines.append(f"style: {yaml_str(style_name)}")
    if draft.created_at is not None:
        lines.append(f"created: {_iso(draft.created_at)}")
    if draft.updated_at is not None:
        lines.append(f"updated: {_iso(draft.updated_at)}")
    lines.append(f"words: {count_words(draft.body)}")
    lines.append("---")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------------- verse

_HARD_BREAK = "  "
_HR_LIKE = re.compile(r"^(?:[-*_][ \t]*){3,}$")
_LIST_MARK = re.compile(r"^[-+*](?:[ \t]|$)")
_ORDERED = re.compile(r"^(\d{1,9})([.)])(?=[ \t]|$)")
_SETEXT_EQ = re.compile(r"^=+[ \t]*$")
_HTML_START = re.compile(r"^<[A-Za-z/!?]")
_REF_DEF = re.compile(r"^\[[^\]]*\]:")
_INDENT_ENTITY = {" ": "&nbsp;", "\t": "&nbsp;" * 4, "\u3000": "&#12288;"}


def escape_line(line: str) -> str:
    """One line of verse or action as Markdown that renders as exactly that line.

    Leading indentation becomes entities (python-markdown would strip it or start a code block); a first
    character that would open a heading, list, quote, rule, setext underline, HTML block or link definition is
    escaped. Inline emphasis is left alone: a poet who writes *this* means italics.
    """
    body = line.lstrip(" \t\u3000")
    indent = "".join(_INDENT_ENTITY[c] for c in line[: len(line) - len(body)])
    if not body:
        return indent
    if body[0] in "\\#>`" or _LIST_MARK.match(body) or _HR_LIKE.match(body) or _REF_DEF.match(body):
        body = "\\" + body
    elif (m := _ORDERED.match(body)) is not None:
        body = f"{m.group(1)}\\{body[len(m.group(1)):]}"
    elif _SETEXT_EQ.match(body):
        body = "&#61;" + body[1:]
    elif _HTML_START.match(body):
        body = "&lt;" + body[1:]
    return indent + body


_UNESCAPE_INDENT = re.compile(r"^(?:&nbsp;|&#12288;)+")
_UNESCAPE_FIRST = re.compile(r"^\\([\\#>`\-+*_\[])")
_UNESCAPE_ORDERED = re.compile(r"^(\d{1,9})\\([.)])")


def unescape_line(line: str) -> str:
    """The inverse of ``escape_line`` (a tab comes back as four spaces)."""
    line = line.rstrip()
    m = _UNESCAPE_INDENT.match(line)
    indent = ""
    if m:
        indent = m.group(0).replace("&nbsp;", " ").replace("&#12288;", "\u3000")
        line = line[m.end():]
    if line.startswith("&#61;"):
        line = "=" + line[5:]
    elif line.startswith("&lt;"):
        line = "<" + line[4:]
    else:
        line = _UNESCAPE_ORDERED.sub(r"\1\2", _UNESCAPE_FIRST.sub(r"\1", line, count=1), count=1)
    return indent + line


def _verse_to_markdown(body: str, *, tags: bool) -> str:
    lines = [line.rstrip() for line in split_lines(body)]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    out: list[str] = []
    for i, line in enumerate(lines):
        if not line:
            out.append("")
            continue
        if tags and parse_tag(line) is not None:
            text = f"**{line.strip()}**"  # "[Chorus]" stays readable, in bold, on its own line
        else:
            text = escape_line(line)
        # A hard break only between two written lines: the last line of a stanza ends the paragraph anyway.
        if i + 1 < len(lines) and lines[i + 1]:
            text += _HARD_BREAK
        out.append(text)
    return "\n".join(out)


_TAG_LINE = re.compile(r"^\*\*((?:\[[^\[\]]+\]|【[^【】]+】))\*\*$")


def _markdown_to_verse(md: str, *, tags: bool) -> str:
    out: list[str] = []
    for line in split_lines(md):
        stripped = line.strip()
        m = _TAG_LINE.match(stripped) if tags else None
        out.append(m.group(1) if m else unescape_line(line))
    return "\n".join(out)


# ---------------------------------------------------------------------------------------------------- screenplay

_UNDERLINE = re.compile(r"(?<![\w\\])_(?=\S)(.+?)(?<=\S)_(?![\w])")
_U_TAG = re.compile(r"<u>(.+?)</u>")


def _inline(text: str) -> str:
    # Fountain's *italic* and **bold** are Markdown's; its _underline_ would read as italic, so say <u>.
    return _UNDERLINE.sub(r"<u>\1</u>", text)


def _title_key(key: str) -> str:
    return key[:1].upper() + key[1:]


# Elements that always stand alone: a block of one line each.
_ONE_LINE_BLOCKS: dict[ElementKind, Callable[[str], str]] = {
    ElementKind.SCENE_HEADING: lambda text: f"## {_inline(text)}",
    ElementKind.CHARACTER: lambda text: f"> **{text}**",
    ElementKind.TRANSITION: lambda text: f"**{text}**",
    ElementKind.CENTERED: lambda text: f'<p align="center">{html.escape(text, quote=False)}</p>',
    ElementKind.PAGE_BREAK: lambda _text: "---",
}


def _fountain_to_markdown(body: str) -> str:
    """A readable script. Notes, boneyard, sections and synopses are not printed (as in Fountain itself)."""
    elements = [e for e in parse(body) if e.kind not in UNPRINTED]
    blocks: list[list[str]] = []
    prev: Element | None = None
    current: list[str] | None = None

    def new_block() -> list[str]:
        block: list[str] = []
        blocks.append(block)
        return block

    for el in elements:
        adjacent = prev is not None and el.line_index == prev.line_index + 1
        kind = el.kind
        if kind == ElementKind.TITLE_PAGE:
            if el.key == "title":
                continue  # the title is in the front matter and the preview's heading
            if current is None or prev is None or prev.kind != ElementKind.TITLE_PAGE:
                current = new_block()
            if el.text:
                # A key line starts the line; an indented continuation carries only more of the value.
                key_line = el.start == 0 and bool(el.key)
                current.append(f"{_title_key(el.key)}: {escape_line(el.text)}" if key_line else escape_line(el.text))
        elif kind in _ONE_LINE_BLOCKS:
            current = new_block()
            current.append(_ONE_LINE_BLOCKS[kind](el.text))
        elif kind in (ElementKind.PARENTHETICAL, ElementKind.DIALOGUE):
            if current is None or not adjacent:
                current = new_block()
            if kind == ElementKind.PARENTHETICAL:
                current.append(f"> *{el.text}*")
            else:
                current.append(f"> {escape_line(_inline(el.text))}" if el.text else ">")
        elif kind == ElementKind.LYRIC:
            if current is None or prev is None or prev.kind != ElementKind.LYRIC or not adjacent:
                current = new_block()
            current.append(f"*{el.text}*" if el.text else "")
        else:  # action
            if current is None or prev is None or prev.kind != ElementKind.ACTION or not adjacent:
                current = new_block()
            current.append(escape_line(_inline(el.text)))
        prev = el
    return "\n\n".join(_hard_breaks(b) for b in blocks if b)


def _hard_breaks(block: list[str]) -> str:
    out: list[str] = []
    for i, line in enumerate(block):
        nxt = block[i + 1] if i + 1 < len(block) else None
        # ">" alone is a pause inside a speech: it must not get a break, nor the line before it.
        if nxt is not None and line not in (">", "") and nxt not in (">", ""):
            line += _HARD_BREAK
        out.append(line)
    return "\n".join(out)


_TITLE_PAGE_LINE = re.compile(r"^([A-Z][A-Za-z ]{0,30}): (.*)$")
_CENTER_P = re.compile(r'^<p align="center">(.*)</p>$')
_BOLD_LINE = re.compile(r"^\*\*(.+)\*\*$")
_ITALIC_LINE = re.compile(r"^\*([^*].*?)\*$")
_SCENE_START = re.compile(r"^(?:INT|EXT|EST|INT\.?/EXT|I/E)[. ]", re.IGNORECASE)


def _markdown_to_fountain(md: str) -> str:
    """Fountain from a screenplay exported by ``_fountain_to_markdown`` (best effort for other Markdown)."""
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in split_lines(md):
        if line.strip():
            current.append(line.rstrip())
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)

    out: list[str] = []
    for n, block in enumerate(blocks):
        first = block[0]
        if n == 0 and all(_TITLE_PAGE_LINE.match(unescape_line(b)) for b in block):
            out.append("\n".join(unescape_line(b) for b in block))
        elif first.startswith("#"):
            text = _u_back(first.lstrip("#").strip())
            out.append(text if _SCENE_START.match(text) else "." + text)
        elif all(b.startswith(">") for b in block):
            out.append("\n".join(_speech_line(i, b[1:].strip()) for i, b in enumerate(block)))
        elif len(block) == 1 and (m := _BOLD_LINE.match(first)):
            text = m.group(1)
            out.append(text if text.endswith("TO:") and text == text.upper() else "> " + text)
        elif len(block) == 1 and (m := _CENTER_P.match(first)):
            out.append(f"> {html.unescape(m.group(1))} <")
        elif len(block) == 1 and _HR_LIKE.match(first):
            out.append("===")
        elif all(_ITALIC_LINE.match(b) for b in block):
            # Every line matched (checked just above), so match() is not None here.
            out.append("\n".join("~" + _ITALIC_LINE.match(b).group(1) for b in block))  # type: ignore[union-attr]
        else:
            out.append("\n".join(force_action(_u_back(unescape_line(b))) for b in block))
    return "\n\n".join(out)


def _speech_line(i: int, text: str) -> str:
    if i == 0:
        m = _BOLD_LINE.match(text)
        name = m.group(1) if m else text
        bare = re.sub(r"\s*\(.*\)\s*$", "", name)
        return name if bare and bare == bare.upper() and any(c.isalpha() for c in bare) else "@" + name
    if not text:
        return "  "  # a pause inside the speech (Fountain's two-space line)
    m = _ITALIC_LINE.match(text)
    if m and m.group(1).startswith("(") and m.group(1).endswith(")"):
        return m.group(1)
    return _u_back(unescape_line(text))


def _u_back(text: str) -> str:
    return _U_TAG.sub(r"_\1_", text)


# ---------------------------------------------------------------------------------------------------- public


class _Conversion(NamedTuple):
    """A form's way into Markdown and back out, side by side: a round trip must give the body back."""

    to_markdown: Callable[[str], str]
    to_body: Callable[[str], str]


_CONVERSIONS = {  # prose is Markdown already
    Form.POETRY: _Conversion(partial(_verse_to_markdown, tags=False), partial(_markdown_to_verse, tags=False)),
    Form.LYRICS: _Conversion(partial(_verse_to_markdown, tags=True), partial(_markdown_to_verse, tags=True)),
    Form.SCREENPLAY: _Conversion(_fountain_to_markdown, _markdown_to_fountain),
}


def body_to_markdown(body: str, form: Form | str) -> str:
    """The body of a draft as Markdown, form by form (no front matter, no title)."""
    body = body.replace("\r\n", "\n").replace("\r", "\n")
    conversion = _CONVERSIONS.get(Form(form))
    return conversion.to_markdown(body) if conversion else body.strip("\n")


def markdown_to_body(md: str, form: Form | str) -> str:
    """The draft body for Markdown written by ``body_to_markdown`` (the import side of a round trip)."""
    md = md.replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    conversion = _CONVERSIONS.get(Form(form))
    return conversion.to_body(md) if conversion else md


def draft_to_markdown(draft: Draft, *, style_name: str | None = None, lore: Sequence[LoreEntry] = (),
                      scan_chars: int | None = None) -> str:
    """A complete Markdown file: YAML front matter, a blank line, the body, one final newline; then the draft's
    lorebook as an appendix when it has one (studio/export/imports.py reads it back)."""
    body = body_to_markdown(draft.body, draft.form)
    text = front_matter(draft, style_name) + "\n" + (body + "\n" if body else "")
    if lore:
        text += "\n" + lore_appendix(lore, scan_chars)
    return text


# The lorebook appendix: a heading per entry for people, its keys and options in an HTML comment (invisible when
# the Markdown is rendered) for the import. A text line that would look like one of these markers is escaped.
LORE_MARKER = "<!-- studio:lore "
LORE_ENTRY_MARKER = "<!-- studio:lore-entry "


def _comment_json(data: object) -> str:
    # ">" only occurs inside JSON strings; as \u003e it can never close the comment early.
    return json.dumps(data, ensure_ascii=False).replace(">", "\\u003e")


def lore_appendix(entries: Sequence[LoreEntry], scan_chars: int | None = None) -> str:
    out = [f"{LORE_MARKER}{_comment_json({'scan_chars': scan_chars} if scan_chars else {})} -->", "## Lorebook", ""]
    for e in entries:
        meta = {"keys": list(e.keys), "pinned": e.pinned, "enabled": e.enabled, "case_sensitive": e.case_sensitive,
                "whole_word": e.whole_word}
        out += [f"{LORE_ENTRY_MARKER}{_comment_json(meta)} -->", f"### {', '.join(e.keys)}", ""]
        lines = e.text.replace("\r\n", "\n").replace("\r", "\n").strip("\n").split("\n")
        out += ["\\" + ln if ln.startswith(("<!-- studio:", "\\<!-- studio:")) else ln for ln in lines]
        out.append("")
    return "\n".join(out)


_HTML_STYLE = """
body { max-width: 40em; margin: 2em auto; padding: 0 1em; font-family: Georgia, "Noto Serif", "Songti SC",
       "SimSun", serif; line-height: 1.6; color: #222; }
h1 { font-size: 1.6em; }
.form-screenplay { font-family: "Courier Prime", "Courier New", Courier, monospace; }
.form-screenplay h2 { font-size: 1em; text-transform: uppercase; margin-top: 2em; }
.form-screenplay blockquote { margin: 1em 0 1em 6em; max-width: 24em; border: 0; padding: 0; }
.form-screenplay blockquote p > strong:first-child { display: block; margin-left: 6em; }
.form-poetry p, .form-lyrics p { margin: 0 0 1.2em 0; }
"""


def _language(text: str) -> str:
    letters = sum(1 for c in text[:20000] if c.isalpha())
    return "zh" if letters and han_count(text[:20000]) * 2 > letters else "en"


def render_html(draft: Draft, *, standalone: bool = False) -> str:
    """The draft as HTML through python-markdown: a fragment for the preview pane (title as <h1>, then the body),
    or with ``standalone`` a complete UTF-8 page with a small print-friendly stylesheet."""
    import markdown  # imported on first preview, not when the app starts

    body_md = body_to_markdown(draft.body, draft.form)
    converter = markdown.Markdown(output_format="html")  # one per call: Markdown objects are not thread-safe
    body_html: str = converter.convert(body_md)
    form = Form(draft.form).value
    title = html.escape(draft.title)
    fragment = f'<article class="form-{form}">\n' + (f"<h1>{title}</h1>\n" if draft.title else "") + body_html
    fragment += "\n</article>\n"
    if not standalone:
        return fragment
    lang = _language(draft.title + "\n" + draft.body)
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="generator" content="Studio">\n<title>{title}</title>\n<style>{_HTML_STYLE}</style>\n'
        f"</head>\n<body>\n{fragment}</body>\n</html>\n"
    )
