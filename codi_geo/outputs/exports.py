"""Downloads of the filtered data: XLSX, CSV that Excel opens with Thai intact, GeoJSON.

Input is a frame of result rows as ``Store.results()`` returns them (one column per metric,
``code``, ``level``, provenance columns …); a frame with a ``metrics`` column of dicts (the
``ResultRow`` shape) works too. Everything here is pure: frames in, bytes out.

A public page passes ``public.public_rows(...)`` output: only the columns that survive are
written, so nothing internal can reach a public download through this module.
"""

from __future__ import annotations

import io
import json
import math
from collections.abc import Mapping, Sequence
from datetime import datetime
from functools import cache
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from codi_geo.maps.scales import is_missing
from codi_geo.places import gazetteer
from codi_geo.places.sources import ATTRIBUTION
from codi_geo.programmes import Metric, Programme
from codi_geo.results import sheets
from codi_geo.results.frames import metric_frame, parent_code, present_metrics
from codi_geo.text import Bilingual
from codi_geo.thai import BANGKOK

CODI = Bilingual(
    "สถาบันพัฒนาองค์กรชุมชน (องค์การมหาชน) (พอช.)",
    "Community Organizations Development Institute (CODI)",
)
LEVEL_TH = {
    "national": "ประเทศ",
    "region": "ภาค (พอช.)",
    "province": "จังหวัด",
    "district": "อำเภอ",
    "tambon": "ตำบล",
    "point": "จุดพิกัด",
}
VISIBILITY_TH = {"public": "เผยแพร่ได้", "internal": "ใช้ภายใน"}
# Geometry detail recommended for GeoJSON downloads (see ``boundaries.DETAILS``): a few
# hundred metres, small enough to mail, fine enough for a province or region map.
GEOJSON_DETAIL = "medium"


# ---------------------------------------------------------------------------------------
# Areas
# ---------------------------------------------------------------------------------------


def join_areas(layer: gpd.GeoDataFrame, table: pd.DataFrame, how: str = "left") -> gpd.GeoDataFrame:
    """Boundary layer (``boundaries.load_layer``) joined on ``code`` with an area table
    (``frames.aggregate_to_level``): ``how="left"`` keeps every area (no data where none),
    ``"inner"`` only areas with data."""
    joined = layer.merge(table, on="code", how=how, sort=False)
    return gpd.GeoDataFrame(joined, geometry=layer.geometry.name, crs=layer.crs)


# ---------------------------------------------------------------------------------------
# The flat table behind XLSX and CSV
# ---------------------------------------------------------------------------------------


@cache
def _name_tables() -> dict[str, dict[str, str]]:
    return {
        level: dict(
            zip(gazetteer.areas(level)["code"], gazetteer.areas(level)["name_th"], strict=True)
        )
        for level in gazetteer.LEVELS
    }


def metric_header(metric: Metric, lang: str = "th") -> str:
    """``งบประมาณ (บาท)``; a count whose unit is its name reads ``จำนวนครัวเรือน``."""
    name, unit = metric.name, metric.unit
    if lang == "en":
        same = unit.en.lower() == name.en.lower()
        return name.en if same or not unit.en else f"{name.en} ({unit.en})"
    if unit.th == name.th:
        return f"จำนวน{name.th}"
    return f"{name.th} ({unit.th})" if unit.th else name.th


def provenance(row: Mapping[str, Any]) -> str:
    """Where a row came from: document and line, file and row, batch — whatever is known."""
    parts = []
    doc, line = _text(row.get("source_doc")), _text(row.get("source_line"))
    if doc:
        parts.append(f"{doc}:{line}" if line else doc)
    file_name, source_row = _text(row.get("batch_file_name")), row.get("source_row")
    if file_name:
        parts.append(f"{file_name} แถว {source_row}" if not is_missing(source_row) else file_name)
    if not is_missing(row.get("batch_id")):
        parts.append(f"ชุดนำเข้า {int(row['batch_id'])}")
    return " · ".join(parts) or CODI.th


def _text(value: Any) -> str:
    return "" if is_missing(value) else str(value).strip()


