"""Pure functions that build the app's maps (folium objects) from the boundary cache and
DataFrames of programme rows. No Streamlit here: pages call these and hand the result to
``st_folium``; tests check their output.

Conventions:
* every text that came from data is escaped with ``esc`` before it becomes HTML;
* numbers are written Thai style, ``1,234,567`` (``fmt_number``);
* scales and colours come from ``codi_geo.maps.scales`` (shared with the briefing images):
  ColorBrewer YlGnBu, colour-blind safe, in order in greyscale; zero has its own class;
  "no data" is drawn differently again (hatched in the legend, grey with a dashed outline);
* geometry is sent at the coarsest detail the view needs (``detail_for``) and encoded
  compactly (``layers.PolygonLayer``), drawn on a canvas (``prefer_canvas``).
"""

from __future__ import annotations

import html
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import folium
import folium.plugins
import geopandas as gpd
import pandas as pd
import shapely

from codi_geo.maps import assets, scales
from codi_geo.maps.layers import (
    Legend,
    MapStyle,
    PointLayer,
    PolygonLayer,
    Tooltips,
    encode_geometry,
)
from codi_geo.places import gazetteer
from codi_geo.places.boundaries import DETAILS, load_layer
from codi_geo.places.sources import ATTRIBUTION
from codi_geo.programmes import Programme
from codi_geo.settings import on_clear
from codi_geo.text import t

THAILAND_BOUNDS = ((5.6, 97.3), (20.5, 105.7))
BASEMAPS = ("plain", "osm", "carto")
NO_DATA = "no_data"

# "No data": the shared neutral grey of ``scales`` at low opacity with a dashed outline, so
# it never reads as a class (zero has its own, pale yellow class).
NO_DATA_STYLE = {
    "color": "#757575", "weight": 0.8, "dashArray": "3 3", "fillColor": scales.NO_DATA_COLOUR,
    "fillOpacity": 0.45,
}
MARKED_STYLE = {"color": "#67000d", "weight": 4, "fill": False}
SELECTED_STYLE = {"color": "#d7301f", "weight": 3.5, "fill": False, "dashArray": "6 4"}
# CODI's five regions: Okabe-Ito colours (colour-blind safe), lightened for fills.
REGION_COLOURS = {
    "north": "#56b4e9",
    "northeast": "#e69f00",
    "south": "#009e73",
    "central_west": "#f0e442",
    "bangkok_east": "#cc79a7",
}


# ---------------------------------------------------------------------------------------
# Text
# ---------------------------------------------------------------------------------------


def esc(value: object) -> str:
    """HTML-escape a data-derived value (None and NaN become empty)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return html.escape(str(value), quote=True)


def fmt_number(value: object, lang: str = "th", decimals: int | None = None) -> str:
    """A number Thai style: thousands separated by commas, ``1,234,567``; fractions only when
    the value has them (at most two decimals). Missing values read as ``–`` (not zero)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return "–"
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return str(value)
    if math.isnan(number):
        return "–"
    if decimals is None:
        decimals = 0 if number == round(number) else 2
    text = f"{number:,.{decimals}f}"
    if decimals and "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def tooltip_html(title: str, rows: Iterable[tuple[str, str]] = (), subtitle: str = "") -> str:
    """A small tooltip/popup: a bold title, an optional subtitle and label: value rows, every
    part escaped."""
    parts = [f'<div class="n">{esc(title)}</div>']
    if subtitle:
        parts.append(f"<div>{esc(subtitle)}</div>")
    parts.extend(f"<div>{esc(label)}: <b>{esc(value)}</b></div>" for label, value in rows)
    return "".join(parts)


def area_name(code: str, lang: str = "th") -> str:
    return gazetteer.name_of(code, lang) or gazetteer.name_of(code, "th") or code


def attribution(lang: str = "th") -> str:
    return ATTRIBUTION.get(lang)


# ---------------------------------------------------------------------------------------
# Boundaries at the detail a view needs
# ---------------------------------------------------------------------------------------


def detail_for(level: str, scope: str) -> str:
    """Detail tier for drawing ``level`` polygons in a view of ``scope`` (national, region,
    province, district): coarse for the whole country, fine for one province."""
    if scope == "national":
        return "low"
    if scope == "region":
        return "medium" if level == "province" else "low"
    return "high"


def boundaries(
    level: str, detail: str, cache_dir: Path | None = None, within: str | None = None
) -> gpd.GeoDataFrame:
    """``level`` polygons at ``detail``, optionally only those inside the area ``within``
    (a CODI region id or a province / district code)."""
    layer = load_layer(level, detail, cache_dir)
    if not within:
        return layer
    if within in gazetteer.REGION_BY_ID:
        return layer[layer["region"] == within]
    if level == "province":
        return layer[layer["code"] == within[:2]]
    if level == "district" and len(within) == 2:
        return layer[layer["province_code"] == within]
    if level == "district":
        return layer[layer["code"] == within[:4]]
    key = "province_code" if len(within) == 2 else "district_code"
    return layer[layer[key] == within]


