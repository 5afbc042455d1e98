"""The files a map page offers for its current view: the briefing image (PNG, PDF), the
filtered rows (XLSX, CSV with a BOM) and the areas (GeoJSON), all from the page's
``pagemaps.PageMap`` (the same values, classes and colours as the interactive map).

Each ``Download`` carries a ``make`` function that builds the bytes only when asked (the page
passes it to ``st.download_button`` as deferred data). On a public page the map's rows are
already public (``public.public_results``); on top of that a public file never gets the
coordinates of single rows, and empty internal columns are left out.

Pure: no Streamlit here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial

import pandas as pd

from codi_geo.access import public
from codi_geo.maps import pagemaps, printable
from codi_geo.maps.pagemaps import PageMap
from codi_geo.maps.viewstate import ViewState, period_token
from codi_geo.outputs import briefing, exports, fonts, tables
from codi_geo.places import gazetteer
from codi_geo.results import frames
from codi_geo.text import t

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


def slide_request(page_map: PageMap, state: ViewState) -> briefing.SlideRequest:
    """The slide a page's map asks for: the map's title, metric and level, the
    period and the area filters of the URL, the page language."""
    return briefing.SlideRequest(
        programme=page_map.programme.id,
        fiscal_year=state.fiscal_year,
        quarter=state.quarter,
        metric=None if page_map.kind == "category" else page_map.metric,
        level=page_map.level,
        title=page_map.title,
        filters=pagemaps.filter_labels(state, state.lang),
        lang="en" if state.lang == "en" else "th",
        count_label=page_map.count_label,
        marked_label=page_map.marked_label if page_map.marked else "",
        change=page_map.kind == "change",
    )


def briefing_bytes(page_map: PageMap, state: ViewState, fmt: str, *, public_page: bool) -> bytes:
    """The slide image (``png`` or ``pdf``) of the page map, made on the server."""
    frame = printable.areas(page_map)
    rendered = briefing.render_briefing(
        # fmt is "png" or "pdf": downloads() asks for no other
        frame,
        page_map.programme,
        slide_request(page_map, state),
        fmt=fmt,  # type: ignore[arg-type]
        column=printable.value_column(page_map),
        outlines=printable.outlines(page_map),
        points=printable.dots(page_map, frame, public=public_page, lang=state.lang),
        marked=printable.marked_areas(page_map, frame),
    )
    if rendered.missing_glyphs:
        glyphs = "".join(rendered.missing_glyphs)
        raise fonts.ThaiFontMissingError(
            f"ฟอนต์ไม่มีอักษร {glyphs} ตั้งค่า {fonts.THAI_FONT_ENV}",
            f"no installed font draws {glyphs}: set {fonts.THAI_FONT_ENV}",
        )
    return rendered.data


def export_rows(page_map: PageMap, *, public_page: bool) -> pd.DataFrame:
    """The rows behind the page_map, as the files get them. On a public page: without the empty
    columns the page frame carries (see ``public.EMPTY_PAGE_COLUMNS``), and refused when any
    other column is not public for the programme."""
    rows = page_map.rows
    if public_page:
        # empty columns the page frame carries: the padding of ``public_results`` and the
        # metrics of the other programmes it holds
        allowed = set(public.public_columns(page_map.programme))
        empty = [c for c in rows.columns if c not in allowed and rows[c].isna().all()]
        rows = rows.drop(columns=empty)
        problems = public.check_public_frame(rows, page_map.programme)
        if problems:
            raise public.PublicModeError("; ".join(problems))
    return rows


def table_bytes(
    page_map: PageMap, state: ViewState, fmt: str, *, public_page: bool, now: datetime | None = None
) -> bytes:
    """The filtered rows as ``xlsx`` or ``csv`` (UTF-8 with BOM, Thai intact in Excel)."""
    table = exports.export_table(
        export_rows(page_map, public_page=public_page), page_map.programme, state.lang
    )
    if fmt == "csv":
        return exports.to_csv_bytes(table)
    if fmt != "xlsx":
        raise ValueError(f"table format must be xlsx or csv, not {fmt!r}")
    about = exports.export_about(
        page_map.programme,
        state.fiscal_year,
        state.quarter,
        filters=[
            *pagemaps.filter_labels(state, state.lang),
            (t("map_title", state.lang), page_map.title),
        ],
        exported_at=now or datetime.now(UTC),
    )
    return exports.to_xlsx_bytes(
        table,
        title=page_map.title,
        about=about,
        lang=state.lang,
        sheet_name="Data" if state.lang == "en" else "ข้อมูล",
    )


def geojson_detail(page_map: PageMap) -> str:
    """Boundary detail for the GeoJSON: ``medium`` (a few hundred metres), coarse for
    thousands of tambons or districts nationally, fine inside one province."""
    if page_map.extent.scope in ("province", "district"):
        return "high"
    if page_map.level in ("tambon", "district") and not page_map.only_with_data:
        return "low"
    return exports.GEOJSON_DETAIL


def geojson_bytes(page_map: PageMap, *, public_page: bool) -> bytes:
    """The map's areas with the map's value and every metric summed per area (RFC 7946).
    A map that draws only areas with data exports only those."""
    frame = printable.areas(page_map, geojson_detail(page_map))
    column = printable.value_column(page_map)
    rows = export_rows(page_map, public_page=public_page)
    if page_map.kind == "change":  # the rows of two periods: their sums would mislead
        rows = rows.iloc[0:0]
    totals = frames.aggregate_to_level(rows, page_map.programme, page_map.level)
    totals = totals.drop(columns=[c for c in totals.columns if c == column and c != "code"])
    merged = frame.merge(totals, on="code", how="left", sort=False)
    if page_map.only_with_data:
        merged = merged[merged[column].notna()]
    merged = merged.set_geometry("geometry")
    values = [
        c
        for c in (column, "rows", *(m.id for m in page_map.programme.metrics))
        if c in merged.columns and c != "category"
    ]
    return exports.areas_geojson(merged, page_map.programme, list(dict.fromkeys(values)))


def view_stem(what: str, state: ViewState) -> str:
    """``codi_WHAT_2569_q2_50``: what a file holds, then the view's fiscal year, quarter and
    area, those it has. ASCII, safe in every browser and OS."""
    parts = ["codi", what]
    if state.fiscal_year is not None:
        parts.append(str(state.fiscal_year))
    if state.quarter is not None:
        parts.append(f"q{state.quarter}")
    if state.within:
        parts.append(state.within)
    return "_".join(parts)


def file_stem(page_map: PageMap, state: ViewState, with_metric: bool = False) -> str:
    """``codi_disaster_2569_q2_50`` (``view_stem`` of the programme; the mapped figure with
    ``with_metric``)."""
    parts = [view_stem(page_map.programme.id, state)]
    if with_metric and page_map.kind != "category" and page_map.metric:
        parts.append(page_map.metric)
    if page_map.compare is not None:
        parts.append(f"vs{period_token(page_map.compare)}")
    return "_".join(parts)


def downloads(page_map: PageMap, state: ViewState, *, public_page: bool) -> list[Download]:
    """The five files of a page's view, each made when asked."""
    lang = state.lang
    stem = file_stem(page_map, state)
    files: list[Download] = []
    for fmt in ("png", "pdf"):
        files.append(
            Download(
                fmt,
                t(f"download_{fmt}", lang),
                t(f"download_{fmt}_help", lang),
                f"{file_stem(page_map, state, with_metric=True)}_map.{fmt}",
                MIME_TYPES[fmt],
                partial(briefing_bytes, page_map, state, fmt, public_page=public_page),
            )
        )
    for fmt in ("xlsx", "csv"):
        files.append(
            Download(
                fmt,
                t(f"download_{fmt}", lang),
                t(f"download_{fmt}_help", lang),
                f"{stem}.{fmt}",
                MIME_TYPES[fmt],
                partial(table_bytes, page_map, state, fmt, public_page=public_page),
            )
        )
    files.append(
        Download(
            "geojson",
            t("download_geojson", lang),
            t("download_geojson_help", lang),
            f"{stem}_{page_map.level}.geojson",
            MIME_TYPES["geojson"],
            partial(geojson_bytes, page_map, public_page=public_page),
        )
    )
    return files


