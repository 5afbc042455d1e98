"""Community pins (COPIN): who may pin where, who may moderate which pins, campaign links and
retention. The pin form's routes, the moderation page and the command line all come here;
the store side is ``codi_geo.results.community_pins``.

- **Sending a pin**: a reporter (the ``reporter`` role) in its area, or, for a network
  without an area, in its region (the users file's ``region`` of the network's reporters);
  a regional editor in its region; an admin anywhere; anyone holding an open campaign link
  in the campaign's area and kinds.
  The point must fall in a tambon (or within ``CODI_GEO_NEAR_TAMBON_METRES`` of one, the same
  rule as imported pins); at most ``CODI_GEO_PIN_RATE_PER_MINUTE`` pins a minute from one
  address. The
  phone's own id for the pin makes sending again harmless.
- **Moderating**: regional editors the pins of their CODI region, admins every pin; nobody
  their own pin; reporters none. Each decision is audited with what it changed, in the same
  transaction.
- **Answering**: a pin the moderator asked more about ("needs information") its sender
  edits and sends again; it waits for review again, audited in the same transaction.
- **Campaign links and retention**: ``codi_geo.access.pin_campaigns``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from codi_geo import thai
from codi_geo.access import audit
from codi_geo.access.auth import User
from codi_geo.access.pin_campaigns import (
    anonymise_closed,
    campaign_closed,
    campaign_for_token,
    create_campaign,
)
from codi_geo.access.pin_input import (
    PinInputError,
    PinRefusedError,
    clean_note,
    mask_note,
    reencode_photo,
)
from codi_geo.access.rules import ROLE_NAMES_TH, PermissionDeniedError
from codi_geo.places import gazetteer
from codi_geo.results.community_pins import (
    EDITABLE,
    PENDING,
    PIN_KINDS,
    PROGRAMME,
    Campaign,
    CommunityPins,
    NewPin,
    Pin,
    PinConflictError,
    PinQuery,
)
from codi_geo.results.store import Store
from codi_geo.settings import get_settings

__all__ = [
    "PIN_KINDS",
    "PinForm",
    "PinInputError",
    "PinRefusedError",
    "Submitter",
    "anonymise_closed",
    "answer",
    "campaign_for_token",
    "create_campaign",
    "decide",
    "moderation_areas",
    "pins_of",
    "place_point",
    "queue",
    "submit",
]

MAX_FIGURE = 100_000
DECISIONS = ("approved", "rejected", "needs_info")
# Thailand's extent with a margin: anything outside is refused before any spatial lookup.
THAILAND_BOUNDS = (5.5, 97.2, 20.6, 105.8)  # south, west, north, east
_CLIENT_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


@dataclass(frozen=True)
class Submitter:
    """Who sends a pin: a signed-in user, or the holder of an open campaign link; ``client``
    is the address it comes from (the rate limit)."""

    user: User | None = None
    campaign: Campaign | None = None
    client: str = ""

    @property
    def name(self) -> str:
        """Who the pin's provenance says submitted it."""
        if self.user is not None:
            return self.user.username
        return f"campaign link «{self.campaign.name}»" if self.campaign else "unknown"


@dataclass(frozen=True)
class PinForm:
    """A pin as the form sends it (text, as typed), and the photo's bytes."""

    client_id: str
    kind: str
    latitude: Any
    longitude: Any
    accuracy_m: Any = None
    households: Any = None
    people: Any = None
    note: Any = ""
    observed_on: Any = None
    photo: bytes | None = None


def _number(
    value: Any,
    what_th: str,
    what_en: str,
    *,
    integer: bool = False,
    low: float = -math.inf,
    high: float = math.inf,
) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = float(str(value).strip().replace(",", ""))
    except ValueError:
        number = math.nan
    if not (math.isfinite(number) and low <= number <= high) or (integer and number != int(number)):
        raise PinRefusedError(
            f"{what_th} ไม่ถูกต้อง: {str(value)[:40]!r}",
            f"{what_en} is not valid: {str(value)[:40]!r}",
        )
    return number


def _figure(value: Any, th: str, en: str) -> int | None:
    number = _number(value, th, en, integer=True, low=0, high=MAX_FIGURE)
    return None if number is None else int(number)


