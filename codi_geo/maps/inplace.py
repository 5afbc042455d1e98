"""A page's map as the browser keeps it: a frame and a drawing.

The frame is the base map: its tiles, its CSS, the scripts it loads, a fixed first view. It
is the same for every view of a page, so streamlit-folium keeps the map (its iframe, its
Leaflet map, the geometry files it has loaded) when the filters change and swaps only the
drawing: the areas and their colours, legends, pins, outlines and where to look
(``controls.FitView``: the same area keeps the user's pan and zoom). A change sends the
drawing alone, and the drawing carries no geometry (``shapes``: the browser keeps the
boundary files).

``split`` is pure: it takes the map a page built (``pagemaps.draw`` and friends) and returns
the two parts; ``codi_geo.ui.widgets.show_map`` hands them to ``st_folium``.
"""

from __future__ import annotations

import hashlib

import folium

from codi_geo.maps import assets, shapes
from codi_geo.maps.controls import MapStyle
from codi_geo.maps.layers import PolygonLayer

# Where every frame first looks, before its drawing fits the view (Thailand's middle).
FRAME_LOCATION = (13.05, 101.5)
FRAME_ZOOM = 6
# What stays with the frame: the basemap's tiles and the map's CSS.
FRAME_PARTS = (folium.TileLayer, MapStyle)


def split(m: folium.Map) -> tuple[folium.Map, folium.FeatureGroup]:
    """``m`` as (its frame, its drawing): every element of ``m`` but its tiles and CSS moves,
    in order, into one feature group; the frame's first view is fixed. Changes ``m`` (and
    returns it as the frame)."""
    drawing = folium.FeatureGroup(name="codi_drawing", control=False)
    for name, child in list(m._children.items()):
        if isinstance(child, FRAME_PARTS):
            continue
        del m._children[name]
        drawing.add_child(child, name=name)
    m.location = list(FRAME_LOCATION)
    m.options["zoom"] = FRAME_ZOOM
    return m, drawing


def geometry_inline(drawing: folium.Element) -> None:
    """Every area layer of ``drawing`` with its rings in its payload rather than in files:
    for a process that does not serve the files (``streamlit run app.py``, not ``serve.py``),
    whose maps must still draw."""
    stack = [drawing]
    while stack:
        element = stack.pop()
        source = getattr(element, "source", None)
        if isinstance(element, PolygonLayer) and source is not None:
            encoded = shapes.encoded_layer(*source)
            element.with_geometry_inline([encoded[c] for c in element.codes])
        stack.extend(element._children.values())


def frame_key(m: folium.Map, key: str) -> str:
    """``key`` with a mark of the scripts and styles ``m`` needs (taken before ``split``):
    the browser loads those only when it builds a frame, so a drawing that needs another
    script (clustered pins after areas) gets a frame of its own."""
    js, css = assets.asset_links(m)
    digest = hashlib.sha256("\n".join([*js, "--", *css]).encode()).hexdigest()[:10]
    return f"{key}-{digest}"
