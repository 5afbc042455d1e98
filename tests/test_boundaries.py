"""The boundary cache built from the real OCHA archive: counts, reconciliation, topology."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest
import shapely

from codi_geo.places import boundaries
from codi_geo.places.boundaries import DETAILS, BoundaryError, dopa_code, load_layer, locate_points
from tests.helpers import PROJECT_DIR, boundary_source


def test_counts_match_the_issue(manifest: dict) -> None:
    assert manifest["counts"] == {"province": 77, "district": 928, "tambon": 7425}


def test_every_level_and_detail_is_cached(boundary_cache: Path) -> None:
    for level, expected in (("province", 77), ("district", 928), ("tambon", 7425)):
        for detail in DETAILS:
            layer = load_layer(level, detail, boundary_cache)
            assert len(layer) == expected, (level, detail)
            assert layer["code"].is_unique
            assert layer.crs.to_epsg() == 4326


def test_pcodes_become_dopa_codes() -> None:
    assert dopa_code("TH100101") == "100101"
    assert dopa_code(" th84 ") == "84"
    assert dopa_code("100101") == "100101"


def test_thai_names_come_whole_from_the_gazetteer(boundary_cache: Path, manifest: dict) -> None:
    tambons = load_layer("tambon", "low", boundary_cache).set_index("code")
    # Cut to นิคมสร้างตนเองลำ in the DBF; the gazetteer has the whole name.
    lam_dom_noi = tambons[tambons["name_th"].str.startswith("นิคมสร้างตนเองลำ")]
    assert "นิคมสร้างตนเองลำโดมน้อย" in set(lam_dom_noi["name_th"])
    assert tambons.at["100101", "name_th"] == "พระบรมมหาราชวัง"
    assert manifest["reconciliation"]["names_cut_in_source"] > 0
    provinces = load_layer("province", "low", boundary_cache).set_index("code")
    assert provinces.at["84", "name_th"] == "สุราษฎร์ธานี"
    assert provinces["region"].notna().all()


def test_reconciliation_reports_every_gazetteer_gap(manifest: dict) -> None:
    report = manifest["reconciliation"]
    gaps = {g["code"]: g for g in report["dopa_codes_without_polygon"]}
    assert len(gaps) == 14  # as the archive's README states
    assert gaps["104702"]["covered_by"] == "104701"
    assert gaps["530407"]["renumbered_from"] == "530306"
    assert gaps["101406"]["covered_by"] is None
    retired = {r["source_pcode"]: r for r in report["polygons_with_retired_codes"]}
    assert set(retired) == {"TH104701", "TH105001", "TH530306"}
    assert retired["TH530306"]["status"] == "renumbered"
    assert retired["TH530306"]["code_used"] == "530407"
    assert retired["TH105001"]["successors"] == ["105002", "105003", "105004", "105005"]
    # Tha Faek moved from Tha Pla (5303) to Nam Pat (5304): it dissolves into its new district.
    moved = {m["code"]: m for m in report["polygons_in_another_district_now"]}
    assert moved["530407"] == {"code": "530407", "source_district": "5303", "dopa_district": "5304"}


def test_manifest_records_source_and_tolerances(manifest: dict) -> None:
    assert manifest["source"]["sha256"] == (
        "40390e8e218206fca3b8f98e8f8fceddb09dea82fe075555172b7ef52275f30d"
    )
    assert manifest["source"]["verified_as"]
    assert manifest["built_at"]
    for level in ("province", "district", "tambon"):
        low, full = manifest["layers"][f"{level}/low"], manifest["layers"][f"{level}/full"]
        assert low["tolerance_degrees"] == DETAILS["low"].tolerance
        assert low["vertices"] < full["vertices"] / 3
        assert low["decimals"] is not None


@pytest.mark.parametrize("level", ["province", "district", "tambon"])
@pytest.mark.parametrize("detail", ["high", "medium", "low"])
def test_simplified_neighbours_neither_overlap_nor_leave_gaps(
    boundary_cache: Path, level: str, detail: str
) -> None:
    geometries = load_layer(level, detail, boundary_cache).geometry.values
    full = load_layer(level, "full", boundary_cache).geometry.values
    assert shapely.is_valid(geometries).all()
    assert not shapely.is_empty(geometries).any()
    # Edge-matched and no overlaps.
    assert shapely.coverage_is_valid(geometries)
    # No new slivers narrower than ~50 m between neighbours (the source itself has one).
    assert _polygons_beside_narrow_gaps(geometries) <= _polygons_beside_narrow_gaps(full)
    union = shapely.coverage_union_all(geometries)
    # No overlaps: the parts add up to the whole.
    assert abs(shapely.area(geometries).sum() - union.area) < 1e-9 * union.area
    # No gaps: the union has no hole that the source did not have.
    assert _interior_rings(union) == _interior_rings(shapely.coverage_union_all(full))
    # Coordinates are rounded to the tier's decimals.
    coordinates = shapely.get_coordinates(geometries)
    decimals = json.loads((boundary_cache / "manifest.json").read_text())["layers"][
        f"{level}/{detail}"
    ]["decimals"]
    assert np.allclose(coordinates, np.round(coordinates, decimals), atol=1e-12)


def _polygons_beside_narrow_gaps(geometries: np.ndarray) -> int:
    edges = shapely.coverage_invalid_edges(geometries, gap_width=0.0005)
    return int((~shapely.is_empty(edges)).sum())


def _interior_rings(geometry: shapely.Geometry) -> int:
    parts = shapely.get_parts(geometry)
    return int(shapely.get_num_interior_rings(parts).sum())


def test_layers_load_once_per_process(boundary_cache: Path) -> None:
    first = load_layer("tambon", "low", boundary_cache)
    assert load_layer("tambon", "low", boundary_cache) is first


def test_locate_points_places_points_in_their_tambon(boundary_cache: Path) -> None:
    tambons = load_layer("tambon", "full", boundary_cache)
    sample = tambons.sample(200, random_state=7)
    inside = shapely.point_on_surface(sample.geometry.values)
    found = locate_points(shapely.get_x(inside), shapely.get_y(inside), boundary_cache)
    assert list(found) == list(sample["code"])
    # Gulf of Thailand and Yangon are in no tambon.
    assert list(locate_points([101.0, 96.15], [11.0, 16.8], boundary_cache)) == [None, None]


def test_missing_source_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(BoundaryError, match="not found"):
        boundaries.build_cache(str(tmp_path / "nope.zip"), tmp_path / "cache")


def test_archive_without_pcodes_is_refused(tmp_path: Path) -> None:
    geojson = tmp_path / "wrong.geojson"
    geojson.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"name": "x"},
                        "geometry": {"type": "Point", "coordinates": [100, 13]},
                    }
                ],
            }
        )
    )
    with pytest.raises(BoundaryError, match="ADM3_PCODE"):
        boundaries.build_cache(str(geojson), tmp_path / "cache")
    assert not (tmp_path / "cache" / "manifest.json").exists()


@pytest.mark.archive  # reads the archive itself, not through the fixtures
def test_official_multi_layer_archive_layout_is_read(tmp_path: Path) -> None:
    """OCHA's official download holds ADM0-ADM3 shapefiles; the ADM3 one must be picked."""
    nested = tmp_path / "tha_adm_rtsd_itos_20210121_shp.zip"
    with zipfile.ZipFile(boundary_source()) as src, zipfile.ZipFile(nested, "w") as dst:
        for name in src.namelist():
            dst.writestr(name, src.read(name))
            dst.writestr(name.replace("adm3", "adm1"), src.read(name))
    frame = boundaries.read_tambon_archive(nested)
    assert len(frame) == 7425
    assert "date" not in frame.columns  # timestamp columns are dropped


def test_cli_offline_without_source_says_what_to_set(tmp_path: Path) -> None:
    env = {
        "PATH": "/usr/bin:/bin",
        "CODI_GEO_DATA_DIR": str(tmp_path),
        # An unroutable proxy makes the download fail fast, as it would offline.
        "https_proxy": "http://127.0.0.1:9",
        "HTTPS_PROXY": "http://127.0.0.1:9",
    }
    result = subprocess.run(
        [sys.executable, "-m", "codi_geo", "boundaries", "build", "--cache-dir", str(tmp_path)],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1  # the download failed; 2 is for wrong usage only
    assert "Traceback" not in result.stderr
    assert "CODI_GEO_BOUNDARY_SOURCE" in result.stderr
    assert "ดาวน์โหลด" in result.stderr
