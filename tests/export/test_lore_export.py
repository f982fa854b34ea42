"""A draft's lorebook goes out with its Markdown export and comes back on import, through the real files."""

from __future__ import annotations


def test_markdown_export_carries_the_lore_and_import_reads_it_back(sv, tmp_path):
    d = sv.drafts.create("灯塔 · Harbour", "prose", body="Mara climbed the stairs.\n\n玛拉点亮了灯。")
    sv.lore.add(d.id, "Mara,玛拉", "Mara keeps the light.\n\n<!-- studio:lore-entry {} -->\nA line like a marker.",
                whole_word=True, case_sensitive=True)
    sv.lore.add(d.id, "[1], a-->b", "注释一。", pinned=True)
    e = sv.lore.add(d.id, "gull", "Gulls.")
    sv.lore.disable(e.id)
    sv.lore.set_scan_chars(d.id, 1234)

    path = sv.drafts.export(d.id, tmp_path / "harbour.md")
    text = path.read_text(encoding="utf-8")
    assert "## Lorebook" in text and "### Mara, 玛拉" in text
    assert text.index("玛拉点亮了灯。") < text.index("## Lorebook")

    back = sv.drafts.import_file(path)
    assert back.body == d.body  # the appendix is not part of the text
    assert sv.lore.scan_chars(back.id) == 1234

    def shape(draft_id: int) -> list[tuple[object, ...]]:
        return [(x.keys, x.text, x.pinned, x.enabled, x.case_sensitive, x.whole_word)
                for x in sv.lore.list(draft_id)]

    assert shape(back.id) == shape(d.id)


def test_a_draft_without_lore_exports_as_before_and_other_markdown_has_none(sv, tmp_path):
    d = sv.drafts.create("Plain", "prose", body="Just text.")
    text = sv.drafts.export(d.id, tmp_path / "plain.md").read_text(encoding="utf-8")
    assert "studio:lore" not in text and "Lorebook" not in text
    other = tmp_path / "notes.md"
    other.write_text("# Notes\n\n## Lorebook\n\nnot Studio's\n", encoding="utf-8")
    imported = sv.drafts.import_file(other)
    assert "not Studio's" in imported.body and sv.lore.list(imported.id) == []
