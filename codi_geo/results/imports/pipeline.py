"""The import itself: ``prepare_import`` reads and checks a file without storing anything,
``store_import`` stores the accepted rows as one batch, ``import_file`` does both.

An import is one batch, stored whole or not at all (``valid_only`` stores the valid rows and
reports the others); the same file twice is not stored twice; a failed import changes
nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from codi_geo.programmes import Programme, get_programme
from codi_geo.results.audit_events import AuditEntry
from codi_geo.results.database import DatabaseError
from codi_geo.results.imports.checks import dedupe, file_level_checks
from codi_geo.results.imports.context import RowContext
from codi_geo.results.imports.mapping import check_mapping, guess_mapping, header_key
from codi_geo.results.imports.problems import ImportFileError, ignored_reason
from codi_geo.results.imports.readers import RawTable, file_sha256, read_table
from codi_geo.results.imports.report import ImportReport
from codi_geo.results.imports.rows import convert_table, decide_date_order, fewer_collections
from codi_geo.results.store import NewBatch, ResultRow, Store, StoreError
from codi_geo.settings import get_settings

VISIBILITIES = ("public", "internal")


@dataclass(frozen=True)
class ImportOptions:
    """How to read, check and store one file. The defaults suit a file that says everything
    itself and is stored whole."""

    # Field -> column header, replacing the guess (see ``report.mapping`` for the guess and
    # ``mappable_fields`` for the fields).
    mapping: Mapping[str, str] | None = None
    sheet: str | None = None  # an XLSX sheet; the first if None
    # For rows that give none.
    fiscal_year: int | None = None
    quarter: int | None = None
    visibility: str = "internal"  # of rows without a visibility column
    is_demo: bool = False
    # Place text as written -> DOPA code: the user's choice for an ambiguous place.
    place_codes: Mapping[str, str] = field(default_factory=dict)
    boundary_dir: Path | None = None  # the boundary cache that places points
    # Batches this import replaces (their rows do not count as already stored).
    replaces: tuple[int, ...] = ()
    mode: str = "all"  # "shipped" for the figures that ship with the app
    valid_only: bool = False  # store the valid rows even if others are rejected
    dry_run: bool = False  # check and report, store nothing
    who: str | None = None  # recorded with the batch
    # A category word as the file writes it -> the category id it means (the user's choice
    # for a word the programme does not declare); the store's remembered words for the
    # programme apply too, these win.
    category_words: Mapping[str, str] = field(default_factory=dict)
    # Read the file in a separate process with a memory cap and a time limit (``isolated``):
    # the app does, so one upload cannot starve other users.
    isolate: bool = False

    def __post_init__(self) -> None:
        if self.visibility not in VISIBILITIES:
            raise ValueError(f"visibility must be public or internal, not {self.visibility!r}")


@dataclass
class PreparedImport:
    """Checked rows ready to store, with the report; ``store_import`` stores them."""

    report: ImportReport
    rows: list[ResultRow]
    options: ImportOptions


def prepare_import(
    data: bytes,
    filename: str,
    programme_id: str,
    options: ImportOptions | None = None,
    *,
    store: Store | None = None,
) -> PreparedImport:
    """Read and check a file for ``programme_id`` without storing anything. ``store``, if
    given, is checked for the same file and for rows already stored."""
    options = options or ImportOptions()
    programme = get_programme(programme_id)
    report = ImportReport(file_name=filename, file_sha256=file_sha256(data), programme=programme.id)
    try:
        table = _read(data, filename, options, programme.id)
        if options.mapping is None:
            guessed = guess_mapping(table.headers, programme, table.geometry_columns)
            columns, ignored = guessed.columns, guessed.ignored
        else:
            check_mapping(options.mapping, table.headers, programme, filename)
            columns = dict(options.mapping)
            unused = [h for h in table.headers if h not in options.mapping.values()]
            ignored = dict.fromkeys(unused, ignored_reason("not_mapped"))
    except ImportFileError as error:
        report.issues.append(error.issue())
        return _finish_report(report, [], store, options)
    report.file_kind, report.encoding, report.sheet = table.kind, table.encoding, table.sheet
    report.sheets, report.header_rows = table.sheets, table.header_rows
    report.headers = table.headers
    report.row_label_th, report.row_label_en = table.row_label_th, table.row_label_en
    report.mapping, report.ignored_columns = columns, ignored
    ctx = row_context(programme, columns, table.headers, options, store)
    decide_date_order(ctx, table)
    report.issues += file_level_checks(ctx, table)
    report.rows_total = len(table.rows)
    if report.file_errors:
        return _finish_report(report, [], store, options)
    with fewer_collections():
        accepted = _convert_rows(ctx, table, report, store, options)
    if accepted is None:
        return _finish_report(report, [], store, options)
    report.rows_accepted = len(accepted)
    report.rows_rejected = len(report.rejected_rows)
    report.issues.sort(key=lambda i: -1 if i.row is None else i.row)
    return _finish_report(report, accepted, store, options)


def _read(data: bytes, filename: str, options: ImportOptions, programme_id: str) -> RawTable:
    if options.isolate:
        # here, not at the top: the child runs ``isolated`` as ``python -m``, which would
        # find it imported already with this package, run it twice and warn
        from codi_geo.results.imports.isolated import read_table_isolated

        return read_table_isolated(data, filename, options.sheet, programme_id)
    try:
        return read_table(data, filename, options.sheet, get_programme(programme_id))
    except MemoryError:
        raise ImportFileError(
            "too_much_memory", file=filename, mb=get_settings().import_memory_mb
        ) from None


def row_context(
    programme: Programme,
    columns: dict[str, str],
    headers: list[str],
    options: ImportOptions,
    store: Store | None = None,
) -> RowContext:
    """What converting a file's rows needs: the mapping (field -> header), the options and
    the category words remembered for the programme in ``store``."""
    words = dict(store.category_words(programme.id)) if store is not None else {}
    words.update({header_key(word): category for word, category in options.category_words.items()})
    return RowContext(
        programme=programme,
        mapping=columns,
        column_index={name: headers.index(h) for name, h in columns.items()},
        default_fiscal_year=options.fiscal_year,
        default_quarter=options.quarter,
        visibility=options.visibility,
        is_demo=options.is_demo,
        place_codes=dict(options.place_codes),
        category_words=words,
    )


def _convert_rows(
    ctx: RowContext,
    table: RawTable,
    report: ImportReport,
    store: Store | None,
    options: ImportOptions,
) -> list[ResultRow] | None:
    """The accepted rows, their issues and the rejected rows added to ``report``; None if
    the points cannot be placed at all (the reason added to ``report``)."""
    converted_rows = convert_table(ctx, table, options.boundary_dir)
    report.issues += converted_rows.skipped
    report.rows_skipped += len(converted_rows.skipped)
    if converted_rows.unplaced is not None:
        report.issues.append(converted_rows.unplaced)
        return None
    pending = converted_rows.pending
    converted = [(item, ResultRow(**item.values)) for item in pending if not item.rejected]
    dedupe(converted, store, ctx.programme.id, options.replaces, table)
    for item in pending:
        report.issues += item.issues
        if item.rejected:
            report.rejected_rows.append((item.row_number, list(table.rows[item.index])))
    return [row for item, row in converted if not item.rejected]


def _finish_report(
    report: ImportReport, rows: list[ResultRow], store: Store | None, options: ImportOptions
) -> PreparedImport:
    report.status = "valid"
    prepared = PreparedImport(report, rows, options)
    if store is not None:
        existing = store.active_batch_for_file(
            report.programme, report.file_sha256, report.sheet or ""
        )
        if existing is not None and existing.id not in options.replaces:
            report.status = "already_stored"
            report.duplicate_of = existing.id
            report.say("already_stored", batch=existing.id)
            return prepared
    if report.file_errors:
        report.status = "failed"
        report.say("unusable")
    elif report.errors:
        report.say("rows_failed", rejected=report.rows_rejected)
    elif not rows:
        report.status = "failed"
        report.say("no_rows")
    else:
        report.say("all_passed", rows=len(rows))
    return prepared


def _decide(prepared: PreparedImport) -> ImportReport:
    """The report as it stands before storing: may the rows be stored?"""
    valid_only = prepared.options.valid_only
    report = replace(prepared.report, valid_only=valid_only)
    if report.status in ("failed", "already_stored"):
        return report
    if report.errors and not valid_only:
        report.status = "failed"
        report.say("refused", rejected=report.rows_rejected)
    elif not prepared.rows:
        report.status = "failed"
        report.say("no_valid_rows")
    return report


def store_import(
    store: Store, prepared: PreparedImport, audit: AuditEntry | None = None
) -> ImportReport:
    """Store a prepared import as one batch (all of its accepted rows, in one transaction,
    with ``audit``, its audit record, when given).

    Without ``valid_only`` any rejected row stops the whole file. With it, the accepted rows
    are stored and the rejected ones are in ``report.rejects_csv_bytes()``. Nothing already
    stored is changed by a failed import.
    """
    options = prepared.options
    report = _decide(prepared)
    report.dry_run = options.dry_run
    if report.status != "valid" or options.dry_run:
        if options.dry_run and report.status == "valid":
            report.say(
                "dry_run",
                rows=len(prepared.rows),
                message_th=report.message_th,
                message_en=report.message_en,
            )
        return report
    mode = (
        options.mode if options.mode != "all" else ("valid_only" if options.valid_only else "all")
    )
    meta = NewBatch(
        programme=report.programme,
        file_name=report.file_name,
        file_sha256=report.file_sha256,
        sheet=report.sheet or "",
        mode=mode,
        rows_total=report.rows_total,
        rows_rejected=report.rows_rejected,
        rows_skipped=report.rows_skipped,
        created_by=options.who,
    )
    try:
        with fewer_collections():
            batch = store.store_results(meta, prepared.rows, replaces=options.replaces, audit=audit)
    except (StoreError, DatabaseError) as error:  # refused, or the database failed mid-way
        return report.store_refused(error)
    return report.stored_as(batch.id, batch.rows_stored)


def import_file(
    store: Store,
    data: bytes,
    filename: str,
    programme_id: str,
    options: ImportOptions | None = None,
) -> ImportReport:
    """Check and store a file in one go."""
    return store_import(store, prepare_import(data, filename, programme_id, options, store=store))
