"""Presets, styles and built-in seeding; generation history; settings."""

from __future__ import annotations

import dataclasses
import sqlite3
from pathlib import Path
from types import SimpleNamespace

import pytest

from studio.domain import (
    Action,
    Form,
    GenerationRecord,
    NotFoundError,
    Preset,
    Sampler,
    StudioError,
    StyleVariant,
    UsageError,
)
from studio.paths import Paths, resources_dir
from studio.storage import BuiltinResourceError, Store, load_builtins


def _id(item: Preset | StyleVariant | GenerationRecord) -> int:
    assert item.id is not None, "saved objects have ids"
    return item.id


def reopen(paths: Paths, resources: Path) -> Store:
    return Store.open(paths, resources=resources, keep_backups=1)


# -- seeding ----------------------------------------------------------------------------------------------------


def test_first_run_seeds_builtins(store: Store) -> None:
    with store.unit_of_work() as uow:
        presets = uow.presets.list()
        styles = uow.styles.list()
    assert [p.builtin_key for p in presets] == ["continue-plain", "rewrite-vivid"]
    plain = presets[0]
    assert plain.builtin and not plain.modified and plain.action is Action.CONTINUE
    assert plain.sampler == Sampler(temperature=0.8, max_tokens=120, stop=("\n\n\n",))
    assert plain.template_base == "{notes}\n\n{before}"
    assert presets[1].template_chat.startswith("Rewrite this passage")
    assert [(s.name, s.form) for s in styles] == [("Spare", Form.PROSE), ("Spare", Form.POETRY)]
    assert styles[0].exemplars == ("The door shut. She waited.",)
    assert dict(styles[0].sampler_overrides) == {"temperature": 0.6}
    assert store.last_seed is not None and len(store.last_seed.inserted) == 4


def test_reseeding_is_idempotent(paths: Paths, resources: Path, store: Store) -> None:
    with store.unit_of_work() as uow:
        before = (uow.presets.list(), uow.styles.list())
    store.close()
    again = reopen(paths, resources)
    with again.unit_of_work() as uow:
        assert (uow.presets.list(), uow.styles.list()) == before
    assert again.last_seed is not None
    assert (again.last_seed.inserted, again.last_seed.upgraded) == ([], [])
    again.close()


def test_upgrade_changes_unmodified_builtins_and_spares_edited_ones(
    kit: SimpleNamespace, paths: Paths, resources: Path, store: Store
) -> None:
    with store.unit_of_work() as uow:
        vivid = uow.presets.get_by_name("Vivid rewrite")
        mine = uow.presets.update(dataclasses.replace(vivid, template_base="MY OWN {selection}"))
        assert mine.modified and mine.builtin
        user = uow.presets.create(Preset(id=None, name="Mine", action=Action.CONTINUE, template_base="{before}"))
    store.close()

    kit.write(
        resources,
        presets=kit.presets.replace("temperature = 0.8", "temperature = 0.7").replace(
            "Rewrite more vividly", "Rewrite with colour"
        )
        + '\n[[preset]]\nkey = "continue-new"\nname = "New in 2.0"\naction = "continue"\ntemplate_base = "{before}"\n',
        styles=kit.styles.replace("Cut adjectives.", "Cut adverbs too."),
    )
    upgraded = reopen(paths, resources)
    with upgraded.unit_of_work() as uow:
        plain = uow.presets.get_by_name("Plain continue")
        assert plain.sampler.temperature == 0.7 and not plain.modified  # upgraded
        still_mine = uow.presets.get(_id(vivid))
        assert still_mine.template_base == "MY OWN {selection}" and still_mine.modified  # left alone
        assert uow.presets.get(_id(user)) == user  # user rows untouched
        assert uow.presets.get_by_name("New in 2.0").builtin  # new built-in inserted
        assert uow.styles.get_by_name("Spare", Form.PROSE).guidance == "Write plainly. Cut adverbs too."
    assert upgraded.last_seed is not None
    assert sorted(upgraded.last_seed.upgraded) == ["preset:continue-plain", "style:prose-spare"]
    assert upgraded.last_seed.kept_modified == ["preset:rewrite-vivid"]
    assert upgraded.last_seed.inserted == ["preset:continue-new"]

    # Reset brings the edited one to the new shipped content and lets upgrades reach it again.
    with upgraded.unit_of_work() as uow:
        reset = uow.presets.reset(_id(vivid))
    assert reset.template_base.startswith("Rewrite with colour") and not reset.modified and reset.id == vivid.id
    upgraded.close()


