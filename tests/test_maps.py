"""The maps (``codi_geo.maps``): local assets only, compact payloads, escaping, classes,
legends."""

from __future__ import annotations

import hashlib
import json
import re

import folium
import numpy as np
import pandas as pd
import pytest
import shapely

from codi_geo.maps import areas, assets, base, figures, markers, scales, shapes
from codi_geo.maps.layers import (
    PointLayer,
    PolygonLayer,
    Tooltips,
    decode_ring,
    encode_geometry,
    encode_ring,
    js_data,
    pack_indices,
)
from codi_geo.places.boundaries import load_layer
from codi_geo.programmes import get_programme

XSS = "<img src=x onerror=alert(1)>"


def _rendered(m: folium.Map) -> str:
    return m.get_root().render()


def _external_urls(text: str) -> list[str]:
    """src/href URLs of scripts and stylesheets that leave the app."""
    found = re.findall(r'(?:src|href)="(https?://[^"]+)"', text)
    return [u for u in found if "/app/static/" not in u]


# ---------------------------------------------------------------------------------------
# Assets
# ---------------------------------------------------------------------------------------


def test_localize_points_every_asset_at_the_app_and_drops_unused() -> None:
    m = folium.Map(tiles=None)
    PointLayer([13.7], [100.5], [{"radius": 5}], [0]).add_to(m)
    folium.plugins.HeatMap([[13.7, 100.5]]).add_to(m)
    assets.localize(m)
    js, css = assets.asset_links(m)
    own = assets.own_js_url("codi_geo_maps")
    assert js == [
        "/app/static/vendor/leaflet/leaflet.js",
        own,
        "/app/static/vendor/leaflet.markercluster/leaflet.markercluster.js",
        "/app/static/vendor/leaflet.heat/leaflet-heat.js",
    ]
    assert "/app/static/vendor/leaflet/leaflet.css" in css
    assert all(u.startswith("/app/static/vendor/") for u in js + css if u != own)
    assert not any("jquery" in u or "bootstrap" in u or "awesome" in u for u in js + css)
    assert _external_urls(_rendered(m)) == []
    # folium's own class lists are left as they were
    assert folium.Map.default_js[0][1].startswith("https://")


def test_localize_with_base_url_path() -> None:
    m = assets.localize(folium.Map(tiles=None), base_url_path="/codi/")
    assert assets.asset_links(m)[0] == ["/codi/app/static/vendor/leaflet/leaflet.js"]


def test_the_map_script_is_served_by_the_app_and_versioned_by_its_content() -> None:
    """The areas layer's code is the committed static/codi-geo/maps.js, at the app's own URL
    below the base path, with its content's hash so a browser never keeps an old copy."""
    m = folium.Map(tiles=None)
    PolygonLayer(["10"], [shapely.box(100, 13, 101, 14)], [{}], [0]).add_to(m)
    assets.localize(m, base_url_path="/codi/")
    js = assets.asset_links(m)[0]
    script = assets.STATIC_DIR / assets.OWN_JS["codi_geo_maps"]
    digest = hashlib.sha256(script.read_bytes()).hexdigest()[:12]
    assert js[1] == f"/codi/app/static/codi-geo/maps.js?v={digest}"
    assert "G.Areas = L.Path.extend" in script.read_text(encoding="utf-8")
    assert "new codiGeo.Areas(" in _rendered(m)


def test_an_asset_the_app_does_not_serve_is_refused() -> None:
    m = folium.Map(tiles=None)
    folium.plugins.Fullscreen().add_to(m)
    with pytest.raises(assets.AssetError, match="Fullscreen"):
        assets.localize(m)


def test_branca_colormaps_are_refused() -> None:
    import branca.colormap

    m = folium.Map(tiles=None)
    branca.colormap.LinearColormap(["#ffffff", "#000000"]).add_to(m)
    with pytest.raises(assets.AssetError, match="d3"):
        assets.localize(m)


def test_missing_files_reports_what_the_vendor_script_installs(tmp_path) -> None:
    assert set(assets.missing_files(tmp_path)) == set(assets.REQUIRED_FILES)
    for name in assets.REQUIRED_FILES:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    assert assets.missing_files(tmp_path) == []


# ---------------------------------------------------------------------------------------
# Encoding and escaping
# ---------------------------------------------------------------------------------------


