"""Reading a writer's files into drafts: any common text encoding, never a binary file.

Order of decisions, most certain first: a byte-order mark; known binary signatures (GGUF, images, Word, PDF);
NUL bytes (binary unless the file is UTF-16 without a BOM); strict UTF-8; Chinese double-byte encodings,
recognised by their byte structure; Western text that is mostly ASCII (Windows-1252, what Notepad wrote for
years); and only then charset-normalizer's statistical guess, accepted when its decoding reads cleanly.
A file none of these can vouch for is refused with a message rather than imported as mojibake.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from studio.domain import Form, ImportFileError, LoreEntry, UsageError
from studio.domain.i18n import QT_TRANSLATE_NOOP, msg
from studio.export.fountain import plain_title, split_title_entry
from studio.export.markdown import markdown_to_body
from studio.forms.counting import is_han

MAX_IMPORT_BYTES = 64 * 1024 * 1024  # a draft is text; a file this large is almost certainly not one

_BOMS: list[tuple[bytes, str]] = [
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
]

_SIGNATURES: list[tuple[bytes, str]] = [
    (b"GGUF", msg(QT_TRANSLATE_NOOP("messages", "a GGUF model file"))),
    (b"\x89PNG\r\n\x1a\n", msg(QT_TRANSLATE_NOOP("messages", "a PNG image"))),
    (b"\xff\xd8\xff", msg(QT_TRANSLATE_NOOP("messages", "a JPEG image"))),
    (b"GIF87a", msg(QT_TRANSLATE_NOOP("messages", "a GIF image"))),
    (b"GIF89a", msg(QT_TRANSLATE_NOOP("messages", "a GIF image"))),
    (b"%PDF", msg(QT_TRANSLATE_NOOP("messages", "a PDF document; copy its text into a .txt file first"))),
    (b"PK\x03\x04", msg(QT_TRANSLATE_NOOP("messages", "a zip archive (Word .docx, .odt and .epub files are zip "
                                                     "archives); save it as .txt or .md first"))),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
     msg(QT_TRANSLATE_NOOP("messages", "an old Word or Office document; save it as .txt first"))),
    (b"{\\rtf", msg(QT_TRANSLATE_NOOP("messages", "a Rich Text (.rtf) file; save it as plain text first"))),
    (b"SQLite format 3\x00", msg(QT_TRANSLATE_NOOP("messages", "an SQLite database"))),
    (b"\x7fELF", msg(QT_TRANSLATE_NOOP("messages", "a program"))),
    (b"MZ", msg(QT_TRANSLATE_NOOP("messages", "a Windows program"))),
]

_CJK_PUNCT = re.compile("[\u3000-\u303f\uff00-\uffef\u2010-\u206f]")


def _refuse(path: Path, why: str) -> ImportFileError:
    return ImportFileError(msg(QT_TRANSLATE_NOOP("messages", "Cannot import {name}: {why}."), name=path.name, why=why))


def _mostly_cjk(text: str) -> bool:
    """True when the non-ASCII characters are Han or CJK punctuation: a right guess at a Chinese encoding.

    A wrong double-byte guess produces kana, Cyrillic, box drawing or private-use characters instead.
    """
    wide = [c for c in text if ord(c) > 0x7F]
    if not wide:
        return False
    good = sum(1 for c in wide if is_han(c) or _CJK_PUNCT.match(c))
    return good / len(wide) >= 0.95


def _try(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _looks_binary(text: str) -> bool:
    # Control characters other than tab, newlines, form feed and the old DOS end-of-file mark. NUL is not
    # counted: a NUL byte outside UTF-16 was refused already, and a U+0000 inside UTF-16 text is just dropped.
    # A stray control or two in a short note is a typo, not a binary file.
    sample = text[:65536]
    if not sample:
        return False
    controls = sum(1 for c in sample if unicodedata.category(c) == "Cc" and c not in "\x00\t\n\r\f\v\x1a")
    return controls >= 3 and controls / len(sample) > 0.01


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    # Mostly-ASCII UTF-16 has a NUL in every other byte; anything else with NULs is binary.
    if len(data) < 4 or len(data) % 2:
        return None
    even_nul = data[0::2].count(0) / (len(data) / 2)
    odd_nul = data[1::2].count(0) / (len(data) / 2)
    encoding = (
        "utf-16-le" if odd_nul > 0.3 and even_nul < 0.05 else "utf-16-be" if even_nul > 0.3 and odd_nul < 0.05 else None
    )
    if encoding is None:
        return None
    text = _try(data, encoding)
    if text is None or _looks_binary(text):
        return None
    return text, encoding


def _detect(path: Path, data: bytes) -> tuple[str, str]:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = _try(data, encoding)
            if text is None:
                raise _refuse(path, msg(QT_TRANSLATE_NOOP("messages", "it starts like {encoding} text but is damaged"),
                                        encoding=encoding.upper()))
            return text, encoding.removesuffix("-sig").removesuffix("-le").removesuffix("-be")
    for magic, what in _SIGNATURES:
        if data.startswith(magic):
            raise _refuse(path, msg(QT_TRANSLATE_NOOP("messages", "it is {what}, not a text file"), what=what))
    if b"\x00" in data:
        found = _utf16_without_bom(data)
        if found is not None:
            return found
        raise _refuse(path, msg(QT_TRANSLATE_NOOP("messages", "it is a binary file, not text")))
    text = _try(data, "utf-8")
    if text is not None:
        return text, "utf-8"
    # GB2312 text (simplified Chinese) decodes as GB2312 into Han characters; Big5 almost never does, because
    # its trail bytes 0x40-0x7E are not valid GB2312. GB18030 is the superset to decode with.
    for probe, encoding in (("gb2312", "gb18030"), ("big5", "big5"), ("gb18030", "gb18030")):
        text = _try(data, probe)
        if text is not None and _mostly_cjk(text):
            return (_try(data, encoding) or text), encoding
    ascii_share = sum(1 for b in data if b < 0x80) / len(data)
    if ascii_share >= 0.7:
        text = _try(data, "cp1252")
        if text is not None and not _looks_binary(text):
            return text, "cp1252"
    from charset_normalizer import from_bytes  # lazy: only files that are not UTF-8 need it

    best = from_bytes(data).best()
    if best is not None and best.chaos <= 0.1 and not best.encoding.startswith(("utf_16", "utf_32")):
        text = str(best)
        if not _looks_binary(text):
            return text, best.encoding.replace("_", "-")
    raise _refuse(path, msg(QT_TRANSLATE_NOOP("messages", "Studio cannot tell which text encoding it uses. Save it "
                                                          "as UTF-8 and import it again")))


_SURROGATES = re.compile("[\ud800-\udfff]")


def clean_text(text: str) -> str:
    """Newlines as \\n, without NULs, lone surrogates or a leading BOM: what the editor and database expect."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    text = _SURROGATES.sub("", text)
    return text.removeprefix("\ufeff")


