"""messages.reported: the one way a StudioError from a use case reaches the writer as a dialog."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QInputDialog

from studio.domain import NotFoundError
from studio.ui import messages


def test_reported_shows_a_studio_error_under_its_title_and_stops_the_block(qtbot, dialogs):
    ran_on: list[str] = []
    with messages.reported(None, "The draft could not be renamed") as attempt:
        raise NotFoundError("Draft 7 does not exist.")
        ran_on.append("after the raise")  # never reached
    assert attempt.failed
    assert ran_on == []
    assert dialogs.shown == [("warning", "The draft could not be renamed", "Draft 7 does not exist.")]


def test_reported_shows_nothing_when_the_block_works(qtbot, dialogs):
    with messages.reported(None, "unused") as attempt:
        value = 41 + 1
    assert not attempt.failed and value == 42
    assert dialogs.shown == []


def test_reported_lets_a_bug_through_to_the_excepthook(qtbot, dialogs):
    with pytest.raises(ZeroDivisionError), messages.reported(None, "unused"):
        _ = 1 / 0
    assert dialogs.shown == []


def test_renaming_a_draft_deleted_elsewhere_says_so_and_asks_nothing(make_window, services, qtbot, monkeypatch,
                                                                    dialogs):
    keep = services.drafts.create("Kept", "prose", body="stays")
    gone = services.drafts.create("Gone", "prose", body="goes")
    win = make_window()
    asked: list[object] = []
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: asked.append(a) or ("New", True)))
    services.drafts.trash(gone.id)  # as another Studio (or the CLI) on the same data folder would
    services.drafts.purge(gone.id)
    win.commands.rename_draft(gone.id)
    assert dialogs.titles() == ["The draft could not be renamed"]
    assert asked == []  # the title question never came: there was nothing to rename
    assert services.drafts.get(keep.id).title == "Kept"


def test_a_draft_deleted_while_its_new_title_is_typed_says_so_once(make_window, services, qtbot, monkeypatch,
                                                                 dialogs):
    gone = services.drafts.create("Gone", "prose", body="goes")
    win = make_window()

    def answer_after_it_went(*_a, **_k):
        services.drafts.trash(gone.id)
        services.drafts.purge(gone.id)
        return "New", True

    monkeypatch.setattr(QInputDialog, "getText", staticmethod(answer_after_it_went))
    renamed: list[object] = []
    win.commands.renamed.connect(renamed.append)
    win.commands.rename_draft(gone.id)
    assert dialogs.titles() == ["The draft could not be renamed"]
    assert renamed == []
