"""Built-in presets and style variants: read from TOML resource files, validated, and seeded into the database.

File format (one or more files per folder, read in name order)::

    # resources/presets/*.toml
    [[preset]]
    key = "continue-default"          # stable identity across releases; never reuse a key for something else
    name = "Continue"
    action = "continue"               # continue | rewrite
    description = "..."
    template_base = "..."             # prompt for base (completion) models
    template_chat = "..."             # optional: prompt for chat models
    [preset.sampler]                  # optional; any studio.domain.Sampler field
    temperature = 0.8
    stop = ["\\n\\n\\n"]

    # resources/styles/*.toml
    [[style]]
    key = "prose-spare"
    name = "Spare"
    form = "prose"                    # prose | screenplay | lyrics | poetry
    description = "..."
    guidance = "..."
    exemplars = ["...", "..."]        # optional
    [style.sampler]                   # optional overrides of the preset's sampler
    temperature = 0.7

Seeding rules: a missing built-in is inserted; an unmodified one whose shipped content changed is upgraded;
one the writer edited (modified) and every user-owned row are never touched.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from studio.domain import Action, Form, Preset, Sampler, StudioError, StyleVariant
from studio.domain.resource_files import read_toml
from studio.storage.kinds import PRESETS, STYLES, CatalogueKind, R, T, free_name, preset_content, style_content

log = logging.getLogger(__name__)

PRESET_FIELDS = frozenset({"key", "name", "action", "description", "template_base", "template_chat", "sampler"})
PRESET_REQUIRED = ("key", "name", "action", "template_base")
STYLE_FIELDS = frozenset({"key", "name", "form", "description", "guidance", "exemplars", "sampler"})
STYLE_REQUIRED = ("key", "name", "form", "guidance")

# Sampler fields by kind, with the range a value must fall in (None: unbounded).
_FLOAT_RANGES: dict[str, tuple[float | None, float | None]] = {
    "temperature": (0.0, 5.0),
    "top_p": (0.0, 1.0),
    "min_p": (0.0, 1.0),
    "repeat_penalty": (0.0, 5.0),
}
_INT_RANGES: dict[str, tuple[int | None, int | None]] = {"top_k": (0, None), "max_tokens": (1, None)}


_Choice = TypeVar("_Choice", Action, Form)


class BuiltinResourceError(StudioError):
    """A built-in preset or style file is malformed. Names the file and the entry; a packaging bug."""


@dataclass(frozen=True)
class Builtin(Generic[T]):
    """One shipped definition: its stable key, the preset or style it defines, the hash of what that says (an
    upgrade rewrites a seeded row only when it changed) and the file it came from."""

    key: str
    item: T
    content_hash: str
    source: Path


BuiltinPreset = Builtin[Preset]
BuiltinStyle = Builtin[StyleVariant]


@dataclass(frozen=True)
class BuiltinCatalog:
    """Every built-in definition shipped in a resources folder, by key."""

    presets: Mapping[str, BuiltinPreset] = field(default_factory=dict)
    styles: Mapping[str, BuiltinStyle] = field(default_factory=dict)


@dataclass
class SeedReport:
    """Built-ins ("preset:<key>", "style:<key>") that seeding inserted, upgraded, or left alone because the
    writer edited them."""

    inserted: list[str] = field(default_factory=list)
    upgraded: list[str] = field(default_factory=list)
    kept_modified: list[str] = field(default_factory=list)


# -- hashing ------------------------------------------------------------------------------------------------


def content_hash(content: Mapping[str, Any]) -> str:
    """sha256 of canonical JSON: stable across TOML formatting changes, changes with any value."""
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# -- loading ------------------------------------------------------------------------------------------------


def load_builtins(resources_dir: Path) -> BuiltinCatalog:
    """Read and validate ``resources_dir/presets/*.toml`` and ``resources_dir/styles/*.toml``.

    A missing folder means no built-ins of that kind. Raises BuiltinResourceError naming the file and entry.
    """
    presets: dict[str, BuiltinPreset] = {}
    for path, index, entry in _entries(resources_dir / "presets", "preset"):
        bp = _parse_preset(path, index, entry)
        _check_unique_key(presets, bp.key, path, "preset")
        presets[bp.key] = bp
    styles: dict[str, BuiltinStyle] = {}
    for path, index, entry in _entries(resources_dir / "styles", "style"):
        bs = _parse_style(path, index, entry)
        _check_unique_key(styles, bs.key, path, "style")
        styles[bs.key] = bs
    _check_unique_names([(b.item.name, b.key, b.source) for b in presets.values()], "preset", lambda name: name)
    _check_unique_names(
        [((b.item.name, b.item.form.value), b.key, b.source) for b in styles.values()],
        "style",
        lambda nf: f"{nf[0]} ({nf[1]})",
    )
    log.debug("loaded %d built-in presets and %d styles from %s", len(presets), len(styles), resources_dir)
    return BuiltinCatalog(presets=presets, styles=styles)


def _entries(folder: Path, table: str) -> list[tuple[Path, int, dict[str, Any]]]:
    if not folder.is_dir():
        log.info("no built-in %ss: %s does not exist", table, folder)
        return []
    out: list[tuple[Path, int, dict[str, Any]]] = []
    for path in sorted(folder.glob("*.toml")):
        data = read_toml(path, BuiltinResourceError, {table}, f"; this folder holds only [[{table}]] tables")
        entries = data.get(table, [])
        if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
            raise BuiltinResourceError(f"{path}: {table!r} must be an array of tables, written [[{table}]].")
        if not entries:
            log.warning("%s holds no [[%s]] tables", path, table)
        out.extend((path, i, e) for i, e in enumerate(entries))
    return out


def _where(path: Path, kind: str, index: int, entry: Mapping[str, Any]) -> str:
    key = entry.get("key")
    return f"{path}: {kind} {key!r}" if isinstance(key, str) and key else f"{path}: {kind} #{index + 1}"


def _check_fields(where: str, entry: Mapping[str, Any], allowed: frozenset[str], required: tuple[str, ...]) -> None:
    unknown = sorted(set(entry) - allowed)
    if unknown:
        raise BuiltinResourceError(
            f"{where}: unknown key(s) {', '.join(map(repr, unknown))}; allowed: {', '.join(sorted(allowed))}."
        )
    for name in required:
        if name not in entry:
            raise BuiltinResourceError(f"{where}: missing required key {name!r}.")
    for name, value in entry.items():
        if name in ("sampler", "exemplars"):
            continue
        if not isinstance(value, str):
            raise BuiltinResourceError(f"{where}: key {name!r} must be a string, not {type(value).__name__}.")
    for name in ("key", "name"):
        if not str(entry.get(name, "")).strip():
            raise BuiltinResourceError(f"{where}: key {name!r} must not be empty.")


def _parse_choice(where: str, entry: dict[str, Any], key: str, choices: type[_Choice]) -> _Choice:
    try:
        return choices(entry[key].strip().lower())
    except ValueError:
        known = ", ".join(c.value for c in choices)
        raise BuiltinResourceError(f"{where}: {key} {entry[key]!r} is not one of: {known}.") from None


def _parse_preset(path: Path, index: int, entry: dict[str, Any]) -> BuiltinPreset:
    where = _where(path, "preset", index, entry)
    _check_fields(where, entry, PRESET_FIELDS, PRESET_REQUIRED)
    action = _parse_choice(where, entry, "action", Action)
    overrides = _parse_sampler(where, entry.get("sampler", {}))
    key = entry["key"].strip()
    preset = Preset(
        id=None,
        name=entry["name"].strip(),
        action=action,
        template_base=entry["template_base"],
        template_chat=entry.get("template_chat", ""),
        sampler=Sampler().merged(overrides),
        description=entry.get("description", ""),
        builtin=True,
        builtin_key=key,
    )
    return BuiltinPreset(key=key, item=preset, content_hash=content_hash(preset_content(preset)), source=path)


def _parse_style(path: Path, index: int, entry: dict[str, Any]) -> BuiltinStyle:
    where = _where(path, "style", index, entry)
    _check_fields(where, entry, STYLE_FIELDS, STYLE_REQUIRED)
    form = _parse_choice(where, entry, "form", Form)
    exemplars = entry.get("exemplars", [])
    if not isinstance(exemplars, list) or not all(isinstance(x, str) for x in exemplars):
        raise BuiltinResourceError(f"{where}: 'exemplars' must be a list of strings.")
    overrides = _parse_sampler(where, entry.get("sampler", {}))
    key = entry["key"].strip()
    style = StyleVariant(
        id=None,
        name=entry["name"].strip(),
        form=form,
        guidance=entry["guidance"],
        exemplars=tuple(exemplars),
        sampler_overrides=overrides,
        description=entry.get("description", ""),
        builtin=True,
        builtin_key=key,
    )
    return BuiltinStyle(key=key, item=style, content_hash=content_hash(style_content(style)), source=path)


def _parse_sampler(where: str, table: Any) -> dict[str, Any]:
    """Validated sampler values (a partial mapping; the caller merges it over Sampler defaults)."""
    if not isinstance(table, dict):
        raise BuiltinResourceError(f"{where}: 'sampler' must be a table, written [<kind>.sampler].")
    out: dict[str, Any] = {}
    for name, value in table.items():
        if name in _FLOAT_RANGES:
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise BuiltinResourceError(f"{where}: sampler.{name} must be a number, not {value!r}.")
            _check_range(where, name, float(value), _FLOAT_RANGES[name])
            out[name] = float(value)
        elif name in _INT_RANGES:
            if isinstance(value, bool) or not isinstance(value, int):
                raise BuiltinResourceError(f"{where}: sampler.{name} must be a whole number, not {value!r}.")
            _check_range(where, name, value, _INT_RANGES[name])
            out[name] = value
        elif name == "stop":
            if not isinstance(value, list) or not all(isinstance(s, str) and s for s in value):
                raise BuiltinResourceError(f"{where}: sampler.stop must be a list of non-empty strings.")
            out[name] = list(value)
        else:
            known = ", ".join(sorted([*_FLOAT_RANGES, *_INT_RANGES, "stop"]))
            raise BuiltinResourceError(f"{where}: unknown sampler setting {name!r}; known: {known}.")
    return out


def _check_range(where: str, name: str, value: float, bounds: tuple[float | None, float | None]) -> None:
    low, high = bounds
    if (low is not None and value < low) or (high is not None and value > high):
        span = f"{low if low is not None else '-inf'}..{high if high is not None else 'inf'}"
        raise BuiltinResourceError(f"{where}: sampler.{name} = {value} is outside {span}.")


def _check_unique_key(seen: Mapping[str, BuiltinPreset | BuiltinStyle], key: str, path: Path, kind: str) -> None:
    if key in seen:
        raise BuiltinResourceError(
            f"{path}: {kind} key {key!r} is already used in {seen[key].source}; keys must be unique."
        )


def _check_unique_names(items: list[tuple[Any, str, Path]], kind: str, show: Callable[[Any], str]) -> None:
    first: dict[Any, tuple[str, Path]] = {}
    for name, key, path in items:
        if name in first:
            other_key, other_path = first[name]
            raise BuiltinResourceError(
                f"{path}: {kind} {key!r} has the same name {show(name)!r} as {kind} {other_key!r} in {other_path}."
            )
        first[name] = (key, path)


# -- seeding --------------------------------------------------------------------------------------------------


def seed_builtins(session: Session, resources: Path | BuiltinCatalog) -> SeedReport:
    """Bring the built-in rows in line with the shipped definitions (see the module docstring for the rules).

    Rows whose key is no longer shipped are left in place: drafts may still point at them.
    """
    catalog = resources if isinstance(resources, BuiltinCatalog) else load_builtins(resources)
    report = SeedReport()
    _seed(session, PRESETS, catalog, report)
    _seed(session, STYLES, catalog, report)
    if report.inserted or report.upgraded:
        log.info("built-ins: inserted %s, upgraded %s", report.inserted, report.upgraded)
    return report


def _seed(session: Session, kind: CatalogueKind[T, R], catalog: BuiltinCatalog, report: SeedReport) -> None:
    table = kind.row_type
    rows = {r.builtin_key: r for r in session.scalars(select(table).where(table.builtin_key.is_not(None)))}
    for key, shipped in kind.shipped(catalog).items():
        item, tag = shipped.item, f"{kind.noun}:{key}"
        row = rows.get(key)
        if row is None:
            row = table(builtin=True, builtin_key=key, modified=False)
            kind.apply(row, item, free_name(session, kind, item.name, kind.group_of(item), suffix="built-in"))
            row.builtin_hash = shipped.content_hash
            session.add(row)
            session.flush()  # the next name check must see this row
            report.inserted.append(tag)
        elif row.modified:
            report.kept_modified.append(tag)
        elif row.builtin_hash != shipped.content_hash:
            name = free_name(session, kind, item.name, kind.group_of(item), suffix="built-in", exclude_id=row.id)
            kind.apply(row, item, name)
            row.builtin_hash = shipped.content_hash
            session.flush()
            report.upgraded.append(tag)
