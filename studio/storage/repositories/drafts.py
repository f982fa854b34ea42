"""Repositories: one per aggregate, bound to a Session, returning studio.domain dataclasses only.

ORM rows never leave this module, so nothing lazy-loaded can be touched from another thread or after the
session closed. Repositories flush but never commit: the unit of work (store.py) owns the transaction.
"""

from __future__ import annotations

import enum
import json
import logging
from collections.abc import Callable
from dataclasses import replace
from typing import Any, Final

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from studio.domain import (
    Action,
    ConflictError,
    Draft,
    DraftSummary,
    Form,
    GenerationRecord,
    NotFoundError,
    Preset,
    Revision,
    RevisionReason,
    Sampler,
    StyleVariant,
    UsageError,
    count_words,
)
from studio.domain.text import clean_text
from studio.storage.builtins import (
    BuiltinCatalog,
    apply_preset,
    apply_style,
    free_preset_name,
    free_style_name,
    preset_content,
    style_content,
)
from studio.storage.orm import DraftRow, GenerationRow, PresetRow, RevisionRow, SettingRow, StyleRow, utcnow

log = logging.getLogger(__name__)

_INT64 = range(-(2**63), 2**63)


class _Unset(enum.Enum):
    UNSET = "UNSET"


# "Not given" for parameters where None is a meaningful value (clearing a draft's style or preset).
UNSET: Final = _Unset.UNSET


def _form(value: Form | str) -> Form:
    return value if isinstance(value, Form) else Form.parse(value)


def _action(value: Action | str) -> Action:
    if isinstance(value, Action):
        return value
    try:
        return Action(str(value).strip().lower())
    except ValueError:
        known = ", ".join(a.value for a in Action)
        raise UsageError(f"Unknown action {value!r}; choose one of: {known}.") from None


def _flush(session: Session) -> None:
    try:
        session.flush()
    except StaleDataError as exc:
        # The UPDATE matched no row at the version we read: someone else wrote the draft in between.
        raise ConflictError(
            "The draft was changed elsewhere (another window or the command line) while saving; nothing was "
            "overwritten.",
            hint="Reload the draft and try again.",
        ) from exc


def _copy_name(name: str, taken: Callable[[str], bool]) -> str:
    """ "<name> (copy)", then "<name> (copy 2)", ... whichever is free first."""
    n = 1
    while True:
        candidate = f"{name} (copy)" if n == 1 else f"{name} (copy {n})"
        if not taken(candidate):
            return candidate
        n += 1


# -- conversions -------------------------------------------------------------------------------------------------


def _draft(row: DraftRow) -> Draft:
    return Draft(
        id=row.id,
        title=row.title,
        form=Form(row.form),
        body=row.body,
        notes=row.notes,
        style_id=row.style_id,
        preset_id=row.preset_id,
        created_at=row.created_at,
        updated_at=row.updated_at,
        deleted_at=row.deleted_at,
        version=row.version,
    )


def _revision(row: RevisionRow) -> Revision:
    return Revision(
        id=row.id, draft_id=row.draft_id, body=row.body, reason=RevisionReason(row.reason), created_at=row.created_at
    )


def _preset(row: PresetRow) -> Preset:
    return Preset(
        id=row.id,
        name=row.name,
        action=Action(row.action),
        template_base=row.template_base,
        template_chat=row.template_chat,
        # merged() ignores keys this version does not know, so a hand-edited row cannot break loading.
        sampler=Sampler().merged(row.sampler or {}),
        description=row.description,
        builtin=row.builtin,
        builtin_key=row.builtin_key,
        modified=row.modified,
    )


def _style(row: StyleRow) -> StyleVariant:
    return StyleVariant(
        id=row.id,
        name=row.name,
        form=Form(row.form),
        guidance=row.guidance,
        exemplars=tuple(row.exemplars or ()),
        sampler_overrides=dict(row.sampler_overrides or {}),
        description=row.description,
        builtin=row.builtin,
        builtin_key=row.builtin_key,
        modified=row.modified,
    )