def test_builtin_seeded_beside_a_user_row_with_its_name(kit: SimpleNamespace, paths: Paths, tmp_path: Path) -> None:
    empty = kit.write(tmp_path / "none", presets="", styles="")
    store = Store.open(paths, resources=empty)
    with store.unit_of_work() as uow:
        uow.presets.create(Preset(id=None, name="Plain continue", action=Action.CONTINUE, template_base="mine"))
        uow.styles.create(StyleVariant(id=None, name="Spare", form=Form.PROSE, guidance="mine"))
    store.close()
    store = reopen(paths, kit.write(tmp_path / "full"))
    with store.unit_of_work() as uow:
        assert uow.presets.get_by_name("Plain continue").template_base == "mine"
        builtin = uow.presets.get_by_name("Plain continue (built-in)")
        assert builtin.builtin and builtin.builtin_key == "continue-plain"
        assert uow.styles.get_by_name("Spare (built-in)", Form.PROSE).builtin
        assert uow.styles.get_by_name("Spare", Form.POETRY).builtin  # other form: no clash
    store.close()


def test_editing_a_builtin_marks_it_modified_only_when_content_changes(store: Store) -> None:
    with store.unit_of_work() as uow:
        p = uow.presets.get_by_name("Plain continue")
        assert not uow.presets.update(p).modified  # saved unchanged
        edited = uow.presets.update(dataclasses.replace(p, sampler=dataclasses.replace(p.sampler, top_k=10)))
        assert edited.modified and edited.sampler.top_k == 10 and edited.builtin_key == "continue-plain"
        back = uow.presets.reset(_id(p))
        assert back == p


def test_builtins_cannot_be_deleted_but_can_be_duplicated(store: Store) -> None:
    with store.unit_of_work() as uow:
        p = uow.presets.get_by_name("Plain continue")
        s = uow.styles.get_by_name("Spare", "prose")
    with pytest.raises(UsageError, match="built-in presets can be reset, not deleted"), store.unit_of_work() as uow:
        uow.presets.delete(_id(p))
    with pytest.raises(UsageError, match="built-in styles can be reset, not deleted"), store.unit_of_work() as uow:
        uow.styles.delete(_id(s))
    with store.unit_of_work() as uow:
        c1 = uow.presets.duplicate(_id(p))
        c2 = uow.presets.duplicate(_id(p))
        named = uow.presets.duplicate(p.id, "Warmer")  # type: ignore[arg-type]
        sc = uow.styles.duplicate(_id(s))
    assert (c1.name, c2.name, named.name) == ("Plain continue (copy)", "Plain continue (copy 2)", "Warmer")
    assert not c1.builtin and c1.builtin_key is None and not c1.modified
    assert (c1.template_base, c1.sampler, c1.action) == (p.template_base, p.sampler, p.action)
    assert sc.name == "Spare (copy)" and sc.form is Form.PROSE and not sc.builtin
    with store.unit_of_work() as uow:
        uow.presets.delete(_id(c1))
        uow.styles.delete(_id(sc))
        with pytest.raises(NotFoundError):
            uow.presets.get(_id(c1))
        with pytest.raises(UsageError, match="is your own"):
            uow.presets.reset(_id(c2))


def test_reset_of_a_builtin_no_longer_shipped(
    kit: SimpleNamespace, paths: Paths, resources: Path, store: Store, tmp_path: Path
) -> None:
    store.close()
    trimmed = kit.write(tmp_path / "trimmed", presets=kit.presets.split('[[preset]]\nkey = "rewrite')[0])
    store = reopen(paths, trimmed)
    with store.unit_of_work() as uow:
        vivid = uow.presets.get_by_name("Vivid rewrite")  # kept: drafts may point at it
        with pytest.raises(UsageError, match="no longer shipped"):
            uow.presets.reset(_id(vivid))
    store.close()


