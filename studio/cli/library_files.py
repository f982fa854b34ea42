"""`studio presets export|import FILE` and `studio styles export|import FILE`: presets and styles as TOML files.

A bad file is refused whole with one line naming the file, the entry and the problem (exit 2), and nothing is
saved; a file that cannot be read or written is exit 1 like the other imports and exports.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from studio.cli.output import EXIT_OK, print_json
from studio.domain import Form, UsageError
from studio.paths import Paths

Handler = Callable[[argparse.Namespace, Paths, TextIO, TextIO], int]


def add_file_actions(actions: Any, common: argparse.ArgumentParser, kind: str) -> None:
    """``export`` and ``import`` under ``studio presets`` or ``studio styles`` (``kind``)."""
    e = actions.add_parser("export", parents=[common], help=f"write {kind} to a TOML file")
    e.add_argument("file", metavar="FILE")
    e.add_argument("--name", action="append", default=[], metavar="NAME",
                   help=f"only this one (repeat for more); default: all {kind}")
    if kind == "styles":
        e.add_argument("--form", help="only the styles for this form (prose, screenplay, lyrics, poetry)")
    i = actions.add_parser("import", parents=[common], help=f"add the {kind} in a TOML file (checked first: a bad "
                                                            "file adds nothing)")
    i.add_argument("file", metavar="FILE")
    i.add_argument("--json", action="store_true")


def with_file_actions(kind: str, listing: Handler) -> Handler:
    """The ``studio presets``/``studio styles`` handler: export and import here, anything else ``listing``."""

    def handler(args: argparse.Namespace, paths: Paths, out: TextIO, err: TextIO) -> int:
        action = getattr(args, f"{kind}_command")
        if action not in ("export", "import"):
            return listing(args, paths, out, err)
        from studio.cli import _services

        with _services(paths) as sv:
            lib = sv.library
            path = Path(args.file).expanduser()
            if action == "import":
                items: list[Any] = list(lib.import_presets(path) if kind == "presets" else lib.import_styles(path))
                if args.json:
                    print_json(out, [{"id": x.id, "name": x.name} for x in items])
                else:
                    for x in items:
                        out.write(f"{x.id}\t{x.name}\n")
                err.write(f"Imported {len(items)} {kind} from {path}.\n")
                return EXIT_OK
            ids = _chosen(lib, kind, args)
            n = lib.export_presets(path, ids) if kind == "presets" else lib.export_styles(path, ids)
            err.write(f"Wrote {n} {kind} to {path}.\n")
            return EXIT_OK

    return handler


def _chosen(lib: Any, kind: str, args: argparse.Namespace) -> list[int] | None:
    form = Form.parse(args.form) if getattr(args, "form", None) else None
    if not args.name and form is None:
        return None
    items = lib.presets() if kind == "presets" else lib.styles(form=form)
    if not args.name:
        return [x.id for x in items]
    chosen: list[int] = []
    for name in args.name:
        found = [x for x in items if x.name == name]
        if not found:
            raise UsageError(f"No {kind[:-1]} is named {name!r}; `studio {kind} list` shows them.")
        chosen.extend(x.id for x in found)
    return chosen
