"""Campaign links and retention of community pins: an admin's link that lets anyone pin
during an emergency (only the token's keyed hash is stored), and the anonymising of the pins
of campaigns closed ``CODI_GEO_PIN_RETENTION_DAYS`` ago (their tambon counts stay, their
points, notes and photos go). ``codi_geo.access.pinning`` re-exports these for the form's
routes, the review page and the command line.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Sequence
from datetime import UTC, datetime

from codi_geo.access import audit
from codi_geo.access.pin_input import PinRefusedError, clean_note
from codi_geo.access.rules import PermissionDeniedError, User
from codi_geo.access.sessions import session_secret
from codi_geo.places import gazetteer
from codi_geo.results.community_pins import (
    PIN_KINDS,
    PROGRAMME,
    Campaign,
    CommunityPins,
    retention_cutoff,
)
from codi_geo.results.store import Store
from codi_geo.settings import get_settings


def _token_key(token: str) -> str:
    return hmac.new(session_secret(), f"campaign\n{token}".encode(), hashlib.sha256).hexdigest()


def create_campaign(
    user: User,
    store: Store,
    name: str,
    kinds: Sequence[str],
    area_code: str | None,
    ends_at: datetime,
    *,
    now: datetime | None = None,
) -> tuple[Campaign, str]:
    """A campaign link (admins only): (the campaign, its token). Only the token's keyed hash
    is stored: the link is shown once."""
    if not user.can("campaigns"):
        raise PermissionDeniedError(
            f"{user.display_name} ไม่มีสิทธิ์สร้างลิงก์รณรงค์",
            f"{user.username} may not create campaign links",
        )
    at = now or datetime.now(UTC)
    name = clean_note(name)
    if not name or len(name) > 200:
        raise PinRefusedError(
            "ชื่อรณรงค์ต้องมี 1-200 ตัวอักษร", "a campaign needs a name of 1-200 characters"
        )
    unknown = [k for k in kinds if k not in PIN_KINDS]
    if unknown or not kinds:
        raise PinRefusedError(
            f"ประเภทหมุดไม่ถูกต้อง: {unknown}",
            f"not pin kinds: {unknown} (one or more of {', '.join(PIN_KINDS)})",
        )
    if area_code and (len(area_code) not in (2, 4, 6) or gazetteer.name_of(area_code) is None):
        raise PinRefusedError(
            f"พื้นที่ {area_code!r} ไม่ใช่รหัสจังหวัด อำเภอ หรือตำบล",
            f"area {area_code!r} is not a province, district or tambon code",
        )
    if ends_at.tzinfo is None or ends_at <= at:
        raise PinRefusedError("วันสิ้นสุดต้องอยู่ในอนาคต", "the end must be in the future")
    token = secrets.token_urlsafe(24)
    entry = audit.entry_for(
        user,
        "campaign_add",
        programme=PROGRAMME,
        detail=f"campaign {name}: kinds {','.join(kinds)}; area "
        f"{area_code or 'all'}; ends {ends_at.isoformat()}",
    )
    campaign = CommunityPins(store).add_campaign(
        _token_key(token), name, kinds, area_code or None, ends_at, entry, now=at
    )
    return campaign, token


def campaign_closed(campaign: Campaign) -> PinRefusedError:
    day = campaign.ends_at.date().isoformat()
    return PinRefusedError(
        f"ลิงก์รณรงค์ «{campaign.name}» ปิดแล้วเมื่อ {day}",
        f"the campaign link «{campaign.name}» closed on {day}",
        403,
    )


def campaign_for_token(store: Store, token: str | None, *, now: datetime | None = None) -> Campaign:
    """The open campaign of a link's token; ``PinRefusedError`` for a forged, unknown or
    closed one."""
    campaign = None
    if isinstance(token, str) and 8 <= len(token) <= 200:
        campaign = CommunityPins(store).campaign_by_key(_token_key(token))
    if campaign is None:
        raise PinRefusedError(
            "ลิงก์รณรงค์นี้ใช้ไม่ได้ ตรวจลิงก์กับผู้ส่ง",
            "this campaign link is not valid: check it with whoever sent it",
            403,
        )
    if not campaign.open_at((now or datetime.now(UTC)).astimezone(UTC)):
        raise campaign_closed(campaign)
    return campaign


def anonymise_closed(
    user: User, store: Store, *, days: int | None = None, now: datetime | None = None
) -> tuple[list[Campaign], int]:
    """Anonymise the pins of campaigns that ended more than ``days`` (default
    ``CODI_GEO_PIN_RETENTION_DAYS``) ago: (the campaigns, how many pins)."""
    if not user.can("campaigns"):
        raise PermissionDeniedError(
            f"{user.display_name} ไม่มีสิทธิ์ลบข้อมูลส่วนบุคคลของหมุด",
            f"{user.username} may not anonymise pins",
        )
    keep = get_settings().pin_retention_days if days is None else days
    pins = CommunityPins(store)
    closed = pins.closed_before(retention_cutoff(keep, now))
    if not closed:
        return [], 0
    entry = audit.entry_for(
        user,
        "pins_anonymise",
        programme=PROGRAMME,
        detail="campaigns " + ", ".join(f"{c.id} {c.name}" for c in closed),
    )
    return closed, pins.anonymise(closed, entry, now=now)