@lru_cache(maxsize=8)
def region_frame(detail: str = "low", cache_dir: Path | None = None) -> gpd.GeoDataFrame:
    """CODI's five regions as polygons (provinces dissolved, edges shared), once per
    process. Columns: code (region id), name_th, name_en, region, geometry."""
    provinces = load_layer("province", detail, cache_dir)
    rows = []
    for region in gazetteer.CODI_REGIONS:
        parts = provinces.geometry.values[(provinces["region"] == region.id).to_numpy()]
        rows.append((region.id, region.name_th, region.name_en, region.id,
                     shapely.coverage_union_all(parts)))
    frame = pd.DataFrame(rows, columns=["code", "name_th", "name_en", "region", "geometry"])
    return gpd.GeoDataFrame(frame, geometry="geometry", crs="EPSG:4326")


def _layer_frame(level: str, detail: str, cache_dir: Path | None) -> gpd.GeoDataFrame:
    if level == "region":
        return region_frame(detail, cache_dir)
    return load_layer(level, detail, cache_dir)


@lru_cache(maxsize=32)
def _encoded(level: str, detail: str, cache_dir: Path | None) -> dict[str, list]:
    """Encoded rings of every polygon of a layer, computed once per process."""
    layer = _layer_frame(level, detail, cache_dir)
    decimals = DETAILS[detail].decimals or 6
    return {
        code: encode_geometry(geometry, decimals)
        for code, geometry in zip(layer["code"], layer.geometry.values, strict=True)
    }


def bounds_of(frame: gpd.GeoDataFrame) -> tuple[tuple[float, float], tuple[float, float]]:
    """((south, west), (north, east)) of a frame, Thailand when it is empty."""
    if frame.empty:
        return THAILAND_BOUNDS
    west, south, east, north = frame.total_bounds
    return (float(south), float(west)), (float(north), float(east))


# ---------------------------------------------------------------------------------------
# Base map
# ---------------------------------------------------------------------------------------


def base_map(
    bounds: tuple[tuple[float, float], tuple[float, float]] = THAILAND_BOUNDS,
    basemap: str = "plain",
    lang: str = "th",
) -> folium.Map:
    """An empty map fitted to ``bounds``. ``plain`` needs no tile server (a plain background;
    pages draw province outlines on it); ``osm`` and ``carto`` load tiles from the internet.
    Assets are local (``assets.localize`` is applied by ``finish``)."""
    if basemap not in BASEMAPS:
        basemap = "plain"
    (south, west), (north, east) = bounds
    m = folium.Map(
        location=[(south + north) / 2, (west + east) / 2],
        zoom_start=6,
        tiles=None,
        prefer_canvas=True,
        control_scale=True,
        zoom_snap=0.25,
    )
    # On the map itself (folium's min_zoom/max_zoom only reach tile layers); marker
    # clustering needs a maxZoom.
    m.options["min_zoom"], m.options["max_zoom"] = 4, 17
    if basemap == "osm":
        folium.TileLayer("OpenStreetMap", name="OpenStreetMap").add_to(m)
    elif basemap == "carto":
        folium.TileLayer("cartodbpositron", name="CARTO").add_to(m)
    MapStyle("#eef2f5" if basemap == "plain" else "#ffffff").add_to(m)
    m.fit_bounds([[south, west], [north, east]], padding=(8, 8))
    return m


def finish(m: folium.Map, base_url_path: str = "") -> folium.Map:
    """Last step for every map: local assets only."""
    return assets.localize(m, base_url_path)


# ---------------------------------------------------------------------------------------
# Views: which level and detail a scope shows
# ---------------------------------------------------------------------------------------

LEVEL_ORDER = ("province", "district", "tambon")
CHILD_LEVEL = {"national": "province", "region": "province", "province": "district",
               "district": "tambon"}


@dataclass(frozen=True)
class View:
    """What a map shows: the ``scope`` (national, region, province, district) of the area
    ``within`` (None, a region id, a province or district code), at polygon ``level``."""

    scope: str = "national"
    within: str | None = None
    level: str = "province"

    @property
    def detail(self) -> str:
        return detail_for(self.level, self.scope)


def view_for(scope: str, within: str | None, programme_level: str | None = None,
             level: str | None = None) -> View:
    """The view of ``scope``: its child areas, but never finer than the programme's own
    level (a province programme stays on provinces); ``level`` forces a level."""
    if level is None:
        level = CHILD_LEVEL[scope]
        if programme_level in LEVEL_ORDER and (
            LEVEL_ORDER.index(programme_level) < LEVEL_ORDER.index(level)
        ):
            level = programme_level
    return View(scope, within, level)


