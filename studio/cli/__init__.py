"""Headless commands: drafts, presets, styles, models, continue, rewrite, check, forms.

Exit codes: 0 ok, 1 other, 2 usage, 3 model, 4 storage (also when `check` cannot read its file, since 1 there
means the poem does not fit). Errors are one readable line on stderr; a traceback only with --debug.
"""

from __future__ import annotations

import argparse
import json
import logging
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import TYPE_CHECKING, Any, TextIO

from studio import __version__
from studio.cli.ask import add_ask_parser, cmd_ask
from studio.cli.desktop import add_desktop_flags
from studio.cli.drafts import cmd_drafts, read_input
from studio.cli.forms import cmd_check, cmd_forms
from studio.cli.history import add_history_parser, cmd_history
from studio.cli.library_files import add_file_actions, with_file_actions
from studio.cli.logprobs import logprobs_arg, require_logprobs, tokens_json, with_logprobs
from studio.cli.lore import add_lore_parser, cmd_lore, show_prompt
from studio.cli.models import add_model_actions, cmd_model_action
from studio.cli.output import EXIT_MODEL, EXIT_OK, EXIT_OTHER, EXIT_STORAGE, EXIT_USAGE, print_json, table
from studio.cli.server import server_arg, server_choice, show_server_model
from studio.domain import (
    Action,
    Draft,
    Finished,
    Form,
    GenerationError,
    GenerationRequest,
    LoadSettings,
    ModelInfo,
    TextDelta,
    UsageError,
)
from studio.paths import Paths, resolve_paths

if TYPE_CHECKING:  # imported where used: `studio forms` and `studio check` start without the services
    from studio.services import Services
    from studio.services.forms import VerseFit
    from studio.services.generation import ModelRunner, ServerChoice

log = logging.getLogger(__name__)

# Commands that never open the data folder: one Studio cannot use must not stop them (app.main checks the rest).
WITHOUT_DATA_FOLDER = frozenset({"check", "forms"})


def _form_arg(value: str) -> Form:
    try:
        return Form.parse(value)
    except UsageError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