def read_text_file(path: Path) -> tuple[str, str]:
    """(text, encoding name) of a text file in any common encoding. Raises ImportFileError for binary files,
    encodings that cannot be told apart, and files that are missing or unreadable."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_IMPORT_BYTES:
            raise _refuse(path, msg(QT_TRANSLATE_NOOP("messages", "it is {size_mb} MB; Studio imports text files up "
                                                                  "to 64 MB"), size_mb=size // (1024 * 1024)))
        data = path.read_bytes()
    except FileNotFoundError:
        raise _refuse(path, msg(QT_TRANSLATE_NOOP("messages", "the file does not exist"))) from None
    except IsADirectoryError:
        raise _refuse(path, msg(QT_TRANSLATE_NOOP("messages", "it is a folder"))) from None
    except PermissionError:
        raise _refuse(path, msg(QT_TRANSLATE_NOOP("messages", "permission denied"))) from None
    except OSError as err:
        raise _refuse(path, err.strerror or str(err)) from err
    if not data:
        return "", "utf-8"
    text, encoding = _detect(path, data)
    if _looks_binary(text):
        raise _refuse(path, msg(QT_TRANSLATE_NOOP("messages", "it is a binary file, not text")))
    return clean_text(text), encoding


@dataclass(frozen=True)
class ImportedDraft:
    """What an imported file gives a new draft. ``encoding`` says how it was read (shown after an import)."""

    title: str
    form: Form
    body: str
    notes: str = ""
    encoding: str = "utf-8"
    lore: tuple[LoreEntry, ...] = ()  # the lorebook appendix of a Studio export (draft_id 0: not stored yet)
    lore_scan_chars: int | None = None


# ---------------------------------------------------------------------------------------------------- front matter

_FM_KEY = re.compile(r"^([A-Za-z_][\w \-]*):(?:\s+(.*))?$")
_YAML_SIMPLE_ESCAPES = {"0": "\0", "a": "\a", "b": "\b", "t": "\t", "\t": "\t", "n": "\n", "v": "\v", "f": "\f",
                        "r": "\r", "e": "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\", "N": "\x85",
                        "_": "\xa0", "L": "\u2028", "P": "\u2029"}


def _yaml_double(s: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(s):
        c = s[i]
        if c == "\\" and i + 1 < len(s):
            e = s[i + 1]
            width = {"x": 2, "u": 4, "U": 8}.get(e)
            if width:
                try:
                    out.append(chr(int(s[i + 2 : i + 2 + width], 16)))
                except ValueError:
                    out.append(s[i : i + 2 + width])
                i += 2 + width
                continue
            out.append(_YAML_SIMPLE_ESCAPES.get(e, "\\" + e))
            i += 2
            continue
        out.append(c)
        i += 1
    return "".join(out)


def _scalar(raw: str) -> str:
    raw = raw.strip()
    if raw.startswith('"') and raw.endswith('"') and len(raw) >= 2:
        return _yaml_double(raw[1:-1])
    if raw.startswith("'") and raw.endswith("'") and len(raw) >= 2:
        return raw[1:-1].replace("''", "'")
    return re.sub(r"\s+#.*$", "", raw)  # a plain scalar may carry a comment


def parse_front_matter(text: str) -> tuple[dict[str, str], str]:
    """({key: value}, the text after the block) for a file opening with a YAML front matter block.

    Reads the flat "key: value" mappings Studio writes and most note apps write; nested values and lists are
    skipped, not misread. Without a front matter block: ({}, text).
    """
    if not text.startswith("---\n"):
        return {}, text
    lines = text.split("\n")
    for end in range(1, len(lines)):
        if lines[end].rstrip() in ("---", "..."):
            break
    else:
        return {}, text
    values: dict[str, str] = {}
    for line in lines[1:end]:
        m = _FM_KEY.match(line)
        if m and m.group(2) is not None and not m.group(2).startswith(("[", "{", "|", ">")):
            values[m.group(1).strip().lower()] = _scalar(m.group(2))
    return values, "\n".join(lines[end + 1 :])


# ---------------------------------------------------------------------------------------------------- parse

_HEADING = re.compile(r"^#\s+(.+?)\s*#*\s*$")


def _form(value: str | None) -> Form:
    if not value:
        return Form.PROSE
    try:
        return Form.parse(value)
    except UsageError:
        return Form.PROSE  # a note app's own "form:" key should not block the import


def parse_import(path: Path) -> ImportedDraft:
    """A draft from a .md, .txt or .fountain file. Other kinds raise ImportFileError.

    Markdown written by Studio's exporter comes back as the same title, form and body; any other Markdown comes
    in as prose, titled by its front matter, its first "# heading" or its file name.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".md", ".markdown", ".txt", ".text", ".fountain"):
        kind = (msg(QT_TRANSLATE_NOOP("messages", "{suffix} files"), suffix=suffix) if suffix
                else msg(QT_TRANSLATE_NOOP("messages", "files without an extension")))
        raise ImportFileError(msg(QT_TRANSLATE_NOOP("messages", "Cannot import {name}: Studio imports .md, .txt and "
                                                                ".fountain files, not {kind}."),
                                  name=path.name, kind=kind))
    text, encoding = read_text_file(path)
    stem = path.stem.strip() or "Untitled"
    if suffix == ".fountain":
        title, body = split_title_entry(text)
        return ImportedDraft(
            plain_title(title) if title else stem, Form.SCREENPLAY, body.strip("\n"), encoding=encoding
        )
    if suffix in (".txt", ".text"):
        return ImportedDraft(stem, Form.PROSE, text, encoding=encoding)
    meta, content = parse_front_matter(text)
    form = _form(meta.get("form"))
    title = meta.get("title", "").strip()
    content = content.lstrip("\n")
    if not title:
        first, _, rest = content.partition("\n")
        m = _HEADING.match(first)
        if m:
            title, content = m.group(1), rest.lstrip("\n")
    content, lore, scan_chars = split_lore_appendix(content)
    body = markdown_to_body(content, form)
    return ImportedDraft(title or stem, form, body, notes=meta.get("notes", ""), encoding=encoding, lore=lore,
                         lore_scan_chars=scan_chars)


