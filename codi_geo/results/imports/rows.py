"""A file's rows -> the values of result rows: each row's fiscal year and quarter, place
(see ``places``), figures, category and visibility, each problem reported at its row and
column; then the rows' points placed in their tambons, all at once (``convert_table``).

A date gives the fiscal year and quarter it falls in: October to December belong to the next
fiscal year (15 Nov 2025 = FY2569 quarter 1). A fiscal-year or quarter column, when present,
wins over the date.
"""

from __future__ import annotations

import functools
import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz, process

from codi_geo.programmes import Category
from codi_geo.results.imports.context import Cells, PendingRow, RowContext
from codi_geo.results.imports.mapping import header_key
from codi_geo.results.imports.places import coordinate_columns, place_points, resolve_place
from codi_geo.results.imports.problems import CellValueError, Issue
from codi_geo.results.imports.readers import RawTable
from codi_geo.results.imports.values import (
    category_suggestions,
    day_first,
    header_scale,
    is_total_label,
    nearest_category,
    parse_date,
    parse_fiscal_year,
    parse_number,
    parse_quarter,
)
from codi_geo.thai import clean_text, fiscal_period

_VISIBILITY_WORDS = {
    "public": "public",
    "สาธารณะ": "public",
    "เผยแพร่": "public",
    "เปิดเผย": "public",
    "เผยแพร่ได้": "public",
    "yes": "public",
    "internal": "internal",
    "ภายใน": "internal",
    "ไม่เผยแพร่": "internal",
    "ไม่เปิดเผย": "internal",
    "no": "internal",
}
# Columns whose text says a row is a totals row ("รวม"), besides the row's first cell.
_LABEL_FIELDS = ("name", "place", "tambon", "district", "province", "region", "code")


class _Collector:
    """Python's cycle collector while rows are converted and stored. An import allocates
    millions of small containers (cells, problems, rows, records), none of them in a cycle,
    and at the default threshold (a pass every 700 new containers) the collector's passes
    over them take a quarter of a large import's time. The setting is the process's: the
    first of overlapping imports raises the threshold, the last puts the old one back."""

    THRESHOLD = (50_000, 20, 100)

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.users = 0
        self.saved = gc.get_threshold()

    @contextmanager
    def less_often(self) -> Iterator[None]:
        with self.lock:
            if self.users == 0:
                self.saved = gc.get_threshold()
                gc.set_threshold(*self.THRESHOLD)
            self.users += 1
        try:
            yield
        finally:
            with self.lock:
                self.users -= 1
                if self.users == 0:
                    gc.set_threshold(*self.saved)


_COLLECTOR = _Collector()
# ``with fewer_collections():`` around the conversion and storing of a file's rows.
fewer_collections = _COLLECTOR.less_often


@dataclass
class ConvertedRows:
    """A table's rows converted (``convert_table``)."""

    pending: list[PendingRow]  # the rows converted, with their problems and placed points
    skipped: list[Issue]  # one per row left out (no data, a totals row), in row order
    # Why no point could be placed (the boundary cache is missing or unreadable), or None.
    unplaced: Issue | None = None


def convert_table(ctx: RowContext, table: RawTable, boundary_dir: Path | None) -> ConvertedRows:
    """Every row of ``table`` converted, and their points placed in their tambons (one
    spatial join for the table)."""
    converted = ConvertedRows([], [])
    for index, cells in enumerate(ctx.cells(table)):
        outcome = convert_row(ctx, table, index, cells)
        if isinstance(outcome, Issue):
            converted.skipped.append(outcome)
        else:
            converted.pending.append(outcome)
    try:
        place_points(converted.pending, ctx, boundary_dir)
    except Exception as error:  # the boundary cache is missing or unreadable
        # here, not at the top: geopandas is loaded only for files with points
        from codi_geo.places.boundaries import BoundaryError

        if not isinstance(error, BoundaryError):
            raise
        converted.unplaced = Issue.of(
            "boundaries", None, coordinate_columns(ctx), error_th=error.th, error_en=error.en
        )
    return converted


