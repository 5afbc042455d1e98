"""The files of a map page (PNG, PDF, XLSX, CSV, GeoJSON), taken from the buttons the pages
really draw (the deferred callables handed to ``st.download_button``): each opens, keeps its
Thai text, carries a legend, and has the interactive map's classes and colours."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import pandas as pd
import pypdf
import pytest
from openpyxl import load_workbook
from PIL import Image
from streamlit.testing.v1 import AppTest

from codi_geo import settings
from codi_geo.access import public
from codi_geo.maps import areas, assets, base, figures, pagemaps, printable
from codi_geo.maps.viewstate import ViewState
from codi_geo.outputs import briefing, downloads
from codi_geo.programmes import get_programme
from synthetic.sample import fill_store, sample_rows
from tests.helpers import APP, TIMEOUT, page_file, point_app_at_store

MAP_PAGES = ["overview", "model-tambons", "integrated-provinces", "housing", "disasters"]


@pytest.fixture()
def env(boundary_cache, tmp_path, monkeypatch, dev_admin):
    url = point_app_at_store(
        monkeypatch, tmp_path, boundary_cache, CODI_GEO_USERS_FILE=str(tmp_path / "no-users.toml")
    )
    fill_store(url, boundary_cache)
    yield tmp_path
    settings.clear()


def page_files(page: str, captured_downloads: dict, **params: str) -> dict[str, bytes]:
    """Open ``page`` as a user would and click every download: file name -> bytes."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for key, value in {"fy": "2569", **params}.items():
        at.query_params[key] = value
    at.run()
    if page != "overview":
        captured_downloads.clear()
        at.switch_page(f"app_pages/{page_file(page)}")
        at.run()
    assert not at.exception, at.exception
    # the slide pack (a file of every programme) is not one of the view's five files
    labels = [b.proto.label for b in at.get("download_button") if b.key != "briefing_pack"]
    assert len(labels) == 5, labels
    return {name: make() for name, make in captured_downloads.items()}


# Matplotlib maps each glyph of a Thai cluster to the whole cluster in a PDF, so a syllable
# with a vowel or tone mark is copied out twice ("ภาคเหนืนือ"): squash repeats to compare.
_REPEATED_CLUSTER = re.compile("([\u0e01-\u0e2e][\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]+)\\1+")


def squash(text: str) -> str:
    return _REPEATED_CLUSTER.sub(r"\1", text)


def pdf_text(data: bytes) -> str:
    """The text of a PDF, Thai clusters squashed (compare with ``squash(expected)``)."""
    return squash("".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages))


def by_extension(files: dict[str, bytes], extension: str) -> bytes:
    found = [data for name, data in files.items() if name.endswith(extension)]
    assert len(found) == 1, (extension, list(files))
    return found[0]


@pytest.mark.parametrize("page", MAP_PAGES)
def test_every_map_page_offers_five_files_that_open(env, captured_downloads, page) -> None:
    files = page_files(page, captured_downloads)
    png = Image.open(io.BytesIO(by_extension(files, ".png")))
    png.load()
    assert png.format == "PNG" and png.size == (1920, 1080)
    text = pdf_text(by_extension(files, ".pdf"))
    assert squash("ปีงบประมาณ 2569") in text  # the period, Thai intact
    assert "ขอบเขตการปกครอง" in text  # the attribution
    csv_bytes = by_extension(files, ".csv")
    assert csv_bytes.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs for Thai
    table = pd.read_csv(io.BytesIO(csv_bytes), encoding="utf-8-sig")
    assert "แผนงาน" in table.columns and "จังหวัด" in table.columns and len(table) > 0
    workbook = load_workbook(io.BytesIO(by_extension(files, ".xlsx")))
    header = [c.value for c in workbook.worksheets[0][1]]
    assert header == list(table.columns)
    assert workbook.worksheets[0].max_row == len(table) + 1
    collection = json.loads(by_extension(files, ".geojson"))
    assert collection["type"] == "FeatureCollection" and collection["features"]
    assert all(f["properties"]["name_th"] for f in collection["features"])


