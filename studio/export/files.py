"""Writing exports to disk: names that work on every platform, and writes that never leave half a file."""

from __future__ import annotations

import errno
import logging
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from studio.domain import Draft, ExportError, Form, LoreEntry, UsageError
from studio.domain.files import fsync_dir
from studio.domain.i18n import QT_TRANSLATE_NOOP, msg
from studio.export.fountain import draft_to_fountain
from studio.export.markdown import draft_to_markdown, render_html

log = logging.getLogger(__name__)

MAX_NAME_BYTES = 120  # well under the 255-byte limit of ext4/APFS/NTFS, leaving room for " (12)" and a folder
_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f-\x9f]')
# Bidirectional controls can make "txt.exe" display as "exe.txt": never put them in a file name.
_BIDI = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_RESERVED = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$", "CLOCK$"} | {
    f"{p}{n}" for p in ("COM", "LPT") for n in (*"123456789", "¹", "²", "³")
}
# Characters that must stay attached to the one before them when a name is cut short.
_JOINERS = {"\u200d", "\ufe0e", "\ufe0f"}


def _attached(ch: str) -> bool:
    return ch in _JOINERS or unicodedata.category(ch) in ("Mn", "Me", "Mc") or "\U0001f3fb" <= ch <= "\U0001f3ff"


def _cut(stem: str, max_bytes: int) -> str:
    """``stem`` cut to at most ``max_bytes`` of UTF-8 without splitting a character, an accent from its letter,
    or an emoji sequence joined with ZWJ."""
    if len(stem.encode("utf-8")) <= max_bytes:
        return stem
    out = stem.encode("utf-8")[:max_bytes].decode("utf-8", errors="ignore")
    # Step back while the cut would separate a mark, variation selector or skin tone from its base, or fall
    # inside a ZWJ emoji sequence ("👨‍👩‍👧" is one picture): drop the whole cluster instead.
    while out:
        following = stem[len(out)] if len(out) < len(stem) else ""
        if (following and _attached(following)) or out[-1] == "\u200d":
            out = out[:-1]
            continue
        break
    return out


def _clean_stem(title: str) -> str:
    text = unicodedata.normalize("NFC", title)
    text = re.sub("[\ud800-\udfff]", "", text)  # lone surrogates cannot be encoded in any file system
    text = _BIDI.sub("", text)
    text = re.sub(r"[\r\n\t\f\v]+", " ", text)
    text = _FORBIDDEN.sub("_", text)
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"_{2,}", "_", text)
    # Leading dots hide files on Unix; trailing dots and spaces are silently dropped by Windows.
    text = text.strip(" .")
    return text if text.strip("_") else ""  # "???" is not a name worth keeping as "_"


def _normalise_ext(ext: str) -> str:
    ext = ext.strip().lstrip(".")
    ext = re.sub(r"[^A-Za-z0-9]", "", ext)
    return "." + ext.lower() if ext else ""


def safe_filename(title: str, ext: str, *, suffix: str = "") -> str:
    """A file name for ``title`` that Windows, macOS and Linux all accept.

    Forbidden characters (<>:"/\\|?* and controls) become "_", reserved Windows names (CON, NUL, COM1...) get
    a "_" in front, trailing dots and spaces go, and the name is capped at 120 bytes of UTF-8 without cutting a
    character in half. Chinese and emoji are kept. An empty result is "untitled". ``suffix`` (" (2)") is added
    after the cut, so it always survives.
    """
    dot_ext = _normalise_ext(ext)
    stem = _clean_stem(title) or "untitled"
    budget = MAX_NAME_BYTES - len(dot_ext.encode()) - len(suffix.encode("utf-8"))
    stem = _cut(stem, max(budget, 8)).rstrip(" .") or "untitled"
    if stem.split(".")[0].strip().upper() in _RESERVED:
        stem = "_" + stem
    return stem + suffix + dot_ext


