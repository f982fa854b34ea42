"""What every repository shares: its session (:class:`Repository`), the "not given" marker, parsing of enum values,
finding a row by id (or saying which is missing), and the flush that turns a lost versioned UPDATE into a
ConflictError.

Repositories flush but never commit: the unit of work (store.py) owns the transaction.
"""

from __future__ import annotations

import enum
from typing import Final, TypeVar

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from studio.domain import ConflictError, NotFoundError
from studio.domain.i18n import QT_TRANSLATE_NOOP, msg
from studio.storage.kinds import parse_action, parse_form

__all__ = ["UNSET", "Repository", "Unset", "flush", "get_row", "parse_action", "parse_form", "require_rows"]

RowT = TypeVar("RowT")


class Unset(enum.Enum):
    UNSET = "UNSET"


# "Not given" for parameters where None is a meaningful value (clearing a draft's style or preset).
UNSET: Final = Unset.UNSET


class Repository:
    """Bound to the Session of one unit of work, for as long as it lasts."""

    def __init__(self, session: Session) -> None:
        self._session = session


def flush(session: Session) -> None:
    try:
        session.flush()
    except StaleDataError as exc:
        # The UPDATE matched no row at the version we read: someone else wrote the draft in between.
        raise ConflictError(
            msg(QT_TRANSLATE_NOOP("messages", "The draft was changed elsewhere (another window or the command line) "
                                              "while saving; nothing was overwritten.")),
            hint=msg(QT_TRANSLATE_NOOP("messages", "Reload the draft and try again.")),
        ) from exc


# What the writer calls each kind of row, in the window's language too ("No draft with id 3").
NOUNS = {
    "draft": msg(QT_TRANSLATE_NOOP("messages", "draft")),
    "revision": msg(QT_TRANSLATE_NOOP("messages", "revision")),
    "generation": msg(QT_TRANSLATE_NOOP("messages", "generation")),
    "preset": msg(QT_TRANSLATE_NOOP("messages", "preset")),
    "style": msg(QT_TRANSLATE_NOOP("messages", "style")),
    "lore entry": msg(QT_TRANSLATE_NOOP("messages", "lore entry")),
}


def get_row(session: Session, row_type: type[RowT], row_id: int, noun: str) -> RowT:
    """The row with ``row_id``, or NotFoundError naming the ``noun`` (what the writer calls it)."""
    row = session.get(row_type, row_id)
    if row is None:
        raise NotFoundError(msg(QT_TRANSLATE_NOOP("messages", "No {noun} with id {row_id}"),
                                noun=NOUNS.get(noun, noun), row_id=row_id))
    return row


def require_rows(session: Session, *refs: tuple[type[object], int | None, str]) -> None:
    """Every (row type, id, noun) that refers to a row (id not None) finds it. Checked before writing for a
    readable message: the foreign keys would only say "constraint failed"."""
    for row_type, row_id, noun in refs:
        if row_id is not None:
            get_row(session, row_type, row_id, noun)
