"""Alembic environment for the results store. Configured in code (``database.alembic_config``):
the caller passes an open connection in ``config.attributes["connection"]``."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context

from codi_geo.results.database import create_engine, database_url

# Any 64-bit number unique to this app: app replicas starting together on one PostgreSQL
# database take turns, so only one of them runs each migration.
_MIGRATION_LOCK_ID = 0x0C0D1_6E0

connection = context.config.attributes.get("connection")
if connection is None:
    connection = create_engine(database_url()).connect()

# render_as_batch: SQLite can only ALTER tables by copying them; Alembic does that for us.
context.configure(connection=connection, render_as_batch=True)
with context.begin_transaction():
    if connection.dialect.name == "postgresql":
        connection.execute(sa.text(f"SELECT pg_advisory_xact_lock({_MIGRATION_LOCK_ID})"))
    context.run_migrations()
