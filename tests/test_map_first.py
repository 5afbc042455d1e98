"""The map first, legends, default views, the region filter, documents by title and the
briefing, on the figures that ship: documents are cited by title, the overview's
default figure has data, the region filter narrows every total and the slide, the slide
outlines the marked provinces and names the dot kinds, legends fold and keep clear of land."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pandas as pd
import pytest

from codi_geo import settings
from codi_geo.maps import assets, base, figures, pagemaps, printable
from codi_geo.maps.controls import Legend
from codi_geo.maps.viewstate import ViewState
from codi_geo.outputs import briefing, downloads, tables
from codi_geo.places import gazetteer
from codi_geo.results import documents, queries, shipped
from codi_geo.results.store import Store
from codi_geo.settings import PROGRAMME_DATA_DIR

RAW_FILE_NAME = re.compile(r"\d{3}_[0-9a-f]{16}(\.txt)?")


@pytest.fixture(scope="module")
def shipped_store(boundary_cache) -> Iterator[Store]:
    """A store holding the figures that ship."""
    from codi_geo.results.store import open_store

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CODI_GEO_BOUNDARY_DIR", str(boundary_cache))
        settings.clear()
        store = open_store("sqlite://")
        loads = shipped.load_shipped(store, boundary_dir=boundary_cache)
        assert all(load.ok for load in loads), [load.text() for load in loads if not load.ok]
    settings.clear()
    yield store
    store.close()


@pytest.fixture(scope="module")
def shipped_rows(shipped_store: Store) -> pd.DataFrame:
    """The figures that ship, as ``Store.results()`` returns them (FY2569)."""
    return shipped_store.results(None, fiscal_year=2569)


@pytest.fixture()
def cache(boundary_cache, monkeypatch):
    monkeypatch.setenv("CODI_GEO_BOUNDARY_DIR", str(boundary_cache))
    settings.clear()
    yield boundary_cache
    settings.clear()


# --- documents by title ------------------------------------------------------------------


def test_a_citation_reads_as_title_year_quarter_and_line() -> None:
    doc = "000_91d7f34609a7394f.txt"
    assert (
        documents.cite(doc, "1484", "th")
        == "รายงานผลการดำเนินงาน ปีงบประมาณ 2569 ไตรมาส 2, บรรทัด 1484"
    )
    assert documents.cite(doc, 1484, "en") == "Quarterly results report, FY2569, Q2, line 1484"
    assert (
        documents.cite("000_91d7f34609a7394f", None, "th")
        == "รายงานผลการดำเนินงาน ปีงบประมาณ 2569 ไตรมาส 2"
    )
    assert "2566–2568" in documents.cite("002_b3601fa05b927232.txt", None, "th")
    # an imported spreadsheet keeps the name its owner gave it; nothing cited, nothing shown
    assert documents.cite("ผลไตรมาส3.xlsx", "12", "th") == "ผลไตรมาส3.xlsx, บรรทัด 12"
    assert documents.cite(None, "3") == "" and documents.cite(float("nan")) == ""


def test_every_document_the_shipped_rows_cite_has_a_title() -> None:
    cited = set()
    for path in PROGRAMME_DATA_DIR.glob("*.csv"):
        frame = pd.read_csv(path, dtype=str)
        if "source_doc" in frame:
            cited |= set(frame["source_doc"].dropna())
    assert cited
    for doc in cited:
        found = documents.document_of(doc)
        assert found is not None, f"{doc} is not in documents.csv"
        assert not RAW_FILE_NAME.search(documents.cite(doc, "1", "th"))
    # every seed document is in the table, with the first words of its own heading
    table = pd.read_csv(PROGRAMME_DATA_DIR / documents.DOCUMENTS_FILE, dtype=str)
    assert len(table) == 5 and table["id"].is_unique


def test_the_documents_table_is_not_loaded_as_results() -> None:
    names = {p.name for p in shipped.shipped_files()}
    assert documents.DOCUMENTS_FILE not in names and "model_tambon.csv" in names


def test_tables_show_titles_not_file_names(shipped_rows) -> None:
    caption = tables.source_refs(shipped_rows[shipped_rows["programme"] == "model_tambon"], "th")
    assert caption.startswith("แหล่งที่มา: รายงานผลการดำเนินงาน ปีงบประมาณ 2569 ไตรมาส 2")
    assert not RAW_FILE_NAME.search(caption)
    housing = shipped_rows[shipped_rows["programme"] == "temporary_housing"]
    from codi_geo.programmes import get_programme

    listing = tables.housing_rows(housing, get_programme("temporary_housing"), "en")
    assert listing["Source"].str.startswith("Quarterly results report, FY2569, Q2, line").all()
    assert not listing.to_string().count(".txt")


# --- default views -------------------------------------------------------------------------


def _overview_key(store: Store, keys: list[str], within: str | None) -> str | None:
    """The overview's first figure as the app picks it (``loaders.default_overview_key``):
    areas with figures counted by SQL per key, then ``pagemaps.best_overview_key``."""
    counts = {}
    for key in keys:
        programme_id, metric = key.split(":")
        found = queries.area_series(
            store,
            queries.RowFilter(programme_id, 2569, None, within),
            None if metric == pagemaps.COUNT else metric,
            "province",
        )
        counts[key] = int(found.notna().sum())
    return pagemaps.best_overview_key(keys, counts)


def test_the_overview_opens_on_a_figure_with_data(shipped_store, shipped_rows, cache) -> None:
    choices = figures.metric_choices(shipped_rows)
    keys = [f"{p.id}:{m or pagemaps.COUNT}" for p, m in choices]
    # a metric reported per CODI region only is not offered for an area map
    for programme, metric in choices:
        own = shipped_rows[
            (shipped_rows["programme"] == programme.id) & shipped_rows["province_code"].notna()
        ]
        if metric:
            assert pd.to_numeric(own[metric], errors="coerce").notna().any()
    for region in (None, *gazetteer.REGION_BY_ID):
        state = ViewState(fiscal_year=2569, region=region)
        key = _overview_key(shipped_store, keys, state.within)
        assert key is not None
        page_map = pagemaps.overview(shipped_rows, state, key, "province", "th")
        assert page_map.has_data, (region, key)
        if region is None:  # a declared figure (households …), not a count of rows
            assert not key.endswith(":" + pagemaps.COUNT)


def test_no_figures_anywhere_gives_no_default(shipped_store) -> None:
    assert pagemaps.best_overview_key([], {}) is None
    assert _overview_key(shipped_store, ["disaster:" + pagemaps.COUNT], "no-such-area") is None


# --- the region filter ---------------------------------------------------------------------


def test_model_tambons_by_region_zoom_to_and_total_the_chosen_region(shipped_rows, cache) -> None:
    national = pagemaps.model_tambons(shipped_rows, ViewState(fiscal_year=2569), "th")
    assert national is not None and national.kind == "region_counts"
    state = ViewState(fiscal_year=2569, region="northeast")
    regional = pagemaps.model_tambons(shipped_rows, state, "th")
    assert regional.extent.within == "northeast" and regional.extent.scope == "region"
    assert list(regional.values.index) == ["northeast"]
    assert regional.values["northeast"] == national.values["northeast"]
    assert regional.values.sum() < national.values.sum()
    frame = printable.areas(regional)
    assert list(frame["code"]) == ["northeast"]
    spec = briefing.briefing_spec(
        frame, regional.programme, downloads.slide_request(regional, state), column="tambons"
    )
    assert spec.summary[0] == f"รวม {int(national.values['northeast'])} ตำบล"
    assert "ภาคตะวันออกเฉียงเหนือ" in spec.filters
    # the map is fitted to the region, not to the country
    m = pagemaps.draw(regional, "th")
    fitted = [c for c in m._children.values() if type(c).__name__ == "FitView"][-1]
    (south, west), _ = fitted.bounds
    assert south > 13.5 and west > 100.5  # the Northeast, not Thailand (5.6, 97.3)
    # the page's table: the region's own row
    table = tables.model_tambons_per_region(
        shipped_rows, regional.programme, "th", 2569, "northeast"
    )
    assert list(table.index) == ["ภาคตะวันออกเฉียงเหนือ"]


def test_integrated_provinces_count_the_chosen_region_only(shipped_rows, cache) -> None:
    rows = shipped_rows[shipped_rows["programme"] == "integrated_province"]
    national = pagemaps.integrated_provinces(rows, ViewState(fiscal_year=2569), "th")
    north = pagemaps.integrated_provinces(rows, ViewState(fiscal_year=2569, region="north"), "th")
    regions = gazetteer.province_regions(2569)
    assert len(national.marked) == 12
    assert 0 < len(north.values) < len(national.values)
    assert {regions[c] for c in north.values.index} == {"north"}
    assert set(north.marked) == {c for c in national.marked if regions[c] == "north"}


def test_region_summary_shows_the_chosen_region(shipped_rows) -> None:
    whole = tables.region_summary(shipped_rows, "th")
    south = tables.region_summary(shipped_rows, "th", "south")
    assert len(whole.columns) == 5 and list(south.columns) == ["ภาคใต้"]
    assert south["ภาคใต้"].equals(whole["ภาคใต้"])


# --- the slide: marked provinces, dot kinds ---------------------------------------------------


def test_slide_outlines_the_provinces_that_met_all_criteria(shipped_rows, cache) -> None:
    rows = shipped_rows[shipped_rows["programme"] == "integrated_province"]
    state = ViewState(fiscal_year=2569)
    page_map = pagemaps.integrated_provinces(rows, state, "th")
    frame = printable.areas(page_map)
    marked = printable.marked_areas(page_map, frame)
    assert len(marked) == 12
    request = downloads.slide_request(page_map, state)
    assert request.marked_label == "ผ่านเกณฑ์ครบ"
    spec = briefing.briefing_spec(frame, page_map.programme, request, column="category")
    assert spec.extra_labels == ("ผ่านเกณฑ์ครบ",)
    with briefing._rendering():
        fig = briefing.draw_briefing(spec, frame, marked=marked)
    legend = fig.legends[0]
    texts = [t.get_text() for t in legend.get_texts()]
    assert texts == [*spec.legend_labels, "ผ่านเกณฑ์ครบ"]
    axes = fig.axes[0]
    thick = [
        c for c in axes.collections if len(c.get_linewidths()) and max(c.get_linewidths()) >= 2
    ]
    assert thick, "the 12 provinces are outlined on the slide"


@pytest.mark.parametrize("mode", ["points", "counts"])
def test_disaster_slide_names_the_dot_kinds(shipped_rows, cache, mode) -> None:
    # counts per area on the screen, and still each pinpoint on the slide: the pins are made
    # from the page map's rows when the slide is (``pinned_rows``)
    rows = shipped_rows[shipped_rows["programme"] == "disaster"]
    assert len(rows)
    state = ViewState(fiscal_year=2569)
    page_map = pagemaps.disasters(rows, state, mode, None, "th")
    assert page_map.rows is rows and page_map.points is None  # nothing copied for a slide
    frame = printable.areas(page_map)
    dots = printable.dots(page_map, frame, public=False, lang="th")
    spec = briefing.briefing_spec(
        frame,
        page_map.programme,
        downloads.slide_request(page_map, state),
        column=printable.value_column(page_map),
        points=dots,
    )
    kinds = {c.name.get("th"): c.colour for c in page_map.programme.categories}
    assert spec.point_legend
    for label, colour in spec.point_legend:
        assert (label in kinds and kinds[label] == colour) or label == "อื่น ๆ"
    assert set(spec.extra_labels) == {label for label, _ in spec.point_legend}
    # a public slide has no single points, so no dot legend either
    public_spec = briefing.briefing_spec(
        frame,
        page_map.programme,
        downloads.slide_request(page_map, state),
        column=printable.value_column(page_map),
        points=printable.dots(page_map, frame, public=True),
    )
    assert public_spec.point_legend == ()


# --- legends -------------------------------------------------------------------------------


def test_legend_folds_on_a_phone_and_fits_the_map_beside_it(cache) -> None:
    m = base.base_map()
    legend = Legend('<div class="t">ชื่อ</div><div class="r">1</div>')
    legend.add_to(m)
    html = m.get_root().render()
    assert "new codiGeo.Legend(" in html
    assert "[[5.6,97.3],[20.5,105.7]]" in html and f"{Legend.FOLD_BELOW})" in html
    script = (assets.STATIC_DIR / "codi-geo" / "maps.js").read_text()
    assert "L.DomUtil.create('details', 'codi-legend')" in script
    assert "map.getSize().x >= self._fold" in script
    assert "paddingBottomRight" in script
    assert legend.bounds_json == "[[5.6,97.3],[20.5,105.7]]"
    alone = Legend("<div>x</div>")
    assert alone.bounds_json == "null"  # not on a map: nothing to fit


# --- every layer at volume: 3,000 model tambons are counted per area nationally --------------


@pytest.fixture(scope="module")
def scale_model_tambons(boundary_cache, tmp_path_factory) -> pd.DataFrame:
    """One fiscal year of the scale data (``synthetic/scale.py``: about 3,000 model tambons,
    each in a cohort), as ``Store.results()`` returns it."""
    from codi_geo.results.store import open_store
    from synthetic import scale as scale_data

    url = f"sqlite:///{tmp_path_factory.mktemp('scale_model') / 'store.sqlite'}"
    scale_data.load_store(url, 0, year_count=1, boundary_dir=boundary_cache, log=lambda _m: None)
    store = open_store(url)
    rows = store.results("model_tambon", fiscal_year=scale_data.years(1)[0])
    store.close()
    return rows


def test_thousands_of_model_tambons_are_counted_per_province_not_drawn_one_by_one(
    scale_model_tambons, cache
) -> None:
    from codi_geo.maps.layers import PointLayer, PolygonLayer

    rows = scale_model_tambons
    fiscal_year = int(rows["fiscal_year"].iloc[0])
    tambons = rows[rows["level"] == "tambon"]
    assert len(tambons) >= 2900 and tambons["category"].notna().all()
    national = pagemaps.model_tambons(rows, ViewState(fiscal_year=fiscal_year), "th")
    assert national.kind == "choropleth" and national.level == "province"
    # every model tambon of the year (new and followed-up) counted in its province
    both = tambons[tambons["category"].isin(["new", "follow_up"])]
    expected = both.groupby(both["code"].str[:2])["code"].nunique()
    assert (
        national.values.sort_index()
        .astype(int)
        .equals(expected.sort_index().astype(int).rename(None))
    )
    met = pagemaps.model_tambons(rows, ViewState(fiscal_year=fiscal_year), "th", "met_all")
    assert met.values.sum() == (tambons["category"] == "met_all").sum()
    m = pagemaps.draw(national, "th")
    layers = [c for c in _walk(m) if isinstance(c, PolygonLayer | PointLayer)]
    assert not [c for c in layers if isinstance(c, PointLayer)]  # no marker per tambon
    shaded = [c for c in layers if c.data.get("n")]  # the interactive (shaded) areas
    assert sum(c.feature_count for c in shaded) == 77
    assert base.st_folium_payload(m)["bytes"] < 400_000  # 2.23 MB as 3,000 circles
    # in a region: its districts; drilled into a province: its tambons by cohort
    regional = pagemaps.model_tambons(
        rows, ViewState(fiscal_year=fiscal_year, region="northeast"), "th"
    )
    assert regional.kind == "choropleth" and regional.level == "district"
    assert {gazetteer.province_regions(fiscal_year)[c[:2]] for c in regional.values.index} == {
        "northeast"
    }
    busiest = str(expected.idxmax())
    province = pagemaps.model_tambons(
        rows, ViewState(fiscal_year=fiscal_year, province=busiest, area=busiest), "th"
    )
    assert province.kind == "category" and province.level == "tambon"
    assert set(province.values.index) == set(
        tambons.loc[tambons["code"].str.startswith(busiest), "code"]
    )


def _walk(element):
    yield element
    for child in getattr(element, "_children", {}).values():
        yield from _walk(child)
