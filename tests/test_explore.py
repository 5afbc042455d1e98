"""Finding a place by name, the period comparison in the URL, the diverging scale
of a change map, figures across periods (change per area, region series, an area's profile,
targets over periods), the change slide, the profile files and the briefing pack."""

from __future__ import annotations

import io
import json
from dataclasses import replace

import pandas as pd
import pytest

from codi_geo.maps import periods, scales, viewstate
from codi_geo.maps.viewstate import ViewState
from codi_geo.places.search import search_places

# --- place search ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, code",
    [
        ("โคราช", "30"),
        ("Korat", "30"),
        ("นครราชสีมา", "30"),
        ("จ.นครราชสีมา", "30"),
        ("เชียงใม่", "50"),  # a typo
        ("กทม", "10"),
        ("Bangkok", "10"),
        ("อ.เมือง จ.ขอนแก่น", "4001"),
        ("หาดใหญ่", "9011"),
    ],
)
def test_search_puts_the_place_first(text, code) -> None:
    found = search_places(text)
    assert found.codes[0] == code
    assert found.matched == code


def test_search_offers_names_that_start_with_the_text() -> None:
    found = search_places("นครราช")  # half a word: the matcher alone finds nothing
    assert found.codes and found.codes[0] == "30" and found.matched is None
    provinces = search_places("จ.นคร")
    assert set(provinces.codes) >= {"30", "80", "48", "26", "73", "60"}
    assert all(len(c) == 2 for c in provinces.codes)


def test_search_says_when_a_name_needs_its_province() -> None:
    found = search_places("อ.เมือง")
    assert found.ambiguous and found.matched is None
    assert len(found.codes) > 1 and all(len(c) == 4 and c.endswith("01") for c in found.codes)


@pytest.mark.parametrize(
    "text", ["", "x", "   ", "=cmd|' /C calc'!A0", "<script>", "1" * 500, "ก" * 1000]
)
def test_search_tolerates_junk(text) -> None:
    found = search_places(text)
    assert len(found.query) <= 120
    assert all(c.isdigit() and len(c) in (2, 4, 6) for c in found.codes)


# --- the view in the URL ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "token, period", [("2568", (2568, None)), ("2569q1", (2569, 1)), ("2569Q4", (2569, 4))]
)
def test_compare_period_round_trips_through_the_url(token, period) -> None:
    state = viewstate.from_query_params({"fy": "2569", "vs": token}, default_fy=2569)
    assert state.compare == period
    params = viewstate.to_query_params(state, default_fy=2569)
    assert params["vs"] == viewstate.period_token(period)
    assert viewstate.from_query_params(params, default_fy=2569) == state


@pytest.mark.parametrize("junk", ["", "abc", "25", "2569q5", "2569q", "99999", "2569q1x"])
def test_bad_compare_period_is_dropped(junk) -> None:
    state = viewstate.from_query_params({"vs": junk}, default_fy=2569)
    assert state.compare is None
    assert "vs" not in viewstate.to_query_params(state, default_fy=2569)


@pytest.mark.parametrize(
    "code, province, district, area",
    [
        ("30", "30", None, "30"),
        ("3001", "30", "3001", "3001"),
        ("300101", "30", "3001", "300101"),
    ],
)
def test_choosing_a_place_opens_it(code, province, district, area) -> None:
    start = ViewState(
        fiscal_year=2569, region="north", level="tambon", metric="x:rows", compare=(2568, None)
    )
    chosen = viewstate.go_to_place(start, code)
    assert (chosen.province, chosen.district, chosen.area) == (province, district, area)
    assert chosen.region == "northeast"  # Nakhon Ratchasima's CODI region, not the old filter
    assert chosen.level is None and chosen.metric == "x:rows" and chosen.compare == (2568, None)
    params = viewstate.to_query_params(chosen, default_fy=2569)
    assert viewstate.from_query_params(params, default_fy=2569) == chosen


# --- the diverging scale -------------------------------------------------------------------------


