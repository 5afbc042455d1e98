"""Boundary cache: turn an ADM3 (tambon) archive into web-ready province / district / tambon
layers keyed by DOPA codes, and load them once per process.

The archive is the shape authority; the gazetteer (geothai) is the name authority. All
I/O is at the edges (``resolve_source``, ``read_tambon_archive``, ``write_cache``,
``load_layer``); the steps between are pure functions on GeoDataFrames.
"""

from __future__ import annotations

import hashlib
import json
import math
import shutil
import sys
import time
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import geopandas as gpd
import geothai
import numpy as np
import pandas as pd
import pyogrio
import shapely

from codi_geo.errors import CodiGeoError
from codi_geo.places import gazetteer
from codi_geo.places.gazetteer import Level
from codi_geo.places.sources import KNOWN_ARCHIVE_SHA256, OCHA_ARCHIVE_URL
from codi_geo.settings import VARIABLE_OF, get_settings, on_clear

BOUNDARY_SOURCE_ENV = VARIABLE_OF["boundary_source"]

MANIFEST_NAME = "manifest.json"
CACHE_FORMAT_VERSION = 1


@dataclass(frozen=True)
class Detail:
    """One web detail tier: coverage simplification tolerance (degrees, ``None`` = as in the
    source) and the number of decimals coordinates are rounded to."""

    name: str
    tolerance: float | None
    decimals: int | None
    use_th: str


# Tolerances are roughly the square root of the triangle areas removed (Visvalingam-Whyatt):
# 0.02 degrees is about 2 km, fine for a national view of 7,425 tambons; 0.001 degrees is
# about 100 m, for a province or district view.
DETAILS: dict[str, Detail] = {
    "full": Detail("full", None, None, "ตามแหล่งข้อมูล ใช้ระบุตำบลของพิกัด"),
    "high": Detail("high", 0.001, 5, "ละเอียด สำหรับมุมมองจังหวัด/อำเภอ"),
    "medium": Detail("medium", 0.005, 4, "ปานกลาง สำหรับมุมมองภาค"),
    "low": Detail("low", 0.02, 4, "หยาบ สำหรับมุมมองทั้งประเทศ"),
}
MAX_DECIMALS = 7
DOWNLOAD_TIMEOUT_SECONDS = 60  # without a reply for this long, the archive is not coming


class BoundaryError(CodiGeoError):
    """A problem with the boundary source or cache."""


# ---------------------------------------------------------------------------------------
# Source: a local file, a URL, or the official OCHA archive
# ---------------------------------------------------------------------------------------


def resolve_source(source: str | None) -> Path:
    """The local path of the archive to build from: ``source`` (path or URL), else the
    environment variable, else the official OCHA archive (downloaded)."""
    chosen = source or get_settings().boundary_source or OCHA_ARCHIVE_URL
    if chosen.startswith(("http://", "https://")):
        return download(chosen, get_settings().data_dir / "downloads")
    path = Path(chosen).expanduser()
    if not path.exists():
        raise BoundaryError(
            f"ไม่พบไฟล์ขอบเขต {path}",
            f"boundary source not found: {path}. Set --source or {BOUNDARY_SOURCE_ENV} to a "
            f"zipped shapefile, GeoJSON or GeoPackage.",
        )
    return path


