"""``python -m studio ARGS`` with faultkit.trace installed: the CLI's own entry point, plus the progress lines the
crash test chooses its kill points from (Studio's stdout and stderr are untouched; the lines go to the trace pipe).

Run: python cli_traced.py drafts new --title ... (any studio command line)
"""

from __future__ import annotations

import sys

from faultkit import trace


def main() -> int:
    trace.install()
    from studio.app import main as studio_main

    return studio_main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