def test_encoded_rings_round_trip() -> None:
    ring = np.array([[100.12345, 13.5], [100.2, 13.61111], [99.9, 13.4], [100.12345, 13.5]])
    for decimals in (4, 5):
        decoded = np.array(decode_ring(encode_ring(ring, decimals), decimals))
        assert np.allclose(decoded, ring.round(decimals))
    polygon = shapely.Polygon(ring, holes=[[[100.0, 13.5], [100.05, 13.5], [100.0, 13.52]]])
    multi = shapely.MultiPolygon([polygon, shapely.box(101, 14, 101.1, 14.1)])
    encoded = encode_geometry(multi, 4)
    assert [len(p) for p in encoded] == [2, 1]
    assert encode_geometry(None, 4) == []


def test_encoding_is_far_smaller_than_geojson_text() -> None:
    ring = np.cumsum(np.full((500, 2), 0.0013), axis=0) + np.array([100.0, 13.0])
    geojson = json.dumps(ring.round(4).tolist())
    assert len(encode_ring(ring, 4)) * 3 < len(geojson)


def test_js_data_is_safe_in_script_elements_and_jinja() -> None:
    text = js_data({"a": "</script><script>alert(1)</script>", "b": "{{ x }} {% y %} {# z #}"})
    assert "</script" not in text and "<" not in text
    assert "{{" not in text and "{%" not in text and "{#" not in text
    assert json.loads(text) == {
        "a": "</script><script>alert(1)</script>",
        "b": "{{ x }} {% y %} {# z #}",
    }


def test_tooltips_escape_every_piece_and_share_repeated_text() -> None:
    tips = Tooltips([XSS, "ต.ตลาด"], ["อ.เมือง", "อ.เมือง"], ["ครัวเรือน"], [["1,000", XSS]])
    data = tips.data()
    assert XSS not in json.dumps(data, ensure_ascii=False)
    assert data["n"][0] == "&lt;img src=x onerror=alert(1)&gt;"
    assert data["s"] == [0, 0]  # one shared subtitle
    html_text = tips.html(0)
    assert "<img" not in html_text and "&lt;img" in html_text
    assert tips.html(1) == (
        '<div class="n">ต.ตลาด</div><div>อ.เมือง</div>'
        "<div>ครัวเรือน: <b>&lt;img src=x onerror=alert(1)&gt;</b></div>"
    )
    with pytest.raises(ValueError):
        Tooltips(["a"], None, ["x"], [["1", "2"]])


def test_fmt_number_thai_style() -> None:
    assert base.fmt_number(1234567) == "1,234,567"
    assert base.fmt_number(1234.5) == "1,234.5"
    assert base.fmt_number(0) == "0"
    assert base.fmt_number(None) == "–"
    assert base.fmt_number(float("nan")) == "–"
    assert base.fmt_number(pd.NA) == "–"


def test_esc_and_tooltip_html() -> None:
    assert base.esc(XSS) == "&lt;img src=x onerror=alert(1)&gt;"
    assert base.esc(None) == "" and base.esc(float("nan")) == ""
    html_text = base.tooltip_html(XSS, [("a", XSS)], subtitle=XSS)
    assert "<img" not in html_text


# ---------------------------------------------------------------------------------------
# Views, layers and maps
# ---------------------------------------------------------------------------------------


def test_detail_and_level_follow_the_scope() -> None:
    assert base.detail_for("tambon", "national") == "low"
    assert base.detail_for("province", "region") == "medium"
    assert base.detail_for("tambon", "province") == "high"
    assert base.extent_for("national", None).level == "province"
    assert base.extent_for("province", "30").level == "district"
    assert base.extent_for("province", "30", "province").level == "province"
    assert base.extent_for("district", "3001", "tambon").level == "tambon"
    assert base.extent_for("national", None, level="tambon").detail == "low"


def test_aggregate_sums_per_area_and_leaves_out_coarser_rows() -> None:
    rows = pd.DataFrame(
        {
            "province_code": ["30", "30", "10", None],
            "district_code": ["3001", "3002", None, None],
            "tambon_code": [None, None, None, None],
            "households": [10.0, 5.0, 7.0, 100.0],
        }
    )
    assert figures.aggregate(rows, "households", "province").to_dict() == {"10": 7.0, "30": 15.0}
    assert figures.aggregate(rows, "households", "district").to_dict() == {
        "3001": 10.0,
        "3002": 5.0,
    }
    assert figures.aggregate(rows, None, "province").to_dict() == {"10": 1.0, "30": 2.0}
    assert figures.aggregate(rows, "missing", "province").empty
    assert figures.aggregate(rows.iloc[0:0], "households", "province").empty


