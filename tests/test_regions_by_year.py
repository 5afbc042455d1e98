"""CODI's regions by fiscal year: each period's regional figures are drawn on that period's
regions, and rows and region filters use the table of the period shown."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import shapely

from codi_geo.maps import areas, base, pagemaps, shapes
from codi_geo.maps.viewstate import ViewState, normalise
from codi_geo.places import gazetteer
from codi_geo.results.records import area_codes

DATA_DIR = Path(__file__).resolve().parents[1] / "data" / "programmes"
# Provinces CODI grouped differently in FY2560 (001:244, 001:288) and in FY2569 (000:283, 290).
MOVED = {
    "60": ("central_west", "north"),
    "61": ("central_west", "north"),
    "73": ("central_west", "bangkok_east"),
}


def test_stored_rows_take_the_region_of_their_fiscal_year() -> None:
    for code, (fy2560, fy2569) in MOVED.items():
        assert area_codes("province", code, 2560)["region"] == fy2560
        assert area_codes("province", code, 2569)["region"] == fy2569
        assert area_codes("tambon", code + "0101", 2560)["region"] == fy2560
    assert area_codes("province", "60")["region"] == "north"  # no year: today's table


def test_the_store_groups_fy2560_rows_by_fy2560_regions(tmp_path: Path) -> None:
    from codi_geo.results.shipped import load_shipped
    from codi_geo.results.store import open_store

    folder = tmp_path / "programmes"
    folder.mkdir()
    shutil.copy(DATA_DIR / "model_tambon.csv", folder)
    store = open_store(f"sqlite:///{tmp_path / 'store.sqlite'}")
    assert [load.status for load in load_shipped(store, folder)] == ["loaded"]
    rows = store.results("model_tambon")
    nakhon_sawan = rows[(rows["fiscal_year"] == 2560) & (rows["province_code"] == "60")]
    assert not nakhon_sawan.empty  # the 6 tambons of 001:244
    assert set(nakhon_sawan["region"]) == {"central_west"}


def _region_rows(fiscal_year: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "programme": ["model_tambon"] * 2,
            "fiscal_year": [fiscal_year] * 2,
            "quarter": [2, 2],
            "level": ["region", "region"],
            "code": ["north", "central_west"],
            "category": ["plan_done", "plan_done"],
            "name": [None, None],
            "tambons": [28.0, 15.0],
            "region": ["north", "central_west"],
            "province_code": [None, None],
            "district_code": [None, None],
            "tambon_code": [None, None],
        }
    )


def test_fy2560_region_figures_are_drawn_on_fy2560_regions(boundary_cache: Path) -> None:
    layer = pagemaps.model_tambons(
        _region_rows(2560), ViewState(fiscal_year=2560), "th", "plan_done"
    )
    assert layer is not None and layer.kind == "region_counts"
    assert layer.extent.fiscal_year == 2560
    then = shapes.region_frame("low", boundary_cache, layer.extent.fiscal_year).set_index("code")
    now = shapes.region_frame("low", boundary_cache).set_index("code")
    provinces = base.load_layer("province", "low", boundary_cache).set_index("code")
    for code, (fy2560, fy2569) in MOVED.items():
        inside = provinces.geometry[code].representative_point()
        assert shapely.contains(then.geometry[fy2560], inside), code
        assert not shapely.contains(then.geometry[fy2569], inside), code
        assert shapely.contains(now.geometry[fy2569], inside), code
    # The drawn map carries the FY2560 polygons, not today's.
    assert shapes.region_level(2560) == "region@2560" and shapes.region_level(2569) == "region"
    options = base.MapOptions(cache_dir=boundary_cache)
    fy2560_map = (
        areas.region_count_map({"north": 28.0}, "t", options, fiscal_year=2560).get_root().render()
    )
    today_map = areas.region_count_map({"north": 28.0}, "t", options).get_root().render()
    assert fy2560_map != today_map
    # FY2569 figures stay on the FY2569 regions.
    assert (
        pagemaps.model_tambons(
            _region_rows(2569), ViewState(fiscal_year=2569), "th", "plan_done"
        ).extent.fiscal_year
        == 2569
    )


def test_the_region_filter_uses_the_table_of_the_period(boundary_cache: Path) -> None:
    north_2560 = base.boundaries("province", "low", boundary_cache, "north", 2560)
    north_now = base.boundaries("province", "low", boundary_cache, "north")
    assert len(north_2560) == 15 and len(north_now) == 17
    assert not {"60", "61"} & set(north_2560["code"])
    # A province keeps the region of the year shown.
    assert normalise(ViewState(fiscal_year=2560, province="73")).region == "central_west"
    assert normalise(ViewState(fiscal_year=2569, province="73")).region == "bangkok_east"
    assert gazetteer.province_regions(2560)["22"] == gazetteer.province_regions()["22"]


def test_public_point_rows_take_the_region_of_their_fiscal_year() -> None:
    """Pins counted per tambon for a public page carry the same area columns as stored rows."""
    from codi_geo.access import public
    from codi_geo.programmes import get_programme

    pins = pd.DataFrame(
        {
            "programme": ["disaster"] * 2,
            "fiscal_year": [2560, 2569],
            "quarter": [2, 2],
            "level": ["point"] * 2,
            "code": ["600101"] * 2,
            "category": [None, None],
            "visibility": ["public"] * 2,
            "is_demo": [False, False],
            "households": [3.0, 4.0],
            "latitude": [15.7, 15.7],
            "longitude": [100.1, 100.1],
        }
    )
    out = public.public_rows(pins, get_programme("disaster")).set_index("fiscal_year")
    assert out.loc[2560, "region"] == MOVED["60"][0]
    assert out.loc[2569, "region"] == MOVED["60"][1]
    for year in (2560, 2569):
        stored = area_codes("tambon", "600101", year)
        assert {k: out.loc[year, k] for k in stored} == stored