def test_files_follow_the_filters_of_the_url(env, captured_downloads) -> None:
    files = page_files("integrated-provinces", captured_downloads, region="north", q="2")
    names = set(files)
    assert "codi_integrated_province_2569_q2_north_map.png" in names
    text = pdf_text(files["codi_integrated_province_2569_q2_north_map.pdf"])
    assert squash("ภาคเหนือ") in text and squash("ไตรมาส 2 (ม.ค.–มี.ค. 2569)") in text
    assert re.search(squash(r"มีข้อมูล \d+ จาก 17 จังหวัด"), text)  # the north's 17 provinces
    table = pd.read_csv(
        io.BytesIO(files["codi_integrated_province_2569_q2_north.csv"]), encoding="utf-8-sig"
    )
    assert set(table["ภาค (พอช.)"]) == {"ภาคเหนือ"}
    collection = json.loads(files["codi_integrated_province_2569_q2_north_province.geojson"])
    assert len(collection["features"]) == 17


def test_english_files(env, captured_downloads) -> None:
    files = page_files("housing", captured_downloads, lang="en")
    text = pdf_text(by_extension(files, ".pdf"))
    assert "Fiscal year 2569 BE" in text and "Boundaries:" in text
    table = pd.read_csv(io.BytesIO(by_extension(files, ".csv")), encoding="utf-8-sig")
    assert "Programme" in table.columns


# ---------------------------------------------------------------------------------------
# One page_map: the screen map, the slide and the files agree
# ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def rows(boundary_cache) -> pd.DataFrame:
    """The sample as ``Store.results()`` returns it."""
    from codi_geo.results.store import open_store

    store = open_store("sqlite://")
    for programme, found in sample_rows(boundary_cache).items():
        from synthetic.sample import _meta

        store.store_results(_meta(programme, f"{programme}.csv", len(found)), found)
    return store.results()


@pytest.fixture()
def cache(boundary_cache, monkeypatch):
    monkeypatch.setenv("CODI_GEO_BOUNDARY_DIR", str(boundary_cache))
    settings.clear()
    yield boundary_cache
    settings.clear()


def legend_colours(m) -> list[str]:
    """The swatch colours of the interactive map's legend, in order (no data left out)."""
    from codi_geo.maps.controls import Legend

    stack, html = [m], ""
    while stack:
        element = stack.pop()
        if isinstance(element, Legend):
            html = element.html
        stack.extend(getattr(element, "_children", {}).values())
    return re.findall(r'class="sw" style="background:(#[0-9a-f]{6})"', html)


@pytest.mark.parametrize("level", ["province", "district"])
def test_briefing_classes_and_colours_are_the_interactive_maps(rows, cache, level) -> None:
    state = ViewState(fiscal_year=2569)
    page_map = pagemaps.overview(rows, state, "baan_mankong_urban:households", level, "th")
    screen = legend_colours(pagemaps.draw(page_map, "th"))
    spec = briefing.briefing_spec(
        printable.areas(page_map),
        page_map.programme,
        downloads.slide_request(page_map, state),
        column=printable.value_column(page_map),
    )
    slide = [e.colour for e in spec.legend if e.key != "no_data"]
    assert screen and screen == slide
    assert spec.legend[-1].key == "no_data"
    labels = [e.label.th for e in spec.legend if e.key != "no_data"]
    assert labels == ["90", "150", "220", "300"]  # one class per district value
    rendered = briefing.render_briefing(
        printable.areas(page_map),
        page_map.programme,
        downloads.slide_request(page_map, state),
        fmt="pdf",
        column=printable.value_column(page_map),
    )
    assert rendered.missing_glyphs == ()
    text = pdf_text(rendered.data)
    for label in [*labels, "ไม่มีข้อมูล", "บ้านมั่นคงเมือง: ครัวเรือน"]:
        assert squash(label) in text  # the legend and title are on the slide