def place_point(latitude: Any, longitude: Any) -> tuple[float, float, str]:
    """(latitude, longitude, tambon code) of a point in Thailand: in its tambon, or the
    nearest within ``CODI_GEO_NEAR_TAMBON_METRES`` (a pin on the beach just off the
    simplified coastline). Refused outside Thailand or at sea."""
    lat = _number(latitude, "ละติจูด", "the latitude", low=-90, high=90)
    lon = _number(longitude, "ลองจิจูด", "the longitude", low=-180, high=180)
    if lat is None or lon is None:
        raise PinRefusedError(
            "ยังไม่ได้ปักหมุด: แตะแผนที่หรือใช้ตำแหน่ง GPS",
            "no location yet: tap the map or use the GPS position",
        )
    south, west, north, east = THAILAND_BOUNDS
    code = None
    if south <= lat <= north and west <= lon <= east:
        # geopandas (0.4 s, about 50 MB) only where a point is placed, as the importer does
        from codi_geo.places.boundaries import locate_points, nearest_tambons

        code = locate_points([lon], [lat])[0]
        if code is None:
            near, _metres = nearest_tambons([lon], [lat], get_settings().near_tambon_metres)
            code = near[0]
    if code is None:
        raise PinRefusedError(
            f"จุด {lat:.5f}, {lon:.5f} อยู่นอกประเทศไทยหรืออยู่ในทะเล ปักหมุดบนแผ่นดินในประเทศไทย",
            f"the point {lat:.5f}, {lon:.5f} is outside Thailand or at sea: pin a place on "
            f"land in Thailand",
        )
    return lat, lon, str(code)


@dataclass(frozen=True)
class PinScope:
    """Where a sender may pin: codes whose prefix a pin's tambon must have (None:
    anywhere) and the place's name in Thai and English."""

    prefixes: tuple[str, ...] | None
    th: str = ""
    en: str = ""

    def holds(self, code: str) -> bool:
        return self.prefixes is None or any(code.startswith(p) for p in self.prefixes)


def _area_scope(area: str) -> PinScope:
    return PinScope((area,), gazetteer.name_of(area) or area, gazetteer.name_of(area, "en") or area)


def _region_scope(region_id: str) -> PinScope:
    region = gazetteer.REGION_BY_ID[region_id]
    provinces = tuple(sorted(p for p, r in gazetteer.province_regions().items() if r == region_id))
    return PinScope(provinces, region.name.th, region.name.en)


def pin_scope(submitter: Submitter) -> PinScope:
    """Where ``submitter`` may pin: a campaign link in the campaign's area; a user with an
    area in it; a reporter of a network (no area) or a regional editor in its CODI region;
    an admin anywhere. ``PinRefusedError`` for a reporter with neither area nor region
    (an account made by the identity provider's default role): nowhere, until an admin
    gives it one."""
    if submitter.campaign is not None:
        area = submitter.campaign.area_code
        return _area_scope(area) if area else PinScope(None)
    user = submitter.user
    if user is None or user.role == "admin":
        return PinScope(None)
    if user.area:
        return _area_scope(user.area)
    if user.region in gazetteer.REGION_BY_ID:
        return _region_scope(str(user.region))
    raise PinRefusedError(
        f"บัญชี {user.display_name} ยังไม่ได้กำหนดพื้นที่หรือภาคที่ปักหมุดได้ ติดต่อผู้ดูแลระบบให้กำหนด area หรือ region",
        f"the account {user.username} has no area or region to pin in: ask an admin to set "
        f"its area or region",
        403,
    )


def _observed(value: Any, now: datetime) -> date:
    today = thai.today(now)
    if value is None or not str(value).strip():
        return today
    try:
        day = date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        raise PinRefusedError(
            f"วันที่ไม่ถูกต้อง: {str(value)[:20]!r}", f"the date is not valid: {str(value)[:20]!r}"
        ) from None
    if day > today + timedelta(days=1) or day < today - timedelta(days=366):
        raise PinRefusedError(
            "วันที่ต้องอยู่ในหนึ่งปีที่ผ่านมา ไม่ใช่วันในอนาคต",
            "the date must be within the past year, not in the future",
        )
    return day


def _allowed_kinds(submitter: Submitter) -> tuple[str, ...]:
    if submitter.campaign is not None and submitter.campaign.kinds:
        return submitter.campaign.kinds
    return PIN_KINDS


def owns(submitter: Submitter, pin: Pin) -> bool:
    """Is ``pin`` the sender's own (its account's, or its campaign link's)?"""
    if submitter.user is not None:
        return pin.reporter == submitter.user.username
    return submitter.campaign is not None and pin.campaign_id == submitter.campaign.id


