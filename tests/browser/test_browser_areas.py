"""The areas layer in Chromium (``codiGeo.Areas``, ``static/codi-geo/maps.js``): every area of
a layer drawn as one canvas path must still behave like a polygon of its own: its colour
where it lies, its own tooltip under the pointer, an outline while hovered, its code on click
for streamlit-folium, and points drawn above it keep their clicks; boundary files that do not
load say so on the map, with a retry."""

from __future__ import annotations

import json

import folium
import pytest
import shapely

from codi_geo.maps import assets
from codi_geo.maps.controls import MapStyle
from codi_geo.maps.layers import PointLayer, PolygonLayer, Tooltips, encode_geometries
from synthetic.servers import map_pages_server
from tests.helpers import map_still

pytestmark = pytest.mark.browser

# Two squares side by side (west 'A' red, east 'B' blue) and one with a hole ('C', green).
SQUARES = {
    "A": shapely.box(100.0, 13.0, 101.0, 14.0),
    "B": shapely.box(101.0, 13.0, 102.0, 14.0),
    "C": shapely.box(100.0, 11.0, 102.0, 12.5).difference(shapely.box(100.8, 11.5, 101.2, 12.0)),
}
FILLS = {"A": "#ff0000", "B": "#0000ff", "C": "#00aa00"}


@pytest.fixture(scope="module")
def areas_page(browser, tmp_path_factory):
    root = tmp_path_factory.mktemp("areas")
    m = folium.Map(location=[12.5, 101], zoom_start=7, tiles=None, prefer_canvas=True)
    MapStyle(lang="th").add_to(m)
    codes = list(SQUARES)
    styles = [
        {"color": "#000000", "weight": 1, "fillColor": FILLS[c], "fillOpacity": 1} for c in codes
    ]
    PolygonLayer(
        codes,
        list(SQUARES.values()),
        styles,
        list(range(len(codes))),
        tooltips=Tooltips([f"area {c}" for c in codes]),
    ).add_to(m)
    PointLayer(
        [13.5],
        [101.75],
        [{"radius": 8, "color": "#ffffff", "fillColor": "#ffff00", "fillOpacity": 1}],
        [0],
        ids=["pin-1"],
        cluster=False,
        tooltips=["the pin"],
    ).add_to(m)
    m.fit_bounds([[11, 100], [14, 102]])
    assets.localize(m)
    html_text = m.get_root().render()
    variable = m.get_name()
    (root / "map.html").write_text(
        html_text.replace("</html>", f"<script>window.map = {variable};</script></html>"),
        encoding="utf-8",
    )

    with map_pages_server(root) as base_url:
        context = browser.new_context(viewport={"width": 900, "height": 700})
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"{base_url}/map.html")
        page.wait_for_function(
            "() => window.map && window.codiGeo && window.codiGeo.features(window.map).length === 4"
        )
        map_still(page)  # drawn and fitted: screen points stay where they are
        page.evaluate("""() => { window.__clicks = [];
            for (const l of Object.values(window.map._layers)) {
              if (!(l instanceof window.codiGeo.Areas) && !l.feature) continue;
              l.on('click', e => window.__clicks.push(
                e.layer && e.layer.toGeoJSON ? e.layer.toGeoJSON().properties
                                             : (e.target.feature || {}).properties)); } }""")
        yield page, errors, root
        context.close()


def _screen(page, lat: float, lng: float) -> tuple[float, float]:
    p = page.evaluate(f"() => window.map.latLngToContainerPoint([{lat}, {lng}])")
    return p["x"], p["y"]


def _pixel(page, x: float, y: float) -> list[int]:
    return page.evaluate(f"""() => {{
        const c = document.querySelector('canvas.leaflet-zoom-animated');
        const r = c.getBoundingClientRect(), k = c.width / r.width;
        return Array.from(c.getContext('2d').getImageData(
            Math.round(({x} - r.left) * k), Math.round(({y} - r.top) * k), 1, 1).data); }}""")


def _drawn(page) -> None:
    """Wait for two animation frames: the canvas redraws a changed style in the next one."""
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


def _tooltip(page) -> str:
    return page.evaluate(
        "() => { const t = document.querySelector('.leaflet-tooltip');"
        " return t ? t.textContent : ''; }"
    )


def test_each_area_is_drawn_in_its_own_colour_and_a_hole_stays_empty(areas_page) -> None:
    page, errors, _root = areas_page
    assert _pixel(page, *_screen(page, 13.5, 100.5))[:3] == [255, 0, 0]
    assert _pixel(page, *_screen(page, 13.5, 101.3))[:3] == [0, 0, 255]
    assert _pixel(page, *_screen(page, 11.25, 100.4))[:3] == [0, 170, 0]
    assert _pixel(page, *_screen(page, 11.75, 101.0))[3] == 0  # the hole: nothing drawn
    assert errors == []


