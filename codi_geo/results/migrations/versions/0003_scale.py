"""Indices for the filters the pages use at CODI's real volumes (a million rows).

Revision ID: 0002_scale
Revises: 0002_access
Create Date: 2026-11-28

A page asks for one programme's rows of a fiscal year (and quarter), often inside one area (a
DOPA code prefix), and the app asks which fiscal years hold data. With a million rows those
are full scans without these indices, and index range scans with them. ``code`` is searched
by prefix with a range (``code >= '10' AND code < '11'``), which a plain btree serves under
any collation.
"""

from __future__ import annotations

from alembic import op

# The third migration. Its id keeps the number it was released with: deployments record ids
# in ``alembic_version``, so renaming one would leave their databases on an unknown revision.
revision = "0002_scale"
down_revision = "0002_access"  # applied after the access tables
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Programme, period and area: the map pages' filter, in that order of selectivity.
    op.create_index(
        "ix_results_period_area", "results", ["programme", "fiscal_year", "quarter", "code"]
    )
    # Every programme of a year inside one area (the details panel), and the list of years.
    op.create_index("ix_results_year_code", "results", ["fiscal_year", "code"])


def downgrade() -> None:
    op.drop_index("ix_results_year_code", table_name="results")
    op.drop_index("ix_results_period_area", table_name="results")