def _generation(row: GenerationRow) -> GenerationRecord:
    return GenerationRecord(
        id=row.id,
        draft_id=row.draft_id,
        action=Action(row.action),
        output=row.output,
        model_file=row.model_file,
        preset_id=row.preset_id,
        style_id=row.style_id,
        instruction=row.instruction,
        group_id=row.group_id,
        alternative_index=row.alternative_index,
        seed=row.seed,
        prompt_tokens=row.prompt_tokens,
        cached_tokens=row.cached_tokens,
        generated_tokens=row.generated_tokens,
        ttft_s=row.ttft_s,
        tokens_per_s=row.tokens_per_s,
        stop_reason=row.stop_reason,
        accepted=row.accepted,
        created_at=row.created_at,
    )


# -- drafts --------------------------------------------------------------------------------------------------------


class DraftRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def _row(self, draft_id: int) -> DraftRow:
        row = self._session.get(DraftRow, draft_id)
        if row is None:
            raise NotFoundError(f"No draft with id {draft_id}")
        return row

    def _check_refs(self, style_id: int | None, preset_id: int | None) -> None:
        # Checked here for a readable message; the foreign keys would only say "constraint failed".
        if style_id is not None and self._session.get(StyleRow, style_id) is None:
            raise NotFoundError(f"No style with id {style_id}")
        if preset_id is not None and self._session.get(PresetRow, preset_id) is None:
            raise NotFoundError(f"No preset with id {preset_id}")

    def create(
        self,
        title: str,
        form: Form | str,
        body: str = "",
        notes: str = "",
        style_id: int | None = None,
        preset_id: int | None = None,
    ) -> Draft:
        form = _form(form)
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
        _flush(self._session)
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
            stmt = stmt.where(DraftRow.form == _form(form).value)
        needle = (search or "").strip().casefold()
        if needle:
            # instr(), not LIKE: a writer searching for "100%" or "a_b" means those characters literally.
            stmt = stmt.where(
                (func.instr(func.studio_fold(DraftRow.title), needle) > 0)
                | (func.instr(func.studio_fold(DraftRow.body), needle) > 0)
            )
        stmt = stmt.order_by(DraftRow.updated_at.desc(), DraftRow.id.desc())
        return [
            DraftSummary(
                id=r.id,
                title=r.title,
                form=Form(r.form),
                word_count=r.word_count,
                updated_at=r.updated_at,
                deleted_at=r.deleted_at,
            )
            for r in self._session.execute(stmt)
        ]

    def update(
        self,
        draft_id: int,
        *,
        expected_version: int | None = None,
        title: str | None = None,
        body: str | None = None,
        notes: str | None = None,
        form: Form | str | None = None,
        style_id: int | None | _Unset = UNSET,
        preset_id: int | None | _Unset = UNSET,
    ) -> Draft:
        """Change the given fields; bumps ``version`` and ``updated_at``.

        With ``expected_version`` (the version the caller's text is based on), a draft saved elsewhere since
        then raises ConflictError and nothing is written.
        """
        # Counted before the first query: the transaction holds the write lock from its first statement, and
        # counting a 200,000-word body takes a noticeable fraction of a second.
        title, body, notes = (clean_text(v) if v is not None else None for v in (title, body, notes))
        words = count_words(body) if body is not None else None
        row = self._row(draft_id)
        if expected_version is not None and expected_version != row.version:
            raise ConflictError(
                f"“{row.title}” was changed elsewhere (another window or the command line) since it was opened: "
                f"this copy is based on version {expected_version}, the saved draft is version {row.version}. "
                "Nothing was overwritten.",
                hint="Reload the draft, or save your text as a copy.",
            )
        new_style = row.style_id if isinstance(style_id, _Unset) else style_id
        new_preset = row.preset_id if isinstance(preset_id, _Unset) else preset_id
        self._check_refs(
            new_style if new_style != row.style_id else None, new_preset if new_preset != row.preset_id else None
        )
        if title is not None:
            row.title = title.strip() or "Untitled"
        if body is not None:
            row.body = body
            row.word_count = words  # type: ignore[assignment]
        if notes is not None:
            row.notes = notes
        if form is not None:
            row.form = _form(form).value
        row.style_id = new_style
        row.preset_id = new_preset
        # Assigned even when nothing else changed, so the ORM always issues the versioned UPDATE.
        row.updated_at = utcnow()
        _flush(self._session)
        return _draft(row)

    def trash(self, draft_id: int) -> Draft:
        """Move to the trash (reversible). Keeps updated_at: the draft's text did not change."""
        row = self._row(draft_id)
        if row.deleted_at is None:
            row.deleted_at = utcnow()
            _flush(self._session)
        return _draft(row)

    def restore(self, draft_id: int) -> Draft:
        row = self._row(draft_id)
        if row.deleted_at is not None:
            row.deleted_at = None
            _flush(self._session)
        return _draft(row)

    def purge(self, draft_id: int) -> None:
        """Delete for good, with its revisions. Only drafts already in the trash, so one click cannot lose text."""
        row = self._row(draft_id)
        if row.deleted_at is None:
            raise UsageError(f"“{row.title}” is not in the trash; move it to the trash before deleting it for good.")
        self._session.delete(row)
        _flush(self._session)
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


class RevisionRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def _require_draft(self, draft_id: int) -> None:
        if self._session.get(DraftRow, draft_id) is None:
            raise NotFoundError(f"No draft with id {draft_id}")

    def add(self, draft_id: int, body: str, reason: RevisionReason | str) -> Revision:
        self._require_draft(draft_id)
        try:
            reason = RevisionReason(reason)
        except ValueError:
            raise UsageError(f"Unknown revision reason {reason!r}.") from None
        row = RevisionRow(draft_id=draft_id, body=body, reason=reason.value, created_at=utcnow())
        self._session.add(row)
        _flush(self._session)
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
        row = self._session.get(RevisionRow, revision_id)
        if row is None:
            raise NotFoundError(f"No revision with id {revision_id}")
        return _revision(row)

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
            raise UsageError("keep must be zero or more.")
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


# -- presets and styles --------------------------------------------------------------------------------------------


class PresetRepository:
    """Presets: built-ins (seeded from resources; editable, resettable, never deletable) and the writer's own."""

    def __init__(self, session: Session, builtins: BuiltinCatalog | None = None) -> None:
        self._session = session
        self._builtins = builtins or BuiltinCatalog()

    def _row(self, preset_id: int) -> PresetRow:
        row = self._session.get(PresetRow, preset_id)
        if row is None:
            raise NotFoundError(f"No preset with id {preset_id}")
        return row

    def _taken(self, name: str, exclude_id: int | None = None) -> bool:
        stmt = select(PresetRow.id).where(PresetRow.name == name)
        if exclude_id is not None:
            stmt = stmt.where(PresetRow.id != exclude_id)
        return self._session.scalar(stmt.limit(1)) is not None

    def _clean_name(self, name: str, exclude_id: int | None = None) -> str:
        clean = name.strip()
        if not clean:
            raise UsageError("A preset needs a name.")
        if self._taken(clean, exclude_id):
            raise UsageError(f"A preset named {clean!r} already exists; choose another name.")
        return clean

    def list(self, action: Action | str | None = None) -> list[Preset]:
        """Built-ins first in the order they ship (the first one per action is the default), then the writer's."""
        stmt = select(PresetRow)
        if action is not None:
            stmt = stmt.where(PresetRow.action == _action(action).value)
        stmt = stmt.order_by(PresetRow.builtin.desc(), PresetRow.id)
        return [_preset(r) for r in self._session.scalars(stmt)]

    def get(self, preset_id: int) -> Preset:
        return _preset(self._row(preset_id))

    def get_by_name(self, name: str) -> Preset:
        """Exact name, else the one preset whose name matches ignoring case."""
        clean = name.strip()
        row = self._session.scalars(select(PresetRow).where(PresetRow.name == clean)).first()
        if row is None:
            folded = [r for r in self._session.scalars(select(PresetRow)) if r.name.casefold() == clean.casefold()]
            row = folded[0] if len(folded) == 1 else None
        if row is None:
            raise NotFoundError(f"No preset named {clean!r}")
        return _preset(row)

    def create(self, preset: Preset) -> Preset:
        """A new preset owned by the writer (``preset.id`` and the built-in fields are ignored)."""
        preset = replace(preset, action=_action(preset.action))
        row = PresetRow(builtin=False, builtin_key=None, builtin_hash=None, modified=False)
        apply_preset(row, preset, name=self._clean_name(preset.name))
        self._session.add(row)
        _flush(self._session)
        return _preset(row)

    def update(self, preset: Preset) -> Preset:
        """Save ``preset`` over the row with its id. Editing a built-in marks it modified: upgrades skip it."""
        if preset.id is None:
            raise UsageError("This preset has not been saved yet; create it instead.")
        row = self._row(preset.id)
        preset = replace(preset, action=_action(preset.action))
        before = preset_content(_preset(row))
        apply_preset(row, preset, name=self._clean_name(preset.name, exclude_id=row.id))
        if row.builtin and preset_content(_preset(row)) != before:
            row.modified = True
        _flush(self._session)
        return _preset(row)

    def delete(self, preset_id: int) -> None:
        row = self._row(preset_id)
        if row.builtin:
            raise UsageError("built-in presets can be reset, not deleted", hint="Duplicate it to make your own copy.")
        self._session.delete(row)
        _flush(self._session)

    def duplicate(self, preset_id: int, name: str | None = None) -> Preset:
        """A copy owned by the writer (built-in or not), named "<name> (copy)" unless a name is given."""
        src = self._row(preset_id)
        copy = PresetRow(builtin=False, builtin_key=None, builtin_hash=None, modified=False)
        new_name = self._clean_name(name) if name and name.strip() else _copy_name(src.name, self._taken)
        apply_preset(copy, _preset(src), name=new_name)
        self._session.add(copy)
        _flush(self._session)
        return _preset(copy)

    def reset(self, preset_id: int) -> Preset:
        """Put a built-in back to what Studio ships, discarding the writer's edits."""
        row = self._row(preset_id)
        if not row.builtin or row.builtin_key is None:
            raise UsageError(f"Only built-in presets can be reset; {row.name!r} is your own.")
        shipped = self._builtins.presets.get(row.builtin_key)
        if shipped is None:
            raise UsageError(
                f"The built-in preset {row.name!r} is no longer shipped with this Studio; there is nothing to reset "
                "it to."
            )
        apply_preset(row, shipped.preset, name=free_preset_name(self._session, shipped.preset.name, exclude_id=row.id))
        row.builtin_hash = shipped.content_hash
        row.modified = False
        _flush(self._session)
        return _preset(row)


