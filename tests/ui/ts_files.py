"""Reading Qt Linguist ``.ts`` files and running Qt's own tools on them, for the translation tests."""

from __future__ import annotations

import re
import string
import subprocess
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
VENV_BIN = REPO / ".venv" / "bin"
LUPDATE = VENV_BIN / "pyside6-lupdate"
LRELEASE = VENV_BIN / "pyside6-lrelease"
REAL_TS = REPO / "resources" / "i18n" / "studio_zh_CN.ts"

# Qt's placeholders: %1..%99 (and %L1, localised), %n (and %Ln) in plurals. "%%" is a literal percent sign.
_QT_ARG = re.compile(r"%L?(?:[1-9][0-9]?|n)")


@dataclass(frozen=True)
class Message:
    context: str
    source: str
    comment: str
    translations: tuple[str, ...]  # one per plural form (numerus), else one
    unfinished: bool
    numerus: bool

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.context, self.source, self.comment)


def read_ts(path: Path) -> list[Message]:
    root = ET.parse(path).getroot()
    out: list[Message] = []
    for ctx in root.iter("context"):
        name = ctx.findtext("name") or ""
        for m in ctx.iter("message"):
            tr = m.find("translation")
            forms = tr.findall("numerusform") if tr is not None else []
            texts = tuple(f.text or "" for f in forms) if forms else ((tr.text or "") if tr is not None else "",)
            out.append(Message(
                context=name,
                source=m.findtext("source") or "",
                comment=m.findtext("comment") or "",
                translations=texts,
                unfinished=tr is None or tr.get("type") in ("unfinished", "vanished", "obsolete"),
                numerus=m.get("numerus") == "yes",
            ))
    return out


def placeholders(text: str) -> Counter[str]:
    """Every placeholder in ``text``: Qt's %1/%n and Python's {name} / {0:.1f} (Studio's Msg and tr().format)."""
    plain = text.replace("%%", "")
    found: Counter[str] = Counter(_QT_ARG.findall(plain))
    try:
        fields = [(name, spec, conv) for _lit, name, spec, conv in string.Formatter().parse(text) if name is not None]
    except ValueError:
        found["<unbalanced braces>"] += 1
    else:
        for name, spec, conv in fields:
            found[f"{{{name}{'!' + conv if conv else ''}{':' + spec if spec else ''}}}"] += 1
    return found


def placeholder_problems(messages: list[Message]) -> list[str]:
    """Each translated message whose placeholders differ from its source's, in words."""
    problems = []
    for m in messages:
        want = placeholders(m.source)
        for text in m.translations:
            if not text:
                continue  # untranslated: shown in English, nothing broken
            got = placeholders(text)
            if got != want:
                problems.append(
                    f"[{m.context}] {m.source!r} -> {text!r}: placeholders {sorted(got.elements())} "
                    f"instead of {sorted(want.elements())}"
                )
    return problems


def lupdate(sources_root: Path, ts: Path) -> subprocess.CompletedProcess[str]:
    """What scripts/update_translations runs: every Python file under ``sources_root`` merged into ``ts``."""
    files = sorted(str(p) for p in sources_root.rglob("*.py") if "__pycache__" not in p.parts)
    return subprocess.run(
        [str(LUPDATE), *files, "-no-obsolete", "-locations", "relative", "-source-language", "en", "-ts", str(ts)],
        capture_output=True, text=True, timeout=300, check=True,
    )


def lrelease(ts: Path, qm: Path) -> subprocess.CompletedProcess[str]:
    """What scripts/build_translations runs for one file."""
    return subprocess.run([str(LRELEASE), "-silent", "-nounfinished", str(ts), "-qm", str(qm)],
                          capture_output=True, text=True, timeout=120, check=True)


def write_ts(path: Path, language: str, messages: dict[str, list[tuple[str, str]]], *, numerus: bool = False) -> Path:
    """A small .ts by hand: {context: [(source, translation)]}; ``numerus`` makes each a one-form plural."""
    root = ET.Element("TS", version="2.1", language=language, sourcelanguage="en")
    for context, pairs in messages.items():
        ctx = ET.SubElement(root, "context")
        ET.SubElement(ctx, "name").text = context
        for source, translation in pairs:
            m = ET.SubElement(ctx, "message", numerus="yes") if numerus else ET.SubElement(ctx, "message")
            ET.SubElement(m, "source").text = source
            tr = ET.SubElement(m, "translation")
            if numerus:
                ET.SubElement(tr, "numerusform").text = translation
            else:
                tr.text = translation
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)
    return path