def aggregate(rows: pd.DataFrame, metric: str | None, level: str) -> pd.Series:
    """Sum of ``metric`` (or a count of rows when None) per area code at ``level``, from rows
    as ``Store.results()`` returns them (``province_code`` … columns). Rows coarser than
    ``level`` cannot be placed and are left out."""
    key = {"province": "province_code", "district": "district_code",
           "tambon": "tambon_code"}[level]
    if rows.empty or key not in rows:
        return pd.Series(dtype="float64")
    placed = rows[rows[key].notna()]
    if metric is None:  # results per area (a public row may stand for several: ``rows``)
        if "rows" in placed:
            counts = pd.to_numeric(placed["rows"], errors="coerce").fillna(0)
            return counts.groupby(placed[key]).sum().astype("float64")
        return placed.groupby(key).size().astype("float64")
    if metric not in placed:
        return pd.Series(dtype="float64")
    values = pd.to_numeric(placed[metric], errors="coerce")
    return values.groupby(placed[key]).sum(min_count=1).astype("float64")


# ---------------------------------------------------------------------------------------
# Polygon layers
# ---------------------------------------------------------------------------------------


def _polygon_layer(
    frame: gpd.GeoDataFrame,
    level: str,
    detail: str,
    styles: Sequence[dict[str, Any]],
    style_index: Sequence[int],
    tooltips: Tooltips | None,
    cache_dir: Path | None,
    name: str | None = None,
    interactive: bool = True,
    attribution_text: str | None = None,
) -> PolygonLayer:
    encoded = _encoded(level, detail, cache_dir)
    decimals = DETAILS[detail].decimals or 6
    layer = PolygonLayer(
        frame["code"].tolist(),
        [None] * len(frame),
        styles,
        style_index,
        tooltips,
        decimals=decimals,
        name=name,
        interactive=interactive,
        attribution=attribution_text,
    )
    layer.data["g"] = [encoded[c] for c in frame["code"]]
    return layer


def outline_layer(
    frame: gpd.GeoDataFrame,
    level: str,
    detail: str,
    cache_dir: Path | None = None,
    colour: str = "#5f6b75",
    weight: float = 0.8,
    fill: str | None = None,
    name: str | None = None,
    lang: str = "th",
) -> PolygonLayer:
    """Outlines (optionally a flat fill) that do not react to the mouse."""
    style = {"color": colour, "weight": weight, "fill": fill is not None,
             "fillColor": fill or "#ffffff", "fillOpacity": 1.0 if fill else 0.0}
    return _polygon_layer(
        frame, level, detail, [style], [0] * len(frame), None, cache_dir, name=name,
        interactive=False, attribution_text=esc(attribution(lang)),
    )


_PREFIX_TH = {"tambon": "ต.", "district": "อ.", "province": "จ."}


def _short_name(code: str, lang: str) -> str:
    """``ต.ตลาด`` / ``Talat``: an area's own name with its Thai level prefix (Bangkok's
    แขวง/เขต as written)."""
    name = gazetteer.name_of(code, lang) or gazetteer.name_of(code, "th") or code
    if lang == "en":
        return name
    level = gazetteer.level_of_code(code)
    if code.startswith("10") and level == "tambon":
        return "แขวง" + name
    if level == "district" and name.startswith("เขต"):
        return name
    return _PREFIX_TH[level] + name if level != "province" or name != "กรุงเทพมหานคร" else name


def _region_name(code: str, lang: str) -> str:
    region = gazetteer.REGION_BY_ID.get(code)
    return region.name.get(lang) if region else code


def _parents(code: str, lang: str) -> str | None:
    if len(code) <= 2:
        return None
    parts = [_short_name(code[:n], lang) for n in (4, 2) if n < len(code)]
    return (" " if lang == "th" else ", ").join(parts)


def area_tooltips(
    codes: Sequence[str],
    lang: str,
    rows: Sequence[tuple[str, Sequence[object]]] = (),
) -> Tooltips:
    """Tooltips for areas: the area's name, its district/province below it, then each
    (label, values per area) row. Escaped when sent (``Tooltips.data``)."""
    known = [gazetteer.is_current(c) for c in codes]
    titles = [
        _short_name(c, lang) if ok else _region_name(c, lang)
        for c, ok in zip(codes, known, strict=True)
    ]
    subtitles = [_parents(c, lang) if ok else None for c, ok in zip(codes, known, strict=True)]
    return Tooltips(titles, subtitles, [label for label, _ in rows],
                    [list(values) for _, values in rows])