def _layers(m: folium.Map, kind: type) -> list:
    found, stack = [], [m]
    while stack:
        element = stack.pop()
        if isinstance(element, kind):
            found.append(element)
        stack.extend(element._children.values())
    return found


def test_national_province_map(boundary_cache) -> None:
    m = areas.national_province_map(base.MapOptions(cache_dir=boundary_cache))
    (layer,) = _layers(m, PolygonLayer)
    assert layer.feature_count == 77
    assert len(set(layer.data["k"])) == 5  # five CODI regions, every province in one
    assert 0 not in layer.data["k"]
    assert _external_urls(_rendered(m)) == []


def test_choropleth_no_data_differs_from_zero(boundary_cache) -> None:
    values = pd.Series({"10": 0.0, "11": 5.0, "12": 50.0, "13": 500.0})
    view = base.Extent("national", None, "province")
    m = areas.choropleth_map(view, values, "ครัวเรือน", base.MapOptions(cache_dir=boundary_cache))
    layer = next(
        lay
        for lay in _layers(m, PolygonLayer)
        if lay.feature_count == 77 and lay.data["t"] is not None
    )
    index = dict(zip(layer.codes, layer.data["k"], strict=True))
    styles = layer.data["s"]
    no_data, zero = styles[index["14"]], styles[index["10"]]
    assert no_data != zero
    assert no_data.get("dashArray") and not zero.get("dashArray")
    assert zero["fillColor"] != no_data["fillColor"]
    # the classes are ordered light to dark (greyscale-safe)
    from codi_geo.maps.scales import lightness

    ordered = [styles[index[c]]["fillColor"] for c in ("10", "11", "12", "13")]
    assert [lightness(c) for c in ordered] == sorted((lightness(c) for c in ordered), reverse=True)
    legend = _rendered(m)
    assert "ไม่มีข้อมูล" in legend


def test_english_labels(boundary_cache) -> None:
    m = areas.national_province_map(base.MapOptions(lang="en", cache_dir=boundary_cache))
    (layer,) = _layers(m, PolygonLayer)
    assert "Northeast" in layer.data["t"]["S"]
    # the areas' names come with the geometry file the layer loads, in the map's language
    assert layer.data["t"]["a"] == "en" and layer.data["t"]["n"] is None
    (name,) = layer.data["u"]
    level, detail, leaf = name.split("/")
    data, _ = shapes.geo_file(level, detail, leaf.split(".")[0], boundary_cache)
    assert "Nakhon Ratchasima" in json.loads(data)["n"]["en"]


def test_xss_in_area_values_is_escaped(boundary_cache) -> None:
    view = base.Extent("national", None, "province")
    programme = get_programme("integrated_province")
    m = areas.category_map(
        view,
        pd.Series({"30": "tier_1"}),
        programme,
        base.MapOptions(cache_dir=boundary_cache),
        extra_rows=[("note", pd.Series({"30": XSS}))],
    )
    text = _rendered(m)
    assert XSS not in text
    assert "onerror" in text  # it is there, as escaped text


def test_national_tambon_layer_payload_is_small(boundary_cache) -> None:
    from codi_geo.places.boundaries import load_layer

    codes = load_layer("tambon", "low", boundary_cache)["code"]
    values = pd.Series(np.arange(len(codes), dtype=float) % 300, index=codes.to_numpy())
    values.iloc[::3] = np.nan
    view = base.Extent("national", None, "tambon")
    m = areas.choropleth_map(view, values, "ครัวเรือน", base.MapOptions(cache_dir=boundary_cache))
    tambon_layers = [lay for lay in _layers(m, PolygonLayer) if lay.feature_count == len(codes)]
    assert len(tambon_layers) == 1 and len(codes) == 7425
    payload = base.st_folium_payload(m)
    assert payload["bytes"] <= 2_000_000
    assert all(u.startswith("/app/static/") for u in payload["js_links"])


def test_province_view_payload_is_small(boundary_cache) -> None:
    values = pd.Series(dtype=float)
    for code in ("30", "10"):
        view = base.Extent("province", code, "tambon")
        m = areas.choropleth_map(
            view, values, "x", base.MapOptions(selected=code, cache_dir=boundary_cache)
        )
        assert base.st_folium_payload(m)["bytes"] <= 300_000
        assert view.detail == "high"


