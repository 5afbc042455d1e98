"""The housing page with 3,000 named projects (the scale data, ``synthetic/scale.py``) in
headless Chromium: the websocket carries numbered cells over the shaded provinces, not a marker
per project, and a click on a province under them still opens it, where the store counts its
projects again."""

from __future__ import annotations

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from synthetic import scale
from tests.helpers import (
    CELLS_JS,
    MAP_IFRAME,
    current_map_frame,
    internal_app_env,
    map_still,
    poll_map,
    running_app,
)

pytestmark = pytest.mark.browser

PROJECTS = 3000
SENT_BOUND = 1_000_000  # bytes over the websocket until the map has settled
# A pin or a numbered cell of the pin layer.
PLACES_JS = """() => window.codiGeo.features(window.map).filter(l => l.feature
  && (l.feature.properties.cell !== undefined || typeof l.feature.properties.id === 'number'))
  .length"""
# A province of the shaded map whose centre is on the map, under no bubble and no legend:
# its code and where to click it (in the map's frame).
FREE_PROVINCE_JS = """() => {
  const all = window.codiGeo.features(window.map);
  const bubbles = all.filter(l => l.feature && l.feature.properties.cell !== undefined)
    .map(l => window.map.latLngToContainerPoint(l.getLatLng()));
  const size = window.map.getSize();
  for (const l of all) {
    const f = l.feature;
    if (!f || f.properties.id !== undefined || !l.options.interactive || !l.getCenter) continue;
    if (String(f.properties.code || '').length !== 2) continue;
    const p = window.map.latLngToContainerPoint(l.getCenter());
    if (p.x < 20 || p.y < 20 || p.x > size.x - 20 || p.y > size.y - 20) continue;
    if (bubbles.some(q => q.distanceTo(p) < 40)) continue;
    const hit = document.elementFromPoint(p.x, p.y);
    if (!hit || hit.closest('.codi-legend') || hit.closest('.leaflet-control')) continue;
    return {code: f.properties.code, x: p.x, y: p.y};
  }
  return null; }"""


@pytest.fixture(scope="module")
def housing_app(boundary_cache, tmp_path_factory):
    from codi_geo.results.store import open_store

    data_dir = tmp_path_factory.mktemp("housing_app")
    database = f"sqlite:///{data_dir / 'store.sqlite'}"
    scale.load_store(
        database, 0, 1, boundary_dir=boundary_cache, log=lambda _m: None, housing_count=PROJECTS
    )
    env = internal_app_env(boundary_cache, data_dir, database)
    with running_app(env, data_dir / "streamlit.log") as url:
        # read once the app has started (it adds the shipped figures to the store)
        store = open_store(database)
        fiscal_year = scale.years(1)[0]
        rows = store.results(scale.HOUSING_PROGRAMME, fiscal_year=fiscal_year)
        store.close()
        yield url, fiscal_year, rows[rows["name"].notna() | rows["latitude"].notna()]


def test_housing_page_sends_cells_and_a_province_click_opens_it(browser, housing_app) -> None:
    url, fiscal_year, rows = housing_app
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="th-TH")
    tab = context.new_page()
    received: list[int] = []
    tab.on(
        "websocket",
        lambda ws: ws.on("framereceived", lambda payload: received.append(len(payload))),
    )
    try:
        tab.goto(f"{url}/housing?fy={fiscal_year}&metric={scale.HOUSING_PROGRAMME}&level=province")
        tab.wait_for_selector(MAP_IFRAME, timeout=60_000)
        poll_map(tab, CELLS_JS)
        tab.wait_for_timeout(2500)  # the map reports its view; the server counts it again
        counts = poll_map(tab, CELLS_JS)
        assert sum(received) < SENT_BOUND, sum(received)
        # every project in view counted once (the view may cut off a few at its edges)
        assert len(counts) < 400 and len(rows) * 0.9 <= sum(counts) <= len(rows)
        # a click on a province (where no bubble nor the legend lies over it) opens it
        code = None
        for _attempt in range(3):
            frame = current_map_frame(tab)
            map_still(frame)
            box = tab.locator(MAP_IFRAME).first.bounding_box()
            found = frame.evaluate(FREE_PROVINCE_JS)
            assert found, "no province free of bubbles on the map"
            code = found["code"]
            tab.mouse.click(box["x"] + found["x"], box["y"] + found["y"])
            try:
                tab.wait_for_function(
                    f"() => location.search.includes('province={code}')", timeout=10_000
                )
                break
            except PlaywrightTimeoutError:
                continue
        assert f"province={code}" in tab.url
        # the province's own map: the store counts its projects for the new view
        poll_map(tab, PLACES_JS)
        assert tab.get_by_text("เกิดข้อผิดพลาด").count() == 0
    finally:
        context.close()
