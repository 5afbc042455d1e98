"""Compact folium elements for the app's maps.

A plain ``folium.GeoJson`` of the 7,425 tambons is about 11 MB of HTML: coordinates written
out in full, a JSON object per feature, a style per feature. These elements send the same
picture in a fraction of that:

* ``PolygonLayer``: rings as encoded polylines (integer deltas, 5 bits a character: about
  five characters a vertex instead of twenty), one code, one style index and one pre-escaped
  tooltip per feature, styles in a small shared table, drawn as one path on the map's canvas
  (``codiGeo.Areas``, ``static/codi-geo/maps.js``).
* ``PointLayer``: points as parallel arrays, drawn as circle markers, optionally clustered.

Where the map looks, its legends and its CSS are in ``controls``.

Every text that reaches the browser as HTML is escaped here or by the caller (``maps``);
the JSON payload is additionally safe inside a ``<script>`` element (``<``, ``>``, ``&``
written as ``\\u003c`` …).
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from branca.element import Element, Figure, MacroElement
from folium.elements import JSCSSMixin
from folium.map import Layer
from folium.template import Template

from codi_geo.maps import assets
from codi_geo.maps.assets import LOCAL_CSS, LOCAL_JS

_JS_UNSAFE = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
    # branca renders a folium element's output again as a Jinja template (ours, a
    # ``PlainRender``, not): no "{{", "{%" or "{#" may survive, wherever the text ends up.
    # In compact JSON they can only occur inside strings.
    "{{": "{\\u007b",
    "{%": "{\\u0025",
    "{#": "{\\u0023",
}


def js_data(value: Any) -> str:
    """Compact JSON, safe to place inside a ``<script>`` element and inside a Jinja
    template (which branca makes of a folium element's rendered script)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for char, escaped in _JS_UNSAFE.items():
        text = text.replace(char, escaped)
    return text


class _Rendered(Element):
    """A part an element's macro has rendered, kept as text."""

    def __init__(self, text: str):
        super().__init__()
        self.text = text

    def render(self, **kwargs: Any) -> str:
        return self.text


class PlainRender(MacroElement):
    """A folium element whose rendered parts go into the page as they are. branca's own
    ``MacroElement.render`` makes an ``Element`` of each part, and an ``Element`` compiles
    its text as a Jinja template: for an area layer's payload (tens of kilobytes) that
    compile was a tenth of a national tambon change on the server, and streamlit-folium
    renders each drawing that way and then again by its macros."""

    def render(self, **kwargs: Any) -> Any:  # None, as branca's own
        figure = self.get_root()
        if not isinstance(figure, Figure):
            raise TypeError("an element is rendered in a Figure")
        macros = self._template.module.__dict__
        for part in ("header", "html", "script"):
            macro = macros.get(part)
            if macro is not None:
                box = getattr(figure, part)
                box.add_child(_Rendered(macro(self, kwargs)), name=self.get_name())
        for element in self._children.values():
            element.render(**kwargs)


# ---------------------------------------------------------------------------------------
# Encoded polylines (Google's algorithm, here on (lon, lat) pairs, any precision)
# ---------------------------------------------------------------------------------------


def encode_ring(coords: np.ndarray, decimals: int) -> str:
    """One ring of (lon, lat) as an encoded polyline string at ``decimals`` precision.

    Each number is the difference from the previous one (the first from zero), scaled to an
    integer, zig-zag signed, and written 5 bits per character from ``?`` (63) upwards.
    """
    scaled = np.round(np.asarray(coords, dtype=float)[:, :2] * 10**decimals).astype(np.int64)
    # Vertices that rounding made equal to the one before draw nothing: left out.
    if len(scaled) > 1:
        scaled = scaled[np.r_[True, np.any(scaled[1:] != scaled[:-1], axis=1)]]
    deltas = np.diff(scaled, axis=0, prepend=np.zeros((1, 2), dtype=np.int64)).ravel()
    zigzag = np.where(deltas < 0, ~(deltas << 1), deltas << 1)
    out: list[str] = []
    append = out.append
    for value in zigzag.tolist():
        while value >= 0x20:
            append(chr((0x20 | (value & 0x1F)) + 63))
            value >>= 5
        append(chr(value + 63))
    return "".join(out)


def decode_ring(text: str, decimals: int) -> list[list[float]]:
    """The inverse of ``encode_ring`` (used by tests; the browser has its own copy)."""
    numbers: list[int] = []
    shift = result = 0
    for char in text:
        byte = ord(char) - 63
        result |= (byte & 0x1F) << shift
        shift += 5
        if byte < 0x20:
            numbers.append(~(result >> 1) if result & 1 else result >> 1)
            shift = result = 0
    values = np.cumsum(np.array(numbers, dtype=np.int64).reshape(-1, 2), axis=0)
    return (values / 10**decimals).round(decimals).tolist()


def encode_geometry(geometry: shapely.Geometry, decimals: int) -> list[list[str]]:
    """A (multi)polygon as a list of polygons, each a list of encoded rings (shell first)."""
    if geometry is None or geometry.is_empty:
        return []
    parts = geometry.geoms if geometry.geom_type == "MultiPolygon" else [geometry]
    encoded = []
    for polygon in parts:
        if polygon.geom_type != "Polygon" or polygon.is_empty:
            continue
        rings = [np.asarray(r.coords) for r in (polygon.exterior, *polygon.interiors)]
        # A ring that rounding collapses to fewer than three distinct points covers nothing
        # at this precision (an islet at national scale): a shell takes its holes with it.
        kept = [r for r in rings if _distinct_points(r, decimals) >= 3]
        if not kept or kept[0] is not rings[0]:
            continue
        encoded.append([encode_ring(r, decimals) for r in kept])
    return encoded


def _distinct_points(coords: np.ndarray, decimals: int) -> int:
    scaled = np.round(np.asarray(coords, dtype=float)[:, :2] * 10**decimals).astype(np.int64)
    return len(np.unique(scaled, axis=0))


def encode_geometries(geometries: Sequence[shapely.Geometry], decimals: int) -> list:
    return [encode_geometry(g, decimals) for g in geometries]


# ---------------------------------------------------------------------------------------
# Thai text in one byte a letter
# ---------------------------------------------------------------------------------------

# Streamlit sends a component's arguments as ASCII JSON: a Thai letter is written ``\u0e15``,
# six bytes. The tambon names of a national map are most of its tooltips' bytes, so they
# travel packed: ``~`` switches between plain text and Thai, where each printable ASCII
# character stands for the Thai letter at the same offset (``!`` is U+0E01, ``{`` U+0E5B),
# a space stays a space and ``|`` is a full stop. The browser unpacks (``codiGeo.uz``).
_THAI_FIRST, _THAI_LAST, _SHIFT = 0x0E01, 0x0E5B, "~"


# Indices (a style, a shared string, a position per area) as fixed-width base-64 digits: the
# 7,425 style indices of a national tambon map are 7 KB as "0123…", 15 KB as a JSON list.
_DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_"


_DIGIT_BYTES = np.frombuffer(_DIGITS.encode("ascii"), dtype=np.uint8)


def pack_indices(values: Sequence[int]) -> dict[str, Any]:
    """``{"w": digits per value, "d": the digits}`` (``codiGeo.unpack`` reads it back)."""
    array = np.asarray(values, dtype=np.int64).reshape(-1)
    if not array.size:
        return {"w": 1, "d": ""}
    if array.min() < 0:
        raise ValueError("indices are not negative")
    top, width = int(array.max()), 1
    while top >= 64**width:
        width += 1
    places = 64 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    digits = _DIGIT_BYTES[(array[:, None] // places) % 64]
    return {"w": width, "d": digits.tobytes().decode("ascii")}


def pack_thai(text: str) -> str:
    """``text`` with its Thai letters one ASCII character each (see above); a ``~`` of the
    text itself is written ``&#126;`` (the packed strings are HTML)."""
    out: list[str] = []
    thai = False
    for char in text.replace(_SHIFT, "&#126;"):
        code = ord(char)
        if _THAI_FIRST <= code <= _THAI_LAST:
            if not thai:
                out.append(_SHIFT)
                thai = True
            out.append(chr(code - 0x0E00 + 0x20))
        elif thai and char in " .":
            out.append(" " if char == " " else "|")
        else:
            if thai:
                out.append(_SHIFT)
                thai = False
            out.append(char)
    return "".join(out)


# ---------------------------------------------------------------------------------------
# Tooltips as shared tables
# ---------------------------------------------------------------------------------------


def _escape(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return html.escape(str(value), quote=True)


@dataclass
class Tooltips:
    """One tooltip per feature: a title, an optional subtitle and ``label: value`` rows.

    Raw text goes in; ``data()`` escapes every piece and shares repeated strings through
    tables (7,425 tambons have 928 distinct district lines and few distinct values), so the
    tooltips of the national tambon layer cost a few hundred kilobytes, not megabytes. The
    browser joins the escaped pieces exactly as ``html(i)`` does here.
    """

    titles: Sequence[str]
    subtitles: Sequence[str | None] | None = None
    labels: Sequence[str] = ()
    values: Sequence[Sequence[object]] = ()
    # The titles and subtitles are the areas' own names in this language (``shapes.area_name``
    # and ``area_parents``): a layer whose areas come from geometry files sends neither, the
    # browser reads them from the files it keeps.
    names_of_areas: str | None = None

    def __post_init__(self) -> None:
        count = len(self.titles)
        if self.subtitles is not None and len(self.subtitles) != count:
            raise ValueError("one subtitle per feature")
        if len(self.labels) != len(self.values):
            raise ValueError("one value list per label")
        if any(len(column) != count for column in self.values):
            raise ValueError("one value per feature in every row")

    def __len__(self) -> int:
        return len(self.titles)

    def data(self, with_names: bool = True) -> dict[str, Any]:
        """The tables the browser reads; ``with_names=False`` leaves out the areas' own names
        (``names_of_areas``) for a layer whose geometry files carry them."""
        shared: dict[str, int] = {}

        def ref(text: object) -> int:
            escaped = _escape(text)
            if escaped not in shared:
                shared[escaped] = len(shared)
            return shared[escaped]

        if self.names_of_areas and not with_names:
            rows = [[ref(v) for v in column] for column in self.values]
            return {
                "n": None,
                "s": None,
                "a": self.names_of_areas,
                "l": [_escape(label) for label in self.labels],
                "v": rows,
                "S": list(shared),
            }
        subtitles = [-1 if not s else ref(s) for s in (self.subtitles or [None] * len(self))]
        rows = [[ref(v) for v in column] for column in self.values]
        return {
            "n": [_escape(title) for title in self.titles],
            "s": subtitles,
            "l": [_escape(label) for label in self.labels],
            "v": rows,
            "S": list(shared),
        }

    def html(self, index: int) -> str:
        """The tooltip of feature ``index`` as the browser builds it (escaped HTML)."""
        parts = [f'<div class="n">{_escape(self.titles[index])}</div>']
        if self.subtitles is not None and self.subtitles[index]:
            parts.append(f"<div>{_escape(self.subtitles[index])}</div>")
        for label, column in zip(self.labels, self.values, strict=True):
            parts.append(f"<div>{_escape(label)}: <b>{_escape(column[index])}</b></div>")
        return "".join(parts)


# ---------------------------------------------------------------------------------------
# Elements
# ---------------------------------------------------------------------------------------

# The browser side of these elements (``codiGeo``: the Areas layer, tooltip tables, Thai
# unpacking) is one script the app serves, ``static/codi-geo/maps.js``: loaded once per map
# frame and cached, not sent again inside every map's payload.
MAP_HELPERS = "codi_geo_maps"


def helpers_js(base_url_path: str = "") -> list[tuple[str, str]]:
    """``default_js`` for an element that uses ``codiGeo`` (``assets.localize`` fixes the
    server's base path for elements added before ``finish``; later ones pass it here)."""
    return [(MAP_HELPERS, assets.own_js_url(MAP_HELPERS, base_url_path))]


class PolygonLayer(JSCSSMixin, Layer, PlainRender):
    """Polygons with a code, a style index and an optional tooltip each, drawn as one path
    on the map's canvas (``codiGeo.Areas`` in ``static/codi-geo/maps.js``: decoded once,
    a redraw is a multiply-add per vertex, hit-testing by bounding box then ring).

    ``styles``: Leaflet path options (colour, fillColor, weight, dashArray …), referred to by
    ``style_index`` per feature. ``tooltips``: a ``Tooltips`` (escaped when sent) or None.
    ``geometries`` None: the rings come from geometry files (``from_files``), so none are
    encoded here, nor the areas' names for the tooltips (a filter change builds the layer
    anew: the whole country's tambons). A click reports ``{"code": …, "i": …}`` as the
    feature's properties to streamlit-folium.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = new codiGeo.Areas({{ this.payload }});
        {% endmacro %}
        """
    )

    def __init__(
        self,
        codes: Sequence[str],
        geometries: Sequence[shapely.Geometry] | None,
        styles: Sequence[dict[str, Any]],
        style_index: Sequence[int],
        tooltips: Tooltips | None = None,
        decimals: int = 4,
        name: str | None = None,
        interactive: bool = True,
        highlight: bool = True,
        attribution: str | None = None,
        overlay: bool = True,
        control: bool = True,
        show: bool = True,
    ):
        super().__init__(name=name, overlay=overlay, control=control, show=show)
        self._name = "PolygonLayer"
        if geometries is not None and len(geometries) != len(codes):
            raise ValueError("codes, geometries and style_index must have the same length")
        if len(style_index) != len(codes):
            raise ValueError("codes, geometries and style_index must have the same length")
        if tooltips is not None and len(tooltips) != len(codes):
            raise ValueError("one tooltip per feature")
        self.codes = [str(c) for c in codes]
        # the tooltips carry the areas' names unless the geometry files will
        self._named = geometries is not None or not (tooltips and tooltips.names_of_areas)
        self.data: dict[str, Any] = {
            "f": int(decimals),
            "c": self.codes,
            "g": [] if geometries is None else encode_geometries(geometries, decimals),
            "k": [int(k) for k in style_index],
            "s": [dict(s) for s in styles],
            "t": tooltips.data(with_names=self._named) if tooltips is not None else None,
            "n": bool(interactive),
            "h": bool(highlight and interactive),
            "a": attribution,
        }
        self.default_js = helpers_js()
        self.default_css = []
        self._tooltips = tooltips
        # (level, detail, cache dir) of the geometry files it loads (``base.polygon_layer``)
        self.source: tuple[str, str, Any] | None = None
        # the payload once packed: streamlit-folium renders a drawing twice
        self._payload: str | None = None

    def with_geometry_inline(self, encoded: Sequence[Any]) -> None:
        """Carry the areas' rings (``encoded``, one per area, ``encode_geometry``) and names in
        the payload again, for a server that does not serve the geometry files."""
        self._payload = None
        for key in ("u", "x"):
            self.data.pop(key, None)
        self.data["c"] = self.codes
        self.data["g"] = list(encoded)
        if self._tooltips is not None and not self._named:
            self.data["t"] = self._tooltips.data()
            self._named = True

    def from_files(self, files: Sequence[str], positions: Sequence[int] | None) -> None:
        """Take the areas' rings (and their names, for tooltips that title areas by them)
        from geometry files the browser loads by name (``shapes.geo_name``) and keeps, not
        from this payload. ``positions``: where each of this layer's areas is among the
        files' areas, taken in order; None when the layer draws all of them in that order."""
        self._payload = None
        self.data.pop("g", None)
        self.data["c"] = None
        self.data["u"] = list(files)
        self.data["x"] = None if positions is None else [int(p) for p in positions]
        if self._tooltips is not None and self._tooltips.names_of_areas and self._named:
            self.data["t"] = self._tooltips.data(with_names=False)
            self._named = False

    @property
    def payload(self) -> str:
        """``data`` as the browser reads it (``codiGeo.Areas``), packed the first time it is
        asked for (``data`` is not changed after, but by ``from_files`` and
        ``with_geometry_inline``)."""
        if self._payload is None:
            self._payload = self._packed()
        return self._payload

    def _packed(self) -> str:
        data = {**self.data, "k": pack_indices(self.data["k"])}
        if data.get("x") is not None:
            data["x"] = pack_indices(data["x"])
        tips = self.data["t"]
        if not tips:
            return js_data(data)
        packed = {
            **tips,
            "n": None if tips["n"] is None else [pack_thai(v) for v in tips["n"]],
            "l": [pack_thai(v) for v in tips["l"]],
            "v": [pack_indices(row) for row in tips["v"]],
            "S": [pack_thai(v) for v in tips["S"]],
            "z": 1,
        }
        return js_data({**data, "t": packed})

    @property
    def feature_count(self) -> int:
        return len(self.codes)


class PointLayer(JSCSSMixin, Layer, PlainRender):
    """Circle markers from parallel arrays, optionally clustered (leaflet.markercluster).

    The plugin's files are named as folium names them; ``assets.localize`` points them at the
    copies the app serves."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = (function () {
          var D = {{ this.payload }};
          var group = D.cl ? L.markerClusterGroup({showCoverageOnHover: false,
              chunkedLoading: true, maxClusterRadius: 50}) : L.featureGroup();
          var markers = [];
          for (var i = 0; i < D.y.length; i++) {
            var st = D.s[D.k[i]];
            var m = L.circleMarker([D.y[i], D.x[i]], st);
            m.feature = {type: 'Feature', properties: {id: D.d[i], code: D.c[i]}};
            if (D.p) { m.bindPopup(codiGeo.html(D.p[i]), {maxWidth: 320}); }
            if (D.t) { m.bindTooltip(codiGeo.html(D.t[i])); }
            markers.push(m);
          }
          if (D.cl) { group.addLayers(markers); } else { markers.forEach(function (m) {
              group.addLayer(m); }); }
          return group;
        })();
        {% endmacro %}
        """
    )

    def __init__(
        self,
        lats: Sequence[float],
        lons: Sequence[float],
        styles: Sequence[dict[str, Any]],
        style_index: Sequence[int],
        ids: Sequence[str] | None = None,
        codes: Sequence[str | None] | None = None,
        popups: Sequence[str] | None = None,
        tooltips: Sequence[str] | None = None,
        cluster: bool = True,
        name: str | None = None,
        overlay: bool = True,
        control: bool = True,
        show: bool = True,
    ):
        super().__init__(name=name, overlay=overlay, control=control, show=show)
        self._name = "PointLayer"
        count = len(lats)
        if len(lons) != count or len(style_index) != count:
            raise ValueError("lats, lons and style_index must have the same length")
        self.cluster = cluster
        self.data: dict[str, Any] = {
            "y": [round(float(v), 5) for v in lats],
            "x": [round(float(v), 5) for v in lons],
            "k": [int(k) for k in style_index],
            "s": [dict(s) for s in styles],
            "d": [str(v) for v in ids] if ids is not None else [str(i) for i in range(count)],
            "c": list(codes) if codes is not None else [None] * count,
            "p": list(popups) if popups is not None else None,
            "t": list(tooltips) if tooltips is not None else None,
            "cl": bool(cluster),
        }
        # leaflet.markercluster's files, only when clustering (set per layer, not on the class)
        self.default_js = helpers_js() + (
            [("markerclusterjs", LOCAL_JS["markerclusterjs"])] if cluster else []
        )
        self.default_css = (
            [
                ("markerclustercss", LOCAL_CSS["markerclustercss"]),
                ("markerclusterdefaultcss", LOCAL_CSS["markerclusterdefaultcss"]),
            ]
            if cluster
            else []
        )

    @property
    def payload(self) -> str:
        return js_data(self.data)

    @property
    def feature_count(self) -> int:
        return len(self.data["y"])
