"""The audit log: who imported, was refused an import, or undid what, and when.

One JSON object per line (``CODI_GEO_AUDIT_LOG``, default ``audit.jsonl`` in the data
folder), appended with one write so concurrent app processes do not interleave records.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from codi_geo.access.auth import User
from codi_geo.settings import Settings, get_settings

AuditAction = Literal["import", "undo"]


def audit_log_path(environ: Mapping[str, str] | None = None) -> Path:
    """``CODI_GEO_AUDIT_LOG``, else ``audit.jsonl`` in the data folder (``CODI_GEO_DATA_DIR``,
    default ``data/``)."""
    return (get_settings() if environ is None else Settings.from_env(environ)).audit_log


@dataclass(frozen=True)
class AuditRecord:
    who: str
    when: datetime  # UTC
    action: AuditAction
    batch_id: int | None
    programme: str
    row_count: int
    role: str = ""
    region: str | None = None
    detail: str = ""

    def to_json(self) -> str:
        data = asdict(self)
        data["when"] = self.when.astimezone(UTC).isoformat()
        return json.dumps(data, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> AuditRecord:
        data = json.loads(text)
        data["when"] = datetime.fromisoformat(data["when"])
        return cls(**data)


def audit_record(
    user: User,
    action: AuditAction,
    *,
    batch_id: int | None,
    programme: str,
    row_count: int,
    detail: str = "",
    now: datetime | None = None,
) -> AuditRecord:
    if action not in ("import", "undo"):
        raise ValueError(f"unknown audit action {action!r}")
    when = (now or datetime.now(UTC)).astimezone(UTC)
    return AuditRecord(
        user.username,
        when,
        action,
        batch_id,
        programme,
        int(row_count),
        user.role,
        user.region,
        detail,
    )


def append_audit(path: Path, record: AuditRecord) -> None:
    """Append one record to a JSON Lines audit log (one line, one write)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as f:
        f.write(record.to_json() + "\n")


def read_audit(path: Path) -> list[AuditRecord]:
    if not path.exists():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    return [AuditRecord.from_json(line) for line in lines if line.strip()]