# -- user presets and styles --------------------------------------------------------------------------------------


def test_preset_crud_and_lookup(store: Store) -> None:
    with store.unit_of_work() as uow:
        p = uow.presets.create(
            Preset(
                id=123,
                name=" Dreamy ",
                action="rewrite",  # type: ignore[arg-type]
                template_base="{selection}",
                builtin=True,
                builtin_key="sneaky",
                sampler=Sampler(temperature=1.2, stop=("END",)),
            )
        )
    assert p.id != 123 and p.name == "Dreamy" and p.action is Action.REWRITE
    assert not p.builtin and p.builtin_key is None  # callers cannot forge built-ins
    with store.unit_of_work() as uow:
        assert uow.presets.get(p.id) == p  # type: ignore[arg-type]
        assert uow.presets.get_by_name("dreamy") == p  # case-insensitive fallback
        assert [x.name for x in uow.presets.list(action=Action.REWRITE)] == ["Vivid rewrite", "Dreamy"]
        assert [x.name for x in uow.presets.list(action="continue")] == ["Plain continue"]
        with pytest.raises(NotFoundError, match="No preset named 'Nope'"):
            uow.presets.get_by_name("Nope")
        with pytest.raises(UsageError, match="already exists"):
            uow.presets.create(dataclasses.replace(p, id=None, name="Vivid rewrite"))
        with pytest.raises(UsageError, match="already exists"):
            uow.presets.update(dataclasses.replace(p, name="Vivid rewrite"))
        renamed = uow.presets.update(dataclasses.replace(p, name="Dreamier"))
        assert renamed.name == "Dreamier" and not renamed.modified  # user rows are never "modified"
        with pytest.raises(UsageError):
            uow.presets.create(dataclasses.replace(p, name="  "))
        with pytest.raises(UsageError, match="Unknown action"):
            uow.presets.create(dataclasses.replace(p, name="Bad", action="summarise"))  # type: ignore[arg-type]


def test_style_crud_and_lookup(store: Store) -> None:
    with store.unit_of_work() as uow:
        s = uow.styles.create(
            StyleVariant(
                id=None,
                name="Noir",
                form="screenplay",  # type: ignore[arg-type]
                guidance="Hard-boiled.",
                exemplars=("INT. OFFICE - NIGHT",),
                sampler_overrides={"temperature": 0.9},
            )
        )
        assert s.form is Form.SCREENPLAY and s.exemplars == ("INT. OFFICE - NIGHT",)
        assert [x.name for x in uow.styles.list(form=Form.SCREENPLAY)] == ["Noir"]
        assert uow.styles.get_by_name("noir") == s
        with pytest.raises(UsageError, match="Several styles are named 'Spare'"):
            uow.styles.get_by_name("Spare")
        with pytest.raises(NotFoundError, match="No style named 'Noir' for poetry"):
            uow.styles.get_by_name("Noir", Form.POETRY)
        same_name_other_form = uow.styles.create(dataclasses.replace(s, id=None, form=Form.PROSE))
        assert same_name_other_form.name == "Noir"
        with pytest.raises(UsageError, match="already exists"):
            uow.styles.create(dataclasses.replace(s, id=None))
        updated = uow.styles.update(dataclasses.replace(s, guidance="Softer.", exemplars=()))
        assert updated.guidance == "Softer." and updated.exemplars == () and not updated.modified


def test_deleting_a_style_clears_it_from_drafts(store: Store) -> None:
    with store.unit_of_work() as uow:
        s = uow.styles.create(StyleVariant(id=None, name="Temp", form=Form.PROSE, guidance="g"))
        d = uow.drafts.create("T", Form.PROSE, style_id=s.id)
    with store.unit_of_work() as uow:
        uow.styles.delete(_id(s))
    with store.unit_of_work() as uow:
        assert uow.drafts.get(d.id).style_id is None  # ON DELETE SET NULL