def test_category_slide_uses_the_declared_colours_and_dots_small_areas(rows, cache) -> None:
    state = ViewState(fiscal_year=2569)
    page_map = pagemaps.model_tambons(rows, state, "th")
    assert page_map is not None and page_map.kind == "category"
    frame = printable.areas(page_map)
    assert len(frame) == 7425  # every tambon, those without a cohort as no data
    spec = briefing.briefing_spec(
        frame, page_map.programme, downloads.slide_request(page_map, state), column="category"
    )
    programme = get_programme("model_tambon")
    declared = {c.id: c.colour for c in programme.categories}
    assert {e.key: e.colour for e in spec.legend if e.key != "no_data"} == {
        k: declared[k] for k in ("new", "follow_up", "met_all")
    }
    dots = printable.dots(page_map, frame, public=True)
    assert len(dots) == 5  # the five sample tambons stay visible on a national slide
    assert set(dots["colour"]) == {declared["new"], declared["follow_up"], declared["met_all"]}


def test_public_files_carry_public_fields_only(rows, cache) -> None:
    state = ViewState(fiscal_year=2569)
    shown = public.public_results(rows[rows["programme"] == "disaster"])
    page_map = pagemaps.disasters(shown, state, "counts", "province", "th")
    csv_text = downloads.table_bytes(page_map, state, "csv", public_page=True).decode("utf-8-sig")
    assert "ละติจูด" not in csv_text and "sample.txt" not in csv_text
    assert "จำนวนรายการ" in csv_text  # points became counts per tambon
    table = pd.read_csv(io.StringIO(csv_text))
    assert table["จำนวนรายการ"].sum() == int(rows["programme"].eq("disaster").sum())
    data = downloads.geojson_bytes(page_map, public_page=True)
    collection = json.loads(data)
    total = sum(f["properties"]["rows"] or 0 for f in collection["features"])
    assert total == table["จำนวนรายการ"].sum()
    assert downloads.printable.dots(page_map, printable.areas(page_map), public=True) is None
    # an internal frame handed to a public download is refused, not cut silently
    internal = pagemaps.disasters(
        rows[rows["programme"] == "disaster"], state, "counts", "province", "th"
    )
    with pytest.raises(public.PublicModeError):
        downloads.table_bytes(internal, state, "csv", public_page=True)


def test_xlsx_has_an_about_sheet_with_the_view(rows, cache) -> None:
    state = ViewState(fiscal_year=2569, quarter=2, region="northeast")
    page_map = pagemaps.integrated_provinces(rows, state, "th")
    data = downloads.table_bytes(page_map, state, "xlsx", public_page=False)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert not [n for n in archive.namelist() if "calcChain" in n]  # no formulas
    workbook = load_workbook(io.BytesIO(data))
    about = {
        row[0].value: row[1].value for row in workbook.worksheets[1].iter_rows() if len(row) > 1
    }
    assert about["ปีงบประมาณ"] == "2569" and about["ไตรมาส"] == "2"
    assert about["ภาค (พอช.)"] == "ภาคตะวันออกเฉียงเหนือ"
    assert "กรมแผนที่ทหาร" in about["ขอบเขตการปกครอง"]


def test_region_count_slide(cache) -> None:
    from codi_geo.results.store import ResultRow, open_store

    store = open_store("sqlite://")
    regional = [
        ResultRow(
            "model_tambon",
            2569,
            2,
            "region",
            region,
            {"tambons": n},
            category=cohort,
            visibility="public",
        )
        for region, n in (("north", 10), ("south", 4))
        for cohort in ("new", "follow_up")
    ]
    from synthetic.sample import _meta

    store.store_results(_meta("model_tambon", "regions.csv", len(regional)), regional)
    state = ViewState(fiscal_year=2569)
    page_map = pagemaps.model_tambons(store.results(), state, "th")
    assert page_map.kind == "region_counts" and page_map.values.to_dict() == {
        "north": 20.0,
        "south": 8.0,
    }
    spec = briefing.briefing_spec(
        printable.areas(page_map),
        page_map.programme,
        downloads.slide_request(page_map, state),
        column="tambons",
    )
    assert spec.level == "region" and spec.summary[0] == "รวม 28 ตำบล"
    assert spec.summary[-1] == "มีข้อมูล 2 จาก 5 ภาค"
    data = downloads.geojson_bytes(page_map, public_page=False)
    features = {f["properties"]["code"]: f["properties"] for f in json.loads(data)["features"]}
    assert features["north"]["tambons"] == 20 and features["central_west"]["tambons"] is None


