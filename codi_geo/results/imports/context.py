"""What converting a file's rows knows about the file (``RowContext``) and a row on its way
to becoming a result row (``PendingRow``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from codi_geo.programmes import Programme
from codi_geo.results.imports.problems import Issue
from codi_geo.thai import clean_text


@dataclass
class RowContext:
    programme: Programme
    mapping: dict[str, str]
    column_index: dict[str, int]
    default_fiscal_year: int | None
    default_quarter: int | None
    visibility: str
    is_demo: bool
    place_codes: Mapping[str, str]
    day_first: dict[str, bool] = field(default_factory=dict)  # per date column
    # Place names repeat down a file; each distinct one goes through the matcher once.
    match_cache: dict[tuple[Any, ...], Any] = field(default_factory=dict)

    def cell(self, row: list[str], name: str) -> str:
        """The cleaned text of field ``name`` in ``row`` ("" when the field is not mapped)."""
        index = self.column_index.get(name)
        return "" if index is None else clean_text(row[index])


@dataclass
class PendingRow:
    """A row converted as far as it goes before its point is placed."""

    index: int
    row_number: int
    values: dict[str, Any]
    issues: list[Issue]
    point: tuple[float, float] | None = None
    point_column: str | None = None
    expected_province: str | None = None
    expected_code: str | None = None

    @property
    def rejected(self) -> bool:
        return any(issue.severity == "error" for issue in self.issues)
