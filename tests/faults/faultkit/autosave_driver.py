"""A child process that works like a writer's session, for the crash test: it opens Studio's services and, in a
loop, autosaves a growing draft, creates drafts and imports files.

Progress goes to the parent through faultkit.trace: the phases of Studio's own work (open, backup, migration,
seed, write: BEGIN when one starts, RESULT when it ended), and after each call returned (committed) one line
saying what is now saved, so the parent knows exactly what was reported saved before its SIGKILL:
``READY``; ``SAVED autosave <draft_id> <step>``; ``SAVED created <draft_id> <sha256 of title+body>``;
``SAVED imported <draft_id> <sha256 of title+body>``; ``PROBLEM corrupt-autosave <draft_id>``.
Run: python autosave_driver.py SEED IMPORT_DIR
"""

from __future__ import annotations

import hashlib
import random
import sys
from pathlib import Path

AUTOSAVE_TITLE = "Autosaved novel"


# The autosaved draft is a chapter a writer is well into (about 100 KB), so each save is the size of a real one
# and takes long enough for a kill to land inside it.
_CHAPTER_WORDS = ("rain", "harbour", "letter", "lamp", "door", "night", "she", "wrote", "it", "down", "and")
CHAPTER = "".join(" ".join(_CHAPTER_WORDS[(i * 7 + j) % len(_CHAPTER_WORDS)] for j in range(14)) + ".\n"
                  for i in range(1200))


def autosave_body(step: int) -> str:
    """The draft's text after ``step`` autosaves: the chapter so far, one more line each time (a writer typing)."""
    return CHAPTER + "".join(f"Line {i}: the rain kept on, and she wrote it down — 雨还在下。\n" for i in range(step))


def step_of(body: str) -> int | None:
    """The step whose text ``body`` is exactly, or None when it is none of them."""
    step = body.count("\n") - CHAPTER.count("\n")
    return step if step >= 0 and autosave_body(step) == body else None


def digest(title: str, body: str) -> str:
    return hashlib.sha256(f"{title}\x00{body}".encode("utf-8", "surrogatepass")).hexdigest()


def main() -> int:
    seed = int(sys.argv[1])
    import_dir = Path(sys.argv[2])
    rng = random.Random(seed)
    from faultkit import trace

    trace.install()
    from studio.paths import resolve_paths
    from studio.services import Services

    services = Services.open(resolve_paths())
    drafts = services.drafts
    existing = [s for s in drafts.list() if s.title == AUTOSAVE_TITLE]
    if existing:
        draft = drafts.get(existing[0].id)
    else:
        draft = drafts.create(AUTOSAVE_TITLE, "prose", body=autosave_body(0))
    step = step_of(draft.body)
    if step is None:  # should never happen; the parent counts it as a loss
        trace.emit(f"PROBLEM corrupt-autosave {draft.id}")
        step = 0
    trace.emit("READY")
    n = 0
    while True:
        n += 1
        roll = rng.random()
        if roll < 0.75:
            step += 1
            draft = drafts.save(draft.id, body=autosave_body(step), expected_version=draft.version)
            trace.emit(f"SAVED autosave {draft.id} {step}")
        elif roll < 0.9:
            title = f"Note {seed}-{n}"
            body = "".join(rng.choice("abcdefgh ijk\n") for _ in range(rng.randrange(10, 4000)))
            made = drafts.create(title, "prose", body=body)
            trace.emit(f"SAVED created {made.id} {digest(made.title, made.body)}")
        else:
            src = import_dir / f"chapter-{seed}-{n}.md"
            src.write_text(f"# Chapter {seed}-{n}\n\n" + "Words on a page. " * rng.randrange(1, 800) + "\n",
                           encoding="utf-8")
            made = drafts.import_file(src)
            trace.emit(f"SAVED imported {made.id} {digest(made.title, made.body)}")


if __name__ == "__main__":
    sys.exit(main())
