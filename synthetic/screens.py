"""What the tests and the benchmarks both measure of a page in the browser: which pages have
a map (from the app's own page list) and how much of the first screen the map covers."""

from __future__ import annotations

from codi_geo.ui.widgets import MAPLESS_PAGES, page_url, pages_for

MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'

# The share of the first screen the map covers: the map frame's box inside the viewport,
# over the viewport's area (the page scrolled to the top, as a first visit shows it).
MAP_SHARE_JS = """(iframe) => {
  const f = document.querySelector(iframe);
  if (!f) return 0;
  const r = f.getBoundingClientRect(), w = window.innerWidth, h = window.innerHeight;
  const x = Math.max(0, Math.min(r.right, w) - Math.max(r.left, 0));
  const y = Math.max(0, Math.min(r.bottom, h) - Math.max(r.top, 0));
  return x * y / (w * h);
}"""


def map_share(tab) -> float:
    """The share of ``tab``'s first screen covered by its (first) map."""
    tab.evaluate("() => window.scrollTo(0, 0)")
    return float(tab.evaluate(MAP_SHARE_JS, MAP_IFRAME))


def map_pages(public: bool) -> list[str]:
    """The URL paths of the app's map pages (``widgets.PAGES`` without ``MAPLESS_PAGES``),
    those a public app serves when ``public``."""
    return [
        page_url(path) for path, _, _ in pages_for(public) if page_url(path) not in MAPLESS_PAGES
    ]
