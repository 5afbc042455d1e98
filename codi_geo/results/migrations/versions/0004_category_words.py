"""Category words remembered per programme.

Revision ID: 0004_category_words
Revises: 0002_scale
Create Date: 2026-12-07

A user maps a word the programme does not declare (an office's own word for a category) to
one of its categories once; later imports of the programme read the word as that category.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_category_words"
down_revision = "0002_scale"  # 0003_scale.py (its id kept its old number: deployments store it)
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "category_words",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("programme", sa.String(64), nullable=False),
        sa.Column("word_key", sa.Text, nullable=False),
        sa.Column("word", sa.Text, nullable=False),
        sa.Column("category", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Text, nullable=True),
        sa.UniqueConstraint("programme", "word_key", name="uq_category_words_word"),
    )


def downgrade() -> None:
    op.drop_table("category_words")
