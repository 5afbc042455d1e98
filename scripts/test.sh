#!/usr/bin/env bash
# Set up and run every check: lint, layers, types, unit, store (SQLite + PostgreSQL), AppTest and
# browser tests.
#   bash scripts/test.sh [extra pytest options]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test

# A throwaway PostgreSQL server for the store tests (stopped when this script exits).
if [ -z "${CODI_GEO_TEST_POSTGRES_URL:-}" ] && [ -f .ci/postgres.sh ]; then
  eval "$(bash .ci/postgres.sh)"
fi

echo "== ruff" >&2
.venv/bin/ruff check .
.venv/bin/ruff format --check .
echo "== import-linter (layers import downwards; Streamlit only in codi_geo.ui)" >&2
.venv/bin/lint-imports
echo "== mypy" >&2
.venv/bin/mypy
echo "== pytest" >&2
# On every core (pytest-xdist). The tests of a module that share a fixture it makes once (a
# Streamlit server, a filled store) run in one worker (tests/conftest.py marks them with an
# xdist_group); every other test goes to whichever worker is free.
.venv/bin/python -m pytest -n auto --dist loadgroup "$@"