def check_sender(submitter: Submitter, at: datetime) -> None:
    """Refused unless ``submitter`` may send pins at ``at`` (signed in with the right to pin,
    or holding a campaign link still open)."""
    if submitter.user is None and submitter.campaign is None:
        raise PinRefusedError(
            "ต้องลงชื่อเข้าใช้หรือใช้ลิงก์รณรงค์ก่อนปักหมุด", "sign in or use a campaign link to pin", 401
        )
    if submitter.user is not None and not submitter.user.can("pin"):
        raise PinRefusedError(
            f"{submitter.user.display_name} ({ROLE_NAMES_TH[submitter.user.role]}) ไม่มีสิทธิ์ปักหมุดชุมชน",
            f"{submitter.user.username} may not pin",
            403,
        )
    if submitter.campaign is not None and not submitter.campaign.open_at(at):
        raise campaign_closed(submitter.campaign)


def phone_id(value: Any) -> str:
    """The id a phone made for a pin (or an answer), checked."""
    client_id = str(value or "")
    if not _CLIENT_ID.match(client_id):
        raise PinRefusedError(
            "รหัสหมุดจากเครื่องไม่ถูกต้อง โหลดหน้าใหม่แล้วลองอีกครั้ง",
            "the pin's id from the phone is not valid: reload the page",
        )
    return client_id


def form_values(submitter: Submitter, form: PinForm, at: datetime) -> dict[str, Any]:
    """The pin's stored values from what the form sent, checked: its kind, placed point in
    the sender's scope, date, figures, note (masked, and as typed) and photo (re-encoded)."""
    kinds = _allowed_kinds(submitter)
    if form.kind not in kinds:
        raise PinRefusedError(
            f"ประเภทหมุดไม่ถูกต้อง: {str(form.kind)[:40]!r}",
            f"not a pin kind here: {str(form.kind)[:40]!r}",
        )
    scope = pin_scope(submitter)
    lat, lon, code = place_point(form.latitude, form.longitude)
    if not scope.holds(code):
        raise PinRefusedError(
            f"จุดนี้อยู่นอกพื้นที่ที่ปักหมุดได้ ({scope.th})",
            f"this point is outside the area you may pin in ({scope.en})",
            403,
        )
    note = clean_note(form.note)
    photo = reencode_photo(form.photo) if form.photo else None
    accuracy = _number(form.accuracy_m, "ความแม่นยำของ GPS", "the GPS accuracy", low=0, high=1e6)
    return {
        "kind": form.kind,
        "latitude": lat,
        "longitude": lon,
        "tambon_code": code,
        "observed_on": _observed(form.observed_on, at),
        "households": _figure(form.households, "จำนวนครัวเรือน", "households"),
        "people": _figure(form.people, "จำนวนคน", "people"),
        "note": mask_note(note),
        "note_raw": note,
        "photo": photo,
        "accuracy_m": accuracy,
    }


def _not_yours() -> PinRefusedError:
    return PinRefusedError(
        "รหัสหมุดนี้เป็นของผู้ส่งอื่น โหลดหน้าใหม่แล้วลองอีกครั้ง",
        "this pin id belongs to another sender: reload the page",
        409,
    )


def submit(
    store: Store, submitter: Submitter, form: PinForm, *, now: datetime | None = None
) -> tuple[Pin, bool]:
    """Check, place and store a pin: (the pin, whether it is new). The same client id sent
    again by the same sender gives the stored pin back (nothing stored twice).
    ``PinRefusedError`` (or ``PinInputError`` for a photo or note) says what is wrong;
    nothing is stored then."""
    at = (now or datetime.now(UTC)).astimezone(UTC)
    check_sender(submitter, at)
    client_id = phone_id(form.client_id)
    pins = CommunityPins(store)
    existing = pins.by_client_id(client_id)
    if existing is not None:
        if owns(submitter, existing):
            return existing, False
        raise _not_yours()
    rate = get_settings().pin_rate_per_minute
    if pins.recent_from(submitter.client, at - timedelta(minutes=1)) >= rate:
        raise PinRefusedError(
            f"ส่งหมุดถี่เกินไป (เกิน {rate} หมุดต่อนาที) รอสักครู่แล้วส่งอีกครั้ง ข้อมูลที่กรอกยังอยู่",
            f"too many pins from here (over {rate} a "
            f"minute): wait a moment and send again; what you typed is kept",
            429,
        )
    new = NewPin(
        client_id=client_id,
        **form_values(submitter, form, at),
        reporter=submitter.user.username if submitter.user else None,
        campaign_id=submitter.campaign.id if submitter.campaign else None,
        client=submitter.client[:200],
    )
    pin, created = pins.add(new, now=at)
    if not created and not owns(submitter, pin):  # the same id from someone else, at once
        raise _not_yours()
    return pin, created