def legend_html(
    title: str,
    items: Sequence[tuple[str, dict[str, Any]]],
    note: str = "",
    points: bool = False,
) -> str:
    """Legend rows: (label, style). The no-data style is drawn hatched. Escaped."""
    rows = [f'<div class="t">{esc(title)}</div>']
    for label, style in items:
        if style.get("dashArray"):
            swatch = '<span class="sw nd"></span>'
        else:
            shape = "pt" if points else "sw"
            colour = style.get("fillColor") or style.get("color") or "#999"
            swatch = f'<span class="{shape}" style="background:{esc(colour)}"></span>'
        rows.append(f'<div class="r">{swatch}<span>{esc(label)}</span></div>')
    if note:
        rows.append(f'<div class="note">{esc(note)}</div>')
    return "".join(rows)


def scheme_styles(
    scheme: scales.Scheme, outline: str = "#4d4d4d"
) -> tuple[list[str], list[dict[str, Any]], list[str], list[str]]:
    """Leaflet styles for a class scheme (``codi_geo.maps.scales``): keys, styles and legend
    labels (th, en), "no data" first (grey, dashed outline; hatched in the legend)."""
    entries = scheme.legend(include_no_data=True)
    no_data = [e for e in entries if e.key == scales.NO_DATA_KEY]
    ordered = no_data + [e for e in entries if e.key != scales.NO_DATA_KEY]
    styles = []
    for entry in ordered:
        if entry.key == scales.NO_DATA_KEY:
            styles.append(dict(NO_DATA_STYLE))
        else:
            styles.append({"color": outline, "weight": 0.6, "fillColor": entry.colour,
                           "fillOpacity": 0.85})
    return ([e.key for e in ordered], styles, [e.label_th for e in ordered],
            [e.label_en for e in ordered])


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def choropleth_layer(
    frame: gpd.GeoDataFrame,
    level: str,
    detail: str,
    values: pd.Series,
    title: str,
    lang: str = "th",
    unit: str = "",
    cache_dir: Path | None = None,
    n: int = 5,
    outline: str = "#4d4d4d",
    stroke: bool | None = None,
) -> tuple[PolygonLayer, Legend]:
    """Areas shaded by ``values`` (indexed by code; a missing value is "no data", drawn
    apart from zero). Classes from ``codi_geo.maps.scales.classify`` (YlGnBu, zero class).
    ``stroke``: outline each area; by default only when there are at most 2,000 (7,425
    tambon outlines are a grey blur nationally and cost half the drawing time; the
    province outlines on top give the structure)."""
    aligned = values.reindex(frame["code"].to_numpy())
    raw = [None if _missing(v) else float(v) for v in aligned.to_numpy()]
    scheme = scales.classify(raw, n=n)
    keys, styles, labels_th, labels_en = scheme_styles(scheme, outline)
    if stroke is None:
        stroke = len(frame) <= 2000
    if not stroke:
        styles = [{**style, "stroke": False} for style in styles]
    index = [keys.index(scheme.key_of(v)) for v in raw]
    label = f"{title} ({unit})" if unit else title
    shown = [t("no_data", lang) if v is None else fmt_number(v, lang) for v in raw]
    layer = _polygon_layer(
        frame, level, detail, styles, index,
        area_tooltips(frame["code"].tolist(), lang, [(label, shown)]), cache_dir, name=title,
    )
    labels = labels_en if lang == "en" else labels_th
    used = sorted(set(index))
    legend = Legend(legend_html(label, [(labels[i], styles[i]) for i in used]))
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
    ids = [c.id for c in programme.categories]
    aligned = categories.reindex(frame["code"].to_numpy())
    index = [ids.index(v) + 1 if v in ids else 0 for v in aligned.to_numpy()]
    cat_title = programme.category_label.get(lang)
    shown = []
    for value in aligned.to_numpy():
        category = programme.category(value) if isinstance(value, str) else None
        shown.append(category.name.get(lang) if category
                     else t("no_data", lang))
    styles = category_styles(programme)
    layer = _polygon_layer(
        frame, level, detail, styles, index,
        area_tooltips(frame["code"].tolist(), lang, [(cat_title, shown), *extra_rows]),
        cache_dir, name=programme.name.get(lang),
    )
    items = [
        (c.name.get(lang), styles[i + 1])
        for i, c in enumerate(programme.categories)
        if (i + 1) in index
    ]
    if 0 in index:
        items.append((t("no_data", lang), styles[0]))
    title = f"{programme.name.get(lang)}: {cat_title}"
    return layer, Legend(legend_html(title, items, note=legend_note))


