"""`studio history --draft ID [--json] [--search TEXT]` and `studio history delete RUN_ID`: a draft's generations
(every output the model made for it, taken or not) from the command line, through studio.services.history."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any, TextIO

from studio.cli.output import EXIT_OK, print_json
from studio.domain import GenerationRecord, UsageError
from studio.paths import Paths

if TYPE_CHECKING:  # `studio forms` and `studio check` start without the services (see studio/cli/__init__.py)
    from studio.services.history import HistoryRun


def add_history_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    h = sub.add_parser("history", parents=[common], help="a draft's generations: every run with its alternatives "
                                                         "(search them, delete one)")
    h.add_argument("--draft", type=int, metavar="ID", help="the draft whose runs to list")
    h.add_argument("--search", metavar="TEXT", help="only runs whose instruction or an output holds TEXT (any case)")
    h.add_argument("--json", action="store_true")
    hsub = h.add_subparsers(dest="history_command", metavar="ACTION")
    d = hsub.add_parser("delete", parents=[common], help="delete a run and all its alternatives")
    d.add_argument("run_id", type=int, metavar="RUN_ID", help="the run's number (or any of its outputs')")


def output_json(r: GenerationRecord) -> dict[str, Any]:
    return {"id": r.id, "alternative": r.alternative_index, "output": r.output, "accepted": r.accepted,
            "seed": r.seed, "prompt_tokens": r.prompt_tokens, "cached_tokens": r.cached_tokens,
            "generated_tokens": r.generated_tokens, "ttft_s": r.ttft_s, "tokens_per_s": r.tokens_per_s,
            "stop_reason": r.stop_reason}


def run_json(run: HistoryRun) -> dict[str, Any]:
    return {"id": run.id, "group_id": run.group_id, "draft": run.draft_id,
            "created_at": run.created_at.isoformat() if run.created_at else None, "action": run.action.value,
            "instruction": run.instruction, "model": run.model_file, "preset_id": run.preset_id,
            "preset": run.preset, "style_id": run.style_id, "style": run.style, "accepted": run.accepted,
            "alternatives": [output_json(a) for a in run.alternatives]}


def cmd_history(args: argparse.Namespace, paths: Paths, out: TextIO, err: TextIO) -> int:
    from studio.cli import _services

    with _services(paths) as sv:
        if args.history_command == "delete":
            run = sv.history.delete(args.run_id)
            n = len(run.alternatives)
            err.write(f"Run {run.id} deleted ({n} output{'s' if n != 1 else ''}); the draft's text is unchanged.\n")
            return EXIT_OK
        if args.draft is None:
            raise UsageError("Name the draft: studio history --draft ID (studio drafts list shows the ids).")
        search = (args.search or "").strip()
        runs = sv.history.runs(args.draft, search=search)
        if args.json:
            print_json(out, {"draft": args.draft, "search": search, "runs": [run_json(r) for r in runs]})
            return EXIT_OK
        if not runs:
            err.write(f"No run of draft {args.draft} holds “{search}”.\n" if search
                      else f"Draft {args.draft} has no generations yet.\n")
            return EXIT_OK
        for i, run in enumerate(runs):
            if i:
                out.write("\n")
            write_run(out, run)
        return EXIT_OK


def write_run(out: TextIO, run: HistoryRun) -> None:
    """A run as a header line (what was asked, by what) and one line per alternative (* marks the one taken)."""
    when = run.created_at.astimezone().strftime("%Y-%m-%d %H:%M") if run.created_at else "?"
    parts = [f"run {run.id}", when, run.action.value]
    parts += [f"model {run.model_file}"] if run.model_file else []
    parts += [f"preset {run.preset}"] if run.preset else []
    parts += [f"style {run.style}"] if run.style else []
    parts.append("accepted" if run.accepted else "not accepted")
    out.write("  ".join(parts) + "\n")
    if run.instruction:
        out.write(f"  instruction: {run.instruction}\n")
    width = max(len(str(a.id)) for a in run.alternatives)
    for a in run.alternatives:
        out.write(f"  {str(a.id).rjust(width)} {'*' if a.accepted else ' '} {_short(a.output)}\n")


def _short(text: str, width: int = 72) -> str:
    one = " ".join(text.split())
    if not one:
        return "(empty)"
    return one if len(one) <= width else one[: width - 1] + "…"


__all__ = ["add_history_parser", "cmd_history", "run_json", "write_run"]
