"""Import and undo for the Data page and the command line alike: the rules of
``codi_geo.access.rules`` applied, the import or undo done, the audit record written.

Pages and commands only ask and render; who may import or undo what is decided here and
nowhere else. The command line runs as an admin (someone with the server's shell can do
everything anyway), so its imports and undos follow the same path without refusals.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from codi_geo.access import audit, rules
from codi_geo.access.rules import OffendingRow, PermissionDeniedError, User
from codi_geo.places import gazetteer
from codi_geo.results import imports
from codi_geo.results.imports import ImportOptions, ImportReport
from codi_geo.results.imports.stream import import_csv_file
from codi_geo.results.store import Batch, Store


@dataclass(frozen=True)
class ImportOutcome:
    """What an import came to. ``report`` is None when the region rule refused the file
    (nothing was stored); ``offending`` then lists the rows outside the importer's region."""

    report: ImportReport | None
    rows_read: int
    offending: list[OffendingRow] = field(default_factory=list)

    @property
    def refused(self) -> bool:
        return bool(self.offending)

    @property
    def stored(self) -> bool:
        return self.report is not None and self.report.status == "stored"


def _detail(filename: str, note: str) -> str:
    return f"file {filename}" + (f" ({note})" if note else "")


def import_batch(
    user: User,
    data: bytes,
    filename: str,
    programme: str,
    options: ImportOptions,
    store: Store,
    *,
    note: str = "",
) -> ImportOutcome:
    """Read and check ``data`` for ``programme``; store it as one batch unless
    ``options.dry_run`` or the rules refuse it (the batch records ``user`` as who imported).
    A stored import is recorded in the audit trail in the same transaction as its batch; a
    refused one that was meant to be stored is recorded too (``note``: where it came from,
    e.g. ``command line``).

    A viewer gets ``PermissionDeniedError``; a file that cannot be read, the importer's
    errors (``ValueError``)."""
    options = replace(options, who=user.username)
    prepared = imports.prepare_import(data, filename, programme, options, store=store)
    offending = rules.check_import_allowed(user, prepared.rows)
    if offending:
        if not options.dry_run:
            audit.record(
                store,
                audit.entry_for(
                    user,
                    "import",
                    programme=programme,
                    row_count=len(prepared.rows),
                    detail=f"refused: {len(offending)} row(s) outside the region; file {filename}",
                ),
            )
        return ImportOutcome(None, len(prepared.rows), offending)
    entry = audit.entry_for(user, "import", programme=programme, detail=_detail(filename, note))
    report = imports.store_import(store, prepared, audit=entry)
    return ImportOutcome(report, len(prepared.rows))


class _OutsideRegionError(Exception):
    def __init__(self, offending: list[OffendingRow]) -> None:
        self.offending = offending


def import_csv_stream(
    user: User,
    path: Path,
    programme: str,
    options: ImportOptions,
    store: Store,
    *,
    note: str = "",
) -> ImportOutcome:
    """``import_batch`` for a CSV file too big to hold in memory: read from disk in chunks
    into one batch (``imports.stream``); the region rule is checked on every chunk and a
    refusal rolls the whole batch back."""
    options = replace(options, who=user.username)

    def check(rows) -> None:
        offending = rules.check_import_allowed(user, rows)
        if offending:
            raise _OutsideRegionError(offending)

    entry = audit.entry_for(user, "import", programme=programme, detail=_detail(path.name, note))
    try:
        report = import_csv_file(store, path, programme, options, check_rows=check, audit=entry)
    except _OutsideRegionError as refusal:
        if not options.dry_run:
            audit.record(
                store,
                audit.entry_for(
                    user,
                    "import",
                    programme=programme,
                    detail=f"refused: {len(refusal.offending)} row(s) outside the region; "
                    f"file {path.name}",
                ),
            )
        return ImportOutcome(None, 0, refusal.offending)
    return ImportOutcome(report, report.rows_accepted)


def undoable(user: User, batches: Sequence[Batch], store: Store) -> set[int]:
    """The ids of the active ``batches`` that ``user`` may undo (see ``rules``): none for a
    viewer; for an editor, results batches whose rows all lie in its region."""
    if not user.can("undo"):
        return set()
    active = [b for b in batches if b.active]
    places = (
        store.batch_places([b.id for b in active]) if active and rules.region_bound(user) else None
    )
    allowed = set()
    for batch in active:
        rows = [] if places is None else places[places["batch_id"] == batch.id]
        try:
            if not rules.check_undo_allowed(user, rows, batch.kind):
                allowed.add(batch.id)
        except PermissionDeniedError:  # an indicator batch, for anyone but an admin
            continue
    return allowed


def undo_batch(user: User, batch_id: int, store: Store, *, note: str = "") -> Batch:
    """Undo batch ``batch_id`` if the rules let ``user``, recorded in the audit trail in the
    same transaction.
    ``PermissionDeniedError`` when they do not; ``StoreError`` for a batch that does not
    exist or is already undone."""
    batch = store.batch(batch_id)
    kind = batch.kind if batch is not None else rules.RESULTS_KIND
    rows = store.batch_places([batch_id]) if rules.region_bound(user) else []
    offending = rules.check_undo_allowed(user, rows, kind)
    if offending:
        region = gazetteer.REGION_BY_ID.get(user.region or "")
        raise PermissionDeniedError(
            f"ยกเลิกชุดที่ {batch_id} ไม่ได้: {len(offending)} แถวอยู่นอก"
            f"{region.name.th if region else 'ภาคของผู้ใช้'}",
            f"cannot undo batch {batch_id}: {len(offending)} row(s) outside "
            f"{region.name.en if region else 'the user region'}",
        )
    entry = audit.entry_for(
        user,
        "undo",
        programme=batch.programme if batch is not None else "",
        detail=_detail(batch.file_name, note) if batch is not None else note,
    )
    return store.undo(batch_id, who=user.username, audit=entry)
