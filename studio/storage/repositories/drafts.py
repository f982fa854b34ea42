"""Drafts and their revisions (snapshots of the body, kept before AI actions and at intervals)."""

from __future__ import annotations

from sqlalchemy import delete, func, select

from studio.domain import (
    ConflictError,
    Draft,
    DraftSummary,
    Form,
    Revision,
    RevisionReason,
    UsageError,
    count_words,
)
from studio.domain.i18n import QT_TRANSLATE_NOOP, msg
from studio.domain.text import clean_text
from studio.storage.mapping import from_row
from studio.storage.orm import DraftRow, PresetRow, RevisionRow, StyleRow, utcnow
from studio.storage.repositories._common import UNSET, Repository, Unset, flush, get_row, parse_form, require_rows


def _draft(row: DraftRow) -> Draft:
    return from_row(Draft, row, form=Form(row.form))


def _revision(row: RevisionRow) -> Revision:
    return from_row(Revision, row, reason=RevisionReason(row.reason))


# -- drafts --------------------------------------------------------------------------------------------------------


class DraftRepository(Repository):
    def _row(self, draft_id: int) -> DraftRow:
        return get_row(self._session, DraftRow, draft_id, "draft")

    def _check_refs(self, style_id: int | None, preset_id: int | None) -> None:
        require_rows(self._session, (StyleRow, style_id, "style"), (PresetRow, preset_id, "preset"))

    def create(
        self,
        title: str,
        form: Form | str,
        body: str = "",
        notes: str = "",
        style_id: int | None = None,
        preset_id: int | None = None,
    ) -> Draft:
        form = parse_form(form)
        self._check_refs(style_id, preset_id)
        # The columns clean lone surrogates on the way in too; cleaning here keeps the returned Draft identical
        # to what is stored.
        title, body, notes = clean_text(title), clean_text(body), clean_text(notes)
        now = utcnow()
        row = DraftRow(
            title=title.strip() or "Untitled",
            form=form.value,
            body=body,
            notes=notes,
            style_id=style_id,
            preset_id=preset_id,
            word_count=count_words(body),
            created_at=now,
            updated_at=now,
        )
        self._session.add(row)
        flush(self._session)
        return _draft(row)

    def get(self, draft_id: int) -> Draft:
        return _draft(self._row(draft_id))

    def list(
        self, form: Form | str | None = None, search: str | None = None, trashed: bool = False
    ) -> list[DraftSummary]:
        """Drafts (or, with ``trashed``, the trash) newest-updated first, without their bodies.

        ``search`` matches title or body, case-insensitively in any script (studio_fold is Python's casefold,
        registered on each connection), inside SQLite so a long body is never copied into Python.
        """
        stmt = select(
            DraftRow.id, DraftRow.title, DraftRow.form, DraftRow.word_count, DraftRow.updated_at, DraftRow.deleted_at
        )
        stmt = stmt.where(DraftRow.deleted_at.is_not(None) if trashed else DraftRow.deleted_at.is_(None))
        if form is not None:
            stmt = stmt.where(DraftRow.form == parse_form(form).value)
        needle = (search or "").strip().casefold()
        if needle:
            # instr(), not LIKE: a writer searching for "100%" or "a_b" means those characters literally.
            stmt = stmt.where(
                (func.instr(func.studio_fold(DraftRow.title), needle) > 0)
                | (func.instr(func.studio_fold(DraftRow.body), needle) > 0)
            )
        stmt = stmt.order_by(DraftRow.updated_at.desc(), DraftRow.id.desc())
        return [from_row(DraftSummary, r, form=Form(r.form)) for r in self._session.execute(stmt)]

    def update(
        self,
        draft_id: int,
        *,
        expected_version: int | None = None,
        title: str | None = None,
        body: str | None = None,
        notes: str | None = None,
        form: Form | str | None = None,
        style_id: int | None | Unset = UNSET,
        preset_id: int | None | Unset = UNSET,
    ) -> Draft:
        """Change the given fields; bumps ``version`` and ``updated_at``.

        With ``expected_version`` (the version the caller's text is based on), a draft saved elsewhere since
        then raises ConflictError and nothing is written.
        """
        # Counted before the first query: the transaction holds the write lock from its first statement, and
        # counting a 200,000-word body takes a noticeable fraction of a second.
        title, body, notes = (clean_text(v) if v is not None else None for v in (title, body, notes))
        words = count_words(body) if body is not None else 0  # stored only with a body
        row = self._row(draft_id)
        if expected_version is not None and expected_version != row.version:
            raise ConflictError(
                msg(QT_TRANSLATE_NOOP("messages", "“{title}” was changed elsewhere (another window or the command "
                                                  "line) since it was opened: this copy is based on version "
                                                  "{expected_version}, the saved draft is version {version}. Nothing "
                                                  "was overwritten."),
                    title=row.title, expected_version=expected_version, version=row.version),
                hint=msg(QT_TRANSLATE_NOOP("messages", "Reload the draft, or save your text as a copy.")),
            )
        new_style = row.style_id if isinstance(style_id, Unset) else style_id
        new_preset = row.preset_id if isinstance(preset_id, Unset) else preset_id
        self._check_refs(
            new_style if new_style != row.style_id else None, new_preset if new_preset != row.preset_id else None
        )
        if title is not None:
            row.title = title.strip() or "Untitled"
        if body is not None:
            row.body = body
            row.word_count = words
        if notes is not None:
            row.notes = notes
        if form is not None:
            row.form = parse_form(form).value
        row.style_id = new_style
        row.preset_id = new_preset
        # Assigned even when nothing else changed, so the ORM always issues the versioned UPDATE.
        row.updated_at = utcnow()
        flush(self._session)
        return _draft(row)

    def trash(self, draft_id: int) -> Draft:
        """Move to the trash (reversible). Keeps updated_at: the draft's text did not change."""
        row = self._row(draft_id)
        if row.deleted_at is None:
            row.deleted_at = utcnow()
            flush(self._session)
        return _draft(row)

    def restore(self, draft_id: int) -> Draft:
        row = self._row(draft_id)
        if row.deleted_at is not None:
            row.deleted_at = None
            flush(self._session)
        return _draft(row)

    def purge(self, draft_id: int) -> None:
        """Delete for good, with its revisions. Only drafts already in the trash, so one click cannot lose text."""
        row = self._row(draft_id)
        if row.deleted_at is None:
            raise UsageError(msg(QT_TRANSLATE_NOOP("messages", "“{title}” is not in the trash; move it to the trash "
                                                               "before deleting it for good."), title=row.title))
        self._session.delete(row)
        flush(self._session)
        # Revisions went with it (ON DELETE CASCADE in SQLite); drop any we had loaded so none is served stale.
        for obj in [o for o in self._session.identity_map.values() if isinstance(o, RevisionRow)]:
            if obj.draft_id == draft_id:
                self._session.expunge(obj)

    def duplicate(self, draft_id: int, title: str | None = None) -> Draft:
        src = self._row(draft_id)
        return self.create(
            title if title and title.strip() else f"{src.title} (copy)",
            Form(src.form),
            body=src.body,
            notes=src.notes,
            style_id=src.style_id,
            preset_id=src.preset_id,
        )


