"""The app in Debian's headless Chromium against ``streamlit run``: every page opens without
an error and draws its map (features counted), filters update the map and the URL, a shared
URL reproduces the view, panning does not rerun the script, a click drills down, and an
HTML-injection name shows as text. Screenshots go to ``test-artifacts/``."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from synthetic.sample import XSS_NAME, fill_store
from tests.helpers import (
    ARTIFACTS,
    CHROMIUM,
    MAP_IFRAME,
    app_idle,
    internal_app_env,
    map_frame,
    map_still,
    network_quiet,
    running_app,
)

pytestmark = pytest.mark.browser

PAGES = {
    "overview": "ภาพรวม",
    "model-tambons": "ตำบลต้นแบบ",
    "integrated-provinces": "จังหวัดบูรณาการ",
    "housing": "ที่อยู่อาศัย",
    "disasters": "ภัยพิบัติ",
    "data": "ข้อมูล",
    "sources": "แหล่งข้อมูล",
}
STORES: dict[str, str] = {}  # app URL -> its store, for tests that look a row up
MAP_PAGES = ("overview", "model-tambons", "integrated-provinces", "housing", "disasters")


@pytest.fixture(scope="session")
def app_url(boundary_cache, tmp_path_factory):
    """``streamlit run app.py`` on a free port, with the sample data in a fresh store."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install -y chromium")
    data_dir = tmp_path_factory.mktemp("app_data")
    database = f"sqlite:///{data_dir / 'store.sqlite'}"
    fill_store(database, boundary_cache)
    env = internal_app_env(boundary_cache, data_dir, database)
    with running_app(env, data_dir / "streamlit.log") as url:
        STORES[url] = database
        yield url


@pytest.fixture()
def page(browser, app_url):
    context = browser.new_context(viewport={"width": 1400, "height": 1100}, locale="th-TH")
    tab = context.new_page()
    tab.app_url = app_url
    tab.dialogs = []
    tab.outside = []
    tab.on("dialog", lambda d: (tab.dialogs.append(d.message), d.dismiss()))
    tab.on(
        "request",
        lambda r: (
            tab.outside.append(r.url)
            if not r.url.startswith(app_url) and not r.url.startswith(("data:", "blob:", "about:"))
            else None
        ),
    )
    yield tab
    context.close()


def _open(tab, path: str, wait_map: bool = True):
    tab.goto(f"{tab.app_url}/{path}")
    tab.wait_for_selector('[data-testid="stMainBlockContainer"] h1', timeout=30_000)
    if wait_map:
        return map_frame(tab)
    app_idle(tab)
    return None


def _no_error(tab) -> None:
    assert tab.locator('[data-testid="stException"]').count() == 0
    assert tab.get_by_text("เกิดข้อผิดพลาด").count() == 0
    assert tab.get_by_text("Page not found").count() == 0


@pytest.mark.parametrize("path", list(PAGES))
def test_every_page_opens_and_draws(page, path) -> None:
    found = _open(page, f"{'' if path == 'overview' else path}?fy=2569", wait_map=path in MAP_PAGES)
    app_idle(page)
    _no_error(page)
    assert page.locator("h1").first.inner_text().strip() == PAGES[path]
    if found:
        _, count = found
        assert count > 0
    ARTIFACTS.mkdir(exist_ok=True)
    # Streamlit scrolls inside its own container: a tall window shows the whole page.
    page.set_viewport_size({"width": 1400, "height": 2200})
    network_quiet(page)
    page.screenshot(path=str(ARTIFACTS / f"page_{path}.png"), full_page=True)
    assert page.outside == [], f"requests left the app: {page.outside[:5]}"


def test_first_map_loads_assets_from_the_app(page) -> None:
    frame, count = _open(page, "")
    assert count >= 77
    scripts = frame.evaluate("() => [...document.scripts].map(s => s.src).filter(Boolean)")
    assert any(s.endswith("/app/static/vendor/leaflet/leaflet.js") for s in scripts)
    assert all("/app/static/" in s or "/component/" in s for s in scripts), scripts


def test_filter_change_updates_map_and_url(page) -> None:
    _, national = _open(page, "?fy=2569&metric=baan_mankong_urban:households")
    page.get_by_test_id("stSelectbox").filter(has_text="ภาค (พอช.)").click()
    page.get_by_role("option", name="ภาคตะวันออกเฉียงเหนือ").click()
    page.wait_for_function("() => location.search.includes('region=northeast')", timeout=15_000)
    frame, regional = map_frame(page, previous=national)
    assert regional != national
    _no_error(page)
    # the map stayed in the page (``maps.inplace``): its component script was fetched once,
    # with the first map, and the new area's boundaries came as a file, not in the message
    fetched = frame.evaluate("""() => performance.getEntriesByType('resource')
        .filter(r => /\\/main\\.[0-9a-f]+\\.js$/.test(r.name)).length""")
    assert fetched == 1, fetched
    files = frame.evaluate("""() => performance.getEntriesByType('resource')
        .filter(r => r.name.includes('/_geo/')).map(r => r.name)""")
    assert any("/province/medium/" in name for name in files), files


