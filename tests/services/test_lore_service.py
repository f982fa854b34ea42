"""LoreService over a real Store: refusals at save, literal matching (Chinese inside running text, regex
characters, case, whole words), pinned/disabled, scan depth, the request GenerationService builds, Duplicate."""

from __future__ import annotations

import pytest

from studio.domain import DEFAULT_SCAN_CHARS, Action, UsageError
from studio.services.lore import DEFAULT_N_CTX, RESERVED_TOKENS, estimate_tokens, key_found, parse_keys


@pytest.fixture
def draft(sv):
    return sv.drafts.create("Harbour", "prose", body="")


def keys_in(sv, draft_id: int, before: str) -> list[tuple[str, str]]:
    return [(h.text, h.key) for h in sv.lore.triggered(draft_id, before)]


@pytest.mark.parametrize("keys", ["", "   ", " , ，、 ", ["", "  "]])
def test_empty_or_blank_keys_are_refused_and_nothing_is_saved(sv, draft, keys) -> None:
    with pytest.raises(UsageError, match="at least one key"):
        sv.lore.add(draft.id, keys, "Mara keeps the light.")
    assert sv.lore.list(draft.id) == []


@pytest.mark.parametrize("text", ["", " \n\t "])
def test_empty_text_is_refused(sv, draft, text) -> None:
    with pytest.raises(UsageError, match="needs a text"):
        sv.lore.add(draft.id, "Mara", text)
    assert sv.lore.list(draft.id) == []
    entry = sv.lore.add(draft.id, "Mara", "keeper")
    with pytest.raises(UsageError, match="needs a text"):
        sv.lore.update(entry.id, text="  ")
    assert sv.lore.get(entry.id).text == "keeper"


def test_keys_split_on_commas_of_both_languages() -> None:
    assert parse_keys("Mara, 玛拉，灯塔、 Mara ") == ("Mara", "玛拉", "灯塔")


def test_chinese_keys_match_inside_running_text(sv, draft) -> None:
    sv.lore.add(draft.id, "玛拉", "玛拉是守塔人。")
    assert keys_in(sv, draft.id, "那天夜里玛拉点亮了灯。") == [("玛拉是守塔人。", "玛拉")]
    assert keys_in(sv, draft.id, "那天夜里玛丽点亮了灯。") == []
    # Whole-word does not apply to Chinese: there are no spaces to bound a word.
    e = sv.lore.add(draft.id, "灯塔", "灯塔在北端。", whole_word=True)
    assert ("灯塔在北端。", "灯塔") in keys_in(sv, draft.id, "她走向灯塔的门")
    sv.lore.remove(e.id)


def test_regex_characters_in_keys_match_literally(sv, draft) -> None:
    sv.lore.add(draft.id, "Mara.*", "literal star")
    sv.lore.add(draft.id, "[1]", "footnote one")
    assert keys_in(sv, draft.id, "Mara waited.") == []
    assert keys_in(sv, draft.id, "Marabou") == []
    assert keys_in(sv, draft.id, "She wrote Mara.* on the wall") == [("literal star", "Mara.*")]
    assert keys_in(sv, draft.id, "see note [1].") == [("footnote one", "[1]")]
    assert keys_in(sv, draft.id, "see note 1.") == []


def test_english_keys_ignore_case_unless_asked_and_whole_words_when_asked(sv, draft) -> None:
    loose = sv.lore.add(draft.id, "Mara", "loose")
    assert keys_in(sv, draft.id, "MARA called.") == [("loose", "Mara")]
    assert keys_in(sv, draft.id, "the Marathon") == [("loose", "Mara")]  # a part of a word by default
    sv.lore.update(loose.id, whole_word=True)
    assert keys_in(sv, draft.id, "the Marathon") == []
    assert keys_in(sv, draft.id, "“Mara!” she said") == [("loose", "Mara")]
    assert keys_in(sv, draft.id, "Mara的灯") == [("loose", "Mara")]  # a Chinese character ends an English word
    sv.lore.update(loose.id, case_sensitive=True)
    assert keys_in(sv, draft.id, "MARA called.") == []
    assert keys_in(sv, draft.id, "Mara called.") == [("loose", "Mara")]
    assert key_found("straße", "STRASSE", case_sensitive=False)  # casefold, not lower


