"""Community photos in a tambon's details: the photos of approved pins a moderator marked
public (``access.pin_photos``), shown beside the tambon's counts, with no point, note,
kind or date that could single out the pin. Public and internal pages alike."""

from __future__ import annotations

import streamlit as st

from codi_geo.access import pin_photos
from codi_geo.maps.viewstate import ViewState
from codi_geo.results.database import database_url
from codi_geo.text import t
from codi_geo.ui import loaders
from codi_geo.ui.guard import StoreUnavailableError

# Marking a photo public changes no data version: a minute until every page shows it.
PHOTO_SECONDS = 60


@st.cache_data(show_spinner=False, ttl=PHOTO_SECONDS, max_entries=64)
def _photos(url: str, tambon: str, fiscal_year: int | None) -> list[bytes]:
    return pin_photos.public_photos(loaders.store(), tambon, fiscal_year)


def tambon_photos(view: ViewState) -> None:
    """The public photos of the selected tambon (nothing for a wider area)."""
    if not view.area or len(view.area) != 6:
        return
    try:
        photos = _photos(database_url(), view.area, view.fiscal_year)
    except StoreUnavailableError:  # the details above already say the store is away
        return
    if not photos:
        return
    st.markdown(f"**{t('pin_public_photos', view.lang)}**")
    st.image(photos, width=160)
    st.caption(t("pin_public_photos_note", view.lang))