def region_layer(
    frame: gpd.GeoDataFrame,
    detail: str,
    lang: str = "th",
    cache_dir: Path | None = None,
    counts: dict[str, object] | None = None,
    count_label: str = "",
    title: str | None = None,
    note: str = "",
) -> tuple[PolygonLayer, Legend]:
    """Provinces coloured by CODI region; with ``counts`` (region id → value) each region's
    count is in the tooltip and the legend."""
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
    if counts is not None:
        rows.append((count_label or t("count", lang),
                     [fmt_number(counts.get(r), lang) for r in frame["region"]]))
    layer = _polygon_layer(
        frame, "province", detail, styles, index,
        area_tooltips(frame["code"].tolist(), lang, rows), cache_dir,
        name=t("region", lang), attribution_text=esc(attribution(lang)),
    )
    items = []
    for i, r in enumerate(regions):
        info = gazetteer.REGION_BY_ID[r]
        label = info.name.get(lang)
        if counts is not None:
            label = f"{label}: {fmt_number(counts.get(r), lang)}"
        items.append((label, styles[i + 1]))
    return layer, Legend(legend_html(title or t("region", lang), items, note=note))


def selected_layer(
    code: str | None, cache_dir: Path | None = None, detail: str = "high"
) -> PolygonLayer | None:
    """A thick outline around the selected area (no fill, not clickable)."""
    if not code or len(code) not in (2, 4, 6) or not gazetteer.is_current(code):
        return None
    level = gazetteer.level_of_code(code)
    frame = load_layer(level, detail, cache_dir)
    frame = frame[frame["code"] == code]
    if frame.empty:
        return None
    return _polygon_layer(frame, level, detail, [dict(SELECTED_STYLE)], [0], None, cache_dir,
                          interactive=False)


def context_layers(m: folium.Map, view: View, lang: str, cache_dir: Path | None) -> None:
    """Province outlines that place the view: all provinces faintly, the area in view
    (region / province / district) more strongly. Not clickable."""
    provinces = boundaries("province", "low", cache_dir)
    outline_layer(provinces, "province", "low", cache_dir, colour="#9aa5ae", weight=0.6,
                  fill="#fbfbf8", lang=lang).add_to(m)


def overlay_outlines(m: folium.Map, view: View, cache_dir: Path | None) -> None:
    """Outlines of the parents on top of finer polygons (provinces over districts or
    tambons, districts over tambons in a province view)."""
    if view.level == "province":
        return
    if view.scope in ("national", "region"):
        detail = "low" if view.scope == "national" else "medium"
        frame = boundaries("province", detail, cache_dir, view.within)
        outline_layer(frame, "province", detail, cache_dir, colour="#202020",
                      weight=1.0).add_to(m)
    elif view.level == "tambon" and view.scope == "province":
        frame = boundaries("district", "high", cache_dir, view.within)
        outline_layer(frame, "district", "high", cache_dir, colour="#202020",
                      weight=1.2).add_to(m)


def view_bounds(view: View, cache_dir: Path | None = None):
    if view.within is None:
        return THAILAND_BOUNDS
    level = "province" if view.scope in ("region", "province") else "district"
    frame = boundaries(level, "low", cache_dir, view.within)
    return bounds_of(frame)


def choropleth_map(
    view: View,
    values: pd.Series,
    title: str,
    lang: str = "th",
    unit: str = "",
    basemap: str = "plain",
    selected: str | None = None,
    cache_dir: Path | None = None,
    base_url_path: str = "",
    fit_to_data: bool = False,
    extra: Sequence[Any] = (),
    only_with_data: bool = False,
) -> folium.Map:
    """A classed map of ``values`` (code → number) over the view's areas. ``fit_to_data``
    zooms to the areas that have a value; ``only_with_data`` draws only those (with a dot
    each, so small districts and tambons stay visible nationally); ``extra`` layers are
    drawn on top."""
    frame = boundaries(view.level, view.detail, cache_dir, view.within)
    bounds = view_bounds(view, cache_dir)
    with_data = frame[frame["code"].isin(values.dropna().index)]
    if only_with_data:
        frame = with_data
    zoomed_in = False
    if fit_to_data and not with_data.empty:
        bounds = _padded(bounds_of(with_data))
        (south, west), (north, east) = bounds
        zoomed_in = (north - south) < 3 and (east - west) < 3
    m = base_map(bounds, basemap, lang)
    if basemap == "plain":
        context_layers(m, view, lang, cache_dir)
    if zoomed_in and view.level != "province":
        # a close-up of a few areas: their provinces' districts for orientation
        provinces = sorted({code[:2] for code in with_data["code"]})
        districts = load_layer("district", "medium", cache_dir)
        districts = districts[districts["province_code"].isin(provinces)]
        outline_layer(districts, "district", "medium", cache_dir, colour="#9aa5ae",
                      weight=0.7, lang=lang).add_to(m)
    layer, legend = choropleth_layer(frame, view.level, view.detail, values, title, lang,
                                     unit, cache_dir)
    layer.add_to(m)
    overlay_outlines(m, view, cache_dir)
    if only_with_data and not frame.empty:
        points = frame.geometry.representative_point()
        dots = PointLayer(points.y.round(5).tolist(), points.x.round(5).tolist(),
                          [{**style, "radius": 5, "weight": 1, "color": "#222222",
                            "fillOpacity": 0.95} for style in layer.data["s"]],
                          layer.data["k"], ids=frame["code"].tolist(),
                          codes=frame["code"].tolist(), cluster=False, name=title)
        dots.add_to(m)
        legend.html += f'<div class="note">{esc(t("only_with_data_note", lang))}</div>'
    _add_selected(m, selected, cache_dir)
    legend.add_to(m)
    for element in extra:
        element.add_to(m)
    return finish(m, base_url_path)


