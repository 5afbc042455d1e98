"""What every map is made of: escaped text and Thai-style numbers, boundaries at the
detail an extent needs, the empty base map, outlines, area tooltips, legends, and what a
map sends to the browser. No Streamlit here: pages hand the maps to ``st_folium``; tests
check their output.

Words used across ``codi_geo.maps``:
* an **extent** (``Extent``) is which areas a map draws: its scope (national, region,
  province, district), the area ``within`` it and the polygon ``level``; its bounding box
  is ``extent_bounds``;
* a **layer** is something drawn on a Leaflet map (``codi_geo.maps.layers``: polygons,
  points, a legend); a page's whole map, as data, is a ``pagemaps.PageMap``;
* a **view** is what the user chose, kept in the URL (``viewstate.ViewState``).

Conventions:
* every text that came from data is escaped with ``esc`` before it becomes HTML;
* numbers are written Thai style, ``1,234,567`` (``fmt_number``);
* scales and colours come from ``codi_geo.maps.scales`` (shared with the briefing images):
  ColorBrewer YlGnBu, colour-blind safe, in order in greyscale; zero has its own class;
  "no data" is drawn differently again (hatched in the legend, grey with a dashed outline);
* geometry is sent at the coarsest detail the extent needs (``detail_for``) and encoded
  compactly (``layers.PolygonLayer``), drawn on a canvas (``prefer_canvas``).
"""

from __future__ import annotations

import html
import json
import math
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import folium
import geopandas as gpd

from codi_geo.maps import assets
from codi_geo.maps.controls import FitView, MapStyle
from codi_geo.maps.layers import PointLayer, PolygonLayer, Tooltips
from codi_geo.maps.scales import is_missing
from codi_geo.maps.shapes import (
    _region_name,
    files_for,
    parents_of,
    short_name,
    web_decimals,
)
from codi_geo.maps.viewstate import BASEMAPS
from codi_geo.places import gazetteer
from codi_geo.places.boundaries import load_layer
from codi_geo.places.sources import ATTRIBUTION
from codi_geo.programmes import Programme
from codi_geo.text import t

THAILAND_BOUNDS = ((5.6, 97.3), (20.5, 105.7))


SELECTED_STYLE = {"color": "#d7301f", "weight": 3.5, "fill": False, "dashArray": "6 4"}


# ---------------------------------------------------------------------------------------
# Text
# ---------------------------------------------------------------------------------------


def esc(value: object) -> str:
    """HTML-escape a data-derived value (a missing one, ``scales.is_missing``, becomes
    empty)."""
    if is_missing(value):
        return ""
    return html.escape(str(value), quote=True)


def fmt_number(value: object, lang: str = "th") -> str:
    """A number Thai style: thousands separated by commas, ``1,234,567``; fractions only when
    the value has them (at most two decimals). Missing values read as ``–`` (not zero)."""
    if is_missing(value):
        return "–"
    try:
        number = float(value)  # type: ignore[arg-type]  # anything else is caught below
    except (TypeError, ValueError):
        return str(value)
    if math.isnan(number):
        return "–"
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


def attribution(lang: str = "th") -> str:
    return ATTRIBUTION.get(lang)


# ---------------------------------------------------------------------------------------
# Boundaries at the detail an extent needs
# ---------------------------------------------------------------------------------------


def detail_for(level: str, scope: str) -> str:
    """Detail tier for drawing ``level`` polygons in a extent of ``scope`` (national, region,
    province, district): coarse for the whole country, fine for one province."""
    if scope == "national":
        return "low"
    if scope == "region":
        return "medium" if level == "province" else "low"
    return "high"


def boundaries(
    level: str,
    detail: str,
    cache_dir: Path | None = None,
    within: str | None = None,
    fiscal_year: int | None = None,
) -> gpd.GeoDataFrame:
    """``level`` polygons at ``detail``, optionally only those inside the area ``within``
    (a CODI region id, as CODI grouped provinces in ``fiscal_year``, or a province /
    district code)."""
    layer = load_layer(level, detail, cache_dir)
    if not within:
        return layer
    if within in gazetteer.REGION_BY_ID:
        regions = layer["code"].str[:2].map(gazetteer.province_regions(fiscal_year))
        return layer[(regions == within).to_numpy()]
    if level == "province":
        return layer[layer["code"] == within[:2]]
    if level == "district" and len(within) == 2:
        return layer[layer["province_code"] == within]
    if level == "district":
        return layer[layer["code"] == within[:4]]
    key = "province_code" if len(within) == 2 else "district_code"
    return layer[layer[key] == within]


def bounds_of(frame: gpd.GeoDataFrame) -> tuple[tuple[float, float], tuple[float, float]]:
    """((south, west), (north, east)) of a frame, Thailand when it is empty."""
    if frame.empty:
        return THAILAND_BOUNDS
    west, south, east, north = frame.total_bounds
    return (float(south), float(west)), (float(north), float(east))


