"""Writing exports: safe names, atomic writes that fail cleanly, formats by suffix, batches with equal titles."""

from __future__ import annotations

import errno
import os
import unicodedata
from pathlib import Path
from typing import Self

import pytest
from export_drafts import CREATED, DRAFTS

from studio.domain import Draft, ExportError, Form, UsageError
from studio.export import files
from studio.export.files import MAX_NAME_BYTES, export_all, export_draft, safe_filename, write_atomic
from studio.export.imports import parse_import
from tests.unprivileged import call_unprivileged


@pytest.mark.parametrize(
    ("title", "ext", "expected"),
    [
        ("My Poem", "md", "My Poem.md"),
        ("My Poem", ".md", "My Poem.md"),
        ("Act 1: The Fall", "md", "Act 1_ The Fall.md"),
        ('a<b>c:d"e/f\\g|h?i*j', "txt", "a_b_c_d_e_f_g_h_i_j.txt"),
        ("CON", "md", "_CON.md"),
        ("nul", "txt", "_nul.txt"),
        ("com1.backup", "md", "_com1.backup.md"),
        ("LPT9", "md", "_LPT9.md"),
        ("CONSOLE", "md", "CONSOLE.md"),
        ("trailing dots...", "md", "trailing dots.md"),
        ("  spaces  ", "md", "spaces.md"),
        (".hidden", "md", "hidden.md"),
        ("", "md", "untitled.md"),
        ("   ", "md", "untitled.md"),
        ("???", "md", "untitled.md"),
        ("...", "md", "untitled.md"),
        ("line\nbreak\ttab", "md", "line break tab.md"),
        ("bell\x07and\x00nul", "md", "bell_and_nul.md"),
        ("静夜思", "md", "静夜思.md"),
        ("李白：静夜思", "md", "李白：静夜思.md"),  # the full-width colon is an ordinary character
        ("moon 🌙", "fountain", "moon 🌙.fountain"),
        ("evil\u202egnp.exe", "md", "evilgnp.exe.md"),  # no right-to-left override tricks
        ("Title", "", "Title"),
    ],
)
def test_safe_filename(title: str, ext: str, expected: str) -> None:
    assert safe_filename(title, ext) == expected


@pytest.mark.parametrize("title", ["a" * 500, "静" * 200, "🌙" * 100, "é" * 300, "e\u0301" * 200, "👨‍👩‍👧" * 40,
                                   "x" * 115 + "👨‍👩‍👧"])
def test_long_names_are_cut_on_character_boundaries(title: str) -> None:
    name = safe_filename(title, "md")
    encoded = name.encode("utf-8")
    assert len(encoded) <= MAX_NAME_BYTES
    assert name.endswith(".md")
    stem = name[:-3]
    title = unicodedata.normalize("NFC", title)
    assert title.startswith(stem)  # a prefix of the title: nothing split or replaced
    assert not stem.endswith("\u200d") and not title[len(stem):].startswith(("\u0301", "\u200d"))


def test_suffix_survives_the_cut() -> None:
    name = safe_filename("a" * 500, "md", suffix=" (2)")
    assert name.endswith(" (2).md") and len(name.encode()) <= MAX_NAME_BYTES


def test_write_atomic_writes_utf8(tmp_path: Path) -> None:
    target = tmp_path / "poem.md"
    write_atomic(target, "床前明月光\nline two\n")
    assert target.read_bytes() == "床前明月光\nline two\n".encode()
    write_atomic(target, "replaced")
    assert target.read_text(encoding="utf-8") == "replaced"
    assert [p.name for p in tmp_path.iterdir()] == ["poem.md"]
    if os.name == "posix":
        assert target.stat().st_mode & 0o777 == 0o644  # not mkstemp's private 0600


