"""Pinpoints at any scale: what the map's view can show, counted on the server.

A disasters map of 100,000 pins never sends 100,000 markers. For the view the browser
reports (its bounding box and zoom), ``pin_view`` asks the store (``results.points``):

* few pins in view (``PIN_LIMIT``, about 2,000): the pins themselves, each with an id, a
  category and its tambon; the tooltip names the tambon, the details load on click;
* more: counts per grid cell (a cell about 64 pixels wide at the view's zoom), drawn as
  numbered bubbles that zoom in when clicked;
* the heat view: counts per finer cell (16 pixels) as weights of a heat layer.

All of it is drawn on the map's canvas (``preferCanvas``), from a payload of a few kilobytes
to a few hundred. ``PinLayer`` is the folium element; the page hands it to streamlit-folium
as a feature group that replaces the previous one without redrawing the base map
(``base_map``: the outlines and the legend, fixed for a view in the URL).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import folium
import numpy as np
import pandas as pd
import sqlalchemy as sa
from folium.elements import JSCSSMixin
from folium.map import Layer
from folium.template import Template

from codi_geo.maps import assets
from codi_geo.maps.base import (
    DEFAULT_OPTIONS,
    THAILAND_BOUNDS,
    Extent,
    MapOptions,
    add_selected,
    base_map,
    bounds_of,
    category_legend,
    category_numbers,
    esc,
    extent_bounds,
    extent_for,
    finish,
    fmt_number,
    legend_html,
    tooltip_html,
)
from codi_geo.maps.controls import Legend
from codi_geo.maps.layers import PlainRender, helpers_js, js_data
from codi_geo.maps.markers import _area_points, heat_legend, point_map_outlines, point_styles
from codi_geo.maps.viewstate import ViewState
from codi_geo.places import gazetteer
from codi_geo.places.boundaries import load_layer
from codi_geo.programmes import Programme
from codi_geo.results import points
from codi_geo.results.points import PIN_LIMIT, BBox, PinFilter
from codi_geo.text import t

# Bubble colours by count (ColorBrewer Oranges): dense cells read darker.
CELL_COLOURS = ((10, "#fdae6b"), (100, "#fd8d3c"), (1000, "#e6550d"), (math.inf, "#a63603"))
CELLS_PER_TILE = {"cells": 4, "heat": 16}  # grid cells across a 256-pixel tile
MAP_WIDTH_PX = 800  # a guess at the map's width before the browser has reported its view


@dataclass(frozen=True)
class PinView:
    """What a points map shows for one view: ``mode`` ``pins`` (``pins``: id, latitude,
    longitude, category, code, approx), ``cells`` or ``heat`` (``cells``: latitude,
    longitude, n, ``k:<category>`` counts; see ``points.cells``). ``in_view``: rows in the view;
    ``total``: rows with a place in the filter; ``unplaceable``: rows without one (no
    coordinates and no known area)."""

    mode: str
    bbox: BBox
    zoom: float
    in_view: int
    total: int
    unplaceable: int
    pins: pd.DataFrame | None = None
    cells: pd.DataFrame | None = None
    cell_size: float = 0.0

    @property
    def shown(self) -> int:
        """Rows the layer stands for (pins drawn, or the sum of the cells' counts)."""
        if self.pins is not None:
            return len(self.pins)
        return int(self.cells["n"].sum()) if self.cells is not None else 0


def zoom_for(bounds, width_px: int = MAP_WIDTH_PX) -> float:
    """The Web Mercator zoom at which ``bounds`` ((south, west), (north, east)) fill about
    ``width_px`` pixels across."""
    (_south, west), (_north, east) = bounds
    span = max(float(east) - float(west), 1e-4)
    return max(4.0, min(17.0, math.floor(math.log2(360.0 * width_px / (256.0 * span)))))


def bbox_of(bounds) -> BBox:
    (south, west), (north, east) = bounds
    return (float(south), float(west), float(north), float(east))


def _placed_unplaced(
    engine: sa.Engine, pins: PinFilter, cache_dir: Path | None
) -> tuple[pd.DataFrame, int]:
    """Rows without coordinates, per area code and category, placed at a point inside their
    area (``latitude``, ``longitude``); and how many have no known area at all."""
    found = points.unplaced_counts(engine, pins)
    lats, lons = [], []
    for code in found["code"]:
        spot = None
        if isinstance(code, str) and code.isdigit() and len(code) in (2, 4, 6):
            spot = _area_points(gazetteer.level_of_code(code), cache_dir).get(code)
        lats.append(spot[0] if spot else np.nan)
        lons.append(spot[1] if spot else np.nan)
    found = found.assign(latitude=lats, longitude=lons)
    lost = found["latitude"].isna()
    return found[~lost].reset_index(drop=True), int(found.loc[lost, "n"].sum())


def _inside(frame: pd.DataFrame, bbox: BBox) -> pd.Series:
    south, west, north, east = bbox
    return frame["latitude"].between(south, north) & frame["longitude"].between(west, east)


def _bin(frame: pd.DataFrame, size: float) -> pd.DataFrame:
    """Placed rows (``_placed_unplaced``) in the shape of ``points.grid_counts``."""
    return pd.DataFrame(
        {
            "gx": np.floor((frame["longitude"] + 180.0) / size).astype("int64"),
            "gy": np.floor((frame["latitude"] + 90.0) / size).astype("int64"),
            "category": frame["category"],
            "n": frame["n"].astype("int64"),
            "lat_sum": frame["latitude"] * frame["n"],
            "lon_sum": frame["longitude"] * frame["n"],
        }
    )


def snap(bbox: BBox, size: float) -> BBox:
    """``bbox`` grown to whole grid cells, so every cell shown counts all its pins (a cell
    cut by the edge of the view would show part of its count) and small pans ask the same
    question again."""
    south, west, north, east = bbox
    return (
        math.floor((south + 90.0) / size) * size - 90.0,
        math.floor((west + 180.0) / size) * size - 180.0,
        math.ceil((north + 90.0) / size) * size - 90.0,
        math.ceil((east + 180.0) / size) * size - 180.0,
    )


def pin_view(
    engine: sa.Engine,
    pins: PinFilter,
    bbox: BBox,
    zoom: float,
    heat: bool = False,
    limit: int = PIN_LIMIT,
    cache_dir: Path | None = None,
) -> PinView:
    """What the view ``bbox`` at ``zoom`` shows of the filtered pins (see the module)."""
    placed, unplaceable = _placed_unplaced(engine, pins, cache_dir)
    placed_in_view = placed[_inside(placed, bbox)]
    located_total, located_in_view = points.count_located(engine, pins, bbox)
    total = located_total + int(placed["n"].sum())
    in_view = located_in_view + int(placed_in_view["n"].sum())
    if not heat and in_view <= limit:
        found = points.pins_in_bbox(engine, pins, bbox, limit)
        located = (
            found
            if found is not None
            else pd.DataFrame(columns=["id", "latitude", "longitude", "category", "code"])
        )
        located = located.assign(approx=False)
        spots = placed_in_view.drop_duplicates("code").set_index("code")
        extra = points.unplaced_rows(engine, pins, placed_in_view["code"].tolist(), limit)
        extra = extra.assign(
            latitude=extra["code"].map(spots["latitude"].to_dict()),
            longitude=extra["code"].map(spots["longitude"].to_dict()),
            approx=True,
        )
        parts = [f for f in (located, extra) if not f.empty]
        shown = pd.concat(parts, ignore_index=True) if parts else located
        return PinView("pins", bbox, zoom, in_view, total, unplaceable, pins=shown)
    mode = "heat" if heat else "cells"
    size = points.cell_size(zoom, CELLS_PER_TILE[mode])
    whole = snap(bbox, size)
    located_cells = points.grid_counts(engine, pins, size, whole)
    counted = points.cells([located_cells, _bin(placed[_inside(placed, whole)], size)])
    in_cells = int(counted["n"].sum()) if not counted.empty else 0
    return PinView(mode, whole, zoom, in_cells, total, unplaceable, cells=counted, cell_size=size)


# ---------------------------------------------------------------------------------------
# Drawing
# ---------------------------------------------------------------------------------------


def cell_colour(n: int) -> str:
    return next(colour for bound, colour in CELL_COLOURS if n < bound)


class PinLayer(JSCSSMixin, Layer, PlainRender):
    """Pins, numbered cells or heat from ``PinView`` data, on the map's canvas. Pins report
    ``{"id": …, "code": …}`` when clicked; a cell zooms the map in two levels on itself."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = (function () {
          var D = {{ this.payload }}, i, n = D.y.length;
          if (D.m === 'heat') {
            var hot = new Array(n);
            for (i = 0; i < n; i++) { hot[i] = [D.y[i], D.x[i], D.n[i]]; }
            return L.heatLayer(hot, {radius: 16, blur: 14, minOpacity: 0.35, max: D.mx});
          }
          var group = L.featureGroup();
          if (D.m === 'cells') {
            for (i = 0; i < n; i++) {
              var c = L.circleMarker([D.y[i], D.x[i]], {radius: D.r[i], color: '#ffffff',
                  weight: 1.5, fillColor: D.f[i], fillOpacity: 0.88,
                  bubblingMouseEvents: false});
              c.feature = {type: 'Feature', properties: {cell: i, n: D.n[i]}};
              c.bindTooltip(codiGeo.html(D.t[i]), {direction: 'top'});
              c.on('click', function (e) {
                var map = this._map;
                map.setView(e.latlng, Math.min(map.getZoom() + 2, map.getMaxZoom()));
              });
              group.addLayer(c);
              group.addLayer(L.marker([D.y[i], D.x[i]], {interactive: false, keyboard: false,
                  icon: L.divIcon({className: 'codi-cell', html: D.l[i],
                                   iconSize: [48, 16], iconAnchor: [24, 8]})}));
            }
            return group;
          }
          for (i = 0; i < n; i++) {
            var m = L.circleMarker([D.y[i], D.x[i]], L.extend({bubblingMouseEvents: false},
                                                             D.s[D.k[i]]));
            m.feature = {type: 'Feature', properties: {id: D.d[i], code: D.N[D.c[i]] || null}};
            m.bindTooltip((function (j) { return function () {
              var h = '<div class="n">' + D.K[D.k[j]] + '</div>';
              if (D.c[j] >= 0) { h += '<div>' + D.P[D.c[j]] + '</div>'; }
              if (D.a[j]) { h += '<div>' + D.A + '</div>'; }
              return codiGeo.html(h); }; })(i), {direction: 'top'});
            if (D.sel === i) {
              m.bindPopup(codiGeo.html(D.sh), {maxWidth: 320, autoPan: false});
              group.once('add', (function (mk) { return function () {
                setTimeout(function () { mk.openPopup(); }, 0); }; })(m));
            }
            group.addLayer(m);
          }
          return group;
        })();
        {% endmacro %}
        """
    )

    def __init__(
        self,
        data: dict[str, Any],
        heat_js: str | None = None,
        name: str | None = None,
        base_url_path: str = "",
    ):
        super().__init__(name=name, overlay=True, control=False, show=True)
        self._name = "PinLayer"
        self.data = data
        # The app's own copies (the layer is added after ``finish``, so with their final URLs).
        self.default_js = helpers_js(base_url_path) + (
            [("leaflet-heat.js", heat_js)] if heat_js else []
        )
        self.default_css = []

    @property
    def payload(self) -> str:
        return js_data(self.data)

    @property
    def feature_count(self) -> int:
        return len(self.data["y"])