# -- parser ------------------------------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", metavar="DIR", default=argparse.SUPPRESS,
                        help="data folder (default: $STUDIO_HOME or the platform's user data folder)")
    common.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                        help="show tracebacks and log to the terminal")

    p = argparse.ArgumentParser(
        prog="studio",
        description="Studio: an offline creative-writing studio. With no command, opens the window.",
        parents=[common],
    )
    p.add_argument("--version", action="version", version=f"studio {__version__}")
    add_desktop_flags(p)
    p.add_argument("--model", metavar="PATH", help="GGUF model file to use (window, continue, rewrite)")
    server_arg(p, window=True)
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    drafts = sub.add_parser("drafts", parents=[common],
                            help="list, create, show, trash, restore, import, export drafts")
    dsub = drafts.add_subparsers(dest="drafts_command", metavar="ACTION", required=True)
    d = dsub.add_parser("list", parents=[common], help="list drafts, last edited first")
    d.add_argument("--form", type=_form_arg)
    d.add_argument("--search", metavar="TEXT", help="only drafts whose title or text contains TEXT")
    d.add_argument("--trash", action="store_true", help="list the trash instead")
    d.add_argument("--json", action="store_true")
    d = dsub.add_parser("new", parents=[common], help="create a draft (text from --file PATH, or - for stdin)")
    d.add_argument("--title", required=True)
    d.add_argument("--form", type=_form_arg, default=Form.PROSE)
    d.add_argument("--file", metavar="PATH|-")
    d.add_argument("--notes", default="", help="the draft's memory: characters, setting, facts")
    d.add_argument("--json", action="store_true")
    d = dsub.add_parser("show", parents=[common], help="print a draft's text")
    d.add_argument("id", type=int)
    d.add_argument("--json", action="store_true")
    d = dsub.add_parser("delete", parents=[common], help="move a draft to the trash (--purge: delete a trashed one)")
    d.add_argument("id", type=int)
    d.add_argument("--purge", action="store_true")
    d = dsub.add_parser("restore", parents=[common], help="bring a draft back from the trash")
    d.add_argument("id", type=int)
    d = dsub.add_parser("import", parents=[common], help="import .md, .txt or .fountain files")
    d.add_argument("files", nargs="+", metavar="FILE")
    d.add_argument("--json", action="store_true")
    d = dsub.add_parser("export", parents=[common], help="export a draft (or --all) to Markdown")
    d.add_argument("id", type=int, nargs="?")
    d.add_argument("--all", action="store_true")
    d.add_argument("--out", required=True, metavar="FILE|DIR")
    d = dsub.add_parser("revisions", parents=[common], help="list a draft's revisions")
    d.add_argument("id", type=int)
    d.add_argument("--json", action="store_true")

    s = sub.add_parser("presets", parents=[common], help="prompt presets")
    ssub = s.add_subparsers(dest="presets_command", metavar="ACTION", required=True)
    x = ssub.add_parser("list", parents=[common])
    x.add_argument("--json", action="store_true")
    add_file_actions(ssub, common, "presets")
    s = sub.add_parser("styles", parents=[common], help="style variants")
    ssub = s.add_subparsers(dest="styles_command", metavar="ACTION", required=True)
    x = ssub.add_parser("list", parents=[common])
    x.add_argument("--form", type=_form_arg)
    x.add_argument("--json", action="store_true")
    add_file_actions(ssub, common, "styles")

    m = sub.add_parser("models", parents=[common], help="list the models Studio can use")
    m.add_argument("--json", action="store_true")
    m.add_argument("--model", metavar="PATH", default=argparse.SUPPRESS)
    server_arg(m)
    add_model_actions(m, common)

    for name, helptext in (("continue", "continue text from stdin (or a draft), streamed to stdout"),
                           ("rewrite", "rewrite text from stdin (or a draft's range) with an instruction")):
        g = sub.add_parser(name, parents=[common], help=helptext)
        g.add_argument("--draft", type=int, metavar="ID")
        g.add_argument("--model", metavar="PATH", default=argparse.SUPPRESS)
        server_arg(g)
        g.add_argument("--preset", metavar="NAME")
        g.add_argument("--style", metavar="NAME")
        g.add_argument("--max-tokens", type=int, metavar="N")
        g.add_argument("--seed", type=int, metavar="N")
        g.add_argument("--alternatives", type=int, default=1, metavar="N")
        g.add_argument("--form", type=_form_arg, help="form of stdin text (default: prose)")
        g.add_argument("--notes", default=None, help="memory for stdin text")
        g.add_argument("--json", action="store_true", help="final stats as one JSON line on stderr")
        logprobs_arg(g)
        if name == "continue":
            g.add_argument("--show-prompt", action="store_true",
                           help="print the exact prompt the model would read (lore included) and exit without "
                                "generating; loads the model, whose tokenizer and context decide what fits")
            g.add_argument("--append", action="store_true",
                           help="append the continuation to the draft (with --match-verse: after verse N)")
            g.add_argument("--match-verse", type=int, metavar="N",
                           help="write a new verse to the meter of verse N (1-based): its line count, per-line "
                                "syllables (characters for Chinese) and rhyme positions")
        else:
            g.add_argument("--instruction", required=True, help='e.g. "more vivid", "shorter", your own words')
            g.add_argument("--start", type=int, help="with --draft: first character of the passage")
            g.add_argument("--end", type=int, help="with --draft: end of the passage")
            g.add_argument("--apply", action="store_true", help="with --draft: replace the passage in the draft")

    add_lore_parser(sub, common)
    add_ask_parser(sub, common)
    add_history_parser(sub, common)

    c = sub.add_parser("check", parents=[common], help="check a poem or lyric against a form")
    c.add_argument("file", metavar="FILE")
    c.add_argument("--form", required=True)
    c.add_argument("--strict", action="store_true",
                   help="also fail on metre: a sonnet's line lengths, a Chinese form's tone pattern (平仄)")
    c.add_argument("--rhyme", choices=("pingshui", "xinyun", "shisanzhe"),
                   help="rhyme book for Chinese forms: pingshui (平水韵, the default), xinyun (中华新韵), "
                        "shisanzhe (十三辙)")
    c.add_argument("--json", action="store_true")
    f = sub.add_parser("forms", parents=[common], help="list the forms `check` knows")
    f.add_argument("--json", action="store_true")
    return p


