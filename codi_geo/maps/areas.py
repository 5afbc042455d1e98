"""Maps of areas: polygons shaded by a number (choropleth, classed by
``codi_geo.maps.scales``), coloured by a programme's declared categories, or by CODI region;
their layers and legends. Pure: folium objects from the boundary cache and DataFrames.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd

from codi_geo.maps import scales
from codi_geo.maps.base import (
    DEFAULT_OPTIONS,
    Extent,
    MapOptions,
    add_selected,
    area_tooltips,
    attribution,
    base_map,
    boundaries,
    bounds_of,
    category_legend,
    category_numbers,
    context_outlines,
    esc,
    extent_bounds,
    finish,
    fmt_number,
    legend_html,
    outline_layer,
    overlay_outlines,
    padded,
    polygon_layer,
)
from codi_geo.maps.controls import Legend
from codi_geo.maps.layers import PointLayer, PolygonLayer
from codi_geo.maps.markers import area_dots
from codi_geo.maps.shapes import region_frame, region_level
from codi_geo.places import gazetteer
from codi_geo.places.boundaries import load_layer
from codi_geo.programmes import Programme
from codi_geo.text import Bilingual, t

# "No data": the shared neutral grey of ``scales`` at low opacity with a dashed outline, so
# it never reads as a class (zero has its own, pale yellow class).
NO_DATA_STYLE = {
    "color": "#757575",
    "weight": 0.8,
    "dashArray": "3 3",
    "fillColor": scales.NO_DATA_COLOUR,
    "fillOpacity": 0.45,
}


MARKED_STYLE = {"color": "#67000d", "weight": 4, "fill": False}


# CODI's five regions: Okabe-Ito colours (colour-blind safe), lightened for fills.
REGION_COLOURS = {
    "north": "#56b4e9",
    "northeast": "#e69f00",
    "south": "#009e73",
    "central_west": "#f0e442",
    "bangkok_east": "#cc79a7",
}


# ---------------------------------------------------------------------------------------
# Layers
# ---------------------------------------------------------------------------------------


def scheme_styles(
    scheme: scales.Scheme, outline: str = "#4d4d4d"
) -> tuple[list[str], list[dict[str, Any]], list[Bilingual]]:
    """Leaflet styles for a class scheme (``codi_geo.maps.scales``): keys, styles and legend
    labels, "no data" first (grey, dashed outline; hatched in the legend)."""
    entries = scheme.legend(include_no_data=True)
    no_data = [e for e in entries if e.key == scales.NO_DATA_KEY]
    ordered = no_data + [e for e in entries if e.key != scales.NO_DATA_KEY]
    styles = []
    for entry in ordered:
        if entry.key == scales.NO_DATA_KEY:
            styles.append(dict(NO_DATA_STYLE))
        else:
            styles.append(
                {"color": outline, "weight": 0.6, "fillColor": entry.colour, "fillOpacity": 0.85}
            )
    return [e.key for e in ordered], styles, [e.label for e in ordered]


def choropleth_layer(
    frame: gpd.GeoDataFrame,
    level: str,
    detail: str,
    values: pd.Series,
    title: str,
    lang: str = "th",
    unit: str = "",
    cache_dir: Path | None = None,
    outline: str = "#4d4d4d",
    scheme: scales.Scheme | None = None,
) -> tuple[PolygonLayer, Legend]:
    """Areas shaded by ``values`` (indexed by code; a missing value is "no data", drawn
    apart from zero). Classes from ``codi_geo.maps.scales.classify`` (YlGnBu, zero class).
    Each area is outlined only when there are at most 2,000 (7,425 tambon outlines are a
    grey blur nationally and cost half the drawing time; the province outlines on top give
    the structure)."""
    aligned = pd.to_numeric(values, errors="coerce").reindex(frame["code"].to_numpy())
    raw = [None if v != v else v for v in aligned.to_numpy(dtype=float).tolist()]
    # ``scheme``: the caller's classes (a change map's ``scales.diverging``)
    scheme = scheme if scheme is not None else scales.classify(raw, n=5)
    keys, styles, labels = scheme_styles(scheme, outline)
    if len(frame) > 2000:
        styles = [{**style, "stroke": False} for style in styles]
    label = f"{title} ({unit})" if unit else title
    # each distinct value classed and written once: the country's tambons hold few
    classed: dict[float | None, tuple[int, str]] = {}
    for v in set(raw):
        if v is None:
            text = t("no_data", lang)
        elif isinstance(scheme, scales.Diverging):
            text = scales.signed(v, 0 if v.is_integer() else 2)
        else:
            text = fmt_number(v, lang)
        classed[v] = (keys.index(scheme.key_of(v)), text)
    index = [classed[v][0] for v in raw]
    shown = [classed[v][1] for v in raw]
    layer = polygon_layer(
        frame,
        level,
        detail,
        styles,
        index,
        area_tooltips(frame["code"].tolist(), lang, [(label, shown)]),
        cache_dir,
        name=title,
    )
    used = sorted(set(index))
    legend = Legend(legend_html(label, [(labels[i].get(lang), styles[i]) for i in used]))
    return layer, legend


def category_styles(programme: Programme, outline: str = "#333333") -> list[dict[str, Any]]:
    """Style 0 = no data, then one per declared category (in declaration order)."""
    base = {"color": outline, "weight": 0.8, "fillOpacity": 0.85}
    return [dict(NO_DATA_STYLE)] + [{**base, "fillColor": c.colour} for c in programme.categories]


def category_layer(
    frame: gpd.GeoDataFrame,
    level: str,
    detail: str,
    categories: pd.Series,
    programme: Programme,
    lang: str = "th",
    cache_dir: Path | None = None,
    extra_rows: Sequence[tuple[str, Sequence[object]]] = (),
    legend_note: str = "",
) -> tuple[PolygonLayer, Legend]:
    """Areas coloured by the programme's declared category (``categories``: code → id);
    ``extra_rows``: more (label, values aligned with ``frame``) tooltip rows."""
    aligned = categories.reindex(frame["code"].to_numpy())
    index = category_numbers(programme, aligned.to_numpy())
    cat_title = programme.category_label.get(lang)
    shown = []
    for value in aligned.to_numpy():
        category = programme.category(value) if isinstance(value, str) else None
        shown.append(category.name.get(lang) if category else t("no_data", lang))
    styles = category_styles(programme)
    layer = polygon_layer(
        frame,
        level,
        detail,
        styles,
        index,
        area_tooltips(frame["code"].tolist(), lang, [(cat_title, shown), *extra_rows]),
        cache_dir,
        name=programme.name.get(lang),
    )
    items = category_legend(programme, styles, lang, set(index))
    title = f"{programme.name.get(lang)}: {cat_title}"
    return layer, Legend(legend_html(title, items, note=legend_note))


def region_layer(
    frame: gpd.GeoDataFrame,
    detail: str,
    lang: str = "th",
    cache_dir: Path | None = None,
) -> tuple[PolygonLayer, Legend]:
    """Provinces coloured by CODI region."""
    regions = list(gazetteer.REGION_BY_ID)
    styles = [dict(NO_DATA_STYLE)] + [
        {"color": "#404040", "weight": 0.7, "fillColor": REGION_COLOURS[r], "fillOpacity": 0.75}
        for r in regions
    ]
    index = [regions.index(r) + 1 if r in regions else 0 for r in frame["region"]]
    names = []
    for region in frame["region"]:
        info = gazetteer.REGION_BY_ID.get(region)
        names.append(info.name.get(lang) if info else "–")
    rows: list[tuple[str, Sequence[object]]] = [(t("region", lang), names)]
    layer = polygon_layer(
        frame,
        "province",
        detail,
        styles,
        index,
        area_tooltips(frame["code"].tolist(), lang, rows),
        cache_dir,
        name=t("region", lang),
        attribution_text=esc(attribution(lang)),
    )
    items = [
        (gazetteer.REGION_BY_ID[r].name.get(lang), styles[i + 1]) for i, r in enumerate(regions)
    ]
    return layer, Legend(legend_html(t("region", lang), items))


# ---------------------------------------------------------------------------------------
# Maps
# ---------------------------------------------------------------------------------------


def with_codes(frame: gpd.GeoDataFrame, codes: Iterable[str]) -> gpd.GeoDataFrame:
    """The areas of ``frame`` whose code is one of ``codes``. By a set, not ``Series.isin``:
    on the string column of codes that makes a pyarrow scalar of each value, 50 ms of every
    change for the country's tambons."""
    wanted = set(codes)
    return frame[np.fromiter((code in wanted for code in frame["code"].tolist()), bool, len(frame))]


