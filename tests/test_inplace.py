"""The map changes in place (issue 18): a page's map is a frame that stays in the browser and a
drawing that changes with the filters (``maps.inplace``); the drawing carries no geometry, the
browser loads the boundaries once as files named by their content (``maps.shapes``, served
by ``ui.geo_routes``)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import streamlit_folium as sf
from starlette.applications import Starlette

from codi_geo.maps import areas, base, inplace, shapes
from codi_geo.maps.layers import PolygonLayer, Tooltips, pack_indices
from codi_geo.ui import geo_routes
from tests.helpers import asgi_call

# What one filter change may send for a national tambon map (issue 18).
RESTYLE_BYTES = 50_000


def _tambon_map(values: pd.Series, title: str) -> object:
    view = base.Extent("national", None, "tambon")
    return areas.choropleth_map(view, values, title, base.MapOptions())


@pytest.fixture()
def configured(boundary_cache: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CODI_GEO_BOUNDARY_DIR", str(boundary_cache))
    from codi_geo import settings

    settings.clear()
    return boundary_cache


def _figures(seed: int) -> pd.Series:
    """A figure for every tambon, 0 to 2,000 (a busy national map), made up for the test."""
    codes = shapes.file_codes("tambon", "low", "all")
    rng = np.random.default_rng(seed)
    return pd.Series(rng.integers(0, 2000, len(codes)).astype(float), index=list(codes))


def test_the_frame_is_the_same_for_every_view_and_the_drawing_carries_no_geometry(
    configured,
) -> None:
    first, drawing = inplace.split(_tambon_map(_figures(1), "ครัวเรือน"))
    second, other = inplace.split(_tambon_map(_figures(2), "ครัวเรือน ปี 2568"))
    assert sf._get_map_string(first) == sf._get_map_string(second)
    assert not any(isinstance(c, PolygonLayer) for c in first._children.values())
    layers = [c for c in drawing._children.values() if isinstance(c, PolygonLayer)]
    assert layers and all("g" not in layer.data and layer.data["u"] for layer in layers)
    script = sf._get_feature_group_string(drawing, first, 0)
    assert "codiGeo.FitView" in script and "codiGeo.Legend" in script
    # the two drawings differ: the figures do
    assert script != sf._get_feature_group_string(other, second, 0)


def test_a_national_tambon_restyle_sends_at_most_50_kb(configured) -> None:
    frame, drawing = inplace.split(_tambon_map(_figures(3), "ครัวเรือน"))
    change = len(sf._get_feature_group_string(drawing, frame, 0).encode("utf-8"))
    print(f"national tambon map, a change of every figure: {change:,} bytes")
    assert change <= RESTYLE_BYTES, change
    # the boundaries it needs are a file the browser keeps, far larger than a change
    (name,) = [
        c.data["u"][0]
        for c in drawing._children.values()
        if isinstance(c, PolygonLayer) and c.feature_count == 7425
    ]
    assert len(shapes.file_for(name)) > 5 * change


def test_without_the_file_routes_the_drawing_carries_its_geometry(configured) -> None:
    _frame, drawing = inplace.split(_tambon_map(_figures(1), "ครัวเรือน"))
    inplace.geometry_inline(drawing)
    layers = [c for c in drawing._children.values() if isinstance(c, PolygonLayer)]
    tambons = next(layer for layer in layers if layer.feature_count == 7425)
    assert "u" not in tambons.data and len(tambons.data["g"]) == 7425
    assert tambons.data["c"] == list(shapes.file_codes("tambon", "low", "all"))
    assert tambons.data["t"]["n"][0] == "แขวงพระบรมมหาราชวัง"  # names in the payload again


def test_a_layer_from_files_encodes_no_rings_and_sends_no_area_names() -> None:
    """A layer whose rings and names come from files (every area map of a page, built anew on
    each filter change) encodes neither; the inline fallback puts both back."""
    tips = Tooltips(["ต.ตลาด"], ["อ.เมือง จ.มหาสารคาม"], ["ครัวเรือน"], [["12"]], "th")
    layer = PolygonLayer(["440101"], None, [{"fillColor": "#123456"}], [0], tips)
    layer.from_files(["abc.json"], [5])
    sent = json.loads(layer.payload)
    assert "g" not in sent and sent["u"] == ["abc.json"]
    assert sent["t"]["n"] is None and "ตลาด" not in layer.payload
    assert "12" in sent["t"]["S"]  # the figures still travel
    layer.with_geometry_inline([[["_pR??_pR~oR??~oR_pR?"]]])
    sent = json.loads(layer.payload)
    assert sent["g"] == [[["_pR??_pR~oR??~oR_pR?"]]] and sent["c"] == ["440101"]
    assert layer.data["t"]["n"] == ["ต.ตลาด"] and "u" not in sent


def test_indices_travel_as_fixed_width_digits() -> None:
    assert pack_indices([0, 1, 63]) == {"w": 1, "d": "01_"}
    assert pack_indices([64, 4095]) == {"w": 2, "d": "10__"}
    assert pack_indices([4096]) == {"w": 3, "d": "100"}
    assert pack_indices([]) == {"w": 1, "d": ""}
    with pytest.raises(ValueError):
        pack_indices([-1])


def test_a_frame_that_needs_another_script_is_a_new_frame(configured) -> None:
    areas_only = _tambon_map(_figures(1), "x")
    key = inplace.frame_key(areas_only, "overview")
    assert key == inplace.frame_key(_tambon_map(_figures(2), "y"), "overview")
    clustered = _tambon_map(_figures(1), "x")
    from codi_geo.maps.layers import PointLayer

    PointLayer([13.7], [100.5], [{}], [0], cluster=True).add_to(clustered)
    assert inplace.frame_key(clustered, "overview") != key


def test_geometry_files_are_named_by_their_content_and_cut_per_province(configured) -> None:
    names, where = shapes.files_for("tambon", "high", ["300101", "300102", "100101"])
    assert [n.split("/")[2].split(".")[0] for n in names] == ["30", "10"]
    held = [*shapes.file_codes("tambon", "high", "30"), *shapes.file_codes("tambon", "high", "10")]
    assert [held[i] for i in where] == ["300101", "300102", "100101"]
    everything, none = shapes.files_for(
        "province", "low", list(shapes.file_codes("province", "low", "all"))
    )
    assert none is None and len(everything) == 1
    data = json.loads(shapes.file_for(names[0]))
    assert data["c"][0].startswith("30") and len(data["g"]) == len(data["c"])
    assert data["n"]["th"][data["c"].index("300101")].startswith("ต.")
    # another hash, another layer, a path out of the folder: no file
    level, detail, _leaf = names[0].split("/")
    assert shapes.file_for(f"{level}/{detail}/30.0000000000000000.json") is None
    assert shapes.file_for("tambon/huge/30.x.json") is None
    assert shapes.file_for("region@1999/low/all.x.json") is None  # no table starts in 1999
    assert shapes.file_for("../../etc/passwd") is None


def _get(app, path: str, encoding: str) -> tuple[int, dict[str, str], bytes]:
    scope = {
        "type": "http",
        "method": "GET",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "headers": [(b"accept-encoding", encoding.encode())],
    }
    sent = asgi_call(app, scope)
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    headers = {k.decode(): v.decode() for k, v in start["headers"]}
    return start["status"], headers, body


def test_the_server_gives_files_to_keep_compressed_and_refuses_others(configured) -> None:
    app = Starlette(routes=geo_routes.routes())
    (name,) = shapes.files_for("province", "low", ["10"])[0]
    status, headers, body = _get(app, f"/_geo/{name}", "gzip, deflate")
    assert status == 200
    assert headers["cache-control"] == geo_routes.IMMUTABLE
    assert headers["content-encoding"] == "gzip"
    assert gzip.decompress(body) == shapes.file_for(name)
    assert len(body) < len(shapes.file_for(name))
    status, headers, body = _get(app, f"/_geo/{name}", "identity")
    assert status == 200 and "content-encoding" not in headers
    assert json.loads(body)["c"][:1] == ["10"]
    for bad in ("province/low/all.0123456789abcdef.json", "province/low/../../secret", "x"):
        status, _, body = _get(app, f"/_geo/{bad}", "gzip")
        assert status == 404 and b"No such boundary file" in body
