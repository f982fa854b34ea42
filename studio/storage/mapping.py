"""Rows into domain objects and back, by name: every column of a row that a domain dataclass carries has the
field's name, so the mapping is written once here and only what is stored in another form (an enum as its value,
a tuple as a JSON list) is spelt out where a row is read or written."""

from __future__ import annotations

from dataclasses import fields
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

D = TypeVar("D", bound="DataclassInstance")


def from_row(cls: type[D], row: object, **stored_otherwise: Any) -> D:
    """``cls`` with each field read from the row's attribute of the same name, or taken from ``stored_otherwise``
    (the fields whose stored form differs). A row without one of the fields is a bug: AttributeError."""
    values = {
        f.name: stored_otherwise[f.name] if f.name in stored_otherwise else getattr(row, f.name) for f in fields(cls)
    }
    return cls(**values)


def columns_of(item: DataclassInstance, *, leave_out: tuple[str, ...] = (), **stored_otherwise: Any) -> dict[str, Any]:
    """The keyword arguments for a row holding ``item``: its fields by name, less ``leave_out`` (the id a new row
    is given), with ``stored_otherwise`` in place of the fields whose stored form differs."""
    values = {f.name: getattr(item, f.name) for f in fields(item) if f.name not in leave_out}
    values.update(stored_otherwise)
    return values
