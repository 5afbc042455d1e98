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
    # Migration 0003_scale: the pages' filters at a million rows.
    sa.Index("ix_results_period_area", "programme", "fiscal_year", "quarter", "code"),
    sa.Index("ix_results_year_code", "fiscal_year", "code"),
)

# The partial unique index's condition as a query must write it for SQLite to use that index
# (a lookup by natural key): SQLite matches a partial index's WHERE term by its form, and
# SQLAlchemy writes ``results.c.active`` as ``results.active = 1``, which does not count, so
# each lookup would scan every row of the programme (an import's checks growing with its
# rows).
RESULT_IS_ACTIVE: sa.ColumnElement[bool] = sa.literal_column("results.active")

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
    "programme",
    "fiscal_year",
    "quarter",
    "level",
    "code",
    "latitude",
    "longitude",
    "category",
    "name",
    "place_text",
    "metrics",
    "visibility",
    "is_demo",
    "note",
    "source_doc",
    "source_line",
    "source_row",
)
INDICATOR_COLUMNS: tuple[str, ...] = (
    "fiscal_year",
    "quarter",
    "plan",
    "indicator_id",
    "programme",
    "name_th",
    "unit_th",
    "target",
    "result",
    "level",
    "code",
    "source_doc",
    "source_line",
    "source_row",
    "note",
)

# -- Access: the audit trail, sign-in sessions and failed sign-ins -------------------------

# Who did what and when: imports (stored and refused), undos, sign-ins. An import's or undo's
# record is written in the same transaction as the batch change, so neither exists without
# the other.
audit_events_table = sa.Table(
    "audit_events",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("who", sa.Text, nullable=False),
    sa.Column("role", sa.String(20), nullable=False, server_default=""),
    sa.Column("region", sa.String(32), nullable=True),
    sa.Column("action", sa.String(32), nullable=False),
    sa.Column("batch_id", sa.Integer, sa.ForeignKey("batches.id"), nullable=True),
    sa.Column("programme", sa.String(64), nullable=False, server_default=""),
    sa.Column("row_count", sa.Integer, nullable=False, server_default="0"),
    sa.Column("detail", sa.Text, nullable=False, server_default=""),
    sa.Column("client", sa.Text, nullable=True),
    sa.Index("ix_audit_events_at", "at"),
    sa.Index("ix_audit_events_batch", "batch_id"),
)

# Sign-in sessions, kept on the server: the browser holds only a random token (an HttpOnly
# cookie); the table holds its keyed hash, so neither a copy of the table nor the users file
# gives a usable token. Revoked at sign-out; invalid once the user's password changes.
sessions_table = sa.Table(
    "sessions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("token_key", sa.String(64), nullable=True, unique=True),
    sa.Column("handoff_key", sa.String(64), nullable=True, unique=True),
    sa.Column("handoff_expires_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("username", sa.Text, nullable=False),
    sa.Column("password_fp", sa.String(64), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("client", sa.Text, nullable=True),
)

# Failed password sign-ins, for the rate limit (per user and per client, every replica).
sign_in_failures_table = sa.Table(
    "sign_in_failures",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("username", sa.Text, nullable=False),
    sa.Column("client", sa.Text, nullable=False),
    sa.Index("ix_sign_in_failures_user", "username", "at"),
    sa.Index("ix_sign_in_failures_client", "client", "at"),
)

# -- category words remembered per programme ------------------------------------------------

# A word an office writes for a category (e.g. "รอสร้างบ้านถาวร") that the programme does not
# declare, mapped once by a user to one of its categories and used by every later import of
# the programme. ``word_key`` is the word as the importer compares words (``header_key``).
# Changing a mapping is audited (``audit_events``, action ``map_value``).
category_words_table = sa.Table(
    "category_words",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("programme", sa.String(64), nullable=False),
    sa.Column("word_key", sa.Text, nullable=False),
    sa.Column("word", sa.Text, nullable=False),
    sa.Column("category", sa.String(64), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("created_by", sa.Text, nullable=True),
    sa.UniqueConstraint("programme", "word_key", name="uq_category_words_word"),
)

# Community pinpoints (COPIN): pins sent from a phone, waiting for their region's moderator.
# An approved pin becomes a ``results`` row of the disaster programme (``result_batch_id``);
# until then, and for the exact point, note and photo ever after, it lives only here.
pin_campaigns_table = sa.Table(
    "pin_campaigns",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    # HMAC of the link's token under the session secret: a copy of the table opens nothing.
    sa.Column("token_key", sa.String(64), nullable=False, unique=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("kinds", sa.Text, nullable=False),  # comma-separated pin kinds
    sa.Column("area_code", sa.String(32), nullable=True),  # a province/district/tambon code
    sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("created_by", sa.Text, nullable=False),
    sa.Column("anonymised_at", sa.DateTime(timezone=True), nullable=True),
)

community_pins_table = sa.Table(
    "community_pins",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    # Made by the phone before the first try: sending again stores the pin once.
    sa.Column("client_id", sa.String(64), nullable=False, unique=True),
    sa.Column("reporter", sa.Text, nullable=True),
    sa.Column("campaign_id", sa.Integer, sa.ForeignKey("pin_campaigns.id"), nullable=True),
    sa.Column("client", sa.Text, nullable=False, server_default=""),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("latitude", sa.Float, nullable=True),
    sa.Column("longitude", sa.Float, nullable=True),
    sa.Column("accuracy_m", sa.Float, nullable=True),
    sa.Column("tambon_code", sa.String(6), nullable=False),
    sa.Column("households", sa.Integer, nullable=True),
    sa.Column("people", sa.Integer, nullable=True),
    sa.Column("note", sa.Text, nullable=False, server_default=""),  # phone and ID numbers masked
    sa.Column("note_raw", sa.Text, nullable=False, server_default=""),  # for the moderator only
    sa.Column("photo", sa.LargeBinary, nullable=True),  # re-encoded JPEG, no EXIF
    sa.Column("photo_public", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("observed_on", sa.Date, nullable=False),
    sa.Column("state", sa.String(20), nullable=False),
    sa.Column("moderator_comment", sa.Text, nullable=False, server_default=""),
    sa.Column("moderated_by", sa.Text, nullable=True),
    sa.Column("moderated_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("result_batch_id", sa.Integer, sa.ForeignKey("batches.id"), nullable=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("anonymised_at", sa.DateTime(timezone=True), nullable=True),
    # The phone's id of the reporter's last answer to "needs information": sent again, it
    # changes nothing.
    sa.Column("answer_id", sa.String(64), nullable=True),
    sa.Index("ix_community_pins_state", "state", "tambon_code"),
    sa.Index("ix_community_pins_client", "client", "created_at"),
    sa.Index("ix_community_pins_reporter", "reporter"),
    sa.Index("ix_community_pins_campaign", "campaign_id"),
)