# -- revisions -----------------------------------------------------------------------------------------------------


class RevisionRepository(Repository):
    def _require_draft(self, draft_id: int) -> None:
        require_rows(self._session, (DraftRow, draft_id, "draft"))

    def add(self, draft_id: int, body: str, reason: RevisionReason | str) -> Revision:
        self._require_draft(draft_id)
        try:
            reason = RevisionReason(reason)
        except ValueError:
            raise UsageError(msg(QT_TRANSLATE_NOOP("messages", "Unknown revision reason {reason}."),
                                 reason=repr(reason))) from None
        row = RevisionRow(draft_id=draft_id, body=body, reason=reason.value, created_at=utcnow())
        self._session.add(row)
        flush(self._session)
        return _revision(row)

    def list(self, draft_id: int, limit: int | None = None) -> list[Revision]:
        """A draft's revisions, newest first."""
        self._require_draft(draft_id)
        stmt = (
            select(RevisionRow)
            .where(RevisionRow.draft_id == draft_id)
            .order_by(RevisionRow.created_at.desc(), RevisionRow.id.desc())
        )
        if limit is not None:
            stmt = stmt.limit(limit)
        return [_revision(r) for r in self._session.scalars(stmt)]

    def get(self, revision_id: int) -> Revision:
        return _revision(get_row(self._session, RevisionRow, revision_id, "revision"))

    def latest(self, draft_id: int, reason: RevisionReason | str | None = None) -> Revision | None:
        stmt = select(RevisionRow).where(RevisionRow.draft_id == draft_id)
        if reason is not None:
            stmt = stmt.where(RevisionRow.reason == RevisionReason(reason).value)
        stmt = stmt.order_by(RevisionRow.created_at.desc(), RevisionRow.id.desc()).limit(1)
        row = self._session.scalars(stmt).first()
        return _revision(row) if row is not None else None

    def prune(self, draft_id: int, reason: RevisionReason | str, keep: int) -> int:
        """Delete all but the newest ``keep`` revisions of ``reason``; returns how many were removed."""
        if keep < 0:
            raise UsageError(msg(QT_TRANSLATE_NOOP("messages", "keep must be zero or more.")))
        old = list(
            self._session.scalars(
                select(RevisionRow.id)
                .where(RevisionRow.draft_id == draft_id, RevisionRow.reason == RevisionReason(reason).value)
                .order_by(RevisionRow.created_at.desc(), RevisionRow.id.desc())
                .offset(keep)
            )
        )
        if not old:
            return 0
        self._session.execute(
            delete(RevisionRow).where(RevisionRow.id.in_(old)).execution_options(synchronize_session="fetch")
        )
        return len(old)