def test_diverging_classes_rises_and_falls_alike() -> None:
    values = [-120, -40, -3, 0, 2, 40, 120, None, float("nan")]
    scheme = scales.diverging(values)
    keys = [scheme.key_of(v) for v in values]
    assert keys[3] == scales.ZERO_KEY and keys[7] == keys[8] == scales.NO_DATA_KEY
    assert keys[0][0] == "n" and keys[6][0] == "p"
    assert keys[0][1:] == keys[6][1:] and keys[1][1:] == keys[5][1:]  # equal size, equal class
    assert scheme.colour_of(-120) != scheme.colour_of(120)
    assert scheme.colour_of(0) not in scheme.positive + scheme.negative
    assert scheme.colour_of(None) == scales.NO_DATA_COLOUR
    # darker as the change grows, on both sides
    assert scales.lightness(scheme.colour_of(120)) < scales.lightness(scheme.colour_of(2))
    assert scales.lightness(scheme.colour_of(-120)) < scales.lightness(scheme.colour_of(-3))
    labels = [e.label.get("th") for e in scheme.legend()]
    assert labels[0].startswith("\u2212") and labels[-2].startswith("+")
    assert labels[-1] == scales.NO_DATA.th
    assert scales.NO_CHANGE.th in labels


def test_diverging_without_changes_and_with_one_value() -> None:
    assert [e.key for e in scales.diverging([0, 0, None]).legend()] == [
        scales.ZERO_KEY,
        scales.NO_DATA_KEY,
    ]
    one = scales.diverging([5, -5])
    assert one.key_of(5) == "p0" and one.key_of(-5) == "n0"
    with pytest.raises(ValueError):
        scales.diverging([1], n=4)


# --- figures across periods ----------------------------------------------------------------------


def _rows(records) -> pd.DataFrame:
    frame = pd.DataFrame(
        records,
        columns=[
            "programme",
            "fiscal_year",
            "quarter",
            "level",
            "code",
            "province_code",
            "district_code",
            "tambon_code",
            "region",
            "households",
            "category",
        ],
    )
    return frame.astype({"quarter": "Int64"})


ROWS = _rows(
    [
        ("bm", 2569, 2, "district", "3001", "30", "3001", None, "northeast", 150.0, None),
        ("bm", 2569, 2, "district", "1005", "10", "1005", None, "bangkok_east", 300.0, None),
        ("bm", 2568, 2, "district", "3001", "30", "3001", None, "northeast", 180.0, None),
        ("bm", 2568, 2, "district", "4001", "40", "4001", None, "northeast", 60.0, None),
        ("bm", 2568, 1, "district", "4001", "40", "4001", None, "northeast", 5.0, None),
        ("bm", 2560, None, "district", "5001", "50", "5001", None, "north", 10.0, None),
    ]
)


def test_change_counts_a_missing_side_as_zero_and_leaves_out_areas_with_neither() -> None:
    now, then = periods.period_rows(ROWS, (2569, None)), periods.period_rows(ROWS, (2568, None))
    change = periods.change(now, then, "households", "province")
    assert change.to_dict() == {"10": 300.0, "30": -30.0, "40": -65.0}
    quarter = periods.change(now, periods.period_rows(ROWS, (2568, 1)), "households", "district")
    assert quarter.to_dict() == {"1005": 300.0, "3001": 150.0, "4001": -5.0}
    counts = periods.change(now, then, None, "province")
    assert counts.to_dict() == {"10": 1.0, "30": 0.0, "40": -2.0}


def test_stored_periods_and_the_default_comparison() -> None:
    stored = periods.stored_periods(ROWS)
    assert stored == [(2569, None), (2569, 2), (2568, None), (2568, 1), (2568, 2), (2560, None)]
    assert periods.default_compare(stored, (2569, None)) == (2568, None)
    assert periods.default_compare(stored, (2569, 2)) == (2568, 2)
    assert periods.default_compare(stored, (2568, 2)) == (2568, 1)
    assert periods.default_compare(stored, (2560, None)) == (2569, None)  # nothing earlier
    assert periods.default_compare([(2569, None)], (2569, None)) is None


