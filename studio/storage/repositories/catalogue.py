"""Presets and style variants: one repository written over a :class:`~studio.storage.kinds.CatalogueKind`.

Built-ins are seeded from resources (builtins.py): editable (an edit marks them modified, so upgrades skip them),
resettable to what Studio ships, never deletable. The writer's own rows can be anything. Names are unique in the
whole catalogue (presets) or per group (styles, per form).
"""

from __future__ import annotations

from typing import Generic

from sqlalchemy import select
from sqlalchemy.orm import Session

from studio.domain import Action, Form, NotFoundError, Preset, StyleVariant, UsageError
from studio.domain.i18n import QT_TRANSLATE_NOOP, msg
from studio.storage.builtins import BuiltinCatalog
from studio.storage.kinds import PRESETS, STYLES, CatalogueKind, R, T, free_name, name_taken
from studio.storage.orm import PresetRow, StyleRow
from studio.storage.repositories._common import Repository, flush, get_row, parse_action, parse_form


class CatalogueRepository(Repository, Generic[T, R]):
    def __init__(self, kind: CatalogueKind[T, R], session: Session, builtins: BuiltinCatalog | None = None) -> None:
        super().__init__(session)
        self._kind: CatalogueKind[T, R] = kind
        self._builtins = builtins or BuiltinCatalog()

    def _row(self, item_id: int) -> R:
        return get_row(self._session, self._kind.row_type, item_id, self._kind.noun)

    def _clean_name(self, name: str, group: str, exclude_id: int | None = None) -> str:
        kind = self._kind
        clean = name.strip()
        if not clean:
            raise UsageError(msg(QT_TRANSLATE_NOOP("messages", "A {noun} needs a name."), noun=kind.noun))
        if name_taken(self._session, kind, clean, group, exclude_id):
            scope = msg(QT_TRANSLATE_NOOP("messages", "{group} "), group=group) if kind.names_per_group else ""
            raise UsageError(msg(QT_TRANSLATE_NOOP("messages", "A {scope}{noun} named {clean} already exists; choose "
                                                               "another name."),
                                 scope=scope, noun=kind.noun, clean=repr(clean)))
        return clean

    def _list(self, group: str | None) -> list[T]:
        """Built-ins first in the order they ship (the first per group is the default), then the writer's."""
        table = self._kind.row_type
        stmt = select(table)
        if group is not None:
            stmt = stmt.where(self._kind.group_column == group)
        stmt = stmt.order_by(table.builtin.desc(), table.id)
        return [self._kind.to_item(r) for r in self._session.scalars(stmt)]

    def get(self, item_id: int) -> T:
        return self._kind.to_item(self._row(item_id))

    def _by_name(self, name: str, group: str | None) -> T:
        """By name: exact, else ignoring case. When several match, a scoped catalogue asks for the group."""
        kind, clean = self._kind, name.strip()
        stmt = select(kind.row_type)
        if group is not None:
            stmt = stmt.where(kind.group_column == group)
        rows = [kind.to_item(r) for r in self._session.scalars(stmt)]
        matches = [r for r in rows if r.name == clean] or [r for r in rows if r.name.casefold() == clean.casefold()]
        if len(matches) > 1 and kind.names_per_group:
            groups = ", ".join(sorted({kind.group_of(r) for r in matches}))
            raise UsageError(msg(QT_TRANSLATE_NOOP("messages", "Several {noun}s are named {clean} ({groups}); say "
                                                               "which {group_noun}."),
                                 noun=kind.noun, clean=repr(clean), groups=groups, group_noun=kind.group_noun))
        if len(matches) != 1:
            where = msg(QT_TRANSLATE_NOOP("messages", " for {group}"), group=group) if group is not None else ""
            raise NotFoundError(msg(QT_TRANSLATE_NOOP("messages", "No {noun} named {clean}{where}"),
                                    noun=kind.noun, clean=repr(clean), where=where))
        return matches[0]

    def create(self, item: T) -> T:
        """A new row owned by the writer (``item.id`` and the built-in fields are ignored)."""
        kind = self._kind
        item = kind.normalize(item)
        row = kind.row_type(builtin=False, builtin_key=None, builtin_hash=None, modified=False)
        kind.apply(row, item, self._clean_name(item.name, kind.group_of(item)))
        self._session.add(row)
        flush(self._session)
        return kind.to_item(row)

    def update(self, item: T) -> T:
        """Save ``item`` over the row with its id. Editing a built-in marks it modified: upgrades skip it."""
        kind = self._kind
        if item.id is None:
            raise UsageError(msg(QT_TRANSLATE_NOOP("messages", "This {noun} has not been saved yet; create it "
                                                               "instead."), noun=kind.noun))
        row = self._row(item.id)
        item = kind.normalize(item)
        before = kind.content(kind.to_item(row))
        kind.apply(row, item, self._clean_name(item.name, kind.group_of(item), exclude_id=row.id))
        if row.builtin and kind.content(kind.to_item(row)) != before:
            row.modified = True
        flush(self._session)
        return kind.to_item(row)

    def delete(self, item_id: int) -> None:
        row = self._row(item_id)
        if row.builtin:
            noun = self._kind.noun
            raise UsageError(msg(QT_TRANSLATE_NOOP("messages", "built-in {noun}s can be reset, not deleted"),
                                 noun=noun),
                             hint=msg(QT_TRANSLATE_NOOP("messages", "Duplicate it to make your own copy.")))
        self._session.delete(row)
        flush(self._session)

    def duplicate(self, item_id: int, name: str | None = None) -> T:
        """A copy owned by the writer (built-in or not), named "<name> (copy)" unless a name is given."""
        kind = self._kind
        src = kind.to_item(self._row(item_id))
        group = kind.group_of(src)
        if name and name.strip():
            new_name = self._clean_name(name, group)
        else:
            new_name = free_name(self._session, kind, src.name, group, suffix="copy")
        copy = kind.row_type(builtin=False, builtin_key=None, builtin_hash=None, modified=False)
        kind.apply(copy, src, new_name)
        self._session.add(copy)
        flush(self._session)
        return kind.to_item(copy)

    def reset(self, item_id: int) -> T:
        """Put a built-in back to what Studio ships, discarding the writer's edits."""
        kind = self._kind
        row = self._row(item_id)
        if not row.builtin or row.builtin_key is None:
            raise UsageError(msg(QT_TRANSLATE_NOOP("messages", "Only built-in {noun}s can be reset; {name} is your "
                                                               "own."), noun=kind.noun, name=repr(row.name)))
        shipped = kind.shipped(self._builtins).get(row.builtin_key)
        if shipped is None:
            raise UsageError(
                msg(QT_TRANSLATE_NOOP("messages", "The built-in {noun} {name} is no longer shipped with this Studio; "
                                                  "there is nothing to reset it to."),
                    noun=kind.noun, name=repr(row.name))
            )
        item = shipped.item
        name = free_name(self._session, kind, item.name, kind.group_of(item), suffix="built-in", exclude_id=row.id)
        kind.apply(row, item, name)
        row.builtin_hash = shipped.content_hash
        row.modified = False
        flush(self._session)
        return kind.to_item(row)


