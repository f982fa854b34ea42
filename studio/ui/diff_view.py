"""Word-level differences rendered as HTML for a QTextBrowser: deletions struck through, insertions underlined."""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication

from studio.services.diffing import DiffOp
from studio.ui.theme import Theme


def diff_html(ops: Sequence[DiffOp], theme: Theme, *, max_chars: int = 200_000) -> str:
    """HTML for ``ops``. Long unchanged stretches are shortened so a revision of a novel stays readable."""
    ins_fg, ins_bg = theme.color("diff_insert").name(), theme.color("diff_insert_background").name()
    del_fg, del_bg = theme.color("diff_delete").name(), theme.color("diff_delete_background").name()
    parts: list[str] = []
    used = 0
    for op in ops:
        text = op.text
        if op.op == "equal" and len(text) > 600:
            text = text[:280] + " … " + text[-280:]  # keep context around the changes only
        if used + len(text) > max_chars:
            rest = QCoreApplication.translate("DiffView", "… (the rest is not shown)")
            parts.append(f"<p><i>{html.escape(rest)}</i></p>")
            break
        used += len(text)
        body = _escape(text)
        if op.op == "insert":
            parts.append(f'<span style="color:{ins_fg}; background:{ins_bg}; text-decoration:underline">{body}</span>')
        elif op.op == "delete":
            parts.append(
                f'<span style="color:{del_fg}; background:{del_bg}; text-decoration:line-through">{body}</span>'
            )
        else:
            parts.append(body)
    return '<div style="white-space:pre-wrap">' + "".join(parts) + "</div>"


def _escape(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")