def export_table(frame: pd.DataFrame, programme: Programme, lang: str = "th") -> pd.DataFrame:
    """The rows as a flat table with Thai headers (English with ``lang="en"``): programme,
    period, place (code, region, province, district, tambon names), name, category, one
    column per metric, then the internal columns the frame still has (coordinates, place
    text, note, visibility, demo flag) and a provenance column."""
    en = lang == "en"
    data = metric_frame(frame, programme).reset_index(drop=True)
    names = _name_tables()
    codes = data["code"] if "code" in data.columns else pd.Series([None] * len(data))
    levels = data["level"] if "level" in data.columns else pd.Series([programme.level] * len(data))

    def area_name(level: str) -> list[str | None]:
        out = []
        for row_level, code in zip(levels, codes, strict=True):
            area = parent_code(str(row_level), code, level)
            out.append(None if area is None else names[level].get(area))
        return out

    def region_name(row_level: Any, code: Any) -> str | None:
        region = parent_code(str(row_level), code, "region")
        found = gazetteer.REGION_BY_ID.get(region) if region else None
        return None if found is None else found.name.get(lang)

    columns: dict[str, Any] = {}
    columns["Programme" if en else "แผนงาน"] = [programme.name.get(lang)] * len(data)
    for source, th, en_header in (
        ("fiscal_year", "ปีงบประมาณ", "Fiscal year (BE)"),
        ("quarter", "ไตรมาส", "Quarter"),
    ):
        if source in data.columns:
            columns[en_header if en else th] = data[source].astype("Int64").tolist()
    columns["Level" if en else "ระดับพื้นที่"] = [
        str(lv) if en else LEVEL_TH.get(str(lv), str(lv)) for lv in levels
    ]
    columns["Code" if en else "รหัสพื้นที่"] = [_text(c) or None for c in codes]
    columns["CODI region" if en else "ภาค (พอช.)"] = [
        region_name(lv, c) for lv, c in zip(levels, codes, strict=True)
    ]
    columns["Province" if en else "จังหวัด"] = area_name("province")
    columns["District" if en else "อำเภอ"] = area_name("district")
    columns["Tambon" if en else "ตำบล"] = area_name("tambon")
    if "name" in data.columns:
        columns["Name" if en else "ชื่อ"] = [_text(v) or None for v in data["name"]]
    if "category" in data.columns and programme.categories:
        label = programme.category_label.get(lang)
        columns[label] = [_category_name(programme, v, lang) for v in data["category"]]
    for metric in present_metrics(data, programme):
        header = metric_header(metric, lang)
        if header in columns:  # never overwrite a place column
            header = f"{header} [{metric.id}]"
        columns[header] = [None if is_missing(v) else float(v) for v in data[metric.id]]
    if "rows" in data.columns:  # aggregated public rows: how many results each row sums
        columns["Results" if en else "จำนวนรายการ"] = data["rows"].astype("Int64").tolist()
    for source, th, en_header in (
        ("latitude", "ละติจูด", "Latitude"),
        ("longitude", "ลองจิจูด", "Longitude"),
        ("place_text", "สถานที่ตามเอกสาร", "Place as written"),
        ("note", "หมายเหตุ", "Note"),
    ):
        if source in data.columns:
            columns[en_header if en else th] = [
                None if is_missing(v) else v for v in data[source].tolist()
            ]
    if "visibility" in data.columns:
        columns["Visibility" if en else "การเผยแพร่"] = [
            _text(v) if en else VISIBILITY_TH.get(_text(v), _text(v)) for v in data["visibility"]
        ]
    if "is_demo" in data.columns:
        columns["Demo data" if en else "ข้อมูลตัวอย่าง"] = [
            None if is_missing(v) else bool(v) for v in data["is_demo"]
        ]
    records = data.to_dict("records")
    columns["Source" if en else "แหล่งที่มา"] = [provenance(r) for r in records]
    return pd.DataFrame(columns)


def _category_name(programme: Programme, value: Any, lang: str) -> str | None:
    if is_missing(value):
        return None
    found = programme.category(str(value))
    if found is None:
        return str(value)
    return found.name.get(lang)


# ---------------------------------------------------------------------------------------
# CSV, XLSX
# ---------------------------------------------------------------------------------------


def to_csv_bytes(table: pd.DataFrame) -> bytes:
    """``export_table`` output as CSV: UTF-8 with a byte-order mark (so Excel reads Thai),
    CRLF line ends, numbers as plain numbers, formula-like text as text (``sheets``)."""
    return sheets.frame_csv_bytes(table)