def _reason(err: OSError) -> str:
    reasons = {
        errno.ENOSPC: msg(QT_TRANSLATE_NOOP("messages", "the disk is full")),
        errno.EDQUOT: msg(QT_TRANSLATE_NOOP("messages", "the disk quota is used up")),
        errno.EACCES: msg(QT_TRANSLATE_NOOP("messages", "permission denied")),
        errno.EPERM: msg(QT_TRANSLATE_NOOP("messages", "permission denied")),
        errno.EROFS: msg(QT_TRANSLATE_NOOP("messages", "the disk is read-only")),
        errno.ENOENT: msg(QT_TRANSLATE_NOOP("messages", "the folder does not exist")),
        errno.ENOTDIR: msg(QT_TRANSLATE_NOOP("messages", "part of the path is not a folder")),
        errno.EISDIR: msg(QT_TRANSLATE_NOOP("messages", "a folder with that name is in the way")),
        errno.ENAMETOOLONG: msg(QT_TRANSLATE_NOOP("messages", "the file name is too long")),
    }
    return reasons.get(err.errno or -1, err.strerror or str(err))


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` as UTF-8 to ``path`` so that readers see the old file or the new one, never a mix.

    The text goes to a temporary file in the same folder (same file system, so the rename is atomic), is
    flushed to disk, then replaces the target. Any OSError becomes an ExportError naming the path and the cause;
    the temporary file is removed and an existing target is left as it was.
    """
    path = Path(path)
    data = text.encode("utf-8", errors="replace")  # a lone surrogate becomes "?" rather than failing the export
    tmp: str | None = None
    try:
        mode = os.stat(path).st_mode & 0o777 if path.exists() else 0o644
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name[:40]}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)  # mkstemp makes 0600 files; an export should read like any other document
        os.replace(tmp, path)
        tmp = None
        fsync_dir(path.parent)
    except OSError as err:
        raise ExportError(msg(QT_TRANSLATE_NOOP("messages", "Could not write {path}: {reason}."),
                              path=path, reason=_reason(err))) from err
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                log.warning("could not remove temporary file %s", tmp)


FORMATS = (".md", ".fountain", ".html", ".txt")


def render(draft: Draft, fmt: str, style_name: str | None = None, lore: Sequence[LoreEntry] = (),
           scan_chars: int | None = None) -> str:
    """The text of ``draft`` in format ``fmt`` (".md", ".fountain", ".html" or ".txt"); Markdown carries the
    draft's ``lore`` as an appendix."""
    fmt = _normalise_ext(fmt)
    if fmt in (".md", ".markdown"):
        return draft_to_markdown(draft, style_name=style_name, lore=lore, scan_chars=scan_chars)
    if fmt == ".fountain":
        return draft_to_fountain(draft)
    if fmt in (".html", ".htm"):
        return render_html(draft, standalone=True)
    if fmt == ".txt":
        body = draft.body.replace("\r\n", "\n").replace("\r", "\n")
        return body if body.endswith("\n") or not body else body + "\n"
    raise UsageError(msg(QT_TRANSLATE_NOOP("messages", "Studio cannot export {what}."),
                         what=fmt or msg(QT_TRANSLATE_NOOP("messages", "files without an extension"))),
                     hint=msg(QT_TRANSLATE_NOOP("messages", "Choose .md, .fountain, .html or .txt.")))


def export_draft(draft: Draft, out: Path, style_name: str | None = None, lore: Sequence[LoreEntry] = (),
                 scan_chars: int | None = None) -> Path:
    """Write ``draft`` to ``out`` and return the path written.

    The format follows the suffix: .md (also when there is none), .fountain, .html or .txt. When ``out`` is an
    existing folder, the file goes inside it, named after the draft's title (as Markdown, or Fountain for a
    screenplay).
    """
    out = Path(out)
    if out.is_dir():
        ext = ".fountain" if Form(draft.form) == Form.SCREENPLAY else ".md"
        out = out / safe_filename(draft.title, ext)
    elif not out.suffix:
        out = out.with_name(out.name + ".md")
    text = render(draft, out.suffix, style_name, lore, scan_chars)
    write_atomic(out, text)
    return out


def export_all(
    drafts: Iterable[Draft], out_dir: Path, *, style_names: Mapping[int, str] | None = None, fmt: str = ".md"
) -> list[Path]:
    """Export every draft into ``out_dir`` (created if missing), one file each, and return the paths.

    Two drafts with the same title get "Title.md" and "Title (2).md"; names are compared without case because
    Windows and macOS do not tell "Poem" from "poem". A file already there from an earlier export is replaced.
    ``style_names`` maps a draft's style_id to the name written in its front matter.
    """
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise ExportError(msg(QT_TRANSLATE_NOOP("messages", "Could not create the folder {out_dir}: {reason}."),
                              out_dir=out_dir, reason=_reason(err))) from err
    taken: set[str] = set()
    written: list[Path] = []
    for draft in drafts:
        n = 1
        name = safe_filename(draft.title, fmt)
        while name.casefold() in taken:
            n += 1
            name = safe_filename(draft.title, fmt, suffix=f" ({n})")
        taken.add(name.casefold())
        style = style_names.get(draft.style_id) if style_names and draft.style_id is not None else None
        path = out_dir / name
        write_atomic(path, render(draft, fmt, style))
        written.append(path)
    return written
