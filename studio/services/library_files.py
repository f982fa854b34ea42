"""Presets and styles in and out as TOML files, so a writer can share them or keep them beside their drafts.

The format is the shipped resources' (studio/storage/builtins.py) without the built-in ``key``::

    [[preset]]                              [[style]]
    name = "Continue, slow"                 name = "Spare"
    action = "continue"                     form = "prose"
    description = "..."                     description = "..."
    template_base = "..."                   guidance = "..."
    template_chat = "..."                   exemplars = ["...", "..."]
    [preset.sampler]                        [style.sampler]   # overrides of the preset's sampler
    temperature = 0.7                       temperature = 0.9

An import reads the whole file and checks every entry (unknown keys, wrong types, a missing name, sampler values
out of range) before it saves anything, then saves them all in one transaction: a bad file saves nothing and the
error names the file, the entry and what is wrong. A name already taken is kept as "<name> (imported)".
"""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from studio.domain import Action, ExportError, Form, ImportFileError, Preset, Sampler, StyleVariant, UsageError
from studio.domain.i18n import QT_TRANSLATE_NOOP, Msg, msg
from studio.storage import Store
from studio.storage import builtins as shipped

PRESET_KEYS = ("name", "action", "description", "template_base", "template_chat", "sampler")
STYLE_KEYS = ("name", "form", "description", "guidance", "exemplars", "sampler")
_REQUIRED = {"preset": ("name", "action", "template_base"), "style": ("name", "form", "guidance")}
_SAMPLER_KEYS = (*shipped._FLOAT_RANGES, *shipped._INT_RANGES, "stop")  # one source for the ranges: the shipped
# files are checked against the same ones


# -- writing ------------------------------------------------------------------------------------------------
def _toml_string(text: str) -> str:
    """A TOML basic string; text with line breaks as a multi-line one, so templates stay readable in the file."""
    if "\n" not in text:
        # JSON's escapes (\" \\ \n \t \uXXXX) are TOML's; DEL is the one control character JSON leaves bare.
        return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")
    out = []
    for c in text.replace("\\", "\\\\").replace('"""', '""\\"'):
        if c == "\n" or c == "\t" or not (ord(c) < 0x20 or ord(c) == 0x7F):
            out.append(c)
        else:
            out.append(f"\\u{ord(c):04x}")
    # The line break after the opening quotes is not part of the value (TOML trims it).
    return '"""\n' + "".join(out) + '"""'


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return _toml_string(str(value))


def _table(kind: str, fields: Mapping[str, Any], sampler: Mapping[str, Any]) -> str:
    lines = [f"[[{kind}]]"]
    lines += [f"{name} = {_toml_value(value)}" for name, value in fields.items()]
    if sampler:
        lines.append(f"[{kind}.sampler]")
        lines += [f"{name} = {_toml_value(value)}" for name, value in sampler.items()]
    return "\n".join(lines) + "\n"


def presets_toml(presets: Sequence[Preset]) -> str:
    return "\n".join(_table("preset", {"name": p.name, "action": p.action.value, "description": p.description,
                                       "template_base": p.template_base, "template_chat": p.template_chat},
                            p.sampler.to_dict()) for p in presets)


def styles_toml(styles: Sequence[StyleVariant]) -> str:
    return "\n".join(_table("style", {"name": s.name, "form": s.form.value, "description": s.description,
                                      "guidance": s.guidance, "exemplars": list(s.exemplars)},
                            {k: v for k, v in s.sampler_overrides.items() if k in _SAMPLER_KEYS and v is not None})
                     for s in styles)


def write_file(path: Path, text: str) -> None:
    """``text`` to ``path`` whole or not at all (a temporary file beside it, then renamed over it)."""
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ExportError(msg(QT_TRANSLATE_NOOP("messages", "{path} could not be written: {reason}."),
                              path=str(path), reason=exc.strerror or str(exc))) from exc


# -- reading ------------------------------------------------------------------------------------------------
def _refused(path: Path, where: str, problem: Msg) -> UsageError:
    return UsageError(msg(QT_TRANSLATE_NOOP("messages", "{path}: {where}: {problem} Nothing was imported."),
                          path=str(path), where=where, problem=problem),
                      hint=msg(QT_TRANSLATE_NOOP("messages", "Fix the file and import it again.")))