def test_the_tooltip_and_outline_follow_the_pointer_from_area_to_area(areas_page) -> None:
    page, errors, _root = areas_page
    page.mouse.move(*_screen(page, 13.5, 100.5))
    page.wait_for_function("() => document.querySelector('.leaflet-tooltip')")
    assert _tooltip(page) == "area A"
    x, y = _screen(page, 13.2, 101.2)
    page.mouse.move(x, y, steps=5)
    page.wait_for_timeout(100)  # the last of the steps may fall in Leaflet's 32 ms throttle
    page.mouse.move(x + 1, y)
    page.wait_for_function(
        "() => document.querySelector('.leaflet-tooltip').textContent === 'area B'"
    )
    _drawn(page)
    # B is outlined (black, 3 px) while hovered: its edge pixels turn black
    x, y = _screen(page, 13.5, 101.0)
    edge = _pixel(page, x + 1, y)
    assert max(edge[:3]) < 40, edge
    # over the hole of C there is no area: the tooltip closes (Leaflet handles one pointer
    # move in 32 ms, so the pointer settles with a last small move)
    x, y = _screen(page, 11.75, 101.0)
    page.mouse.move(x, y, steps=5)
    page.wait_for_timeout(100)
    page.mouse.move(x + 1, y)
    page.wait_for_function("() => !document.querySelector('.leaflet-tooltip')")
    assert errors == []


def test_a_click_reports_the_area_and_a_point_above_it_keeps_its_click(areas_page) -> None:
    page, errors, _root = areas_page
    page.evaluate("() => { window.__clicks.length = 0; }")
    page.mouse.click(*_screen(page, 13.2, 101.5))
    page.mouse.click(*_screen(page, 11.25, 101.6))
    page.mouse.click(*_screen(page, 13.5, 101.75))  # the pin, drawn above area B
    page.wait_for_function("() => window.__clicks.length >= 3", timeout=10_000)
    clicks = page.evaluate("() => window.__clicks")
    assert [c.get("code") for c in clicks[:2]] == ["B", "C"]
    assert clicks[2:] == [{"id": "pin-1", "code": None}]
    # the centre a test or a caption uses lies inside its area
    inside = page.evaluate("""() => window.codiGeo.features(window.map)
        .filter(f => f.getCenter).map(f => {
          const p = window.map.latLngToLayerPoint(f.getCenter());
          return [f.feature.properties.code, f.layer ? f.layer._containsPoint(p) &&
                  f.layer._hit === f.feature.properties.i : true]; })""")
    assert inside == [["A", True], ["B", True], ["C", True]]
    assert errors == []


def test_boundary_files_that_do_not_load_say_so_on_the_map_with_a_retry(areas_page) -> None:
    page, errors, root = areas_page
    name = "0123456789abcdef.json"
    broken = PolygonLayer(["X"], [None], [{"fillColor": "#ff00ff", "fillOpacity": 1}], [0])
    broken.from_files([name], None)  # not on this server (yet)
    fetched: list[str] = []

    def geo_request(request) -> None:
        if "/_geo/" in request.url:
            fetched.append(request.url)

    page.on("request", geo_request)
    try:
        page.evaluate(
            f"() => {{ window.__late = new codiGeo.Areas({broken.payload}).addTo(window.map); }}"
        )
        notice = page.locator(".codi-failed")
        notice.wait_for(timeout=10_000)
        assert "โหลดขอบเขตพื้นที่ไม่สำเร็จ" in notice.inner_text()
        notice.get_by_role("button", name="ลองอีกครั้ง").click()
        notice.wait_for(timeout=10_000)  # tried again, failed again: said again, once
        page.wait_for_function("() => window.map._codiFailed")
        assert notice.count() == 1 and len(fetched) == 2
        # the file is there now: a retry draws the area and the notice goes
        (root / "_geo").mkdir(exist_ok=True)
        box = shapely.box(100.2, 13.2, 100.4, 13.4)
        (root / "_geo" / name).write_text(
            json.dumps(
                {
                    "f": 4,
                    "c": ["X"],
                    "g": encode_geometries([box], 4),
                    "n": {"th": ["X"], "en": ["X"]},
                    "p": {"th": [""], "en": [""]},
                }
            ),
            encoding="utf-8",
        )
        notice.get_by_role("button", name="ลองอีกครั้ง").click()
        page.wait_for_function("() => window.__late._built && !window.map._codiFailed")
        assert notice.count() == 0 and len(fetched) == 3
        _drawn(page)
        assert _pixel(page, *_screen(page, 13.3, 100.3))[:3] == [255, 0, 255]
    finally:
        page.remove_listener("request", geo_request)
        page.evaluate("() => { if (window.__late) window.map.removeLayer(window.__late); }")
    assert errors == []
