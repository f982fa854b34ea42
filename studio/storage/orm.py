"""Typed ORM rows. They never leave studio.storage: repositories turn them into studio.domain dataclasses.

Migrations (studio/storage/migrations/versions) must describe exactly these tables; a test compares them.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from studio.domain.text import clean_text

log = logging.getLogger(__name__)

# Named constraints: SQLite batch migrations recreate tables and can only drop or alter a constraint they can
# name, so every constraint and index gets a predictable name from the start.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class CleanText(TypeDecorator[str]):
    """Text that SQLite can always store: lone surrogates (from an undecodable file name or argument) become
    U+FFFD instead of failing the whole save with a UnicodeEncodeError."""

    impl: type[String] = Text  # String, not Text: CleanString narrows it to String
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        return clean_text(value) if isinstance(value, str) else value


class CleanString(CleanText):
    impl = String
    cache_ok = True


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on a backend (SQLite) that stores none.

    Values are normalised to UTC and stored naive, so the text sorts chronologically in SQL; they come back
    with ``tzinfo=UTC`` so no naive datetime ever reaches the domain.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            # A naive value can only have come from our own code; treat it as UTC rather than local time.
            return value
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime()}


class DraftRow(Base):
    __tablename__ = "drafts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(CleanString, nullable=False)
    form: Mapped[str] = mapped_column(String(20), nullable=False)
    body: Mapped[str] = mapped_column(CleanText, nullable=False, default="")
    notes: Mapped[str] = mapped_column(CleanText, nullable=False, default="")
    style_id: Mapped[int | None] = mapped_column(ForeignKey("styles.id", ondelete="SET NULL"), nullable=True)
    preset_id: Mapped[int | None] = mapped_column(ForeignKey("presets.id", ondelete="SET NULL"), nullable=True)
    # Kept on every write so a list of drafts never has to load (or count) a 200,000-word body.
    word_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    created_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(nullable=True)

    __table_args__ = (Index("ix_drafts_updated_at", "updated_at"),)
    # The ORM adds "AND version = <read>" to every UPDATE and bumps it: a write based on text another window or
    # process has since replaced fails (StaleDataError -> ConflictError) instead of silently overwriting it.
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy reads it once, at mapping


class RevisionRow(Base):
    __tablename__ = "revisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id", ondelete="CASCADE"), nullable=False)
    body: Mapped[str] = mapped_column(CleanText, nullable=False)
    reason: Mapped[str] = mapped_column(String(32), nullable=False)
    created_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)

    __table_args__ = (Index("ix_revisions_draft_id_created_at", "draft_id", "created_at"),)


class CatalogueColumns:
    """What a preset row and a style row both hold besides their content: the generic catalogue code
    (kinds.py, repositories/catalogue.py, builtins.py) reads and writes these on either."""

    description: Mapped[str] = mapped_column(CleanText, nullable=False, default="")
    builtin: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    builtin_key: Mapped[str | None] = mapped_column(String, nullable=True, unique=True)
    # sha256 of the resource entry this row was last seeded from: an upgrade only rewrites rows whose
    # shipped definition changed, and never rows the writer edited (modified).
    builtin_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    modified: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)


class PresetRow(CatalogueColumns, Base):
    __tablename__ = "presets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(CleanString, nullable=False, unique=True)
    action: Mapped[str] = mapped_column(String(20), nullable=False)
    template_base: Mapped[str] = mapped_column(CleanText, nullable=False)
    template_chat: Mapped[str] = mapped_column(CleanText, nullable=False, default="")
    sampler: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False, default=dict)


class StyleRow(CatalogueColumns, Base):
    __tablename__ = "styles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(CleanString, nullable=False)
    form: Mapped[str] = mapped_column(String(20), nullable=False)
    guidance: Mapped[str] = mapped_column(CleanText, nullable=False, default="")
    exemplars: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)
    sampler_overrides: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False, default=dict)

    # The same name may exist once per form ("Spare" prose and "Spare" poetry are different variants).
    __table_args__ = (UniqueConstraint("name", "form"),)


class GenerationRow(Base):
    __tablename__ = "generations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # History outlives what it refers to: deleting a draft, preset or style keeps the numbers.
    draft_id: Mapped[int | None] = mapped_column(ForeignKey("drafts.id", ondelete="SET NULL"), nullable=True)
    action: Mapped[str] = mapped_column(String(20), nullable=False)
    output: Mapped[str] = mapped_column(CleanText, nullable=False, default="")
    model_file: Mapped[str] = mapped_column(String, nullable=False, default="")
    preset_id: Mapped[int | None] = mapped_column(ForeignKey("presets.id", ondelete="SET NULL"), nullable=True)
    style_id: Mapped[int | None] = mapped_column(ForeignKey("styles.id", ondelete="SET NULL"), nullable=True)
    instruction: Mapped[str] = mapped_column(CleanText, nullable=False, default="")
    group_id: Mapped[str] = mapped_column(String, nullable=False, default="")
    alternative_index: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    seed: Mapped[int | None] = mapped_column(Integer, nullable=True)
    prompt_tokens: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    cached_tokens: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    generated_tokens: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    ttft_s: Mapped[float] = mapped_column(Float, nullable=False, default=0.0)
    tokens_per_s: Mapped[float] = mapped_column(Float, nullable=False, default=0.0)
    stop_reason: Mapped[str] = mapped_column(String(20), nullable=False, default="")
    accepted: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    created_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)

    __table_args__ = (
        Index("ix_generations_draft_id", "draft_id"),
        Index("ix_generations_group_id", "group_id"),
    )


class SettingRow(Base):
    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String, primary_key=True)
    # JSON text, encoded by the repository (not the JSON type) so a stored JSON null is not an SQL NULL.
    value: Mapped[str] = mapped_column(Text, nullable=False)


class LoreEntryRow(Base):
    __tablename__ = "lore_entries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # A draft's lore is part of it: purging the draft removes it (ON DELETE CASCADE).
    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id", ondelete="CASCADE"), nullable=False)
    keys: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)
    text: Mapped[str] = mapped_column(CleanText, nullable=False)
    pinned: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    enabled: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    case_sensitive: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    whole_word: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    created_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)

    __table_args__ = (Index("ix_lore_entries_draft_id_position", "draft_id", "position"),)


class LoreBookRow(Base):
    """A draft's lorebook settings. Its own table, not a drafts column: changing the scan depth must not bump the
    draft's version (the window's next autosave would then be refused as a conflict)."""

    __tablename__ = "lore_books"

    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id", ondelete="CASCADE"), primary_key=True)
    scan_chars: Mapped[int] = mapped_column(Integer, nullable=False)
