"""The preset editor's sampler fields, built from one table, on a real database: each number the writer sets is
the number stored, and the editor shows what is stored."""

from __future__ import annotations

import dataclasses

from studio.domain import Form, Preset, Sampler
from studio.ui.library_dialogs import SAMPLER_FIELDS, PresetEditor, StyleEditor

# Inside each field's range, and none of them Sampler's default, so a field left unwired is seen.
CHOSEN = {"temperature": 1.35, "top_p": 0.8, "top_k": 17, "min_p": 0.12, "repeat_penalty": 1.25, "max_tokens": 333}


def test_the_table_covers_every_sampler_number() -> None:
    numbers = [f.name for f in dataclasses.fields(Sampler) if f.name != "stop"]
    assert [f.name for f in SAMPLER_FIELDS] == numbers == list(CHOSEN)
    assert all(CHOSEN[name] != value for name, value in Sampler().to_dict().items() if name in CHOSEN)


def test_each_sampler_number_is_stored_and_shown_back(services, qtbot, dialogs) -> None:
    editor = PresetEditor(services.library)
    qtbot.addWidget(editor)
    editor.new_button.click()
    made = editor.current()
    assert made is not None and made.id is not None
    editor.name.setText("採樣 Sampling")
    for name, value in CHOSEN.items():
        editor.sampler[name].setValue(value)
    editor.stop.setText('["\\n\\n", "完"]')
    editor.save()
    assert dialogs.titles() == []  # nothing refused
    stored: Preset = services.library.preset(made.id)
    assert stored.name == "採樣 Sampling"
    assert stored.sampler == Sampler(**CHOSEN, stop=("\n\n", "完"))

    reopened = PresetEditor(services.library)
    qtbot.addWidget(reopened)
    reopened.list.setCurrentRow(next(i for i, p in enumerate(reopened._items) if p.id == made.id))
    assert {name: spin.value() for name, spin in reopened.sampler.items()} == CHOSEN
    assert reopened.stop.text() == '["\\n\\n", "完"]'
    for w in (editor, reopened):
        w.close()


def test_a_number_out_of_range_is_held_at_the_field_bound(services, qtbot) -> None:
    editor = PresetEditor(services.library)
    qtbot.addWidget(editor)
    for f in SAMPLER_FIELDS:
        spin = editor.sampler[f.name]
        spin.setValue(f.high + 5)
        assert spin.value() == f.high
        spin.setValue(f.low - 5)
        assert spin.value() == f.low
    editor.close()


def test_the_verbs_keep_or_discard_unsaved_edits_as_they_should(services, qtbot, dialogs) -> None:
    editor = PresetEditor(services.library)
    qtbot.addWidget(editor)
    editor.new_button.click()
    own = editor.current()
    assert own is not None and editor.list.currentRow() == editor.list.count() - 1
    # Duplicate with an edit not saved yet: the edit lands in the original, the copy is chosen.
    editor.description.setText("海风 sea wind")
    editor.description.textEdited.emit("海风 sea wind")
    editor.duplicate_button.click()
    copy = editor.current()
    assert copy is not None and copy.id != own.id and copy.name == f"{own.name} (copy)"
    assert services.library.preset(own.id).description == "海风 sea wind"

    # A built-in cannot be deleted: the writer is told, the edit in the form stays, unsaved.
    row = next(i for i, p in enumerate(editor._items) if p.builtin)
    editor.list.setCurrentRow(row)
    builtin = editor.current()
    editor.description.setText("mine now")
    editor.description.textEdited.emit("mine now")
    editor.delete_button.click()  # the question is answered Yes by the recorder
    assert dialogs.titles()[-1] == "Could not delete the preset"
    assert editor.current() == builtin and editor.description.text() == "mine now"
    assert services.library.preset(builtin.id).description == builtin.description

    # Reset discards the edit: nothing is saved over the built-in on the way.
    editor.reset_button.click()
    assert services.library.preset(builtin.id) == builtin
    assert editor.current() == builtin and editor.description.text() == builtin.description

    # Deleting the writer's own copy lists the rest with the first chosen.
    editor.list.setCurrentRow(next(i for i, p in enumerate(editor._items) if p.id == copy.id))
    editor.delete_button.click()
    assert copy.id not in {p.id for p in editor._items} and editor.list.currentRow() == 0
    editor.close()


def test_new_styles_get_free_names_and_keep_what_the_form_shows(services, qtbot, dialogs) -> None:
    editor = StyleEditor(services.library, form=Form.POETRY)
    qtbot.addWidget(editor)
    editor.new_button.click()
    editor.new_button.click()
    first, second = editor._items[-2:]
    assert (first.name, second.name) == ("New style", "New style 2")
    assert first.form == second.form == Form.POETRY
    assert editor.current() == second
    editor.name.setText("  山水 Hills  ")
    editor.description.setText(" 五言 ")
    editor.exemplars.setPlainText("空山不见人\r\n---\r\n但闻人语响")
    editor.save()
    stored = services.library.style(second.id)
    assert (stored.name, stored.description, stored.exemplars) == ("山水 Hills", "五言", ("空山不见人", "但闻人语响"))
    editor.name.setText("   ")  # an empty name keeps the one stored
    editor.overrides.setPlainText("not json")
    editor.save()
    assert dialogs.titles()[-1] == "The style was not saved"
    editor.overrides.setPlainText("")
    editor.save()
    assert services.library.style(second.id).name == "山水 Hills"
    editor.close()
