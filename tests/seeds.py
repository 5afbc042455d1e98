"""CODI's reports (the seeds) as the tests read them: every citation is `document:line`.

The seeds are at ``../shared/seeds`` beside the project, or at ``CODI_GEO_SEEDS_DIR``. Tests that
need them fail, never skip, when they are missing.
"""

from __future__ import annotations

import os
import re
from functools import cache
from pathlib import Path

import pytest

THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


def seeds_dir() -> Path:
    configured = os.environ.get("CODI_GEO_SEEDS_DIR")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parents[2] / "shared" / "seeds"


@cache
def seed_lines(document: str) -> tuple[str, ...]:
    path = seeds_dir() / document
    if not path.exists():
        pytest.fail(
            f"seed {path} not found: set CODI_GEO_SEEDS_DIR (these tests need CODI's "
            f"reports; they do not skip without them)"
        )
    # Split on newlines only, as the citations count lines (str.splitlines would also split
    # on form feeds and other separators the PDF text may hold).
    return tuple(path.read_text(encoding="utf-8").split("\n"))


def seed_line(document: str, number: int) -> str:
    """Line ``number`` (1-based) of a seed document."""
    lines = seed_lines(document)
    assert 1 <= number <= len(lines), f"{document} has no line {number}"
    return lines[number - 1]


def normalise_digits(text: str) -> str:
    """Thai digits to Arabic and thousands separators dropped, so figures compare as written."""
    return re.sub(r"(?<=\d),(?=\d{3})", "", text.translate(THAI_DIGITS))
