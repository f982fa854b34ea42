"""The lorebook: per-draft entries (keys, text, pinned/enabled, matching options, position) and per-draft settings
(how many characters before the cursor are scanned for keys). Both go with their draft when it is purged.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "lore_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("draft_id", sa.Integer(), nullable=False),
        sa.Column("keys", sa.JSON(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("pinned", sa.Boolean(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("case_sensitive", sa.Boolean(), nullable=False),
        sa.Column("whole_word", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["draft_id"], ["drafts.id"], name=op.f("fk_lore_entries_draft_id_drafts"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lore_entries")),
    )
    with op.batch_alter_table("lore_entries", schema=None) as batch_op:
        batch_op.create_index("ix_lore_entries_draft_id_position", ["draft_id", "position"], unique=False)
    op.create_table(
        "lore_books",
        sa.Column("draft_id", sa.Integer(), nullable=False),
        sa.Column("scan_chars", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["draft_id"], ["drafts.id"], name=op.f("fk_lore_books_draft_id_drafts"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("draft_id", name=op.f("pk_lore_books")),
    )


def downgrade() -> None:
    op.drop_table("lore_books")
    with op.batch_alter_table("lore_entries", schema=None) as batch_op:
        batch_op.drop_index("ix_lore_entries_draft_id_position")
    op.drop_table("lore_entries")
