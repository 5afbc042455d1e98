"""The import and undo service the Data page and the command line share: the region rule,
who may undo what, and the audit record."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from codi_geo.access import service
from codi_geo.access.audit import read_audit
from codi_geo.access.auth import User
from codi_geo.access.rules import PermissionDeniedError
from codi_geo.results.imports import ImportOptions
from codi_geo.results.store import (
    INDICATORS_PROGRAMME,
    Batch,
    IndicatorRow,
    NewBatch,
    ResultRow,
    Store,
    open_store,
)

EDITOR_NE = User("somchai", "regional_editor", "สมชาย ใจดี", None, "northeast")
EDITOR_NORTH = User("kanya", "regional_editor", "กัญญา", None, "north")
VIEWER = User("malee", "viewer", "มาลี")
ADMIN = User("admin", "admin", "ผู้ดูแล")
# One row in Khon Kaen (northeast) and one in Chiang Mai (north).
MIXED_CSV = (
    "ปีงบประมาณ,ไตรมาส,จังหวัด,อำเภอ,ชื่อชุมชน,ครัวเรือน\n"
    "2569,2,ขอนแก่น,เมืองขอนแก่น,ชุมชนหนองคู,35\n"
    "2569,2,เชียงใหม่,เมืองเชียงใหม่,ชุมชนป่าพร้าว,20\n"
).encode()


@pytest.fixture()
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(f"sqlite:///{tmp_path / 'store.sqlite'}")
    yield opened
    opened.close()


def _results_batch(store: Store, code: str, sha: str) -> Batch:
    row = ResultRow(
        "baan_mankong_rural", 2569, 2, "tambon", code, metrics={"households": 5.0}, source_row=2
    )
    return store.store_results(
        NewBatch("baan_mankong_rural", f"{code}.csv", sha * 64, "all", 1), [row]
    )


def _indicators_batch(store: Store) -> Batch:
    row = IndicatorRow(2569, 2, "1.1", "ตำบลต้นแบบ", "national", target=231, result=231)
    return store.store_indicators(
        NewBatch(INDICATORS_PROGRAMME, "indicators.csv", "f" * 64, "shipped", 1, kind="indicators"),
        [row],
    )


def test_an_editor_undoes_only_batches_of_its_region(store: Store, tmp_path: Path) -> None:
    chiang_mai = _results_batch(store, "500101", "a")  # north
    khon_kaen = _results_batch(store, "400101", "b")  # northeast
    batches = store.batches()
    assert service.undoable(EDITOR_NE, batches, store) == {khon_kaen.id}
    assert service.undoable(VIEWER, batches, store) == set()
    with pytest.raises(PermissionDeniedError, match="outside"):
        service.undo_batch(EDITOR_NE, chiang_mai.id, store)
    assert store.batch(chiang_mai.id).active and read_audit(store) == []
    with pytest.raises(PermissionDeniedError):
        service.undo_batch(VIEWER, khon_kaen.id, store)
    undone = service.undo_batch(EDITOR_NE, khon_kaen.id, store)
    assert not undone.active and undone.undone_by == "somchai"
    (record,) = read_audit(store)
    assert (record.who, record.action, record.batch_id) == ("somchai", "undo", khon_kaen.id)
    assert record.region == "northeast" and record.detail == "file 400101.csv"


def test_only_an_admin_undoes_an_indicator_batch(store: Store, tmp_path: Path) -> None:
    indicators = _indicators_batch(store)
    for editor in (EDITOR_NE, EDITOR_NORTH):
        assert service.undoable(editor, store.batches(), store) == set()
        with pytest.raises(PermissionDeniedError, match="admin"):
            service.undo_batch(editor, indicators.id, store)
    assert store.batch(indicators.id).active
    assert service.undoable(ADMIN, store.batches(), store) == {indicators.id}
    undone = service.undo_batch(ADMIN, indicators.id, store, note="command line")
    assert not undone.active
    (record,) = read_audit(store)
    assert (record.who, record.role, record.detail) == (
        "admin",
        "admin",
        "file indicators.csv (command line)",
    )


def test_an_editor_imports_only_rows_of_its_region(store: Store, tmp_path: Path) -> None:
    args = (MIXED_CSV, "mixed.csv", "baan_mankong_urban")
    checked = service.import_batch(EDITOR_NE, *args, ImportOptions(dry_run=True), store)
    assert checked.refused and read_audit(store) == []  # a check alone is not recorded
    outcome = service.import_batch(EDITOR_NE, *args, ImportOptions(), store)
    assert outcome.refused and outcome.report is None and outcome.rows_read == 2
    (chiang_mai,) = outcome.offending
    assert chiang_mai.province_th == "เชียงใหม่" and chiang_mai.region == "north"
    assert store.batches() == []
    with pytest.raises(PermissionDeniedError):
        service.import_batch(VIEWER, *args, ImportOptions(), store)
    stored = service.import_batch(
        ADMIN, *args, ImportOptions(visibility="public"), store, note="public"
    )
    assert stored.stored and not stored.refused
    (batch,) = store.batches()
    assert batch.id == stored.report.batch_id and batch.created_by == "admin"
    refused, imported = read_audit(store)
    assert (refused.who, refused.batch_id, refused.row_count) == ("somchai", None, 2)
    assert refused.detail.startswith("refused: 1 row(s) outside the region")
    assert (imported.who, imported.batch_id) == ("admin", batch.id)
    assert imported.detail == "file mixed.csv (public)"


def test_a_batch_cannot_be_stored_without_its_audit_record(store: Store) -> None:
    """The audit record is written in the batch's own transaction: when it cannot be written
    (here the audit table is gone), the batch is not stored either, and an undo is not done."""
    import sqlalchemy as sa

    from codi_geo.results.database import DatabaseError

    kept = _results_batch(store, "400101", "k")
    with store.engine.begin() as connection:
        connection.execute(sa.text("ALTER TABLE audit_events RENAME TO audit_events_away"))
    try:
        # The importer reports a store failure as a failed import (nothing stored).
        outcome = service.import_batch(
            ADMIN, MIXED_CSV, "mixed.csv", "baan_mankong_urban", ImportOptions(), store
        )
        assert not outcome.stored and outcome.report is not None
        assert outcome.report.status != "stored"
        with pytest.raises((sa.exc.OperationalError, DatabaseError)):
            service.undo_batch(ADMIN, kept.id, store)
    finally:
        with store.engine.begin() as connection:
            connection.execute(sa.text("ALTER TABLE audit_events_away RENAME TO audit_events"))
    assert [b.id for b in store.batches()] == [kept.id] and store.batch(kept.id).active
    assert store.count_results() == 1 and read_audit(store) == []
    stored = service.import_batch(
        ADMIN, MIXED_CSV, "mixed.csv", "baan_mankong_urban", ImportOptions(), store
    )
    (record,) = read_audit(store)
    assert (record.action, record.batch_id, record.row_count) == (
        "import",
        stored.report.batch_id,
        2,
    )
    assert record.at is not None and record.at.tzinfo is not None
