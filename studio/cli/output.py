"""What every command writes: exit codes, JSON, aligned tables."""

from __future__ import annotations

import json
from typing import Any, TextIO

EXIT_OK, EXIT_OTHER, EXIT_USAGE, EXIT_MODEL, EXIT_STORAGE = 0, 1, 2, 3, 4


def print_json(out: TextIO, data: Any) -> None:
    out.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def emit(out: TextIO, as_json: bool, data: Any, text: str) -> None:
    """A command's answer: ``data`` as JSON with --json, else ``text`` as it is."""
    if as_json:
        print_json(out, data)
    else:
        out.write(text)


def table(out: TextIO, rows: list[list[str]], headers: list[str]) -> None:
    if not rows:
        return
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    out.write("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip() + "\n")
    for r in rows:
        out.write("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=False)).rstrip() + "\n")
