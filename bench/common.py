"""What the benchmarks share: the project on ``sys.path`` and where the boundary archive is.

Benchmarks run as scripts (``python bench/NAME.py``), so this folder is on ``sys.path`` and
``import common`` finds this module.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
if str(PROJECT_DIR) not in sys.path:
    sys.path.insert(0, str(PROJECT_DIR))

DEFAULT_ARCHIVE = PROJECT_DIR.parent / "shared/boundaries/tha_admbnda_adm3_rtsd_20220121.zip"


def archive_path() -> str:
    """The boundary archive: the first command-line argument, else
    ``$CODI_GEO_BOUNDARY_SOURCE``, else ``../shared/boundaries/`` beside the project."""
    if len(sys.argv) > 1:
        return sys.argv[1]
    return os.environ.get("CODI_GEO_BOUNDARY_SOURCE") or str(DEFAULT_ARCHIVE)
