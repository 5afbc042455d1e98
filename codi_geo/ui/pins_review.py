"""The moderation page of community pins (``app_pages/9_review.py``) and what a reporter's
account sees of the app.

Who may see and decide which pins is ``codi_geo.access.pinning``'s answer (a regional editor
its region's, an admin all): the page lists what ``pinning.queue`` gives it and hands every
decision to ``pinning.decide``, which refuses the rest. Notes and comments are shown as text.
"""

from __future__ import annotations

from datetime import date, timedelta

import folium
import pandas as pd
import streamlit as st

from codi_geo.access import pin_photos, pinning
from codi_geo.access.auth import User
from codi_geo.access.rules import PermissionDeniedError
from codi_geo.maps import base
from codi_geo.places import gazetteer
from codi_geo.programmes import get_programme
from codi_geo.results.community_pins import PENDING, PIN_KINDS, PROGRAMME, CommunityPins, Pin
from codi_geo.results.community_pins import PinQuery as Query
from codi_geo.text import t
from codi_geo.ui import loaders, signin, widgets
from codi_geo.ui import state as ui_state

MAX_LISTED = 500
_FLASH = "_review_flash"


def reporter_only(lang: str) -> None:
    """A reporter's account pins from the form; it sees no page of the app."""
    st.info(t("reporter_app", lang))
    st.link_button(t("reporter_app_link", lang), "/pin")
    st.stop()


def _pins_frame(pins: list[Pin], lang: str, campaigns: dict[int, str]) -> pd.DataFrame:
    programme = get_programme(PROGRAMME)
    rows = []
    for pin in pins:
        category = programme.category(pin.kind)
        rows.append(
            {
                "id": pin.id,
                "kind": category.name.get(lang) if category else pin.kind,
                "tambon": gazetteer.full_name(pin.tambon_code, lang) or pin.tambon_code,
                "date": pin.observed_on,
                "households": pin.households,
                "people": pin.people,
                "note": pin.note,
                "state": t(f"pin_state_{pin.state}", lang),
                "from": pin.reporter or campaigns.get(pin.campaign_id or -1, ""),
                "photo": pin.has_photo,
            }
        )
    return pd.DataFrame(rows)


def _map(pins: list[Pin], lang: str, basemap: str) -> None:
    located = [
        (p, p.latitude, p.longitude)
        for p in pins
        if p.latitude is not None and p.longitude is not None
    ]
    if not located:
        return
    lats = [lat for _, lat, _ in located]
    lons = [lon for _, _, lon in located]
    pad = 0.05
    bounds = ((min(lats) - pad, min(lons) - pad), (max(lats) + pad, max(lons) + pad))
    m = base.base_map(bounds, basemap, lang)
    programme = get_programme(PROGRAMME)
    for pin, lat, lon in located:
        category = programme.category(pin.kind)
        folium.CircleMarker(
            [lat, lon],
            radius=7,
            weight=2,
            fill=True,
            fill_opacity=0.8,
            color=category.colour if category else "#333",
            tooltip=f"#{pin.id}",
        ).add_to(m)
    widgets.show_map(base.finish(m, ui_state.base_url_path()), key="review_map", height=420)


def _filters(lang: str, campaigns: dict[int, str]) -> Query:
    columns = st.columns(4)
    programme = get_programme(PROGRAMME)
    kinds = columns[0].multiselect(
        t("kinds", lang),
        PIN_KINDS,
        default=[],
        key="w_review_kinds",
        placeholder=t("review_any", lang),
        format_func=lambda k: (programme.category(k) or programme.categories[0]).name.get(lang),
    )
    area = columns[1].text_input(t("review_area", lang), key="w_review_area").strip()
    campaign = columns[2].selectbox(
        t("review_campaign", lang),
        [None, *campaigns],
        key="w_review_campaign",
        format_func=lambda c: "—" if c is None else campaigns[c],
    )
    since = columns[3].date_input(
        t("review_since", lang), value=date.today() - timedelta(90), key="w_review_since"
    )
    return Query(
        states=PENDING,
        kinds=tuple(kinds) or None,
        areas=(area,) if area.isdigit() else None,
        campaign_id=campaign,
        since=since if isinstance(since, date) else None,
        limit=MAX_LISTED,
    )