# ---------------------------------------------------------------------------------------
# The area profile as a file
# ---------------------------------------------------------------------------------------


def profile_file_name(state: ViewState, fmt: str) -> str:
    """``codi_profile_30_q2.xlsx``: the area's code, the quarter when one is chosen."""
    parts = ["codi", "profile", state.area or "area"]
    if state.quarter is not None:
        parts.append(f"q{state.quarter}")
    return "_".join(parts) + f".{fmt}"


def profile_bytes(
    profile: pd.DataFrame, state: ViewState, fmt: str, now: datetime | None = None
) -> bytes:
    """An area's profile (``periods.area_profile``) as CSV (UTF-8 with BOM) or XLSX, through
    the formula-safe writers of ``exports``."""
    lang = state.lang
    table = tables.area_profile_export(profile, lang)
    if fmt == "csv":
        return exports.to_csv_bytes(table)
    if fmt != "xlsx":
        raise ValueError(f"table format must be xlsx or csv, not {fmt!r}")
    name = (
        gazetteer.full_name(state.area, lang)
        if state.area and gazetteer.is_current(state.area)
        else (state.area or "")
    )
    title = f"{t('area_profile', lang)}: {name}"
    about = [(t("area_profile", lang), name)]
    if state.quarter is not None:
        about.append((t("quarter", lang), str(state.quarter)))
    about.append(
        (
            "ส่งออกเมื่อ" if lang == "th" else "Exported",
            (now or datetime.now(UTC)).isoformat(timespec="seconds"),
        )
    )
    return exports.to_xlsx_bytes(
        table,
        title=title,
        about=about,
        lang=lang,
        sheet_name="Profile" if lang == "en" else "ข้อมูลพื้นที่",
    )