# -- entry -------------------------------------------------------------------------------------------------
def run(args: argparse.Namespace, *, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    handler = _COMMANDS.get(args.command)
    if handler is None:
        raise UsageError(f"Unknown command {args.command!r}.")
    paths = resolve_paths(getattr(args, "data_dir", None))
    return handler(args, paths, out, err)


def error_line(exc: BaseException) -> str:
    return f"studio: error: {exc}"


@contextmanager
def _services(paths: Paths) -> Iterator[Services]:
    from studio.services import Services

    services = Services.open(paths)
    try:
        yield services
    finally:
        services.close()


# -- presets, styles ---------------------------------------------------------------------------------------
def _cmd_presets(args: argparse.Namespace, paths: Paths, out: TextIO, err: TextIO) -> int:
    with _services(paths) as sv:
        presets = sv.library.presets()
    if args.json:
        print_json(out, [{"id": p.id, "name": p.name, "action": p.action.value, "builtin": p.builtin,
                           "modified": p.modified, "description": p.description, "sampler": p.sampler.to_dict()}
                          for p in presets])
    else:
        table(out, [[str(p.id), p.action.value, "built-in" if p.builtin else "yours", p.name, p.description]
                     for p in presets], ["ID", "ACTION", "KIND", "NAME", "DESCRIPTION"])
    return EXIT_OK


def _cmd_styles(args: argparse.Namespace, paths: Paths, out: TextIO, err: TextIO) -> int:
    with _services(paths) as sv:
        styles = sv.library.styles(form=args.form)
    if args.json:
        print_json(out, [{"id": s.id, "name": s.name, "form": s.form.value, "builtin": s.builtin,
                           "modified": s.modified, "description": s.description, "guidance": s.guidance,
                           "exemplars": list(s.exemplars), "sampler_overrides": dict(s.sampler_overrides)}
                          for s in styles])
    else:
        table(out, [[str(s.id), s.form.value, "built-in" if s.builtin else "yours", s.name, s.description]
                     for s in styles], ["ID", "FORM", "KIND", "NAME", "DESCRIPTION"])
    return EXIT_OK


# -- models ------------------------------------------------------------------------------------------------
def _cmd_server_model(server: ServerChoice, args: argparse.Namespace, paths: Paths, out: TextIO) -> int:
    """`studio models --server URL`: connect, show the server's model and what it supports, disconnect."""
    with _services(paths) as sv:
        runner = sv.new_model_runner(server)
        try:
            info = runner.load(None, LoadSettings())
            caps, report = runner.capabilities, runner.server_report
        finally:
            runner.close()
    show_server_model(out, server, info, caps, report, _model_json(info) if args.json else None)
    return EXIT_OK


def _chosen_model(args: argparse.Namespace, sv: Services) -> str | None:
    return getattr(args, "model", None) or sv.generation.stored_model()[0]


def _model_json(info: ModelInfo) -> dict[str, Any]:
    return {"path": str(info.path), "name": info.name, "source": info.source, "default": info.is_default,
            "architecture": info.architecture, "parameters": info.parameters, "size_bytes": info.size_bytes,
            "quantization": info.quantization, "context_length": info.context_length,
            "chat_template": info.has_chat_template, "fim": info.has_fim,
            "error": info.error}


def _cmd_models(args: argparse.Namespace, paths: Paths, out: TextIO, err: TextIO) -> int:
    if getattr(args, "models_command", None):
        return cmd_model_action(args, paths, out, err)
    server = server_choice(args)
    if server is not None:
        return _cmd_server_model(server, args, paths, out)
    with _services(paths) as sv:
        chosen = _chosen_model(args, sv)
        models = sv.new_model_runner().discover(chosen)
        licences = [d.licence for d in sv.model_shop().with_licences(models)]
    if args.json:
        print_json(out, [_model_json(m) | {"licence": lic} for m, lic in zip(models, licences, strict=True)])
        return EXIT_OK
    rows = []
    for m, lic in zip(models, licences, strict=True):
        size = f"{m.size_bytes / 1e6:.0f} MB"
        params = f"{m.parameters / 1e6:.0f}M" if m.parameters else "?"
        ctx = str(m.context_length or "?")
        facts = ", ".join(x for x in ("chat" if m.has_chat_template else "base", "FIM" if m.has_fim else "") if x)
        err_text = m.error
        rows.append(["*" if m.is_default else "", m.source, m.name, m.architecture or "?", params,
                     m.quantization or "?", ctx, size, lic or "?", f"unusable: {err_text}" if err_text else facts])
    table(out, rows, ["", "SOURCE", "NAME", "ARCH", "PARAMS", "QUANT", "CTX", "SIZE", "LICENCE", "NOTES"])
    return EXIT_OK


# -- continue / rewrite ------------------------------------------------------------------------------------
def _cmd_generate(args: argparse.Namespace, paths: Paths, out: TextIO, err: TextIO) -> int:
    from studio.domain import Draft

    action = Action(args.command)
    with _services(paths) as sv:
        draft: Draft | None = None
        if args.draft is not None:
            draft = sv.drafts.get(args.draft)
        else:
            text = read_input("-")
            draft = Draft(id=0, title="stdin", form=args.form or Form.PROSE, body=text, notes=args.notes or "")
        preset_id = sv.library.preset_by_name(args.preset).id if args.preset else None
        style_id = sv.library.style_by_name(args.style, draft.form).id if args.style else None
        if action == Action.REWRITE:
            if args.draft is not None:
                start = args.start if args.start is not None else 0
                end = args.end if args.end is not None else len(draft.body)
            else:
                start, end = 0, len(draft.body)
            if not draft.body[start:end].strip():
                raise UsageError("Nothing to rewrite: the passage is empty.")
            req = sv.generation.build_request(draft, action, selection=(start, end), instruction=args.instruction,
                                              preset_id=preset_id, style_id=style_id, n_alternatives=args.alternatives,
                                              seed=args.seed, max_tokens=args.max_tokens)
        elif getattr(args, "match_verse", None) is not None:
            req, start = sv.generation.build_match_verse_request(
                draft, args.match_verse, preset_id=preset_id, style_id=style_id, n_alternatives=args.alternatives,
                seed=args.seed, max_tokens=args.max_tokens)
            end = start
        else:
            req = sv.generation.build_request(draft, action, cursor=len(draft.body), preset_id=preset_id,
                                              style_id=style_id, n_alternatives=args.alternatives, seed=args.seed,
                                              max_tokens=args.max_tokens)
            start = end = len(draft.body)
        if args.draft is None:
            req = _without_draft_key(req)
        req = with_logprobs(args, req)
        server = server_choice(args)
        runner = sv.new_model_runner(server)
        stored, settings = sv.generation.stored_model()
        runner.load(getattr(args, "model", None) or stored, settings)
        model_file = runner.model_file  # read now: close() below forgets it, and the history names the model
        require_logprobs(req, runner, server.url if server is not None else model_file)
        if getattr(args, "show_prompt", False):
            counted_by = server.url if server is not None else runner.model_file
            try:
                preview = runner.preview(req)
            finally:
                runner.close()
            show_prompt(out, err, preview, f"counted by {counted_by}")
            return EXIT_OK
        results: list[Finished] = []
        try:
            _stream_to(out, runner, req, results)
        except GenerationError:
            # A server that failed part way: what it wrote is kept as a proposal in the history, then the error.
            group = sv.generation.new_group_id()
            for f in results:
                sv.generation.record(draft.id or None, req, f, group_id=group, model_file=model_file)
            raise
        finally:
            runner.close()
        group = sv.generation.new_group_id()
        records = [sv.generation.record(draft.id or None, req, f, group_id=group, model_file=model_file)
                   for f in results]
        fits = {f.index: sv.generation.verse_fit(req, f.text) for f in results}
        if args.json:
            where = {"server": server.url} if server is not None else {}
            for f in results:
                fit = fits.get(f.index)
                extra = {"verse_fit": _verse_fit_json(fit)} if fit is not None else {}
                err.write(json.dumps({"index": f.index, **f.stats.to_dict(), **where, **extra, **tokens_json(req, f)},
                                     ensure_ascii=False) + "\n")
        else:
            for index, fit in fits.items():
                if fit is not None:
                    err.write(_verse_fit_text(index, fit, len(results)))
        cancelled = any(f.stats.partial for f in results)
        if draft.id and results and not cancelled:
            first = results[0]
            if action == Action.CONTINUE and getattr(args, "append", False):
                sv.generation.apply_to_draft(draft, action, first.text, start=start, end=end,
                                             record_id=records[0].id)
            elif action == Action.REWRITE and getattr(args, "apply", False):
                sv.generation.apply_to_draft(draft, action, first.text, start=start, end=end,
                                             record_id=records[0].id)
        return 130 if cancelled else EXIT_OK


def _verse_fit_json(fit: VerseFit) -> dict[str, Any]:
    return {"ok": fit.ok, "lines": [{"text": ln.text, "count": ln.count, "original": ln.target, "ok": ln.ok,
                                     "rhyme": ln.rhyme} for ln in fit.lines],
            "deviations": [{"line": line, "kind": kind, "message": message} for line, kind, message in fit.deviations]}


def _verse_fit_text(index: int, fit: VerseFit, n: int) -> str:
    """The new verse's per-line counts beside the original's, on stderr (stdout keeps the verse alone)."""
    head = f"alternative {index + 1}: " if n > 1 else ""
    pairs = " · ".join(f"{ln.count} ({ln.target})" if ln.target is not None else str(ln.count) for ln in fit.lines)
    out = f"{head}per line, new (original): {pairs}\n"
    out += "".join(f"  {message}\n" for _line, _kind, message in fit.deviations)
    return out + (f"{head}fits the verse matched.\n" if fit.ok else "")


def _without_draft_key(req: GenerationRequest) -> GenerationRequest:
    from dataclasses import replace

    return replace(req, draft_key=None)


def _stream_to(out: TextIO, runner: ModelRunner, req: GenerationRequest,
               finished: list[Finished] | None = None) -> list[Finished]:
    """Stream deltas to ``out`` as they come; Ctrl+C stops cleanly (the partial text is kept). ``finished``
    collects the Finished events, also those before an error."""
    cancel = threading.Event()
    previous = None
    if threading.current_thread() is threading.main_thread():
        def _on_sigint(signum: int, frame: FrameType | None) -> None:
            cancel.set()
            signal.signal(signal.SIGINT, signal.default_int_handler)  # a second Ctrl+C really interrupts

        previous = signal.signal(signal.SIGINT, _on_sigint)
    finished = [] if finished is None else finished
    try:
        for ev in runner.stream(req, cancel):
            if isinstance(ev, TextDelta):
                out.write(ev.text)
                out.flush()
            elif isinstance(ev, Finished):
                finished.append(ev)
                if not ev.text.endswith("\n"):
                    out.write("\n")
                if req.n_alternatives > 1 and ev.index < req.n_alternatives - 1 and not ev.stats.partial:
                    out.write("\n---\n\n")
                out.flush()
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)
    return finished


_COMMANDS: dict[str | None, Callable[[argparse.Namespace, Paths, TextIO, TextIO], int]] = {
    "drafts": cmd_drafts,
    "presets": with_file_actions("presets", _cmd_presets),
    "styles": with_file_actions("styles", _cmd_styles),
    "models": _cmd_models,
    "continue": _cmd_generate,
    "rewrite": _cmd_generate,
    "check": cmd_check,
    "forms": cmd_forms,
    "lore": cmd_lore,
    "ask": cmd_ask,
    "history": cmd_history,
}


__all__ = ["EXIT_MODEL", "EXIT_OK", "EXIT_OTHER", "EXIT_STORAGE", "EXIT_USAGE", "WITHOUT_DATA_FOLDER", "build_parser",
           "error_line", "run", "server_choice"]