def choropleth_map(
    extent: Extent,
    values: pd.Series,
    title: str,
    options: MapOptions = DEFAULT_OPTIONS,
    unit: str = "",
    fit_to_data: bool = False,
    extra: Sequence[Any] = (),
    only_with_data: bool = False,
    scheme: scales.Scheme | None = None,
    legend_note: str = "",
    legend_more: str = "",
) -> folium.Map:
    """A classed map of ``values`` (code → number) over the extent's areas. ``fit_to_data``
    zooms to the areas that have a value; ``only_with_data`` draws only those (with a dot
    each, so small districts and tambons stay visible nationally); ``extra`` layers are
    drawn on top; ``legend_more`` (escaped HTML, ``legend_html``) ends the legend: what the
    colours of those layers mean, in the same box."""
    lang, cache_dir = options.lang, options.cache_dir
    frame = boundaries(extent.level, extent.detail, cache_dir, extent.within, extent.fiscal_year)
    bounds = extent_bounds(extent, cache_dir)
    # the areas with a value, when the map is drawn or fitted to them alone
    with_data = with_codes(frame, values.dropna().index) if only_with_data or fit_to_data else frame
    if only_with_data:
        frame = with_data
    zoomed_in = False
    if fit_to_data and not with_data.empty:
        bounds = padded(bounds_of(with_data))
        (south, west), (north, east) = bounds
        zoomed_in = (north - south) < 3 and (east - west) < 3
    m = base_map(bounds, options.basemap, lang)
    if options.basemap == "plain":
        context_outlines(m, lang, cache_dir)
    if zoomed_in and extent.level != "province":
        # a close-up of a few areas: their provinces' districts for orientation
        provinces = sorted({code[:2] for code in with_data["code"]})
        districts = load_layer("district", "medium", cache_dir)
        districts = districts[districts["province_code"].isin(provinces)]
        outline_layer(
            districts, "district", "medium", cache_dir, colour="#9aa5ae", weight=0.7, lang=lang
        ).add_to(m)
    layer, legend = choropleth_layer(
        frame, extent.level, extent.detail, values, title, lang, unit, cache_dir, scheme=scheme
    )
    if legend_note:
        legend.html += f'<div class="note">{esc(legend_note)}</div>'
    layer.add_to(m)
    overlay_outlines(m, extent, cache_dir)
    if only_with_data and not frame.empty:
        points = frame.geometry.representative_point()
        dots = PointLayer(
            points.y.round(5).tolist(),
            points.x.round(5).tolist(),
            [
                {**style, "radius": 5, "weight": 1, "color": "#222222", "fillOpacity": 0.95}
                for style in layer.data["s"]
            ],
            layer.data["k"],
            ids=frame["code"].tolist(),
            codes=frame["code"].tolist(),
            cluster=False,
            name=title,
        )
        dots.add_to(m)
        legend.html += f'<div class="note">{esc(t("only_with_data_note", lang))}</div>'
    add_selected(m, options.selected, cache_dir)
    legend.html += legend_more
    legend.add_to(m)
    for element in extra:
        element.add_to(m)
    return finish(m, options.base_url_path)


