"""The quick rewrites ("More vivid", "shorten", "更简短"): read from resources/quick_rewrites.toml.

The file is the one list: the rewrite prompt takes each rewrite's words, heading and worked examples from it, and
the assistant panel its quick buttons (through studio.services), so a button always names a rewrite the engine
knows. Read once, on first use, not at import: importing the engine stays cheap and a broken file is reported
where it is used, as a StudioError naming the file and the entry.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from studio.domain import StudioError
from studio.domain.resource_files import read_toml
from studio.paths import resources_dir

log = logging.getLogger(__name__)

FILE_NAME = "quick_rewrites.toml"
LANGUAGES = ("en", "zh")  # what prompts.draft_language() can answer: every entry needs each of them

_REWRITE_FIELDS = frozenset({"key", "button", "length_factor", "aliases", *LANGUAGES})
_LANGUAGE_FIELDS = frozenset({"words", "label", "examples"})
_LANGUAGE_OPTIONAL = frozenset({"button"})
_CUSTOM_FIELDS = frozenset({"lang", "instruction", "original", "rewritten"})


class QuickRewriteResourceError(StudioError):
    """The quick-rewrite file is malformed. Names the file and the entry; a packaging bug."""


@dataclass(frozen=True)
class QuickRewrite:
    key: str
    words: dict[str, str]  # language -> the instruction in words, for chat prompts
    labels: dict[str, str]  # language -> the heading of the base-model frame ("Rewritten to be more vivid")
    examples: dict[str, tuple[tuple[str, str], ...]]  # language -> (original, rewritten) pairs
    length_factor: float  # expected output length relative to the selection (budgets max_tokens)
    button: str = ""  # the assistant's quick button for it ("" for none)
    # language -> the button's text in that language ("更简洁"), each one of the aliases; English is ``button``.
    buttons: Mapping[str, str] = field(default_factory=dict)

    def button_in(self, lang: str) -> str:
        """The button's text in ``lang`` ("en", "zh"): its own, else the English one ("" for no button)."""
        return self.buttons.get(lang) or self.button


@dataclass(frozen=True)
class QuickRewriteCatalogue:
    rewrites: Mapping[str, QuickRewrite]  # by key, in file order
    aliases: Mapping[str, str]  # folded instruction -> key
    custom_examples: Mapping[str, tuple[tuple[str, str, str], ...]]  # language -> (instruction, original, rewritten)

    def find(self, instruction: str) -> QuickRewrite | None:
        """The quick rewrite an instruction names ("More vivid!", "shorten", "更简短"), or None for free text."""
        key = self.aliases.get(fold(instruction))
        return self.rewrites[key] if key else None


def fold(instruction: str) -> str:
    """An instruction as the aliases are written: lower case, no trailing punctuation, no "make it"."""
    norm = re.sub(r"[\s.!。！]+$", "", instruction.strip().casefold())
    return re.sub(r"^(make it|make this|rewrite it|rewrite|please)\s+", "", norm)


# -- the shipped file, read once -------------------------------------------------------------------------------


@functools.cache
def catalogue() -> QuickRewriteCatalogue:
    return load_quick_rewrites(resources_dir() / FILE_NAME)


class _LazyRewrites(Mapping[str, QuickRewrite]):
    """The shipped rewrites by key, read from the file on first access."""

    def __getitem__(self, key: str) -> QuickRewrite:
        return catalogue().rewrites[key]

    def __iter__(self) -> Iterator[str]:
        return iter(catalogue().rewrites)

    def __len__(self) -> int:
        return len(catalogue().rewrites)

    def __repr__(self) -> str:
        return f"QUICK_REWRITES({list(self)})"


QUICK_REWRITES: Mapping[str, QuickRewrite] = _LazyRewrites()


def quick_rewrite(instruction: str) -> QuickRewrite | None:
    """The shipped quick rewrite an instruction names, or None for free text."""
    return catalogue().find(instruction)


# -- reading and checking --------------------------------------------------------------------------------------


def load_quick_rewrites(path: Path) -> QuickRewriteCatalogue:
    """Read and check a quick-rewrite file; QuickRewriteResourceError names the file and the entry."""
    data = read_toml(path, QuickRewriteResourceError, {"rewrite", "custom_example"})
    rewrites: dict[str, QuickRewrite] = {}
    aliases: dict[str, str] = {}
    for index, entry in enumerate(_tables(path, data, "rewrite")):
        quick, names = _parse_rewrite(path, index, entry)
        if quick.key in rewrites:
            raise QuickRewriteResourceError(f"{path}: rewrite key {quick.key!r} is used twice; keys must be unique.")
        for alias in names:
            if alias in aliases:
                raise QuickRewriteResourceError(
                    f"{path}: rewrite {quick.key!r}: alias {alias!r} already means {aliases[alias]!r}."
                )
            aliases[alias] = quick.key
        if quick.button and aliases.get(fold(quick.button)) != quick.key:
            raise QuickRewriteResourceError(
                f"{path}: rewrite {quick.key!r}: its button {quick.button!r} is not one of its aliases, so the "
                "engine would read the button's request as free text."
            )
        rewrites[quick.key] = quick
    if not rewrites:
        raise QuickRewriteResourceError(f"{path}: no [[rewrite]] tables.")
    custom: dict[str, list[tuple[str, str, str]]] = {lang: [] for lang in LANGUAGES}
    for index, entry in enumerate(_tables(path, data, "custom_example")):
        lang, example = _parse_custom(path, index, entry)
        custom[lang].append(example)
    log.debug("loaded %d quick rewrites from %s", len(rewrites), path)
    return QuickRewriteCatalogue(
        rewrites=rewrites, aliases=aliases, custom_examples={k: tuple(v) for k, v in custom.items()}
    )


