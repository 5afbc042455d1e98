"""The store's tables as SQLAlchemy Core. The Alembic migrations create exactly these
(``tests/test_store.py`` checks that they agree); a change here needs a new migration."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

metadata = sa.MetaData()
_JSON = sa.JSON().with_variant(JSONB(), "postgresql")

batches_table = sa.Table(
    "batches",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("programme", sa.String(64), nullable=False),
    sa.Column("file_name", sa.Text, nullable=False),
    sa.Column("file_sha256", sa.String(64), nullable=False),
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
    sa.Index(
        "uq_batches_active_file",
        "kind",
        "programme",
        "file_sha256",
        "sheet",
        unique=True,
        sqlite_where=sa.text("status = 'active'"),
        postgresql_where=sa.text("status = 'active'"),
    ),
    sa.Index("ix_batches_programme", "programme"),
)

results_table = sa.Table(
    "results",
    metadata,
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
    sa.Index(
        "uq_results_active_key",
        "programme",
        "natural_key",
        unique=True,
        sqlite_where=sa.text("active"),
        postgresql_where=sa.text("active"),
    ),
    sa.Index("ix_results_programme_year", "programme", "fiscal_year"),
    sa.Index("ix_results_batch", "batch_id"),
    # Migration 0002_scale: the pages' filters at a million rows.
    sa.Index("ix_results_period_area", "programme", "fiscal_year", "quarter", "code"),
    sa.Index("ix_results_year_code", "fiscal_year", "code"),
)

indicators_table = sa.Table(
    "indicators",
    metadata,
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
    sa.Index("ix_indicators_year", "fiscal_year", "indicator_id"),
    sa.Index("ix_indicators_batch", "batch_id"),
)

RESULT_COLUMNS: tuple[str, ...] = (
    "programme", "fiscal_year", "quarter", "level", "code", "latitude", "longitude",
    "category", "name", "place_text", "metrics", "visibility", "is_demo", "note",
    "source_doc", "source_line", "source_row",
)
INDICATOR_COLUMNS: tuple[str, ...] = (
    "fiscal_year", "quarter", "plan", "indicator_id", "programme", "name_th", "unit_th",
    "target", "result", "level", "code", "source_doc", "source_line", "source_row", "note",
)
