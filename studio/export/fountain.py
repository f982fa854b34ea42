"""Drafts as Fountain files (https://fountain.io), which screenwriting apps open directly."""

from __future__ import annotations

import re

from studio.domain import Draft, Form
from studio.forms.counting import split_lines
from studio.forms.fountain import force_action, parse_title_page_only


def _title_lines(title: str) -> list[str]:
    parts = [p.strip() for p in split_lines(title) if p.strip()] or ["Untitled"]
    if len(parts) == 1:
        return [f"Title: {parts[0]}"]
    # A multi-line value goes on indented lines under its key (Fountain title page syntax).
    return ["Title:"] + [f"    {p}" for p in parts]


def split_title_entry(body: str) -> tuple[str | None, str]:
    """(the Title value of the body's title page, the body without that entry).

    Other title page entries (Credit, Author, Draft date...) stay at the top of the body, so a screenplay
    imported from Fountain and exported again keeps them. When Title was the only entry, the title page and
    the blank line after it are removed.
    """
    elements = parse_title_page_only(body)
    if not elements:
        return None, body
    lines = split_lines(body)
    title_rows = {e.line_index for e in elements if e.key == "title"}
    if not title_rows:
        return None, body
    title = " ".join(e.text for e in elements if e.key == "title" and e.text) or None
    last = max(e.line_index for e in elements)
    kept = [line for i, line in enumerate(lines[: last + 1]) if i not in title_rows]
    rest = lines[last + 1 :]
    if not kept:
        while rest and not rest[0].strip():
            rest.pop(0)
    out = "\n".join(kept + rest)
    if body.endswith("\n") and out:
        out += "\n"
    return title, out


_EMPHASIS = re.compile(r"(\*{1,3}|_)(.+?)\1")


def plain_title(value: str) -> str:
    """A title page value without Fountain emphasis: "_**BRICK & STEEL**_" -> "BRICK & STEEL"."""
    prev = None
    while prev != value:
        prev, value = value, _EMPHASIS.sub(r"\2", value)
    return " ".join(value.split())


def draft_to_fountain(draft: Draft) -> str:
    """A Fountain document: a title page with the draft's title, a blank line, then the script.

    A screenplay's own title page entries (Credit, Author...) are kept after Title; its own Title gives way to the
    draft's. Other forms are carried across faithfully: prose as action (forced with "!" where a line would
    otherwise read as a cue or heading), poetry and lyrics as Fountain lyric lines ("~").
    """
    body = draft.body.replace("\r\n", "\n").replace("\r", "\n")
    form = Form(draft.form)
    if form == Form.SCREENPLAY:
        _, body = split_title_entry(body)
        has_page = bool(parse_title_page_only(body))
        head = _title_lines(draft.title)
        script = body.strip("\n")
        if has_page:
            return "\n".join(head) + "\n" + script + "\n"
        return "\n".join(head) + "\n\n" + script + "\n" if script else "\n".join(head) + "\n"
    lines = split_lines(body)
    if form in (Form.POETRY, Form.LYRICS):
        converted = ["~" + line if line.strip() else "" for line in lines]
    else:
        converted = [force_action(line) for line in lines]
    script = "\n".join(converted).strip("\n")
    return "\n".join(_title_lines(draft.title)) + "\n\n" + (script + "\n" if script else "")


__all__ = ["draft_to_fountain", "plain_title", "split_title_entry"]
