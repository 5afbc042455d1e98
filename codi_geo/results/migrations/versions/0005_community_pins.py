"""Community pinpoints (COPIN) and the campaign links that let anyone pin during an emergency.

Revision ID: 0005_community_pins
Revises: 0004_category_words
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_community_pins"
down_revision = "0004_category_words"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pin_campaigns",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("token_key", sa.String(64), nullable=False, unique=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("kinds", sa.Text, nullable=False),
        sa.Column("area_code", sa.String(32), nullable=True),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Text, nullable=False),
        sa.Column("anonymised_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_table(
        "community_pins",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
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
        sa.Column("note", sa.Text, nullable=False, server_default=""),
        sa.Column("note_raw", sa.Text, nullable=False, server_default=""),
        sa.Column("photo", sa.LargeBinary, nullable=True),
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
    )
    op.create_index("ix_community_pins_state", "community_pins", ["state", "tambon_code"])
    op.create_index("ix_community_pins_client", "community_pins", ["client", "created_at"])
    op.create_index("ix_community_pins_reporter", "community_pins", ["reporter"])
    op.create_index("ix_community_pins_campaign", "community_pins", ["campaign_id"])


def downgrade() -> None:
    op.drop_table("community_pins")
    op.drop_table("pin_campaigns")
