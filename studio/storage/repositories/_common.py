"""What every repository shares: the "not given" marker, parsing of enum values, and the flush that turns a
lost versioned UPDATE into a ConflictError.

Repositories flush but never commit: the unit of work (store.py) owns the transaction.
"""

from __future__ import annotations

import enum
from typing import Final

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from studio.domain import ConflictError
from studio.storage.kinds import parse_action, parse_form

__all__ = ["UNSET", "Unset", "flush", "parse_action", "parse_form"]


class Unset(enum.Enum):
    UNSET = "UNSET"


# "Not given" for parameters where None is a meaningful value (clearing a draft's style or preset).
UNSET: Final = Unset.UNSET


def flush(session: Session) -> None:
    try:
        session.flush()
    except StaleDataError as exc:
        # The UPDATE matched no row at the version we read: someone else wrote the draft in between.
        raise ConflictError(
            "The draft was changed elsewhere (another window or the command line) while saving; nothing was "
            "overwritten.",
            hint="Reload the draft and try again.",
        ) from exc
