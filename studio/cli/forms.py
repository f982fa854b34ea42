"""`studio check` and `studio forms`: the poetry checker from the command line (no data folder needed)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from studio.cli.output import EXIT_OK, EXIT_OTHER, print_json, table
from studio.domain import ImportFileError, StorageError, UsageError
from studio.paths import Paths


def cmd_check(args: argparse.Namespace, paths: Paths, out: TextIO, err: TextIO) -> int:
    from studio.export.imports import read_text_file
    from studio.forms import poetry
    from studio.forms.rhymebook import SYSTEM_TITLES

    form = poetry.get_form(args.form)  # a usage error (exit 2) before the file is looked at
    rhyme = getattr(args, "rhyme", None)
    if rhyme is not None and form.language != "zh":
        raise UsageError(f"--rhyme chooses the rhyme book of a Chinese form; {form.name} is judged by its English "
                         "sounds.", hint="Leave --rhyme out, or check a Chinese form (wujue, qijue, wulv, qilv).")
    try:
        text, _enc = read_text_file(Path(args.file))
    except ImportFileError as exc:
        # Exit 1 means "does not fit": a file that cannot be read must not look like a poem that failed.
        raise StorageError(str(exc)) from exc
    result = poetry.check(text, form.name, strict=args.strict, rhyme=rhyme)
    if args.json:
        print_json(out, _dataclass_json(result))
        return EXIT_OK if result.ok else EXIT_OTHER
    chinese = form.language == "zh"
    if result.rhyme_system:
        out.write(f"{form.title} by {SYSTEM_TITLES[result.rhyme_system]}"
                  + (f": {result.pattern.split(' ', 1)[-1]}" if result.pattern else "") + "\n")
    elif result.pattern:
        out.write(f"{form.label}: {result.pattern}\n")
    for line in result.lines:
        row = f"{line.line_no:>3}  {line.count:>3}  {line.text}"
        if chinese and line.tones:
            row += f"  {line.tones}"
            if line.pattern and line.pattern_ok is False:
                row += f" (wants {line.pattern})"
            if line.rhyme_groups and line.rhyme_char:
                row += f"  {line.rhyme_char}: {'/'.join(line.rhyme_groups)}"
        elif line.stress:
            row += f"  {line.stress}"
        out.write(row + "\n")
    for note in result.notes:
        out.write(f"note: {note.message}\n")
    for warning in result.warnings:
        out.write(f"warning: {warning.message}\n")
    if result.ok:
        n = len(result.warnings)
        extra = f" ({n} warning{'s' if n != 1 else ''}; --strict fails on them)" if n and chinese else ""
        out.write(f"OK: fits {form.name}.{extra}\n")
    else:
        for d in result.deviations:
            where = f"line {d.line_no}: " if d.line_no else ""
            out.write(f"{where}{d.message}\n" if not d.message.startswith("line") else f"{d.message}\n")
    return EXIT_OK if result.ok else EXIT_OTHER


def _dataclass_json(obj: Any) -> Any:
    import dataclasses

    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {k: _dataclass_json(v) for k, v in dataclasses.asdict(obj).items()}
    return obj


def cmd_forms(args: argparse.Namespace, paths: Paths, out: TextIO, err: TextIO) -> int:
    from studio.forms import poetry

    forms = list(poetry.FORMS.values())
    if args.json:
        print_json(out, [{"name": f.name, "aliases": list(f.aliases), "description": f.description} for f in forms])
    else:
        table(out, [[f.name, ", ".join(f.aliases), f.description] for f in forms],
               ["FORM", "ALIASES", "WHAT IT WANTS"])
    return EXIT_OK
