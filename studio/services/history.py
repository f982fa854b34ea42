"""A draft's history: every generation the model made for it (kept by GenerationService.record), as runs.

A run is one request: its time, action, instruction, model, preset and style, and its alternatives (the outputs
that share a group id). The window's History panel and `studio history` show the same runs, search them, delete
one whole, and take any output back: the window proposes it again in the editor, as a finished generation.

A run is named by the smallest id among its outputs (a number a writer can type; a group id is a long hex string),
and any of its outputs' ids finds it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from studio.domain import Action, GenerationRecord, UsageError
from studio.domain.i18n import QT_TRANSLATE_NOOP, msg
from studio.storage import Store

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class HistoryRun:
    """One request's outputs, alternatives in order. ``preset``/``style`` are the names they have now ("" when
    none was used or it has since been deleted)."""

    id: int
    draft_id: int | None
    group_id: str
    created_at: datetime | None
    action: Action
    instruction: str
    model_file: str
    preset_id: int | None
    preset: str
    style_id: int | None
    style: str
    alternatives: tuple[GenerationRecord, ...]

    @property
    def accepted(self) -> bool:
        """Whether one of its outputs went into the draft."""
        return any(a.accepted for a in self.alternatives)


def group_runs(records: Iterable[GenerationRecord], presets: Mapping[int, str] | None = None,
               styles: Mapping[int, str] | None = None) -> list[HistoryRun]:
    """Records (newest first, as the repository lists them) as runs, newest first; a record without a group id
    is a run of its own."""
    groups: dict[str, list[GenerationRecord]] = {}
    for r in records:
        groups.setdefault(r.group_id or f"#{r.id}", []).append(r)
    presets, styles = presets or {}, styles or {}
    runs = []
    for outputs in groups.values():
        alts = tuple(sorted(outputs, key=lambda r: (r.alternative_index, r.id or 0)))
        first = alts[0]
        times = [r.created_at for r in alts if r.created_at is not None]
        runs.append(HistoryRun(
            id=min(r.id or 0 for r in alts),
            draft_id=first.draft_id,
            group_id=first.group_id,
            created_at=min(times) if times else None,
            action=first.action,
            instruction=first.instruction,
            model_file=first.model_file,
            preset_id=first.preset_id,
            preset=presets.get(first.preset_id, "") if first.preset_id is not None else "",
            style_id=first.style_id,
            style=styles.get(first.style_id, "") if first.style_id is not None else "",
            alternatives=alts,
        ))
    return runs


class HistoryService:
    """List, search, delete and take back a draft's generations."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def runs(self, draft_id: int, *, search: str = "") -> list[HistoryRun]:
        """The draft's runs, newest first; with ``search``, the runs whose instruction or one of whose outputs
        holds that text (any case, any script, literally). No such draft: NotFoundError."""
        with self._store.unit_of_work(readonly=True) as uow:
            uow.drafts.get(draft_id)  # a draft in the trash keeps its history; one that never was has none
            records = uow.generations.list(draft_id=draft_id, search=search)
            presets = {p.id: p.name for p in uow.presets.list() if p.id is not None}
            styles = {s.id: s.name for s in uow.styles.list() if s.id is not None}
        return group_runs(records, presets, styles)

    def run_of(self, generation_id: int) -> HistoryRun:
        """The run one of whose outputs is ``generation_id`` (NotFoundError when there is none)."""
        with self._store.unit_of_work(readonly=True) as uow:
            rec = uow.generations.get(generation_id)
            records = uow.generations.list(group_id=rec.group_id) if rec.group_id else [rec]
        return group_runs(records)[0]

    def delete(self, generation_id: int) -> HistoryRun:
        """Delete the run ``generation_id`` belongs to, all its alternatives; returns what was deleted. The draft's
        text is never touched: an accepted output stays in it."""
        with self._store.unit_of_work() as uow:
            gone = uow.generations.delete_run(generation_id)
        log.info("history: deleted run of generation %s (%d output(s))", generation_id, len(gone))
        return group_runs(gone)[0]

    def restore(self, generation_id: int) -> GenerationRecord:
        """The output to propose again (the window shows it as a finished generation: Tab takes it). NotFoundError
        when it was deleted; UsageError when it is empty (a run stopped before any text came)."""
        with self._store.unit_of_work(readonly=True) as uow:
            rec = uow.generations.get(generation_id)
        if not rec.output.strip():
            raise UsageError(msg(QT_TRANSLATE_NOOP("messages", "Output {id} is empty: there is nothing to restore."),
                                 id=generation_id),
                             hint=msg(QT_TRANSLATE_NOOP("messages", "Choose another output of the history.")))
        return rec


__all__ = ["HistoryRun", "HistoryService", "group_runs"]