# -- resource files -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("presets", "expected"),
    [
        ('[[preset]]\nkey = "k"\nname = "N"\naction = "continue"\n', "missing required key 'template_base'"),
        ('[[preset]]\nkey = "k"\nname = "N"\naction = "summarise"\ntemplate_base = "x"\n', "action 'summarise'"),
        (
            '[[preset]]\nkey = "k"\nname = "N"\naction = "continue"\ntemplate_base = "x"\ntempalte_chat = "y"\n',
            "unknown key(s) 'tempalte_chat'",
        ),
        (
            (
                '[[preset]]\nkey = "k"\nname = "N"\naction = "continue"\ntemplate_base = "x"\n[preset.sampler]\n'
                'temperature = "hot"\n'
            ),
            "sampler.temperature must be a number",
        ),
        (
            (
                '[[preset]]\nkey = "k"\nname = "N"\naction = "continue"\ntemplate_base = "x"\n[preset.sampler]\n'
                "top_p = 3.0\n"
            ),
            "sampler.top_p = 3.0 is outside",
        ),
        (
            (
                '[[preset]]\nkey = "k"\nname = "N"\naction = "continue"\ntemplate_base = "x"\n[preset.sampler]\n'
                "warmth = 1\n"
            ),
            "unknown sampler setting 'warmth'",
        ),
        (
            (
                '[[preset]]\nkey = "k"\nname = "N"\naction = "continue"\ntemplate_base = "x"\n'
                '[[preset]]\nkey = "k"\nname = "M"\naction = "continue"\ntemplate_base = "x"\n'
            ),
            "key 'k' is already used",
        ),
        ("[[preset]\nbroken", "not valid TOML"),
        ('title = "x"\n', "unexpected top-level key(s) 'title'"),
    ],
)
def test_bad_preset_files_name_file_and_key(kit: SimpleNamespace, tmp_path: Path, presets: str, expected: str) -> None:
    res = kit.write(tmp_path / "res", presets=presets, styles="")
    with pytest.raises(BuiltinResourceError) as info:
        load_builtins(res)
    assert isinstance(info.value, StudioError)
    assert str(res / "presets" / "core.toml") in str(info.value)
    assert expected in str(info.value)


def test_bad_style_file(kit: SimpleNamespace, tmp_path: Path) -> None:
    res = kit.write(tmp_path / "res", styles='[[style]]\nkey = "s1"\nname = "S"\nform = "opera"\nguidance = "g"\n')
    with pytest.raises(BuiltinResourceError, match=r"style 's1': form 'opera' is not one of"):
        load_builtins(res)
    res = kit.write(
        tmp_path / "res",
        styles='[[style]]\nkey = "s1"\nname = "S"\nform = "prose"\nguidance = "g"\nexemplars = "just one"\n',
    )
    with pytest.raises(BuiltinResourceError, match="exemplars' must be a list of strings"):
        load_builtins(res)


def test_bad_resources_stop_open_before_touching_the_database(
    kit: SimpleNamespace, paths: Paths, tmp_path: Path
) -> None:
    res = kit.write(tmp_path / "res", presets="[[preset]]\nkey = 1\n")
    with pytest.raises(BuiltinResourceError):
        Store.open(paths, resources=res)
    assert not paths.database.exists()


def test_missing_resource_folders_mean_no_builtins(paths: Paths, tmp_path: Path) -> None:
    store = Store.open(paths, resources=tmp_path / "nothing-here")
    with store.unit_of_work() as uow:
        assert uow.presets.list() == [] and uow.styles.list() == []
    store.close()


def test_the_shipped_resources_load_and_seed(paths: Paths) -> None:
    root = resources_dir()
    # Studio ships its presets and styles: finding none is a broken package, not a reason to skip.
    assert sorted((root / "presets").glob("*.toml")) and sorted((root / "styles").glob("*.toml")), root
    catalog = load_builtins(root)
    assert catalog.presets and catalog.styles
    store = Store.open(paths)  # the default resources folder
    with store.unit_of_work() as uow:
        assert {p.builtin_key for p in uow.presets.list()} == set(catalog.presets)
        assert {s.builtin_key for s in uow.styles.list()} == set(catalog.styles)
        for action in Action:
            if any(b.item.action is action for b in catalog.presets.values()):
                assert uow.presets.list(action=action)[0].builtin
    store.close()


