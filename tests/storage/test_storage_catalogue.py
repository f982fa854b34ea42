"""Presets and styles through the one catalogue repository, on a real database: each test runs for both."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from studio.domain import Action, Form, NotFoundError, Preset, StyleVariant, UsageError
from studio.storage import Store
from studio.storage.kinds import PRESETS, STYLES, CatalogueKind, free_name
from studio.storage.repositories import CatalogueRepository, PresetRepository, StyleRepository


@dataclass(frozen=True)
class Catalogue:
    """How a test reaches one catalogue: its kind, its repository in a unit of work, items to make."""

    kind: CatalogueKind[Any, Any]
    repo: Callable[[Any], CatalogueRepository[Any, Any]]
    make: Callable[[str, str], Any]  # (name, group) -> a new item
    groups: tuple[str, str]
    builtin: tuple[str, str]  # (name, group) of a built-in in the conftest resources


CATALOGUES = [
    Catalogue(
        PRESETS,
        lambda uow: uow.presets,
        lambda name, group: Preset(id=None, name=name, action=Action(group), template_base="{before}"),
        ("continue", "rewrite"),
        ("Plain continue", "continue"),
    ),
    Catalogue(
        STYLES,
        lambda uow: uow.styles,
        lambda name, group: StyleVariant(id=None, name=name, form=Form(group), guidance="Plainly."),
        ("prose", "poetry"),
        ("Spare", "prose"),
    ),
]


@pytest.fixture(params=CATALOGUES, ids=lambda c: c.kind.noun)
def cat(request: pytest.FixtureRequest) -> Catalogue:
    return request.param  # type: ignore[no-any-return]


def by_name(cat: Catalogue, repo: Any, name: str, group: str) -> Any:
    return repo.get_by_name(name, group) if cat.kind.names_per_group else repo.get_by_name(name)


def test_both_repositories_are_the_catalogue_repository(store: Store) -> None:
    with store.unit_of_work(readonly=True) as uow:
        assert isinstance(uow.presets, PresetRepository) and isinstance(uow.styles, StyleRepository)
        for repo in (uow.presets, uow.styles):
            assert type(repo).duplicate is CatalogueRepository.duplicate
            assert type(repo).reset is CatalogueRepository.reset


def test_create_rename_delete(cat: Catalogue, store: Store) -> None:
    group = cat.groups[0]
    with store.unit_of_work() as uow:
        repo = cat.repo(uow)
        item = repo.create(cat.make("  Mine  ", group))
        assert item.id is not None and item.name == "Mine" and not item.builtin and item.builtin_key is None
        renamed = repo.update(dataclasses.replace(item, name="Mine, renamed"))
        assert renamed.id == item.id and renamed.name == "Mine, renamed" and not renamed.modified
    with store.unit_of_work() as uow:
        repo = cat.repo(uow)
        assert by_name(cat, repo, "mine, RENAMED", group) == renamed  # case-insensitive lookup
        with pytest.raises(NotFoundError, match=f"No {cat.kind.noun} named 'Mine'"):
            by_name(cat, repo, "Mine", group)
        with pytest.raises(UsageError, match=f"A {cat.kind.noun} needs a name"):
            repo.update(dataclasses.replace(renamed, name="   "))
        repo.delete(renamed.id)
    with store.unit_of_work() as uow, pytest.raises(NotFoundError, match=f"No {cat.kind.noun} with id"):
        cat.repo(uow).get(renamed.id)


def test_duplicate_takes_the_first_free_copy_name(cat: Catalogue, store: Store) -> None:
    a, b = cat.groups
    with store.unit_of_work() as uow:
        repo = cat.repo(uow)
        src = repo.create(cat.make("Draft", a))
        repo.create(cat.make("Draft (copy)", a))  # the first copy name is already the writer's
        second = repo.duplicate(src.id)
        # Another group's "(copy 3)" blocks the name only where names are unique across the whole catalogue.
        repo.create(cat.make("Draft (copy 3)", b))
        third = repo.duplicate(src.id)
        named = repo.duplicate(src.id, " Kept ")
        with pytest.raises(UsageError, match="already exists"):
            repo.duplicate(src.id, "Draft")
    assert second.name == "Draft (copy 2)"
    assert third.name == ("Draft (copy 3)" if cat.kind.names_per_group else "Draft (copy 4)")
    assert named.name == "Kept"
    for copy in (second, third, named):
        assert copy.id != src.id and not copy.builtin and cat.kind.group_of(copy) == a
        assert cat.kind.content(dataclasses.replace(copy, name=src.name)) == cat.kind.content(src)


def test_reset_a_builtin_after_the_writer_took_its_name(cat: Catalogue, store: Store) -> None:
    name, group = cat.builtin
    with store.unit_of_work() as uow:
        repo = cat.repo(uow)
        shipped = by_name(cat, repo, name, group)
        edited = repo.update(dataclasses.replace(shipped, name="Edited", description="changed by the writer"))
        assert edited.modified and edited.builtin and edited.builtin_key == shipped.builtin_key
        with pytest.raises(UsageError, match=f"built-in {cat.kind.noun}s can be reset, not deleted"):
            repo.delete(edited.id)
        mine = repo.create(cat.make(name, group))  # the shipped name is free now, and the writer takes it
        back = repo.reset(edited.id)
        with pytest.raises(UsageError, match="is your own"):
            repo.reset(mine.id)
    assert back.id == shipped.id and not back.modified
    assert back.name == f"{name} (built-in)"  # the writer's row keeps the name
    assert cat.kind.content(dataclasses.replace(back, name=name)) == cat.kind.content(shipped)


def test_scoped_listing_and_names(cat: Catalogue, store: Store) -> None:
    a, b = cat.groups
    with store.unit_of_work() as uow:
        repo = cat.repo(uow)
        in_a = repo.create(cat.make("Shared", a))
        if cat.kind.names_per_group:
            in_b = repo.create(cat.make("Shared", b))  # the same name in another group is another item
            with pytest.raises(UsageError, match="Several .* say which"):
                repo.get_by_name("Shared")
            assert repo.get_by_name("Shared", b) == in_b
        else:
            with pytest.raises(UsageError, match="already exists"):
                repo.create(cat.make("Shared", b))
            in_b = repo.create(cat.make("Other", b))
        listed_a, listed_b, everything = repo.list(a), repo.list(b), repo.list()
    assert in_a in listed_a and in_a not in listed_b and in_b in listed_b and in_b not in listed_a
    assert {cat.kind.group_of(x) for x in listed_a} == {a}
    for listed in (listed_a, listed_b, everything):
        flags = [x.builtin for x in listed]
        assert flags == sorted(flags, reverse=True) and True in flags  # built-ins first
    assert len(everything) == len(listed_a) + len(listed_b)


def test_free_name_is_the_name_itself_when_nobody_holds_it(cat: Catalogue, store: Store) -> None:
    name, group = cat.builtin
    with store.unit_of_work(readonly=True) as uow:
        held = by_name(cat, cat.repo(uow), name, group)
        assert free_name(uow.session, cat.kind, "Nobody has this", group, suffix="copy") == "Nobody has this"
        assert free_name(uow.session, cat.kind, name, group, suffix="copy") == f"{name} (copy)"
        # The row being renamed does not block its own name.
        assert free_name(uow.session, cat.kind, name, group, suffix="copy", exclude_id=held.id) == name
