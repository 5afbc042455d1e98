"""The audit trail in the database: who imported, was refused, undid, signed in, and when.

The truth is the ``audit_events`` table. ``Store`` writes an import's or an undo's record in
the same transaction as the batch change (``write_event`` on its connection), so a batch
without its record cannot exist: if the record cannot be written, the batch is not stored
either. Events without a batch (a refused import, a sign-in) are written on their own.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from codi_geo.results.schema import audit_events_table

# What an event may record. ``import`` with no batch is a refused import.
ACTIONS: tuple[str, ...] = (
    "import",
    "undo",
    "sign_in",
    "sign_in_failed",
    "sign_in_blocked",
    "sign_out",
    "map_value",  # a category word mapped for a programme (``Store.remember_category_word``)
    # Community pins: a moderator's decision (with what it changed), a reporter's answer, a
    # campaign link made, closed campaigns' pins anonymised.
    "pin_decision",
    "pin_answer",  # a reporter's answer to "needs information"
    "campaign_add",
    "pins_anonymise",
)


@dataclass(frozen=True)
class AuditEntry:
    who: str
    action: str
    programme: str = ""
    row_count: int = 0
    role: str = ""
    region: str | None = None
    detail: str = ""
    client: str | None = None
    batch_id: int | None = None
    at: datetime | None = None  # UTC; set when written

    def __post_init__(self) -> None:
        if self.action not in ACTIONS:
            raise ValueError(f"unknown audit action {self.action!r}")

    def to_json(self) -> str:
        data = asdict(self)
        data["at"] = self.at.astimezone(UTC).isoformat() if self.at else None
        return json.dumps(data, ensure_ascii=False, sort_keys=True)


def write_event(
    connection: sa.Connection,
    entry: AuditEntry,
    *,
    batch_id: int | None = None,
    row_count: int | None = None,
) -> AuditEntry:
    """Insert ``entry`` on ``connection`` (inside the caller's transaction); ``batch_id`` and
    ``row_count`` fill in what only the store knows."""
    written = replace(
        entry,
        batch_id=entry.batch_id if batch_id is None else batch_id,
        row_count=entry.row_count if row_count is None else int(row_count),
        at=(entry.at or datetime.now(UTC)).astimezone(UTC),
    )
    values: dict[str, Any] = asdict(written)
    connection.execute(audit_events_table.insert().values(**values))
    return written


def read_events(
    engine: sa.Engine, *, limit: int | None = None, actions: tuple[str, ...] | None = None
) -> list[AuditEntry]:
    """Events, oldest first (the newest ``limit`` when given)."""
    a = audit_events_table.c
    query = sa.select(audit_events_table).order_by(a.id.desc())
    if actions:
        query = query.where(a.action.in_(actions))
    if limit is not None:
        query = query.limit(limit)
    with engine.connect() as connection:
        rows = connection.execute(query).mappings().all()
    found = []
    for row in reversed(rows):
        values = {k: row[k] for k in AuditEntry.__dataclass_fields__}
        at = values["at"]
        values["at"] = at.replace(tzinfo=UTC) if at is not None and at.tzinfo is None else at
        found.append(AuditEntry(**values))
    return found