def _tables(path: Path, data: Mapping[str, Any], name: str) -> list[dict[str, Any]]:
    tables = data.get(name, [])
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        raise QuickRewriteResourceError(f"{path}: {name!r} must be an array of tables, written [[{name}]].")
    return tables


def _check_keys(where: str, table: Mapping[str, Any], allowed: frozenset[str], required: frozenset[str]) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise QuickRewriteResourceError(
            f"{where}: unknown key(s) {', '.join(map(repr, unknown))}; allowed: {', '.join(sorted(allowed))}."
        )
    missing = sorted(required - set(table))
    if missing:
        raise QuickRewriteResourceError(f"{where}: missing {', '.join(map(repr, missing))}.")


def _text(where: str, table: Mapping[str, Any], name: str) -> str:
    value = table.get(name)
    if not isinstance(value, str) or not value.strip():
        raise QuickRewriteResourceError(f"{where}: {name!r} must be a non-empty string.")
    return value


def _parse_rewrite(path: Path, index: int, entry: dict[str, Any]) -> tuple[QuickRewrite, list[str]]:
    key = entry.get("key")
    where = f"{path}: rewrite {key!r}" if isinstance(key, str) and key else f"{path}: rewrite #{index + 1}"
    _check_keys(where, entry, _REWRITE_FIELDS, _REWRITE_FIELDS - {"button"})
    key = _text(where, entry, "key")
    button = _text(where, entry, "button") if "button" in entry else ""
    factor = entry["length_factor"]
    if isinstance(factor, bool) or not isinstance(factor, int | float) or not 0 < factor <= 10:
        raise QuickRewriteResourceError(f"{where}: 'length_factor' must be a number above 0 and at most 10.")
    names = entry["aliases"]
    if not isinstance(names, list) or not names or not all(isinstance(a, str) for a in names):
        raise QuickRewriteResourceError(f"{where}: 'aliases' must be a non-empty list of strings.")
    for alias in names:
        if fold(alias) != alias or not alias:
            raise QuickRewriteResourceError(
                f"{where}: alias {alias!r} can never match; write it as matched: {fold(alias)!r}."
            )
    words: dict[str, str] = {}
    labels: dict[str, str] = {}
    examples: dict[str, tuple[tuple[str, str], ...]] = {}
    buttons: dict[str, str] = {"en": button} if button else {}
    for lang in LANGUAGES:
        part, at = entry[lang], f"{where}, {lang}"
        if not isinstance(part, dict):
            raise QuickRewriteResourceError(f"{at}: must be a table, written [rewrite.{lang}].")
        _check_keys(at, part, _LANGUAGE_FIELDS | _LANGUAGE_OPTIONAL, _LANGUAGE_FIELDS)
        words[lang], labels[lang] = _text(at, part, "words"), _text(at, part, "label")
        if "button" in part:
            if not button:
                raise QuickRewriteResourceError(f"{at}: a 'button' text, but the rewrite has no top-level 'button'.")
            buttons[lang] = _text(at, part, "button")
            if fold(buttons[lang]) not in names:
                raise QuickRewriteResourceError(
                    f"{at}: its button {buttons[lang]!r} is not one of the rewrite's aliases, so the engine would "
                    "read the button's request as free text."
                )
        pairs = part["examples"]
        if not isinstance(pairs, list) or not pairs or not all(
            isinstance(p, list) and len(p) == 2 and all(isinstance(s, str) and s.strip() for s in p) for p in pairs
        ):
            raise QuickRewriteResourceError(f"{at}: 'examples' must be a non-empty list of [original, rewritten].")
        examples[lang] = tuple((p[0], p[1]) for p in pairs)
    quick = QuickRewrite(key, words, labels, examples, float(factor), button, buttons)
    return quick, names


def _parse_custom(path: Path, index: int, entry: dict[str, Any]) -> tuple[str, tuple[str, str, str]]:
    where = f"{path}: custom_example #{index + 1}"
    _check_keys(where, entry, _CUSTOM_FIELDS, _CUSTOM_FIELDS)
    lang = _text(where, entry, "lang")
    if lang not in LANGUAGES:
        raise QuickRewriteResourceError(f"{where}: 'lang' {lang!r} is not one of: {', '.join(LANGUAGES)}.")
    return lang, (_text(where, entry, "instruction"), _text(where, entry, "original"), _text(where, entry, "rewritten"))