# ---------------------------------------------------------------------------------------
# Base map
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MapOptions:
    """How a map is drawn, whatever it shows: the language of its texts, the basemap
    (``base_map``), the area outlined as selected (``add_selected``), the boundary cache
    (None: the configured one) and the app's URL path, under which ``finish`` points the
    map at the app's own copies of its scripts."""

    lang: str = "th"
    basemap: str = "plain"
    selected: str | None = None
    cache_dir: Path | None = None
    base_url_path: str = ""


DEFAULT_OPTIONS = MapOptions()


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
    MapStyle("#eef2f5" if basemap == "plain" else "#ffffff", lang).add_to(m)
    FitView([[south, west], [north, east]], padding=(8, 8)).add_to(m)
    return m


def finish(m: folium.Map, base_url_path: str = "") -> folium.Map:
    """Last step for every map: local assets only."""
    return assets.localize(m, base_url_path)


# ---------------------------------------------------------------------------------------
# Extents: which areas a map draws
# ---------------------------------------------------------------------------------------


LEVEL_ORDER = ("province", "district", "tambon")


CHILD_LEVEL = {
    "national": "province",
    "region": "province",
    "province": "district",
    "district": "tambon",
}


@dataclass(frozen=True)
class Extent:
    """What a map shows: the ``scope`` (national, region, province, district) of the area
    ``within`` (None, a region id, a province or district code), at polygon ``level``."""

    scope: str = "national"
    within: str | None = None
    level: str = "province"
    # The period shown: CODI's regions of that fiscal year (None: today's table).
    fiscal_year: int | None = None

    @property
    def detail(self) -> str:
        return detail_for(self.level, self.scope)


def extent_for(
    scope: str,
    within: str | None,
    programme_level: str | None = None,
    level: str | None = None,
    fiscal_year: int | None = None,
) -> Extent:
    """The extent of ``scope``: its child areas, but never finer than the programme's own
    level (a province programme stays on provinces); ``level`` forces a level; a region
    ``within`` is CODI's region of ``fiscal_year``."""
    if level is None:
        level = CHILD_LEVEL[scope]
        if programme_level in LEVEL_ORDER and (
            LEVEL_ORDER.index(programme_level) < LEVEL_ORDER.index(level)
        ):
            level = programme_level
    return Extent(scope, within, level, fiscal_year)


# ---------------------------------------------------------------------------------------
# Outlines and tooltips
# ---------------------------------------------------------------------------------------


