"""Presets and style variants, the two catalogues, described once.

Both are named, editable lists that Studio seeds with built-ins: the same rules (names unique, built-ins
resettable but never deletable, copies get a free name) apply to both, so the repository (repositories/catalogue.py)
and the seeding (builtins.py) are written once over a :class:`CatalogueKind` that says how the two differ: the row
type, how a row becomes a domain object and back, and the *group* column (a preset's action, a style's form) that
lists filter on and that, for styles, scopes names ("Spare" prose and "Spare" poetry are different variants).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute, Session

from studio.domain import Action, Form, Preset, Sampler, StyleVariant, UsageError
from studio.domain.i18n import QT_TRANSLATE_NOOP, msg
from studio.storage.mapping import from_row
from studio.storage.orm import PresetRow, StyleRow

if TYPE_CHECKING:
    from studio.storage.builtins import BuiltinCatalog

T = TypeVar("T", Preset, StyleVariant)
R = TypeVar("R", PresetRow, StyleRow)
T_co = TypeVar("T_co", covariant=True)


class Shipped(Protocol[T_co]):
    """A built-in definition as read from the resource files."""

    @property
    def content_hash(self) -> str: ...

    @property
    def item(self) -> T_co: ...


def parse_action(value: Action | str) -> Action:
    if isinstance(value, Action):
        return value
    try:
        return Action(str(value).strip().lower())
    except ValueError:
        known = ", ".join(a.value for a in Action)
        raise UsageError(msg(QT_TRANSLATE_NOOP("messages", "Unknown action {action}; choose one of: {known}."),
                             action=repr(value), known=known)) from None


def parse_form(value: Form | str) -> Form:
    return value if isinstance(value, Form) else Form.parse(value)


@dataclass(frozen=True)
class CatalogueKind(Generic[T, R]):
    noun: str  # "preset" | "style": in messages, and in the seed report's "<noun>:<key>"
    row_type: type[R]
    group_column: InstrumentedAttribute[str]  # what lists filter on: a preset's action, a style's form
    names_per_group: bool  # names unique within a group (styles per form) rather than across the catalogue
    group_noun: str  # "action" | "form", for "say which form"
    to_item: Callable[[R], T]
    content: Callable[[T], dict[str, Any]]  # what an item says, by column (not which row holds it): compared, hashed
    normalize: Callable[[T], T]  # the action or form a caller may have given as text, parsed (UsageError if unknown)
    group_of: Callable[[T], str]
    shipped: Callable[[BuiltinCatalog], Mapping[str, Shipped[T]]]

    def apply(self, row: R, item: T, name: str) -> None:
        """Copy what ``item`` says onto ``row`` under ``name``: the very columns its content names, so what is
        written and what is compared cannot drift apart. Bookkeeping (built-in, modified, hash) is the caller's."""
        for column, value in self.content(item).items():
            setattr(row, column, value)
        row.name = name


# -- presets -------------------------------------------------------------------------------------------------------


def _preset(row: PresetRow) -> Preset:
    # merged() ignores keys this version does not know, so a hand-edited row cannot break loading.
    return from_row(Preset, row, action=Action(row.action), sampler=Sampler().merged(row.sampler or {}))


def preset_content(p: Preset) -> dict[str, Any]:
    return {
        "name": p.name,
        "action": Action(p.action).value,
        "template_base": p.template_base,
        "template_chat": p.template_chat,
        "sampler": p.sampler.to_dict(),
        "description": p.description,
    }


PRESETS: CatalogueKind[Preset, PresetRow] = CatalogueKind(
    noun=msg(QT_TRANSLATE_NOOP("messages", "preset")),
    row_type=PresetRow,
    group_column=PresetRow.action,
    names_per_group=False,
    group_noun=msg(QT_TRANSLATE_NOOP("messages", "action")),
    to_item=_preset,
    content=preset_content,
    normalize=lambda p: replace(p, action=parse_action(p.action)),
    group_of=lambda p: Action(p.action).value,
    shipped=lambda catalog: catalog.presets,
)


# -- styles --------------------------------------------------------------------------------------------------------


def _style(row: StyleRow) -> StyleVariant:
    return from_row(
        StyleVariant,
        row,
        form=Form(row.form),
        exemplars=tuple(row.exemplars or ()),
        sampler_overrides=dict(row.sampler_overrides or {}),
    )


def _jsonable(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def style_content(s: StyleVariant) -> dict[str, Any]:
    return {
        "name": s.name,
        "form": Form(s.form).value,
        "guidance": s.guidance,
        "exemplars": list(s.exemplars),
        "sampler_overrides": {k: _jsonable(v) for k, v in sorted(dict(s.sampler_overrides).items())},
        "description": s.description,
    }


STYLES: CatalogueKind[StyleVariant, StyleRow] = CatalogueKind(
    noun=msg(QT_TRANSLATE_NOOP("messages", "style")),
    row_type=StyleRow,
    group_column=StyleRow.form,
    names_per_group=True,
    group_noun=msg(QT_TRANSLATE_NOOP("messages", "form")),
    to_item=_style,
    content=style_content,
    normalize=lambda s: replace(s, form=parse_form(s.form)),
    group_of=lambda s: Form(s.form).value,
    shipped=lambda catalog: catalog.styles,
)


# -- names ---------------------------------------------------------------------------------------------------------


def name_taken(
    session: Session, kind: CatalogueKind[T, R], name: str, group: str, exclude_id: int | None = None
) -> bool:
    """Whether another row of the catalogue holds ``name`` (within ``group`` when names are scoped per group)."""
    row = kind.row_type
    stmt = select(row.id).where(row.name == name)
    if kind.names_per_group:
        stmt = stmt.where(kind.group_column == group)
    if exclude_id is not None:
        stmt = stmt.where(row.id != exclude_id)
    return session.scalar(stmt.limit(1)) is not None


def free_name(
    session: Session, kind: CatalogueKind[T, R], name: str, group: str, *, suffix: str, exclude_id: int | None = None
) -> str:
    """``name`` if no other row holds it, else "<name> (<suffix>)", "<name> (<suffix> 2)", ... whichever is free
    first: "(copy)" for a duplicate (whose source holds the name), "(built-in)" for a built-in seeded beside a
    writer's row of the same name."""

    def taken(candidate: str) -> bool:
        return name_taken(session, kind, candidate, group, exclude_id)

    if not taken(name):
        return name
    n = 1
    while True:
        candidate = f"{name} ({suffix})" if n == 1 else f"{name} ({suffix} {n})"
        if not taken(candidate):
            return candidate
        n += 1
