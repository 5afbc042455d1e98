"""The store at scale and when things go wrong: a CSV streamed into one batch in chunks (the
same rows and report as the whole-file import, bounded memory and report, all or nothing),
and outages: a stopped PostgreSQL server (a clear message, recovery on the next read,
nothing stored from an import it interrupted), a full disk, a SQLite URL whose folder does
not exist, a bad URL on the command line.
"""

from __future__ import annotations

import contextlib
import csv
import os
import re
import shlex
import socket
import subprocess
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from codi_geo.results.database import DatabaseError, create_engine
from codi_geo.results.imports import ImportOptions, import_file
from codi_geo.results.imports.stream import import_csv_file
from codi_geo.results.records import NewBatch, ResultRow, natural_key
from codi_geo.results.store import Store, open_store
from codi_geo.results.writer import open_batch_writer
from synthetic import scale
from tests.helpers import (
    BACKENDS,
    POSTGRES_URL_ENV,
    PROJECT_DIR,
    empty_store,
    postgres_url_or_skip,
    table_contents,
)

BAD_ROWS = {  # row number in the file -> what is wrong with it
    5: ("2026-01-13", "", "100.5", "flood"),  # no latitude
    90: ("2026-01-13", "13.7", "100.5", "tsunami"),  # an undeclared kind
    700: ("not a date", "13.7", "100.5", "fire"),
}


def _pins_csv(folder: Path, count: int, bad: bool = True, seed: int = 3) -> Path:
    """A COPIN-like CSV of ``count`` generated pins; with ``bad``, three broken rows and
    one row repeated."""
    path = scale.write_pins_csv(folder / f"pins_{count}_{seed}.csv", count, [2569], seed)
    if not bad:
        return path
    with path.open(encoding="utf-8", newline="") as f:
        records = list(csv.reader(f))
    for number, cells in BAD_ROWS.items():
        records[number - 1][:4] = cells
    records.append(records[10])  # the same pin twice
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(records)
    return path


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    with empty_store(request.param, tmp_path) as opened:
        yield opened


def _stored(store: Store) -> list[tuple]:
    rows = store.results("disaster")
    columns = [
        "fiscal_year",
        "quarter",
        "code",
        "latitude",
        "longitude",
        "category",
        "name",
        "households",
        "people",
        "source_row",
    ]
    return sorted(tuple(r) for r in rows[columns].astype(object).itertuples(index=False))


def _issues(report) -> list[tuple]:
    return [(i.row, i.kind, i.severity) for i in report.issues]


def test_a_streamed_import_stores_what_the_whole_file_import_stores(
    store: Store, boundary_cache: Path, tmp_path: Path
) -> None:
    path = _pins_csv(tmp_path, 3_000)
    options = ImportOptions(valid_only=True, boundary_dir=boundary_cache)
    streamed = import_csv_file(store, path, "disaster", options, chunk_rows=400)
    assert streamed.status == "stored", streamed.text()
    (tmp_path / "whole").mkdir()
    with empty_store("sqlite", tmp_path / "whole") as whole_store:
        whole = import_file(whole_store, path.read_bytes(), path.name, "disaster", options)
        assert whole.status == "stored"
        assert _stored(store) == _stored(whole_store)
    assert (
        streamed.rows_total,
        streamed.rows_accepted,
        streamed.rows_rejected,
        streamed.rows_skipped,
    ) == (whole.rows_total, whole.rows_accepted, whole.rows_rejected, whole.rows_skipped)
    assert _issues(streamed) == _issues(whole)
    assert streamed.rejects_csv_bytes() == whole.rejects_csv_bytes()
    # The repeated row is caught across chunks (its first copy is in the first chunk).
    assert "duplicate_in_file" in {i.kind for i in streamed.errors}
    batch = store.batch(streamed.batch_id)
    assert (
        batch is not None and batch.rows_stored == store.count_results() == streamed.rows_accepted
    )
    assert (batch.rows_total, batch.rows_rejected) == (3_001, streamed.rows_rejected)
    # The same file again is not stored twice.
    again = import_csv_file(store, path, "disaster", options, chunk_rows=400)
    assert again.status == "already_stored" and store.count_results() == batch.rows_stored