def test_region_series_has_every_region_and_year() -> None:
    series = periods.region_series(ROWS, "households")
    assert list(series.columns) == [2560, 2568, 2569]
    assert series.loc["northeast", 2568] == 245.0 and series.loc["northeast", 2569] == 150.0
    assert pd.isna(series.loc["south", 2569]) and series.loc["north", 2560] == 10.0


def test_area_profile_has_each_year_of_the_area() -> None:
    rows = ROWS.assign(programme="baan_mankong_urban")
    profile = periods.area_profile(rows, "30")
    assert list(profile.columns[4:]) == [2568, 2569]
    assert profile["metric_id"].tolist() == ["households"]
    assert (profile[2568].tolist(), profile[2569].tolist()) == ([180.0], [150.0])
    assert periods.area_profile(rows, "40")[2568].tolist() == [65.0]  # both quarters summed
    assert periods.area_profile(rows, "40", quarter=1)[2568].tolist() == [5.0]
    assert periods.area_profile(rows, "96").empty
    assert periods.area_profile(ROWS, "30").empty  # an undeclared programme is not shown


def test_targets_over_periods_reads_each_period() -> None:
    indicators = pd.DataFrame(
        [
            (2569, 2, "a", "bm", "ก", "หน่วย", 100.0, 50.0, "national", None),
            (2568, 2, "a", "bm", "ก", "หน่วย", 100.0, 80.0, "national", None),
            (2568, 2, "a", "bm", "ก", "หน่วย", 10.0, 8.0, "region", "north"),
            (2569, 2, "b", "other", "ข", "หน่วย", 1.0, 1.0, "national", None),
        ],
        columns=[
            "fiscal_year",
            "quarter",
            "indicator_id",
            "programme",
            "name_th",
            "unit_th",
            "target",
            "result",
            "level",
            "code",
        ],
    )
    table = periods.targets_over_periods(indicators, "bm", [(2569, None), (2568, None)])
    assert table["share"].tolist() == [0.5, 0.8]
    regional = periods.targets_over_periods(indicators, "bm", [(2568, None)], region="north")
    assert sorted(regional["share"].tolist()) == [0.8, 0.8] and len(regional) == 2


# --- the change slide, the profile files ---------------------------------------------------------


def test_change_slide_uses_the_diverging_scale_and_says_what_is_compared() -> None:
    from codi_geo.outputs import briefing
    from codi_geo.programmes import get_programme

    areas = pd.DataFrame(
        {"code": ["10", "30", "40", "50"], "households": [300.0, -30.0, -65.0, None]}
    )
    request = briefing.SlideRequest(
        "baan_mankong_urban",
        2569,
        metric="households",
        level="province",
        change=True,
        title="บ้านมั่นคงเมือง: เปลี่ยนแปลงจากปีงบ 2568",
    )
    spec = briefing.briefing_spec(areas, get_programme("baan_mankong_urban"), request)
    keys = [e.key for e in spec.legend]
    assert keys[0].startswith("n") and any(k.startswith("p") for k in keys)
    assert spec.summary[0].startswith("เปลี่ยนแปลงสุทธิ +205")
    assert "เพิ่มขึ้น 1 · ลดลง 2" in spec.summary[1]
    assert "2568" in spec.title and spec.legend_title.startswith("การเปลี่ยนแปลง")
    with pytest.raises(ValueError):  # a plain slide refuses negative values: never misdrawn
        briefing.briefing_spec(
            areas, get_programme("baan_mankong_urban"), replace(request, change=False)
        )


def test_profile_files_are_formula_safe() -> None:
    from openpyxl import load_workbook

    from codi_geo.outputs import downloads

    profile = pd.DataFrame(
        [["x", '=HYPERLINK("http://evil")', "households", "ครัวเรือน", 10.0, None]],
        columns=["programme_id", "programme", "metric_id", "metric", 2568, 2569],
    )
    state = ViewState(fiscal_year=2569, area="30")
    csv = downloads.profile_bytes(profile, state, "csv").decode("utf-8-sig")
    assert "'=HYPERLINK" in csv and "ปีงบ 2568" in csv
    book = load_workbook(io.BytesIO(downloads.profile_bytes(profile, state, "xlsx")))
    sheet = book.worksheets[0]
    assert sheet["A2"].value.startswith("=") and sheet["A2"].data_type == "s"
    assert sheet["C2"].value == 10
    assert downloads.profile_file_name(state, "xlsx") == "codi_profile_30.xlsx"