def _padded(bounds, margin: float = 0.15):
    """Bounds grown by ``margin`` of their size (at least 0.1 degree), to show context."""
    (south, west), (north, east) = bounds
    dy, dx = max((north - south) * margin, 0.1), max((east - west) * margin, 0.1)
    return (south - dy, west - dx), (north + dy, east + dx)


def points_map(
    view: View,
    rows: pd.DataFrame,
    programme: Programme,
    lang: str = "th",
    basemap: str = "plain",
    mode: str = "points",
    selected: str | None = None,
    cache_dir: Path | None = None,
    base_url_path: str = "",
) -> folium.Map:
    """Pinned rows (``pin_rows`` output) as clustered markers coloured by category, or as a
    heat layer (``mode="heat"``), over the view's outlines."""
    bounds = view_bounds(view, cache_dir)
    if view.scope == "national" and not rows.empty:
        (south, west), (north, east) = bounds
        lat, lon = rows["latitude"], rows["longitude"]
        bounds = _padded(((max(float(lat.min()), south), max(float(lon.min()), west)),
                          (min(float(lat.max()), north), min(float(lon.max()), east))))
    m = base_map(bounds, basemap, lang)
    context_layers(m, view, lang, cache_dir)
    if view.scope != "national":
        level = "province" if view.scope in ("region", "province") else "district"
        frame = boundaries(level, "high" if view.scope != "region" else "medium", cache_dir,
                           view.within)
        outline_layer(frame, level, "high" if view.scope != "region" else "medium",
                      cache_dir, colour="#202020", weight=1.4, lang=lang).add_to(m)
    if mode == "heat":
        heat_layer(rows).add_to(m)
        Legend(legend_html(t("heat_title", lang), [], note=t("heat_note", lang))).add_to(m)
    else:
        layer, legend = points_layer(rows, programme, lang, cluster=True)
        layer.add_to(m)
        legend.add_to(m)
    _add_selected(m, selected, cache_dir)
    return finish(m, base_url_path)


def category_map(
    view: View,
    categories: pd.Series,
    programme: Programme,
    lang: str = "th",
    basemap: str = "plain",
    selected: str | None = None,
    cache_dir: Path | None = None,
    extra_rows: Sequence[tuple[str, pd.Series | dict]] = (),
    only_with_data: bool = False,
    legend_note: str = "",
    base_url_path: str = "",
    marked: Sequence[str] = (),
) -> folium.Map:
    """Areas of the view coloured by the programme's categories. ``only_with_data`` draws
    only the areas that have a category (e.g. the model tambons among 7,425), over the
    province outlines. ``marked`` areas get a thick dark outline (e.g. met all criteria)."""
    frame = boundaries(view.level, view.detail, cache_dir, view.within)
    if only_with_data:
        frame = frame[frame["code"].isin(categories.dropna().index)]
    m = base_map(view_bounds(view, cache_dir), basemap, lang)
    if basemap == "plain" or only_with_data:
        context_layers(m, view, lang, cache_dir)
    rows = [(label, pd.Series(values, dtype=object).reindex(frame["code"].to_numpy())
             .fillna("–").tolist()) for label, values in extra_rows]
    layer, legend = category_layer(frame, view.level, view.detail, categories, programme, lang,
                                   cache_dir, rows, legend_note)
    layer.add_to(m)
    overlay_outlines(m, view, cache_dir)
    if only_with_data and view.level == "tambon" and view.scope in ("national", "region"):
        _dots_for_small_areas(frame, categories, programme, lang).add_to(m)
    if marked:
        chosen = frame[frame["code"].isin(list(marked))]
        _polygon_layer(chosen, view.level, view.detail, [dict(MARKED_STYLE)], [0] * len(chosen),
                       None, cache_dir, interactive=False).add_to(m)
    _add_selected(m, selected, cache_dir)
    legend.add_to(m)
    return finish(m, base_url_path)


