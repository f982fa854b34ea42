"""A child process that works like a writer's session, for the crash test: it opens Studio's services and, in a
loop, autosaves a growing draft, creates drafts and imports files. After each call returns (committed), it
prints one line on stdout and flushes, so the parent knows exactly what was reported saved before its SIGKILL.

Lines: ``ready``; ``autosave <draft_id> <step>``; ``created <draft_id> <sha256 of title+body>``;
``imported <draft_id> <sha256 of title+body>``.
Run: python autosave_driver.py SEED IMPORT_DIR
"""

from __future__ import annotations

import hashlib
import random
import sys
from pathlib import Path

AUTOSAVE_TITLE = "Autosaved novel"


def autosave_body(step: int) -> str:
    """The draft's text after ``step`` autosaves: one more line each time (a writer typing)."""
    return "".join(f"Line {i}: the rain kept on, and she wrote it down — 雨还在下。\n" for i in range(step))


def step_of(body: str) -> int | None:
    """The step whose text ``body`` is exactly, or None when it is none of them."""
    step = body.count("\n")
    return step if autosave_body(step) == body else None


def digest(title: str, body: str) -> str:
    return hashlib.sha256(f"{title}\x00{body}".encode("utf-8", "surrogatepass")).hexdigest()


def main() -> int:
    seed = int(sys.argv[1])
    import_dir = Path(sys.argv[2])
    rng = random.Random(seed)
    from studio.paths import resolve_paths
    from studio.services import Services

    services = Services.open(resolve_paths())
    drafts = services.drafts
    existing = [s for s in drafts.list() if s.title == AUTOSAVE_TITLE]
    if existing:
        draft = drafts.get(existing[0].id)
    else:
        draft = drafts.create(AUTOSAVE_TITLE, "prose", body="")
    step = step_of(draft.body)
    if step is None:  # should never happen; the parent counts it as a loss
        print(f"corrupt-autosave {draft.id}", flush=True)
        step = 0
    print("ready", flush=True)
    out = sys.stdout
    n = 0
    while True:
        n += 1
        roll = rng.random()
        if roll < 0.75:
            step += 1
            draft = drafts.save(draft.id, body=autosave_body(step), expected_version=draft.version)
            out.write(f"autosave {draft.id} {step}\n")
        elif roll < 0.9:
            title = f"Note {seed}-{n}"
            body = "".join(rng.choice("abcdefgh ijk\n") for _ in range(rng.randrange(10, 4000)))
            made = drafts.create(title, "prose", body=body)
            out.write(f"created {made.id} {digest(made.title, made.body)}\n")
        else:
            src = import_dir / f"chapter-{seed}-{n}.md"
            src.write_text(f"# Chapter {seed}-{n}\n\n" + "Words on a page. " * rng.randrange(1, 800) + "\n",
                           encoding="utf-8")
            made = drafts.import_file(src)
            out.write(f"imported {made.id} {digest(made.title, made.body)}\n")
        out.flush()


if __name__ == "__main__":
    sys.exit(main())
