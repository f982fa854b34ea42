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

if TYPE_CHECKING:
    from studio.services.generation import ServerChoice


def server_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--server", metavar="URL", default=None,
                        help="generate on the model server at URL (llama-server or any OpenAI-compatible one) "
                             "instead of a local model (default: "
                             "$STUDIO_SERVER; the API key comes from $STUDIO_API_KEY). Only the prompt leaves this "
                             "machine")


def server_choice(args: argparse.Namespace) -> ServerChoice | None:
    url = getattr(args, "server", None) or os.environ.get("STUDIO_SERVER", "").strip()
    if not url:
        return None
    from studio.services.generation import ServerChoice

    return ServerChoice(url=url, api_key=os.environ.get("STUDIO_API_KEY") or None)


def show_server_model(out: TextIO, server: ServerChoice, info: ModelInfo, caps: EngineCapabilities,
                      model_json: dict[str, Any] | None) -> None:
    """One row (or one JSON entry, when ``model_json`` is given) for the server's model and what it supports."""
    if model_json is not None:
        print_json(out, [{**model_json, "server": server.url, "n_ctx": caps.n_ctx, "capabilities": caps.describe()}])
        return
    params = f"{info.parameters / 1e6:.0f}M" if info.parameters else "?"
    table(out, [[info.source, info.name, info.architecture or "?", params, str(caps.n_ctx), caps.describe()]],
          ["SOURCE", "NAME", "ARCH", "PARAMS", "CTX", "SUPPORTS"])