def test_pinned_always_in_disabled_never(sv, draft) -> None:
    a = sv.lore.add(draft.id, "Mara", "keeper")
    b = sv.lore.add(draft.id, "gull", "the gulls")
    sv.lore.pin(b.id)
    assert [(h.text, h.key, h.pinned) for h in sv.lore.triggered(draft.id, "nothing here")] == [
        ("the gulls", "", True)]
    sv.lore.disable(a.id)
    assert keys_in(sv, draft.id, "Mara came") == [("the gulls", "")]
    sv.lore.disable(a.id, False)
    assert keys_in(sv, draft.id, "Mara came") == [("keeper", "Mara"), ("the gulls", "")]  # prompt order


def test_only_the_last_scan_chars_before_the_cursor_count(sv, draft) -> None:
    sv.lore.add(draft.id, "Mara", "keeper")
    text = "Mara left." + " The sea." * 300  # 2,710 characters: Mara is beyond the default 2,000
    assert keys_in(sv, draft.id, text) == []
    sv.lore.set_scan_chars(draft.id, 3000)
    assert sv.lore.scan_chars(draft.id) == 3000
    assert keys_in(sv, draft.id, text) == [("keeper", "Mara")]
    with pytest.raises(UsageError, match="scan depth"):
        sv.lore.set_scan_chars(draft.id, 0)


def test_an_entry_larger_than_the_context_is_refused_at_save(sv, draft) -> None:
    size = sv.lore.context_size()
    assert (size.n_ctx, size.source, size.exact) == (DEFAULT_N_CTX, "default", False)
    big = "灯" * (DEFAULT_N_CTX - RESERVED_TOKENS + 1)
    with pytest.raises(UsageError, match="too large for the context") as err:
        sv.lore.add(draft.id, "灯塔", big)
    assert "estimated" in str(err.value) and "8,192" in str(err.value)
    assert sv.lore.list(draft.id) == []
    sv.lore.add(draft.id, "灯塔", big[:-1])  # exactly what fits is kept

    # The model settings' context, when the writer set one, is the measure without a model.
    sv.generation.remember_model(None, __import__("studio.domain", fromlist=["LoadSettings"]).LoadSettings(n_ctx=512))
    assert sv.lore.context_size().source == "settings"
    with pytest.raises(UsageError, match="model settings"):
        sv.lore.add(draft.id, "Mara", "word " * 400)  # 2,000 characters: ~667 tokens by the bound
    # A loaded model's own count wins (here: one token per word).
    sv.lore.use_model(512, lambda t: len(t.split()))
    assert sv.lore.add(draft.id, "Mara", "word " * 400).text.startswith("word")
    assert estimate_tokens("abcdef灯") == 3


def test_build_request_carries_the_triggered_entries_and_the_context_preview_names_them(sv, draft) -> None:
    sv.lore.add(draft.id, "Mara,玛拉", "Mara keeps the lighthouse.")
    sv.lore.add(draft.id, "gull", "Gulls nest on the rocks.")
    d = sv.drafts.save(draft.id, body="At dusk 玛拉 climbed the stairs.", expected_version=draft.version)
    req = sv.generation.build_request(d, Action.CONTINUE)
    assert [(h.text, h.key) for h in req.lore] == [("Mara keeps the lighthouse.", "玛拉")]
    # The scan depth goes with them: the engine puts the entries' note just before it (engine/lore_note.py).
    assert req.lore_depth == DEFAULT_SCAN_CHARS
    sv.lore.set_scan_chars(d.id, 800)
    assert sv.generation.build_request(d, Action.CONTINUE).lore_depth == 800
    from studio.domain import Draft

    stdin = Draft(id=0, title="stdin", form=d.form, body=d.body)
    assert sv.generation.build_request(stdin, Action.CONTINUE).lore == ()


def test_duplicate_copies_the_lore_and_purge_removes_it(sv, draft) -> None:
    sv.lore.add(draft.id, "Mara", "keeper", whole_word=True)
    sv.lore.add(draft.id, "灯塔", "北端", pinned=True)
    sv.lore.set_scan_chars(draft.id, 800)
    copy = sv.drafts.duplicate(draft.id)
    got = [(e.keys, e.text, e.pinned, e.whole_word) for e in sv.lore.list(copy.id)]
    assert got == [(("Mara",), "keeper", False, True), (("灯塔",), "北端", True, False)]
    assert sv.lore.scan_chars(copy.id) == 800
    sv.drafts.trash(draft.id)
    sv.drafts.purge(draft.id)
    assert len(sv.lore.list(copy.id)) == 2  # the copy's own