def polygon_layer(
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
    decimals = web_decimals(detail)
    layer = PolygonLayer(
        frame["code"].tolist(),
        None,  # from the geometry files
        styles,
        style_index,
        tooltips,
        decimals=decimals,
        name=name,
        interactive=interactive,
        attribution=attribution_text,
    )
    codes = frame["code"].tolist()
    if codes:
        layer.from_files(*files_for(level, detail, codes, cache_dir))
        layer.source = (level, detail, cache_dir)
    return layer


def outline_layer(
    frame: gpd.GeoDataFrame,
    level: str,
    detail: str,
    cache_dir: Path | None = None,
    colour: str = "#5f6b75",
    weight: float = 0.8,
    fill: str | None = None,
    lang: str = "th",
) -> PolygonLayer:
    """Outlines (optionally a flat fill) that do not react to the mouse."""
    style = {
        "color": colour,
        "weight": weight,
        "fill": fill is not None,
        "fillColor": fill or "#ffffff",
        "fillOpacity": 1.0 if fill else 0.0,
    }
    return polygon_layer(
        frame,
        level,
        detail,
        [style],
        [0] * len(frame),
        None,
        cache_dir,
        interactive=False,
        attribution_text=esc(attribution(lang)),
    )


def area_tooltips(
    codes: Sequence[str],
    lang: str,
    rows: Sequence[tuple[str, Sequence[object]]] = (),
) -> Tooltips:
    """Tooltips for areas: the area's name, its district/province below it, then each
    (label, values per area) row. Escaped when sent (``Tooltips.data``)."""
    titles, subtitles = _area_titles(tuple(codes), lang)
    return Tooltips(
        titles,
        subtitles,
        [label for label, _ in rows],
        [list(values) for _, values in rows],
        names_of_areas=lang,
    )


@lru_cache(maxsize=64)
def _area_titles(
    codes: tuple[str, ...], lang: str
) -> tuple[tuple[str, ...], tuple[str | None, ...]]:
    """The areas' names and the line below each (district, province), per list of areas:
    every change of a map's figures names the same areas (the country's 7,425 tambons)."""
    known = [gazetteer.is_current(c) for c in codes]
    titles = tuple(
        short_name(c, lang) if ok else _region_name(c, lang)
        for c, ok in zip(codes, known, strict=True)
    )
    subtitles = tuple(
        parents_of(c, lang) if ok else None for c, ok in zip(codes, known, strict=True)
    )
    return titles, subtitles


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


def category_numbers(programme: Programme, values: Iterable[object]) -> list[int]:
    """Each value's place among the programme's declared categories, counting from 1; 0 for
    a value that is none of them (no data). The index into styles made as "no data" first,
    then one per category (``areas.category_styles``, ``points.point_styles``)."""
    number = {c.id: i for i, c in enumerate(programme.categories, start=1)}
    return [number.get(v, 0) if isinstance(v, str) else 0 for v in values]


def category_legend(
    programme: Programme,
    styles: Sequence[dict[str, Any]],
    lang: str,
    used: Collection[int] | None = None,
) -> list[tuple[str, dict[str, Any]]]:
    """Legend rows of the declared categories in ``styles`` (see ``category_numbers``):
    every category, or only the ``used`` numbers, then "no data" when 0 is among them."""
    items = [
        (c.name.get(lang), styles[i])
        for i, c in enumerate(programme.categories, start=1)
        if used is None or i in used
    ]
    if used is not None and 0 in used:
        items.append((t("no_data", lang), styles[0]))
    return items


def selected_layer(code: str | None, cache_dir: Path | None = None) -> PolygonLayer | None:
    """A thick outline around the selected area at high detail (no fill, not clickable)."""
    detail = "high"
    if not code or len(code) not in (2, 4, 6) or not gazetteer.is_current(code):
        return None
    level = gazetteer.level_of_code(code)
    frame = load_layer(level, detail, cache_dir)
    frame = frame[frame["code"] == code]
    if frame.empty:
        return None
    return polygon_layer(
        frame, level, detail, [dict(SELECTED_STYLE)], [0], None, cache_dir, interactive=False
    )


def context_outlines(m: folium.Map, lang: str, cache_dir: Path | None) -> None:
    """All 77 provinces, faint outlines on a pale fill, under the areas drawn: they place the
    map in the country. Not clickable. (The area in view is outlined more strongly by the
    maps themselves: ``overlay_outlines``, ``selected_layer``.)"""
    provinces = boundaries("province", "low", cache_dir)
    outline_layer(
        provinces,
        "province",
        "low",
        cache_dir,
        colour="#9aa5ae",
        weight=0.6,
        fill="#fbfbf8",
        lang=lang,
    ).add_to(m)


def overlay_outlines(m: folium.Map, extent: Extent, cache_dir: Path | None) -> None:
    """Outlines of the parents on top of finer polygons (provinces over districts or
    tambons, districts over tambons in a province extent)."""
    if extent.level == "province":
        return
    if extent.scope in ("national", "region"):
        detail = "low" if extent.scope == "national" else "medium"
        frame = boundaries("province", detail, cache_dir, extent.within, extent.fiscal_year)
        outline_layer(frame, "province", detail, cache_dir, colour="#202020", weight=1.0).add_to(m)
    elif extent.level == "tambon" and extent.scope == "province":
        frame = boundaries("district", "high", cache_dir, extent.within, extent.fiscal_year)
        outline_layer(frame, "district", "high", cache_dir, colour="#202020", weight=1.2).add_to(m)


def extent_bounds(extent: Extent, cache_dir: Path | None = None):
    if extent.within is None:
        return THAILAND_BOUNDS
    level = "province" if extent.scope in ("region", "province") else "district"
    frame = boundaries(level, "low", cache_dir, extent.within, extent.fiscal_year)
    return bounds_of(frame)


def padded(bounds, margin: float = 0.15):
    """Bounds grown by ``margin`` of their size (at least 0.1 degree), to show context."""
    (south, west), (north, east) = bounds
    dy, dx = max((north - south) * margin, 0.1), max((east - west) * margin, 0.1)
    return (south - dy, west - dx), (north + dy, east + dx)


def add_selected(m: folium.Map, selected: str | None, cache_dir: Path | None) -> None:
    layer = selected_layer(selected, cache_dir)
    if layer is not None:
        layer.add_to(m)


# ---------------------------------------------------------------------------------------
# What a map sends to the browser
# ---------------------------------------------------------------------------------------


def st_folium_payload(m: folium.Map) -> dict[str, Any]:
    """The arguments streamlit-folium sends to the browser for ``m`` (script, header, html,
    asset links), computed as ``st_folium`` does. Renders ``m`` (which renames its ids)."""
    # here, not at the top: streamlit_folium loads Streamlit, which stays out of the maps
    # layer (only tests and benchmarks measure the payload)
    import streamlit_folium as sf

    m.get_root().render()
    m.render()
    html_part = sf._get_html(m)
    header = sf._get_header(m)
    script = sf._get_map_string(m)
    js_links, css_links = assets.asset_links(m)
    args = {
        "script": script,
        "header": header,
        "html": html_part,
        "js_links": js_links,
        "css_links": css_links,
    }
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
