"""Who may do what: users, roles and their permissions, and the region rule of imports and
undos.

``reporter`` only pins (community pins, ``codi_geo.access.pinning``), within its area;
``viewer`` sees everything internal and exports; ``regional_editor`` also imports and undoes,
only rows in the provinces of its CODI region; ``admin`` does everything, and is the only
role that undoes indicator batches (national targets and results: no region owns them).

Pure: the rules take a user and rows and answer; ``codi_geo.access.service`` applies them
to imports and undos for the Data page and the command line alike.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd

from codi_geo.errors import CodiGeoError
from codi_geo.places import gazetteer
from codi_geo.text import Bilingual

Role = Literal["viewer", "regional_editor", "admin", "reporter"]
ROLES: tuple[Role, ...] = ("viewer", "regional_editor", "admin", "reporter")
ROLE_NAMES_TH: dict[str, str] = {
    "reporter": "ผู้ปักหมุดชุมชน",
    "viewer": "ผู้ดูข้อมูล",
    "regional_editor": "ผู้นำเข้าข้อมูลระดับภาค",
    "admin": "ผู้ดูแลระบบ",
}
# A reporter (a community network member) only pins, from the pin form: it sees no internal
# page. Editors moderate the pins of their region (``codi_geo.access.pinning``).
PERMISSIONS: dict[str, frozenset[str]] = {
    "reporter": frozenset({"pin"}),
    "viewer": frozenset({"view", "export", "briefing"}),
    "regional_editor": frozenset(
        {"view", "export", "briefing", "import", "undo", "pin", "moderate"}
    ),
    "admin": frozenset(
        {
            "view",
            "export",
            "briefing",
            "import",
            "undo",
            "batches_all",
            "audit",
            "users",
            "pin",
            "moderate",
            "campaigns",
        }
    ),
}


@dataclass(frozen=True)
class User:
    """A signed-in person and the role that says what they may do (who they are and how
    they proved it is ``codi_geo.access.auth``'s)."""

    username: str
    role: Role
    name: str = ""
    email: str | None = None
    region: str | None = None  # CODI region id
    # A reporter's scope: a province, district or tambon code its pins must lie in, and/or
    # the community network it pins for.
    area: str | None = None
    network: str | None = None

    @property
    def display_name(self) -> str:
        return self.name or self.username

    def can(self, action: str) -> bool:
        return action in PERMISSIONS[self.role]


# The batch kind of results files; any other kind (indicators) only an admin may undo.
RESULTS_KIND = "results"


class PermissionDeniedError(CodiGeoError, PermissionError):
    """The signed-in user may not do this."""


def default_region(user: User | None) -> str | None:
    """The region filter a page starts with: the user's CODI region (an editor's always),
    None (whole country) for admins and users without one."""
    if user is None or user.role == "admin":
        return None
    return user.region


def region_bound(user: User) -> bool:
    """Whether the user's imports and undos are limited to its region (so callers need to
    know where a batch's rows lie before asking ``check_undo_allowed``)."""
    return user.role != "admin"


@dataclass(frozen=True)
class OffendingRow:
    row: int  # 1-based position in the import
    source_row: int | None  # the row number in the source file, when known
    code: str | None
    province_code: str | None
    province_th: str | None
    region: str | None
    region_th: str | None
    reason: Bilingual


# Why a row stops a regional editor's import or undo.
_NATIONAL = Bilingual("ระดับประเทศ อยู่นอกภาคของผู้นำเข้า", "national row, outside the region")
_UNKNOWN_PROVINCE = Bilingual("ไม่ทราบจังหวัดของแถวนี้", "the row's province is unknown")
_OUTSIDE = Bilingual("อยู่นอกภาคของผู้นำเข้า", "outside the importer's region")


def _row_region(level: str, code: Any) -> tuple[str | None, str | None]:
    """(province code, region id) of an import row."""
    if not isinstance(code, str) or not code:
        return None, None
    if level == "region":
        return None, code if code in gazetteer.REGION_BY_ID else None
    if code[:2].isdigit():
        return code[:2], gazetteer.province_regions().get(code[:2])
    return None, None


def check_import_allowed(user: User, rows: pd.DataFrame | Sequence[Any]) -> list[OffendingRow]:
    """The rows ``user`` may not import (empty list: the import may go ahead).

    Viewers may not import at all (``PermissionDeniedError``). Admins may import anything. A
    regional editor may import only rows in the provinces of its CODI region: a row outside
    it, a national row, or a row whose place is unknown is listed. ``rows`` is a frame with
    ``code`` (and ``level``, ``source_row`` when known) or a sequence of objects with those
    attributes (``store.ResultRow``).
    """
    if not user.can("import"):
        raise PermissionDeniedError(
            f"{user.display_name} ({ROLE_NAMES_TH[user.role]}) ไม่มีสิทธิ์นำเข้าข้อมูล",
            f"{user.username} ({user.role}) may not import",
        )
    if not region_bound(user):
        return []
    records = _records(rows)
    offending = []
    for position, record in enumerate(records, start=1):
        level = str(record.get("level") or "")
        code = record.get("code")
        code = code if isinstance(code, str) else None
        province, region = _row_region(level, code)
        if region == user.region:
            continue
        if level == "national":
            reason = _NATIONAL
        elif region is None:
            reason = _UNKNOWN_PROVINCE
        else:
            reason = _OUTSIDE
        source_row = record.get("source_row")
        offending.append(
            OffendingRow(
                position,
                None if source_row is None or pd.isna(source_row) else int(source_row),
                code,
                province,
                gazetteer.name_of(province) if province else None,
                region,
                gazetteer.REGION_BY_ID[region].name.th if region else None,
                reason,
            )
        )
    return offending


def _records(rows: pd.DataFrame | Sequence[Any]) -> list[dict[str, Any]]:
    if isinstance(rows, pd.DataFrame):
        return rows.to_dict("records")
    out = []
    for row in rows:
        if isinstance(row, Mapping):
            out.append(dict(row))
        else:
            out.append({k: getattr(row, k, None) for k in ("level", "code", "source_row")})
    return out


def check_undo_allowed(
    user: User, rows: pd.DataFrame | Sequence[Any], kind: str = RESULTS_KIND
) -> list[OffendingRow]:
    """The rows of a batch (of ``kind``) that stop ``user`` from undoing it (empty list: the
    undo may go ahead). Undoing follows the import rule: an editor may undo only batches
    whose rows all lie in its region. An indicator batch only an admin may undo
    (``PermissionDeniedError`` for anyone else), as may a viewer nothing."""
    if not user.can("undo"):
        raise PermissionDeniedError(
            f"{user.display_name} ({ROLE_NAMES_TH[user.role]}) ไม่มีสิทธิ์ยกเลิกการนำเข้า",
            f"{user.username} ({user.role}) may not undo imports",
        )
    if kind != RESULTS_KIND and user.role != "admin":
        raise PermissionDeniedError(
            f"ชุดข้อมูลตัวชี้วัด ({kind}) ยกเลิกได้เฉพาะผู้ดูแลระบบ",
            f"only an admin may undo a {kind} batch",
        )
    return check_import_allowed(user, rows)


def refusal_message(
    user: User, offending: Sequence[OffendingRow], limit: int = 20, lang: str = "th"
) -> str:
    """The message in ``lang`` listing the offending rows (the first ``limit``)."""
    region = gazetteer.REGION_BY_ID.get(user.region or "")
    region_name = region.name.get(lang) if region else "-"
    count, more = len(offending), len(offending) - limit
    lines = [
        Bilingual(
            f"ไม่รับการนำเข้า: {count} แถวอยู่นอก{region_name} ซึ่งเป็นภาคของ {user.display_name}",
            f"import refused: {count} row(s) outside {region_name}, the region of "
            f"{user.display_name}",
        ).get(lang)
    ]
    row_word = Bilingual("แถว", "row").get(lang)
    for item in offending[:limit]:
        where = item.province_th or item.code or "-"
        in_region = f" ({item.region_th})" if item.region_th else ""
        row_text = (
            f"{row_word} {item.source_row}" if item.source_row is not None else f"#{item.row}"
        )
        lines.append(f"- {row_text}: {where}{in_region} — {item.reason.get(lang)}")
    if more > 0:
        lines.append(Bilingual(f"- … และอีก {more} แถว", f"- … and {more} more").get(lang))
    return "\n".join(lines)
