"""Use cases around drafts: create, save (autosave with periodic revisions), trash, revisions, import, export."""

from __future__ import annotations

import builtins
import enum
import logging
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypedDict, Unpack

from studio.domain import Draft, DraftSummary, Form, Revision, RevisionReason, StyleVariant, UsageError
from studio.domain.i18n import QT_TRANSLATE_NOOP, msg
from studio.export import files as export_files
from studio.export import imports
from studio.services import language_defaults
from studio.services.diffing import DiffOp, word_diff
from studio.storage import Store, UnitOfWork

log = logging.getLogger(__name__)

# An autosave keeps the draft current on every pause; a revision (a snapshot the writer can go back to) is
# taken at most this often while typing, so the history stays useful without growing with every keystroke.
AUTOSAVE_REVISION_INTERVAL = timedelta(minutes=10)
AUTOSAVE_REVISIONS_KEPT = 50


class KeepText(enum.Enum):
    """After a conflict: whose text stays in the draft; the other one becomes a new draft."""

    MINE = "mine"
    THEIRS = "theirs"


class TextEdit(TypedDict, total=False):
    """What a save writes, each part given or left as it is, and the version the writer's text is based on (a
    draft saved elsewhere since is refused): the names the repository's ``update`` takes."""

    body: str | None
    title: str | None
    notes: str | None
    expected_version: int | None


@dataclass(frozen=True)
class ConflictResolution:
    draft: Draft  # the draft as stored now: mine saved over theirs, or theirs untouched
    copy: Draft  # the new draft holding the text that did not stay


class DraftService:
    def __init__(self, store: Store) -> None:
        self._store = store

    # -- reading -------------------------------------------------------------------------------------------
    def list(self, *, form: Form | None = None, search: str | None = None, trashed: bool = False) -> list[DraftSummary]:
        with self._store.unit_of_work(readonly=True) as uow:
            return uow.drafts.list(form=form, search=search or None, trashed=trashed)

    def get(self, draft_id: int) -> Draft:
        with self._store.unit_of_work(readonly=True) as uow:
            return uow.drafts.get(draft_id)

    # -- writing -------------------------------------------------------------------------------------------
    def create(self, title: str, form: Form | str, body: str = "", notes: str = "") -> Draft:
        title = title.strip()
        if not title:
            raise UsageError(msg(QT_TRANSLATE_NOOP("messages", "A draft needs a title.")))
        form = Form.parse(form) if isinstance(form, str) else form
        with self._store.unit_of_work() as uow:
            return _create(uow, title, form, body, notes)

    def save(self, draft_id: int, **edit: Unpack[TextEdit]) -> Draft:
        """Autosave path: writes what changed, and every few minutes keeps a revision of the body."""
        with self._store.unit_of_work() as uow:
            return _save(uow, draft_id, **edit)

    def resolve_conflict(self, mine: Draft, body: str, notes: str, keep: KeepText) -> ConflictResolution:
        """Another window saved ``mine`` (the draft as this window opened it) since: keep one text in the draft
        and the other as a new draft, in one transaction, so a failure leaves neither half done."""
        with self._store.unit_of_work() as uow:
            theirs = uow.drafts.get(mine.id)
            if keep is KeepText.THEIRS:
                copy = _create(uow, f"{mine.title} (my copy)", mine.form, body, notes)
                return ConflictResolution(draft=theirs, copy=copy)
            copy = _create(uow, f"{mine.title} (other window)", theirs.form, theirs.body, theirs.notes)
            # Based on the version just read: the write lock is held, nobody can slip in between.
            saved = _save(uow, mine.id, body=body, notes=notes, expected_version=theirs.version)
            return ConflictResolution(draft=saved, copy=copy)

    def update_meta(self, draft_id: int, **fields: object) -> Draft:
        """Title, form (a Form or its name: the repository reads it), notes, style_id, preset_id."""
        with self._store.unit_of_work() as uow:
            return uow.drafts.update(draft_id, **fields)  # type: ignore[arg-type]  # update() checks each name

    def rename(self, draft_id: int, title: str) -> Draft:
        if not title.strip():
            raise UsageError(msg(QT_TRANSLATE_NOOP("messages", "A draft needs a title.")))
        return self.update_meta(draft_id, title=title.strip())

    def duplicate(self, draft_id: int, title: str | None = None) -> Draft:
        with self._store.unit_of_work() as uow:
            copy = uow.drafts.duplicate(draft_id, title)
            uow.lore.copy_all(draft_id, copy.id)  # the lorebook is part of the draft
            return copy

    def trash(self, draft_id: int) -> None:
        with self._store.unit_of_work() as uow:
            uow.drafts.trash(draft_id)

    def restore(self, draft_id: int) -> Draft:
        with self._store.unit_of_work() as uow:
            uow.drafts.restore(draft_id)
            return uow.drafts.get(draft_id)

    def purge(self, draft_id: int) -> None:
        with self._store.unit_of_work() as uow:
            uow.drafts.purge(draft_id)

    # -- revisions -----------------------------------------------------------------------------------------
    def snapshot(self, draft_id: int, reason: RevisionReason, body: str | None = None) -> Revision:
        """Keep the draft's body (or the given text, e.g. what the editor shows) as a revision."""
        with self._store.unit_of_work() as uow:
            if body is None:
                body = uow.drafts.get(draft_id).body
            return uow.revisions.add(draft_id, body, reason)

    # builtins.list: inside the class `list` is the method above.
    def revisions(self, draft_id: int) -> builtins.list[Revision]:
        with self._store.unit_of_work(readonly=True) as uow:
            return uow.revisions.list(draft_id)

    def diff_revision(self, revision_id: int, current: str | None = None) -> builtins.list[DiffOp]:
        """Word-level difference from the revision to the current body (or to ``current``)."""
        with self._store.unit_of_work(readonly=True) as uow:
            rev = uow.revisions.get(revision_id)
            if current is None:
                current = uow.drafts.get(rev.draft_id).body
        return word_diff(rev.body, current)

    def keep_before_restore(self, revision_id: int, current: str) -> Revision:
        """The first half of bringing a revision back where the editor applies it (so Ctrl+Z undoes it): keep
        ``current`` (the text the writer sees) as a revision, and return the revision whose body comes back."""
        with self._store.unit_of_work() as uow:
            return _keep_before_restore(uow, revision_id, current)

    def restore_revision(self, revision_id: int, current: str | None = None) -> Draft:
        """Bring a revision back as the stored body, keeping the text it replaces (``current``, or the stored
        body) as a revision first: the window's path (``keep_before_restore``, then a save) in one step."""
        with self._store.unit_of_work() as uow:
            rev = _keep_before_restore(uow, revision_id, current)
            return uow.drafts.update(rev.draft_id, body=rev.body)

    # -- files ---------------------------------------------------------------------------------------------
    def import_file(self, path: Path | str) -> Draft:
        imported = imports.parse_import(Path(path))
        with self._store.unit_of_work() as uow:
            style = language_defaults.default_style(imported.form, imported.body, uow.styles.list(form=imported.form))
            draft = uow.drafts.create(
                imported.title,
                imported.form,
                body=imported.body,
                notes=imported.notes,
                style_id=style.id if style else None,
            )
            uow.revisions.add(draft.id, draft.body, RevisionReason.IMPORT)
            # A Studio export's lorebook comes back with it (the parser dropped entries without keys or text).
            for entry in imported.lore:
                uow.lore.add(replace(entry, draft_id=draft.id))
            if imported.lore_scan_chars:
                uow.lore.set_scan_chars(draft.id, imported.lore_scan_chars)
            return draft

    def export(self, draft_id: int, out: Path | str) -> Path:
        draft, style_name = self._with_style(draft_id)
        with self._store.unit_of_work(readonly=True) as uow:
            lore = uow.lore.list(draft_id)
            scan = uow.lore.scan_chars(draft_id) if uow.lore.scan_chars_set(draft_id) else None
        return export_files.export_draft(draft, Path(out), style_name=style_name, lore=lore, scan_chars=scan)

    def export_all(self, out_dir: Path | str, *, form: Form | None = None) -> builtins.list[Path]:
        with self._store.unit_of_work(readonly=True) as uow:
            drafts = [uow.drafts.get(s.id) for s in uow.drafts.list(form=form)]
        return export_files.export_all(drafts, Path(out_dir))

    def _with_style(self, draft_id: int) -> tuple[Draft, str | None]:
        with self._store.unit_of_work(readonly=True) as uow:
            draft = uow.drafts.get(draft_id)
            style_name = uow.styles.get(draft.style_id).name if draft.style_id else None
            return draft, style_name