def _cell_tip(n: int, kinds: dict[str, int], programme: Programme, lang: str) -> str:
    """A cell's tooltip: its count and how many of each kind (``kinds``: ``k:<id>`` → n)."""
    rows = []
    for category in programme.categories:
        if kinds.get(f"k:{category.id}"):
            rows.append((category.name.get(lang), fmt_number(kinds[f"k:{category.id}"], lang)))
    others = sum(
        v
        for k, v in kinds.items()
        if k.startswith("k:") and k[2:] not in {c.id for c in programme.categories}
    )
    if others:
        rows.append((_uncategorised_label(programme, lang), fmt_number(others, lang)))
    title = f"{fmt_number(n, lang)} {t('pinpoints_unit', lang)}"
    return tooltip_html(title, rows, subtitle=t("cell_zoom_hint", lang))


def pin_detail_html(detail: dict[str, Any], programme: Programme, lang: str) -> str:
    """The popup of a clicked pin: its name, place, kind, quarter, figures and source."""
    code = detail.get("code")
    place = (
        gazetteer.full_name(code, lang)
        if isinstance(code, str) and code.isdigit() and gazetteer.is_current(code)
        else ""
    ) or (detail.get("place_text") or "")
    rows: list[tuple[str, str]] = []
    category = programme.category(detail["category"]) if detail.get("category") else None
    if category:
        rows.append((programme.category_label.get(lang), category.name.get(lang)))
    if detail.get("quarter"):
        rows.append((t("quarter", lang), t("quarter_n", lang, n=detail["quarter"])))
    metrics = detail.get("metrics") or {}
    for metric in programme.metrics:
        if metric.id in metrics:
            rows.append((metric.name.get(lang), fmt_number(metrics[metric.id], lang)))
    if detail.get("latitude") is None:
        rows.append((t("location", lang), t("approx_location", lang)))
    source = " ".join(str(v) for v in (detail.get("source_doc"), detail.get("source_line")) if v)
    if source:
        rows.append((t("source", lang), source))
    if detail.get("note"):
        rows.append((t("note", lang), str(detail["note"])))
    title = detail.get("name") or place or programme.name.get(lang)
    return tooltip_html(str(title), rows, subtitle=str(place))


