"""studio/engine/remote_slots.py's books on their own (the real server's side: test_remote_slots.py)."""

from __future__ import annotations

import re

from studio.engine.remote_slots import DraftSlots, SlotPick


def test_least_recently_used_draft_gives_its_slot_up() -> None:
    books = DraftSlots(2, saving=False, namespace="m")
    assert books.pick("a") == SlotPick(0, fresh=True)
    assert books.pick("b") == SlotPick(1, fresh=True)
    assert books.pick("a") == SlotPick(0)  # a is now the most recent
    assert books.pick("c") == SlotPick(1, evicted="b", fresh=True)
    assert books.pick(None) == SlotPick(-1)  # no draft: the server picks
    assert [k for k, _ in books.holding()] == ["a", "c"]


def test_one_slot_is_per_draft_only_with_slot_files() -> None:
    assert DraftSlots(1, saving=False, namespace="m").pick("a") == SlotPick(-1)
    books = DraftSlots(1, saving=True, namespace="m")
    assert books.pick("a") == SlotPick(0, fresh=True)
    assert books.pick("b") == SlotPick(0, evicted="a", fresh=True)


def test_file_names_are_safe_hashes_of_model_and_draft() -> None:
    a, b = DraftSlots(2, saving=True, namespace="model-1"), DraftSlots(2, saving=True, namespace="model-2")
    weird = "../../etc/passwd 草稿\x00"
    name = a.file_name(weird)
    assert re.fullmatch(r"studio-[0-9a-f]{40}\.bin", name)
    assert name == a.file_name(weird) != b.file_name(weird) != a.file_name("other")


def test_the_books_never_guess_low_about_what_a_slot_holds() -> None:
    books = DraftSlots(2, saving=True, namespace="m")
    books.pick("a")
    assert books.known_prefix(0, [1, 2, 3]) == 0  # an unused slot holds nothing of the draft
    books.used(0, [1, 2, 3, 9], "a")  # prompt 1 2 3, then the generated 9
    assert books.known_prefix(0, [1, 2, 3, 9, 4]) == 4
    assert books.known_prefix(0, [1, 5]) == 1
    books.saved("a", 0)
    books.restored("a", 1, ok=True)  # saved by this process: its tokens are known
    assert books.known_prefix(1, [1, 2, 3, 9, 4]) == 4
    other = DraftSlots(2, saving=True, namespace="m")
    other.restored("a", 0, ok=True)  # saved by another process: assume it has it all, read no chunks
    assert other.known_prefix(0, [7, 8]) == 2
    other.restored("a", 0, ok=False)
    assert other.known_prefix(0, [7, 8]) == 0
    books.used(0, [5, 6], None)  # a request without a draft landed on a's slot: a must be restored next time
    assert "a" not in dict(books.holding())