class StyleRepository:
    """Style variants per form; same rules as presets. Names are unique per form."""

    def __init__(self, session: Session, builtins: BuiltinCatalog | None = None) -> None:
        self._session = session
        self._builtins = builtins or BuiltinCatalog()

    def _row(self, style_id: int) -> StyleRow:
        row = self._session.get(StyleRow, style_id)
        if row is None:
            raise NotFoundError(f"No style with id {style_id}")
        return row

    def _taken(self, name: str, form: Form, exclude_id: int | None = None) -> bool:
        stmt = select(StyleRow.id).where(StyleRow.name == name, StyleRow.form == form.value)
        if exclude_id is not None:
            stmt = stmt.where(StyleRow.id != exclude_id)
        return self._session.scalar(stmt.limit(1)) is not None

    def _clean_name(self, name: str, form: Form, exclude_id: int | None = None) -> str:
        clean = name.strip()
        if not clean:
            raise UsageError("A style needs a name.")
        if self._taken(clean, form, exclude_id):
            raise UsageError(f"A {form.value} style named {clean!r} already exists; choose another name.")
        return clean

    def list(self, form: Form | str | None = None) -> list[StyleVariant]:
        """Built-ins first in shipped order (the first per form is a new draft's default), then the writer's."""
        stmt = select(StyleRow)
        if form is not None:
            stmt = stmt.where(StyleRow.form == _form(form).value)
        stmt = stmt.order_by(StyleRow.builtin.desc(), StyleRow.id)
        return [_style(r) for r in self._session.scalars(stmt)]

    def get(self, style_id: int) -> StyleVariant:
        return _style(self._row(style_id))

    def get_by_name(self, name: str, form: Form | str | None = None) -> StyleVariant:
        """By name (exact, else ignoring case); ``form`` is needed only when several forms share the name."""
        clean = name.strip()
        stmt = select(StyleRow)
        if form is not None:
            stmt = stmt.where(StyleRow.form == _form(form).value)
        rows = list(self._session.scalars(stmt))
        matches = [r for r in rows if r.name == clean] or [r for r in rows if r.name.casefold() == clean.casefold()]
        if not matches:
            where = f" for {_form(form).value}" if form is not None else ""
            raise NotFoundError(f"No style named {clean!r}{where}")
        if len(matches) > 1:
            forms = ", ".join(sorted({r.form for r in matches}))
            raise UsageError(f"Several styles are named {clean!r} ({forms}); say which form.")
        return _style(matches[0])

    def create(self, style: StyleVariant) -> StyleVariant:
        form = _form(style.form)
        style = replace(style, form=form)
        row = StyleRow(builtin=False, builtin_key=None, builtin_hash=None, modified=False)
        apply_style(row, style, name=self._clean_name(style.name, form))
        self._session.add(row)
        _flush(self._session)
        return _style(row)

    def update(self, style: StyleVariant) -> StyleVariant:
        if style.id is None:
            raise UsageError("This style has not been saved yet; create it instead.")
        row = self._row(style.id)
        form = _form(style.form)
        style = replace(style, form=form)
        before = style_content(_style(row))
        apply_style(row, style, name=self._clean_name(style.name, form, exclude_id=row.id))
        if row.builtin and style_content(_style(row)) != before:
            row.modified = True
        _flush(self._session)
        return _style(row)

    def delete(self, style_id: int) -> None:
        row = self._row(style_id)
        if row.builtin:
            raise UsageError("built-in styles can be reset, not deleted", hint="Duplicate it to make your own copy.")
        self._session.delete(row)
        _flush(self._session)

    def duplicate(self, style_id: int, name: str | None = None) -> StyleVariant:
        src = self._row(style_id)
        form = Form(src.form)
        copy = StyleRow(builtin=False, builtin_key=None, builtin_hash=None, modified=False)
        if name and name.strip():
            new_name = self._clean_name(name, form)
        else:
            new_name = _copy_name(src.name, lambda candidate: self._taken(candidate, form))
        apply_style(copy, _style(src), name=new_name)
        self._session.add(copy)
        _flush(self._session)
        return _style(copy)

    def reset(self, style_id: int) -> StyleVariant:
        row = self._row(style_id)
        if not row.builtin or row.builtin_key is None:
            raise UsageError(f"Only built-in styles can be reset; {row.name!r} is your own.")
        shipped = self._builtins.styles.get(row.builtin_key)
        if shipped is None:
            raise UsageError(
                f"The built-in style {row.name!r} is no longer shipped with this Studio; there is nothing to reset "
                "it to."
            )
        s = shipped.style
        apply_style(row, s, name=free_style_name(self._session, s.name, s.form, exclude_id=row.id))
        row.builtin_hash = shipped.content_hash
        row.modified = False
        _flush(self._session)
        return _style(row)