def pin_layer(
    view: PinView,
    programme: Programme,
    lang: str = "th",
    selected: dict[str, Any] | None = None,
    base_url_path: str = "",
) -> PinLayer:
    """The folium element of ``view``. ``selected``: the clicked pin's ``pin_detail``, shown
    in an open popup."""
    heat_js = f"{assets.vendor_url(base_url_path)}/{assets.LOCAL_JS['leaflet-heat.js']}"
    if view.mode in ("cells", "heat"):
        cells = (
            view.cells
            if view.cells is not None
            else pd.DataFrame(columns=["latitude", "longitude", "n"])
        )
        counts = [int(v) for v in cells["n"]]
        data: dict[str, Any] = {
            "m": view.mode,
            "y": [round(float(v), 5) for v in cells["latitude"]],
            "x": [round(float(v), 5) for v in cells["longitude"]],
            "n": counts,
        }
        if view.mode == "heat":
            data["mx"] = max(counts) if counts else 1
            return PinLayer(
                data, heat_js=heat_js, name=t("heat_title", lang), base_url_path=base_url_path
            )
        data["r"] = [round(9 + 4 * math.log10(max(n, 1)), 1) for n in counts]
        data["f"] = [cell_colour(n) for n in counts]
        data["l"] = [esc(_short_count(n)) for n in counts]
        kinds = cells[[c for c in cells.columns if str(c).startswith("k:")]]
        data["t"] = [
            _cell_tip(n, k, programme, lang)
            for n, k in zip(counts, kinds.to_dict("records"), strict=True)
        ]
        return PinLayer(data, name=programme.name.get(lang), base_url_path=base_url_path)
    frame = (
        view.pins
        if view.pins is not None
        else pd.DataFrame(columns=["id", "latitude", "longitude", "category", "code", "approx"])
    )
    kinds = category_numbers(programme, frame["category"])
    codes = [c if isinstance(c, str) and gazetteer.is_current(c) else None for c in frame["code"]]
    table = sorted({c for c in codes if c})
    position = {c: i for i, c in enumerate(table)}
    pin_ids = [int(v) for v in frame["id"]]
    chosen = -1
    if selected is not None and int(selected["id"]) in pin_ids:
        chosen = pin_ids.index(int(selected["id"]))
    data = {
        "m": "pins",
        "y": [round(float(v), 5) for v in frame["latitude"]],
        "x": [round(float(v), 5) for v in frame["longitude"]],
        "k": kinds,
        "s": point_styles(programme, radius=6),
        "d": pin_ids,
        "c": [position[c] if c else -1 for c in codes],
        "a": [1 if bool(a) else 0 for a in frame["approx"]],
        "N": table,
        "P": [esc(gazetteer.full_name(c, lang)) for c in table],
        "K": [esc(_uncategorised_label(programme, lang))]
        + [esc(c.name.get(lang)) for c in programme.categories],
        "A": esc(t("approx_location", lang)),
        "sel": chosen,
        "sh": pin_detail_html(selected, programme, lang) if chosen >= 0 and selected else "",
    }
    return PinLayer(data, name=programme.name.get(lang), base_url_path=base_url_path)