def answer(
    store: Store,
    submitter: Submitter,
    pin_client_id: str,
    form: PinForm,
    *,
    now: datetime | None = None,
) -> tuple[Pin, bool]:
    """The sender's answer to a moderator's "needs information" on its pin (the pin's
    ``pin_client_id``): the form's values replace the pin's (a photo only when one is sent)
    and it waits for review again: (the pin, whether it changed). ``form.client_id`` is the
    answer's own id from the phone: sent again, nothing changes twice. Refused for someone
    else's pin or a pin not waiting for an answer; nothing changed then."""
    at = (now or datetime.now(UTC)).astimezone(UTC)
    check_sender(submitter, at)
    answer_id = phone_id(form.client_id)
    pins = CommunityPins(store)
    pin = pins.by_client_id(str(pin_client_id or "")[:64])
    if pin is None or not owns(submitter, pin):
        raise PinRefusedError("ไม่พบหมุดนี้ในหมุดของคุณ", "this pin is not among your pins", 404)
    if pin.answer_id == answer_id:
        return pin, False
    if pin.state != "needs_info":
        raise PinRefusedError(
            f"หมุด {pin.id} ไม่ได้รอคำตอบ (สถานะ: {pin.state})",
            f"pin {pin.id} is not waiting for an answer (it is {pin.state})",
            409,
        )
    values = form_values(submitter, form, at)
    if values["photo"] is None:
        del values["photo"]  # the photo sent first stays
    changed = [k for k, v in values.items() if k != "note_raw" and v != getattr(pin, k, None)]
    entry = audit.entry_for(
        submitter.user,
        "pin_answer",
        who=submitter.name,
        programme=PROGRAMME,
        row_count=1,
        detail=f"pin {pin.id}: needs_info -> received; changed: {', '.join(changed) or '-'}",
        client=submitter.client[:200] or None,
    )
    try:
        return pins.answer(pin, answer_id, values, entry, now=at), True
    except PinConflictError as error:  # the same answer sent twice at once, or decided
        again = pins.get(pin.id)
        if again is not None and again.answer_id == answer_id:
            return again, False
        raise PinRefusedError(error.th, error.en, 409) from error


def pins_of(store: Store, submitter: Submitter, client_ids: Sequence[str] = ()) -> list[Pin]:
    """A sender's own pins: a signed-in reporter's by account; a campaign link holder's by
    the ids its phone kept (only pins of that campaign)."""
    pins = CommunityPins(store)
    if submitter.user is not None:
        return pins.find(PinQuery(reporter=submitter.user.username, limit=500))
    if submitter.campaign is None:
        return []
    ids = tuple(i for i in client_ids if _CLIENT_ID.match(i))[:200]
    if not ids:
        return []
    return pins.find(PinQuery(client_ids=ids, campaign_id=submitter.campaign.id))


# ---------------------------------------------------------------------------------------
# Moderation
# ---------------------------------------------------------------------------------------


def moderation_areas(user: User) -> tuple[str, ...] | None:
    """The province codes whose pins ``user`` moderates (None: every pin, for admins).
    ``PermissionDeniedError`` for users who do not moderate."""
    if not user.can("moderate"):
        raise PermissionDeniedError(
            f"{user.display_name} ({ROLE_NAMES_TH[user.role]}) ไม่มีสิทธิ์ตรวจหมุดชุมชน",
            f"{user.username} ({user.role}) may not moderate community pins",
        )
    if user.role == "admin":
        return None
    return tuple(sorted(p for p, r in gazetteer.province_regions().items() if r == user.region))


PENDING_PINS = PinQuery(states=PENDING)


def queue(user: User, store: Store, query: PinQuery = PENDING_PINS) -> list[Pin]:
    """The pins ``user`` may moderate among those ``query`` asks for (only its region's)."""
    allowed = moderation_areas(user)
    areas = query.areas
    if allowed is not None:
        wanted = areas if areas is not None else allowed
        areas = tuple(a for a in wanted if a[:2] in allowed)
    return CommunityPins(store).find(replace(query, areas=areas))


def region_refusal(user: User, pin: Pin) -> PinRefusedError:
    region = gazetteer.REGION_BY_ID.get(user.region or "")
    return PinRefusedError(
        f"หมุด {pin.id} อยู่นอก{region.name.th if region else 'ภาคของผู้ใช้'} "
        f"ซึ่ง {user.display_name} ตรวจได้",
        f"pin {pin.id} is outside "
        f"{region.name.en if region else 'your region'}, which {user.username} moderates",
        403,
    )


