"""`studio drafts`: list, new, show, delete, restore, import, export and revisions of the drafts in the data folder."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

from studio.cli.output import EXIT_OK, EXIT_OTHER, emit, print_json, table
from studio.domain import Draft, StudioError, UsageError
from studio.paths import Paths


def cmd_drafts(args: argparse.Namespace, paths: Paths, out: TextIO, err: TextIO) -> int:
    action = args.drafts_command
    from studio.cli import _services

    with _services(paths) as sv:
        ds = sv.drafts
        if action == "list":
            items = ds.list(form=args.form, search=args.search, trashed=args.trash)
            if args.json:
                print_json(out, [{"id": s.id, "title": s.title, "form": s.form.value, "words": s.word_count,
                                   "updated": s.updated_at.isoformat() if s.updated_at else None,
                                   "trashed": s.deleted} for s in items])
            elif not items:
                err.write("No drafts.\n" if not args.trash else "The trash is empty.\n")
            else:
                table(out, [[str(s.id), s.form.value, str(s.word_count), when(s.updated_at), s.title] for s in items],
                       ["ID", "FORM", "WORDS", "UPDATED", "TITLE"])
            return EXIT_OK
        if action == "new":
            body = read_input(args.file) if args.file else ""
            draft = ds.create(args.title, args.form, body=body, notes=args.notes)
            emit(out, args.json, draft_json(draft), f"{draft.id}\n")
            return EXIT_OK
        if action == "show":
            draft = ds.get(args.id)
            body = draft.body if draft.body.endswith("\n") or not draft.body else draft.body + "\n"
            emit(out, args.json, draft_json(draft) | {"body": draft.body, "notes": draft.notes}, body)
            return EXIT_OK
        if action == "delete":
            if args.purge:
                ds.purge(args.id)
                err.write(f"Draft {args.id} deleted for good.\n")
            else:
                ds.trash(args.id)
                err.write(f"Draft {args.id} moved to the trash (studio drafts restore {args.id} brings it back).\n")
            return EXIT_OK
        if action == "restore":
            draft = ds.restore(args.id)
            err.write(f"Draft {draft.id} restored: {draft.title}\n")
            return EXIT_OK
        if action == "import":
            made = []
            failed = 0
            for f in args.files:
                try:
                    made.append(ds.import_file(f))
                except StudioError as exc:
                    failed += 1
                    err.write(f"studio: error: {f}: {exc}\n")
            emit(out, args.json, [draft_json(d) for d in made],
                 "".join(f"{d.id}\t{d.form.value}\t{d.title}\n" for d in made))
            return EXIT_OK if not failed else EXIT_OTHER
        if action == "export":
            if args.all == (args.id is not None):
                raise UsageError("Give a draft ID or --all.")
            if args.all:
                written = ds.export_all(args.out)
                for p in written:
                    out.write(f"{p}\n")
                if not written:
                    err.write("No drafts to export.\n")
            else:
                out.write(f"{ds.export(args.id, args.out)}\n")
            return EXIT_OK
        if action == "revisions":
            revs = ds.revisions(args.id)
            if args.json:
                print_json(out, [{"id": r.id, "reason": r.reason.value, "created": r.created_at, "chars": len(r.body)}
                                  for r in revs])
            else:
                table(out, [[str(r.id), r.reason.value, when(r.created_at), str(len(r.body))] for r in revs],
                       ["ID", "REASON", "WHEN", "CHARS"])
            return EXIT_OK
    raise UsageError(f"Unknown drafts action {action!r}.")


def draft_json(d: Draft) -> dict[str, Any]:
    from studio.domain import count_words

    return {"id": d.id, "title": d.title, "form": d.form.value, "words": count_words(d.body),
            "created": d.created_at, "updated": d.updated_at, "trashed": d.deleted, "version": d.version}


def when(dt: datetime | None) -> str:
    return dt.astimezone().strftime("%Y-%m-%d %H:%M") if dt else ""


def read_input(spec: str) -> str:
    from studio.export.imports import read_text_file

    if spec == "-":
        data = sys.stdin.buffer.read()
        try:
            return data.decode("utf-8-sig").replace("\r\n", "\n")
        except UnicodeDecodeError:
            raise UsageError("Standard input is not UTF-8 text.") from None
    text, _encoding = read_text_file(Path(spec))
    return text