def _uncategorised_label(programme: Programme, lang: str) -> str:
    """What a pin without a declared category is: "no data" where the programme has
    categories, else simply one of the programme's places (a housing community or project)."""
    return t("no_data", lang) if programme.categories else t("pin_place", lang)


def pin_legend_items(programme: Programme, lang: str) -> list[tuple[str, dict[str, Any]]]:
    """Legend rows of the pins' colours (``legend_html``): one per declared category, or one
    for the programme's places when it declares none."""
    styles = point_styles(programme)
    if programme.categories:
        return category_legend(programme, styles, lang)
    return [(_uncategorised_label(programme, lang), styles[0])]


def overlay_legend_html(programme: Programme, lang: str) -> str:
    """The legend rows of pins counted over a shaded map: their colours, and how the
    numbered circles read (escaped HTML for ``areas.choropleth_map``'s ``legend_more``)."""
    return legend_html(
        t("pins_on_map", lang),
        pin_legend_items(programme, lang),
        note=t("cells_note", lang),
        points=True,
    )


def _short_count(n: int) -> str:
    """``987``, ``12k``, ``1.2M``: a count that fits in a bubble."""
    if n < 10_000:
        return f"{n:,}"
    if n < 1_000_000:
        return f"{n / 1000:.0f}k"
    return f"{n / 1_000_000:.1f}M"


