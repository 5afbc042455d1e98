"""Importing a CSV too big to hold in memory (a million COPIN pins): the file is read from
disk in chunks of rows, each chunk converted, placed and checked exactly as ``pipeline``
does it (``rows.convert_table``, the same problems), and inserted into one open
batch (``results.writer``), so the import is still one transaction, stored whole or not at
all. Memory stays bounded: one chunk of rows, the 64-bit fingerprints of the rows and facts
seen (to find a row or fact repeated in the file) and of the stored facts in the places the
file names (each place read once), and at most ``max_issues`` problems of each severity and
``max_issues`` rejected rows kept for the report; every problem is still counted.

Differences from ``pipeline.import_file``, all for memory: whether dates are day-first is
decided from the first chunk (20,000 rows by default), and the report lists the first
problems and counts the rest (``ImportReport.issues_not_listed``).
"""

from __future__ import annotations

import codecs
import hashlib
import itertools
from collections.abc import Callable, Hashable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from codi_geo.programmes import get_programme
from codi_geo.results.audit_events import AuditEntry
from codi_geo.results.database import DatabaseError
from codi_geo.results.imports.checks import SeenInFile, file_level_checks, flag_duplicates
from codi_geo.results.imports.context import PendingRow, RowContext
from codi_geo.results.imports.delimited import read_records, sniff_delimiter
from codi_geo.results.imports.headers import combine_headers, find_header_rows
from codi_geo.results.imports.mapping import check_mapping, field_vocabulary, guess_mapping
from codi_geo.results.imports.pipeline import ImportOptions, row_context
from codi_geo.results.imports.problems import ImportFileError, Issue, ignored_reason
from codi_geo.results.imports.readers import RawTable, detect_kind
from codi_geo.results.imports.report import ImportReport
from codi_geo.results.imports.rows import convert_table, decide_date_order, fewer_collections
from codi_geo.results.records import natural_key as row_key
from codi_geo.results.store import NewBatch, ResultRow, Store, StoreError
from codi_geo.results.writer import BatchWriter, open_batch_writer

CHUNK_ROWS = 20_000
MAX_ISSUES = 1_000
_HEAD_RECORDS = 60  # enough for title rows above a two-row header
_BLOCK = 1 << 20


class _RefusedError(Exception):
    """Raised inside the batch transaction to roll it back: the report says why."""


@dataclass
class _Source:
    path: Path
    sha256: str
    encoding: str
    delimiter: str