def _edits(pin: Pin, changes: Mapping[str, Any]) -> dict[str, Any]:
    """A moderator's changes to ``pin``, checked (a moved point is placed again)."""
    unknown = set(changes) - set(EDITABLE) - {"latitude", "longitude"}
    if unknown:
        raise PinRefusedError(
            f"แก้ไขช่องนี้ไม่ได้: {sorted(unknown)}", f"these cannot be edited: {sorted(unknown)}"
        )
    out: dict[str, Any] = {}
    if "kind" in changes and changes["kind"] != pin.kind:
        if changes["kind"] not in PIN_KINDS:
            raise PinRefusedError(
                f"ประเภทหมุดไม่ถูกต้อง: {changes['kind']!r}", f"not a pin kind: {changes['kind']!r}"
            )
        out["kind"] = changes["kind"]
    lat, lon = changes.get("latitude", pin.latitude), changes.get("longitude", pin.longitude)
    if (lat, lon) != (pin.latitude, pin.longitude):
        out["latitude"], out["longitude"], out["tambon_code"] = place_point(lat, lon)
    for key, th, en in (
        ("households", "จำนวนครัวเรือน", "households"),
        ("people", "จำนวนคน", "people"),
    ):
        if key in changes:
            value = _figure(changes[key], th, en)
            if value != getattr(pin, key):
                out[key] = value
    return out


def _describe(pin: Pin, state: str, edits: Mapping[str, Any], comment: str) -> str:
    parts = [f"pin {pin.id}: {pin.state} -> {state}"]
    parts += [f"{key} {getattr(pin, key)} -> {value}" for key, value in edits.items()]
    if comment:
        parts.append(f"comment: {comment}")
    return "; ".join(parts)


def decide(
    user: User,
    store: Store,
    pin_ids: Sequence[int],
    decision: str,
    *,
    comment: str = "",
    edits: Mapping[int, Mapping[str, Any]] | None = None,
    now: datetime | None = None,
) -> int | None:
    """Approve, reject or ask for more about pins (all of them or none). Approved pins join
    the disaster programme as one batch (its id is returned). Refused, with nothing
    changed, for a user who does not moderate, a pin outside the moderator's region, the
    moderator's own pin, or a pin already decided."""
    if decision not in DECISIONS:
        raise PinRefusedError(f"การตัดสินใจไม่ถูกต้อง: {decision!r}", f"not a decision: {decision!r}")
    allowed = moderation_areas(user)
    comment = clean_note(comment)
    if decision == "needs_info" and not comment:
        raise PinRefusedError(
            "ขอข้อมูลเพิ่มต้องเขียนว่าต้องการอะไร",
            "asking for more information needs a comment saying what",
        )
    pins_store = CommunityPins(store)
    pins = pins_store.many(sorted(set(pin_ids)))
    missing = set(pin_ids) - {p.id for p in pins}
    if missing or not pins:
        raise PinRefusedError(f"ไม่พบหมุด {sorted(missing)}", f"no pin {sorted(missing)}", 404)
    checked: dict[int, dict[str, Any]] = {}
    for pin in pins:
        if allowed is not None and pin.tambon_code[:2] not in allowed:
            raise region_refusal(user, pin)
        if pin.reporter == user.username:
            raise PinRefusedError(
                f"หมุด {pin.id} เป็นหมุดของคุณเอง ให้ผู้อื่นตรวจ",
                f"pin {pin.id} is your own: someone else must check it",
                403,
            )
        if not pin.pending:
            raise PinRefusedError(
                f"หมุด {pin.id} ได้รับการตัดสินแล้ว ({pin.state})",
                f"pin {pin.id} is already decided ({pin.state})",
                409,
            )
        checked[pin.id] = (
            _edits(pin, (edits or {}).get(pin.id, {})) if decision == "approved" else {}
        )
        moved = checked[pin.id].get("tambon_code")
        if moved and allowed is not None and moved[:2] not in allowed:
            raise region_refusal(user, pin)
    audits = {
        pin.id: audit.entry_for(
            user,
            "pin_decision",
            programme=PROGRAMME,
            detail=_describe(pin, decision, checked[pin.id], comment),
        )
        for pin in pins
    }
    if decision != "approved":
        pins_store.decide(pins, decision, user.username, comment, audits, now=now)
        return None
    campaigns = (
        {c.id: c for c in pins_store.campaigns()} if any(p.campaign_id for p in pins) else {}
    )
    submitters = {
        pin.id: pin.reporter
        or (
            f"campaign link «{campaigns[pin.campaign_id].name}»"
            if pin.campaign_id in campaigns
            else "unknown"
        )
        for pin in pins
    }
    return pins_store.approve(pins, user.username, comment, checked, submitters, audits, now=now)
