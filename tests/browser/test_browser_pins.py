"""The disasters page with 20,000 pins (``synthetic/pins.py``, seeded) in headless Chromium, at a
desktop and a phone size: the websocket carries counts, not 20,000 markers; zooming the map
into one tambon makes the server send that view's single pins, named by their tambon; a
change of quarter keeps the map (its frame, the user's view) and counts that view anew."""

from __future__ import annotations

import time

import pytest

import synthetic.pins
from tests.helpers import (
    CELLS_JS,
    MAP_IFRAME,
    PIN_CODES_JS,
    app_idle,
    current_map_frame,
    internal_app_env,
    map_still,
    poll_map,
    running_app,
)

pytestmark = pytest.mark.browser

PINS = 20_000
SENT_BOUND = 1_000_000  # bytes over the websocket until the map has settled


@pytest.fixture(scope="module")
def pins_app(boundary_cache, tmp_path_factory):
    from codi_geo.results import points
    from codi_geo.results.store import open_store

    data_dir = tmp_path_factory.mktemp("pins_app")
    database = f"sqlite:///{data_dir / 'store.sqlite'}"
    synthetic.pins.fill(database, PINS, (2569,), cache_dir=boundary_cache)
    store = open_store(database)
    per_tambon = points.counts_by_code(store.engine, points.PinFilter("disaster", 2569))
    in_quarter = points.counts_by_code(store.engine, points.PinFilter("disaster", 2569, 2))
    store.close()
    env = internal_app_env(boundary_cache, data_dir, database)
    with running_app(env, data_dir / "streamlit.log") as url:
        yield url, per_tambon, in_quarter


def _run_starts(payload: bytes | str) -> bool:
    """Whether a websocket frame from the app starts a script run (its ``new_session``
    message, sent at the start of every run)."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    if not isinstance(payload, bytes):
        return False
    message = ForwardMsg()
    try:
        message.ParseFromString(payload)
    except Exception:  # not a ForwardMsg
        return False
    return message.WhichOneof("type") == "new_session"


@pytest.mark.parametrize("size", [(1400, 900), (390, 844)], ids=["desktop", "phone"])
def test_pins_page_sends_counts_and_zooms_to_single_pins(browser, pins_app, size) -> None:
    from codi_geo.places import gazetteer
    from codi_geo.places.boundaries import load_layer

    url, per_tambon, in_quarter = pins_app
    context = browser.new_context(viewport={"width": size[0], "height": size[1]}, locale="th-TH")
    tab = context.new_page()
    received: list[int] = []
    runs: list[bool] = []

    def frame_received(payload) -> None:
        received.append(len(payload))
        if _run_starts(payload):
            runs.append(True)

    tab.on("websocket", lambda ws: ws.on("framereceived", frame_received))
    try:
        tab.goto(f"{url}/disasters?fy=2569&layer=points")
        tab.wait_for_selector(MAP_IFRAME, timeout=60_000)
        counts = poll_map(tab, CELLS_JS)
        # Once drawn, the map reports its view and the server counts that view in a second
        # run (the first one's end, or a restart of it): wait for that run and the map.
        deadline = time.monotonic() + 45
        while len(runs) < 2:
            assert time.monotonic() < deadline, "the page did not run again for the map's view"
            tab.wait_for_timeout(100)  # lets Playwright deliver the websocket's frames
        app_idle(tab)
        map_still(current_map_frame(tab))
        counts = poll_map(tab, CELLS_JS)
        # two runs, not three: the page hears of the view the drawing fitted, never of the
        # frame's first view before it (maps.js holds streamlit-folium's first report)
        assert len(runs) == 2, len(runs)
        assert sum(received) < SENT_BOUND, sum(received)
        # bubbles, not one marker per pin, and together they hold every pin in view
        assert len(counts) < 400
        assert sum(counts) <= PINS + 50 and sum(counts) > PINS // 4
        assert tab.get_by_text("เกิดข้อผิดพลาด").count() == 0

        tambon = str(per_tambon.index[len(per_tambon) // 2])
        shape = load_layer("tambon", "low")
        west, south, east, north = shape[shape["code"] == tambon].total_bounds
        current_map_frame(tab).evaluate(
            f"() => {{ window.map.fitBounds([[{south}, {west}], [{north}, {east}]]); }}"
        )
        codes = poll_map(tab, PIN_CODES_JS)
        assert codes.count(tambon) == per_tambon[tambon]
        # the tooltip of one of the tambon's pins names the tambon
        tip = current_map_frame(tab).evaluate(f"""() => {{
            const pin = window.codiGeo.features(window.map).find(l => l.feature
              && l.feature.properties.id !== undefined
              && l.feature.properties.code === '{tambon}');
            pin.openTooltip(); return pin.getTooltip().getElement().textContent; }}""")
        assert gazetteer.full_name(tambon, "th") in tip
        if size[0] > 1000:  # the sidebar is open on a desktop; the phone's sheet: map_first
            # the seeded pins of this tambon are not all of quarter 2: the count must change
            assert in_quarter.get(tambon, 0) < per_tambon[tambon]
            _quarter_keeps_the_map(tab, tambon, in_quarter.get(tambon, 0))
    finally:
        context.close()


def _quarter_keeps_the_map(tab, tambon: str, expected: int) -> None:
    """Choose quarter 2 in the filters: the same frame stays (a mark set in it survives),
    with the user's zoom and centre, and the server counts that view for the quarter."""
    frame = current_map_frame(tab)
    map_still(frame)
    frame.evaluate("() => { window.codiGeoKept = true; }")
    view_js = "() => [window.map.getZoom(), window.map.getCenter().lat, window.map.getCenter().lng]"
    view = frame.evaluate(view_js)
    quarter = tab.get_by_test_id("stSidebar").get_by_test_id("stSelectbox")
    quarter.filter(has_text="ไตรมาส").first.click()
    tab.get_by_role("option", name="ไตรมาส 2", exact=True).click()
    tab.wait_for_function("() => location.search.includes('q=2')", timeout=20_000)
    deadline, found = time.monotonic() + 45, None
    while found != expected:
        assert time.monotonic() < deadline, (found, expected)
        tab.wait_for_timeout(200)
        try:
            found = current_map_frame(tab).evaluate(PIN_CODES_JS).count(tambon)
        except Exception:  # between two drawings
            found = None
    app_idle(tab)
    assert tab.locator(MAP_IFRAME).count() == 1
    kept = current_map_frame(tab)
    assert kept.evaluate("() => window.codiGeoKept === true")  # not a new frame
    assert kept.evaluate(view_js) == pytest.approx(view, abs=1e-6)