def download(url: str, target_dir: Path) -> Path:
    """Download ``url`` into ``target_dir`` with a progress line on stderr."""
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / url.rstrip("/").rsplit("/", 1)[-1]
    partial = target.with_suffix(target.suffix + ".part")
    try:
        with (
            urllib.request.urlopen(url, timeout=DOWNLOAD_TIMEOUT_SECONDS) as response,
            partial.open("wb") as out,
        ):
            total = int(response.headers.get("Content-Length") or 0)
            done = 0
            while chunk := response.read(1 << 20):
                out.write(chunk)
                done += len(chunk)
                shown = f"{done / 1e6:.1f} MB" + (f" / {total / 1e6:.1f} MB" if total else "")
                print(f"\rกำลังดาวน์โหลด / downloading {shown}", end="", file=sys.stderr)
        print(file=sys.stderr)
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        partial.unlink(missing_ok=True)
        raise BoundaryError(
            f"ดาวน์โหลดขอบเขตไม่ได้ ({error})",
            f"cannot download the boundary archive from {url}: {error}. Without internet, set "
            f"--source PATH or {BOUNDARY_SOURCE_ENV}=PATH to a local ADM3 archive (zipped "
            f"shapefile, GeoJSON or GeoPackage).",
        ) from None
    partial.replace(target)
    return target


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _archive_layer_path(path: Path) -> str:
    """The GDAL path of the tambon layer: archives from OCHA hold several shapefiles."""
    if path.suffix.lower() != ".zip":
        return str(path)
    with zipfile.ZipFile(path) as archive:
        shapefiles = [n for n in archive.namelist() if n.lower().endswith(".shp")]
    adm3 = [n for n in shapefiles if "adm3" in n.lower()] or shapefiles
    if not adm3:
        raise BoundaryError(f"ไม่พบ shapefile ในไฟล์ {path.name}", f"no shapefile inside {path.name}")
    return f"/vsizip/{path.resolve()}/{adm3[0]}"


def read_tambon_archive(path: Path) -> gpd.GeoDataFrame:
    """Read the tambon polygons with their P-codes, Thai text decoded as UTF-8.

    The OCHA shapefile has no ``.cpg``; a reader that guesses the encoding gets mojibake.
    Date columns are dropped: they are not needed and JSON encoders choke on them.
    """
    layer_path = _archive_layer_path(path)
    is_shapefile = layer_path.lower().endswith(".shp")
    try:
        frame = pyogrio.read_dataframe(layer_path, encoding="UTF-8" if is_shapefile else None)
    except Exception as error:  # pyogrio raises several types for unreadable inputs
        raise BoundaryError(
            f"อ่านไฟล์ขอบเขตไม่ได้ {path.name}: {error}",
            f"cannot read boundary file {path.name}: {error}",
        ) from None
    required = ["ADM3_PCODE", "ADM2_PCODE", "ADM1_PCODE"]
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise BoundaryError(
            f"ไฟล์ {path.name} ไม่มีคอลัมน์ {', '.join(missing)}",
            f"{path.name} lacks column(s) {', '.join(missing)} "
            f"(found: {', '.join(map(str, frame.columns))})",
        )
    if frame.crs is not None and frame.crs.to_epsg() != 4326:
        frame = frame.to_crs(4326)
    dates = [c for c in frame.columns if pd.api.types.is_datetime64_any_dtype(frame[c])]
    return frame.drop(columns=dates)


def dopa_code(pcode: str) -> str:
    """``TH100101`` -> ``100101``: OCHA P-codes are DOPA codes with a country prefix."""
    code = str(pcode).strip().upper()
    return code[2:] if code.startswith("TH") else code


# ---------------------------------------------------------------------------------------
# Reconciliation with the gazetteer
# ---------------------------------------------------------------------------------------


