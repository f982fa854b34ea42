"""The CLI's ``--server URL``: generate on a model server instead of a local model: a llama.cpp llama-server or any
OpenAI-compatible server (vLLM, Ollama, LM Studio, llama-cpp-python's); studio/engine/servers.py picks the engine
that does the talking, the CLI only chooses. The API key comes from $STUDIO_API_KEY, never from the command line (it
would stay in the shell's history) and is never printed.
"""

from __future__ import annotations

import argparse
import os
from typing import TYPE_CHECKING, Any, TextIO

from studio.cli.output import print_json, table
from studio.domain import EngineCapabilities, ModelInfo
from studio.domain.servers import ServerReport

if TYPE_CHECKING:
    from studio.services.generation import ServerChoice


def server_arg(parser: argparse.ArgumentParser, *, window: bool = False) -> None:
    """``--server URL`` and ``--no-verify-tls``. On a command they default to SUPPRESS, so the same options given
    before the command (``studio --server URL models``, where the window's options sit) are not overwritten."""
    default = None if window else argparse.SUPPRESS
    where = "write on" if window else "generate on"
    parser.add_argument("--server", metavar="URL", default=default,
                        help=f"{where} the model server at URL (llama-server or any OpenAI-compatible one) "
                             "instead of a local model (default: $STUDIO_SERVER; the API key comes from "
                             "$STUDIO_API_KEY). Only the text sent for generation leaves this machine"
                             + ("; the server is not remembered (Model > Connect to a server... does that)"
                                if window else ""))
    parser.add_argument("--no-verify-tls", action="store_true", default=False if window else argparse.SUPPRESS,
                        help="do not check the server's TLS certificate (https): only for your own server with a "
                             "self-signed certificate")


def server_choice(args: argparse.Namespace) -> ServerChoice | None:
    url = getattr(args, "server", None) or os.environ.get("STUDIO_SERVER", "").strip()
    if not url:
        return None
    from studio.services.generation import ServerChoice

    return ServerChoice(url=url, api_key=os.environ.get("STUDIO_API_KEY") or None,
                        verify=not getattr(args, "no_verify_tls", False))


def show_server_model(out: TextIO, server: ServerChoice, info: ModelInfo, caps: EngineCapabilities,
                      report: ServerReport | None, model_json: dict[str, Any] | None) -> None:
    """One row (or one JSON entry, when ``model_json`` is given) for the server's model, what it supports and, on a
    line under the table, what it does not."""
    if model_json is not None:
        print_json(out, [{**model_json, "server": server.url, "n_ctx": caps.n_ctx, "capabilities": caps.describe(),
                          "server_report": report.to_dict() if report is not None else None}])
        return
    params = f"{info.parameters / 1e6:.0f}M" if info.parameters else "?"
    kind = report.kind if report is not None else "server"
    table(out, [[info.source, kind, info.name, info.architecture or "?", params, str(caps.n_ctx), caps.describe()]],
          ["SOURCE", "KIND", "NAME", "ARCH", "PARAMS", "CTX", "SUPPORTS"])
    if report is not None:
        out.write(f"Context: {report.n_ctx_source}; tokens: {report.tokenizer}; rewrite: {report.rewrite}.\n")
        if report.unavailable:
            out.write(report.unavailable_line() + "\n")
