"""`studio ask --draft ID "question"`: a question about a draft, the answer streamed to stdout; the draft is never
changed. Rhymes and syllable counts are answered from Studio's tables at once, without loading a model; every
answer is kept with the draft's history (action "ask"). No model, or a model that fails, is one line (exit 3)."""

from __future__ import annotations

import argparse
import logging
from typing import Any, TextIO

from studio.cli.output import EXIT_OK
from studio.cli.server import server_arg, server_choice
from studio.domain import Draft, Finished, Form, GenerationError, StudioError
from studio.domain.i18n import QT_TRANSLATE_NOOP, msg
from studio.paths import Paths

log = logging.getLogger(__name__)


def add_ask_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    a = sub.add_parser("ask", parents=[common], help="ask about a draft (titles, names, what next, rhymes); the "
                                                     "answer is streamed to stdout and the draft stays as it is")
    a.add_argument("question", help='what to ask: "five titles", "rhymes for light", "光的韵脚"')
    a.add_argument("--draft", type=int, metavar="ID", help="the draft asked about (without it: the question alone)")
    a.add_argument("--model", metavar="PATH", default=argparse.SUPPRESS)
    server_arg(a)
    a.add_argument("--max-tokens", type=int, metavar="N")
    a.add_argument("--seed", type=int, metavar="N")


def cmd_ask(args: argparse.Namespace, paths: Paths, out: TextIO, err: TextIO) -> int:
    from studio.cli import _services, _stream_to
    from studio.services.ask import table_answer, table_ask

    with _services(paths) as sv:
        draft = sv.drafts.get(args.draft) if args.draft is not None else Draft(id=0, title="", form=Form.PROSE)
        draft_id = draft.id or None
        if (table := table_ask(args.question)) is not None:
            answer = table_answer(table)
            out.write(answer + "\n")
            sv.ask.record_table_answer(draft_id, args.question, answer)
            return EXIT_OK
        request = sv.ask.build_request(draft, args.question, max_tokens=args.max_tokens)
        if args.seed is not None:
            from dataclasses import replace

            request = replace(request, seed=args.seed)
        runner = sv.new_model_runner(server_choice(args))
        stored, settings = sv.generation.stored_model()
        results: list[Finished] = []
        try:
            runner.load(getattr(args, "model", None) or stored, settings)
            model_file = runner.model_file
            _stream_to(out, runner, request, results)
        except StudioError:
            raise
        except Exception as exc:  # a llama.cpp surprise: still one line for the writer, the details in the log
            log.exception("ask failed")
            raise GenerationError(msg(QT_TRANSLATE_NOOP("messages", "The model failed while answering ({reason})."),
                                      reason=f"{type(exc).__name__}: {exc}"),
                                  hint=msg(QT_TRANSLATE_NOOP("messages", "The draft is unchanged; try again or "
                                                                         "pick another model."))) from exc
        finally:
            runner.close()
        for f in results:
            sv.ask.record_model_answer(draft_id, request, f, model_file)
        if not any(f.text.strip() for f in results):
            err.write("The model wrote no answer this time; ask again.\n")
        return 130 if any(f.stats.partial for f in results) else EXIT_OK
