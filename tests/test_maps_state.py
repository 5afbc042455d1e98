"""The view state in URL query parameters, and the page computations on result rows."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from codi_geo import thai
from codi_geo.maps import figures, viewstate
from codi_geo.maps.viewstate import ViewState


def test_round_trip_through_query_params() -> None:
    state = ViewState(
        fiscal_year=2568,
        quarter=2,
        region="northeast",
        province="30",
        district="3001",
        area="300101",
        lang="en",
        basemap="osm",
        level="tambon",
        metric="baan_mankong_urban:households",
        disaster_mode="heat",
    )
    params = viewstate.to_query_params(state, default_fy=2569)
    assert params == {
        "fy": "2568",
        "q": "2",
        "district": "3001",
        "area": "300101",
        "lang": "en",
        "basemap": "osm",
        "level": "tambon",
        "metric": "baan_mankong_urban:households",
        "layer": "heat",
    }
    assert viewstate.from_query_params(params, default_fy=2569) == state


def test_presentation_mode_is_in_the_shared_link() -> None:
    state = ViewState(fiscal_year=2569, region="northeast", province="30", present=True)
    params = viewstate.to_query_params(state, default_fy=2569)
    assert params == {"province": "30", "present": "1"}
    assert viewstate.from_query_params(params, default_fy=2569) == state
    for junk in ("0", "no", "", "<x>"):
        assert not viewstate.from_query_params({"present": junk}).present


def test_defaults_stay_out_of_the_url() -> None:
    assert viewstate.to_query_params(ViewState(fiscal_year=2569), default_fy=2569) == {}
    assert viewstate.from_query_params({}, default_fy=2569) == ViewState(fiscal_year=2569)


@pytest.mark.parametrize(
    "params",
    [
        {"fy": "abc", "q": "5"},
        {"province": "99", "district": "12"},
        {"region": "atlantis", "area": "<script>"},
        {"lang": "fr", "basemap": "http://evil.example/{z}"},
        {"metric": "x" * 200, "layer": "a b", "level": "country"},
        {"fy": ["2568", "2567"]},
    ],
)
def test_junk_is_ignored(params) -> None:
    state = viewstate.from_query_params(params, default_fy=2569)
    assert state.lang in ("th", "en") and state.basemap in viewstate.BASEMAPS
    assert state.province is None and state.district is None and state.region is None
    assert state.metric is None and state.disaster_mode is None and state.level is None
    assert state.quarter is None
    assert state.fiscal_year in (2569, 2568)


def test_hierarchy_is_made_consistent() -> None:
    # a district implies its province and the province's CODI region
    state = viewstate.from_query_params({"district": "3001", "region": "south"})
    assert (state.province, state.region, state.scope) == ("30", "northeast", "district")
    # a selected area outside the view is dropped
    state = viewstate.from_query_params({"province": "30", "area": "500101"})
    assert state.area is None
    state = viewstate.from_query_params({"region": "south", "area": "30"})
    assert state.area is None


def test_drill_down_and_up() -> None:
    start = ViewState(fiscal_year=2569)
    province = viewstate.drill_down(start, "30")
    assert (province.region, province.province, province.area) == ("northeast", "30", "30")
    district = viewstate.drill_down(province, "3001")
    assert district.scope == "district" and district.area == "3001"
    tambon = viewstate.drill_down(district, "300101")
    assert tambon.district == "3001" and tambon.area == "300101"
    region = viewstate.drill_down(start, "south")
    assert region.scope == "region" and region.region == "south"
    assert viewstate.drill_up(district).scope == "province"
    assert viewstate.drill_up(province).scope == "region"
    assert viewstate.drill_up(region).scope == "national"
    with pytest.raises(ValueError):
        viewstate.drill_down(start, "abc")


def test_breadcrumbs() -> None:
    state = viewstate.from_query_params({"district": "3001"})
    labels = [label for label, _ in viewstate.breadcrumbs(state, "th")]
    assert labels == ["ทั้งประเทศ", "ภาคตะวันออกเฉียงเหนือ", "นครราชสีมา", "เมืองนครราชสีมา"]
    assert viewstate.breadcrumbs(state, "en")[2][0] == "Nakhon Ratchasima"


def test_fiscal_year_and_quarter_of_a_date() -> None:
    assert thai.fiscal_year_of(date(2025, 10, 1)) == 2569
    assert thai.fiscal_year_of(date(2026, 9, 30)) == 2569
    assert thai.quarter_of(date(2025, 10, 1)) == 1
    assert thai.quarter_of(date(2026, 1, 15)) == 2
    assert thai.quarter_of(date(2026, 9, 30)) == 4
    assert viewstate.default_fiscal_year([2560, 2569]) == 2569
    assert viewstate.default_fiscal_year([], date(2026, 11, 1)) == 2570


# ---------------------------------------------------------------------------------------
# Page computations
# ---------------------------------------------------------------------------------------


def _rows() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "programme": ["temporary_housing", "temporary_housing", "temporary_housing", "other"],
            "fiscal_year": [2569, 2569, 2568, 2569],
            "quarter": [1, None, 2, 2],
            "level": ["province", "region", "province", "tambon"],
            "code": ["30", "north", "30", "300101"],
            "category": ["fire", None, "flood", "new"],
            "region": ["northeast", "north", "northeast", "northeast"],
            "province_code": ["30", None, "30", "30"],
            "district_code": [None, None, None, "3001"],
            "tambon_code": [None, None, None, "300101"],
            "households": [10.0, 5.0, 7.0, None],
            "latitude": [None, None, None, 14.9],
            "longitude": [None, None, None, 102.1],
        }
    )


def test_filter_period_keeps_plans_with_the_quarter() -> None:
    rows = _rows()
    assert len(figures.filter_period(rows, 2569, None)) == 3
    assert figures.filter_period(rows, 2569, 1)["code"].tolist() == ["30", "north"]
    assert figures.filter_period(rows.iloc[0:0], 2569, 1).empty


def test_a_filter_that_keeps_every_row_gives_the_rows_themselves() -> None:
    # a session keeps its view's rows until it next runs: a filter that cuts nothing must
    # not make it a copy of the shared, cached frame
    rows = _rows()
    year = figures.filter_period(rows, 2569, None)
    assert len(year) == 3 and year is not rows
    assert figures.filter_period(year, 2569, None) is year
    assert figures.within(rows, "northeast") is not rows
    northeast = figures.within(rows, "northeast")
    assert figures.within(northeast, "northeast") is northeast
    assert figures.in_categories(rows, ["fire", "flood", "new"]) is rows
    # a missing year is not the year: that row goes, as ``rows[mask]`` drops it
    nullable = rows.astype({"fiscal_year": "Int64"})
    nullable.loc[3, "fiscal_year"] = pd.NA
    assert len(figures.filter_period(nullable.iloc[[1, 3]], 2569, None)) == 1


def test_in_categories_keeps_rows_without_a_category() -> None:
    rows = _rows()
    assert figures.in_categories(rows, ["fire"])["code"].tolist() == ["30", "north"]
    assert figures.in_categories(rows, [])["code"].tolist() == ["north"]
    no_categories = rows.drop(columns="category")
    assert figures.in_categories(no_categories, ["fire"]) is no_categories


def test_within_an_area() -> None:
    rows = _rows()
    assert len(figures.within(rows, "northeast")) == 3
    assert figures.within(rows, "3001")["code"].tolist() == ["300101"]
    assert len(figures.within(rows, None)) == 4


def test_progress_takes_the_latest_report_and_leaves_no_target_empty() -> None:
    indicators = pd.DataFrame(
        {
            "fiscal_year": [2569, 2569, 2569],
            "quarter": [1, 2, 2],
            "indicator_id": ["a", "a", "b"],
            "programme": ["p", "p", None],
            "name_th": ["ก", "ก", "ข"],
            "unit_th": ["ตำบล", "ตำบล", "ร้อยละ"],
            "target": [100.0, 100.0, None],
            "result": [20.0, 45.0, 3.0],
            "level": ["national"] * 3,
            "code": [None] * 3,
            "source_doc": ["d", "d", "d"],
            "source_line": ["1", "2", "3"],
        }
    )
    table = figures.progress(indicators, 2569, None)
    assert table["indicator_id"].tolist() == ["a", "b"]
    assert table["share"].iloc[0] == pytest.approx(0.45)
    assert pd.isna(table["share"].iloc[1])
    assert figures.progress(indicators, 2569, 1)["result"].tolist() == [20.0]
    assert figures.progress(indicators.iloc[0:0], 2569, None).empty


def test_region_summary_and_counts() -> None:
    rows = _rows()
    summary = figures.region_summary(rows, "households")
    assert summary["northeast"] == 17.0
    assert pd.isna(summary["north"])  # region-level rows are not added up
    assert pd.isna(summary["south"])
    assert figures.region_counts(rows, None, "households") == {"north": 5.0}


def test_category_by_area_prefers_the_first_listed() -> None:
    rows = pd.DataFrame(
        {"level": ["tambon"] * 3, "code": ["1", "1", "2"], "category": ["new", "met_all", "bogus"]}
    )
    found = figures.category_by_area(rows, "tambon", ["met_all", "new"])
    assert found.to_dict() == {"1": "met_all"}


def test_area_details_and_unmatched() -> None:
    rows = _rows()
    rows.loc[len(rows)] = {
        **rows.iloc[3].to_dict(),
        "code": None,
        "tambon_code": None,
        "level": "point",
    }
    details = figures.area_details(rows, "30", "en")
    housing = details[details["programme"] == "Temporary housing"]
    assert housing[["metric", "value", "rows"]].values.tolist() == [["Households", 17.0, 2]]
    assert figures.area_details(rows, "10", "th").empty
    assert len(figures.unmatched(rows)) == 1
    assert len(figures.points(rows)) == 2
