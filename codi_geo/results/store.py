"""The results store: CODI programme results, indicators and the import batches they came in.

SQLAlchemy Core over an embedded SQLite file (``data/codi_geo.sqlite``) or, when
``CODI_GEO_DATABASE_URL`` is set, PostgreSQL (``postgresql+psycopg://...``) for a deployment
with several app replicas (``database``). The tables are in ``schema``, owned by the Alembic
migrations in ``codi_geo/results/migrations``; opening a store upgrades it to the latest
revision.

Every row belongs to a batch. A batch is written whole in one transaction or not at all, and
undoing it marks it (and its rows) inactive rather than deleting anything, so no stored data is
ever lost. Two partial unique indexes make the rules hold even with several writers: one active
batch per (kind, programme, file sha256), and one active row per (programme, natural key).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY

from codi_geo.errors import CodiGeoError
from codi_geo.programmes import get_programme
from codi_geo.results.audit_events import AuditEntry, read_events, write_event
from codi_geo.results.database import create_engine, database_url, migrate
from codi_geo.results.records import (  # the values the store reads and writes
    Batch,
    IndicatorRow,
    NewBatch,
    ResultRow,
    _batch_from_row,
    _now,
    _result_record,
    _results_frame,
    fact_key,
)
from codi_geo.results.schema import (
    INDICATOR_COLUMNS,
    RESULT_IS_ACTIVE,
    batches_table,
    category_words_table,
    indicators_table,
    results_table,
)
from codi_geo.results.within import area_condition
from codi_geo.thai import header_key

# Indicator batches have no programme of their own; they use this in the programme column so
# the unique index over (kind, programme, sha256) still applies (NULLs never collide).
INDICATORS_PROGRAMME = "_indicators"
# Natural keys looked up per query (well under SQLite's and PostgreSQL's parameter limits).
_KEY_CHUNK = 500


class StoreError(CodiGeoError):
    """A store operation that cannot be done."""


class DuplicateFileError(StoreError):
    """The same file (same sha256) is already stored, in an active batch, for this programme."""

    def __init__(self, batch: Batch) -> None:
        self.batch = batch
        super().__init__(
            f"ไฟล์นี้นำเข้าแล้วเป็นชุดที่ {batch.id} ({batch.file_name}) ไม่ได้บันทึกซ้ำ",
            f"this file is already stored as batch {batch.id} ({batch.file_name}); "
            f"nothing was stored again",
        )


class DuplicateRowsError(StoreError):
    """Rows whose natural key is already active (another writer got there first)."""

    def __init__(self, count: int) -> None:
        super().__init__(
            f"{count} แถวมีอยู่ในคลังข้อมูลแล้ว ไม่ได้บันทึกชุดนี้",
            f"{count} row(s) are already stored; this batch was not stored",
        )


class EmptyBatchError(StoreError):
    """A batch with no rows: never stored."""

    def __init__(self) -> None:
        super().__init__("ไม่มีแถวที่จะบันทึก", "there are no rows to store")


class ConcurrentWriteError(StoreError):
    """Another writer stored the same file or rows between our check and our insert (the
    unique indexes refused ours)."""

    def __init__(self, error: sa.exc.IntegrityError) -> None:
        super().__init__(
            "มีการนำเข้าข้อมูลเดียวกันพร้อมกัน ไม่ได้บันทึกชุดนี้ ลองใหม่อีกครั้ง",
            "the same data was being stored at the same time; this batch was not stored, "
            f"try again ({error.orig})",
        )


def _key_lookup(
    connection: sa.Connection, wanted: list[sa.ColumnElement[bool]], keys: list[str]
) -> sa.Select[str, int, int | None]:
    """(natural key, batch id, source row) of the rows that meet ``wanted`` among ``keys``,
    each found through the unique index on (programme, natural key)."""
    r = results_table.c
    if connection.dialect.name != "postgresql":
        return sa.select(r.natural_key, r.batch_id, r.source_row).where(
            *wanted, r.natural_key.in_(keys)
        )
    # One index lookup per key, whatever the planner believes: its row counts lag behind a
    # large import's own rows (not yet analysed), and with ``IN (...)`` it then scans every
    # row of the programme for each lookup, so an import's checks grow with its rows.
    key = (
        sa.func.unnest(sa.bindparam("keys", keys, type_=ARRAY(sa.String)))
        .table_valued("key")
        .render_derived("wanted")
    )
    stored = (
        sa.select(r.batch_id, r.source_row)
        .where(*wanted, r.natural_key == key.c.key)
        .limit(1)
        .lateral("stored")
    )
    return (
        sa.select(key.c.key, stored.c.batch_id, stored.c.source_row)
        .select_from(key)
        .join(stored, sa.true())
    )


def open_store(url: str | None = None) -> Store:
    """Open (creating and upgrading as needed) the store at ``url`` (see ``database_url``).
    Open once per process and keep it: the engine holds the connection pool."""
    engine = create_engine(database_url(url))
    migrate(engine)
    return Store(engine)


# ---------------------------------------------------------------------------------------
# The store
# ---------------------------------------------------------------------------------------


class Store:
    """Reads and writes results, indicators and batches. Every write is one transaction."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def _write(self) -> Iterator[sa.Connection]:
        with self.engine.connect() as connection:
            connection = connection.execution_options(codi_geo_write=True)
            with connection.begin():
                yield connection

    # -- batches ---------------------------------------------------------------------

    def batches(self, programme: str | None = None, kind: str | None = None) -> list[Batch]:
        """All batches, newest first."""
        query = sa.select(batches_table).order_by(batches_table.c.id.desc())
        if programme is not None:
            query = query.where(batches_table.c.programme == programme)
        if kind is not None:
            query = query.where(batches_table.c.kind == kind)
        with self.engine.connect() as connection:
            return [_batch_from_row(row) for row in connection.execute(query)]

    def batch(self, batch_id: int) -> Batch | None:
        query = sa.select(batches_table).where(batches_table.c.id == batch_id)
        with self.engine.connect() as connection:
            row = connection.execute(query).first()
        return None if row is None else _batch_from_row(row)

    def active_batch_for_file(
        self, programme: str, file_sha256: str, sheet: str = "", kind: str = "results"
    ) -> Batch | None:
        """The active batch that stored this file (this sheet of it) for the programme."""
        with self.engine.connect() as connection:
            return self._active_batch_for_file(connection, kind, programme, file_sha256, sheet)

    @staticmethod
    def _active_batch_for_file(
        connection: sa.Connection, kind: str, programme: str, file_sha256: str, sheet: str
    ) -> Batch | None:
        b = batches_table.c
        query = sa.select(batches_table).where(
            b.kind == kind,
            b.programme == programme,
            b.file_sha256 == file_sha256,
            b.sheet == sheet,
            b.status == "active",
        )
        row = connection.execute(query).first()
        return None if row is None else _batch_from_row(row)

    def active_keys(
        self,
        programme: str,
        keys: Sequence[str] | None = None,
        exclude_batches: Sequence[int] = (),
    ) -> dict[str, tuple[int, int | None]]:
        """Natural key -> (batch id, source row) of the programme's active rows (only those
        among ``keys`` when given), leaving out ``exclude_batches``."""
        with self.engine.connect() as connection:
            return self._active_keys(connection, programme, keys, exclude_batches)

    @staticmethod
    def _active_keys(
        connection: sa.Connection,
        programme: str,
        keys: Sequence[str] | None = None,
        exclude_batches: Sequence[int] = (),
    ) -> dict[str, tuple[int, int | None]]:
        r = results_table.c
        wanted = [r.programme == programme, RESULT_IS_ACTIVE]
        if exclude_batches:
            wanted.append(r.batch_id.not_in(list(exclude_batches)))
        if keys is None:
            every = sa.select(r.natural_key, r.batch_id, r.source_row).where(*wanted)
            return {key: (batch_id, row) for key, batch_id, row in connection.execute(every)}
        found: dict[str, tuple[int, int | None]] = {}
        unique = sorted(set(keys))
        for start in range(0, len(unique), _KEY_CHUNK):
            lookup = _key_lookup(connection, wanted, unique[start : start + _KEY_CHUNK])
            found.update((k, (b, row)) for k, b, row in connection.execute(lookup))
        return found

    def active_facts(
        self, programme: str, rows: Sequence[ResultRow], exclude_batches: Sequence[int] = ()
    ) -> dict[str, tuple[int, int | None]]:
        """Fact key (``fact_key``) -> (batch id, source row) of the programme's active rows
        in the places of ``rows`` (same code, or no code), leaving out ``exclude_batches``."""
        r = results_table.c
        columns = (
            r.fiscal_year,
            r.quarter,
            r.level,
            r.code,
            r.latitude,
            r.longitude,
            r.category,
            r.name,
            r.is_demo,
            r.metrics,
            r.batch_id,
            r.source_row,
        )
        base = sa.select(*columns).where(r.programme == programme, r.active)
        if exclude_batches:
            base = base.where(r.batch_id.not_in(list(exclude_batches)))
        codes = sorted({row.code for row in rows if row.code is not None})
        queries = [
            base.where(r.code.in_(codes[i : i + _KEY_CHUNK]))
            for i in range(0, len(codes), _KEY_CHUNK)
        ]
        if any(row.code is None for row in rows):
            queries.append(base.where(r.code.is_(None)))
        found: dict[str, tuple[int, int | None]] = {}
        with self.engine.connect() as connection:
            for query in queries:
                for stored in connection.execute(query):
                    metrics = stored.metrics
                    if isinstance(metrics, str):
                        metrics = json.loads(metrics)
                    key = fact_key(
                        ResultRow(
                            programme,
                            stored.fiscal_year,
                            stored.quarter,
                            stored.level,
                            stored.code,
                            metrics or {},
                            stored.latitude,
                            stored.longitude,
                            stored.category,
                            stored.name,
                            is_demo=bool(stored.is_demo),
                        )
                    )
                    found.setdefault(key, (stored.batch_id, stored.source_row))
        return found

    @contextmanager
    def _batch_write(self) -> Iterator[sa.Connection]:
        """``_write`` for a new batch: ``ConcurrentWriteError`` when a unique index refuses
        it (another writer stored the same file or rows between our check and our insert)."""
        try:
            with self._write() as connection:
                yield connection
        except sa.exc.IntegrityError as error:
            raise ConcurrentWriteError(error) from error

    def _open_batch(
        self, connection: sa.Connection, meta: NewBatch, rows_stored: int, replaces: Sequence[int]
    ) -> int:
        """Start a new batch inside ``connection``'s transaction: retire ``replaces``, refuse
        a file already active (``DuplicateFileError``), insert the batch row; its id."""
        self._retire(connection, replaces, meta.created_by)
        existing = self._active_batch_for_file(
            connection, meta.kind, meta.programme, meta.file_sha256, meta.sheet
        )
        if existing is not None:
            raise DuplicateFileError(existing)
        values = asdict(meta) | {
            "rows_stored": rows_stored,
            "created_at": _now(),
            "status": "active",
        }
        result = connection.execute(
            batches_table.insert().values(**values).returning(batches_table.c.id)
        )
        return int(result.scalar_one())

    def _stored(self, batch_id: int) -> Batch:
        """The batch just written (it exists: its transaction has committed)."""
        stored = self.batch(batch_id)
        assert stored is not None
        return stored

    def _retire(self, connection: sa.Connection, batch_ids: Sequence[int], who: str | None) -> None:
        if not batch_ids:
            return
        ids = list(batch_ids)
        connection.execute(
            batches_table.update()
            .where(batches_table.c.id.in_(ids), batches_table.c.status == "active")
            .values(status="undone", undone_at=_now(), undone_by=who)
        )
        for table in (results_table, indicators_table):
            connection.execute(table.update().where(table.c.batch_id.in_(ids)).values(active=False))

    def store_results(
        self,
        meta: NewBatch,
        rows: Sequence[ResultRow],
        replaces: Sequence[int] = (),
        audit: AuditEntry | None = None,
        also: Callable[[sa.Connection, int], None] | None = None,
    ) -> Batch:
        """Store ``rows`` as one new active batch, in one transaction: all rows or none.

        ``replaces``: batches retired in the same transaction (a shipped file's new version).
        ``audit``: its record, written in the same transaction (no batch without it).
        ``also(connection, batch_id)``: more writes in the same transaction (approved
        community pins marked as stored in this batch).
        Raises ``DuplicateFileError`` if the same file is already active for the programme,
        ``DuplicateRowsError`` if a row's natural key is already active.
        """
        if not rows:
            raise EmptyBatchError()
        records = [_result_record(row) for row in rows]
        with self._batch_write() as connection:
            batch_id = self._open_batch(connection, meta, len(records), replaces)
            clashes = self._active_keys(
                connection, meta.programme, [record["natural_key"] for record in records]
            )
            if clashes:
                raise DuplicateRowsError(len(clashes))
            for record in records:
                record["batch_id"] = batch_id
            connection.execute(results_table.insert(), records)
            if audit is not None:
                write_event(connection, audit, batch_id=batch_id, row_count=len(records))
            if also is not None:
                also(connection, batch_id)
        return self._stored(batch_id)

    def store_indicators(
        self,
        meta: NewBatch,
        rows: Sequence[IndicatorRow],
        replaces: Sequence[int] = (),
        audit: AuditEntry | None = None,
    ) -> Batch:
        """Store indicator rows as one new batch (kind ``indicators``), all or none."""
        if not rows:
            raise EmptyBatchError()
        with self._batch_write() as connection:
            batch_id = self._open_batch(connection, meta, len(rows), replaces)
            records = [asdict(row) | {"batch_id": batch_id, "active": True} for row in rows]
            connection.execute(indicators_table.insert(), records)
            if audit is not None:
                write_event(connection, audit, batch_id=batch_id, row_count=len(records))
        return self._stored(batch_id)

    def undo(self, batch_id: int, who: str | None = None, audit: AuditEntry | None = None) -> Batch:
        """Retire a batch: its rows stop counting (kept, inactive, for the record). ``audit``:
        its record, written in the same transaction."""
        with self._write() as connection:
            row = connection.execute(
                sa.select(batches_table).where(batches_table.c.id == batch_id)
            ).first()
            if row is None:
                raise StoreError(f"ไม่พบชุดข้อมูล {batch_id}", f"there is no batch {batch_id}")
            if row.status != "active":
                raise StoreError(
                    f"ชุดข้อมูล {batch_id} ถูกยกเลิกไปแล้ว", f"batch {batch_id} is already undone"
                )
            self._retire(connection, [batch_id], who)
            if audit is not None:
                write_event(connection, audit, batch_id=batch_id, row_count=row.rows_stored)
        return self._stored(batch_id)

    # -- audit -----------------------------------------------------------------------

    def record(self, entry: AuditEntry) -> AuditEntry:
        """Write an audit event that belongs to no batch change (a refusal, a sign-in)."""
        with self._write() as connection:
            return write_event(connection, entry)

    def audit_events(self, limit: int | None = None) -> list[AuditEntry]:
        """The audit trail, oldest first (the newest ``limit`` events when given)."""
        return read_events(self.engine, limit=limit)

    # -- category words --------------------------------------------------------------

    def category_words(self, programme: str) -> dict[str, str]:
        """The words users mapped for ``programme``: word key (``header_key``) -> category."""
        t = category_words_table.c
        with self.engine.connect() as connection:
            found = connection.execute(
                sa.select(t.word_key, t.category).where(t.programme == programme)
            )
            return {key: category for key, category in found}

    def remember_category_word(
        self, programme: str, word: str, category: str, who: str | None = None
    ) -> None:
        """Map ``word`` to ``category`` for every later import of ``programme`` (replacing an
        earlier mapping of the word), with its audit record in the same transaction."""
        declared = get_programme(programme)
        if declared.category(category) is None:
            raise StoreError(
                f"แผนงาน {programme} ไม่มีประเภท {category!r}",
                f"programme {programme} has no category {category!r}",
            )
        key = header_key(word)
        if not key:
            raise StoreError("คำว่างเปล่า", "the word is empty")
        t = category_words_table.c
        with self._write() as connection:
            connection.execute(
                category_words_table.delete().where(t.programme == programme, t.word_key == key)
            )
            connection.execute(
                category_words_table.insert().values(
                    programme=programme,
                    word_key=key,
                    word=word,
                    category=category,
                    created_at=_now(),
                    created_by=who,
                )
            )
            write_event(
                connection,
                AuditEntry(
                    who or "", "map_value", programme=programme, detail=f"{word} = {category}"
                ),
            )

    # -- reading ---------------------------------------------------------------------

    def results(
        self,
        programme: str | None = None,
        *,
        fiscal_year: int | None = None,
        quarter: int | None = None,
        public_only: bool = False,
        include_demo: bool = False,
        include_inactive: bool = False,
        within: str | None = None,
    ) -> pd.DataFrame:
        """Stored rows, one column per metric, plus the area codes each row lies in
        (``region``, ``province_code``, ``district_code``, ``tambon_code``) for aggregation.

        ``public_only`` keeps public, non-demo rows; demo rows are left out unless asked for.
        ``within``: only rows inside a CODI region or a province / district / tambon code
        (``figures.within``'s rows, chosen by SQL: a details panel reads one area, not the
        year).
        """
        r = results_table.c
        query = sa.select(results_table, batches_table.c.file_name.label("batch_file_name")).join(
            batches_table, batches_table.c.id == r.batch_id
        )
        if programme is not None:
            query = query.where(r.programme == programme)
        if fiscal_year is not None:
            query = query.where(r.fiscal_year == fiscal_year)
        if quarter is not None:
            query = query.where(r.quarter == quarter)
        if not include_inactive:
            query = query.where(r.active)
        if public_only:
            query = query.where(r.visibility == "public", sa.not_(r.is_demo))
        elif not include_demo:
            query = query.where(sa.not_(r.is_demo))
        if within:
            query = query.where(area_condition(within, fiscal_year))
        query = query.order_by(r.id)
        with self.engine.connect() as connection:
            rows = connection.execute(query).mappings().all()
        return _results_frame(rows, programme)

    def data_version(self) -> str:
        """Changes whenever an import or an undo changes what is stored (batches are only
        added, and only ever go from active to undone): the newest batch id and how many are
        undone. Lets every app process (a public and an internal one on the same database)
        see new data at once instead of after its caches expire."""
        b = batches_table.c
        query = sa.select(sa.func.max(b.id), sa.func.count().filter(b.status != "active"))
        with self.engine.connect() as connection:
            newest, undone = connection.execute(query).one()
        return f"{newest or 0}:{undone}"

    def batch_places(self, batch_ids: Sequence[int] | None = None) -> pd.DataFrame:
        """Where the rows of batches lie (active or undone): ``batch_id``, ``level``,
        ``code``, ``source_row``; for the region rules of imports and undo."""
        r = results_table.c
        query = sa.select(r.batch_id, r.level, r.code, r.source_row).order_by(r.id)
        if batch_ids is not None:
            query = query.where(r.batch_id.in_(list(batch_ids)))
        with self.engine.connect() as connection:
            rows = connection.execute(query).mappings().all()
        return pd.DataFrame(
            [dict(row) for row in rows], columns=["batch_id", "level", "code", "source_row"]
        )

    def indicators(
        self, fiscal_year: int | None = None, programme: str | None = None
    ) -> pd.DataFrame:
        i = indicators_table.c
        query = sa.select(*(getattr(i, name) for name in INDICATOR_COLUMNS), i.batch_id).where(
            i.active
        )
        if fiscal_year is not None:
            query = query.where(i.fiscal_year == fiscal_year)
        if programme is not None:
            query = query.where(i.programme == programme)
        query = query.order_by(i.id)
        with self.engine.connect() as connection:
            rows = connection.execute(query).mappings().all()
        return pd.DataFrame([dict(row) for row in rows], columns=[*INDICATOR_COLUMNS, "batch_id"])

    def count_results(self, programme: str | None = None) -> int:
        query = sa.select(sa.func.count()).select_from(results_table).where(results_table.c.active)
        if programme is not None:
            query = query.where(results_table.c.programme == programme)
        with self.engine.connect() as connection:
            return int(connection.execute(query).scalar_one())
