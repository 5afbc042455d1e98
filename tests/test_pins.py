"""Pinpoints at scale: 20,000 synthetic pins (``synthetic/pins.py``, seeded) in a real
SQLite store, counted per grid cell by the store; the map never gets one marker per pin,
the counts add up to the stored rows, and a view of one tambon shows its own pins."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import synthetic.pins
from codi_geo import settings
from tests.helpers import (
    BACKENDS,
    empty_database,
    map_args,
    pin_layer_data,
    run_store_page,
)

PINS = 20_000
THAILAND = (5.0, 97.0, 21.0, 106.0)


@pytest.fixture(scope="module")
def pin_store(boundary_cache, tmp_path_factory):
    """A SQLite store with 20,000 pins of FY2569 (5% without coordinates)."""
    from codi_geo.results.store import open_store

    folder = tmp_path_factory.mktemp("pins")
    url = f"sqlite:///{folder / 'store.sqlite'}"
    assert synthetic.pins.fill(url, PINS, (2569,), cache_dir=boundary_cache) == PINS
    store = open_store(url)
    yield store, url, folder
    store.close()


@pytest.fixture()
def engine(pin_store, boundary_cache, monkeypatch):
    monkeypatch.setenv("CODI_GEO_BOUNDARY_DIR", str(boundary_cache))
    settings.clear()
    return pin_store[0].engine


def _everything():
    from codi_geo.results.points import PinFilter

    return PinFilter("disaster", 2569)


def _stored(store) -> pd.DataFrame:
    return store.results("disaster", fiscal_year=2569)


def test_national_view_is_counted_per_cell_and_adds_up(pin_store, engine) -> None:
    from codi_geo.maps import pins
    from codi_geo.programmes import get_programme

    stored = _stored(pin_store[0])
    view = pins.pin_view(engine, _everything(), THAILAND, 6)
    assert view.mode == "cells"
    # Every stored row has a place (its coordinates or its tambon): all are counted once.
    assert view.unplaceable == 0
    assert view.total == len(stored) == PINS
    assert view.in_view == view.shown == PINS
    cells = view.cells
    kinds = cells[[c for c in cells.columns if c.startswith("k:")]]
    assert (kinds.sum(axis=1) == cells["n"]).all()
    per_kind = stored["category"].value_counts()
    assert {k[2:]: int(v) for k, v in kinds.sum().items()} == per_kind.to_dict()
    # A few dozen bubbles, not 20,000 markers, and a small payload.
    layer = pins.pin_layer(view, get_programme("disaster"))
    assert 10 < layer.feature_count < 400
    assert len(layer.payload.encode()) < 60_000


def test_a_region_view_counts_whole_cells(pin_store, engine) -> None:
    """The view is grown to whole cells: a cell's count is the same whatever part of it the
    view shows, and equals counting the stored rows of that cell."""
    from codi_geo.maps import pins
    from codi_geo.results import points

    size = points.cell_size(8)
    narrow = pins.pin_view(engine, _everything(), (13.71, 100.41, 14.23, 100.97), 8, limit=0)
    wide = pins.pin_view(engine, _everything(), (13.0, 99.5, 15.0, 101.5), 8, limit=0)
    assert narrow.mode == wide.mode == "cells"
    merged = narrow.cells.merge(wide.cells, on=["gx", "gy"], suffixes=("", "_wide"))
    assert len(merged) == len(narrow.cells)
    assert (merged["n"] == merged["n_wide"]).all()
    stored = _stored(pin_store[0])
    located = stored.dropna(subset=["latitude"])
    gx = ((located["longitude"] + 180) // size).astype(int)
    gy = ((located["latitude"] + 90) // size).astype(int)
    cell = narrow.cells.sort_values("n").iloc[-1]
    in_cell = located[(gx == cell["gx"]).to_numpy() & (gy == cell["gy"]).to_numpy()]
    # Rows without coordinates sit at their tambon's point: count those of the cell too.
    placed = pins._placed_unplaced(engine, _everything(), None)[0]
    pgx = ((placed["longitude"] + 180) // size).astype(int)
    pgy = ((placed["latitude"] + 90) // size).astype(int)
    extra = placed[(pgx == cell["gx"]).to_numpy() & (pgy == cell["gy"]).to_numpy()]["n"].sum()
    assert cell["n"] == len(in_cell) + extra


def test_one_tambon_shows_its_own_pins(pin_store, engine, boundary_cache) -> None:
    from codi_geo.maps import pins
    from codi_geo.maps.base import Extent
    from codi_geo.places import gazetteer
    from codi_geo.programmes import get_programme

    stored = _stored(pin_store[0])
    tambon = stored["code"].value_counts().index[0]
    bounds = pins.focus_bounds(Extent("district", tambon[:4], "tambon"), tambon, boundary_cache)
    view = pins.pin_view(engine, _everything(), pins.bbox_of(bounds), 12)
    assert view.mode == "pins"
    own = stored[stored["code"] == tambon]
    assert set(own["id"]) <= set(view.pins["id"])
    assert len(view.pins) == view.in_view <= 2000
    # rows without coordinates are drawn at their tambon's point, marked approximate
    unplaced = own[own["latitude"].isna()]
    drawn = view.pins.set_index("id")
    assert drawn.loc[list(unplaced["id"]), "approx"].all()
    layer = pins.pin_layer(view, get_programme("disaster"))
    name = gazetteer.full_name(tambon, "th")
    assert name in layer.data["P"]
    assert layer.data["N"][layer.data["P"].index(name)] == tambon
    assert layer.data["d"] == [int(v) for v in view.pins["id"]]


def test_filters_match_the_stored_rows(pin_store, engine) -> None:
    from codi_geo.results import points

    stored = _stored(pin_store[0])
    province = stored["province_code"].value_counts().index[0]
    chosen = points.PinFilter(
        "disaster", 2569, quarter=2, categories=("flood", "storm"), within=province
    )
    expected = stored[
        (stored["quarter"] == 2)
        & stored["category"].isin(["flood", "storm"])
        & (stored["province_code"] == province)
    ]
    total, _ = points.count_located(engine, chosen)
    unplaced = points.unplaced_counts(engine, chosen)["n"].sum()
    assert total + unplaced == len(expected)
    by_code = points.counts_by_code(engine, chosen)
    assert by_code.sum() == len(expected)
    assert by_code.to_dict() == expected["tambon_code"].value_counts().to_dict()
    region = stored["region"].value_counts().index[0]
    in_region = points.PinFilter("disaster", 2569, within=region)
    assert points.counts_by_code(engine, in_region).sum() == (stored["region"] == region).sum()
    nothing = points.PinFilter("disaster", 2569, categories=())
    assert points.count_located(engine, nothing) == (0, 0)


def test_details_load_by_id_only_within_the_filter(pin_store, engine) -> None:
    from codi_geo.maps import pins
    from codi_geo.programmes import get_programme
    from codi_geo.results import points

    stored = _stored(pin_store[0])
    row = stored.iloc[7]
    found = points.pin_detail(engine, _everything(), int(row["id"]))
    assert found["name"] == row["name"] and found["code"] == row["code"]
    html = pins.pin_detail_html(found, get_programme("disaster"), "th")
    assert row["name"] in html
    other = points.PinFilter("disaster", 2568)
    assert points.pin_detail(engine, other, int(row["id"])) is None


def test_heat_is_counted_per_fine_cell(pin_store, engine) -> None:
    from codi_geo.maps import pins
    from codi_geo.programmes import get_programme

    view = pins.pin_view(engine, _everything(), THAILAND, 6, heat=True)
    assert view.mode == "heat" and view.shown == PINS
    layer = pins.pin_layer(view, get_programme("disaster"))
    assert sum(layer.data["n"]) == PINS
    assert layer.feature_count < 3000
    assert layer.default_js and layer.default_js[-1][1].endswith("leaflet.heat/leaflet-heat.js")


@pytest.mark.parametrize("backend", BACKENDS)
def test_grid_is_the_same_on_sqlite_and_postgresql(backend, boundary_cache, tmp_path) -> None:
    """Cell indices are floors on both databases (PostgreSQL rounds a cast to integer)."""
    from codi_geo.results import points
    from codi_geo.results.store import open_store

    with empty_database(backend, tmp_path) as url:
        synthetic.pins.fill(url, 1500, (2569,), seed=3, cache_dir=boundary_cache)
        store = open_store(url)
        try:
            size = points.cell_size(9)
            found = points.cells([points.grid_counts(store.engine, _everything(), size)])
            located = _stored(store).dropna(subset=["latitude"])
        finally:
            store.close()
    expected = located.groupby(
        [
            ((located["longitude"] + 180) // size).astype(int),
            ((located["latitude"] + 90) // size).astype(int),
        ]
    ).size()
    got = found.set_index(["gx", "gy"])["n"]
    assert got.to_dict() == {k: int(v) for k, v in expected.items()}


# -- the disasters page under AppTest -------------------------------------------------------


def _page(pin_store, boundary_cache, monkeypatch, **params: str) -> AppTest:
    # The internal disasters page: an app without sign-in fails closed to the public pages
    # (counts only), so these run with the developer shortcut (see conftest's dev_admin).
    _store, url, folder = pin_store
    return run_store_page(
        monkeypatch, boundary_cache, folder, url, "disasters", **{"fy": "2569", **params}
    )


def test_disasters_page_sends_counts_not_markers(
    pin_store, boundary_cache, monkeypatch, dev_admin
) -> None:
    at = _page(pin_store, boundary_cache, monkeypatch, layer="points")
    args = map_args(at)
    sent = len(json.dumps(args).encode())
    assert sent < 400_000, sent
    data = pin_layer_data(args)
    assert data["m"] == "cells" and len(data["y"]) < 400
    # the bubbles stand for every stored pin (shipped disaster rows of the year as well)
    from codi_geo.results.store import open_store

    store = open_store(pin_store[1])
    try:
        stored = len(store.results("disaster", fiscal_year=2569))
    finally:
        store.close()
    assert sum(data["n"]) == stored
    caption = " ".join(c.value for c in at.caption)
    assert f"{stored:,}" in caption


def test_disasters_page_on_one_tambon_shows_its_pins(
    pin_store, boundary_cache, monkeypatch, dev_admin
) -> None:
    from codi_geo.places import gazetteer

    stored = _stored(pin_store[0])
    tambon = stored["code"].value_counts().index[0]
    at = _page(
        pin_store,
        boundary_cache,
        monkeypatch,
        layer="points",
        province=tambon[:2],
        district=tambon[:4],
        area=tambon,
    )
    data = pin_layer_data(map_args(at))
    assert data["m"] == "pins"
    assert set(stored.loc[stored["code"] == tambon, "id"]) <= set(data["d"])
    assert gazetteer.full_name(tambon, "th") in data["P"]


def test_heat_view_page(pin_store, boundary_cache, monkeypatch, dev_admin) -> None:
    at = _page(pin_store, boundary_cache, monkeypatch, layer="heat")
    data = pin_layer_data(map_args(at))
    assert data["m"] == "heat" and len(data["y"]) < 3000
