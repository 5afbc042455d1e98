"""Community pins inside the app (Thailand's PDPA), on SQLite and PostgreSQL: an approved pin's
point, note and provenance reach only staff of its region and admins; another region's editor,
a viewer without a region or nobody sees it counted per tambon, on the map (SQL), in the
frames the pages, tables and downloads use, through the loaders, and in the command line's
export. Imported pins keep their points for every internal viewer."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from codi_geo.access import pinning
from codi_geo.access.auth import User
from codi_geo.access.public import exact_provinces, seen_rows, sees_exactly
from codi_geo.results import points
from codi_geo.results.records import NewBatch, ResultRow
from codi_geo.results.store import Store
from tests import test_community_pins as community
from tests.test_community_pins import ADMIN, EDITOR_NE, EDITOR_SOUTH, NOW, VIEWER, _send

store = community.store  # the fixture: an empty store on SQLite and on PostgreSQL

VIEWER_SOUTH = User("pim", "viewer", "พิม", None, "south")
SEE_EXACTLY = (ADMIN, EDITOR_SOUTH, VIEWER_SOUTH)
SEE_COUNTED = (EDITOR_NE, VIEWER, None)
NOTE_WORD = "ยายมาลัยติดเตียง"  # the reporter's note: the moderator's eyes only
SONGKHLA_SURVEY = (7.19, 100.59)  # an imported (non-COPIN) pin, in the south too


def _approved(store: Store):
    pin, _ = _send(store, "pin-pdpa01", households="2", note=NOTE_WORD)
    pinning.decide(EDITOR_SOUTH, store, [pin.id], "approved", comment="ok", now=NOW)
    return pin


def _imported(store: Store) -> None:
    row = ResultRow(
        "disaster",
        2569,
        1,
        "point",
        "900101",
        {"households": 3.0},
        latitude=SONGKHLA_SURVEY[0],
        longitude=SONGKHLA_SURVEY[1],
        category="flood",
        visibility="internal",
        note="surveyed by the network",
        source_doc="survey.xlsx",
    )
    store.store_results(NewBatch("disaster", "survey.xlsx", "f" * 64, "append", 1), [row])


def _text(frame) -> str:
    return " ".join(str(v) for v in frame.to_numpy().ravel())


@pytest.fixture()
def filled(store: Store):
    pin = _approved(store)
    _imported(store)
    return store, pin


def test_the_pins_region_and_admins_see_it_exactly_others_counted(filled) -> None:
    db, pin = filled
    rows = db.results("disaster")
    assert len(rows) == 2 and "submitted by nok" in _text(rows)
    for user in SEE_EXACTLY:
        seen = seen_rows(rows, exact_provinces(user))
        assert seen is rows, user  # nothing hidden, nothing copied
    for user in SEE_COUNTED:
        seen = seen_rows(rows, exact_provinces(user))
        text = _text(seen)
        assert "nok" not in text and "submitted by" not in text and "pin " not in text, user
        assert f"{pin.latitude:.4f}"[:6] not in text
        assert seen["rows"].sum() == 2  # both still counted
        counted = seen[seen["source_doc"].isna()]
        assert counted[["code", "level", "category"]].values.tolist() == [
            [pin.tambon_code, "tambon", "flood"]
        ]
        assert counted[["latitude", "longitude", "note", "name"]].isna().all().all()
        imported = seen[seen["source_doc"].eq("survey.xlsx")].iloc[0]  # today's behaviour
        assert imported["latitude"] == SONGKHLA_SURVEY[0]
        assert imported["note"] == "surveyed by the network"


def test_the_map_draws_and_opens_only_what_its_viewer_sees_exactly(filled) -> None:
    db, _pin = filled
    rows = db.results("disaster")
    community_id = int(rows.loc[rows["source_doc"].eq("COPIN"), "id"].iloc[0])
    for user in (*SEE_EXACTLY, *SEE_COUNTED):
        exact = exact_provinces(user)
        pins = points.PinFilter("disaster", exact=exact)
        drawn = set(points.pins_in_bbox(db.engine, pins, None)["id"])
        cells = points.grid_counts(db.engine, pins, 1.0)
        detail = points.pin_detail(db.engine, pins, community_id)
        # one rule: the SQL form agrees with the predicate asked of each row
        expected = {int(r["id"]) for r in rows.to_dict("records") if sees_exactly(user, r)}
        assert drawn == expected, user
        assert int(cells["n"].sum()) == len(expected)
        if user in SEE_EXACTLY:
            assert community_id in drawn and "approved by somsak" in detail["note"]
        else:
            assert community_id not in drawn and detail is None


def test_downloads_of_another_regions_page_hold_counts_only(filled) -> None:
    from codi_geo.maps import pagemaps
    from codi_geo.maps.viewstate import ViewState
    from codi_geo.outputs import downloads

    db, pin = filled
    rows = seen_rows(db.results("disaster"), exact_provinces(EDITOR_NE))
    state = ViewState(fiscal_year=2569, lang="en")
    page_map = pagemaps.disasters(rows, state, "points", None, "en")
    table = downloads.table_bytes(page_map, state, "csv", public_page=False).decode("utf-8-sig")
    assert "submitted by" not in table and "nok" not in table and pin.tambon_code in table
    listed = list(csv.DictReader(io.StringIO(table)))
    assert len(listed) == 2
    geojson = downloads.geojson_bytes(page_map, public_page=False).decode()
    assert "submitted by" not in geojson and NOTE_WORD not in geojson


def test_the_loaders_ask_who_is_viewing(filled, monkeypatch: pytest.MonkeyPatch) -> None:
    import streamlit as st

    from codi_geo import settings
    from codi_geo.ui import guard, loaders

    db, pin = filled
    monkeypatch.setenv("CODI_GEO_DATABASE_URL", db.engine.url.render_as_string(hide_password=False))
    settings.clear()
    st.session_state["_codi_serving_public"] = False
    pins = points.PinFilter("disaster")
    whole = (5.5, 97.2, 20.6, 105.8)
    try:
        for user, exact in ((EDITOR_NE, False), (EDITOR_SOUTH, True), (None, False)):
            guard.set_viewer(user)
            loaders.clear_data_caches()
            for frame in (
                loaders.results("disaster"),
                loaders.period_results("disaster", None, 1),
                loaders.area_rows(None, pin.tambon_code),
            ):
                assert ("submitted by nok" in _text(frame)) is exact, user
                assert frame["rows"].sum() if "rows" in frame else len(frame)
            view = loaders.pin_view(pins, whole, 6)
            assert (len(view.pins) == 2) is exact and view.total == (2 if exact else 1)
            community_id = int(db.results("disaster").query("source_doc == 'COPIN'")["id"].iloc[0])
            assert (loaders.pin_detail(pins, community_id) is not None) is exact
    finally:
        guard.set_viewer(None)
        st.session_state.pop("_codi_serving_public", None)
        loaders.clear_data_caches()


def test_the_export_command_counts_other_regions_pins(
    filled, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    from codi_geo import settings
    from codi_geo.__main__ import main

    db, pin = filled
    monkeypatch.setenv("CODI_GEO_DATABASE_URL", db.engine.url.render_as_string(hide_password=False))
    settings.clear()
    out = tmp_path / "ne.csv"
    code = main(["export", "--programme", "disaster", "--region", "northeast", "-o", str(out)])
    assert code == 0
    text = out.read_text(encoding="utf-8-sig")
    assert "submitted by" not in text and pin.tambon_code in text
    assert "surveyed by the network" in text  # imported pins as stored
    code = main(["export", "--programme", "disaster", "--region", "south", "-o", str(out)])
    assert code == 0 and "submitted by nok" in out.read_text(encoding="utf-8-sig")
    assert main(["export", "--programme", "disaster", "--region", "atlantis", "-o", "-"]) != 0


def test_a_moderator_makes_a_photo_public_for_the_tambons_details_only(store: Store) -> None:
    from codi_geo.access import pin_photos
    from codi_geo.access.pinning import PinRefusedError
    from codi_geo.results.community_pins import CommunityPins
    from tests.test_community_pins import _jpeg

    flood, _ = _send(store, "pin-photo1", note=NOTE_WORD, photo=_jpeg())
    vulnerable, _ = _send(store, "pin-photo2", kind="vulnerable", photo=_jpeg(), client="10.0.0.2")
    waiting, _ = _send(store, "pin-photo3", photo=_jpeg(), client="10.0.0.3")
    batch = pinning.decide(EDITOR_SOUTH, store, [flood.id, vulnerable.id], "approved", now=NOW)
    tambon, year = flood.tambon_code, 2570  # NOW (2026-11-20) is in fiscal year 2570
    assert pin_photos.public_photos(store, tambon, year) == []  # internal until marked
    with pytest.raises(PinRefusedError, match="outside"):
        pin_photos.set_photo_public(EDITOR_NE, store, flood.id, True)
    for pin in (flood, vulnerable, waiting):
        pin_photos.set_photo_public(EDITOR_SOUTH, store, pin.id, True)
    marks = [e for e in store.audit_events() if "photo public" in e.detail]
    assert [e.who for e in marks] == ["somsak"] * 3
    # one photo: approved and not of vulnerable people; the pending pin's neither
    assert pin_photos.public_photos(store, tambon, year) == [CommunityPins(store).photo(flood.id)]
    assert pin_photos.public_photos(store, tambon, year - 1) == []
    pin_photos.set_photo_public(EDITOR_SOUTH, store, flood.id, False)
    assert pin_photos.public_photos(store, tambon, year) == []
    pin_photos.set_photo_public(EDITOR_SOUTH, store, flood.id, True)
    store.undo(batch, "admin")  # its rows no longer count: its photo is not shown either
    assert pin_photos.public_photos(store, tambon, year) == []


def test_the_public_disasters_page_shows_a_public_photo_in_the_tambons_details(
    tmp_path: Path, boundary_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from codi_geo.access import pin_photos
    from codi_geo.results.store import open_store
    from tests.helpers import page_texts, point_app_at_store, run_page
    from tests.test_community_pins import _jpeg

    url = point_app_at_store(monkeypatch, tmp_path, boundary_cache, CODI_GEO_MODE="public")
    monkeypatch.setenv("CODI_GEO_SESSION_SECRET", "s" * 40)
    opened = open_store(url)
    try:
        flood, _ = _send(opened, "pin-photo9", note=NOTE_WORD, photo=_jpeg())
        pinning.decide(EDITOR_SOUTH, opened, [flood.id], "approved", now=NOW)
    finally:
        opened.close()
    tambon = flood.tambon_code
    at = run_page("disasters", fy="2570", area=tambon)
    assert not at.exception, at.exception
    assert at.get("dataframe") and not at.get("image")  # the details shown; no photo yet
    opened = open_store(url)
    try:
        pin_photos.set_photo_public(EDITOR_SOUTH, opened, flood.id, True)
    finally:
        opened.close()
    from codi_geo.ui import pin_photos as photo_panel

    photo_panel._photos.clear()
    at = run_page("disasters", fy="2570", area=tambon)
    assert not at.exception, at.exception
    assert len(at.get("image")) == 1
    text = page_texts(at)
    assert "ภาพจากชุมชน" in text and NOTE_WORD not in text and "nok" not in text
