"""Downloads: XLSX, CSV (UTF-8 with BOM) and GeoJSON, each read back."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import geopandas as gpd
import openpyxl
import pandas as pd
import pytest
import shapely

from codi_geo.outputs import exports
from codi_geo.places.boundaries import load_layer
from codi_geo.programmes import get_programme
from codi_geo.results import frames
from codi_geo.results.store import NewBatch, ResultRow, open_store

POR_PIANG = get_programme("baan_por_piang")
MODEL = get_programme("model_tambon")


@pytest.fixture(scope="module")
def rows(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    """Rows as the real store hands them back."""
    store = open_store(f"sqlite:///{tmp_path_factory.mktemp('store') / 'codi.sqlite'}")
    results = [
        ResultRow(
            "baan_por_piang",
            2569,
            2,
            "tambon",
            "500101",
            {"households": 12, "budget_baht": 1_250_000.5},
            name="บ้านพอเพียงศรีภูมิ",
            visibility="public",
            source_doc="002_b3601fa05b927232.txt",
            source_line="41",
            source_row=3,
        ),
        ResultRow(
            "baan_por_piang",
            2569,
            2,
            "tambon",
            "500102",
            {"households": 7},
            name='=HYPERLINK("http://x")',
            note="ติดต่อผู้ใหญ่บ้าน",
            source_row=4,
        ),
        ResultRow(
            "baan_por_piang",
            2569,
            2,
            "tambon",
            "300101",
            {"households": 30},
            name="ชุมชนในเมือง",
            visibility="public",
            source_row=5,
        ),
        ResultRow("baan_por_piang", 2569, 2, "province", "10", {"households": 100}, source_row=6),
    ]
    store.store_results(
        NewBatch("baan_por_piang", "ผลบ้านพอเพียง ไตรมาส 2.xlsx", "c" * 64, "all", 4), results
    )
    frame = store.results("baan_por_piang")
    store.close()
    return frame


def test_export_table_has_thai_names_numbers_and_provenance(rows: pd.DataFrame) -> None:
    table = exports.export_table(rows, POR_PIANG)
    assert list(table.columns[:10]) == [
        "แผนงาน",
        "ปีงบประมาณ",
        "ไตรมาส",
        "ระดับพื้นที่",
        "รหัสพื้นที่",
        "ภาค (พอช.)",
        "จังหวัด",
        "อำเภอ",
        "ตำบล",
        "ชื่อ",
    ]
    first = table.iloc[0]
    assert first["จังหวัด"] == "เชียงใหม่" and first["อำเภอ"] == "เมืองเชียงใหม่"
    assert first["ตำบล"] == "ศรีภูมิ" and first["ภาค (พอช.)"] == "ภาคเหนือ"
    assert first["จำนวนครัวเรือน"] == 12 and first["งบประมาณ (บาท)"] == 1_250_000.5
    assert first["แหล่งที่มา"].startswith("002_b3601fa05b927232.txt:41 · ผลบ้านพอเพียง")
    assert "แถว 3" in first["แหล่งที่มา"]
    province_row = table.iloc[3]
    assert province_row["จังหวัด"] == "กรุงเทพมหานคร" and pd.isna(province_row["ตำบล"])
    assert province_row["ระดับพื้นที่"] == "จังหวัด"
    english = exports.export_table(rows, POR_PIANG, lang="en")
    assert english.iloc[0]["Province"] == "เชียงใหม่"  # place names stay Thai (DOPA)
    assert english.iloc[0]["Programme"] == "Baan Por Piang"


def test_xlsx_reads_back_with_thai_numbers_and_no_formulas(rows: pd.DataFrame) -> None:
    table = exports.export_table(rows, POR_PIANG)
    about = exports.export_about(POR_PIANG, 2569, 2, [("ภาค", "ทั้งประเทศ")])
    data = exports.to_xlsx_bytes(table, title="บ้านพอเพียง ไตรมาส 2/2569", about=about)
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["ข้อมูล", "ที่มา"]
    sheet = book["ข้อมูล"]
    header = [c.value for c in sheet[1]]
    assert header == list(table.columns)
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.bold
    col = {name: i for i, name in enumerate(header)}
    row2 = [c for c in sheet[2]]
    assert row2[col["ตำบล"]].value == "ศรีภูมิ"
    households = row2[col["จำนวนครัวเรือน"]]
    assert households.value == 12 and households.data_type == "n"
    budget = row2[col["งบประมาณ (บาท)"]]
    assert budget.value == 1_250_000.5 and budget.number_format == "#,##0.00"
    code = row2[col["รหัสพื้นที่"]]
    assert code.value == "500101" and code.data_type == "s" and code.number_format == "@"
    assert row2[col["ปีงบประมาณ"]].value == 2569
    formula_like = sheet.cell(row=3, column=col["ชื่อ"] + 1)
    assert formula_like.value == '=HYPERLINK("http://x")' and formula_like.data_type == "s"
    assert "002_b3601fa05b927232.txt:41" in row2[col["แหล่งที่มา"]].value
    assert sheet.max_row == len(table) + 1
    info = {r[0].value: r[1].value for r in book["ที่มา"].iter_rows(min_row=2) if len(r) > 1}
    assert info["ภาค"] == "ทั้งประเทศ" and info["จำนวนแถว"] == 4
    assert "กรมแผนที่ทหาร" in info["ขอบเขตการปกครอง"]
    assert book["ที่มา"]["A1"].value == "บ้านพอเพียง ไตรมาส 2/2569"


def test_csv_has_a_bom_and_round_trips(rows: pd.DataFrame) -> None:
    table = exports.export_table(rows, POR_PIANG)
    data = exports.to_csv_bytes(table)
    assert data.startswith(b"\xef\xbb\xbf")  # what makes Excel read UTF-8
    assert b"\r\n" in data
    text = data.decode("utf-8-sig")
    records = list(csv.DictReader(io.StringIO(text)))
    assert len(records) == 4
    assert records[0]["ตำบล"] == "ศรีภูมิ" and records[0]["จำนวนครัวเรือน"] == "12"
    assert records[0]["งบประมาณ (บาท)"] == "1250000.5"
    assert records[1]["ชื่อ"] == '\'=HYPERLINK("http://x")'  # not run as a formula
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype={"รหัสพื้นที่": str})
    assert back["จำนวนครัวเรือน"].tolist() == [12, 7, 30, 100]
    assert back["รหัสพื้นที่"].tolist() == ["500101", "500102", "300101", "10"]


def test_aggregate_to_level(rows: pd.DataFrame) -> None:
    provinces = frames.aggregate_to_level(rows, POR_PIANG, "province")
    by_code = provinces.set_index("code")
    assert by_code.loc["50", "households"] == 19 and by_code.loc["50", "rows"] == 2
    assert by_code.loc["10", "households"] == 100
    assert by_code.loc["50", "budget_baht"] == 1_250_000.5
    tambons = frames.aggregate_to_level(rows, POR_PIANG, "tambon")
    assert set(tambons["code"]) == {"500101", "500102", "300101"}  # the province row can't split
    regions = frames.aggregate_to_level(rows, POR_PIANG, "region").set_index("code")
    assert regions.loc["north", "households"] == 19
    assert regions.loc["northeast", "households"] == 30
    frame = pd.DataFrame(
        {
            "level": ["tambon", "tambon", "tambon"],
            "code": ["100101", "100102", "100201"],
            "category": ["new", "new", "met_all"],
            "metrics": [{"tambons": 1}, {}, {"tambons": 1}],
        }
    )
    districts = frames.aggregate_to_level(frame, MODEL, "district").set_index("code")
    assert districts.loc["1001", "category"] == "new"
    assert districts.loc["1001", "tambons"] == 1  # a missing metric is not a zero
    mixed = frames.aggregate_to_level(frame, MODEL, "province").set_index("code")
    assert mixed.loc["10", "category"] is None and mixed.loc["10", "rows"] == 3


def test_sum_per_area_is_the_same_from_area_columns_and_from_codes(rows: pd.DataFrame) -> None:
    """Rows from the store carry their area columns; rows without them (``level`` and
    ``code`` alone) are placed by ``parent_code``: both give the same totals."""
    bare = rows.drop(columns=list(frames.AREA_COLUMNS.values()))
    for level in frames.AREA_COLUMNS:
        stored = frames.sum_per_area(rows, ["households", "budget_baht"], level)
        placed = frames.sum_per_area(bare, ["households", "budget_baht"], level)
        assert not stored.empty
        pd.testing.assert_frame_equal(stored, placed, check_names=False)
    assert frames.sum_per_area(rows, ["households"], "tambon")["households"].sum() == 49


def test_geojson_reads_back_and_is_stable(rows: pd.DataFrame, boundary_cache: Path) -> None:
    layer = load_layer("province", exports.GEOJSON_DETAIL, boundary_cache)
    table = frames.aggregate_to_level(rows, POR_PIANG, "province")
    areas = exports.join_areas(layer, table)
    assert len(areas) == 77
    data = exports.areas_geojson(areas, POR_PIANG, ["households", "rows"])
    assert data == exports.areas_geojson(areas, POR_PIANG, ["households", "rows"])
    text = data.decode("utf-8")
    assert not re.search(r"\d{4}-\d{2}-\d{2}T\d{2}:", text)  # no timestamps
    collection = json.loads(text)
    assert collection["type"] == "FeatureCollection" and "crs" not in collection
    assert "CC BY-IGO 3.0" in collection["attribution"]
    codes = [f["properties"]["code"] for f in collection["features"]]
    assert codes == sorted(codes) and len(codes) == 77
    chiang_mai = next(f for f in collection["features"] if f["properties"]["code"] == "50")
    assert chiang_mai["properties"]["name_th"] == "เชียงใหม่"
    assert chiang_mai["properties"]["households"] == 19
    phuket = next(f for f in collection["features"] if f["properties"]["code"] == "83")
    assert phuket["properties"]["households"] is None  # no data, not zero
    back = gpd.read_file(io.BytesIO(data))
    assert len(back) == 77 and back.geometry.is_valid.all()
    assert back.crs.to_epsg() == 4326
    coordinates = shapely.get_coordinates(shapely.from_geojson(json.dumps(chiang_mai["geometry"])))
    assert len(coordinates) > 100
    assert (coordinates.round(5) == coordinates).all()
    only_data = exports.join_areas(layer, table, how="inner")
    assert sorted(only_data["code"]) == ["10", "30", "50"]


def test_metric_dicts_work_like_store_columns() -> None:
    frame = pd.DataFrame(
        {
            "programme": ["baan_por_piang"],
            "fiscal_year": [2569],
            "quarter": [1],
            "level": ["tambon"],
            "code": ["100101"],
            "metrics": [{"households": 3, "beneficiary_ids": 9}],
        }
    )
    table = exports.export_table(frame, POR_PIANG)
    assert table.iloc[0]["จำนวนครัวเรือน"] == 3
    assert not any("beneficiary" in c for c in table.columns)  # undeclared metric not exported
    assert table.iloc[0]["แหล่งที่มา"] == exports.CODI.th
