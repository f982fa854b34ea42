"""`studio models catalog [--json]` and `studio models get NAME | OWNER/REPO:FILE.gguf`: the curated catalogue
with fit advice for this machine, and a download that resumes after a cancel, a crash or `kill -9`.

Exit codes of `get`: 0 done (or already there), 3 the bytes do not match the hub's SHA-256 (nothing is left among
the models), 1 a network failure (the partial file is kept for the next try) or refused access, 4 a disk too
full, 130 interrupted (the partial is kept). Progress goes to stderr, the model's path to stdout.
"""

from __future__ import annotations

import argparse
import signal
import threading
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any, TextIO

from studio.cli.output import EXIT_OK, print_json, table
from studio.paths import Paths

if TYPE_CHECKING:
    from studio.services.models import MachineFacts, ModelShop, Progress


def add_model_actions(models: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    """`catalog` and `get` under `studio models` (which alone still lists the models here)."""
    sub = models.add_subparsers(dest="models_command", metavar="ACTION")
    c = sub.add_parser("catalog", parents=[common], help="models worth getting, and how each would run here")
    c.add_argument("--json", action="store_true")
    g = sub.add_parser("get", parents=[common], help="download a catalogue model (NAME) or OWNER/REPO:FILE.gguf "
                       "into the models folder (resumes an interrupted download; mirror: $HF_ENDPOINT, gated "
                       "models: $HF_TOKEN)")
    g.add_argument("spec", metavar="NAME|OWNER/REPO:FILE.gguf")
    f = sub.add_parser("files", parents=[common], help="list a hub repo's .gguf files and the one to take here")
    f.add_argument("repo", metavar="OWNER/REPO")
    f.add_argument("--json", action="store_true")


def cmd_model_action(args: argparse.Namespace, paths: Paths, out: TextIO, err: TextIO) -> int:
    from studio.services import Services

    sv = Services.open(paths)
    try:
        shop = sv.model_shop()
        if args.models_command == "catalog":
            return _catalog(shop, args, out, err)
        if args.models_command == "files":
            return _files(shop, args, out, err)
        return _get(shop, args.spec, out, err)
    finally:
        sv.close()


def _catalog(shop: ModelShop, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    facts = shop.machine()
    choices = shop.catalogue_fits(facts)
    if args.json:
        print_json(out, [{"name": c.entry.name, "title": c.entry.title, "repo": c.entry.repo, "file": c.entry.file,
                          "size_bytes": c.entry.size_bytes, "params_b": c.entry.params_b, "licence": c.entry.licence,
                          "languages": list(c.entry.languages), "kind": c.entry.kind, "thinks": c.entry.thinks,
                          "writes": c.entry.writes, "source": c.entry.source, "downloaded": c.downloaded,
                          "fit": _fit_json(c.fit)} for c in choices])
        return EXIT_OK
    table(out, [[c.entry.name, _size(c.entry.size_bytes), ",".join(c.entry.languages), c.entry.licence,
                 c.fit.label + (" (here)" if c.downloaded else ""), c.entry.writes] for c in choices],
          ["NAME", "SIZE", "LANG", "LICENCE", "FIT", "WRITES WELL"])
    err.write(machine_line(facts) + "\n")
    for c in choices:
        if c.fit.verdict != "runs well":
            err.write(f"  {c.entry.name}: {c.fit.verdict}: {c.fit.reason}\n")
    err.write("Get one with: studio models get NAME\n")
    return EXIT_OK


def _files(shop: ModelShop, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    listing = shop.repo_files(args.repo)
    if args.json:
        print_json(out, {"repo": listing.repo, "recommended": listing.recommended, "why": listing.why,
                         "files": [{"file": f.file.path, "size_bytes": f.file.size, "quant": f.quant,
                                    "sha256": f.file.sha256, "usable": f.usable, "fit": _fit_json(f.fit)}
                                   for f in listing.files]})
        return EXIT_OK
    table(out, [["*" if f.file.path == listing.recommended else "", f.file.path, _size(f.file.size),
                 f.quant or "?", f.fit.label if f.usable else "not a whole model file"] for f in listing.files],
          ["", "FILE", "SIZE", "QUANT", "FIT"])
    if listing.recommended:
        err.write(f"Recommended: {listing.why}\nGet it with: studio models get {listing.repo}:{listing.recommended}\n")
    else:
        err.write(f"Nothing to recommend: {listing.why}.\n")
    return EXIT_OK


def _get(shop: ModelShop, spec: str, out: TextIO, err: TextIO) -> int:
    cancel = threading.Event()
    previous = None
    if threading.current_thread() is threading.main_thread():
        def _on_sigint(signum: int, frame: FrameType | None) -> None:
            cancel.set()
            signal.signal(signal.SIGINT, signal.default_int_handler)

        previous = signal.signal(signal.SIGINT, _on_sigint)
    shown = _ProgressLine(err)
    try:
        path = shop.get(spec, on_info=shown.started, on_progress=shown.update, cancel=cancel)
    finally:
        shown.close()
        if previous is not None:
            signal.signal(signal.SIGINT, previous)
    out.write(f"{path}\n")
    err.write(f"{Path(path).name} is in the models folder: choose it in Model settings, or run with --model {path}\n")
    return EXIT_OK


class _ProgressLine:
    """One line redrawn in place on a terminal; a line per 10% otherwise (a log or a pipe)."""

    def __init__(self, err: TextIO) -> None:
        self._err = err
        self._tty = hasattr(err, "isatty") and err.isatty()
        self._last_decile = -1
        self._drawn = False

    def started(self, info: Any) -> None:
        self._err.write(f"Downloading {info.repo}:{info.path} ({_size(info.size)}) from the hub\n")

    def update(self, p: Progress) -> None:
        line = progress_text(p)
        if self._tty:
            self._err.write("\r" + line.ljust(72))
            self._drawn = True
        else:
            decile = int(p.fraction * 10)
            if decile != self._last_decile:
                self._last_decile = decile
                self._err.write(line + "\n")
        self._err.flush()

    def close(self) -> None:
        if self._drawn:
            self._err.write("\n")


def progress_text(p: Progress) -> str:
    left = p.seconds_left
    speed = f"{p.bytes_per_s / 1e6:.1f} MB/s" if p.bytes_per_s > 0 else "…"
    eta = "" if left is None else f", {_duration(left)} left"
    resumed = f" (resumed at {p.resumed_from / 1e6:,.0f} MB)" if p.resumed_from else ""
    return f"{p.fraction * 100:5.1f}%  {p.done / 1e6:,.0f} of {p.total / 1e6:,.0f} MB  {speed}{eta}{resumed}"


def machine_line(facts: MachineFacts) -> str:
    ram = f"{facts.total_ram / 1e9:.0f} GB memory" if facts.total_ram else "memory unknown"
    free = f" ({facts.available_ram / 1e9:.0f} GB free)" if facts.available_ram is not None else ""
    disk = f"{facts.free_disk / 1e9:.0f} GB free disk" if facts.free_disk is not None else "free disk unknown"
    gpu = "this llama.cpp can offload to a GPU" if facts.gpu_offload else \
        "this llama.cpp runs on the CPU only (no GPU offload in this build)"
    return f"This machine: {ram}{free}, {facts.physical_cores} cores, {disk}; {gpu}."


def _fit_json(fit: Any) -> dict[str, Any]:
    return {"verdict": str(fit.verdict), "tokens_per_s": round(fit.tokens_per_s, 2), "reason": fit.reason,
            "measured": fit.measured}


def _size(n: int) -> str:
    return f"{n / 1e9:.1f} GB" if n >= 1e9 else f"{n / 1e6:.0f} MB"


def _duration(s: float) -> str:
    if s < 90:
        return f"{s:.0f} s"
    if s < 5400:
        return f"{s / 60:.0f} min"
    return f"{s / 3600:.1f} h"