class CellStyle(JSCSSMixin, folium.MacroElement):
    """leaflet.heat loaded with the base map (the pin layer that uses it arrives later, as a
    feature group; the cells' count labels are styled by ``controls.MapStyle``)."""

    _template = Template("")

    def __init__(self, base_url_path: str = ""):
        super().__init__()
        self._name = "CellStyle"
        heat = f"{assets.vendor_url(base_url_path)}/{assets.LOCAL_JS['leaflet-heat.js']}"
        self.default_js = [("leaflet-heat.js", heat)]
        self.default_css = []


def focus_bounds(extent: Extent, selected: str | None, cache_dir: Path | None = None):
    """Where a points map opens: the selected tambon (its pins in view), else the extent."""
    if selected and len(selected) == 6 and selected.isdigit() and gazetteer.is_current(selected):
        frame = load_layer("tambon", "low", cache_dir)
        frame = frame[frame["code"] == selected]
        if not frame.empty:
            return bounds_of(frame)
    return extent_bounds(extent, cache_dir) if extent.within else THAILAND_BOUNDS


def opening_view(view: ViewState, cache_dir: Path | None = None) -> tuple[BBox, float]:
    """The bounds and zoom a pin map is counted for before the browser has reported its own
    (the page's first run, and the server's warm-up before its first visitor): the selected
    tambon, else the area in the URL, else the country."""
    extent = extent_for(view.scope, view.within, level="province", fiscal_year=view.fiscal_year)
    opening = focus_bounds(extent, view.area, cache_dir)
    return bbox_of(opening), zoom_for(opening)


def base_pin_map(
    extent: Extent,
    programme: Programme,
    options: MapOptions = DEFAULT_OPTIONS,
    mode: str = "points",
) -> folium.Map:
    """The fixed part of a points map: outlines, the selected area, the legend. The pins
    come as a ``pin_layer`` in a feature group on top."""
    lang, cache_dir = options.lang, options.cache_dir
    m = base_map(focus_bounds(extent, options.selected, cache_dir), options.basemap, lang)
    point_map_outlines(m, extent, lang, cache_dir)
    if mode == "heat":
        heat_legend(lang).add_to(m)
    else:
        Legend(
            legend_html(
                programme.name.get(lang),
                pin_legend_items(programme, lang),
                note=t("cells_note", lang),
                points=True,
            )
        ).add_to(m)
    CellStyle(options.base_url_path).add_to(m)
    add_selected(m, options.selected, cache_dir)
    return finish(m, options.base_url_path)


def feature_group(layer: PinLayer) -> folium.FeatureGroup:
    """The pin layer as streamlit-folium's ``feature_group_to_add``: it replaces the previous
    one in the browser without drawing the base map again."""
    group = folium.FeatureGroup(name=layer.layer_name, control=False)
    layer.add_to(group)
    return group
