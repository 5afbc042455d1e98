#!/usr/bin/env bash
# Set up and run the app: bash scripts/app.sh [extra streamlit options]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/streamlit run serve.py "$@"
