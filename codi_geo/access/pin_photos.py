"""Photos of community pins: a moderator marks a pin's photo public (audited), and a public
page shows public photos only among a tambon's details, beside its counts, never with the
pin's point or note.
"""

from __future__ import annotations

from codi_geo import thai
from codi_geo.access import audit
from codi_geo.access.auth import User
from codi_geo.access.pinning import PinRefusedError, moderation_areas, region_refusal
from codi_geo.programmes import get_programme
from codi_geo.results.community_pins import PROGRAMME, CommunityPins
from codi_geo.results.store import Store


def public_photos(store: Store, tambon_code: str, fiscal_year: int | None) -> list[bytes]:
    """The photos a public page may show in a tambon's details, beside its counts: of
    approved pins of the fiscal year a moderator marked public, never with their point or
    note; none of a class of vulnerable people (their small counts are hidden, a photo
    would show the household)."""
    sensitive = {c.id for c in get_programme(PROGRAMME).categories if c.sensitive}
    found = CommunityPins(store).public_photos(tambon_code)
    return [
        photo
        for kind, day, photo in found
        if kind not in sensitive
        and (fiscal_year is None or thai.fiscal_period(day)[0] == fiscal_year)
    ]


def set_photo_public(user: User, store: Store, pin_id: int, public: bool) -> None:
    """A moderator marks a pin's photo public (or not), audited."""
    allowed = moderation_areas(user)
    pins = CommunityPins(store)
    pin = pins.get(pin_id)
    if pin is None:
        raise PinRefusedError(f"ไม่พบหมุด {pin_id}", f"no pin {pin_id}", 404)
    if allowed is not None and pin.tambon_code[:2] not in allowed:
        raise region_refusal(user, pin)
    pins.set_photo_public(
        pin,
        public,
        audit.entry_for(
            user,
            "pin_decision",
            programme=PROGRAMME,
            detail=f"pin {pin.id}: photo {'public' if public else 'internal'}",
        ),
    )
