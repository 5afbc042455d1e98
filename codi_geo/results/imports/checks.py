"""Checks across rows and columns: a file with no place or period column, rows repeated in
the file, rows already in the store."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from codi_geo.results.imports.context import PendingRow, RowContext
from codi_geo.results.imports.problems import CellValueError, Issue
from codi_geo.results.imports.readers import RawTable
from codi_geo.results.imports.values import parse_quarter
from codi_geo.results.records import fact_key, natural_key
from codi_geo.results.store import ResultRow, Store

_PLACE_FIELDS = {
    "code",
    "region",
    "province",
    "district",
    "tambon",
    "place",
    "coordinates",
    "level",
}


def file_level_checks(ctx: RowContext, table: RawTable) -> list[Issue]:
    """What makes the whole file unusable as mapped: no place column, no way to know the
    fiscal year, no rows."""
    issues = []
    mapped = set(ctx.mapping)
    if not (mapped & _PLACE_FIELDS) and not {"latitude", "longitude"} <= mapped:
        issues.append(Issue.of("no_place_column", None, None, ", ".join(table.headers)))
    has_period = bool(mapped & {"fiscal_year", "date", "timestamp"})
    if not has_period and "quarter" in mapped:
        has_period = any(_year_in_quarter(ctx.cell(row, "quarter")) for row in table.rows)
    if not has_period and ctx.default_fiscal_year is None:
        issues.append(Issue.of("no_fiscal_year_column", None))
    if not table.rows:
        issues.append(Issue.of("no_rows", None))
    return issues


def _year_in_quarter(text: str) -> bool:
    try:
        return parse_quarter(text)[1] is not None
    except CellValueError:
        return False


def dedupe(
    rows: list[tuple[PendingRow, ResultRow]],
    store: Store | None,
    programme: str,
    replaces: Sequence[int],
    table: RawTable,
) -> None:
    """Reject a row that repeats an earlier row of the file, or a row already stored (in a
    batch this import does not replace): the same row (``natural_key``), or the same fact
    (``fact_key``: same period, place, category, name and figures) cited from another
    document, line or row, which would be counted twice on the map."""
    keys = [natural_key(row) for _, row in rows]
    stored = store.active_keys(programme, keys, replaces) if store is not None else {}
    stored_facts = (
        store.active_facts(programme, [row for _, row in rows], replaces)
        if store is not None and rows
        else {}
    )
    flag_duplicates(rows, keys, stored, stored_facts, SeenInFile(), table)


def _same(key: str) -> Hashable:
    return key


@dataclass
class SeenInFile:
    """The rows and facts of a file met so far: mark -> the row number that first had it.
    ``mark`` turns a key into what is kept: the key itself, or (a streamed file, for memory)
    a 64-bit fingerprint of it."""

    mark: Callable[[str], Hashable] = _same
    rows: dict[Hashable, int] = field(default_factory=dict)
    facts: dict[Hashable, int] = field(default_factory=dict)


def flag_duplicates(
    rows: Sequence[tuple[PendingRow, ResultRow]],
    keys: Sequence[str],
    stored: Mapping[str, tuple[int, int | None]],
    stored_facts: Mapping[Any, tuple[int, int | None]],
    seen: SeenInFile,
    table: RawTable,
) -> None:
    """The checks of ``dedupe`` for ``rows`` (their natural ``keys``) given what is stored
    (by key; stored facts by ``seen.mark`` of their fact key), adding each row's first
    duplicate problem and recording its row and fact in ``seen``."""
    labels = {"label_th": table.row_label_th, "label_en": table.row_label_en}
    for (item, row), key in zip(rows, keys, strict=True):
        mark = seen.mark(key)
        if mark in seen.rows:
            item.issues.append(
                Issue.of("duplicate_in_file", item.row_number, first=seen.rows[mark], **labels)
            )
            continue
        seen.rows[mark] = item.row_number
        if key in stored:
            batch_id, source_row = stored[key]
            item.issues.append(
                Issue.of("duplicate_stored", item.row_number, batch=batch_id, stored_row=source_row)
            )
            continue
        fact = seen.mark(fact_key(row))
        if fact in seen.facts:
            item.issues.append(
                Issue.of(
                    "duplicate_fact_in_file", item.row_number, first=seen.facts[fact], **labels
                )
            )
            continue
        seen.facts[fact] = item.row_number
        if fact in stored_facts:
            batch_id, source_row = stored_facts[fact]
            item.issues.append(
                Issue.of(
                    "duplicate_fact_stored", item.row_number, batch=batch_id, stored_row=source_row
                )
            )
