"""LibraryService's catalogues over a real Store: the writer's verbs on presets and on styles, each test for both."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import pytest

from studio.domain import Action, Form, NotFoundError, Preset, StyleVariant, UsageError
from studio.services import Services
from studio.services.library import Catalogue


@dataclass(frozen=True)
class Kind:
    catalogue: Callable[[Services], Catalogue[Any]]
    listed: Callable[[Services], list[Any]]  # the library's own listing of this kind
    make: Callable[[str], Any]  # a new item of this kind named so


KINDS = {
    "preset": Kind(
        lambda sv: sv.library.preset_catalogue,
        lambda sv: sv.library.presets(),
        lambda name: Preset(id=None, name=name, action=Action.REWRITE, template_base="{selection}"),
    ),
    "style": Kind(
        lambda sv: sv.library.style_catalogue,
        lambda sv: sv.library.styles(),
        lambda name: StyleVariant(id=None, name=name, form=Form.POETRY, guidance="短句。Short lines."),
    ),
}


@pytest.fixture(params=list(KINDS), ids=str)
def kind(request: pytest.FixtureRequest) -> Kind:
    return KINDS[request.param]


def test_save_creates_then_updates_the_writers_own(sv: Services, kind: Kind) -> None:
    cat = kind.catalogue(sv)
    made = cat.save(kind.make("海边 Sea"))
    assert made.id is not None and not made.builtin and cat.get(made.id) == made
    renamed = cat.save(replace(made, name="海边 Sea, later", description="改过"))
    assert renamed.id == made.id and cat.get(made.id).description == "改过"
    assert [i.name for i in kind.listed(sv)].count("海边 Sea, later") == 1
    with pytest.raises(UsageError, match="needs a name"):
        cat.save(kind.make("   "))


def test_duplicate_then_delete_the_copy(sv: Services, kind: Kind) -> None:
    cat = kind.catalogue(sv)
    src = cat.save(kind.make("Mine"))
    copy = cat.duplicate(src.id)
    named = cat.duplicate(src.id, "Mine again")
    assert (copy.name, named.name) == ("Mine (copy)", "Mine again")
    cat.delete(copy.id)
    with pytest.raises(NotFoundError):
        cat.get(copy.id)
    assert cat.get(named.id).name == "Mine again"


def test_a_built_in_is_reset_not_deleted(sv: Services, kind: Kind) -> None:
    cat = kind.catalogue(sv)
    builtin = next(i for i in kind.listed(sv) if i.builtin)
    edited = cat.save(replace(builtin, description="the writer's words"))
    assert edited.modified and cat.get(builtin.id).description == "the writer's words"
    with pytest.raises(UsageError, match="reset, not deleted"):
        cat.delete(builtin.id)
    back = cat.reset(builtin.id)
    assert back == replace(builtin, id=builtin.id) and not back.modified
    with pytest.raises(UsageError, match="Only built-in"):
        cat.reset(cat.save(kind.make("Own")).id)