def reconcile_tambons(source: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, dict[str, Any]]:
    """Key every polygon by a DOPA code and report every difference with the gazetteer.

    A polygon whose code DOPA retired takes its successor's code when there is exactly one;
    with several successors (a tambon split in two) it keeps the retired code and lists
    the successors, which then share its shape. Nothing is dropped.
    """
    current = gazetteer.tambons().set_index("code")
    retired = gazetteer.abolished_areas()
    source_codes = source["ADM3_PCODE"].map(dopa_code)
    rows = []
    retired_report = []
    for index, code in source_codes.items():
        status, polygon_code = "current", code
        successors: tuple[str, ...] = ()
        if code not in current.index:
            gone = retired.get(code)
            successors = gone.successors if gone else ()
            if len(successors) == 1 and successors[0] in current.index:
                status, polygon_code = "renumbered", successors[0]
            elif successors:
                status = "split"
            else:
                status = "unknown"
            retired_report.append(
                {
                    "source_pcode": source.at[index, "ADM3_PCODE"],
                    "name_th_in_source": source.at[index, "ADM3_TH"]
                    if "ADM3_TH" in source
                    else None,
                    "status": status,
                    "code_used": polygon_code,
                    "successors": list(successors),
                    "abolished_on": gone.abolished_on if gone else None,
                    "authority": gone.source if gone else None,
                }
            )
        rows.append((polygon_code, code, status, " ".join(successors)))
    keyed = pd.DataFrame(
        rows, columns=["code", "source_code", "status", "successor_codes"], index=source.index
    )
    duplicated = keyed["code"][keyed["code"].duplicated()].tolist()
    if duplicated:
        raise BoundaryError(
            f"รหัสตำบลซ้ำในไฟล์ขอบเขต {duplicated[:10]}",
            f"duplicate tambon codes in the boundary source: {duplicated[:10]}",
        )

    names = _tambon_names(keyed, current, retired)
    frame = gpd.GeoDataFrame(
        pd.concat([keyed, names], axis=1),
        geometry=source.geometry.values,
        crs="EPSG:4326",
    )
    frame["district_code"] = frame["code"].str[:4]
    frame["province_code"] = frame["code"].str[:2]
    frame["region"] = frame["province_code"].map(gazetteer.province_regions())

    covered: dict[str, str] = {}
    renumbered_from: dict[str, str] = {}
    for polygon_code, source_code, successor_codes in zip(
        frame["code"], frame["source_code"], frame["successor_codes"], strict=False
    ):
        for successor in successor_codes.split():
            covered[successor] = polygon_code
        if polygon_code != source_code:
            renumbered_from[polygon_code] = source_code
    source_code_set = set(frame["source_code"])
    without_polygon = [
        {
            "code": code,
            "name_th": row.name_th,
            "name_en": row.name_en,
            "district_code": row.district_code,
            "resolution": _gap_resolution(code, covered, renumbered_from),
            "covered_by": covered.get(code),
            "renumbered_from": renumbered_from.get(code),
        }
        for code, row in current.iterrows()
        if code not in source_code_set
    ]
    source_district = source["ADM2_PCODE"].map(dopa_code)
    moved = frame.index[frame["district_code"] != source_district]
    report = {
        "gazetteer_tambons": len(current),
        "source_polygons": len(source),
        "dopa_codes_without_polygon": without_polygon,
        "polygons_with_retired_codes": retired_report,
        "polygons_in_another_district_now": [
            {
                "code": frame.at[i, "code"],
                "source_district": source_district[i],
                "dopa_district": frame.at[i, "district_code"],
            }
            for i in moved
        ],
        "names_cut_in_source": int(_count_cut_names(source.get("ADM3_TH"), frame["name_th"])),
        "tambon_polygon_for_code": covered,
    }
    return frame, report


def _gap_resolution(code: str, covered: dict[str, str], renumbered_from: dict[str, str]) -> str:
    if code in renumbered_from:
        return f"takes the polygon of retired code {renumbered_from[code]}"
    if code in covered:
        return f"successor of split tambon {covered[code]}; shares its polygon"
    return "no polygon: created after the source's release; not on the map"


def _tambon_names(
    keyed: pd.DataFrame, current: pd.DataFrame, retired: dict[str, gazetteer.AbolishedArea]
) -> pd.DataFrame:
    name_th, name_en = [], []
    for code in keyed["code"]:
        if code in current.index:
            name_th.append(current.at[code, "name_th"])
            name_en.append(current.at[code, "name_en"])
        else:
            gone = retired.get(code)
            name_th.append(gone.name_th if gone else None)
            name_en.append(None)
    return pd.DataFrame({"name_th": name_th, "name_en": name_en}, index=keyed.index)


def _count_cut_names(source_names: pd.Series | None, gazetteer_names: pd.Series) -> int:
    """Polygons whose Thai name the DBF field width cut short (the gazetteer has it whole)."""
    if source_names is None:
        return 0
    pairs = zip(source_names.fillna(""), gazetteer_names.fillna(""), strict=False)
    return sum(1 for s, g in pairs if s and s != g and g.startswith(s))