# --- the briefing pack (needs the boundary cache) ------------------------------------------------


@pytest.fixture()
def sample_rows(boundary_cache, tmp_path, monkeypatch):
    from codi_geo import settings
    from codi_geo.results.store import open_store
    from synthetic.sample import fill_previous_year, fill_store

    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    monkeypatch.setenv("CODI_GEO_BOUNDARY_DIR", str(boundary_cache))
    monkeypatch.setenv("CODI_GEO_DATA_DIR", str(tmp_path))
    settings.clear()
    fill_store(url, boundary_cache)
    fill_previous_year(url)
    store = open_store(url)
    rows = store.results()
    store.close()
    return rows


def test_briefing_pack_has_a_slide_per_programme_with_data(sample_rows) -> None:
    from pptx import Presentation

    from codi_geo.maps import figures
    from codi_geo.outputs import pack

    rows = figures.filter_period(sample_rows, 2569, None)
    state = ViewState(fiscal_year=2569)
    maps = pack.programme_maps(rows, state, "th")
    with_data = {p.id for p in figures.programmes_with_rows(rows)}
    assert {m.programme.id for m in maps} == with_data
    made = Presentation(io.BytesIO(pack.briefing_pack(rows, state, public_page=False)))
    slides = list(made.slides)
    assert len(slides) == 1 + len(with_data)
    titles = [s.shapes.title.text for s in slides[1:]]
    assert titles == [m.programme.name.get("th") for m in maps]
    for slide in slides[1:]:
        pictures = [s for s in slide.shapes if s.shape_type == 13]  # MSO_SHAPE_TYPE.PICTURE
        assert len(pictures) == 1 and pictures[0].image.content_type == "image/png"
        assert "ปีงบประมาณ 2569" in slide.notes_slide.notes_text_frame.text
    cover = " ".join(s.text_frame.text for s in slides[0].shapes if s.has_text_frame)
    assert "ปีงบประมาณ 2569" in cover and "ทั้งประเทศ" in cover

    # one region: only programmes with figures there
    north = replace(state, region="north")
    in_north = pack.programme_maps(rows, north, "th")
    assert {m.programme.id for m in in_north} < with_data
    assert all(not figures.within(m.rows, "north").empty for m in in_north)
    assert pack.pack_filename(north) == "codi_briefing_2569_north.pptx"


def test_change_map_spec_feeds_map_and_slide(sample_rows) -> None:
    from codi_geo.maps import pagemaps
    from codi_geo.outputs import downloads

    state = ViewState(fiscal_year=2569, compare=(2568, None))
    page_map = pagemaps.change(
        sample_rows, state, "baan_mankong_urban:households", "province", "th"
    )
    assert page_map is not None and page_map.kind == "change"
    assert page_map.values.to_dict() == {
        "10": 50.0,
        "30": -30.0,
        "40": -60.0,
        "50": 0.0,
        "90": 90.0,
    }
    assert "ปีงบ 2568" in page_map.title
    html = pagemaps.draw(page_map, "th").get_root().render()
    assert "+90" in html and "\u221260" in html
    request = downloads.slide_request(page_map, state)
    assert request.change and "ปีงบ 2568" in request.title
    png = downloads.briefing_bytes(page_map, state, "png", public_page=False)
    assert png.startswith(b"\x89PNG")
    assert "vs2568" in downloads.file_stem(page_map, state, with_metric=True)
    features = json.loads(downloads.geojson_bytes(page_map, public_page=False))["features"]
    by_code = {f["properties"]["code"]: f["properties"] for f in features}
    assert by_code["30"]["households"] == -30 and by_code["96"]["households"] is None