def test_write_atomic_into_missing_folder(tmp_path: Path) -> None:
    target = tmp_path / "nope" / "poem.md"
    with pytest.raises(ExportError) as info:
        write_atomic(target, "text")
    assert str(target) in str(info.value) and "folder does not exist" in str(info.value)
    assert not (tmp_path / "nope").exists()


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_write_atomic_into_read_only_folder(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    target = folder / "poem.md"
    target.write_text("old text", encoding="utf-8")
    folder.chmod(0o500)
    try:
        with pytest.raises(ExportError, match="permission denied"):
            call_unprivileged(write_atomic, target, "new text")  # as root too: the mode bits bite there
        assert target.read_text(encoding="utf-8") == "old text"
        assert _leftovers(folder) == ["poem.md"]
    finally:
        folder.chmod(0o700)


def test_disk_full_while_writing_leaves_old_file_and_no_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "poem.md"
    target.write_text("old text", encoding="utf-8")
    real_fdopen = os.fdopen

    class FullDisk:
        def __init__(self, fd: int, *args: object, **kwargs: object) -> None:
            self._fh = real_fdopen(fd, "wb")

        def __enter__(self) -> Self:
            return self

        def __exit__(self, *exc: object) -> None:
            self._fh.close()

        def write(self, data: bytes) -> int:
            self._fh.write(data[: len(data) // 2])  # half of it made it to disk, then the disk filled up
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files.os, "fdopen", FullDisk)
    with pytest.raises(ExportError) as info:
        write_atomic(target, "new text " * 1000)
    assert "the disk is full" in str(info.value) and str(target) in str(info.value)
    assert target.read_text(encoding="utf-8") == "old text"
    assert _leftovers(tmp_path) == ["poem.md"]


def test_failed_replace_leaves_old_file_and_no_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "poem.md"
    target.write_text("old text", encoding="utf-8")

    def refuse(src: object, dst: object) -> None:
        raise OSError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(files.os, "replace", refuse)
    with pytest.raises(ExportError, match="permission denied"):
        write_atomic(target, "new text")
    assert target.read_text(encoding="utf-8") == "old text"
    assert _leftovers(tmp_path) == ["poem.md"]


def test_failed_fsync_is_an_export_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(fd: int) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(files.os, "fsync", broken)
    with pytest.raises(ExportError, match="Input/output error"):
        write_atomic(tmp_path / "new.md", "text")
    assert _leftovers(tmp_path) == []


def test_target_is_a_folder(tmp_path: Path) -> None:
    (tmp_path / "taken.md").mkdir()
    with pytest.raises(ExportError):
        write_atomic(tmp_path / "taken.md", "text")
    assert _leftovers(tmp_path) == ["taken.md"]


@pytest.mark.parametrize(("suffix", "starts"), [(".md", "---\n"), (".fountain", "Title: "),
                                                (".html", "<!DOCTYPE html>"), (".txt", "The kettle")])
def test_export_draft_format_by_suffix(tmp_path: Path, suffix: str, starts: str) -> None:
    draft, style = DRAFTS["prose"]
    path = export_draft(draft, tmp_path / f"out{suffix}", style)
    assert path == tmp_path / f"out{suffix}"
    assert path.read_text(encoding="utf-8").startswith(starts)


def test_export_draft_defaults(tmp_path: Path) -> None:
    draft, _ = DRAFTS["poetry_zh"]
    assert export_draft(draft, tmp_path / "noext") == tmp_path / "noext.md"
    assert export_draft(draft, tmp_path) == tmp_path / "静夜思.md"
    play, _ = DRAFTS["screenplay"]
    assert export_draft(play, tmp_path) == tmp_path / "The Night Ferry.fountain"
    with pytest.raises(UsageError, match=r"\.docx"):
        export_draft(draft, tmp_path / "out.docx")


def test_export_all_gives_equal_titles_unique_names(tmp_path: Path) -> None:
    drafts = [Draft(1, "Poem", Form.POETRY, "one"), Draft(2, "poem", Form.POETRY, "two"),
              Draft(3, "Poem", Form.POETRY, "three", style_id=7), Draft(4, "", Form.PROSE, "four"),
              Draft(5, "CON", Form.PROSE, "five")]
    out = tmp_path / "new" / "folder"
    paths = export_all(drafts, out, style_names={7: "Haiku"})
    assert [p.name for p in paths] == ["Poem.md", "poem (2).md", "Poem (3).md", "untitled.md", "_CON.md"]
    assert 'style: "Haiku"' in paths[2].read_text(encoding="utf-8")
    assert [parse_import(p).body for p in paths] == ["one", "two", "three", "four", "five"]
    again = export_all(drafts, out)  # exporting again replaces, it does not pile up copies
    assert again == paths and len(list(out.iterdir())) == 5


def test_export_all_cannot_create_folder(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ExportError, match="Could not create the folder"):
        export_all([Draft(1, "A", Form.PROSE, "a", created_at=CREATED)], blocker / "sub")