# -- generations ---------------------------------------------------------------------------------------------------


class GenerationRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def _row(self, generation_id: int) -> GenerationRow:
        row = self._session.get(GenerationRow, generation_id)
        if row is None:
            raise NotFoundError(f"No generation with id {generation_id}")
        return row

    def add(self, record: GenerationRecord) -> GenerationRecord:
        """Store one generation (``record.id`` is ignored)."""
        if record.draft_id is not None and self._session.get(DraftRow, record.draft_id) is None:
            raise NotFoundError(f"No draft with id {record.draft_id}")
        if record.preset_id is not None and self._session.get(PresetRow, record.preset_id) is None:
            raise NotFoundError(f"No preset with id {record.preset_id}")
        if record.style_id is not None and self._session.get(StyleRow, record.style_id) is None:
            raise NotFoundError(f"No style with id {record.style_id}")
        if record.seed is not None and record.seed not in _INT64:
            raise UsageError(f"Seed {record.seed} does not fit in 64 bits.")
        row = GenerationRow(
            draft_id=record.draft_id,
            action=_action(record.action).value,
            output=record.output,
            model_file=record.model_file,
            preset_id=record.preset_id,
            style_id=record.style_id,
            instruction=record.instruction,
            group_id=record.group_id,
            alternative_index=record.alternative_index,
            seed=record.seed,
            prompt_tokens=record.prompt_tokens,
            cached_tokens=record.cached_tokens,
            generated_tokens=record.generated_tokens,
            ttft_s=float(record.ttft_s),
            tokens_per_s=float(record.tokens_per_s),
            stop_reason=str(record.stop_reason),
            accepted=record.accepted,
            created_at=record.created_at or utcnow(),
        )
        self._session.add(row)
        _flush(self._session)
        return _generation(row)

    def get(self, generation_id: int) -> GenerationRecord:
        return _generation(self._row(generation_id))

    def mark_accepted(self, generation_id: int) -> GenerationRecord:
        row = self._row(generation_id)
        row.accepted = True
        _flush(self._session)
        return _generation(row)

    def list(
        self,
        draft_id: int | None = None,
        group_id: str | None = None,
        accepted: bool | None = None,
        limit: int | None = None,
    ) -> list[GenerationRecord]:
        """Newest first, filtered by whichever of draft, group and accepted are given."""
        stmt = select(GenerationRow)
        if draft_id is not None:
            stmt = stmt.where(GenerationRow.draft_id == draft_id)
        if group_id is not None:
            stmt = stmt.where(GenerationRow.group_id == group_id)
        if accepted is not None:
            stmt = stmt.where(GenerationRow.accepted == accepted)
        stmt = stmt.order_by(GenerationRow.created_at.desc(), GenerationRow.id.desc())
        if limit is not None:
            stmt = stmt.limit(limit)
        return [_generation(r) for r in self._session.scalars(stmt)]


