"""OutputStream: whole characters only, stop sequences without flicker, whitespace policies."""

from __future__ import annotations

from studio.engine.textstream import Leading, OutputStream


def feed_bytes(stream: OutputStream, data: bytes, step: int = 1) -> list[str]:
    out = [stream.feed(data[i:i + step]) for i in range(0, len(data), step)]
    out.append(stream.finish())
    return out


def test_split_multibyte_characters_never_come_out_broken() -> None:
    text = "春眠不觉晓，处处闻啼鸟 🌸🐦 café"
    s = OutputStream()
    pieces = feed_bytes(s, text.encode("utf-8"), step=1)
    assert all("\ufffd" not in p for p in pieces)
    assert "".join(pieces) == text == s.text
    # Every piece is a run of whole characters, and nothing came out before its last byte arrived.
    assert sum(1 for p in pieces if p) <= len(text)


def test_stop_sequence_is_held_back_and_cut() -> None:
    s = OutputStream(stops=("»",))
    pieces = [s.feed(b) for b in (b" short", b" text", "»".encode(), b" more")]
    pieces.append(s.finish())
    assert s.text == " short text"
    assert s.done and s.stopped_by == "stop"
    assert "»" not in "".join(pieces)


def test_partial_stop_prefix_is_released_when_it_turns_out_not_to_be_a_stop() -> None:
    s = OutputStream(stops=("\nOriginal:",))
    assert s.feed(b"one\nOrig") == "one"
    assert s.feed(b"inally") == "\nOriginally"
    assert s.finish() == ""
    assert s.text == "one\nOriginally"


def test_newline_stop_ignores_leading_newlines() -> None:
    s = OutputStream(stops=("\n",))
    pieces = feed_bytes(s, b"\nA line of verse\nand another", step=4)
    assert "".join(pieces) == s.text == "\nA line of verse"
    assert s.stopped_by == "stop"


def test_leading_spaces_dropped_when_the_draft_ends_with_one() -> None:
    s = OutputStream(leading=Leading.SPACES)
    pieces = feed_bytes(s, b"  and then", step=1)
    assert "".join(pieces) == s.text == "and then"


def test_rewrite_whitespace_trimmed_and_selection_whitespace_restored() -> None:
    s = OutputStream(leading=Leading.ALL, trim_trailing=True, prefix="\n", suffix="  \n")
    pieces = feed_bytes(s, b"\n  New words here.  \n\n", step=3)
    assert "".join(pieces) == s.text == "\nNew words here.  \n"


def test_nothing_generated_gives_empty_text_without_prefix_or_suffix() -> None:
    s = OutputStream(leading=Leading.ALL, trim_trailing=True, prefix=" ", suffix=" ")
    assert feed_bytes(s, b"   ") == ["", "", "", ""]
    assert s.text == ""


def test_line_limit_stops_after_n_lines() -> None:
    s = OutputStream(max_lines=2)
    pieces = feed_bytes(s, b"first line\n\nsecond line\nthird line\n", step=5)
    assert s.stopped_by == "form"
    assert "".join(pieces) == s.text == "first line\n\nsecond line"


def _ask_answer(text: str, step: int = 3) -> tuple[OutputStream, list[str]]:
    s = OutputStream(prefix="1.", trim_trailing=True, list_only=True)
    return s, feed_bytes(s, text.encode("utf-8"), step=step)


def test_a_list_answer_ends_where_the_list_does() -> None:
    """The Ask frame on a base model: the answer is the list; what the model rambles on with after it (seen on the
    real default model: five titles, a blank line, then "How did you answer this question? ...") is not shown."""
    s, pieces = _ask_answer(" The Keeper\n2. Fog Over Harbour\n\n3. The Missing Boat\n\nHow did you answer this "
                            "question? Did it use an essay")
    assert s.text == "1. The Keeper\n2. Fog Over Harbour\n\n3. The Missing Boat"
    assert "".join(pieces) == s.text and s.done and s.stopped_by == "form"
    assert not any("How" in p for p in pieces)  # held back, never flashed up


def test_a_list_answer_keeps_bullets_chinese_numbers_and_lines_that_only_begin_like_a_number() -> None:
    s, _ = _ask_answer(" 灯塔守望者\n二、雾中的港口\n3) 失踪的船\n- 一个名字\n10. 最后一个\n12")
    assert s.text == "1. 灯塔守望者\n二、雾中的港口\n3) 失踪的船\n- 一个名字\n10. 最后一个\n12"
    assert not s.done  # the last line may still become "12. ..."
    s, _ = _ask_answer(" Mara\n2. Tom\n1984 was the year")
    assert s.text == "1. Mara\n2. Tom" and s.done


def test_without_list_only_text_after_a_list_is_kept() -> None:
    s = OutputStream(prefix="1.", trim_trailing=True)
    feed_bytes(s, b" A\n2. B\n\nThen the story went on.")
    assert s.text == "1. A\n2. B\n\nThen the story went on."
