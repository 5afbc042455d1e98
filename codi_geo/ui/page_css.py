"""The pages' own CSS and script, as text: the map has the first screen (``BASE_CSS``), the
sidebar's button on a phone says what it opens, presentation mode, and the sheet of filters
that closes after a choice. ``widgets`` puts them in the page."""

# Every page: the map has the first screen. A slim top, a small title, and the map as tall
# as the window below it (``map_area``: CSS on the component's iframe, so it follows the
# window as it is resized; ``controls.MapStyle`` makes the map fill its iframe). The filters
# are in the sidebar; on a phone it opens over the map, and there the fiscal year and
# quarter keep two a row (Streamlit stacks columns one per row below 640 px).
BASE_CSS = """<style>
[data-testid="stHeader"] { height: 2.75rem; min-height: 2.75rem; }
[data-testid="stMainBlockContainer"] { padding: 3rem 1rem 2rem !important;
  max-width: 100% !important; }
@media (min-width: 768px) {  /* the header holds no more than the sidebar's button there */
  [data-testid="stHeader"] { background: transparent; pointer-events: none; }
  [data-testid="stHeader"] button, [data-testid="stHeader"] a { pointer-events: auto; }
  [data-testid="stMainBlockContainer"] { padding: 0.6rem 1rem 2rem !important; }
  .st-key-page_head { padding-left: 2.25rem; }  /* beside the sidebar's button, if shown */
}
[data-testid="stMainBlockContainer"] h1 { font-size: 1.3rem; line-height: 1.4;
  padding: 0.2rem 0; }
.st-key-page_head { flex-wrap: wrap; row-gap: 0.4rem; }
.st-key-page_head > div:has(.st-key-place_search) { flex: 1 1 14rem; max-width: 30rem; }
.st-key-map_area iframe[title="streamlit_folium.st_folium"] {
  height: max(22rem, calc(100dvh - 4.75rem)) !important; }
@media (max-width: 640px) {
  .st-key-filter_bar [data-testid="stHorizontalBlock"] { flex-wrap: wrap !important;
    gap: 0.5rem !important; }
  .st-key-filter_bar [data-testid="stColumn"] { flex: 1 1 calc(50% - 0.5rem) !important;
    min-width: calc(50% - 0.5rem) !important; width: calc(50% - 0.5rem) !important; }
  [data-testid="stMainBlockContainer"] { padding-top: 3rem !important; }
  .st-key-map_area iframe[title="streamlit_folium.st_folium"] {
    height: max(20rem, calc(100dvh - 10.5rem)) !important; }
}
</style>"""


# On a phone the sidebar's button names what it opens: the filters.
FILTERS_LABEL_CSS = """<style>
@media (max-width: 767px) {{
  [data-testid="stExpandSidebarButton"]::after {{ content: "{label}"; font-size: 0.9rem;
    margin-left: 0.25rem; }}
}}
</style>"""


PRESENTATION_CSS = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stExpandSidebarButton"], [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"] { display: none !important; }
[data-testid="stMainBlockContainer"] { padding: 1rem 1.5rem 0.5rem !important;
  max-width: 100% !important; }
[data-testid="stMainBlockContainer"] h1 { font-size: 2.1rem; padding: 0.2rem 0; }
.st-key-map_area iframe[title="streamlit_folium.st_folium"] {
  height: max(24rem, calc(100dvh - 8.5rem)) !important; }
</style>"""


# After a choice on a phone, the sidebar (the sheet of filters over the map) closes, so the
# map the choice made is in view. Streamlit lays the sidebar over the page below 768 px.
CLOSE_SHEET_JS = """<script>
(function () {{
  if (!window.matchMedia('(max-width: 767px)').matches) {{ return; }}
  var button = document.querySelector(
    '[data-testid="stSidebarCollapseButton"] button[aria-expanded="true"]');
  if (button) {{ button.click(); }}
}})(); /* {round} */
</script>"""