def _cell_value(value: Any) -> Any:
    if is_missing(value):
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def to_xlsx_bytes(
    table: pd.DataFrame,
    *,
    title: str,
    about: Sequence[tuple[str, str]] = (),
    sheet_name: str = "ข้อมูล",
    lang: str = "th",
) -> bytes:
    """``export_table`` output as an Excel workbook: a data sheet (bold frozen header row,
    filter, numbers as numbers with thousands separators, codes as text, never formulas)
    and an "about" sheet with the title, the ``about`` lines (filters, period …), the
    source and the boundary attribution."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_name[:31]
    sheet.append([str(c) for c in table.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(vertical="top", wrap_text=True)
    code_header = {"รหัสพื้นที่", "Code"}
    for values in table.itertuples(index=False, name=None):
        sheet.append([_cell_value(v) for v in values])
    for index, column in enumerate(table.columns, start=1):
        letter = get_column_letter(index)
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            if column in code_header:
                cell.number_format = "@"
            elif isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
                cell.number_format = "#,##0" if float(cell.value).is_integer() else "#,##0.00"
        width = max([len(str(column)), *(len(str(v)) for v in table[column].head(200))])
        sheet.column_dimensions[letter].width = min(max(8, width * 1.1 + 2), 60)
    sheet.freeze_panes = "A2"
    if len(table.columns):
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(table.columns))}{len(table) + 1}"

    info = workbook.create_sheet("About" if lang == "en" else "ที่มา")
    info.append([title])
    info["A1"].font = Font(bold=True, size=14)
    for key, value in about:
        info.append([key, value])
    info.append(["Rows" if lang == "en" else "จำนวนแถว", len(table)])
    info.append(["Source" if lang == "en" else "แหล่งข้อมูล", CODI.get(lang)])
    info.append(
        [
            "Boundaries" if lang == "en" else "ขอบเขตการปกครอง",
            ATTRIBUTION.get(lang),
        ]
    )
    sheets.guard_worksheet(sheet)  # text that looks like a formula stays text
    sheets.guard_worksheet(info)
    info.column_dimensions["A"].width = 22
    info.column_dimensions["B"].width = 90
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------
# GeoJSON
# ---------------------------------------------------------------------------------------


def _json_value(value: Any) -> Any:
    value = _cell_value(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def areas_geojson(
    areas: gpd.GeoDataFrame,
    programme: Programme,
    value_columns: Sequence[str] = (),
    *,
    decimals: int = 5,
) -> bytes:
    """Areas as an RFC 7946 GeoJSON FeatureCollection (UTF-8, WGS84 lon/lat): per feature
    ``code``, ``name_th``, ``name_en``, ``category`` when present and the ``value_columns``
    (metrics by id; null for no data). Features sorted by code, coordinates rounded to
    ``decimals``; no timestamps, so the same data gives the same bytes. Pass a layer at
    ``GEOJSON_DETAIL`` (or coarser for a national tambon map)."""
    if areas.crs is not None and areas.crs.to_epsg() != 4326:
        areas = areas.to_crs(4326)
    frame = areas.sort_values("code", kind="stable")
    keys = [k for k in ("code", "name_th", "name_en") if k in frame.columns]
    if "category" in frame.columns and "category" not in value_columns:
        keys.append("category")
    keys += [c for c in value_columns if c not in keys]
    missing = [c for c in keys if c not in frame.columns]
    if missing:
        raise KeyError(f"areas have no column(s) {missing}")
    geometries = shapely.transform(frame.geometry.values, lambda xy: np.round(xy, decimals))
    features = []
    for geometry, props in zip(geometries, frame[keys].to_dict("records"), strict=True):
        features.append(
            {
                "type": "Feature",
                "properties": {k: _json_value(v) for k, v in props.items()},
                "geometry": None if geometry is None else json.loads(shapely.to_geojson(geometry)),
            }
        )
    collection = {
        "type": "FeatureCollection",
        "name": programme.id,
        "programme": {
            "id": programme.id,
            "name_th": programme.name.th,
            "name_en": programme.name.en,
        },
        "attribution": f"{ATTRIBUTION.th} / {ATTRIBUTION.en}",
        "features": features,
    }
    return json.dumps(collection, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def export_about(
    programme: Programme,
    fiscal_year: int | None,
    quarter: int | None,
    filters: Sequence[tuple[str, str]] = (),
    exported_at: datetime | None = None,
) -> list[tuple[str, str]]:
    """The lines of the XLSX "about" sheet for a view."""
    lines = [("แผนงาน", f"{programme.name.th} ({programme.name.en})")]
    if fiscal_year is not None:
        lines.append(("ปีงบประมาณ", str(fiscal_year)))
    if quarter is not None:
        lines.append(("ไตรมาส", str(quarter)))
    lines += list(filters)
    if exported_at is not None:
        # Bangkok time, as the fiscal calendar (a naive time is taken as already local).
        shown = exported_at.astimezone(BANGKOK) if exported_at.tzinfo else exported_at
        lines.append(("ส่งออกเมื่อ", shown.isoformat(timespec="seconds")))
    return lines
