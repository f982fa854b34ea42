"""Generations (every output the model produced, accepted or not) and settings (small JSON values by key)."""

from __future__ import annotations

import builtins
import json
import logging
from typing import Any

from sqlalchemy import func, select

from studio.domain import Action, GenerationRecord, UsageError
from studio.domain.i18n import QT_TRANSLATE_NOOP, msg
from studio.storage.mapping import columns_of, from_row
from studio.storage.orm import DraftRow, GenerationRow, PresetRow, SettingRow, StyleRow, utcnow
from studio.storage.repositories._common import Repository, flush, get_row, parse_action, require_rows

log = logging.getLogger(__name__)

_INT64 = range(-(2**63), 2**63)


def _generation(row: GenerationRow) -> GenerationRecord:
    return from_row(GenerationRecord, row, action=Action(row.action))


# -- generations ---------------------------------------------------------------------------------------------------


class GenerationRepository(Repository):
    def _row(self, generation_id: int) -> GenerationRow:
        return get_row(self._session, GenerationRow, generation_id, "generation")

    def add(self, record: GenerationRecord) -> GenerationRecord:
        """Store one generation (``record.id`` is ignored)."""
        require_rows(
            self._session,
            (DraftRow, record.draft_id, "draft"),
            (PresetRow, record.preset_id, "preset"),
            (StyleRow, record.style_id, "style"),
        )
        if record.seed is not None and record.seed not in _INT64:
            raise UsageError(msg(QT_TRANSLATE_NOOP("messages", "Seed {seed} does not fit in 64 bits."),
                                 seed=record.seed))
        row = GenerationRow(
            **columns_of(
                record,
                leave_out=("id",),
                action=parse_action(record.action).value,
                ttft_s=float(record.ttft_s),
                tokens_per_s=float(record.tokens_per_s),
                stop_reason=str(record.stop_reason),
                created_at=record.created_at or utcnow(),
            )
        )
        self._session.add(row)
        flush(self._session)
        return _generation(row)

    def get(self, generation_id: int) -> GenerationRecord:
        return _generation(self._row(generation_id))

    def mark_accepted(self, generation_id: int) -> GenerationRecord:
        row = self._row(generation_id)
        row.accepted = True
        flush(self._session)
        return _generation(row)

    def list(
        self,
        draft_id: int | None = None,
        group_id: str | None = None,
        accepted: bool | None = None,
        limit: int | None = None,
        search: str | None = None,
    ) -> list[GenerationRecord]:
        """Newest first, filtered by whichever of draft, group and accepted are given.

        ``search`` keeps whole runs: every alternative of a request (a group) whose instruction or one of whose
        outputs holds the text, case-insensitively in any script (studio_fold, as the drafts' search), literally.
        """
        stmt = select(GenerationRow)
        if draft_id is not None:
            stmt = stmt.where(GenerationRow.draft_id == draft_id)
        if group_id is not None:
            stmt = stmt.where(GenerationRow.group_id == group_id)
        if accepted is not None:
            stmt = stmt.where(GenerationRow.accepted == accepted)
        needle = (search or "").strip().casefold()
        if needle:
            hit = ((func.instr(func.studio_fold(GenerationRow.output), needle) > 0)
                   | (func.instr(func.studio_fold(GenerationRow.instruction), needle) > 0))
            groups = select(GenerationRow.group_id).where(hit, GenerationRow.group_id != "")
            if draft_id is not None:
                groups = groups.where(GenerationRow.draft_id == draft_id)
            stmt = stmt.where(hit | GenerationRow.group_id.in_(groups))
        stmt = stmt.order_by(GenerationRow.created_at.desc(), GenerationRow.id.desc())
        if limit is not None:
            stmt = stmt.limit(limit)
        return [_generation(r) for r in self._session.scalars(stmt)]

    def delete_run(self, generation_id: int) -> builtins.list[GenerationRecord]:
        """Delete a generation with the other alternatives of its request (its group); returns what was deleted.
        NotFoundError when there is no such generation."""
        row = self._row(generation_id)
        rows = [row]
        if row.group_id:
            rows = list(self._session.scalars(select(GenerationRow).where(GenerationRow.group_id == row.group_id)
                                              .order_by(GenerationRow.alternative_index, GenerationRow.id)))
        gone = [_generation(r) for r in rows]
        for r in rows:
            self._session.delete(r)
        flush(self._session)
        return gone


# -- settings ------------------------------------------------------------------------------------------------------


class SettingsRepository(Repository):
    """Small JSON values by key (window layout, last model, load settings...)."""

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
            raise UsageError(msg(QT_TRANSLATE_NOOP("messages", "Setting {key} cannot be stored: {reason}."),
                                 key=repr(key), reason=str(exc))) from exc
        self._session.merge(SettingRow(key=key, value=text))  # made the first time, updated after
        flush(self._session)

    def delete(self, key: str) -> None:
        row = self._session.get(SettingRow, key)
        if row is not None:
            self._session.delete(row)
            flush(self._session)

    def all(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for row in self._session.scalars(select(SettingRow).order_by(SettingRow.key)):
            try:
                out[row.key] = json.loads(row.value)
            except ValueError:
                log.warning("setting %r holds invalid JSON; skipped", row.key)
        return out