def _inspect(path: Path, filename: str) -> _Source:
    """One pass over the bytes: the sha256 (the same file is not stored twice) and the
    encoding (UTF-8 with or without BOM, UTF-16 or UTF-32 with BOM, else Thai Windows
    cp874), refusing bytes that are none of these, with the place of the first one."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        first = f.read(4)
    if first.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        unicode = "utf-32"
    elif first.startswith((b"\xff\xfe", b"\xfe\xff")):
        unicode = "utf-16"
    else:
        unicode = "utf-8"
    decoder = codecs.getincrementaldecoder(unicode)()
    # The first byte (from 0) that is not in that Unicode encoding, and the first that is
    # not cp874: the place a refusal names (a text decoder's own position is within its
    # last chunk).
    not_unicode: int | None = None
    not_cp874: int | None = None
    zero: int | None = None  # the first zero byte: no text but UTF-16/32 has one
    offset = 0
    with path.open("rb") as f:
        while block := f.read(_BLOCK):
            digest.update(block)
            if not_unicode is None:
                held = len(decoder.getstate()[0])
                try:
                    decoder.decode(block)
                except UnicodeDecodeError as error:
                    not_unicode = offset - held + error.start
            if not_cp874 is None:
                try:
                    block.decode("cp874")  # one byte a character: no state across blocks
                except UnicodeDecodeError as error:
                    not_cp874 = offset + error.start
            if zero is None and (at := block.find(b"\x00")) >= 0:
                zero = offset + at
            offset += len(block)
    if not_unicode is None and decoder.getstate()[0]:  # the file ends inside a character
        not_unicode = offset - len(decoder.getstate()[0])
    if not first:
        raise ImportFileError("empty", file=filename)
    if unicode != "utf-8":
        encoding = unicode
        if not_unicode is not None:
            raise ImportFileError(
                "encoding_bom_unicode", file=filename, encoding=unicode.upper(), byte=not_unicode
            )
    elif zero is not None:
        raise ImportFileError("not_text", file=filename, byte=zero)
    elif first.startswith(b"\xef\xbb\xbf"):
        encoding = "utf-8-sig"
        if not_unicode is not None:
            raise ImportFileError("encoding_bom", file=filename, byte=not_unicode)
    elif not_unicode is None:
        encoding = "utf-8"
    else:
        encoding = "cp874"
        if not_cp874 is not None:
            raise ImportFileError("encoding", file=filename, byte=not_cp874)
    with path.open(encoding=encoding, newline="", errors="strict") as f:
        try:
            sample = "".join(itertools.islice(f, 40))
        except UnicodeDecodeError as error:
            raise ImportFileError("encoding", file=filename, byte=error.start) from None
    return _Source(path, digest.hexdigest(), encoding, sniff_delimiter(sample))


def _records(source: _Source, filename: str) -> Iterator[tuple[int, list[str]]]:
    """(row number as Excel shows it, cells) for every CSV record."""
    with source.path.open(encoding=source.encoding, newline="", errors="strict") as f:
        try:
            yield from enumerate(read_records(f, filename, source.delimiter), 1)
        except UnicodeDecodeError as error:
            raise ImportFileError("encoding", file=filename, byte=error.start) from None


class _Rows:
    """The data rows below the header, in chunks of ``RawTable``."""

    def __init__(self, source: _Source, filename: str, programme_id: str) -> None:
        self.records = _records(source, filename)
        head = list(itertools.islice(self.records, _HEAD_RECORDS))
        self.width = max((len(r) for _, r in head), default=0)
        grid = [r + [""] * (self.width - len(r)) for _, r in head]
        header_at, upper_at = find_header_rows(grid, field_vocabulary(get_programme(programme_id)))
        if header_at is None:
            raise ImportFileError("no_header", file=filename)
        self.headers = combine_headers(grid, header_at, upper_at)
        self.header_rows = tuple(head[i][0] for i in (upper_at, header_at) if i is not None)
        self.encoding = source.encoding
        self._rest = itertools.chain(head[header_at + 1 :], self.records)

    def chunks(self, size: int) -> Iterator[RawTable]:
        while True:
            rows, numbers = [], []
            for number, record in self._rest:
                if not any(cell.strip() for cell in record):
                    continue  # blank rows are layout, not data
                rows.append(record + [""] * (self.width - len(record)))
                numbers.append(number)
                if len(rows) == size:
                    break
            if not rows:
                return
            yield RawTable(
                headers=self.headers,
                rows=rows,
                row_numbers=numbers,
                kind="csv",
                encoding=self.encoding,
            )


class _Tally:
    """The report's issues and rejected rows, bounded; the rest only counted."""

    def __init__(self, report: ImportReport, limit: int) -> None:
        self.report, self.limit = report, limit
        self.kept = {"error": 0, "warning": 0}

    def issue(self, issue: Issue) -> None:
        severity = issue.severity if issue.severity in self.kept else "warning"
        if self.kept[severity] < self.limit:
            self.kept[severity] += 1
            self.report.issues.append(issue)
        else:
            self.report.issues_not_listed += 1

    def rejected(self, number: int, cells: list[str]) -> None:
        self.report.rows_rejected += 1
        if len(self.report.rejected_rows) < self.limit:
            self.report.rejected_rows.append((number, list(cells)))


def _fingerprint(key: str) -> int:
    # 64 bits of the sha256 natural key: a million rows collide with odds of about 3e-8.
    return int(key[:16], 16)


