"""`studio lore add|list|remove`: a draft's lorebook from the command line, and the lines `continue --show-prompt`
prints about it."""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from studio.cli.output import EXIT_OK, print_json, table
from studio.domain import LoreEntry, PromptPreview, UsageError
from studio.paths import Paths


def add_lore_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    lore = sub.add_parser("lore", parents=[common], help="a draft's lorebook: entries that enter the prompt when "
                                                         "their keys appear before the cursor")
    lsub = lore.add_subparsers(dest="lore_command", metavar="ACTION", required=True)
    a = lsub.add_parser("add", parents=[common], help="add an entry")
    a.add_argument("--draft", type=int, required=True, metavar="ID")
    a.add_argument("--keys", required=True, help='names or words that bring it in, comma-separated: "Mara,玛拉"')
    a.add_argument("--text", required=True, help="what the model should know when a key comes up")
    a.add_argument("--pinned", action="store_true", help="always in the prompt")
    a.add_argument("--disabled", action="store_true", help="kept but never in the prompt")
    a.add_argument("--case-sensitive", action="store_true", help="English keys match only in this case")
    a.add_argument("--whole-word", action="store_true", help="English keys match only as whole words")
    a.add_argument("--json", action="store_true")
    x = lsub.add_parser("list", parents=[common], help="list a draft's entries in prompt order")
    x.add_argument("--draft", type=int, required=True, metavar="ID")
    x.add_argument("--json", action="store_true")
    r = lsub.add_parser("remove", parents=[common], help="remove an entry")
    r.add_argument("entry_id", type=int, metavar="ENTRY_ID")


def entry_json(e: LoreEntry) -> dict[str, Any]:
    return {"id": e.id, "draft": e.draft_id, "keys": list(e.keys), "text": e.text, "pinned": e.pinned,
            "enabled": e.enabled, "case_sensitive": e.case_sensitive, "whole_word": e.whole_word,
            "position": e.position}


def cmd_lore(args: argparse.Namespace, paths: Paths, out: TextIO, err: TextIO) -> int:
    from studio.cli import _services

    with _services(paths) as sv:
        action = args.lore_command
        if action == "add":
            e = sv.lore.add(args.draft, args.keys, args.text, pinned=args.pinned, enabled=not args.disabled,
                            case_sensitive=args.case_sensitive, whole_word=args.whole_word)
            if args.json:
                print_json(out, entry_json(e))
            else:
                out.write(f"{e.id}\n")
            return EXIT_OK
        if action == "list":
            entries = sv.lore.list(args.draft)
            depth = sv.lore.scan_chars(args.draft)
            if args.json:
                print_json(out, {"draft": args.draft, "scan_chars": depth, "entries": [entry_json(e) for e in entries]})
                return EXIT_OK
            if not entries:
                err.write(f"Draft {args.draft} has no lore entries.\n")
                return EXIT_OK
            table(out, [[str(e.id), _flags(e), ", ".join(e.keys), _short(e.text)] for e in entries],
                  ["ID", "FLAGS", "KEYS", "TEXT"])
            err.write(f"Keys are looked for in the last {depth:,} characters before the cursor.\n")
            return EXIT_OK
        if action == "remove":
            e = sv.lore.remove(args.entry_id)
            err.write(f"Lore entry {e.id} removed from draft {e.draft_id}.\n")
            return EXIT_OK
    raise UsageError(f"Unknown lore action {action!r}.")


def _flags(e: LoreEntry) -> str:
    flags = [name for name, on in (("pinned", e.pinned), ("disabled", not e.enabled),
                                   ("case", e.case_sensitive), ("word", e.whole_word)) if on]
    return ",".join(flags) or "-"


def _short(text: str, width: int = 60) -> str:
    one = " ".join(text.split())
    return one if len(one) <= width else one[: width - 1] + "…"


def show_prompt(out: TextIO, err: TextIO, preview: PromptPreview, runner_note: str) -> None:
    """`continue --show-prompt`: the prompt exactly as the model reads it on stdout; on stderr how it was built
    (which lore entries are in and why, which were left out, what was trimmed)."""
    if not preview.fits:
        raise UsageError(preview.message or "The prompt does not fit the model's context.")
    out.write(preview.prompt_text)
    if not preview.prompt_text.endswith("\n"):
        out.write("\n")
    out.flush()  # the prompt before how it was built, on a terminal that shows both (stderr is unbuffered)
    err.write(f"{preview.prompt_tokens:,} prompt tokens of {preview.n_ctx:,} ({preview.mode}; {runner_note}); "
              f"up to {preview.max_tokens:,} to generate.\n")
    for h in preview.lore:
        err.write(f"lore in: entry {h.entry_id} ({h.reason})\n")
    for h in preview.lore_left_out:
        err.write(f"lore left out (no room in the context): entry {h.entry_id} ({h.reason})\n")
    if preview.trimmed_chars:
        err.write(f"trimmed: the oldest {preview.trimmed_chars:,} characters of the draft\n")


__all__ = ["add_lore_parser", "cmd_lore", "entry_json", "show_prompt"]