def test_a_refused_streamed_import_stores_nothing(
    store: Store, boundary_cache: Path, tmp_path: Path
) -> None:
    path = _pins_csv(tmp_path, 2_500)
    before = table_contents(store)
    report = import_csv_file(
        store, path, "disaster", ImportOptions(boundary_dir=boundary_cache), chunk_rows=300
    )
    assert report.status == "failed" and report.rows_rejected >= len(BAD_ROWS)
    assert "ไม่บันทึกทั้งไฟล์" in report.message_th
    assert table_contents(store) == before


def test_the_streamed_report_is_bounded_but_counts_everything(
    boundary_cache: Path, tmp_path: Path
) -> None:
    path = _pins_csv(tmp_path, 600, bad=False)
    with path.open(encoding="utf-8", newline="") as f:
        records = list(csv.reader(f))
    for record in records[1:41]:
        record[1] = ""  # 40 rows without a latitude
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(records)
    with empty_store("sqlite", tmp_path) as store:
        report = import_csv_file(
            store,
            path,
            "disaster",
            ImportOptions(valid_only=True, boundary_dir=boundary_cache),
            chunk_rows=100,
            max_issues=5,
        )
    assert report.status == "stored" and report.rows_rejected >= 40
    assert len(report.errors) == 5 and len(report.rejected_rows) == 5
    assert report.issues_not_listed >= 35
    assert f"{report.issues_not_listed + len(report.issues) - 5}" in report.text(limit=5)


def test_streaming_memory_does_not_grow_with_the_file(boundary_cache: Path, tmp_path: Path) -> None:
    """Peak Python memory while importing 4× the rows grows by far less than 4× (one chunk
    at a time; only a 64-bit fingerprint per row is kept)."""
    small, large = (
        _pins_csv(tmp_path, 4_000, bad=False),
        _pins_csv(tmp_path, 16_000, bad=False, seed=4),
    )
    peaks = []
    for path in (_pins_csv(tmp_path, 500, bad=False, seed=5), small, large):  # 1st: warm-up
        (tmp_path / path.stem).mkdir()
        with empty_store("sqlite", tmp_path / path.stem) as store:
            tracemalloc.start()
            report = import_csv_file(
                store,
                path,
                "disaster",
                ImportOptions(boundary_dir=boundary_cache, valid_only=True),
                chunk_rows=1_000,
            )
            peaks.append(tracemalloc.get_traced_memory()[1])
            tracemalloc.stop()
            assert report.status == "stored"
    growth = peaks[2] / peaks[1]
    print(
        f"peak memory: 4,000 rows {peaks[1] / 2**20:.1f} MB, 16,000 rows "
        f"{peaks[2] / 2**20:.1f} MB (×{growth:.2f})"
    )
    assert growth < 2.0


def _pin_rows(count: int) -> list[ResultRow]:
    return [
        ResultRow(
            "disaster",
            2569,
            1,
            "point",
            "100101",
            {"households": 1.0},
            13.7 + i / 1e5,
            100.5,
            "flood",
            f"ชุมชน {i}",
            source_row=i + 2,
        )
        for i in range(count)
    ]