def _create(uow: UnitOfWork, title: str, form: Form, body: str, notes: str) -> Draft:
    style = language_defaults.default_style(form, body, uow.styles.list(form=form))
    return uow.drafts.create(title, form, body=body, notes=notes, style_id=style.id if style else None)


def _save(uow: UnitOfWork, draft_id: int, **edit: Unpack[TextEdit]) -> Draft:
    body = edit.get("body")
    style = _style_for_first_chinese_save(uow, draft_id, body) if body is not None else None
    if style is not None:
        draft = uow.drafts.update(draft_id, **edit, style_id=style.id)
        log.info("draft %s became Chinese at this save: style %r instead of the form's default", draft_id, style.name)
    else:
        draft = uow.drafts.update(draft_id, **edit)
    if body is not None:
        last = uow.revisions.latest(draft_id, RevisionReason.AUTOSAVE)
        now = datetime.now(UTC)
        due = last is None or last.created_at is None or now - _aware(last.created_at) >= AUTOSAVE_REVISION_INTERVAL
        if due and (last is None or last.body != body):
            uow.revisions.add(draft_id, body, RevisionReason.AUTOSAVE)
            uow.revisions.prune(draft_id, RevisionReason.AUTOSAVE, AUTOSAVE_REVISIONS_KEPT)
    return draft


def _style_for_first_chinese_save(uow: UnitOfWork, draft_id: int, body: str) -> StyleVariant | None:
    # Judged on the new text first, with no query: an English save reads nothing more and takes the write lock
    # only in the update, after its word count, as before. A Chinese one reads the stored draft (the row the
    # update then finds in the session) to see whether the text just became Chinese.
    if not language_defaults.is_mostly_chinese(body):
        return None
    before = uow.drafts.get(draft_id)
    styles = uow.styles.list(form=before.form)
    return language_defaults.style_after_save(before.form, before.body, body, before.style_id, styles)


def _keep_before_restore(uow: UnitOfWork, revision_id: int, current: str | None) -> Revision:
    rev = uow.revisions.get(revision_id)
    if current is None:
        current = uow.drafts.get(rev.draft_id).body
    uow.revisions.add(rev.draft_id, current, RevisionReason.BEFORE_RESTORE)
    return rev


def _aware(dt: datetime) -> datetime:
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)