def _edits(user: User, pin: Pin, lang: str) -> dict[str, object]:
    """A moderator's changes to one pin before approving it."""
    st.markdown(f"**{t('review_edit', lang)}** #{pin.id}")
    st.caption(t("review_note_raw", lang))
    st.text(pin.note_raw or "—")
    if pin.has_photo:
        store = loaders.store()
        photo = CommunityPins(store).photo(pin.id)
        if photo:
            st.image(photo, width=320)
        public = st.checkbox(
            t("review_photo_public", lang), value=pin.photo_public, key=f"w_photo_public_{pin.id}"
        )
        if public != pin.photo_public:
            pin_photos.set_photo_public(user, store, pin.id, public)
    programme = get_programme(PROGRAMME)
    columns = st.columns(5)
    kind = columns[0].selectbox(
        t("pin_kind", lang),
        PIN_KINDS,
        index=PIN_KINDS.index(pin.kind),
        key=f"w_edit_kind_{pin.id}",
        format_func=lambda k: (programme.category(k) or programme.categories[0]).name.get(lang),
    )
    lat = columns[1].number_input(
        "lat", value=pin.latitude, format="%.6f", key=f"w_edit_lat_{pin.id}"
    )
    lon = columns[2].number_input(
        "lon", value=pin.longitude, format="%.6f", key=f"w_edit_lon_{pin.id}"
    )
    households = columns[3].number_input(
        t("pin_households", lang), min_value=0, value=pin.households, key=f"w_edit_hh_{pin.id}"
    )
    people = columns[4].number_input(
        t("pin_people", lang), min_value=0, value=pin.people, key=f"w_edit_people_{pin.id}"
    )
    return {
        "kind": kind,
        "latitude": lat,
        "longitude": lon,
        "households": households,
        "people": people,
    }


def review_page() -> None:
    view = ui_state.current()
    lang = view.lang
    st.title(t("page_review", lang))
    widgets.require_internal(lang)
    user: User | None = signin.current_user()
    try:
        if user is None:
            raise PermissionDeniedError(
                t("review_not_allowed", "th"), t("review_not_allowed", "en")
            )
        pinning.moderation_areas(user)
    except PermissionDeniedError:
        st.error(t("review_not_allowed", lang))
        st.stop()
    flash = st.session_state.pop(_FLASH, None)
    if flash:
        st.success(flash)
    store = loaders.store()
    campaigns = {c.id: c.name for c in CommunityPins(store).campaigns()}
    query = _filters(lang, campaigns)
    pins = pinning.queue(user, store, query)
    st.caption(t("review_count", lang, n=len(pins)))
    if not pins:
        st.info(t("review_empty", lang))
        return
    _map(pins, lang, view.basemap)
    frame = _pins_frame(pins, lang, campaigns)
    st.dataframe(frame, hide_index=True, width="stretch", height=320)
    labels = dict(
        zip(
            frame["id"],
            frame["id"].astype(str) + " · " + frame["kind"] + " · " + frame["tambon"],
            strict=True,
        )
    )
    every = st.checkbox(t("review_select_all", lang, n=len(pins)), key="w_review_all")
    chosen = (
        [p.id for p in pins]
        if every
        else st.multiselect(
            t("review_select", lang),
            list(labels),
            key="w_review_chosen",
            placeholder=t("review_choose", lang),
            format_func=lambda i: labels[i],
        )
    )
    by_id = {p.id: p for p in pins}
    edits = {}
    if len(chosen) == 1:
        edits = {chosen[0]: _edits(user, by_id[chosen[0]], lang)}
    comment = st.text_area(t("review_comment", lang), key="w_review_comment", max_chars=1000)
    buttons = st.columns(3)
    decision = None
    if buttons[0].button(t("review_approve", lang), type="primary", key="w_review_approve"):
        decision = "approved"
    if buttons[1].button(t("review_reject", lang), key="w_review_reject"):
        decision = "rejected"
    if buttons[2].button(t("review_needs_info", lang), key="w_review_needs_info"):
        decision = "needs_info"
    if decision is None:
        return
    if not chosen:
        st.warning(t("review_none_selected", lang))
        return
    try:
        pinning.decide(user, store, chosen, decision, comment=comment, edits=edits)
    except pinning.PinRefusedError as error:
        st.error(error.message(lang))
        return
    except pinning.PinInputError as error:
        st.error(error.message(lang))
        return
    st.session_state[_FLASH] = t("review_done", lang, n=len(chosen))
    st.session_state.pop("w_review_chosen", None)
    st.session_state.pop("w_review_all", None)
    st.rerun()
