"""Results: the store (SQLite or PostgreSQL, Alembic migrations), the importers that bring
CODI's spreadsheets into it, and the loader of the figures that ship."""
