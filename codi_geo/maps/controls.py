"""A map's furniture: where it looks (``FitView``), its legends (``Legend``, a Leaflet control
from pre-escaped HTML) and its CSS (``MapStyle``, which comes with the frame:
``codi_geo.maps.inplace``). Each is drawn by ``static/codi-geo/maps.js`` (``codiGeo``)."""

from __future__ import annotations

import html
from collections.abc import Sequence

from folium.template import Template

from codi_geo.maps.layers import PlainRender, js_data
from codi_geo.text import t


class FitView(PlainRender):
    """Where the map looks: ``bounds`` ((south, west), (north, east)) fitted with ``padding``
    pixels, when the map is drawn, and again when a later drawing of the same map (a filter
    change, ``codi_geo.maps.inplace``) is about another area. The same area keeps the view the
    user panned and zoomed to."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        new codiGeo.FitView({{ this.bounds_json }}, {{ this.padding|tojson }}).addTo(
            {{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, bounds: Sequence[Sequence[float]], padding: tuple[int, int] = (8, 8)):
        super().__init__()
        self._name = "FitView"
        self.bounds = [[float(v) for v in corner] for corner in bounds]
        self.padding = list(padding)

    @property
    def bounds_json(self) -> str:
        return js_data(self.bounds)


class Legend(PlainRender):
    """A legend box (Leaflet control) from HTML the caller has already escaped.

    It never hides land in the first view: it folds (a ``<details>`` whose summary is the
    legend's title, one tap opens it) on a map narrower than ``FOLD_BELOW`` pixels, a phone;
    open, the map's bounds are fitted again into the space beside it (Leaflet's
    ``paddingBottomRight`` by the legend's width), so the legend sits over sea or empty
    space, never over the areas the map is about. It is a layer in the browser
    (``codiGeo.Legend``): a new drawing of the map removes it with the rest."""

    FOLD_BELOW = 560

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        new codiGeo.Legend({{ this.payload }}, {{ this.position|tojson }}, {{ this.bounds_json }},
            {{ this.FOLD_BELOW }}).addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, html: str, position: str = "bottomright"):
        super().__init__()
        self._name = "Legend"
        self.html = html
        self.position = position

    @property
    def payload(self) -> str:
        return js_data(self.html)

    @property
    def bounds_json(self) -> str:
        """The bounds the map is fitted to (its ``FitView``), or ``null``."""
        parent = getattr(self, "_parent", None)
        fitted = [
            child
            for child in getattr(parent, "_children", {}).values()
            if isinstance(child, FitView)
        ]
        return fitted[-1].bounds_json if fitted else "null"


class MapStyle(PlainRender):
    """Page CSS for the map: background for the tile-free basemap, tooltip font, legends
    (large in presentation mode), count labels of cells, and the notice (in ``lang``) shown
    when the boundary files cannot be fetched. All of it comes with the frame
    (``codi_geo.maps.inplace``): a later drawing in the same frame brings no CSS of its own."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>
          /* the map fills its frame, whose height follows the window (``ui.page_css.BASE_CSS``) */
          html, body { margin: 0; overflow: hidden; }
          #map_div { height: 100vh !important; }
          .leaflet-container { background: {{ this.background }}; }
          .leaflet-tooltip, .leaflet-popup-content { font: 13px/1.4 sans-serif; }
          .leaflet-tooltip .n, .leaflet-popup-content .n { font-weight: 600; }
          @media (max-width: 560px) {  /* a phone: the credit line, not three lines of map */
            .leaflet-control-attribution { font-size: 9px; line-height: 1.2; max-width: 70%; }
          }
          .codi-legend { background: rgba(255,255,255,0.92); padding: 6px 9px; border-radius: 4px;
            box-shadow: 0 1px 4px rgba(0,0,0,0.3); font: 13px/1.35 sans-serif; max-width: 260px;
            max-height: calc(100vh - 40px); overflow-y: auto; }
          .codi-legend > summary { cursor: pointer; list-style-position: outside;
            margin-left: 14px; }
          .codi-legend > summary .t { display: inline; }
          .codi-legend:not([open]) { padding: 4px 8px; }
          .codi-legend .t { font-weight: 600; margin-bottom: 3px; }
          .codi-legend .r { display: flex; align-items: center; gap: 6px; margin: 2px 0; }
          .codi-legend .sw { width: 18px; height: 12px; border: 1px solid #555; flex: none; }
          .codi-legend .pt { width: 11px; height: 11px; border-radius: 50%;
            border: 1px solid #333; flex: none; }
          .codi-legend .nd { background: repeating-linear-gradient(45deg, #fff 0 3px,
            #9e9e9e 3px 4px); border: 1px dashed #555; }
          .codi-legend .note { color: #444; margin-top: 4px; font-size: 12px; }
          /* presentation mode (``pagemaps.LargeLegend``): read from the back of the room */
          .codi-present .codi-legend { font-size: 20px; line-height: 1.45; max-width: 440px;
            padding: 10px 14px; }
          .codi-present .codi-legend .sw { width: 30px; height: 20px; }
          .codi-present .codi-legend .pt { width: 18px; height: 18px; }
          .codi-present .codi-legend .note { font-size: 16px; }
          .codi-cell { color: #fff; font: 600 12px/16px sans-serif; text-align: center;
            text-shadow: 0 0 2px rgba(0,0,0,0.6); pointer-events: none; }
          .codi-failed { background: #fff3f0; border: 1px solid #c0392b; color: #7b241c;
            padding: 6px 9px; border-radius: 4px; font: 13px/1.4 sans-serif; max-width: 260px; }
          .codi-failed button { margin-top: 4px; font: inherit; cursor: pointer; }
        </style>
        <template id="codi-geo-failed"><div class="codi-failed" role="alert">
          {{ this.failed }}<br><button type="button">{{ this.retry }}</button></div></template>
        {% endmacro %}
        """
    )

    def __init__(self, background: str = "#eef2f5", lang: str = "th"):
        super().__init__()
        self._name = "MapStyle"
        self.background = background
        # what a map says when its boundary files cannot be fetched (codiGeo.failed)
        self.failed = html.escape(t("geo_failed", lang))
        self.retry = html.escape(t("geo_retry", lang))
