"""What converting a file's rows knows about the file (``RowContext``), a row's cells
(``Cells``) and a row on its way to becoming a result row (``PendingRow``).

A file is converted a column at a time where that is where the work is: each mapped column is
cleaned once per distinct text (``RowContext.cells``), and the pure readings of a cell (a
date, a figure, a category word) are computed once per distinct text (``RowContext.once``).
A million-row file repeats its dates, kinds and figures down the column.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np
import pandas as pd

from codi_geo.programmes import Programme
from codi_geo.results.imports.problems import Issue
from codi_geo.thai import clean_text

if TYPE_CHECKING:
    from codi_geo.results.imports.readers import RawTable

T = TypeVar("T")


class Cells(dict[str, str]):
    """A row's cells by field, cleaned (``clean_text``); "" for a field that is not mapped."""

    def __missing__(self, name: str) -> str:
        return ""


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
    # A category word as ``header_key`` reduces it -> the category id the user chose for it
    # (``ImportOptions.category_words`` and the programme's words remembered in the store).
    category_words: Mapping[str, str] = field(default_factory=dict)
    # Place names repeat down a file; each distinct one goes through the matcher once.
    match_cache: dict[tuple[Any, ...], Any] = field(default_factory=dict)
    # ``once``'s results for the rows being converted (emptied with each new set of rows, so
    # a streamed import keeps one chunk's worth).
    _once: dict[tuple[Any, ...], Any] = field(default_factory=dict, repr=False)

    def cell(self, row: list[str], name: str) -> str:
        """The cleaned text of field ``name`` in ``row`` ("" when the field is not mapped)."""
        index = self.column_index.get(name)
        return "" if index is None else clean_text(row[index])

    def cells(self, table: RawTable) -> list[Cells]:
        """Every row's mapped cells, cleaned a column at a time (each distinct text once).
        Starts a new set of rows for ``once``."""
        self._once.clear()
        if not self.column_index:
            return [Cells() for _ in table.rows]
        columns = []
        for index in self.column_index.values():
            texts = np.array([row[index] for row in table.rows], dtype=object)
            codes, distinct = pd.factorize(texts, use_na_sentinel=False)
            cleaned = np.array([clean_text(text) for text in distinct], dtype=object)
            columns.append(cleaned[codes].tolist())
        names = list(self.column_index)
        return [Cells(zip(names, values, strict=True)) for values in zip(*columns, strict=True)]

    def once(self, func: Callable[..., T], *args: Any) -> T:
        """``func(*args)`` for a pure ``func`` of a cell's text, computed once per distinct
        text among the rows being converted. An exception (a ``CellValueError``) is raised
        every time, not remembered."""
        key = (func, *args)
        try:
            return self._once[key]
        except KeyError:
            value = self._once[key] = func(*args)
            return value


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