def decide_date_order(ctx: RowContext, table: RawTable) -> None:
    """Whether each date column writes day/month or month/day (``values.day_first``), from
    ``table``'s rows: the whole file, or a streamed file's first chunk."""
    for date_field in ("date", "timestamp"):
        if date_field in ctx.column_index:
            column = ctx.column_index[date_field]
            ctx.day_first[date_field] = day_first([row[column] for row in table.rows])


def convert_row(ctx: RowContext, table: RawTable, index: int, cells: Cells) -> PendingRow | Issue:
    """A row (``cells``: its mapped cells, cleaned) converted as far as possible (point
    placement comes later), or the reason it is skipped."""
    row, number = table.rows[index], table.row_numbers[index]
    if not any(cells.values()) and number not in table.row_issues:
        return Issue.of("no_data", number)
    labels = [cells[n] for n in _LABEL_FIELDS]
    first_text = next((ctx.once(clean_text, c) for c in row if ctx.once(clean_text, c)), "")
    if any(ctx.once(is_total_label, label) for label in labels if label) or ctx.once(
        is_total_label, first_text
    ):
        return Issue.of("total_row", number, None, first_text)
    pending = PendingRow(index, number, {}, list(table.row_issues.get(number, [])))
    fiscal_year, quarter = _period(ctx, cells, number, pending.issues)
    resolve_place(ctx, cells, pending)
    metrics = _metrics(ctx, table, index, row, number, pending.issues)
    category = _category(ctx, cells, number, pending.issues)
    visibility = _visibility(ctx, cells, number, pending.issues)
    pending.values.update(
        programme=ctx.programme.id,
        fiscal_year=fiscal_year,
        quarter=quarter,
        metrics=metrics,
        category=category,
        name=cells["name"] or None,
        visibility=visibility,
        is_demo=ctx.is_demo,
        note=cells["note"] or None,
        # A citation only when the file gives one; the batch and row number say the rest.
        source_doc=cells["source_doc"] or None,
        source_line=cells["source_line"] or None,
        source_row=number,
    )
    return pending


def _period(
    ctx: RowContext, cells: Cells, number: int, issues: list[Issue]
) -> tuple[int | None, int | None]:
    """(fiscal year, quarter): from their columns, else from a date (or form timestamp),
    else the defaults chosen for the whole file."""
    fiscal_year = quarter = None
    column = ctx.mapping.get("fiscal_year")
    try:
        fiscal_year = ctx.once(parse_fiscal_year, cells["fiscal_year"])
    except CellValueError as problem:
        issues.append(problem.issue(number, column, cells["fiscal_year"]))
        return None, None
    try:
        quarter, year_in_quarter = ctx.once(parse_quarter, cells["quarter"])
        fiscal_year = fiscal_year or year_in_quarter
    except CellValueError as problem:
        text = cells["quarter"]
        issues.append(problem.issue(number, ctx.mapping.get("quarter"), text))
        return None, None
    for date_field in ("date", "timestamp"):
        if fiscal_year is not None and quarter is not None:
            break
        text = cells[date_field]
        if not text:
            continue
        try:
            day = ctx.once(parse_date, text, ctx.day_first.get(date_field, True))
        except CellValueError as problem:
            issues.append(problem.issue(number, ctx.mapping.get(date_field), text))
            return None, None
        if day is not None:
            date_year, date_quarter = fiscal_period(day)
            if fiscal_year is None:
                fiscal_year, quarter = date_year, quarter or date_quarter
            elif fiscal_year == date_year:
                quarter = quarter or date_quarter
    fiscal_year = fiscal_year or ctx.default_fiscal_year
    if quarter is None:
        quarter = ctx.default_quarter
    if fiscal_year is None:
        issues.append(Issue.of("no_fiscal_year", number, column))
    return fiscal_year, quarter