_LORE_START = re.compile(r"^<!-- studio:lore (\{.*\}) -->[ \t]*$", re.MULTILINE)
_LORE_ENTRY = re.compile(r"^<!-- studio:lore-entry (\{.*\}) -->[ \t]*$", re.MULTILINE)


def split_lore_appendix(content: str) -> tuple[str, tuple[LoreEntry, ...], int | None]:
    """(the Markdown before the lorebook appendix, its entries, its scan depth) for text that has one
    (studio/export/markdown.lore_appendix); (content, (), None) otherwise. A damaged entry is skipped, not fatal:
    the draft's text matters more."""
    start = _LORE_START.search(content)
    if start is None:
        return content, (), None
    head, rest = content[: start.start()].rstrip("\n") + "\n", content[start.end():]
    scan: int | None = None
    try:
        value = json.loads(start.group(1)).get("scan_chars")
        scan = value if isinstance(value, int) and value > 0 else None
    except (ValueError, AttributeError):
        pass
    marks = list(_LORE_ENTRY.finditer(rest))
    entries: list[LoreEntry] = []
    for i, m in enumerate(marks):
        chunk = rest[m.end(): marks[i + 1].start() if i + 1 < len(marks) else len(rest)]
        lines = chunk.strip("\n").split("\n")
        if lines and lines[0].startswith("### "):
            lines = lines[1:]
        text = "\n".join(ln[1:] if ln.startswith("\\<!-- studio:") else ln for ln in lines).strip("\n")
        try:
            meta = json.loads(m.group(1))
            keys = tuple(str(k) for k in meta.get("keys", ()) if str(k).strip())
        except (ValueError, AttributeError, TypeError):
            continue
        if keys and text.strip():
            entries.append(LoreEntry(id=None, draft_id=0, keys=keys, text=text, pinned=bool(meta.get("pinned")),
                                     enabled=bool(meta.get("enabled", True)),
                                     case_sensitive=bool(meta.get("case_sensitive")),
                                     whole_word=bool(meta.get("whole_word")), position=len(entries)))
    return head, tuple(entries), scan


__all__ = ["ImportedDraft", "clean_text", "parse_front_matter", "parse_import", "read_text_file",
           "split_lore_appendix"]