def test_key_lookups_go_through_the_unique_index_while_an_import_grows(store: Store) -> None:
    """The rows a batch has written so far are not yet analysed; a lookup of natural keys
    must still be one index probe per key, not a scan of every row of the programme (the
    import's checks would grow with its rows: hours for a million)."""
    rows = _pin_rows(4_000)
    meta = NewBatch(
        programme="disaster",
        file_name="pins.csv",
        file_sha256="1" * 64,
        mode="all",
        rows_total=len(rows),
    )
    lookups: list[tuple[sa.Connection, str, object]] = []

    def remember(conn, _cursor, statement, parameters, _context, _many) -> None:
        if "natural_key" in statement and statement.lstrip().upper().startswith("SELECT"):
            lookups.append((conn, statement, parameters))

    with open_batch_writer(store, meta) as writer:
        writer.add(rows[:3_000])
        sa.event.listen(store.engine, "before_cursor_execute", remember)
        try:
            writer.stored_keys([natural_key(row) for row in rows[3_000:]])
        finally:
            sa.event.remove(store.engine, "before_cursor_execute", remember)
        assert lookups
        for connection, statement, parameters in lookups:  # in the batch's transaction
            if store.engine.dialect.name == "sqlite":
                plan = [
                    r[-1]
                    for r in connection.exec_driver_sql(
                        f"EXPLAIN QUERY PLAN {statement}", parameters
                    )
                ]
                assert any(
                    "uq_results_active_key (programme=? AND natural_key=?)" in step for step in plan
                ), plan
            else:
                plan = [
                    r[0] for r in connection.exec_driver_sql(f"EXPLAIN {statement}", parameters)
                ]
                assert any("Index Cond" in step and "natural_key" in step for step in plan), plan
        writer.finish(rows_total=len(rows), rows_rejected=0, rows_skipped=0)


def test_a_sqlite_batch_borrows_a_larger_page_cache_and_gives_it_back(tmp_path: Path) -> None:
    """A large import's indexes outgrow SQLite's default page cache (pages written out and
    read back); the batch's connection gets a larger one, and returns to the pool with the
    default, so the app's pooled connections do not each keep a large cache."""
    while_writing: list[int] = []
    given_back: list[int] = []

    def on_insert(_conn, cursor, statement, *_args) -> None:
        if statement.startswith("INSERT INTO results"):
            while_writing.append(cursor.connection.execute("PRAGMA cache_size").fetchone()[0])

    def on_checkin(dbapi_connection, _record) -> None:
        given_back.append(dbapi_connection.execute("PRAGMA cache_size").fetchone()[0])

    with empty_store("sqlite", tmp_path) as store:
        with store.engine.connect() as connection:
            default = connection.exec_driver_sql("PRAGMA cache_size").scalar()
        sa.event.listen(store.engine, "before_cursor_execute", on_insert)
        sa.event.listen(store.engine, "checkin", on_checkin)
        meta = NewBatch(
            programme="disaster",
            file_name="pins.csv",
            file_sha256="2" * 64,
            mode="all",
            rows_total=10,
        )
        with open_batch_writer(store, meta) as writer:
            writer.add(_pin_rows(10))
            writer.finish(rows_total=10, rows_rejected=0, rows_skipped=0)
    assert while_writing and all(size < default for size in while_writing)  # negative: KiB
    assert given_back and set(given_back) == {default}


# -- outages -------------------------------------------------------------------------------


def test_a_full_disk_is_a_message_and_nothing_is_half_written(
    boundary_cache: Path, tmp_path: Path
) -> None:
    """SQLite's own size limit gives the same SQLITE_FULL error a full disk gives."""
    url = f"sqlite:///{tmp_path / 'full.sqlite'}"
    store = open_store(url)
    with store.engine.connect() as connection:
        pages = connection.exec_driver_sql("PRAGMA page_count").scalar()
    before = table_contents(store)
    store.close()
    engine = create_engine(url)
    limit = f"PRAGMA max_page_count = {pages + 20}"
    sa.event.listen(engine, "connect", lambda c, _r: c.execute(limit))
    full = Store(engine)
    path = _pins_csv(tmp_path, 3_000, bad=False)
    report = import_csv_file(
        full,
        path,
        "disaster",
        ImportOptions(boundary_dir=boundary_cache, valid_only=True),
        chunk_rows=500,
    )
    assert report.status == "failed"
    assert "เต็ม" in report.message_th and "full" in report.message_en
    whole = import_file(
        full,
        path.read_bytes(),
        path.name,
        "disaster",
        ImportOptions(boundary_dir=boundary_cache, valid_only=True),
    )
    assert whole.status == "failed" and "full" in whole.message_en
    assert table_contents(full) == before
    full.close()


