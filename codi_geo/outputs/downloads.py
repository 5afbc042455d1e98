"""The files a map page offers for its current view: the briefing image (PNG, PDF), the
filtered rows (XLSX, CSV with a BOM) and the areas (GeoJSON), all from the page's
``views.MapLayer`` (the same values, classes and colours as the interactive map).

Each ``Download`` carries a ``make`` function that builds the bytes only when asked (the page
passes it to ``st.download_button`` as deferred data). On a public page the layer's rows are
already public (``public.public_results``); on top of that a public file never gets the
coordinates of single rows, and empty internal columns are left out.

Pure: no Streamlit here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import pandas as pd

from codi_geo.access import public
from codi_geo.maps import views
from codi_geo.maps.views import MapLayer
from codi_geo.maps.viewstate import ViewState
from codi_geo.outputs import briefing, exports
from codi_geo.text import t

FORMATS: tuple[str, ...] = ("png", "pdf", "xlsx", "csv", "geojson")
MIME_TYPES: dict[str, str] = {
    "png": "image/png",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv",
    "geojson": "application/geo+json",
}


@dataclass(frozen=True)
class Download:
    format: str
    label: str
    help: str
    file_name: str
    mime: str
    make: Callable[[], bytes]


def briefing_view(layer: MapLayer, state: ViewState) -> briefing.BriefingView:
    """The briefing settings of a page's view: the layer's title, metric and level, the
    period and the area filters of the URL, the page language."""
    return briefing.BriefingView(
        programme=layer.programme.id,
        fiscal_year=state.fiscal_year,
        quarter=state.quarter,
        metric=None if layer.kind == "category" else layer.metric,
        level=layer.level,
        title=layer.title,
        filters=views.filter_labels(state, state.lang),
        lang="en" if state.lang == "en" else "th",
        count_label=layer.count_label,
    )


def briefing_bytes(layer: MapLayer, state: ViewState, fmt: str, *, public_page: bool) -> bytes:
    """The slide image (``png`` or ``pdf``) of the layer, made on the server."""
    frame = views.areas(layer)
    rendered = briefing.render_briefing(
        frame, layer.programme, briefing_view(layer, state), fmt=fmt,  # type: ignore[arg-type]
        column=views.value_column(layer), outlines=views.outlines(layer),
        points=views.dots(layer, frame, public=public_page),
    )
    if rendered.missing_glyphs:
        raise briefing.ThaiFontMissingError(
            "ฟอนต์ไม่มีอักษร " + "".join(rendered.missing_glyphs)
            + f" ตั้งค่า {briefing.THAI_FONT_ENV} / no installed font draws "
            + "".join(rendered.missing_glyphs)
        )
    return rendered.data


def export_rows(layer: MapLayer, *, public_page: bool) -> pd.DataFrame:
    """The rows behind the layer, as the files get them. On a public page: without the empty
    columns the page frame carries (see ``public.EMPTY_PAGE_COLUMNS``), and refused when any
    other column is not public for the programme."""
    rows = layer.rows
    if public_page:
        # empty columns the page frame carries: the padding of ``public_results`` and the
        # metrics of the other programmes it holds
        allowed = set(public.public_columns(layer.programme))
        empty = [c for c in rows.columns if c not in allowed and rows[c].isna().all()]
        rows = rows.drop(columns=empty)
        problems = public.check_public_frame(rows, layer.programme)
        if problems:
            raise public.PublicModeError("; ".join(problems))
    return rows


def table_bytes(layer: MapLayer, state: ViewState, fmt: str, *, public_page: bool,
                now: datetime | None = None) -> bytes:
    """The filtered rows as ``xlsx`` or ``csv`` (UTF-8 with BOM, Thai intact in Excel)."""
    table = exports.export_table(export_rows(layer, public_page=public_page),
                                 layer.programme, state.lang)
    if fmt == "csv":
        return exports.to_csv_bytes(table)
    if fmt != "xlsx":
        raise ValueError(f"table format must be xlsx or csv, not {fmt!r}")
    about = exports.export_about(
        layer.programme, state.fiscal_year, state.quarter,
        filters=[*views.filter_labels(state, state.lang),
                 (t("map_title", state.lang), layer.title)],
        exported_at=now or datetime.now(UTC))
    return exports.to_xlsx_bytes(table, title=layer.title, about=about, lang=state.lang,
                                 sheet_name="Data" if state.lang == "en" else "ข้อมูล")


def geojson_detail(layer: MapLayer) -> str:
    """Boundary detail for the GeoJSON: ``medium`` (a few hundred metres), coarse for
    thousands of tambons or districts nationally, fine inside one province."""
    if layer.view.scope in ("province", "district"):
        return "high"
    if layer.level in ("tambon", "district") and not layer.only_with_data:
        return "low"
    return exports.GEOJSON_DETAIL


def geojson_bytes(layer: MapLayer, *, public_page: bool) -> bytes:
    """The layer's areas with the map's value and every metric summed per area (RFC 7946).
    A map that draws only areas with data exports only those."""
    frame = views.areas(layer, geojson_detail(layer))
    column = views.value_column(layer)
    rows = export_rows(layer, public_page=public_page)
    totals = exports.aggregate_to_level(rows, layer.programme, layer.level)
    totals = totals.drop(columns=[c for c in totals.columns if c == column and c != "code"])
    merged = frame.merge(totals, on="code", how="left", sort=False)
    if layer.only_with_data:
        merged = merged[merged[column].notna()]
    merged = merged.set_geometry("geometry")
    values = [c for c in (column, "rows", *(m.id for m in layer.programme.metrics))
              if c in merged.columns and c != "category"]
    return exports.areas_geojson(merged, layer.programme, list(dict.fromkeys(values)))


def file_stem(layer: MapLayer, state: ViewState, with_metric: bool = False) -> str:
    """``codi_disaster_2569_q2_50`` (programme, fiscal year, quarter, area in view; the
    mapped figure with ``with_metric``): ASCII, safe in every browser and OS."""
    parts = ["codi", layer.programme.id]
    if state.fiscal_year is not None:
        parts.append(str(state.fiscal_year))
    if state.quarter is not None:
        parts.append(f"q{state.quarter}")
    if state.within:
        parts.append(state.within)
    if with_metric and layer.kind != "category" and layer.metric:
        parts.append(layer.metric)
    return "_".join(parts)


def downloads(layer: MapLayer, state: ViewState, *, public_page: bool) -> list[Download]:
    """The five files of a page's view, each made when asked."""
    lang = state.lang
    stem = file_stem(layer, state)
    files: list[Download] = []
    for fmt in ("png", "pdf"):
        files.append(Download(
            fmt, t(f"download_{fmt}", lang), t(f"download_{fmt}_help", lang),
            f"{file_stem(layer, state, with_metric=True)}_map.{fmt}", MIME_TYPES[fmt],
            lambda fmt=fmt: briefing_bytes(layer, state, fmt, public_page=public_page)))
    for fmt in ("xlsx", "csv"):
        files.append(Download(
            fmt, t(f"download_{fmt}", lang), t(f"download_{fmt}_help", lang),
            f"{stem}.{fmt}", MIME_TYPES[fmt],
            lambda fmt=fmt: table_bytes(layer, state, fmt, public_page=public_page)))
    files.append(Download(
        "geojson", t("download_geojson", lang), t("download_geojson_help", lang),
        f"{stem}_{layer.level}.geojson", MIME_TYPES["geojson"],
        lambda: geojson_bytes(layer, public_page=public_page)))
    return files