# ---------------------------------------------------------------------------------------
# Dissolve and simplify
# ---------------------------------------------------------------------------------------


def dissolve(tambons: gpd.GeoDataFrame, level: Level) -> gpd.GeoDataFrame:
    """Districts or provinces as unions of their tambons (a coverage union: edges match)."""
    key = {"district": "district_code", "province": "province_code"}[level]
    grouped = tambons.groupby(key, sort=True).geometry
    geometries = grouped.apply(lambda g: shapely.coverage_union_all(g.values))
    names = gazetteer.areas(level).set_index("code")
    frame = names.reindex(geometries.index)
    frame.index.name = "code"
    frame = frame.reset_index()
    if level == "district":
        frame["region"] = frame["province_code"].map(gazetteer.province_regions())
    return gpd.GeoDataFrame(frame, geometry=geometries.values, crs="EPSG:4326")


def simplify_coverage(
    geometries: np.ndarray, tolerance: float | None, decimals: int | None
) -> tuple[np.ndarray, int | None]:
    """Coverage-preserving simplification, then rounding.

    Neighbours share their simplified edges, so no gaps or overlaps appear. Rounding every
    vertex the same way keeps shared vertices identical; when it makes a polygon invalid
    (a thin spike collapsing), one more decimal is tried for the whole layer.
    Returns the geometries and the decimals actually used.
    """
    simplified = (
        geometries if tolerance is None else shapely.coverage_simplify(geometries, tolerance)
    )
    if decimals is None:
        return simplified, None
    for used in range(decimals, MAX_DECIMALS + 1):
        rounded = shapely.transform(simplified, lambda xy, d=used: np.round(xy, d))
        if shapely.is_valid(rounded).all() and shapely.coverage_is_valid(rounded):
            return rounded, used
    return simplified, None


def build_layers(
    tambons: gpd.GeoDataFrame,
) -> tuple[dict[tuple[str, str], gpd.GeoDataFrame], dict[str, Any]]:
    """All levels at all detail tiers, and what each tier measured."""
    bases: dict[str, gpd.GeoDataFrame] = {
        "tambon": tambons,
        "district": dissolve(tambons, "district"),
        "province": dissolve(tambons, "province"),
    }
    layers: dict[tuple[str, str], gpd.GeoDataFrame] = {}
    measured: dict[str, Any] = {}
    for level, base in bases.items():
        for detail in DETAILS.values():
            geometries, used = simplify_coverage(
                base.geometry.values, detail.tolerance, detail.decimals
            )
            layer = base.set_geometry(geometries)
            layers[(level, detail.name)] = layer
            measured[f"{level}/{detail.name}"] = {
                "features": len(layer),
                "vertices": int(shapely.get_num_coordinates(geometries).sum()),
                "tolerance_degrees": detail.tolerance,
                "decimals": used,
            }
    return layers, measured


# ---------------------------------------------------------------------------------------
# Build, write, load
# ---------------------------------------------------------------------------------------


def build_cache(
    source: str | None = None, cache_dir: Path | None = None, log=print
) -> dict[str, Any]:
    """Build the whole cache into ``cache_dir`` and return the manifest.

    Files are written to a temporary folder and swapped in at the end, so a failed build
    leaves the previous cache as it was.
    """
    started = time.perf_counter()
    cache_dir = Path(cache_dir or get_settings().boundary_dir)
    path = resolve_source(source)
    digest = sha256_of(path)
    verified = KNOWN_ARCHIVE_SHA256.get(digest)
    trust = f"verified: {verified}" if verified else "UNVERIFIED: not a release we have checked"
    log(f"source: {path} (sha256 {digest[:12]}…, {trust})")
    source_frame = read_tambon_archive(path)
    tambons, report = reconcile_tambons(source_frame)
    layers, measured = build_layers(tambons)
    manifest = {
        "format_version": CACHE_FORMAT_VERSION,
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "build_seconds": None,
        "source": {
            "path": str(source or get_settings().boundary_source or OCHA_ARCHIVE_URL),
            "file_name": path.name,
            "sha256": digest,
            "verified_as": verified,
            "layer": _archive_layer_path(path).rsplit("/", 1)[-1],
        },
        "gazetteer": {"package": "geothai", "data_version": _geothai_version()},
        "counts": {
            "province": len(layers[("province", "full")]),
            "district": len(layers[("district", "full")]),
            "tambon": len(layers[("tambon", "full")]),
        },
        "details": {name: d.use_th for name, d in DETAILS.items()},
        "layers": measured,
        "reconciliation": report,
    }
    manifest["build_seconds"] = round(time.perf_counter() - started, 2)
    write_cache(layers, manifest, cache_dir)
    load_layer.cache_clear()
    load_manifest.cache_clear()
    return manifest


