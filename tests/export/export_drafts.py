"""Drafts the export tests share, with fixed dates so reference files never change by themselves."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from studio.domain import Draft, Form

DATA = Path(__file__).resolve().parent.parent / "data"
CORPUS = DATA / "corpus"
REFERENCES = DATA / "export"

CREATED = datetime(2024, 5, 1, 9, 30, 0, tzinfo=UTC)
UPDATED = datetime(2024, 5, 2, 21, 15, 7, 123456, tzinfo=UTC)


def corpus(name: str) -> str:
    return (CORPUS / name).read_text(encoding="utf-8").rstrip("\n")


PROSE = """The kettle had been her mother's, and it still whistled a *half-step* flat.

Nora let it go on longer than she needed to. From the hall came the sound of Daniel setting down his bag,
carefully, the way he did everything now.

> "You're early," she said.

* * *

In the morning the snow had covered his tracks."""

POEM = """# of nights I counted the trains:
1. the freight at midnight,
2. the mail at four,
  and then the quiet
    that comes after.

- said the river -
---
<the door> left open,
* * *
=====
the end"""

DRAFTS: dict[str, tuple[Draft, str | None]] = {
    "prose": (Draft(1, "Kettle: a story", Form.PROSE, PROSE, created_at=CREATED, updated_at=UPDATED), "Literary"),
    "poetry": (Draft(2, 'Trains, "counted"', Form.POETRY, POEM, created_at=CREATED, updated_at=UPDATED), None),
    "poetry_zh": (Draft(3, "静夜思", Form.POETRY, corpus("jingyesi_libai.txt"), created_at=CREATED,
                        updated_at=UPDATED), "五言绝句"),
    "lyrics": (Draft(4, "Hold On", Form.LYRICS, corpus("lyrics_en.txt"), created_at=CREATED, updated_at=UPDATED),
               "Folk ballad"),
    "lyrics_zh": (Draft(5, "等候", Form.LYRICS, corpus("lyrics_zh.txt"), created_at=CREATED, updated_at=UPDATED),
                  "中文流行歌词"),
    "screenplay": (Draft(6, "The Night Ferry", Form.SCREENPLAY, corpus("scene.fountain").split("\n\n", 1)[1],
                         created_at=CREATED, updated_at=UPDATED), "Tense thriller"),
}
