"""Importing files: encodings, binary refusal, front matter, and round trips of Studio's own exports."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from export_drafts import DRAFTS

from studio.domain import Draft, Form, ImportFileError
from studio.export.files import export_draft
from studio.export.imports import ImportedDraft, clean_text, parse_front_matter, parse_import, read_text_file
from studio.forms.fountain import UNPRINTED, parse
from tests.unprivileged import call_unprivileged

POEM_ZH = "床前明月光，疑是地上霜。\n举头望明月，低头思故乡。\n"
PROSE_ZH = "外婆家的院子里有一口井。夏天的傍晚，她把西瓜用网兜吊下去，等我们洗完澡，再慢慢摇上来。\n"
POEM_TW = "床前明月光，疑是地上霜。\n舉頭望明月，低頭思故鄉。\n"
WESTERN = "The café’s “special” — crème brûlée, naïve façade.\nSecond line.\n"


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("text", "encoding", "reported"),
    [
        (POEM_ZH + PROSE_ZH, "utf-8", "utf-8"),
        (POEM_ZH, "utf-8-sig", "utf-8"),
        (POEM_ZH + PROSE_ZH, "gb18030", "gb18030"),
        ("静夜思", "gb18030", "gb18030"),  # three characters: too short for statistics, the byte structure decides
        (POEM_ZH, "gbk", "gb18030"),
        (POEM_TW, "big5", "big5"),
        ("靜夜思", "big5", "big5"),
        (WESTERN, "cp1252", "cp1252"),
        ("café", "cp1252", "cp1252"),
        ("Ça va très bien, merci. Où est la bibliothèque?", "latin-1", "cp1252"),
        (POEM_ZH + "moon 🌙\n", "utf-16", "utf-16"),  # Python writes a BOM for "utf-16"
        ("\ufeff" + POEM_ZH, "utf-16-be", "utf-16"),
        ("\ufeff" + POEM_ZH, "utf-32-le", "utf-32"),
        ("Plain ASCII text.\n" * 3, "utf-16-le", "utf-16-le"),  # no BOM: told apart by its NUL pattern
        ("Привет, как дела? Это небольшой тестовый текст для проверки кодировки.\n", "cp1251", "cp1251"),
    ],
)
def test_read_text_file_encodings(tmp_path: Path, text: str, encoding: str, reported: str) -> None:
    path = write(tmp_path, "in.txt", text.encode(encoding))
    got, name = read_text_file(path)
    assert got == text.removeprefix("\ufeff").replace("\r\n", "\n")
    assert name == reported


def test_newlines_nul_and_surrogates_are_cleaned(tmp_path: Path) -> None:
    path = write(tmp_path, "in.txt", b"one\r\ntwo\rthree\n")
    assert read_text_file(path) == ("one\ntwo\nthree\n", "utf-8")
    # A NUL character inside UTF-16 text decodes to U+0000; it is dropped.
    path = write(tmp_path, "w.txt", "a\x00b\r\n".encode("utf-16"))
    assert read_text_file(path)[0] == "ab\n"
    assert clean_text("\ufeffa\ud800b\x00") == "ab"


def test_empty_file(tmp_path: Path) -> None:
    assert read_text_file(write(tmp_path, "empty.txt", b"")) == ("", "utf-8")


@pytest.mark.parametrize(
    ("name", "data", "why"),
    [
        ("model.txt", b"GGUF\x03\x00\x00\x00" + bytes(200), "GGUF model"),
        ("image.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "PNG image"),
        ("photo.md", b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(100), "JPEG image"),
        ("doc.txt", b"PK\x03\x04\x14\x00" + bytes(100), ".docx"),
        ("doc.md", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF"),
        ("blob.txt", b"text then \x00\x01\x02\x03 binary \xff\xfe\xfd" * 20, "binary"),
        ("ctrl.txt", bytes(range(1, 32)) * 20, "binary"),
        ("noise.txt", bytes(range(128, 256)) * 3, "encoding"),
    ],
)
def test_binary_and_undecidable_files_are_refused(tmp_path: Path, name: str, data: bytes, why: str) -> None:
    path = write(tmp_path, name, data)
    with pytest.raises(ImportFileError) as info:
        read_text_file(path)
    assert name in str(info.value) and why in str(info.value)


def test_missing_folder_and_unreadable(tmp_path: Path) -> None:
    with pytest.raises(ImportFileError, match="does not exist"):
        read_text_file(tmp_path / "missing.txt")
    with pytest.raises(ImportFileError, match="folder"):
        read_text_file(tmp_path)
    if os.name == "posix":
        locked = write(tmp_path, "locked.txt", b"secret")
        locked.chmod(0)
        try:
            with pytest.raises(ImportFileError, match="permission denied"):
                call_unprivileged(read_text_file, locked)  # as root too: the mode bits bite there
        finally:
            locked.chmod(0o600)


def test_unsupported_suffix(tmp_path: Path) -> None:
    for name in ("story.docx", "story.rtf", "story"):
        path = write(tmp_path, name, b"text")
        with pytest.raises(ImportFileError, match="imports .md, .txt and .fountain"):
            parse_import(path)


def test_txt_import_takes_its_title_from_the_name(tmp_path: Path) -> None:
    path = write(tmp_path, "静夜思.txt", POEM_ZH.encode("gb18030"))
    assert parse_import(path) == ImportedDraft("静夜思", Form.PROSE, POEM_ZH, "", "gb18030")


def test_fountain_import(tmp_path: Path) -> None:
    src = Path(__file__).resolve().parent.parent / "data" / "corpus" / "scene.fountain"
    path = write(tmp_path, "scene.fountain", src.read_bytes())
    draft = parse_import(path)
    assert (draft.title, draft.form) == ("The Night Ferry", Form.SCREENPLAY)
    # Title moved to the draft's title; the rest of the title page stays with the script.
    assert draft.body.startswith("Credit: Written by\nAuthor: Studio Tests\nDraft date: 2024-05-01\n\n# Act One")
    emphasis = write(tmp_path, "b.fountain", b"Title: _**BRICK & STEEL**_\n\nEXT. PATIO - DAY")
    assert parse_import(emphasis).title == "BRICK & STEEL"
    untitled = write(tmp_path, "untitled play.fountain", b"EXT. PATIO - DAY\n\nSun.")
    assert parse_import(untitled) == ImportedDraft("untitled play", Form.SCREENPLAY, "EXT. PATIO - DAY\n\nSun.")


def test_markdown_from_elsewhere(tmp_path: Path) -> None:
    plain = write(tmp_path, "notes.md", b"# Chapter One\n\nIt was *cold*.\n")
    assert parse_import(plain) == ImportedDraft("Chapter One", Form.PROSE, "It was *cold*.")
    obsidian = write(tmp_path, "o.md", b"---\ntitle: 'It''s here'\ntags: [a, b]\nform: essay\naliases:\n  - x\n---\n"
                                       b"Body # not a comment\n")
    assert parse_import(obsidian) == ImportedDraft("It's here", Form.PROSE, "Body # not a comment")
    no_title = write(tmp_path, "just text.md", b"Some words.")
    assert parse_import(no_title).title == "just text"


def test_front_matter_reader() -> None:
    meta, rest = parse_front_matter('---\ntitle: "a\\"b\\u00e9\\x41\\n"\nform: poetry # comment\nwords: 3\n---\nbody')
    assert meta == {"title": 'a"béA\n', "form": "poetry", "words": "3"}
    assert rest == "body"
    assert parse_front_matter("---\nunclosed: yes\n") == ({}, "---\nunclosed: yes\n")
    assert parse_front_matter("no front matter") == ({}, "no front matter")


@pytest.mark.parametrize("key", list(DRAFTS))
@pytest.mark.parametrize("suffix", [".md", ".txt", ".fountain"])
def test_round_trip_of_our_own_exports(tmp_path: Path, key: str, suffix: str) -> None:
    draft, style = DRAFTS[key]
    path = export_draft(draft, tmp_path / f"export{suffix}", style)
    back = parse_import(path)
    if suffix == ".txt":
        assert (back.title, back.body.rstrip("\n")) == ("export", draft.body)
        return
    assert back.title == draft.title
    if suffix == ".fountain":
        assert back.form == Form.SCREENPLAY
        if draft.form == Form.SCREENPLAY:
            assert back.body == draft.body
        return
    assert back.form == draft.form
    if draft.form == Form.SCREENPLAY:
        # The Markdown is the printed script: what prints comes back; notes, sections and boneyard do not.
        printed = [(e.kind, e.text) for e in parse(draft.body) if e.kind not in UNPRINTED]
        assert [(e.kind, e.text) for e in parse(back.body) if e.kind not in UNPRINTED] == printed
    else:
        assert back.body == draft.body


@pytest.mark.parametrize("title", ['Act 1: "The Fall"', "line one\nline two", "静夜思：李白", "🌙 # moon", "a\\b"])
def test_awkward_titles_round_trip(tmp_path: Path, title: str) -> None:
    draft = Draft(1, title, Form.POETRY, "one\ntwo")
    back = parse_import(export_draft(draft, tmp_path / "t.md"))
    assert (back.title, back.body) == (title, "one\ntwo")


def test_unreadable_file_simulated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Root ignores file permissions, so the refusal is simulated where the read happens.
    path = write(tmp_path, "locked.txt", b"secret")

    def deny(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", deny)
    with pytest.raises(ImportFileError, match="locked.txt: permission denied"):
        read_text_file(path)


def test_huge_file_is_refused_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from studio.export import imports

    monkeypatch.setattr(imports, "MAX_IMPORT_BYTES", 10)
    with pytest.raises(ImportFileError, match="up to 64 MB"):
        read_text_file(write(tmp_path, "big.txt", b"x" * 11))