def category_map(
    extent: Extent,
    categories: pd.Series,
    programme: Programme,
    options: MapOptions = DEFAULT_OPTIONS,
    extra_rows: Sequence[tuple[str, pd.Series | dict]] = (),
    only_with_data: bool = False,
    legend_note: str = "",
    marked: Sequence[str] = (),
) -> folium.Map:
    """Areas of the extent coloured by the programme's categories. ``only_with_data`` draws
    only the areas that have a category (e.g. the model tambons among 7,425), over the
    province outlines. ``marked`` areas get a thick dark outline (e.g. met all criteria)."""
    lang, cache_dir = options.lang, options.cache_dir
    frame = boundaries(extent.level, extent.detail, cache_dir, extent.within, extent.fiscal_year)
    if only_with_data:
        frame = with_codes(frame, categories.dropna().index)
    m = base_map(extent_bounds(extent, cache_dir), options.basemap, lang)
    if options.basemap == "plain" or only_with_data:
        context_outlines(m, lang, cache_dir)
    rows = [
        (
            label,
            pd.Series(values, dtype=object).reindex(frame["code"].to_numpy()).fillna("–").tolist(),
        )
        for label, values in extra_rows
    ]
    layer, legend = category_layer(
        frame,
        extent.level,
        extent.detail,
        categories,
        programme,
        lang,
        cache_dir,
        rows,
        legend_note,
    )
    layer.add_to(m)
    overlay_outlines(m, extent, cache_dir)
    if only_with_data and extent.level == "tambon" and extent.scope in ("national", "region"):
        area_dots(frame, categories, programme, lang).add_to(m)
    if marked:
        chosen = frame[frame["code"].isin(list(marked))]
        polygon_layer(
            chosen,
            extent.level,
            extent.detail,
            [dict(MARKED_STYLE)],
            [0] * len(chosen),
            None,
            cache_dir,
            interactive=False,
        ).add_to(m)
    add_selected(m, options.selected, cache_dir)
    legend.add_to(m)
    return finish(m, options.base_url_path)