def test_shared_url_reproduces_the_view(page) -> None:
    frame, _ = _open(page, "?fy=2569&province=30&lang=en&metric=baan_mankong_urban:households")
    assert page.locator("h1").first.inner_text().strip() == "Overview"
    box = page.get_by_role("combobox", name="Province")
    assert box.input_value() == "Nakhon Ratchasima"
    # Nakhon Ratchasima's districts (32) plus the context outlines
    districts = frame.evaluate("""() => window.codiGeo.features(window.map)
        .filter(l => l.feature && l.feature.properties.code.length === 4).length""")
    assert districts == 32
    assert "province=30" in page.url and "lang=en" in page.url


def test_panning_does_not_rerun_the_script(page) -> None:
    frame, _ = _open(page, "?fy=2569")
    frame.evaluate("""() => { window.__sent = 0;
        const original = window.Streamlit.setComponentValue;
        window.Streamlit.setComponentValue = function () { window.__sent += 1;
            return original.apply(this, arguments); }; }""")
    centre = "() => { const c = window.map.getCenter(); return [c.lat, c.lng]; }"
    page.locator(MAP_IFRAME).first.scroll_into_view_if_needed()
    # The map refits beside its legend once drawn: a drag made during that move can be undone
    # by it, so the drag starts from a still map and is made again if the view did not change.
    for _attempt in range(3):
        map_still(frame)
        before = frame.evaluate(centre)
        box = page.locator(MAP_IFRAME).first.bounding_box()
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        page.mouse.move(x, y)
        page.mouse.down()
        page.mouse.move(x + 150, y + 60, steps=8)
        page.mouse.up()
        try:
            frame.wait_for_function(
                f"(b) => {{ const c = ({centre})(); return c[0] !== b[0] || c[1] !== b[1]; }}",
                arg=before,
                timeout=3_000,
            )
            break
        except PlaywrightTimeoutError:
            continue
    frame.evaluate("() => { window.map.setZoom(window.map.getZoom() + 1); }")
    # streamlit-folium reports a move 250 ms after it ends: still for longer, nothing was sent
    map_still(frame, ms=750)
    after = frame.evaluate(centre)
    assert before != after
    assert frame.evaluate("() => window.__sent") == 0


def test_click_on_a_province_drills_down(page) -> None:
    frame, _ = _open(page, "?fy=2569&metric=baan_mankong_urban:households")
    page.locator(MAP_IFRAME).first.scroll_into_view_if_needed()
    # The map refits beside its legend once drawn, so the province's point on the screen is
    # taken after the map has settled, and again if that click landed mid-move.
    for _attempt in range(3):
        map_still(frame)
        box = page.locator(MAP_IFRAME).first.bounding_box()
        point = frame.evaluate("""() => {
            const l = window.codiGeo.features(window.map).find(
                l => l.feature && l.feature.properties.code === '30' && l.options.interactive);
            const p = window.map.latLngToContainerPoint(l.getCenter());
            return {x: p.x, y: p.y}; }""")
        page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
        try:
            page.wait_for_function("() => location.search.includes('province=30')", timeout=10_000)
            break
        except PlaywrightTimeoutError:
            continue
    assert "province=30" in page.url
    # the details are below the map (the map comes first): drawn after it, so wait for them
    page.get_by_text("รายละเอียดพื้นที่").first.wait_for(timeout=20_000)
    page.get_by_text("จ.นครราชสีมา").first.wait_for(timeout=20_000)
    _no_error(page)


def test_injected_html_in_a_name_shows_as_text(page) -> None:
    """A pin's details load when it is clicked (not with the page): the sample pinpoint named with
    HTML opens a popup (and the details box) that shows the name as text."""
    from codi_geo.results.store import open_store

    store = open_store(STORES[page.app_url])
    try:
        rows = store.results("disaster", fiscal_year=2569)
    finally:
        store.close()
    pin_id = int(rows.loc[rows["name"] == XSS_NAME, "id"].iloc[0])
    _open(page, "disasters?fy=2569")
    page.locator(MAP_IFRAME).first.scroll_into_view_if_needed()
    # As in the drill-down test: the pin's point on the screen is taken once the map has
    # settled beside its legend, and taken again if a click landed while it still moved.
    text = None
    for _attempt in range(3):
        frame = page.locator(MAP_IFRAME).first.element_handle().content_frame()
        map_still(frame)
        box = page.locator(MAP_IFRAME).first.bounding_box()
        point = frame.evaluate(
            """(id) => {
            const pin = window.codiGeo.features(window.map).find(
                l => l.feature && l.feature.properties.id === id);
            pin.bringToFront();
            const p = window.map.latLngToContainerPoint(pin.getLatLng());
            return {x: p.x, y: p.y}; }""",
            pin_id,
        )
        page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
        deadline = time.monotonic() + 15
        while text is None and time.monotonic() < deadline:
            try:
                frame = page.locator(MAP_IFRAME).first.element_handle().content_frame()
                text = frame.evaluate("""() => {
                    const open = document.querySelector('.leaflet-popup-content');
                    return open ? {text: open.textContent,
                                   images: open.querySelectorAll('img').length} : null; }""")
            except Exception:
                text = None
            page.wait_for_timeout(200)
        if text is not None:
            break
    assert text is not None, "clicking the pin opens its details"
    assert XSS_NAME in text["text"]
    assert text["images"] == 0
    assert frame.evaluate("() => document.querySelectorAll('img[src=\"x\"]').length") == 0
    assert page.get_by_text(XSS_NAME).count() >= 1  # the details box beside the map
    assert page.locator('img[src="x"]').count() == 0
    assert page.dialogs == []


