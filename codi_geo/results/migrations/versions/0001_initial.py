"""Results, indicators and import batches.

Revision ID: 0001
Revises:
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_JSON = sa.JSON().with_variant(JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "batches",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("programme", sa.String(64), nullable=False),
        sa.Column("file_name", sa.Text, nullable=False),
        sa.Column("file_sha256", sa.String(64), nullable=False),
        # The sheet of a workbook ('' for other files): each sheet is its own import.
        sa.Column("sheet", sa.Text, nullable=False, server_default=""),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Text, nullable=True),
        sa.Column("rows_total", sa.Integer, nullable=False),
        sa.Column("rows_stored", sa.Integer, nullable=False),
        sa.Column("rows_rejected", sa.Integer, nullable=False),
        sa.Column("rows_skipped", sa.Integer, nullable=False),
        sa.Column("mode", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("undone_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("undone_by", sa.Text, nullable=True),
        sa.Column("note", sa.Text, nullable=True),
    )
    # One active batch per file and programme: the same file is never stored twice.
    op.create_index(
        "uq_batches_active_file",
        "batches",
        ["kind", "programme", "file_sha256", "sheet"],
        unique=True,
        sqlite_where=sa.text("status = 'active'"),
        postgresql_where=sa.text("status = 'active'"),
    )
    op.create_index("ix_batches_programme", "batches", ["programme"])

    op.create_table(
        "results",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("batch_id", sa.Integer, sa.ForeignKey("batches.id"), nullable=False),
        sa.Column("programme", sa.String(64), nullable=False),
        sa.Column("fiscal_year", sa.Integer, nullable=False),
        sa.Column("quarter", sa.Integer, nullable=True),
        sa.Column("level", sa.String(20), nullable=False),
        sa.Column("code", sa.String(32), nullable=True),
        sa.Column("latitude", sa.Float, nullable=True),
        sa.Column("longitude", sa.Float, nullable=True),
        sa.Column("category", sa.Text, nullable=True),
        sa.Column("name", sa.Text, nullable=True),
        sa.Column("place_text", sa.Text, nullable=True),
        sa.Column("metrics", _JSON, nullable=False),
        sa.Column("visibility", sa.String(20), nullable=False),
        sa.Column("is_demo", sa.Boolean, nullable=False),
        sa.Column("note", sa.Text, nullable=True),
        sa.Column("source_doc", sa.Text, nullable=True),
        sa.Column("source_line", sa.Text, nullable=True),
        sa.Column("source_row", sa.Integer, nullable=True),
        sa.Column("natural_key", sa.String(64), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
    )
    # One active row per fact: re-importing overlapping data never doubles it.
    op.create_index(
        "uq_results_active_key",
        "results",
        ["programme", "natural_key"],
        unique=True,
        sqlite_where=sa.text("active"),
        postgresql_where=sa.text("active"),
    )
    op.create_index("ix_results_programme_year", "results", ["programme", "fiscal_year"])
    op.create_index("ix_results_batch", "results", ["batch_id"])

    op.create_table(
        "indicators",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("batch_id", sa.Integer, sa.ForeignKey("batches.id"), nullable=False),
        sa.Column("fiscal_year", sa.Integer, nullable=False),
        sa.Column("quarter", sa.Integer, nullable=True),
        sa.Column("plan", sa.Text, nullable=True),
        sa.Column("indicator_id", sa.String(64), nullable=False),
        sa.Column("programme", sa.String(64), nullable=True),
        sa.Column("name_th", sa.Text, nullable=False),
        sa.Column("unit_th", sa.Text, nullable=True),
        sa.Column("target", sa.Float, nullable=True),
        sa.Column("result", sa.Float, nullable=True),
        sa.Column("level", sa.String(20), nullable=False),
        sa.Column("code", sa.String(32), nullable=True),
        sa.Column("source_doc", sa.Text, nullable=True),
        sa.Column("source_line", sa.Text, nullable=True),
        sa.Column("source_row", sa.Integer, nullable=True),
        sa.Column("note", sa.Text, nullable=True),
        sa.Column("active", sa.Boolean, nullable=False),
    )
    op.create_index("ix_indicators_year", "indicators", ["fiscal_year", "indicator_id"])
    op.create_index("ix_indicators_batch", "indicators", ["batch_id"])


def downgrade() -> None:
    op.drop_table("indicators")
    op.drop_table("results")
    op.drop_table("batches")