def _dots_for_small_areas(
    frame: gpd.GeoDataFrame, categories: pd.Series, programme: Programme, lang: str
) -> PointLayer:
    """A dot on each highlighted tambon, so a few tambons stay visible on a national map."""
    ids = [c.id for c in programme.categories]
    points = frame.geometry.representative_point()
    aligned = categories.reindex(frame["code"].to_numpy())
    index = [ids.index(v) + 1 if v in ids else 0 for v in aligned.to_numpy()]
    tips = [tooltip_html(_short_name(c, lang), (), subtitle=_parents(c, lang) or "")
            for c in frame["code"]]
    return PointLayer(points.y.round(5).tolist(), points.x.round(5).tolist(),
                      point_styles(programme, radius=5), index, ids=frame["code"].tolist(),
                      codes=frame["code"].tolist(), tooltips=tips, cluster=False,
                      name=programme.name.get(lang))


def _add_selected(m: folium.Map, selected: str | None, cache_dir: Path | None) -> None:
    layer = selected_layer(selected, cache_dir)
    if layer is not None:
        layer.add_to(m)


def region_map(
    lang: str = "th",
    basemap: str = "plain",
    counts: dict[str, object] | None = None,
    count_label: str = "",
    title: str | None = None,
    note: str = "",
    cache_dir: Path | None = None,
    base_url_path: str = "",
) -> folium.Map:
    """All 77 provinces coloured by CODI region (low detail), optionally with a count per
    region in tooltips and legend."""
    frame = boundaries("province", "low", cache_dir)
    m = base_map(bounds_of(frame), basemap, lang)
    layer, legend = region_layer(frame, "low", lang, cache_dir, counts, count_label, title, note)
    layer.add_to(m)
    legend.add_to(m)
    return finish(m, base_url_path)


def region_count_map(
    counts: dict[str, float],
    title: str,
    lang: str = "th",
    unit: str = "",
    basemap: str = "plain",
    note: str = "",
    cache_dir: Path | None = None,
    base_url_path: str = "",
) -> folium.Map:
    """The five CODI regions shaded by a count each (e.g. model tambons per region when the
    data has no tambon list), with province outlines for orientation."""
    regions = region_frame("low", cache_dir)
    provinces = boundaries("province", "low", cache_dir)
    m = base_map(bounds_of(provinces), basemap, lang)
    values = pd.Series(counts, dtype="float64")
    layer, legend = choropleth_layer(regions, "region", "low", values, title, lang, unit,
                                     cache_dir, outline="#202020")
    legend.html += f'<div class="note">{esc(note)}</div>' if note else ""
    layer.add_to(m)
    outline_layer(provinces, "province", "low", cache_dir, colour="#ffffff", weight=0.5,
                  lang=lang).add_to(m)
    outline_layer(regions, "region", "low", cache_dir, colour="#202020", weight=1.6,
                  lang=lang).add_to(m)
    legend.add_to(m)
    return finish(m, base_url_path)


def national_province_map(
    lang: str = "th",
    basemap: str = "plain",
    cache_dir: Path | None = None,
    base_url_path: str = "",
) -> folium.Map:
    """All 77 provinces coloured by CODI region, with a legend (the app's first map)."""
    return region_map(lang, basemap, cache_dir=cache_dir, base_url_path=base_url_path)


# ---------------------------------------------------------------------------------------
# Points and heat
# ---------------------------------------------------------------------------------------


def point_styles(programme: Programme, radius: float = 7) -> list[dict[str, Any]]:
    """Style 0 for rows without a declared category, then one per category."""
    base = {"radius": radius, "color": "#222222", "weight": 1, "fillOpacity": 0.9}
    return [{**base, "fillColor": "#9e9e9e"}] + [
        {**base, "fillColor": c.colour} for c in programme.categories
    ]


