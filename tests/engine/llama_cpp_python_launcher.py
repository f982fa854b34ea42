"""Starts llama-cpp-python's own OpenAI-compatible server (``llama_cpp.server``, the ``[server]`` extra) for the
tests: ``python tests/engine/llama_cpp_python_launcher.py MODEL PORT N_CTX [API_KEY]``.

Why not ``python -m llama_cpp.server``: on this machine's CPU llama.cpp's extra (repacked) weight buffers fault
on the first completion, and the server has no option to turn them off. The launcher builds the same app with
``create_app`` while ``use_extra_bufts`` is off in the model parameters (studio/engine/llama_compat.py does the
same for the in-process engine), then serves it with uvicorn on 127.0.0.1.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str]) -> None:
    model, port, n_ctx = argv[0], int(argv[1]), int(argv[2])
    api_key = argv[3] if len(argv) > 3 else None

    import llama_cpp.llama_cpp as llama_c
    import uvicorn
    from llama_cpp.server.app import create_app
    from llama_cpp.server.settings import ModelSettings, ServerSettings

    from studio.engine.llama_compat import model_params

    threads = min(2, os.cpu_count() or 2)
    # The one model is loaded inside create_app (LlamaProxy loads its default model at construction).
    with model_params(llama_c, use_extra_bufts=False):
        app = create_app(
            server_settings=ServerSettings(host="127.0.0.1", port=port, api_key=api_key),
            model_settings=[ModelSettings(model=model, n_ctx=n_ctx, n_threads=threads, n_threads_batch=threads,
                                          verbose=False)])
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


if __name__ == "__main__":
    main(sys.argv[1:])