def test_a_sqlite_url_whose_folder_is_missing_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = tmp_path / "no" / "such" / "folder"
    with pytest.raises(DatabaseError) as error:
        open_store(f"sqlite:///{missing / 'codi_geo.sqlite'}")
    assert str(missing) in error.value.th and "does not exist" in error.value.en
    assert not missing.parent.exists()
    # The default store's folder (the data folder) is the app's own: it is created.
    monkeypatch.setenv("CODI_GEO_DATA_DIR", str(tmp_path / "data"))
    from codi_geo import settings

    settings.clear()
    open_store().close()
    assert (tmp_path / "data" / "codi_geo.sqlite").exists()


@pytest.mark.parametrize(
    "url",
    [
        "postgresql+psycopg://codi:secret@127.0.0.1:1/codi_geo",  # nothing listens there
        "postgresql+psycopg://codi:secret@no-such-host.invalid/codi_geo",
        "postgres://codi:secret@",
        "mysql://codi:secret@db/codi_geo",
        "not a url",
    ],
)
def test_a_bad_database_url_on_the_command_line_is_a_message(
    url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from codi_geo.__main__ import main

    monkeypatch.setenv("CODI_GEO_DATABASE_URL", url)
    assert main(["batches"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and "secret" not in err
    assert "ฐานข้อมูล" in err or "CODI_GEO_DATABASE_URL" in err
    assert re.search(r"database|CODI_GEO_DATABASE_URL", err)


class _Server:
    """A PostgreSQL server of these tests' own (``.ci/postgres.sh``), stopped and started
    again. Not the shared test server: other tests use that one meanwhile (in the other
    pytest-xdist worker)."""

    def __init__(self, folder: Path) -> None:
        postgres_url_or_skip()  # skipped, or failed on CI, as every PostgreSQL test
        with socket.socket() as probe:  # a port no other worker's server is starting on
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        started = subprocess.run(
            ["bash", str(PROJECT_DIR / ".ci" / "postgres.sh")],
            check=True,
            timeout=180,
            capture_output=True,
            text=True,
            cwd=folder,
            env={**os.environ, "CODI_GEO_TEST_POSTGRES_PORT": str(port)},
        )
        exports = dict(re.findall(r"^export (\w+)='(.*)'$", started.stdout, re.MULTILINE))
        self.url = exports["CODI_GEO_TEST_POSTGRES_URL"]
        self.stop_command = exports["CODI_GEO_TEST_POSTGRES_STOP"]
        found = re.search(r"(\S*pg_ctl) -D (\S+)", self.stop_command)
        assert found, self.stop_command
        self.pg_ctl, self.data = found.group(1), found.group(2)
        self.prefix = shlex.split(self.stop_command.split(self.pg_ctl)[0])
        self.port = sa.engine.make_url(self.url).port

    def _run(self, *args: str) -> None:
        subprocess.run(
            [*self.prefix, self.pg_ctl, "-D", self.data, *args],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=120,
        )

    def stop(self) -> None:
        self._run("-m", "fast", "-w", "stop")

    def start(self) -> None:
        cluster = str(Path(self.data).parent)
        self._run(
            "-l",
            f"{cluster}/server.log",
            "-w",
            "-t",
            "60",
            "-o",
            f"-p {self.port} -k {cluster} -c listen_addresses=127.0.0.1 -c fsync=off "
            f"-c synchronous_commit=off -c full_page_writes=off",
            "start",
        )

    def remove(self) -> None:
        subprocess.run(["bash", "-c", self.stop_command], check=False, timeout=120)


@pytest.fixture(scope="module")
def own_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[_Server]:
    found = _Server(tmp_path_factory.mktemp("own_postgres"))
    yield found
    found.remove()


@pytest.fixture
def server(own_server: _Server, monkeypatch: pytest.MonkeyPatch) -> Iterator[_Server]:
    """The own server, as the PostgreSQL server of ``empty_store`` in this test."""
    monkeypatch.setenv(POSTGRES_URL_ENV, own_server.url)
    yield own_server
    # Whatever the test did, leave the server running for the next test.
    with contextlib.suppress(subprocess.CalledProcessError):  # already running
        own_server.start()


@pytest.mark.postgres
def test_a_stopped_server_gives_a_message_and_the_store_recovers(
    server: _Server, tmp_path: Path
) -> None:
    with empty_store("postgresql", tmp_path) as store:
        assert store.count_results() == 0
        server.stop()
        with pytest.raises(DatabaseError) as error:
            store.count_results()
        assert "เชื่อมต่อฐานข้อมูลไม่ได้" in error.value.th
        assert f"127.0.0.1:{server.port}" in error.value.en
        server.start()
        # The same store (its pool held connections to the old server): pre-ping replaces
        # them, so the next read works without restarting anything.
        assert store.count_results() == 0
        assert store.data_version() == "0:0"


@pytest.mark.postgres
def test_a_server_stopped_mid_import_stores_nothing(
    server: _Server, boundary_cache: Path, tmp_path: Path
) -> None:
    path = _pins_csv(tmp_path, 3_000, bad=False)
    with empty_store("postgresql", tmp_path) as store:
        before = table_contents(store)
        chunks = []

        def stop_after_first_chunk(rows) -> None:
            chunks.append(len(rows))
            if len(chunks) == 2:  # the first chunk is already inserted
                server.stop()

        report = import_csv_file(
            store,
            path,
            "disaster",
            ImportOptions(boundary_dir=boundary_cache, valid_only=True),
            chunk_rows=500,
            check_rows=stop_after_first_chunk,
        )
        assert report.status == "failed" and report.batch_id is None
        assert "เชื่อมต่อฐานข้อมูลไม่ได้" in report.message_th
        server.start()
        assert table_contents(store) == before
        assert store.batches() == []


def test_a_streamed_import_flags_the_same_fact_from_another_source_line(
    store: Store, tmp_path: Path
) -> None:
    """The duplicate-fact rule holds for large files too: the same programme, period, place,
    category and figures cited from another line is a duplicate fact, in the file (across
    chunks) and against the store, as in the whole-file import."""
    header = "รหัส,ปีงบประมาณ,ไตรมาส,สาเหตุ,ครัวเรือน,แหล่งที่มา,บรรทัด\n"
    first = tmp_path / "a.csv"
    first.write_text(
        header + "92,2569,1,ไฟไหม้,12,รายงาน,L10\n92,2569,1,ไฟไหม้,5,รายงาน,L11\n", encoding="utf-8"
    )
    stored = import_csv_file(store, first, "temporary_housing", chunk_rows=1)
    assert stored.status == "stored", stored.text()
    again = tmp_path / "b.csv"
    again.write_text(
        header + "92,2569,2,ไฟไหม้,7,ก,L1\n92,2569,1,ไฟไหม้,12,รายงาน,L99\n"
        "92,2569,2,ไฟไหม้,7,ข,L2\n92,2569,2,ไฟไหม้,8,ค,L3\n",
        encoding="utf-8",
    )
    report = import_csv_file(
        store, again, "temporary_housing", ImportOptions(valid_only=True), chunk_rows=1
    )
    assert [(i.row, i.kind) for i in report.errors] == [
        (3, "duplicate_fact"),
        (4, "duplicate_fact"),
    ]
    assert "counted twice" in report.errors[0].message_en
    assert report.status == "stored" and store.count_results() == 4
