"""Prompt presets, style variants and settings: thin use cases over the store, one transaction each; and the
quick rewrites the assistant offers."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar

from studio.domain import Action, Form, Preset, StyleVariant
from studio.engine.quick_rewrites import QUICK_REWRITES
from studio.services.library_files import LibraryFiles
from studio.storage import Store, UnitOfWork

T = TypeVar("T", bound=Preset | StyleVariant)


def quick_rewrite_buttons(language: str = "en") -> list[tuple[str, str]]:
    """(key, button text) of the quick rewrites that have a button, in the catalogue's order, with the texts in
    ``language`` ("en", or "zh" for the Chinese window: 更生动, 更简洁...).

    The engine reads the same catalogue (resources/quick_rewrites.toml), and each button's text in lower case is
    one of its rewrite's aliases, so what a button asks for is always a rewrite the engine knows by name.
    """
    return [(q.key, q.button_in(language)) for q in QUICK_REWRITES.values() if q.button]


@dataclass(frozen=True)
class QuickRewriteChoice:
    """One quick rewrite as it applies to a selection: its button's text and the instruction to send, both in the
    selection's language (what the engine will write the prompt in)."""

    key: str
    language: str  # "en" | "zh"
    label: str
    instruction: str


def quick_rewrite_choice(key: str, selection: str, before: str = "") -> QuickRewriteChoice:
    """The quick rewrite ``key`` for ``selection`` (and the text before it, as the engine reads them): a Chinese
    selection gets 更简洁 where an English one gets "Shorter". KeyError for an unknown key."""
    quick = QUICK_REWRITES[key]
    lang = _language(selection, before)
    label = quick.button_in(lang) or quick.words[lang]
    return QuickRewriteChoice(key=key, language=lang, label=label, instruction=label)


def quick_rewrite_instruction(keys: Sequence[str], selection: str, free: str = "", before: str = "") -> str:
    """What a rewrite asks for when the writer picked the quick rewrites ``keys`` and typed ``free`` (or ""), in the
    selection's language. One quick rewrite alone is its button's text, which the engine knows by name and answers
    with its own words and worked examples; several (or one and free text) read as one instruction in that language:
    "More vivid, shorter, in the past tense" or "更生动、更简洁，改成过去时"."""
    lang = _language(selection, before)
    picked = [quick_rewrite_choice(k, selection, before).label for k in keys]
    free = free.strip()
    if lang == "zh":
        text = "、".join(picked)
        return f"{text}，{free}" if text and free else text or free
    parts = [p.lower() for p in picked] + ([free] if free else [])
    text = ", ".join(parts)
    return text[:1].upper() + text[1:]


def _language(selection: str, before: str) -> str:
    # The engine's own judgement, so the instruction's language is the prompt's. Imported here: the prompt
    # module brings numpy (form steering), which importing the services must not.
    from studio.engine.prompts import draft_language

    return draft_language(selection, before)


class _CatalogueVerbs(Protocol[T]):
    """What storage's one catalogue repository does for either kind (its row type stays inside storage)."""

    def get(self, item_id: int) -> T: ...
    def create(self, item: T) -> T: ...
    def update(self, item: T) -> T: ...
    def duplicate(self, item_id: int, name: str | None = None) -> T: ...
    def delete(self, item_id: int) -> None: ...
    def reset(self, item_id: int) -> T: ...


class Catalogue(Generic[T]):
    """The writer's verbs on one catalogue (presets or styles), one transaction each, over the one generic
    repository; each editor holds one, so each verb is written once for both kinds."""

    def __init__(self, store: Store, repository: Callable[[UnitOfWork], _CatalogueVerbs[T]]) -> None:
        self._store = store
        self._repository = repository

    def get(self, item_id: int) -> T:
        with self._store.unit_of_work(readonly=True) as uow:
            return self._repository(uow).get(item_id)

    def save(self, item: T) -> T:
        """Create ``item`` (no id yet) or save it over the row with its id."""
        with self._store.unit_of_work() as uow:
            repo = self._repository(uow)
            return repo.update(item) if item.id else repo.create(item)

    def duplicate(self, item_id: int, name: str | None = None) -> T:
        with self._store.unit_of_work() as uow:
            return self._repository(uow).duplicate(item_id, name)

    def delete(self, item_id: int) -> None:
        with self._store.unit_of_work() as uow:
            self._repository(uow).delete(item_id)

    def reset(self, item_id: int) -> T:
        with self._store.unit_of_work() as uow:
            return self._repository(uow).reset(item_id)


class LibraryService:
    def __init__(self, store: Store) -> None:
        self._store = store
        self.preset_catalogue: Catalogue[Preset] = Catalogue(store, lambda uow: uow.presets)
        self.style_catalogue: Catalogue[StyleVariant] = Catalogue(store, lambda uow: uow.styles)
        self.files = LibraryFiles(store)

    # -- reading: each kind is listed and found by name in its own scope (presets per action, styles per form)
    def presets(self, action: Action | None = None) -> list[Preset]:
        with self._store.unit_of_work(readonly=True) as uow:
            return uow.presets.list(action=action)

    def preset(self, preset_id: int) -> Preset:
        return self.preset_catalogue.get(preset_id)

    def preset_by_name(self, name: str) -> Preset:
        with self._store.unit_of_work(readonly=True) as uow:
            return uow.presets.get_by_name(name)

    def styles(self, form: Form | None = None) -> list[StyleVariant]:
        with self._store.unit_of_work(readonly=True) as uow:
            return uow.styles.list(form=form)

    def style(self, style_id: int) -> StyleVariant:
        return self.style_catalogue.get(style_id)

    def style_by_name(self, name: str, form: Form | None = None) -> StyleVariant:
        with self._store.unit_of_work(readonly=True) as uow:
            return uow.styles.get_by_name(name, form)

    # -- files: presets and styles in and out as TOML (services/library_files.py) -----------------------------
    def export_presets(self, path: Path, ids: Sequence[int] | None = None) -> int:
        """Write the presets ``ids`` (default: all) to ``path``; how many were written."""
        chosen = self.presets() if ids is None else [self.preset(i) for i in ids]
        return self.files.export_presets(path, chosen)

    def import_presets(self, path: Path) -> list[Preset]:
        """Every preset in ``path``, checked, then saved together; a bad file saves nothing (UsageError)."""
        return self.files.import_presets(path)

    def export_styles(self, path: Path, ids: Sequence[int] | None = None) -> int:
        chosen = self.styles() if ids is None else [self.style(i) for i in ids]
        return self.files.export_styles(path, chosen)

    def import_styles(self, path: Path) -> list[StyleVariant]:
        return self.files.import_styles(path)

    # -- settings ------------------------------------------------------------------------------------------
    def setting(self, key: str, default: Any = None) -> Any:
        with self._store.unit_of_work(readonly=True) as uow:
            return uow.settings.get(key, default)

    def set_setting(self, key: str, value: Any) -> None:
        with self._store.unit_of_work() as uow:
            uow.settings.set(key, value)