def _geothai_version() -> str:
    return str(geothai.DATA_VERSION)


def layer_file(cache_dir: Path, level: str, detail: str) -> Path:
    return cache_dir / f"{level}_{detail}.parquet"


def write_cache(
    layers: dict[tuple[str, str], gpd.GeoDataFrame], manifest: dict[str, Any], cache_dir: Path
) -> None:
    cache_dir.mkdir(parents=True, exist_ok=True)
    staging = cache_dir / ".building"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    for (level, detail), layer in layers.items():
        layer.to_parquet(layer_file(staging, level, detail), index=False)
    (staging / MANIFEST_NAME).write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    for built in staging.iterdir():
        built.replace(cache_dir / built.name)
    staging.rmdir()


def _missing_cache_error(cache_dir: Path) -> BoundaryError:
    return BoundaryError(
        f"ยังไม่มีข้อมูลขอบเขตใน {cache_dir}",
        f"the boundary cache in {cache_dir} is not built. Run: python -m codi_geo boundaries "
        f"build --source PATH_OR_URL (or set {BOUNDARY_SOURCE_ENV}).",
    )


def _damaged_cache_error(path: Path, error: Exception) -> BoundaryError:
    return BoundaryError(
        f"ข้อมูลขอบเขต {path} เสียหาย อ่านไม่ได้ ({type(error).__name__}) สร้างใหม่ด้วยคำสั่ง "
        f"python -m codi_geo boundaries build",
        f"the boundary cache file {path} is damaged and cannot be read ({error}). Rebuild it: "
        f"python -m codi_geo boundaries build --source PATH_OR_URL (or set "
        f"{BOUNDARY_SOURCE_ENV}).",
    )


@lru_cache(maxsize=8)
def load_manifest(cache_dir: Path | None = None) -> dict[str, Any]:
    cache_dir = Path(cache_dir or get_settings().boundary_dir)
    path = cache_dir / MANIFEST_NAME
    if not path.exists():
        raise _missing_cache_error(cache_dir)
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, OSError) as error:  # JSON, UTF-8 or disk damage
        raise _damaged_cache_error(path, error) from None
    if not isinstance(manifest, dict):
        raise _damaged_cache_error(path, ValueError("not a JSON object"))
    return manifest


@lru_cache(maxsize=32)
def load_layer(
    level: str, detail: str = "medium", cache_dir: Path | None = None
) -> gpd.GeoDataFrame:
    """One layer of the cache, read once per process (callers must not modify it)."""
    if detail not in DETAILS:
        raise ValueError(f"unknown detail {detail!r}; one of {', '.join(DETAILS)}")
    cache_dir = Path(cache_dir or get_settings().boundary_dir)
    path = layer_file(cache_dir, level, detail)
    if not path.exists():
        raise _missing_cache_error(cache_dir)
    try:
        layer = gpd.read_parquet(path)
    except MemoryError:
        raise
    except Exception as error:  # pyarrow and geopandas raise many kinds for a damaged file
        raise _damaged_cache_error(path, error) from None
    if "code" not in layer.columns:
        raise _damaged_cache_error(path, ValueError("no 'code' column"))
    return layer


def is_built(cache_dir: Path | None = None) -> bool:
    return (Path(cache_dir or get_settings().boundary_dir) / MANIFEST_NAME).exists()