def test_screen_map_of_a_layer_is_the_pages(rows, cache) -> None:
    """``draw`` hands the page_map to the same ``maps`` functions the pages always used."""
    state = ViewState(fiscal_year=2569, province="50")
    page_map = pagemaps.disasters(
        rows[rows["programme"] == "disaster"], state, "counts", "tambon", "th"
    )
    m = pagemaps.draw(page_map, "th")
    values = figures.aggregate(rows[rows["programme"] == "disaster"], None, "tambon")
    direct = areas.choropleth_map(
        base.extent_for("province", "50", level="tambon"),
        values,
        page_map.title,
        base.MapOptions("th"),
        page_map.unit,
    )
    assert legend_colours(m) == legend_colours(direct)
    assert base.feature_count(m) == base.feature_count(direct)


def test_presentation_legend_is_large(rows, cache) -> None:
    page_map = pagemaps.overview(
        rows, ViewState(fiscal_year=2569), "baan_mankong_urban:households", "province", "th"
    )
    html = pagemaps.draw(page_map, "th", large_legend=True).get_root().render()
    # the map says it is presented (``codiGeo.Present``: legends open at the top right), and
    # its styles make a presented legend large
    assert "new codiGeo.Present()" in html
    assert ".codi-present .codi-legend { font-size: 20px" in html
    plain = pagemaps.draw(page_map, "th").get_root().render()
    assert "codiGeo.Present" not in plain
    script = (assets.STATIC_DIR / "codi-geo" / "maps.js").read_text()
    assert "querySelector('.leaflet-top.leaflet-right')" in script


def test_download_file_names_are_ascii(rows, cache) -> None:
    state = ViewState(fiscal_year=2569, quarter=2, district="1005")
    page_map = pagemaps.housing(
        rows[rows["programme"] == "prem_prachakorn_canal"],
        state,
        get_programme("prem_prachakorn_canal"),
        "households",
        "tambon",
        "th",
    )
    names = [d.file_name for d in downloads.downloads(page_map, state, public_page=False)]
    assert names == [
        "codi_prem_prachakorn_canal_2569_q2_1005_households_map.png",
        "codi_prem_prachakorn_canal_2569_q2_1005_households_map.pdf",
        "codi_prem_prachakorn_canal_2569_q2_1005.xlsx",
        "codi_prem_prachakorn_canal_2569_q2_1005.csv",
        "codi_prem_prachakorn_canal_2569_q2_1005_tambon.geojson",
    ]
    assert all(name.isascii() for name in names)
    assert Path(names[0]).suffix == ".png"


def test_housing_pins_are_drawn_one_by_one_only_when_few(rows, cache) -> None:
    """Never one marker per community at scale. Over PIN_LIMIT named communities
    the map shades the areas only (the page says why); a few are pinned with their popups."""
    from codi_geo.maps.layers import PointLayer
    from codi_geo.results.points import PIN_LIMIT

    canal = rows[rows["programme"] == "prem_prachakorn_canal"]
    located = canal[canal["latitude"].notna()].head(1)
    assert len(located) == 1
    many = pd.concat([located] * (PIN_LIMIT + 1), ignore_index=True)
    many["name"] = [f"ชุมชนที่ {i}" for i in range(len(many))]
    state = ViewState(fiscal_year=2569)
    programme = get_programme("prem_prachakorn_canal")

    def point_layers(frame: pd.DataFrame) -> tuple[bool, list]:
        page_map = pagemaps.housing(frame, state, programme, "households", "province", "th")
        m = pagemaps.draw(page_map, "th")
        found = [c for c in m._children.values() if isinstance(c, PointLayer)]
        found += [
            g
            for c in m._children.values()
            for g in getattr(c, "_children", {}).values()
            if isinstance(g, PointLayer)
        ]
        return pagemaps.pins_drawn(page_map), found

    drawn, layers = point_layers(many)
    assert not drawn and layers == []
    drawn, layers = point_layers(many.head(5))
    assert drawn and sum(layer.feature_count for layer in layers) == 5
