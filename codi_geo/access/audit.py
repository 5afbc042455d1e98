"""The audit trail: who imported, was refused an import, undid, signed in or out, and when.

Kept in the store's ``audit_events`` table (``codi_geo.results.audit_events``): an import's and
an undo's record are written in the same transaction as the batch, so a batch without its
record cannot exist. ``python -m codi_geo audit`` prints the trail as JSON Lines.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from codi_geo.access.rules import User
from codi_geo.results.audit_events import ACTIONS, AuditEntry

if TYPE_CHECKING:
    from codi_geo.results.store import Store

__all__ = ["ACTIONS", "AuditEntry", "entry_for", "read_audit", "record"]


def entry_for(
    user: User | None,
    action: str,
    *,
    who: str | None = None,
    programme: str = "",
    row_count: int = 0,
    detail: str = "",
    client: str | None = None,
) -> AuditEntry:
    """An audit entry for ``user`` (or, for a sign-in attempt by nobody known, ``who``)."""
    return AuditEntry(
        who=user.username if user is not None else (who or ""),
        action=action,
        programme=programme,
        row_count=int(row_count),
        role=user.role if user is not None else "",
        region=user.region if user is not None else None,
        detail=detail,
        client=client,
    )


def record(store: Store, entry: AuditEntry) -> AuditEntry:
    """Write an event that changes no batch (a refused import, a sign-in, a sign-out)."""
    return store.record(entry)


def read_audit(store: Store, limit: int | None = None) -> list[AuditEntry]:
    """The trail, oldest first."""
    return store.audit_events(limit)