def import_csv_file(
    store: Store,
    path: Path,
    programme_id: str,
    options: ImportOptions | None = None,
    *,
    filename: str | None = None,
    chunk_rows: int = CHUNK_ROWS,
    max_issues: int = MAX_ISSUES,
    check_rows: Callable[[Sequence[ResultRow]], None] | None = None,
    audit: AuditEntry | None = None,
) -> ImportReport:
    """Import a CSV file from disk in chunks, as one batch (see the module docstring).
    ``check_rows`` is called with each chunk's accepted rows before they are stored and may
    raise to abandon the import (nothing is stored; the exception propagates). ``audit``: the
    batch's audit record, written in its transaction."""
    options = options or ImportOptions()
    programme = get_programme(programme_id)
    filename = filename or path.name
    report = ImportReport(
        file_name=filename,
        file_sha256="",
        programme=programme.id,
        file_kind="csv",
        dry_run=options.dry_run,
        valid_only=options.valid_only,
    )
    try:
        source = _inspect(path, filename)
        report.file_sha256, report.encoding = source.sha256, source.encoding
        existing = store.active_batch_for_file(programme.id, source.sha256)
        if existing is not None and existing.id not in options.replaces:
            report.status, report.duplicate_of = "already_stored", existing.id
            report.say("already_stored", batch=existing.id)
            return report
        rows = _Rows(source, filename, programme.id)
        if options.mapping is None:
            guessed = guess_mapping(rows.headers, programme, {})
            columns, ignored = guessed.columns, guessed.ignored
        else:
            check_mapping(options.mapping, rows.headers, programme, filename)
            columns = dict(options.mapping)
            ignored = {
                h: ignored_reason("not_mapped")
                for h in rows.headers
                if h not in options.mapping.values()
            }
    except ImportFileError as error:
        report.issues.append(error.issue())
        report.status = "failed"
        report.say("unusable")
        return report
    report.headers, report.header_rows = rows.headers, rows.header_rows
    report.mapping, report.ignored_columns = columns, ignored
    ctx = row_context(programme, columns, rows.headers, options, store)
    run = _Run(store, ctx, options, report, _Tally(report, max_issues), check_rows)
    try:
        if options.dry_run:
            run.read_all(rows, chunk_rows, None)
            _conclude(report, options)
            return report
        meta = NewBatch(
            programme=programme.id,
            file_name=filename,
            file_sha256=source.sha256,
            mode="valid_only"
            if options.valid_only
            else (options.mode if options.mode != "all" else "all"),
            rows_total=0,
            created_by=options.who,
        )
        with open_batch_writer(store, meta, options.replaces, audit) as writer:
            run.read_all(rows, chunk_rows, writer)
            _conclude(report, options)
            if report.status != "valid":
                raise _RefusedError
            writer.finish(
                rows_total=report.rows_total,
                rows_rejected=report.rows_rejected,
                rows_skipped=report.rows_skipped,
            )
    except _RefusedError:
        return report
    except ImportFileError as error:  # a broken record or encoding further down the file
        report.issues.append(error.issue())
        report.status = "failed"
        report.say("unusable")
        return report
    except (StoreError, DatabaseError) as error:  # refused, or the database failed mid-way
        return report.store_refused(error)
    return report.stored_as(writer.batch_id, writer.rows_stored)


def _conclude(report: ImportReport, options: ImportOptions) -> None:
    """The outcome before committing, as ``pipeline._finish_report`` and ``_decide``."""
    report.issues.sort(key=lambda i: -1 if i.row is None else i.row)
    report.status = "valid"
    if report.file_errors:
        report.status = "failed"
        report.say("unusable")
    elif report.rows_rejected and not options.valid_only:
        report.status = "failed"
        report.say("refused", rejected=report.rows_rejected)
    elif not report.rows_accepted:
        report.status = "failed"
        report.say("no_valid_rows" if report.rows_rejected else "no_rows")
    elif options.dry_run:
        report.say(
            "dry_run",
            rows=report.rows_accepted,
            message_th=f"ผ่านทั้งหมด {report.rows_accepted} แถว",
            message_en=f"all {report.rows_accepted} row(s) passed",
        )