def _metrics(
    ctx: RowContext, table: RawTable, index: int, row: list[str], number: int, issues: list[Issue]
) -> dict[str, float]:
    metrics: dict[str, float] = {}
    for metric in ctx.programme.metrics:
        column_index = ctx.column_index.get(metric.id)
        if column_index is None:
            continue
        header = table.headers[column_index]
        text = row[column_index]
        origin = table.merged_from.get((index, column_index))
        if origin is not None and clean_text(text):
            issues.append(Issue.of("merged_figure", number, header, text, origin=origin))
            continue
        try:
            value, scaled = ctx.once(parse_number, text)
        except CellValueError as problem:
            issues.append(problem.issue(number, header, text))
            continue
        if value is None:
            continue
        if value < 0:
            issues.append(Issue.of("negative", number, header, text))
            continue
        metrics[metric.id] = value if scaled else value * ctx.once(header_scale, header)
    return metrics


def _category(ctx: RowContext, cells: Cells, number: int, issues: list[Issue]) -> str | None:
    text = cells["category"]
    if not text:
        return None
    categories = ctx.programme.categories
    if not categories:
        return text
    key = header_key(text)
    chosen = ctx.category_words.get(key)
    if chosen is not None and ctx.programme.category(chosen) is not None:
        return chosen  # the user's own mapping for this programme
    found = ctx.once(_category_of, text, categories)
    if found is not None:
        return found
    nearest = ctx.once(nearest_category, text, categories)
    if nearest is not None:
        category = ctx.programme.category(nearest)
        assert category is not None
        issues.append(
            Issue.of(
                "category_guessed",
                number,
                ctx.mapping.get("category"),
                text,
                value=text,
                label_th=ctx.programme.category_label.th,
                label_en=ctx.programme.category_label.en.lower(),
                category_th=category.name.th,
                category_en=f"{category.id} ({category.name.en})",
            )
        )
        return nearest
    suggestions = tuple(ctx.once(category_suggestions, text, categories))
    issues.append(
        Issue.of(
            "category",
            number,
            ctx.mapping.get("category"),
            text,
            suggestions,
            value=text,
            label_th=ctx.programme.category_label.th,
            label_en=ctx.programme.category_label.en.lower(),
            names_th=", ".join(c.name.th for c in categories),
            names_en=", ".join(f"{c.id} ({c.name.en})" for c in categories),
            closest_th=_closest(key, categories, "th"),
            closest_en=_closest(key, categories, "en"),
        )
    )
    return None


def _category_of(text: str, categories: tuple[Category, ...]) -> str | None:
    """The category a cell's word names, None if none does (or more than one might)."""
    key = header_key(text)
    words = _category_words(categories)
    for category in categories:
        if key in words[category.id]:
            return category.id
    # "ไฟไหม้ชุมชน" or "สู้รบชายแดนไทย-กัมพูชา" is the one category whose word it contains,
    # when no other category's word fits.
    contained = [
        c for c in categories if any(len(w) >= 2 and (w in key or key in w) for w in words[c.id])
    ]
    return contained[0].id if len(contained) == 1 else None


@functools.lru_cache(maxsize=32)
def _category_words(categories: tuple[Category, ...]) -> dict[str, set[str]]:
    """Each category's words as ``header_key`` reduces them (computed once per programme,
    not once per row)."""
    return {
        c.id: {header_key(w) for w in (c.id, c.name.th, c.name.en, *c.aliases)} for c in categories
    }


def _closest(key: str, categories: tuple[Category, ...], lang: str) -> str:
    """ " ใกล้เคียง: อุทกภัย" / " closest: flood (Flood)" for the category whose name or
    everyday word is most like ``key`` (empty when none is near)."""
    choices = {
        (c.id, w): header_key(w)
        for c in categories
        for w in (c.id, c.name.th, c.name.en, *c.aliases)
    }
    found = process.extractOne(key, choices, scorer=fuzz.ratio, score_cutoff=60)
    if found is None:
        return ""
    category = next(c for c in categories if c.id == found[2][0])
    if lang == "th":
        return f" ใกล้เคียง: {category.name.th}"
    return f" closest: {category.id} ({category.name.en})"


def _visibility(ctx: RowContext, cells: Cells, number: int, issues: list[Issue]) -> str:
    text = cells["visibility"]
    if not text:
        return ctx.visibility
    found = _VISIBILITY_WORDS.get(ctx.once(header_key, text))
    if found is None:
        issues.append(Issue.of("visibility", number, ctx.mapping.get("visibility"), text))
        return ctx.visibility
    return found