def points_layer(
    rows: pd.DataFrame,
    programme: Programme,
    lang: str = "th",
    cluster: bool = True,
    metric_ids: Sequence[str] | None = None,
) -> tuple[PointLayer, Legend]:
    """Rows with latitude/longitude as circle markers coloured by category, clustered, with
    escaped popups (name, place, category, metrics, source)."""
    located = rows.dropna(subset=["latitude", "longitude"])
    ids = [c.id for c in programme.categories]
    index = [ids.index(c) + 1 if c in ids else 0 for c in located.get("category", [])]
    if "category" not in located:
        index = [0] * len(located)
    metric_ids = list(metric_ids or programme.public_metric_ids)
    popups = []
    for _, row in located.iterrows():
        category = programme.category(row.get("category")) if row.get("category") else None
        detail = [
            (m.name.get(lang), fmt_number(row[m.id], lang))
            for m in programme.metrics
            if m.id in metric_ids and m.id in row and not _missing(row[m.id])
        ]
        if row.get("approx") is True:
            detail.append((t("location", lang), t("approx_location", lang)))
        if category:
            detail.insert(
                0,
                (programme.category_label.get(lang),
                 category.name.get(lang)),
            )
        place = row.get("place_text") or (
            gazetteer.full_name(str(row["code"]), lang)
            if isinstance(row.get("code"), str) and gazetteer.is_current(row["code"])
            else ""
        )
        title = row.get("name") or place or programme.name.get(lang)
        popups.append(tooltip_html(str(title), detail, subtitle=str(place or "")))
    layer = PointLayer(
        located["latitude"].astype(float).tolist(),
        located["longitude"].astype(float).tolist(),
        point_styles(programme),
        index,
        ids=[str(i) for i in located.index],
        codes=[c if isinstance(c, str) else None for c in located.get("code", [None] * 0)]
        if "code" in located else None,
        popups=popups,
        cluster=cluster,
        name=programme.name.get(lang),
    )
    styles = point_styles(programme)
    items = [(c.name.get(lang), styles[i + 1])
             for i, c in enumerate(programme.categories) if (i + 1) in index]
    if 0 in index:
        items.append((t("no_data", lang), styles[0]))
    title = programme.name.get(lang)
    note = t("approx_note", lang) if "approx" in located and located["approx"].any() else ""
    return layer, Legend(legend_html(title, items, note=note, points=True))


@lru_cache(maxsize=8)
def _area_points(level: str, cache_dir: Path | None) -> dict[str, tuple[float, float]]:
    layer = load_layer(level, "low", cache_dir)
    points = layer.geometry.representative_point()
    return {c: (round(float(p.y), 5), round(float(p.x), 5))
            for c, p in zip(layer["code"], points, strict=True)}


def pin_rows(rows: pd.DataFrame, cache_dir: Path | None = None) -> pd.DataFrame:
    """Rows with a place to pin: their own coordinates, else a point inside their tambon,
    district or province (``approx`` True). Rows with neither are left out."""
    if rows.empty:
        return rows.assign(approx=pd.Series(dtype=bool))
    out = rows.copy()
    has = out["latitude"].notna() & out["longitude"].notna() if "latitude" in out else (
        pd.Series(False, index=out.index))
    out["approx"] = ~has
    lat = out["latitude"].astype("Float64") if "latitude" in out else pd.Series(
        pd.NA, index=out.index, dtype="Float64")
    lon = out["longitude"].astype("Float64") if "longitude" in out else pd.Series(
        pd.NA, index=out.index, dtype="Float64")
    for index, code in out.loc[~has, "code"].items():
        if not isinstance(code, str) or not code.isdigit() or len(code) not in (2, 4, 6):
            continue
        found = _area_points(gazetteer.level_of_code(code), cache_dir).get(code)
        if found:
            lat[index], lon[index] = found
    out["latitude"], out["longitude"] = lat.astype("float64"), lon.astype("float64")
    return out[out["latitude"].notna() & out["longitude"].notna()]


# Keyed on ``cache_dir=None`` for "the configured cache": forgotten with the settings.
for _cached in (region_frame, _encoded, _area_points):
    on_clear(_cached.cache_clear)


def heat_layer(rows: pd.DataFrame, name: str = "heat") -> folium.plugins.HeatMap:
    """Density of the rows' points (one unit each)."""
    located = rows.dropna(subset=["latitude", "longitude"])
    data = [[round(float(a), 4), round(float(b), 4)]
            for a, b in zip(located["latitude"], located["longitude"], strict=True)]
    return folium.plugins.HeatMap(data, name=name, radius=18, blur=14, min_opacity=0.35)


# ---------------------------------------------------------------------------------------
# What a map sends to the browser
# ---------------------------------------------------------------------------------------


def st_folium_payload(m: folium.Map) -> dict[str, Any]:
    """The arguments streamlit-folium sends to the browser for ``m`` (script, header, html,
    asset links), computed as ``st_folium`` does. Renders ``m`` (which renames its ids)."""
    import streamlit_folium as sf

    m.get_root().render()
    m.render()
    html_part = sf._get_html(m)
    header = sf._get_header(m)
    script = sf._get_map_string(m)
    js_links, css_links = assets.asset_links(m)
    args = {"script": script, "header": header, "html": html_part, "js_links": js_links,
            "css_links": css_links}
    return {
        "args": args,
        "bytes": len(json.dumps(args).encode("utf-8")),  # as Streamlit serialises them
        "js_links": js_links,
        "css_links": css_links,
    }


def feature_count(m: folium.Map) -> int:
    """Polygons and points the map draws (our compact layers)."""
    total = 0
    stack = [m]
    while stack:
        element = stack.pop()
        if isinstance(element, PolygonLayer | PointLayer):
            total += element.feature_count
        stack.extend(getattr(element, "_children", {}).values())
    return total