class PresetRepository(CatalogueRepository[Preset, PresetRow]):
    """Presets, listed per action; names unique across all presets."""

    def __init__(self, session: Session, builtins: BuiltinCatalog | None = None) -> None:
        super().__init__(PRESETS, session, builtins)

    def list(self, action: Action | str | None = None) -> list[Preset]:
        """Built-ins first in the order they ship (the first one per action is the default), then the writer's."""
        return self._list(parse_action(action).value if action is not None else None)

    def get_by_name(self, name: str) -> Preset:
        """Exact name, else the one preset whose name matches ignoring case."""
        return self._by_name(name, None)


class StyleRepository(CatalogueRepository[StyleVariant, StyleRow]):
    """Style variants per form; names unique per form."""

    def __init__(self, session: Session, builtins: BuiltinCatalog | None = None) -> None:
        super().__init__(STYLES, session, builtins)

    def list(self, form: Form | str | None = None) -> list[StyleVariant]:
        """Built-ins first in shipped order (the first per form is a new draft's default), then the writer's."""
        return self._list(parse_form(form).value if form is not None else None)

    def get_by_name(self, name: str, form: Form | str | None = None) -> StyleVariant:
        """By name (exact, else ignoring case); ``form`` is needed only when several forms share the name."""
        return self._by_name(name, parse_form(form).value if form is not None else None)
