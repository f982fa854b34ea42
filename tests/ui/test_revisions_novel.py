"""The revisions dialog on a novel: two 200,000-word revisions compared in the real window over real SQLite."""

from __future__ import annotations

import random
import re
import string

import pytest

from studio.domain import RevisionReason


@pytest.mark.timeout(120)  # the difflib word diff this replaced needed hours for this pair
def test_revisions_dialog_compares_two_revisions_of_a_novel(make_window, services, qtbot):
    rnd = random.Random(9)
    vocab = ["".join(rnd.choices(string.ascii_lowercase, k=rnd.randint(1, 9))) for _ in range(3000)]
    paras = [" ".join(rnd.choices(vocab, k=120)).capitalize() + "." for _ in range(1_700)]
    revised = list(paras)
    edited = range(0, len(paras), 17)  # a hundred scattered paragraphs get one word more
    for k in edited:
        revised[k] = revised[k].replace(" ", " lantern ", 1)
    old, new = "\n\n".join(paras), "\n\n".join(revised)
    assert len(old.split()) >= 200_000
    draft = services.drafts.create("Novel", "prose", body=old)
    services.drafts.snapshot(draft.id, RevisionReason.MANUAL)
    services.drafts.save(draft.id, body=new)

    win = make_window()
    assert win.editor.plain_text() == new
    dlg = win.show_revisions()
    assert dlg is not None
    dlg.list.setCurrentRow(next(i for i, r in enumerate(dlg._revisions) if r.reason == RevisionReason.MANUAL))
    qtbot.waitUntil(lambda: "From this revision to now" in dlg.summary.text(), timeout=30_000)
    counts = re.findall(r"([+−])([\d,]+)", dlg.summary.text())
    assert counts == [("+", f"{len(' lantern') * len(edited):,}"), ("−", "0")], dlg.summary.text()
    assert dlg.diff.toPlainText().count("lantern") >= 10
