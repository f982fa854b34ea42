"""The bundle's entry point: the same ``main`` as the ``studio`` console script (the window with no arguments,
the CLI with them).

``studio -c CODE [ARG...]`` runs CODE as ``python -c`` would: frozen, ``sys.executable`` is this launcher, and
Studio starts ``sys.executable -c`` for work that must not take the window down with it (the engine's CPU probe,
studio/engine/hardware.py); the test suite drives the bundled window the same way. The CLI has no ``-c``, so
nothing a writer types means anything else.
"""

from __future__ import annotations

import sys


def _run_code(code: str, args: list[str]) -> None:
    sys.argv = ["-c", *args]
    exec(compile(code, "<string>", "exec"), {"__name__": "__main__", "__builtins__": __builtins__})


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "-c":
        _run_code(sys.argv[2], sys.argv[3:])
        sys.exit(0)
    from studio.app import main

    sys.exit(main())
