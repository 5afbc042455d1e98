"""The results store on a real SQLite file and a real PostgreSQL server.

PostgreSQL comes from ``CODI_GEO_TEST_POSTGRES_URL`` (``eval "$(bash .ci/postgres.sh)"``
starts a throwaway one). Without it the PostgreSQL cases are skipped locally and fail on CI
(``CI=true``). Each test gets its own empty database: a new SQLite file, or a new schema on
the PostgreSQL server.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from codi_geo import settings
from codi_geo.access.public import public_rows
from codi_geo.programmes import get_programme as programme_of
from codi_geo.results.database import alembic_config, database_url
from codi_geo.results.dump import export_frame
from codi_geo.results.schema import metadata
from codi_geo.results.store import (
    INDICATORS_PROGRAMME,
    DuplicateFileError,
    DuplicateRowsError,
    IndicatorRow,
    NewBatch,
    ResultRow,
    Store,
    StoreError,
    open_store,
)
from tests.helpers import BACKENDS, empty_database, table_contents


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with empty_database(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    opened = open_store(store_url)
    yield opened
    opened.close()


def result_row(**changes: object) -> ResultRow:
    values: dict[str, object] = {
        "programme": "baan_mankong_rural",
        "fiscal_year": 2569,
        "quarter": 2,
        "level": "tambon",
        "code": "270803",
        "metrics": {"households": 120.0},
        "name": "ชุมชนบ้านหนองแวง",
        "visibility": "public",
        "source_row": 2,
    }
    values.update(changes)
    return ResultRow(**values)  # type: ignore[arg-type]


def new_batch(**changes: object) -> NewBatch:
    values: dict[str, object] = {
        "programme": "baan_mankong_rural",
        "file_name": "ผล.csv",
        "file_sha256": "a" * 64,
        "mode": "all",
        "rows_total": 1,
    }
    values.update(changes)
    return NewBatch(**values)  # type: ignore[arg-type]


# -- schema and opening ------------------------------------------------------------------


def test_open_migrates_to_head_and_matches_the_models(store: Store) -> None:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    with store.engine.connect() as connection:
        version = connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
        context = MigrationContext.configure(connection)
        differences = compare_metadata(context, metadata)
    assert version == head
    assert differences == []


def test_migrations_have_one_head_and_files_numbered_in_upgrade_order() -> None:
    scripts = ScriptDirectory.from_config(alembic_config())
    assert len(scripts.get_heads()) == 1
    chain = list(reversed(list(scripts.walk_revisions())))  # base first
    numbers = [int(Path(script.path).name.split("_")[0]) for script in chain]
    assert numbers == list(range(1, len(chain) + 1)), [Path(s.path).name for s in chain]
    assert chain[0].down_revision is None
    for before, after in itertools.pairwise(chain):
        assert after.down_revision == before.revision
    # ids stored in deployments' alembic_version tables stay what they were released as
    assert [s.revision for s in chain][:3] == ["0001", "0002_access", "0002_scale"]


def test_opening_again_keeps_data_and_is_a_no_op(store_url: str, store: Store) -> None:
    store.store_results(new_batch(), [result_row()])
    again = open_store(store_url)
    try:
        assert again.count_results() == 1
        assert [b.id for b in again.batches()] == [1]
    finally:
        again.close()


def test_database_url_defaults_and_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CODI_GEO_DATABASE_URL", raising=False)
    default = database_url()
    assert default.startswith("sqlite:///") and default.endswith("data/codi_geo.sqlite")
    assert Path(default.removeprefix("sqlite:///")).parent == settings.get_settings().data_dir
    monkeypatch.setenv("CODI_GEO_DATABASE_URL", "postgres://u:p@db.example:5432/codi")
    settings.clear()  # settings are read once; read the new environment
    assert database_url() == "postgresql+psycopg://u:p@db.example:5432/codi"
    assert database_url("sqlite:///x.sqlite") == "sqlite:///x.sqlite"


def test_open_store_honours_the_environment_variable(
    store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CODI_GEO_DATABASE_URL", store_url)
    opened = open_store()
    try:
        assert opened.engine.url.get_backend_name() == sa.make_url(store_url).get_backend_name()
        opened.store_results(new_batch(), [result_row()])
    finally:
        opened.close()
    check = open_store(store_url)
    try:
        assert check.count_results() == 1
    finally:
        check.close()


# -- writing -----------------------------------------------------------------------------


def test_rows_come_back_with_metrics_and_area_codes(store: Store) -> None:
    batch = store.store_results(
        new_batch(rows_total=3),
        [
            result_row(),
            result_row(level="region", code="north", name=None, metrics={"tambons": 51.0}),
            result_row(
                level="point",
                code="901101",
                latitude=7.01201,
                longitude=100.47372,
                name="จุดอพยพ",
                metrics={"households": 35.0, "budget_baht": 27000.0},
            ),
        ],
    )
    assert batch.rows_stored == 3 and batch.status == "active" and batch.created_at.tzinfo
    frame = store.results("baan_mankong_rural")
    assert list(frame["code"]) == ["270803", "north", "901101"]
    assert list(frame["region"]) == ["bangkok_east", "north", "south"]
    assert list(frame["province_code"].fillna("")) == ["27", "", "90"]
    assert list(frame["tambon_code"].fillna("")) == ["270803", "", "901101"]
    assert frame["households"].tolist()[0] == 120.0 and frame["budget_baht"].tolist()[2] == 27000.0
    assert frame["tambons"].tolist()[1] == 51.0
    assert frame.loc[2, "latitude"] == pytest.approx(7.01201)
    # Declared metrics are columns even when no row has them.
    assert "communities" in frame.columns


def test_the_same_file_is_refused_and_nothing_changes(store: Store) -> None:
    first = store.store_results(new_batch(), [result_row()])
    before = table_contents(store)
    with pytest.raises(DuplicateFileError) as error:
        store.store_results(new_batch(), [result_row(name="อื่น")])
    assert error.value.batch.id == first.id
    assert "ชุดที่" in str(error.value) and "already stored" in str(error.value)
    assert table_contents(store) == before


def test_a_batch_with_a_stored_fact_is_refused_whole(store: Store) -> None:
    store.store_results(new_batch(), [result_row()])
    before = table_contents(store)
    with pytest.raises(DuplicateRowsError):
        store.store_results(
            new_batch(file_sha256="b" * 64, rows_total=2),
            [result_row(code="901101"), result_row(metrics={"households": 999.0})],
        )
    assert table_contents(store) == before


def test_undo_retires_rows_keeps_them_and_frees_the_file(store: Store) -> None:
    first = store.store_results(new_batch(), [result_row()])
    undone = store.undo(first.id, who="ทดสอบ")
    assert undone.status == "undone" and undone.undone_by == "ทดสอบ" and undone.undone_at
    assert store.count_results() == 0
    assert len(store.results(include_inactive=True)) == 1  # kept, inactive
    again = store.store_results(new_batch(), [result_row()])
    assert again.id != first.id and store.count_results() == 1
    with pytest.raises(StoreError, match="already undone"):
        store.undo(first.id)
    with pytest.raises(StoreError, match="no batch 999"):
        store.undo(999)


def test_data_version_changes_with_every_import_and_undo(store: Store) -> None:
    versions = [store.data_version()]
    first = store.store_results(new_batch(), [result_row()])
    versions.append(store.data_version())
    store.undo(first.id, who="ทดสอบ")
    versions.append(store.data_version())
    store.store_results(new_batch(file_sha256="b" * 64), [result_row()])
    versions.append(store.data_version())
    assert len(set(versions)) == 4
    assert versions[0] == "0:0"


def test_batch_places_for_the_region_rules(store: Store) -> None:
    first = store.store_results(
        new_batch(rows_total=2),
        [result_row(), result_row(code="500101", source_row=3, name="อีกชุมชน")],
    )
    second = store.store_results(
        new_batch(file_sha256="b" * 64), [result_row(level="province", code="10", name="กรุงเทพ")]
    )
    store.undo(second.id)
    places = store.batch_places([first.id, second.id])
    assert places.to_dict("records") == [
        {"batch_id": first.id, "level": "tambon", "code": "270803", "source_row": 2},
        {"batch_id": first.id, "level": "tambon", "code": "500101", "source_row": 3},
        {"batch_id": second.id, "level": "province", "code": "10", "source_row": 2},
    ]
    assert store.batch_places([999]).empty


def test_a_failed_replacement_leaves_the_old_batch_active(store: Store) -> None:
    old = store.store_results(new_batch(mode="shipped"), [result_row()])
    other = store.store_results(
        new_batch(file_sha256="c" * 64), [result_row(code="901101", name="อื่น")]
    )
    before = table_contents(store)
    with pytest.raises(DuplicateRowsError):
        # The new version clashes with another batch's row: the retirement of `old` must
        # roll back with it.
        store.store_results(
            new_batch(file_sha256="d" * 64, mode="shipped"),
            [result_row(code="901101", name="อื่น")],
            replaces=[old.id],
        )
    assert table_contents(store) == before
    assert store.batch(old.id).active and store.batch(other.id).active  # type: ignore[union-attr]


def test_replacing_a_batch_is_one_step(store: Store) -> None:
    old = store.store_results(new_batch(mode="shipped"), [result_row()])
    new = store.store_results(
        new_batch(file_sha256="e" * 64, mode="shipped"),
        [result_row(metrics={"households": 130.0})],
        replaces=[old.id],
    )
    assert not store.batch(old.id).active  # type: ignore[union-attr]
    frame = store.results("baan_mankong_rural")
    assert frame["batch_id"].tolist() == [new.id] and frame["households"].tolist() == [130.0]


def test_writers_racing_on_one_file_store_it_once(store_url: str) -> None:
    stores = [open_store(store_url) for _ in range(4)]
    barrier = threading.Barrier(len(stores))
    outcomes: list[str] = []

    def write(writer: Store) -> None:
        barrier.wait()
        try:
            writer.store_results(new_batch(), [result_row()])
            outcomes.append("stored")
        except StoreError:
            outcomes.append("refused")

    threads = [threading.Thread(target=write, args=(s,)) for s in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        assert sorted(outcomes) == ["refused", "refused", "refused", "stored"]
        assert len(stores[0].batches()) == 1 and stores[0].count_results() == 1
    finally:
        for s in stores:
            s.close()


# -- reading -----------------------------------------------------------------------------


def test_public_reads_drop_internal_demo_and_private_fields(store: Store) -> None:
    store.store_results(
        new_batch(rows_total=3),
        [
            result_row(note="ผู้ติดต่อ 081-000-0000"),
            result_row(code="901101", visibility="internal"),
            result_row(code="500108", is_demo=True),
        ],
    )
    public = public_rows(
        store.results("baan_mankong_rural", public_only=True), programme_of("baan_mankong_rural")
    )
    assert public["code"].tolist() == ["270803"]
    assert "note" not in public.columns and "source_doc" not in public.columns
    assert "latitude" not in public.columns
    assert set(public.columns) >= {"fiscal_year", "quarter", "level", "households", "name"}
    # Demo rows are never shown as real unless asked for.
    assert store.results("baan_mankong_rural")["code"].tolist() == ["270803", "901101"]
    assert len(store.results("baan_mankong_rural", include_demo=True)) == 3


def test_filters_by_year_and_quarter(store: Store) -> None:
    store.store_results(
        new_batch(rows_total=3),
        [result_row(), result_row(quarter=1), result_row(fiscal_year=2568, quarter=4)],
    )
    assert len(store.results("baan_mankong_rural", fiscal_year=2569)) == 2
    assert len(store.results("baan_mankong_rural", fiscal_year=2569, quarter=1)) == 1
    assert store.results("baan_mankong_rural", fiscal_year=2567).empty


def test_export_frame_names_places_in_thai(store: Store) -> None:
    store.store_results(
        new_batch(rows_total=2),
        [result_row(), result_row(level="region", code="south", name=None)],
    )
    frame = export_frame(store.results("baan_mankong_rural"), "baan_mankong_rural")
    first = frame.iloc[0]
    assert (first["province_th"], first["district_th"], first["tambon_th"]) == (
        "สระแก้ว",
        "โคกสูง",
        "หนองแวง",
    )
    assert frame.iloc[1]["region_th"] == "ภาคใต้"
    assert frame["batch_file_name"].tolist() == ["ผล.csv", "ผล.csv"]


def test_indicators_are_stored_replaced_and_read(store: Store) -> None:
    rows = [
        IndicatorRow(
            2569,
            2,
            "1.1",
            "ตำบลต้นแบบ",
            "national",
            target=231,
            result=231,
            programme="model_tambon",
            source_doc="000.txt",
            source_line="163",
        ),
        IndicatorRow(2569, 2, "5.1", "ที่อยู่อาศัยชั่วคราว", "national", target=165, result=124),
    ]
    meta = new_batch(
        programme=INDICATORS_PROGRAMME, kind="indicators", mode="shipped", rows_total=2
    )
    first = store.store_indicators(meta, rows)
    frame = store.indicators(fiscal_year=2569)
    assert frame["indicator_id"].tolist() == ["1.1", "5.1"]
    assert frame["result"].tolist() == [231, 124]
    second = store.store_indicators(
        new_batch(
            programme=INDICATORS_PROGRAMME,
            kind="indicators",
            mode="shipped",
            rows_total=1,
            file_sha256="f" * 64,
        ),
        rows[:1],
        replaces=[first.id],
    )
    assert store.indicators()["batch_id"].tolist() == [second.id]
    assert store.indicators(programme="model_tambon")["indicator_id"].tolist() == ["1.1"]
    assert store.indicators(fiscal_year=2568).empty