@lru_cache(maxsize=4)
def _tambon_index(cache_dir: Path | None) -> tuple[shapely.STRtree, np.ndarray]:
    layer = load_layer("tambon", "full", cache_dir)
    return shapely.STRtree(layer.geometry.values), layer["code"].to_numpy()


# The caches above key on ``cache_dir=None`` for "the configured folder": forget them when
# the settings are cleared, or a test (or a reconfigured process) would read the old folder.
for _cached in (load_manifest, load_layer, _tambon_index):
    on_clear(_cached.cache_clear)


def locate_points(
    lons: np.ndarray | list[float], lats: np.ndarray | list[float], cache_dir: Path | None = None
) -> np.ndarray:
    """The tambon code of each point (None outside every tambon), by point-in-polygon on the
    full-detail shapes. A point on a shared border goes to the lower code, deterministically."""
    tree, codes = _tambon_index(Path(cache_dir) if cache_dir else None)
    points = shapely.points(np.asarray(lons, dtype=float), np.asarray(lats, dtype=float))
    point_index, polygon_index = tree.query(points, predicate="intersects")
    found = np.full(len(points), None, dtype=object)
    hit_codes = codes[polygon_index]
    order = np.lexsort((hit_codes, point_index))
    point_index, hit_codes = point_index[order], hit_codes[order]
    first = np.unique(point_index, return_index=True)[1]
    found[point_index[first]] = hit_codes[first]
    return found


# Metres in a degree of latitude (mean); a degree of longitude is this times cos(latitude).
METRES_PER_DEGREE = 111_320.0


def nearest_tambons(
    lons: np.ndarray | list[float],
    lats: np.ndarray | list[float],
    max_metres: float,
    cache_dir: Path | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """For points outside every tambon (a pin just off the simplified coastline): the code of
    the nearest tambon within ``max_metres`` (None beyond) and the distance in metres (NaN).

    The shapes are in degrees. Candidates are the tambons within a radius in degrees that
    covers ``max_metres`` at the points' latitude (a degree of longitude shrinks with the
    cosine of the latitude, so the radius is ``max_metres / (111,320 × cos(latitude))``,
    taken at the highest latitude, the widest); each candidate's distance is then measured
    in metres on a local equirectangular projection around the point (under 0.5% off at
    these distances in Thailand's latitudes), and the nearest within ``max_metres`` wins,
    the lower code on a tie."""
    lon_array, lat_array = np.asarray(lons, dtype=float), np.asarray(lats, dtype=float)
    found = np.full(len(lon_array), None, dtype=object)
    metres = np.full(len(lon_array), np.nan)
    if not len(lon_array) or max_metres <= 0:
        return found, metres
    tree, codes = _tambon_index(Path(cache_dir) if cache_dir else None)
    widest = math.cos(math.radians(min(float(np.abs(lat_array).max()), 89.0)))
    radius = max_metres / (METRES_PER_DEGREE * widest)
    points = shapely.points(lon_array, lat_array)
    point_index, polygon_index = tree.query(points, predicate="dwithin", distance=radius)
    if not len(point_index):
        return found, metres
    lines = shapely.shortest_line(points[point_index], tree.geometries[polygon_index])
    ends = shapely.get_coordinates(lines).reshape(-1, 2, 2)  # (point, nearest) per pair
    scale = np.cos(np.radians(ends[:, 0, 1]))
    dx = (ends[:, 1, 0] - ends[:, 0, 0]) * scale * METRES_PER_DEGREE
    dy = (ends[:, 1, 1] - ends[:, 0, 1]) * METRES_PER_DEGREE
    distance = np.hypot(dx, dy)
    hit_codes = codes[polygon_index]
    order = np.lexsort((hit_codes, distance, point_index))
    point_index, hit_codes, distance = point_index[order], hit_codes[order], distance[order]
    first = np.unique(point_index, return_index=True)[1]
    keep = first[distance[first] <= max_metres]
    found[point_index[keep]] = hit_codes[keep]
    metres[point_index[keep]] = distance[keep]
    return found, metres
