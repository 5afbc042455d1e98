"""Storing a batch whose rows arrive in chunks (a million-row CSV): one transaction, all rows
or none, without holding every row in memory.

``open_batch_writer(store, meta)`` opens the write transaction and the batch row; each
``add(rows)`` inserts a chunk (after checking its natural keys against the active rows, in
the same transaction); leaving the ``with`` block commits, with the batch's final counts, or
rolls everything back if anything raised (a rejected row, a stopped server, a full disk).
``Store.store_results`` keeps serving the files that fit in memory.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress

import sqlalchemy as sa

from codi_geo.results.audit_events import AuditEntry, write_event
from codi_geo.results.database import DatabaseError
from codi_geo.results.records import _result_record
from codi_geo.results.schema import batches_table, results_table
from codi_geo.results.store import (
    DuplicateRowsError,
    EmptyBatchError,
    NewBatch,
    ResultRow,
    Store,
)


class BatchWriter:
    """Adds chunks of rows to one open batch (see ``open_batch_writer``)."""

    def __init__(
        self,
        store: Store,
        connection: sa.Connection,
        meta: NewBatch,
        batch_id: int,
        replaces: Sequence[int],
        audit: AuditEntry | None = None,
    ) -> None:
        self._store, self._connection, self.meta, self._audit = store, connection, meta, audit
        self.batch_id, self._replaces = batch_id, list(replaces)
        self.rows_stored = 0

    def stored_keys(self, keys: Sequence[str]) -> dict[str, tuple[int, int | None]]:
        """Which of ``keys`` are already active (outside the batches this one replaces and
        this batch itself), seen from inside the transaction."""
        return self._store._active_keys(
            self._connection, self.meta.programme, keys, [*self._replaces, self.batch_id]
        )

    def add(self, rows: Sequence[ResultRow], checked_keys: Sequence[str] | None = None) -> None:
        """Insert a chunk; ``DuplicateRowsError`` if a row is already stored (the whole batch
        then rolls back). ``checked_keys``: the rows' natural keys,
        when the caller has computed them and found none with ``stored_keys`` (the streamed
        import does, to report each such row): they are not computed and looked up again.
        A row stored meanwhile by another writer is still refused, by the unique index."""
        if not rows:
            return
        if checked_keys is None:
            records = [_result_record(row) for row in rows]
            clashes = self.stored_keys([r["natural_key"] for r in records])
            if clashes:
                raise DuplicateRowsError(len(clashes))
        else:
            records = [
                _result_record(row, key) for row, key in zip(rows, checked_keys, strict=True)
            ]
        for record in records:
            record["batch_id"] = self.batch_id
        self._connection.execute(results_table.insert(), records)
        self.rows_stored += len(records)

    def finish(self, **counts: int) -> None:
        """Record the batch's final counts (``rows_total``, ``rows_rejected``,
        ``rows_skipped``) with the rows stored; still inside the transaction."""
        values = {"rows_stored": self.rows_stored, **counts}
        self._connection.execute(
            batches_table.update().where(batches_table.c.id == self.batch_id).values(**values)
        )
        if self._audit is not None:  # in the batch's transaction: no batch without its record
            write_event(
                self._connection, self._audit, batch_id=self.batch_id, row_count=self.rows_stored
            )


@contextmanager
def open_batch_writer(
    store: Store, meta: NewBatch, replaces: Sequence[int] = (), audit: AuditEntry | None = None
) -> Iterator[BatchWriter]:
    """A writer for one new active batch, in one transaction: committed when the block ends
    (an empty batch is refused), rolled back if it raises. ``DuplicateFileError`` if the same
    file is already stored for the programme."""
    with store._batch_write() as connection, _page_cache(connection):
        batch_id = store._open_batch(connection, meta, 0, replaces)
        writer = BatchWriter(store, connection, meta, batch_id, replaces, audit)
        yield writer
        if writer.rows_stored == 0:
            raise EmptyBatchError()


# Database pages an open batch may keep in memory on SQLite (KiB): a large import's indexes
# outgrow the default 2 MB, and each page pushed out is written to the WAL and read back
# (at a million rows, a seventh of the import's time, most of it in the kernel).
_SQLITE_CACHE_KIB = 64 * 1024


@contextmanager
def _page_cache(connection: sa.Connection) -> Iterator[None]:
    """A larger SQLite page cache for the batch's connection while the batch is written,
    put back before the connection returns to the pool (PostgreSQL: nothing to do)."""
    if connection.dialect.name != "sqlite":
        yield
        return
    before = int(connection.exec_driver_sql("PRAGMA cache_size").scalar_one())
    connection.exec_driver_sql(f"PRAGMA cache_size = -{_SQLITE_CACHE_KIB}")
    try:
        yield
    finally:
        # Not over the error that ended the batch: a connection that cannot take a PRAGMA
        # is broken and the pool discards it anyway.
        with suppress(sa.exc.SQLAlchemyError, DatabaseError):
            connection.exec_driver_sql(f"PRAGMA cache_size = {before}")
