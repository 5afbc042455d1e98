"""Checks across rows and columns: a file with no place or period column, rows repeated in
the file, rows already in the store."""

from __future__ import annotations

from collections.abc import Sequence

from codi_geo.results.imports.context import PendingRow, RowContext
from codi_geo.results.imports.problems import CellValueError, Issue
from codi_geo.results.imports.readers import RawTable
from codi_geo.results.imports.values import parse_quarter
from codi_geo.results.records import fact_key, natural_key
from codi_geo.results.store import ResultRow, Store

_PLACE_FIELDS = {"code", "region", "province", "district", "tambon", "place", "coordinates",
                 "level"}


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


def dedupe(rows: list[tuple[PendingRow, ResultRow]], store: Store | None, programme: str,
           replaces: Sequence[int], table: RawTable) -> None:
    """Reject a row that repeats an earlier row of the file, or a row already stored (in a
    batch this import does not replace): the same row (``natural_key``), or the same fact
    (``fact_key``: same period, place, category, name and figures) cited from another
    document, line or row, which would be counted twice on the map."""
    keys = [natural_key(row) for _, row in rows]
    facts = [fact_key(row) for _, row in rows]
    stored = store.active_keys(programme, keys, replaces) if store is not None else {}
    stored_facts = (store.active_facts(programme, [row for _, row in rows], replaces)
                    if store is not None and rows else {})
    seen: dict[str, int] = {}
    seen_facts: dict[str, int] = {}
    labels = {"label_th": table.row_label_th, "label_en": table.row_label_en}
    for (item, _), key, fact in zip(rows, keys, facts, strict=True):
        if key in seen:
            item.issues.append(Issue.of("duplicate_in_file", item.row_number, first=seen[key],
                                        **labels))
            continue
        seen[key] = item.row_number
        if key in stored:
            batch_id, source_row = stored[key]
            item.issues.append(Issue.of("duplicate_stored", item.row_number, batch=batch_id,
                                        stored_row=source_row))
            continue
        if fact in seen_facts:
            item.issues.append(Issue.of("duplicate_fact_in_file", item.row_number,
                                        first=seen_facts[fact], **labels))
            continue
        seen_facts[fact] = item.row_number
        if fact in stored_facts:
            batch_id, source_row = stored_facts[fact]
            item.issues.append(Issue.of("duplicate_fact_stored", item.row_number,
                                        batch=batch_id, stored_row=source_row))
