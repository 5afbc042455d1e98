"""Map pages at scale: one fiscal year of the scale data (``synthetic/scale.py``, seeded: about
3,000 model tambons and 3,000 named housing projects) in a real SQLite store.

Housing: the store counts the projects with a place of their own (a name or coordinates),
never an area's total; the page sends numbered cells over its shaded areas, not one marker per
project, and a tambon's own pins when few. Model tambons: nationally the provinces shaded by
how many tambons of a cohort each has; drilled into a province, its tambons by cohort."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from codi_geo import settings
from synthetic import scale
from tests.helpers import map_args, pin_layer_data, run_store_page

PROJECTS = 3000
PROGRAMME = scale.HOUSING_PROGRAMME
THAILAND = (5.0, 97.0, 21.0, 106.0)


@pytest.fixture(scope="module")
def housing_store(boundary_cache, tmp_path_factory):
    """One fiscal year of the scale data with 3,000 housing projects, one area total without
    a name, and one named project of the whole year (no quarter)."""
    from codi_geo.results.records import ResultRow
    from codi_geo.results.store import open_store

    folder = tmp_path_factory.mktemp("housing_pins")
    url = f"sqlite:///{folder / 'store.sqlite'}"
    counts = scale.load_store(
        url, 0, year_count=1, boundary_dir=boundary_cache, log=lambda _m: None,
        housing_count=PROJECTS,
    )  # fmt: skip
    assert counts[PROGRAMME] > PROJECTS * 0.95  # a few fall into the sea
    fiscal_year = scale.years(1)[0]
    store = open_store(url)
    extra = [
        ResultRow(PROGRAMME, fiscal_year, 2, "district", "1005", {"households": 999.0}),
        ResultRow(
            PROGRAMME, fiscal_year, None, "district", "1005", {"households": 7.0},
            name="ชุมชนทั้งปี", visibility="public",
        ),
    ]  # fmt: skip
    store.store_results(scale._meta(PROGRAMME, "extra.csv", len(extra)), extra)
    yield store, url, folder, fiscal_year
    store.close()


@pytest.fixture()
def engine(housing_store, boundary_cache, monkeypatch):
    monkeypatch.setenv("CODI_GEO_BOUNDARY_DIR", str(boundary_cache))
    settings.clear()
    return housing_store[0].engine


def _stored(housing_store) -> pd.DataFrame:
    store, _url, _folder, fiscal_year = housing_store
    return store.results(PROGRAMME, fiscal_year=fiscal_year)


def _places(rows: pd.DataFrame) -> pd.DataFrame:
    """The page's own rule in pandas: rows with a name or coordinates."""
    return rows[rows["name"].notna() | rows["latitude"].notna()]


def test_the_store_counts_places_not_area_totals(housing_store, engine) -> None:
    from codi_geo.maps import pins
    from codi_geo.results.points import PinFilter

    stored = _stored(housing_store)
    fiscal_year = housing_store[3]
    places = _places(stored)
    assert 0 < len(places) < len(stored)  # the area total is no place
    view = pins.pin_view(engine, PinFilter(PROGRAMME, fiscal_year, places_only=True), THAILAND, 6)
    assert view.mode == "cells" and view.unplaceable == 0
    assert view.total == len(places) and int(view.cells["n"].sum()) == len(places)
    assert len(view.cells) < 400
    # every row, area totals too, without the rule
    everything = pins.pin_view(engine, PinFilter(PROGRAMME, fiscal_year), THAILAND, 6)
    assert everything.total == len(stored)


def test_a_quarter_keeps_whole_year_rows_as_the_pages_do(housing_store, engine) -> None:
    from codi_geo.maps import figures, pins
    from codi_geo.results.points import PinFilter

    stored = _stored(housing_store)
    fiscal_year = housing_store[3]
    quarter = _places(figures.filter_period(stored, fiscal_year, 2))
    assert quarter["quarter"].isna().sum() == 1
    view = pins.pin_view(
        engine, PinFilter(PROGRAMME, fiscal_year, 2, places_only=True), THAILAND, 6
    )
    assert view.total == len(quarter)
    # one district: few enough to pin, the whole-year community among them
    district = PinFilter(PROGRAMME, fiscal_year, 2, within="1005", places_only=True)
    close = pins.pin_view(engine, district, (13.7, 100.4, 13.95, 100.7), 12)
    assert close.mode == "pins"
    ids = set(quarter.loc[quarter["district_code"] == "1005", "id"])
    assert ids and set(close.pins["id"]) == ids


def test_pins_without_categories_read_as_the_programmes_places() -> None:
    from codi_geo.maps import pins
    from codi_geo.maps.markers import point_styles
    from codi_geo.programmes import get_programme
    from codi_geo.results.points import PinFilter
    from codi_geo.text import t

    housing = get_programme(PROGRAMME)
    items = pins.pin_legend_items(housing, "en")
    assert items == [(t("pin_place", "en"), point_styles(housing)[0])]
    disaster = get_programme("disaster")
    labels = [label for label, _ in pins.pin_legend_items(disaster, "th")]
    assert labels == [c.name.get("th") for c in disaster.categories]
    frame = pd.DataFrame(
        {
            "id": [1, 2],
            "latitude": [13.8, 13.81],
            "longitude": [100.5, 100.51],
            "category": [None, None],
            "code": ["100501", None],
            "approx": [False, True],
        }
    )
    view = pins.PinView("pins", THAILAND, 12, 2, 2, 0, pins=frame)
    data = pins.pin_layer(view, housing, "en").data
    assert data["K"][0] == t("pin_place", "en") and data["k"] == [0, 0]
    assert pins.pin_layer(view, disaster, "en").data["K"][0] == t("no_data", "en")
    assert PinFilter(PROGRAMME).places_only is False  # other pages count every row


