"""A reporter's answer to a moderator's question: the answer's own id from the phone, so
sending the answer again changes the pin once.

Revision ID: 0006_pin_answers
Revises: 0005_community_pins
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_pin_answers"
down_revision = "0005_community_pins"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("community_pins") as batch:
        batch.add_column(sa.Column("answer_id", sa.String(64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("community_pins") as batch:
        batch.drop_column("answer_id")