def test_downloads_give_the_files_of_the_view(page, tmp_path) -> None:
    """A user clicks PNG, PDF, CSV, XLSX and GeoJSON under the map and gets the files of the
    current filters (made on the server when clicked)."""
    import io
    import json

    from openpyxl import load_workbook
    from PIL import Image

    _open(page, "integrated-provinces?fy=2569&region=northeast")
    got = {}
    for label in ("ภาพ PNG", "PDF", "Excel", "CSV", "GeoJSON"):
        button = page.get_by_test_id("stDownloadButton").filter(has_text=label)
        with page.expect_download(timeout=60_000) as info:
            button.click()
        download = info.value
        path = tmp_path / download.suggested_filename
        download.save_as(path)
        got[label] = (download.suggested_filename, path.read_bytes())
    name, png = got["ภาพ PNG"]
    assert name == "codi_integrated_province_2569_northeast_map.png"
    image = Image.open(io.BytesIO(png))
    assert image.size == (1920, 1080)
    ARTIFACTS.mkdir(exist_ok=True)
    image.save(ARTIFACTS / "briefing_integrated_northeast.png")
    assert got["PDF"][1].startswith(b"%PDF")
    name, csv_bytes = got["CSV"]
    assert name == "codi_integrated_province_2569_northeast.csv"
    assert csv_bytes.startswith(b"\xef\xbb\xbf")
    text = csv_bytes.decode("utf-8-sig")
    assert "ภาคตะวันออกเฉียงเหนือ" in text and "ภาคเหนือ" not in text
    sheet = load_workbook(io.BytesIO(got["Excel"][1])).worksheets[0]
    assert sheet["A1"].value == "แผนงาน" and sheet.max_row == text.count("\r\n")
    features = json.loads(got["GeoJSON"][1])["features"]
    assert len(features) == 20  # the northeast's provinces
    _no_error(page)


def test_presentation_mode_hides_the_sidebar_and_enlarges_the_legend(page) -> None:
    frame, _ = _open(page, "?fy=2569&metric=baan_mankong_urban:households")
    assert page.get_by_test_id("stSidebar").is_visible()
    page.get_by_role("button", name="โหมดนำเสนอ").click()
    page.wait_for_function("() => location.search.includes('present=1')", timeout=15_000)
    page.get_by_role("button", name="ออกจากโหมดนำเสนอ").wait_for(timeout=30_000)
    page.get_by_test_id("stSidebar").wait_for(state="hidden", timeout=15_000)
    app_idle(page)  # the run is over: its map has replaced the old one
    frame, _ = map_frame(page)
    assert page.get_by_test_id("stDownloadButton").count() == 0
    assert page.get_by_test_id("stSelectbox").count() == 0  # no filter bar
    legend = frame.evaluate("""() => { const l = document.querySelector('.codi-legend');
        return {size: parseFloat(getComputedStyle(l).fontSize),
                top: l.parentElement.classList.contains('leaflet-top')}; }""")
    assert legend["size"] >= 20 and legend["top"]
    iframe = page.locator(MAP_IFRAME).first.bounding_box()
    main = page.get_by_test_id("stMainBlockContainer").bounding_box()
    assert iframe["width"] >= main["width"] * 0.9  # the map takes the whole width
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "presentation_overview.png"))
    # the link carries the mode: opened afresh it presents again
    shared = page.url
    page.goto(shared)
    page.wait_for_selector('[data-testid="stMainBlockContainer"] h1', timeout=30_000)
    map_frame(page)
    assert not page.get_by_test_id("stSidebar").is_visible()
    page.get_by_role("button", name="ออกจากโหมดนำเสนอ").click()
    page.wait_for_function("() => !location.search.includes('present')", timeout=15_000)
    page.get_by_test_id("stDownloadButton").first.wait_for(timeout=20_000)
    # the map's five files, and the overview's slide pack
    assert page.get_by_test_id("stDownloadButton").count() == 6
    page.get_by_test_id("stSidebar").wait_for(state="visible", timeout=15_000)  # it is back
    assert "metric=baan_mankong_urban" in page.url
    _no_error(page)
