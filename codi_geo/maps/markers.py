"""Maps of points: rows pinned where they are (their own coordinates, else a point inside
their tambon, district or province), as clustered markers coloured by category or as heat;
and dots that keep small areas visible on a national map.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import folium
import folium.plugins
import geopandas as gpd
import pandas as pd

from codi_geo.maps.base import (
    DEFAULT_OPTIONS,
    Extent,
    MapOptions,
    add_selected,
    base_map,
    boundaries,
    category_legend,
    category_numbers,
    context_outlines,
    extent_bounds,
    finish,
    fmt_number,
    legend_html,
    outline_layer,
    padded,
    tooltip_html,
)
from codi_geo.maps.controls import Legend
from codi_geo.maps.figures import kept
from codi_geo.maps.layers import PointLayer
from codi_geo.maps.scales import is_missing
from codi_geo.maps.shapes import parents_of, short_name
from codi_geo.places import gazetteer
from codi_geo.places.boundaries import load_layer
from codi_geo.programmes import Programme
from codi_geo.settings import on_clear
from codi_geo.text import t


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
) -> tuple[PointLayer, Legend]:
    """Rows with latitude/longitude as circle markers coloured by category, clustered, with
    escaped popups (name, place, category, the programme's public metrics, source)."""
    located = rows.dropna(subset=["latitude", "longitude"])
    index = category_numbers(
        programme, located["category"] if "category" in located else [None] * len(located)
    )
    metric_ids = programme.public_metric_ids
    popups = []
    for _, row in located.iterrows():
        category = programme.category(row.get("category")) if row.get("category") else None
        detail = [
            (m.name.get(lang), fmt_number(row[m.id], lang))
            for m in programme.metrics
            if m.id in metric_ids and m.id in row and not is_missing(row[m.id])
        ]
        if row.get("approx") is True:
            detail.append((t("location", lang), t("approx_location", lang)))
        if category:
            detail.insert(
                0,
                (programme.category_label.get(lang), category.name.get(lang)),
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
        if "code" in located
        else None,
        popups=popups,
        cluster=True,
        name=programme.name.get(lang),
    )
    items = category_legend(programme, point_styles(programme), lang, set(index))
    title = programme.name.get(lang)
    note = t("approx_note", lang) if "approx" in located and located["approx"].any() else ""
    return layer, Legend(legend_html(title, items, note=note, points=True))


@lru_cache(maxsize=8)
def _area_points(level: str, cache_dir: Path | None) -> dict[str, tuple[float, float]]:
    layer = load_layer(level, "low", cache_dir)
    points = layer.geometry.representative_point()
    return {
        c: (round(float(p.y), 5), round(float(p.x), 5))
        for c, p in zip(layer["code"], points, strict=True)
    }


def warm_area_points(cache_dir: Path | None = None) -> None:
    """The inner point of every province, district and tambon (where a row without
    coordinates is pinned), made now rather than on a first visit."""
    for level in ("province", "district", "tambon"):
        _area_points(level, cache_dir)


def pin_rows(rows: pd.DataFrame, cache_dir: Path | None = None) -> pd.DataFrame:
    """Rows with a place to pin: their own coordinates, else a point inside their tambon,
    district or province (``approx`` True). Rows with neither are left out."""
    if rows.empty:
        return rows.assign(approx=pd.Series(dtype=bool))
    out = rows.copy(deep=False)  # copy-on-write: only the columns set below are new
    has = (
        out["latitude"].notna() & out["longitude"].notna()
        if "latitude" in out
        else (pd.Series(False, index=out.index))
    )
    out["approx"] = ~has
    lat = (
        out["latitude"].astype("Float64")
        if "latitude" in out
        else pd.Series(pd.NA, index=out.index, dtype="Float64")
    )
    lon = (
        out["longitude"].astype("Float64")
        if "longitude" in out
        else pd.Series(pd.NA, index=out.index, dtype="Float64")
    )
    # each distinct area looked up once: a public housing page holds 100,000 projects, and
    # a loop over them was a third of a second of every run
    missing = out.loc[~has, "code"]
    inner: dict[object, tuple[float, float]] = {}
    for code in missing.dropna().unique():
        if isinstance(code, str) and code.isdigit() and len(code) in (2, 4, 6):
            found = _area_points(gazetteer.level_of_code(code), cache_dir).get(code)
            if found:
                inner[code] = found
    lat, lon = lat.astype("float64"), lon.astype("float64")
    if inner:
        lat.loc[missing.index] = missing.map({c: p[0] for c, p in inner.items()}).astype(float)
        lon.loc[missing.index] = missing.map({c: p[1] for c, p in inner.items()}).astype(float)
    out["latitude"], out["longitude"] = lat, lon
    return kept(out, out["latitude"].notna() & out["longitude"].notna())


def heat_layer(rows: pd.DataFrame) -> folium.plugins.HeatMap:
    """Density of the rows' points (one unit each)."""
    located = rows.dropna(subset=["latitude", "longitude"])
    data = [
        [round(float(a), 4), round(float(b), 4)]
        for a, b in zip(located["latitude"], located["longitude"], strict=True)
    ]
    return folium.plugins.HeatMap(data, name="heat", radius=18, blur=14, min_opacity=0.35)


def point_map_outlines(m: folium.Map, extent: Extent, lang: str, cache_dir: Path | None) -> None:
    """The provinces for context and, below the national scope, the outlines of the region's
    provinces or of the province or district in view: a points map has no areas of its own
    to show where it is."""
    context_outlines(m, lang, cache_dir)
    if extent.scope == "national":
        return
    level = "province" if extent.scope in ("region", "province") else "district"
    detail = "high" if extent.scope != "region" else "medium"
    frame = boundaries(level, detail, cache_dir, extent.within, extent.fiscal_year)
    outline_layer(frame, level, detail, cache_dir, colour="#202020", weight=1.4, lang=lang).add_to(
        m
    )


def heat_legend(lang: str) -> Legend:
    return Legend(legend_html(t("heat_title", lang), [], note=t("heat_note", lang)))


def points_map(
    extent: Extent,
    rows: pd.DataFrame,
    programme: Programme,
    options: MapOptions = DEFAULT_OPTIONS,
    mode: str = "points",
) -> folium.Map:
    """Pinned rows (``pin_rows`` output) as clustered markers coloured by category, or as a
    heat layer (``mode="heat"``), over the extent's outlines."""
    lang, cache_dir = options.lang, options.cache_dir
    bounds = extent_bounds(extent, cache_dir)
    if extent.scope == "national" and not rows.empty:
        (south, west), (north, east) = bounds
        lat, lon = rows["latitude"], rows["longitude"]
        bounds = padded(
            (
                (max(float(lat.min()), south), max(float(lon.min()), west)),
                (min(float(lat.max()), north), min(float(lon.max()), east)),
            )
        )
    m = base_map(bounds, options.basemap, lang)
    point_map_outlines(m, extent, lang, cache_dir)
    if mode == "heat":
        heat_layer(rows).add_to(m)
        heat_legend(lang).add_to(m)
    else:
        layer, legend = points_layer(rows, programme, lang)
        layer.add_to(m)
        legend.add_to(m)
    add_selected(m, options.selected, cache_dir)
    return finish(m, options.base_url_path)


def area_dots(
    frame: gpd.GeoDataFrame, categories: pd.Series, programme: Programme, lang: str
) -> PointLayer:
    """A dot on each highlighted tambon, so a few tambons stay visible on a national map."""
    points = frame.geometry.representative_point()
    index = category_numbers(programme, categories.reindex(frame["code"].to_numpy()).to_numpy())
    tips = [
        tooltip_html(short_name(c, lang), (), subtitle=parents_of(c, lang) or "")
        for c in frame["code"]
    ]
    return PointLayer(
        points.y.round(5).tolist(),
        points.x.round(5).tolist(),
        point_styles(programme, radius=5),
        index,
        ids=frame["code"].tolist(),
        codes=frame["code"].tolist(),
        tooltips=tips,
        cluster=False,
        name=programme.name.get(lang),
    )


# Keyed on ``cache_dir=None`` for "the configured cache": forgotten with the settings.
on_clear(_area_points.cache_clear)