def region_count_map(
    counts: dict[str, float],
    title: str,
    options: MapOptions = DEFAULT_OPTIONS,
    unit: str = "",
    note: str = "",
    fiscal_year: int | None = None,
    within: str | None = None,
) -> folium.Map:
    """The five CODI regions shaded by a count each (e.g. model tambons per region when the
    data has no tambon list), with province outlines for orientation. The regions are CODI's
    of ``fiscal_year`` (the FY2560 figures on the FY2560 regions). ``within`` (a region id):
    that region alone is shaded and the map zooms to it; the others are context. (Nothing is
    selected on it: ``options.selected`` is not drawn.)"""
    lang, cache_dir = options.lang, options.cache_dir
    regions = region_frame("low", cache_dir, fiscal_year)
    level = region_level(fiscal_year)
    provinces = boundaries("province", "low", cache_dir)
    bounds = bounds_of(provinces)
    if within in gazetteer.REGION_BY_ID:
        regions = regions[regions["code"] == within]
        provinces = boundaries("province", "low", cache_dir, within, fiscal_year)
        bounds = padded(bounds_of(provinces), 0.05)
    m = base_map(bounds, options.basemap, lang)
    if within:
        context_outlines(m, lang, cache_dir)
    values = pd.Series(counts, dtype="float64")
    layer, legend = choropleth_layer(
        regions, level, "low", values, title, lang, unit, cache_dir, outline="#202020"
    )
    legend.html += f'<div class="note">{esc(note)}</div>' if note else ""
    layer.add_to(m)
    outline_layer(
        provinces, "province", "low", cache_dir, colour="#ffffff", weight=0.5, lang=lang
    ).add_to(m)
    outline_layer(regions, level, "low", cache_dir, colour="#202020", weight=1.6, lang=lang).add_to(
        m
    )
    legend.add_to(m)
    return finish(m, options.base_url_path)


def national_province_map(options: MapOptions = DEFAULT_OPTIONS) -> folium.Map:
    """All 77 provinces coloured by CODI region (low detail), with a legend (the app's first
    map; nothing selected on it)."""
    frame = boundaries("province", "low", options.cache_dir)
    m = base_map(bounds_of(frame), options.basemap, options.lang)
    layer, legend = region_layer(frame, "low", options.lang, options.cache_dir)
    layer.add_to(m)
    legend.add_to(m)
    return finish(m, options.base_url_path)