def test_a_counted_housing_map_has_no_markers_and_says_what_the_pins_mean(housing_store) -> None:
    from codi_geo.maps import pagemaps
    from codi_geo.maps.layers import PointLayer
    from codi_geo.maps.viewstate import ViewState
    from codi_geo.programmes import get_programme
    from codi_geo.text import t

    stored = _stored(housing_store)
    state = ViewState(fiscal_year=housing_store[3])
    programme = get_programme(PROGRAMME)
    counted = pagemaps.housing(stored, state, programme, "households", "province", "th", True)
    assert counted.counted_pins and not pagemaps.pins_drawn(counted)
    # nothing pinned for a session to keep; a slide pins every place when it is made
    assert counted.points is None
    slide_pins = pagemaps.page_pins(counted)
    assert slide_pins is not None and len(slide_pins) == len(_places(stored))
    html = pagemaps.draw(counted, "th").get_root().render()
    layers = [c for c in _walk(pagemaps.draw(counted, "th")) if isinstance(c, PointLayer)]
    assert layers == []  # the pins come as the page's own layer, counted
    assert t("pins_on_map", "th") in html and t("pin_place", "th") in html
    assert t("cells_note", "th") in html and ".codi-cell" in html
    few = pagemaps.housing(stored.head(5), state, programme, "households", "province", "th")
    assert pagemaps.pins_drawn(few) and not few.counted_pins  # a public frame, few rows


def _walk(element):
    yield element
    for child in getattr(element, "_children", {}).values():
        yield from _walk(child)


# -- the housing page under AppTest ---------------------------------------------------------


def _page(
    housing_store, boundary_cache, monkeypatch, page: str = "housing", **params: str
) -> AppTest:
    _store, url, folder, fiscal_year = housing_store
    return run_store_page(
        monkeypatch, boundary_cache, folder, url, page, **{"fy": str(fiscal_year), **params}
    )


def test_housing_page_sends_counts_not_one_marker_per_project(
    housing_store, boundary_cache, monkeypatch, dev_admin
) -> None:
    from codi_geo.maps import figures

    at = _page(housing_store, boundary_cache, monkeypatch, metric=PROGRAMME)
    args = map_args(at)
    sent = len(json.dumps(args).encode())
    assert sent < 600_000, sent
    data = pin_layer_data(args)
    places = _places(figures.filter_period(_stored(housing_store), housing_store[3], None))
    assert data["m"] == "cells" and len(data["y"]) < 400
    assert sum(data["n"]) == len(places)  # the bubbles stand for every project
    # no project's name travels with the national map (names come on a click)
    assert not [n for n in places["name"].unique()[:50] if n in json.dumps(args)]
    caption = " ".join(c.value for c in at.caption)
    assert f"{len(places):,}" in caption


def test_housing_page_on_one_tambon_shows_its_projects(
    housing_store, boundary_cache, monkeypatch, dev_admin
) -> None:
    stored = _places(_stored(housing_store))
    tambon = stored["tambon_code"].value_counts().index[0]
    at = _page(
        housing_store,
        boundary_cache,
        monkeypatch,
        metric=PROGRAMME,
        province=tambon[:2],
        district=tambon[:4],
        area=tambon,
    )
    data = pin_layer_data(map_args(at))
    assert data["m"] == "pins"
    # the map opens on the tambon: its projects inside that view (a point may lie just
    # past the simplified outline the view is fitted to), and those pinned inside it
    from codi_geo.maps.pins import opening_view
    from codi_geo.maps.viewstate import ViewState

    view = ViewState(
        fiscal_year=housing_store[3], province=tambon[:2], district=tambon[:4], area=tambon
    )
    (south, west, north, east), _zoom = opening_view(view)
    own = stored[stored["tambon_code"] == tambon]
    seen = own["latitude"].isna() | (
        own["latitude"].between(south, north) & own["longitude"].between(west, east)
    )
    assert seen.sum() >= len(own) * 0.8 and own["latitude"].isna().any()
    assert set(own.loc[seen, "id"]) <= set(data["d"])
    assert len(data["d"]) < 2000 and set(data["d"]) <= set(stored["id"])


def test_model_tambons_page_shades_provinces_then_draws_a_provinces_tambons(
    housing_store, boundary_cache, monkeypatch
) -> None:
    from codi_geo.text import t

    store, _url, _folder, fiscal_year = housing_store
    tambons = store.results("model_tambon", fiscal_year=fiscal_year)
    assert len(tambons) >= 2900
    at = _page(housing_store, boundary_cache, monkeypatch, page="model-tambons")
    args = map_args(at)
    assert len(json.dumps(args).encode()) < 500_000  # 2.23 MB as 3,000 circles
    # no marker or polygon per tambon: no tambon's code is among the features sent
    assert not [c for c in tambons["code"].head(300) if f'"{c}"' in args["script"]]
    assert t("model_tambons_counted_note", "th") in " ".join(c.value for c in at.caption)
    assert [s for s in at.selectbox if s.key == "w_criterion"]  # which cohort is counted
    busiest = tambons["code"].str[:2].value_counts().index[0]
    at = _page(housing_store, boundary_cache, monkeypatch, page="model-tambons", province=busiest)
    own = tambons.loc[tambons["code"].str.startswith(busiest), "code"].nunique()
    caption = t("model_tambons_caption", "th", n=f"{own:,}")
    assert caption in " ".join(c.value for c in at.caption)