# -- generations and settings -------------------------------------------------------------------------------------


def record(draft_id: int | None, **kw: object) -> GenerationRecord:
    base: dict[str, object] = {
        "id": None,
        "draft_id": draft_id,
        "action": Action.CONTINUE,
        "output": "and then",
        "group_id": "g1",
    }
    base.update(kw)
    return GenerationRecord(**base)  # type: ignore[arg-type]


def test_generations_add_get_accept_list(store: Store) -> None:
    with store.unit_of_work() as uow:
        d = uow.drafts.create("D", Form.PROSE)
        preset = uow.presets.list()[0]
        g0 = uow.generations.add(
            record(
                d.id,
                alternative_index=0,
                preset_id=preset.id,
                seed=2**40,
                ttft_s=0.25,
                tokens_per_s=88.5,
                prompt_tokens=300,
                cached_tokens=280,
                generated_tokens=40,
                stop_reason="length",
                model_file="gemma.gguf",
                instruction="",
            )
        )
        g1 = uow.generations.add(record(d.id, alternative_index=1))
        g_other = uow.generations.add(record(None, group_id="g2", action=Action.REWRITE, instruction="vivid"))
    assert g0.id and g0.seed == 2**40 and g0.created_at is not None and not g0.accepted
    assert (g0.ttft_s, g0.tokens_per_s, g0.cached_tokens, g0.stop_reason) == (0.25, 88.5, 280, "length")
    with store.unit_of_work() as uow:
        assert uow.generations.get(g0.id) == g0  # type: ignore[arg-type]
        accepted = uow.generations.mark_accepted(_id(g1))
        assert accepted.accepted
        assert [g.id for g in uow.generations.list(draft_id=d.id)] == [g1.id, g0.id]
        assert [g.id for g in uow.generations.list(group_id="g1", accepted=True)] == [g1.id]
        assert [g.id for g in uow.generations.list(limit=1)] == [g_other.id]
        assert uow.generations.list(group_id="g2")[0].action is Action.REWRITE
        with pytest.raises(NotFoundError, match="No generation with id 99"):
            uow.generations.get(99)
        with pytest.raises(NotFoundError, match="No draft with id 98"):
            uow.generations.add(record(98))
        uow.drafts.trash(d.id)
        uow.drafts.purge(d.id)
    with store.unit_of_work() as uow:
        kept = uow.generations.get(_id(g0))
        assert kept.draft_id is None and kept.output == "and then"  # history outlives the draft


def test_settings_roundtrip_json(store: Store) -> None:
    with store.unit_of_work() as uow:
        assert uow.settings.get("missing", "dflt") == "dflt"
        uow.settings.set("window", {"w": 1200, "split": [1, 2], "title": "夜"})
        uow.settings.set("last_model", None)
        uow.settings.set("n", 3)
    with store.unit_of_work() as uow:
        assert uow.settings.get("window") == {"w": 1200, "split": [1, 2], "title": "夜"}
        assert uow.settings.get("last_model", "dflt") is None  # a stored null is a value, not "missing"
        uow.settings.set("n", 4)
        uow.settings.delete("last_model")
        uow.settings.delete("never-set")
        assert uow.settings.all() == {"n": 4, "window": {"w": 1200, "split": [1, 2], "title": "夜"}}
        with pytest.raises(UsageError, match="cannot be stored"):
            uow.settings.set("bad", object())


def test_a_hand_broken_setting_falls_back_to_the_default(store: Store) -> None:
    with store.unit_of_work() as uow:
        uow.settings.set("theme", "dark")
    conn = sqlite3.connect(store.path)
    with conn:
        conn.execute("UPDATE settings SET value = '{not json' WHERE key = 'theme'")
    conn.close()
    with store.unit_of_work() as uow:
        assert uow.settings.get("theme", "light") == "light"
        assert "theme" not in uow.settings.all()