class _Run:
    """One import's reading, checking and storing, chunk after chunk."""

    def __init__(
        self,
        store: Store,
        ctx: RowContext,
        options: ImportOptions,
        report: ImportReport,
        tally: _Tally,
        check_rows: Callable[[Sequence[ResultRow]], None] | None,
    ) -> None:
        self.store, self.ctx, self.options = store, ctx, options
        self.report, self.tally, self.check_rows = report, tally, check_rows
        # The file's rows and facts so far, and the stored facts of every place the file has
        # named so far (each place read from the store once), all as fingerprints.
        self.seen = SeenInFile(mark=_fingerprint)
        self.stored_facts: dict[Hashable, tuple[int, int | None]] = {}
        self.fact_places: set[str | None] = set()

    def read_all(self, rows: _Rows, chunk_rows: int, writer: BatchWriter | None) -> None:
        with fewer_collections():
            for number, table in enumerate(rows.chunks(chunk_rows)):
                if number == 0:
                    self._first_chunk(table)
                    if self.report.file_errors:
                        return
                self._chunk(table, writer)
        if self.report.rows_total == 0:
            self.tally.issue(Issue.of("no_rows", None))

    def _first_chunk(self, table: RawTable) -> None:
        decide_date_order(self.ctx, table)
        for issue in file_level_checks(self.ctx, table):
            self.tally.issue(issue)

    def _chunk(self, table: RawTable, writer: BatchWriter | None) -> None:
        report = self.report
        report.rows_total += len(table.rows)
        converted_rows = convert_table(self.ctx, table, self.options.boundary_dir)
        for issue in converted_rows.skipped:
            self.tally.issue(issue)
        report.rows_skipped += len(converted_rows.skipped)
        if converted_rows.unplaced is not None:
            self.tally.issue(converted_rows.unplaced)
            return
        pending = converted_rows.pending
        converted = [(item, ResultRow(**item.values)) for item in pending if not item.rejected]
        keys = self._dedupe(converted, table, writer)
        for item in pending:
            for issue in item.issues:
                self.tally.issue(issue)
            if item.rejected:
                self.tally.rejected(item.row_number, table.rows[item.index])
        kept = [
            (row, key)
            for (item, row), key in zip(converted, keys, strict=True)
            if not item.rejected
        ]
        accepted = [row for row, _ in kept]
        report.rows_accepted += len(accepted)
        if self.check_rows is not None and accepted:
            self.check_rows(accepted)
        # Once a row is rejected a whole-file import will be refused: keep checking (the
        # report lists every problem) but stop writing rows that will be rolled back.
        if writer is not None and (self.options.valid_only or not report.rows_rejected):
            writer.add(accepted, checked_keys=[key for _, key in kept])

    def _dedupe(
        self,
        converted: list[tuple[PendingRow, ResultRow]],
        table: RawTable,
        writer: BatchWriter | None,
    ) -> list[str]:
        """Reject a row that repeats an earlier row or fact of the file, or a stored row or
        fact (``checks.dedupe``); the rows' natural keys."""
        keys = [row_key(row) for _, row in converted]
        if writer is not None:
            stored = writer.stored_keys(keys)
        else:
            stored = self.store.active_keys(self.ctx.programme.id, keys, self.options.replaces)
        self._read_stored_facts([row for _, row in converted])
        flag_duplicates(converted, keys, stored, self.stored_facts, self.seen, table)
        return keys

    def _read_stored_facts(self, rows: Sequence[ResultRow]) -> None:
        """The stored facts of the places in ``rows`` not read before."""
        new = [row for row in rows if row.code not in self.fact_places]
        if not new:
            return
        found = self.store.active_facts(self.ctx.programme.id, new, self.options.replaces)
        self.fact_places.update(row.code for row in new)
        for key, where in found.items():
            self.stored_facts.setdefault(_fingerprint(key), where)


def headers_of(path: Path, programme_id: str) -> list[str]:
    """The header of a CSV file on disk (below any title rows), read from its first rows."""
    return _Rows(_inspect(path, path.name), path.name, programme_id).headers


def is_csv(path: Path) -> bool:
    """True if the file at ``path`` is read as CSV (not XLSX, GeoJSON, KML)."""
    with path.open("rb") as f:
        head = f.read(2048)
    try:
        return detect_kind(head, path.name) == "csv"
    except ImportFileError:
        return False
