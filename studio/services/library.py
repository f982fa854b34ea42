"""Prompt presets, style variants and settings: thin use cases over the store, one transaction each; and the
quick rewrites the assistant offers."""

from __future__ import annotations

from typing import Any

from studio.domain import Action, Form, Preset, StyleVariant
from studio.engine.quick_rewrites import QUICK_REWRITES
from studio.storage import Store


def quick_rewrite_buttons() -> list[tuple[str, str]]:
    """(key, button text) of the quick rewrites that have a button, in the catalogue's order.

    The engine reads the same catalogue (resources/quick_rewrites.toml), and each button's text in lower case is
    one of its rewrite's aliases, so what a button asks for is always a rewrite the engine knows by name.
    """
    return [(q.key, q.button) for q in QUICK_REWRITES.values() if q.button]


class LibraryService:
    def __init__(self, store: Store) -> None:
        self._store = store

    # -- presets -------------------------------------------------------------------------------------------
    def presets(self, action: Action | None = None) -> list[Preset]:
        with self._store.unit_of_work(readonly=True) as uow:
            return uow.presets.list(action=action)

    def preset(self, preset_id: int) -> Preset:
        with self._store.unit_of_work(readonly=True) as uow:
            return uow.presets.get(preset_id)

    def preset_by_name(self, name: str) -> Preset:
        with self._store.unit_of_work(readonly=True) as uow:
            return uow.presets.get_by_name(name)

    def save_preset(self, preset: Preset) -> Preset:
        with self._store.unit_of_work() as uow:
            return uow.presets.update(preset) if preset.id else uow.presets.create(preset)

    def duplicate_preset(self, preset_id: int, name: str | None = None) -> Preset:
        with self._store.unit_of_work() as uow:
            return uow.presets.duplicate(preset_id, name)

    def delete_preset(self, preset_id: int) -> None:
        with self._store.unit_of_work() as uow:
            uow.presets.delete(preset_id)

    def reset_preset(self, preset_id: int) -> Preset:
        with self._store.unit_of_work() as uow:
            return uow.presets.reset(preset_id)

    # -- styles --------------------------------------------------------------------------------------------
    def styles(self, form: Form | None = None) -> list[StyleVariant]:
        with self._store.unit_of_work(readonly=True) as uow:
            return uow.styles.list(form=form)

    def style(self, style_id: int) -> StyleVariant:
        with self._store.unit_of_work(readonly=True) as uow:
            return uow.styles.get(style_id)

    def style_by_name(self, name: str, form: Form | None = None) -> StyleVariant:
        with self._store.unit_of_work(readonly=True) as uow:
            return uow.styles.get_by_name(name, form)

    def save_style(self, style: StyleVariant) -> StyleVariant:
        with self._store.unit_of_work() as uow:
            return uow.styles.update(style) if style.id else uow.styles.create(style)

    def duplicate_style(self, style_id: int, name: str | None = None) -> StyleVariant:
        with self._store.unit_of_work() as uow:
            return uow.styles.duplicate(style_id, name)

    def delete_style(self, style_id: int) -> None:
        with self._store.unit_of_work() as uow:
            uow.styles.delete(style_id)

    def reset_style(self, style_id: int) -> StyleVariant:
        with self._store.unit_of_work() as uow:
            return uow.styles.reset(style_id)

    # -- settings ------------------------------------------------------------------------------------------
    def setting(self, key: str, default: Any = None) -> Any:
        with self._store.unit_of_work(readonly=True) as uow:
            return uow.settings.get(key, default)

    def set_setting(self, key: str, value: Any) -> None:
        with self._store.unit_of_work() as uow:
            uow.settings.set(key, value)
