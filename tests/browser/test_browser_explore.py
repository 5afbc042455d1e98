"""Finding places and comparing periods in Debian's headless Chromium against ``streamlit
run``, at a desktop (1400×900) and a phone (390×844): typing "โคราช" in the place search and
picking the suggestion puts Nakhon Ratchasima in the URL and zooms the map there; a
two-period comparison draws a change map with a diverging legend. Screenshots go to
``test-artifacts/``."""

from __future__ import annotations

from pathlib import Path

import pytest

from synthetic.sample import fill_previous_year, fill_store
from tests.helpers import ARTIFACTS, CHROMIUM, MAP_IFRAME, map_frame, running_app

pytestmark = pytest.mark.browser

SIZES = {"desktop": (1400, 900), "phone": (390, 844)}
# Nakhon Ratchasima's bounding box (degrees), a little generous
KORAT = {"south": 14.0, "north": 16.1, "west": 101.0, "east": 103.0}


@pytest.fixture(scope="module")
def explore_url(boundary_cache, tmp_path_factory):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install -y chromium")
    data_dir = tmp_path_factory.mktemp("explore_data")
    database = f"sqlite:///{data_dir / 'store.sqlite'}"
    fill_store(database, boundary_cache)
    fill_previous_year(database)
    env = {
        "CODI_GEO_BOUNDARY_DIR": str(boundary_cache),
        "CODI_GEO_DATA_DIR": str(data_dir),
        "CODI_GEO_DATABASE_URL": database,
        "CODI_GEO_MODE": "internal",
        "CODI_GEO_USERS_FILE": str(data_dir / "none.toml"),
    }
    with running_app(env, data_dir / "streamlit.log") as url:
        yield url


@pytest.fixture(params=list(SIZES))
def tab(request, browser, explore_url):
    width, height = SIZES[request.param]
    context = browser.new_context(viewport={"width": width, "height": height}, locale="th-TH")
    page = context.new_page()
    page.app_url = explore_url
    page.size_name = request.param
    yield page
    context.close()


def _no_error(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.get_by_text("เกิดข้อผิดพลาด").count() == 0


def test_search_korat_zooms_to_nakhon_ratchasima(tab) -> None:
    tab.goto(f"{tab.app_url}/?fy=2569&metric=baan_mankong_urban:households")
    tab.wait_for_selector('[data-testid="stMainBlockContainer"] h1', timeout=30_000)
    _, national = map_frame(tab)
    box = tab.get_by_placeholder("พิมพ์ชื่อจังหวัด", exact=False)
    assert box.is_visible()  # at the top of the page, on a phone too
    box.fill("โคราช")
    box.press("Enter")
    pick = tab.get_by_role("button", name="จ.นครราชสีมา", exact=True)
    pick.wait_for(timeout=20_000)
    pick.click()
    tab.wait_for_function("() => location.search.includes('province=30')", timeout=20_000)
    assert "area=30" in tab.url
    frame, _ = map_frame(tab, previous=national)
    bounds = frame.evaluate("""() => { const b = window.map.getBounds();
        return {south: b.getSouth(), north: b.getNorth(), west: b.getWest(),
                east: b.getEast()}; }""")
    centre_lat = (bounds["south"] + bounds["north"]) / 2
    centre_lng = (bounds["west"] + bounds["east"]) / 2
    assert KORAT["south"] < centre_lat < KORAT["north"], bounds
    assert KORAT["west"] < centre_lng < KORAT["east"], bounds
    assert bounds["north"] - bounds["south"] < 6  # zoomed in, not the whole country (15°)
    districts = frame.evaluate("""() => window.codiGeo.features(window.map)
        .filter(l => l.feature && l.feature.properties.code.length === 4
                && l.feature.properties.code.startsWith('30')).length""")
    assert districts == 32
    tab.get_by_text("ข้อมูลพื้นที่ทุกปีงบประมาณ").first.wait_for(timeout=10_000)
    _no_error(tab)
    ARTIFACTS.mkdir(exist_ok=True)
    tab.locator(MAP_IFRAME).first.scroll_into_view_if_needed()
    tab.screenshot(path=str(ARTIFACTS / f"explore_search_korat_{tab.size_name}.png"))


def test_two_period_comparison_draws_a_change_map(tab) -> None:
    tab.goto(f"{tab.app_url}/change?fy=2569&metric=baan_mankong_urban:households&vs=2568")
    tab.wait_for_selector('[data-testid="stMainBlockContainer"] h1', timeout=30_000)
    frame, count = map_frame(tab)
    assert count >= 77
    assert "vs=2568" in tab.url
    legend = frame.evaluate("() => document.querySelector('.codi-legend').textContent")
    assert "\u2212" in legend and "+" in legend and "ปีงบ 2568" in legend
    # a fall and a rise are drawn in different hues (RdBu): red-ish and blue-ish swatches
    colours = frame.evaluate("""() => [...document.querySelectorAll('.codi-legend .sw')]
        .map(s => getComputedStyle(s).backgroundColor)""")
    parsed = [
        tuple(int(x) for x in c[c.index("(") + 1 : c.index(")")].split(",")[:3])
        for c in colours
        if c.startswith("rgb")
    ]
    assert any(r > b + 40 for r, _, b in parsed) and any(b > r + 40 for r, _, b in parsed)
    tab.get_by_text("เปลี่ยนแปลงจากปีงบ 2568").first.wait_for(timeout=10_000)
    _no_error(tab)
    ARTIFACTS.mkdir(exist_ok=True)
    tab.locator(MAP_IFRAME).first.scroll_into_view_if_needed()
    tab.screenshot(path=str(ARTIFACTS / f"explore_change_map_{tab.size_name}.png"))
