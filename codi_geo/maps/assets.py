"""Map assets served by the app itself: no CDN.

Folium elements name the JavaScript and CSS they need in ``default_js`` / ``default_css``
(CDN URLs). ``localize`` rewrites those, for every element of a map, to the copies that
``scripts/vendor_assets.sh`` installs from the npm registry into ``static/vendor/`` (served by
Streamlit at ``/app/static/vendor/``), and drops the ones the app does not use (jQuery,
Bootstrap, Font Awesome, awesome-markers). The project's own map code
(``static/codi-geo/maps.js``) is served the same way, its URL versioned by its content so a
browser never keeps an old copy. An element that needs an asset we do not ship raises
``AssetError``, so a new folium feature cannot silently reach for a CDN.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterator
from pathlib import Path

import branca
import folium
import folium.elements

from codi_geo.settings import PROJECT_DIR

STATIC_DIR = PROJECT_DIR / "static"
VENDOR_DIR = STATIC_DIR / "vendor"
# Where Streamlit serves ``static/`` (server.enableStaticServing), below server.baseUrlPath.
STATIC_URL_PATH = "app/static"

# Asset name (as folium's elements call them) -> path below static/vendor/.
LOCAL_JS: dict[str, str] = {
    "leaflet": "leaflet/leaflet.js",
    "markerclusterjs": "leaflet.markercluster/leaflet.markercluster.js",
    "leaflet-heat.js": "leaflet.heat/leaflet-heat.js",
}
LOCAL_CSS: dict[str, str] = {
    "leaflet_css": "leaflet/leaflet.css",
    "markerclustercss": "leaflet.markercluster/MarkerCluster.css",
    "markerclusterdefaultcss": "leaflet.markercluster/MarkerCluster.Default.css",
}
# The project's own JavaScript (committed), name -> path below static/.
OWN_JS: dict[str, str] = {
    "codi_geo_maps": "codi-geo/maps.js",
}
# Assets folium adds by default that no element of this app uses.
UNUSED = frozenset(
    {
        "jquery",
        "bootstrap",
        "awesome_markers",
        "bootstrap_css",
        "glyphicons_css",
        "awesome_markers_font_css",
        "awesome_markers_css",
        "awesome_rotate_css",
    }
)
# The files the vendor script must have installed for the app to draw maps.
REQUIRED_FILES: tuple[str, ...] = tuple(sorted({*LOCAL_JS.values(), *LOCAL_CSS.values()}))


class AssetError(Exception):
    """A map element needs a JavaScript or CSS asset the app does not serve itself."""


def static_url(base_url_path: str = "") -> str:
    """The URL path of ``static/`` for a server with ``server.baseUrlPath``."""
    base = base_url_path.strip("/")
    return "/" + "/".join(p for p in (base, STATIC_URL_PATH) if p)


def vendor_url(base_url_path: str = "") -> str:
    """The URL path of ``static/vendor`` for a server with ``server.baseUrlPath``."""
    return f"{static_url(base_url_path)}/vendor"


@functools.cache
def _content_version(relative: str) -> str:
    return hashlib.sha256((STATIC_DIR / relative).read_bytes()).hexdigest()[:12]


def own_js_url(name: str, base_url_path: str = "") -> str:
    """The URL of one of the project's own scripts (``OWN_JS``), with its content's hash."""
    relative = OWN_JS[name]
    return f"{static_url(base_url_path)}/{relative}?v={_content_version(relative)}"


def missing_files(vendor_dir: Path | None = None) -> list[str]:
    """The required asset files not present in ``static/vendor`` (empty when installed)."""
    vendor_dir = Path(vendor_dir or VENDOR_DIR)
    return [name for name in REQUIRED_FILES if not (vendor_dir / name).is_file()]


def _walk(element: branca.element.Element) -> Iterator[branca.element.Element]:
    yield element
    for child in getattr(element, "_children", {}).values():
        yield from _walk(child)


def _rewrite(
    links: list[tuple[str, str]], local: dict[str, str], base_url_path: str, element: object
) -> list[tuple[str, str]]:
    base = vendor_url(base_url_path)
    rewritten = []
    for name, url in links:
        if name in OWN_JS:
            rewritten.append((name, own_js_url(name, base_url_path)))
        elif name in local:
            rewritten.append((name, f"{base}/{local[name]}"))
        elif name in UNUSED:
            continue
        elif url.startswith(base + "/"):
            rewritten.append((name, url))
        else:
            raise AssetError(
                f"{type(element).__name__} needs asset {name!r} ({url}), which the app does "
                f"not serve; add its npm package to package.json and scripts/vendor_assets.sh"
            )
    return rewritten


def localize(m: folium.Map, base_url_path: str = "") -> folium.Map:
    """Point every element's ``default_js`` / ``default_css`` at the local copies (in place;
    returns ``m``). Instance attributes are set, so folium's class lists stay untouched."""
    if any(isinstance(e, branca.colormap.ColorMap) for e in _walk(m)):
        # streamlit-folium loads d3 from a CDN for branca colour maps: use our own legends.
        raise AssetError("branca ColorMap needs d3 from a CDN; use codi_geo.maps.base legends")
    for element in _walk(m):
        if isinstance(element, folium.elements.JSCSSMixin):
            element.default_js = _rewrite(
                list(element.default_js), LOCAL_JS, base_url_path, element
            )
            element.default_css = _rewrite(
                list(element.default_css), LOCAL_CSS, base_url_path, element
            )
    return m


def asset_links(m: folium.Map) -> tuple[list[str], list[str]]:
    """The JavaScript and CSS URLs the browser will load for ``m``, in order (as
    streamlit-folium collects them)."""
    js: list[str] = []
    css: list[str] = []
    for element in _walk(m):
        js.extend(url for _, url in getattr(element, "default_js", []))
        css.extend(url for _, url in getattr(element, "default_css", []))
    return list(dict.fromkeys(js)), list(dict.fromkeys(css))