def read_entries(path: Path, kind: str) -> list[dict[str, Any]]:
    """The ``[[kind]]`` tables of the TOML file at ``path``; anything else in the file is refused."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise ImportFileError(msg(QT_TRANSLATE_NOOP("messages", "{path} could not be read: {reason}."),
                                  path=str(path), reason=reason)) from exc
    except tomllib.TOMLDecodeError as exc:
        raise _refused(path, "TOML", msg(QT_TRANSLATE_NOOP("messages", "not a valid TOML file ({reason})."),
                                         reason=str(exc))) from exc
    extra = sorted(set(data) - {kind})
    if extra:
        raise _refused(path, extra[0], msg(QT_TRANSLATE_NOOP(
            "messages", "unknown key; a file of {kinds} holds only [[{kind}]] tables."), kinds=f"{kind}s", kind=kind))
    entries = data.get(kind)
    if not isinstance(entries, list) or not entries or not all(isinstance(e, dict) for e in entries):
        raise _refused(path, kind, msg(QT_TRANSLATE_NOOP(
            "messages", "no [[{kind}]] tables in the file (each {kind} starts with a [[{kind}]] line)."), kind=kind))
    return entries


def _where(kind: str, index: int, entry: Mapping[str, Any]) -> str:
    name = entry.get("name")
    return f"{kind} #{index + 1} “{name}”" if isinstance(name, str) and name.strip() else f"{kind} #{index + 1}"


def _check(path: Path, kind: str, index: int, entry: Mapping[str, Any], allowed: Sequence[str]) -> str:
    where = _where(kind, index, entry)
    # A shipped file's stable "key" is allowed and ignored: an imported entry is the writer's own.
    unknown = sorted(set(entry) - set(allowed) - {"key"})
    if unknown:
        raise _refused(path, where, msg(QT_TRANSLATE_NOOP("messages", "unknown key “{key}”; known: {known}."),
                                        key=unknown[0], known=", ".join(allowed)))
    for name in _REQUIRED[kind]:
        if name not in entry:
            raise _refused(path, where, msg(QT_TRANSLATE_NOOP("messages", "“{key}” is missing."), key=name))
    for name, value in entry.items():
        if name not in ("sampler", "exemplars") and not isinstance(value, str):
            raise _refused(path, where, msg(QT_TRANSLATE_NOOP("messages", "“{key}” must be text in quotes, not "
                                                                          "{value}."), key=name, value=repr(value)))
    if not entry["name"].strip():
        raise _refused(path, where, msg(QT_TRANSLATE_NOOP("messages", "the name is empty.")))
    return where


def _choice(path: Path, where: str, entry: Mapping[str, Any], key: str, choices: type[Action] | type[Form]) -> Any:
    try:
        return choices(entry[key].strip().lower())
    except ValueError:
        raise _refused(path, where, msg(QT_TRANSLATE_NOOP("messages", "{key} “{value}” is not one of: {known}."),
                                        key=key, value=entry[key], known=", ".join(c.value for c in choices))) from None


def _sampler(path: Path, where: str, table: Any) -> dict[str, Any]:
    if not isinstance(table, dict):
        raise _refused(path, where, msg(QT_TRANSLATE_NOOP("messages", "“sampler” must be a table, written "
                                                                      "[<kind>.sampler].")))
    out: dict[str, Any] = {}
    for name, value in table.items():
        if name in shipped._FLOAT_RANGES or name in shipped._INT_RANGES:
            whole = name in shipped._INT_RANGES
            low, high = shipped._INT_RANGES[name] if whole else shipped._FLOAT_RANGES[name]
            typed = isinstance(value, int) if whole else isinstance(value, int | float)
            if isinstance(value, bool) or not typed:
                problem = (msg(QT_TRANSLATE_NOOP("messages", "sampler {key} must be a whole number, not {value}."),
                               key=name, value=repr(value)) if whole else
                           msg(QT_TRANSLATE_NOOP("messages", "sampler {key} must be a number, not {value}."),
                               key=name, value=repr(value)))
                raise _refused(path, where, problem)
            if (low is not None and value < low) or (high is not None and value > high):
                span = f"{low if low is not None else '-∞'}…{high if high is not None else '∞'}"
                raise _refused(path, where, msg(QT_TRANSLATE_NOOP("messages", "sampler {key} = {value} is outside "
                                                                              "{span}."),
                                                key=name, value=value, span=span))
            out[name] = value if whole else float(value)
        elif name == "stop":
            if not isinstance(value, list) or not all(isinstance(s, str) and s for s in value):
                raise _refused(path, where, msg(QT_TRANSLATE_NOOP("messages", "sampler stop must be a list of "
                                                                              "non-empty texts.")))
            out[name] = list(value)
        else:
            raise _refused(path, where, msg(QT_TRANSLATE_NOOP("messages", "unknown sampler setting “{key}”; "
                                                                          "known: {known}."),
                                            key=name, known=", ".join(_SAMPLER_KEYS)))
    return out


def _checked_entries(path: Path, kind: str, allowed: Sequence[str], key: str,
                     choices: type[Action] | type[Form]) -> Iterator[tuple[str, Mapping[str, Any], Any]]:
    """Each ``[[kind]]`` entry, checked, with where it stands and its ``key`` (action or form) parsed. One at a
    time, so the caller's checks of the kind's own fields run in the same pass: the first problem in the file is
    the one reported."""
    for i, e in enumerate(read_entries(path, kind)):
        where = _check(path, kind, i, e, allowed)
        yield where, e, _choice(path, where, e, key, choices)


def parse_presets(path: Path) -> list[Preset]:
    """Every preset in the file, checked; the first problem refuses the whole file (UsageError)."""
    out: list[Preset] = []
    for where, e, action in _checked_entries(path, "preset", PRESET_KEYS, "action", Action):
        sampler = Sampler().merged(_sampler(path, where, e.get("sampler", {})))
        out.append(Preset(id=None, name=e["name"].strip(), action=action, template_base=e["template_base"],
                          template_chat=e.get("template_chat", ""), sampler=sampler,
                          description=e.get("description", "")))
    return out


def parse_styles(path: Path) -> list[StyleVariant]:
    out: list[StyleVariant] = []
    for where, e, form in _checked_entries(path, "style", STYLE_KEYS, "form", Form):
        exemplars = e.get("exemplars", [])
        if not isinstance(exemplars, list) or not all(isinstance(x, str) for x in exemplars):
            raise _refused(path, where, msg(QT_TRANSLATE_NOOP("messages", "“exemplars” must be a list of texts.")))
        out.append(StyleVariant(id=None, name=e["name"].strip(), form=form, guidance=e["guidance"],
                                exemplars=tuple(exemplars), sampler_overrides=_sampler(path, where,
                                                                                      e.get("sampler", {})),
                                description=e.get("description", "")))
    return out


def free_name(name: str, taken: set[str]) -> str:
    """``name``, or "<name> (imported)", "<name> (imported 2)"... whichever no other entry holds."""
    if name not in taken:
        return name
    n = 1
    while True:
        candidate = f"{name} (imported)" if n == 1 else f"{name} (imported {n})"
        if candidate not in taken:
            return candidate
        n += 1


class LibraryFiles:
    """The import and export use cases (``LibraryService`` hands them out): the CLI and the Library dialog call
    these."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def export_presets(self, path: Path, presets: Sequence[Preset]) -> int:
        write_file(path, presets_toml(presets))
        return len(presets)

    def export_styles(self, path: Path, styles: Sequence[StyleVariant]) -> int:
        write_file(path, styles_toml(styles))
        return len(styles)

    def import_presets(self, path: Path) -> list[Preset]:
        items = parse_presets(path)  # all checked before anything is saved
        with self._store.unit_of_work() as uow:
            taken = {p.name for p in uow.presets.list()}
            saved = []
            for p in items:
                name = free_name(p.name, taken)
                taken.add(name)
                saved.append(uow.presets.create(replace(p, name=name)))
            return saved

    def import_styles(self, path: Path) -> list[StyleVariant]:
        items = parse_styles(path)
        with self._store.unit_of_work() as uow:
            taken = {(s.name, s.form) for s in uow.styles.list()}
            saved = []
            for s in items:
                name = free_name(s.name, {n for n, f in taken if f == s.form})
                taken.add((name, s.form))
                saved.append(uow.styles.create(replace(s, name=name)))
            return saved