# -- settings ------------------------------------------------------------------------------------------------------


class SettingsRepository:
    """Small JSON values by key (window layout, last model, load settings...)."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def get(self, key: str, default: Any = None) -> Any:
        row = self._session.get(SettingRow, key)
        if row is None:
            return default
        try:
            return json.loads(row.value)
        except ValueError:
            # A hand-edited or truncated value should not stop Studio from starting; fall back and say so.
            log.warning("setting %r holds invalid JSON; using the default", key)
            return default

    def set(self, key: str, value: Any) -> None:
        try:
            text = json.dumps(value, ensure_ascii=False)
        except (TypeError, ValueError) as exc:
            raise UsageError(f"Setting {key!r} cannot be stored: {exc}.") from exc
        row = self._session.get(SettingRow, key)
        if row is None:
            self._session.add(SettingRow(key=key, value=text))
        else:
            row.value = text
        _flush(self._session)

    def delete(self, key: str) -> None:
        row = self._session.get(SettingRow, key)
        if row is not None:
            self._session.delete(row)
            _flush(self._session)

    def all(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for row in self._session.scalars(select(SettingRow).order_by(SettingRow.key)):
            try:
                out[row.key] = json.loads(row.value)
            except ValueError:
                log.warning("setting %r holds invalid JSON; skipped", row.key)
        return out