def test_points_are_clustered_escaped_and_coloured_by_kind() -> None:
    programme = get_programme("disaster")
    rows = pd.DataFrame(
        {
            "latitude": [13.7, 18.8, None],
            "longitude": [100.5, 98.9, None],
            "category": ["flood", "unknown-kind", "fire"],
            "name": [XSS, "ชุมชน ก", "x"],
            "code": ["100101", None, None],
            "households": [12.0, None, 1.0],
            "place_text": [None, "เชียงใหม่", None],
        }
    )
    layer, legend = markers.points_layer(rows, programme)
    assert layer.feature_count == 2  # the row without coordinates is not drawn
    assert layer.data["k"] == [1, 0]
    assert XSS not in json.dumps(layer.data, ensure_ascii=False)
    assert "&lt;img" in layer.data["p"][0]
    assert "ไม่มีข้อมูล" in legend.html and "อุทกภัย" in legend.html


def test_heat_layer_uses_the_local_plugin() -> None:
    rows = pd.DataFrame({"latitude": [13.7, 13.8], "longitude": [100.5, 100.6]})
    m = folium.Map(tiles=None)
    markers.heat_layer(rows).add_to(m)
    assets.localize(m)
    assert "/app/static/vendor/leaflet.heat/leaflet-heat.js" in assets.asset_links(m)[0]


def test_base_maps_tiles_only_when_asked() -> None:
    plain = _rendered(base.finish(base.base_map(basemap="plain")))
    assert "tileLayer" not in plain
    osm = _rendered(base.finish(base.base_map(basemap="osm")))
    assert "tile.openstreetmap.org" in osm
    assert "L.tileLayer" in osm


def test_one_missing_value_rule_for_maps_tooltips_and_numbers() -> None:
    for missing in (None, float("nan"), np.nan, pd.NA, pd.NaT):
        assert scales.is_missing(missing)
        assert base.esc(missing) == ""
        assert base.fmt_number(missing) == "–"
    for present in (0, 0.0, "", "new", [1, 2]):
        assert not scales.is_missing(present)
    assert base.esc("<b>") == "&lt;b&gt;" and base.fmt_number(1234.5) == "1,234.5"


def test_areas_with_codes_are_those_isin_finds_in_their_order(boundary_cache) -> None:
    from codi_geo.places.boundaries import load_layer

    frame = load_layer("tambon", "low", boundary_cache)
    codes = pd.Index([*frame["code"].sample(3000, random_state=1).tolist(), "999999", None])
    found = areas.with_codes(frame, codes)
    assert found.index.equals(frame[frame["code"].isin(codes)].index)
    assert areas.with_codes(frame, []).empty


def test_rows_without_coordinates_are_pinned_inside_their_area(boundary_cache) -> None:
    """A row with its own point keeps it; one without (or with half of one) is pinned at an
    inner point of its tambon, district or province, marked approximate; one whose code is
    no area is left out."""
    rows = pd.DataFrame(
        {
            "code": ["300101", "300101", "3001", "30", "999999", None, "300101"],
            "latitude": [14.9, None, None, None, None, None, 15.1],
            "longitude": [102.1, None, None, None, None, None, None],
        }
    )
    pinned = markers.pin_rows(rows, boundary_cache)
    assert list(pinned.index) == [0, 1, 2, 3, 6]
    assert pinned["approx"].tolist() == [False, True, True, True, True]
    assert (pinned.loc[0, "latitude"], pinned.loc[0, "longitude"]) == (14.9, 102.1)
    for index, level in ((1, "tambon"), (2, "district"), (3, "province")):
        code = rows.loc[index, "code"]
        shape = load_layer(level, "low", boundary_cache)
        area = shape[shape["code"] == code].geometry.iloc[0]
        point = shapely.Point(pinned.loc[index, "longitude"], pinned.loc[index, "latitude"])
        assert area.buffer(1e-4).contains(point), (code, point)
    # half a point is no point: the row goes to its tambon's, like one without
    assert pinned.loc[6, "latitude"] == pinned.loc[1, "latitude"]


def test_packed_indices_read_back() -> None:
    """``pack_indices`` as ``codiGeo.unpack`` reads it: fixed-width base-64 digits."""
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_"
    for values in ([], [0], [63], [64, 0, 4095], [4096, 5, 262_143, 7]):
        packed = pack_indices(values)
        width, text = packed["w"], packed["d"]
        assert len(text) == width * len(values)
        back = [
            sum(digits.index(c) * 64 ** (width - 1 - k) for k, c in enumerate(text[i : i + width]))
            for i in range(0, len(text), width)
        ]
        assert back == values
        assert 64 ** (width - 1) <= max(values, default=0) < 64**width or width == 1
    with pytest.raises(ValueError):
        pack_indices([3, -1])
