"""Boundaries as the browser gets them: each layer's rings encoded once per process, the
areas' names, and the geometry files a map loads by URL.

A map's figures change with every filter; its boundaries do not. So the rings and names of a
layer are served as files whose URL carries a hash of their content (``geo_file``, served by
``codi_geo.ui.geo_routes``): the browser keeps them, and a filter change sends only which
areas to draw, their styles and their figures (``layers.PolygonLayer``). District and tambon
files past the coarse tier are cut per province, so a province's map does not load the
country's tambons at full detail.
"""

from __future__ import annotations

import hashlib
import html
import json
from collections.abc import Sequence
from functools import cache, lru_cache
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from codi_geo.maps.layers import encode_geometry
from codi_geo.places import gazetteer
from codi_geo.places.boundaries import DETAILS, load_layer
from codi_geo.settings import on_clear


@lru_cache(maxsize=8)
def region_frame(
    detail: str = "low", cache_dir: Path | None = None, fiscal_year: int | None = None
) -> gpd.GeoDataFrame:
    """CODI's five regions as polygons (provinces dissolved, edges shared) as CODI grouped
    the provinces in ``fiscal_year`` (None: today's table), once per process. Columns: code
    (region id), name_th, name_en, region, geometry."""
    provinces = load_layer("province", detail, cache_dir)
    grouped = provinces["code"].map(gazetteer.province_regions(fiscal_year))
    rows = []
    for region in gazetteer.CODI_REGIONS:
        parts = provinces.geometry.values[(grouped == region.id).to_numpy()]
        rows.append(
            (
                region.id,
                region.name.th,
                region.name.en,
                region.id,
                shapely.coverage_union_all(parts),
            )
        )
    frame = pd.DataFrame(rows, columns=["code", "name_th", "name_en", "region", "geometry"])
    return gpd.GeoDataFrame(frame, geometry="geometry", crs="EPSG:4326")


def region_level(fiscal_year: int | None = None) -> str:
    """The layer name of CODI's regions in ``fiscal_year``: ``region`` for today's table,
    ``region@<first year>`` for an earlier one (their polygons differ, their ids do not)."""
    if gazetteer.is_current_regions(fiscal_year):
        return "region"
    return f"region@{gazetteer.region_period(fiscal_year)[0]}"


def _level_frame(level: str, detail: str, cache_dir: Path | None) -> gpd.GeoDataFrame:
    if level == "region":
        return region_frame(detail, cache_dir)
    if level.startswith("region@"):
        return region_frame(detail, cache_dir, int(level.partition("@")[2]))
    return load_layer(level, detail, cache_dir)


# Decimals sent to the browser per detail tier. The coarse tier is drawn for the whole
# country (a pixel is 2 km) and simplified at 2 km: 3 decimals (about 110 m) lose nothing
# visible and halve its bytes and vertices. Neighbours round a shared vertex alike, so no
# gaps open.
WEB_DECIMALS = {"low": 3}


def web_decimals(detail: str) -> int:
    return WEB_DECIMALS.get(detail) or DETAILS[detail].decimals or 6


@lru_cache(maxsize=32)
def encoded_layer(level: str, detail: str, cache_dir: Path | None) -> dict[str, list]:
    """Encoded rings of every polygon of a layer, computed once per process."""
    layer = _level_frame(level, detail, cache_dir)
    decimals = web_decimals(detail)
    return {
        code: encode_geometry(geometry, decimals)
        for code, geometry in zip(layer["code"], layer.geometry.values, strict=True)
    }


def warm_layer(level: str, detail: str, cache_dir: Path | None = None) -> int:
    """Load and encode a layer now, as the first map that draws it would (once per process);
    the number of its areas."""
    return len(encoded_layer(level, detail, cache_dir))


_PREFIX_TH = {"tambon": "ต.", "district": "อ.", "province": "จ."}


# Asked for every area of a map on each filter change (7,425 tambons); the gazetteer does
# not change while the process runs.
@cache
def short_name(code: str, lang: str) -> str:
    """``ต.ตลาด`` / ``Talat``: an area's own name with its Thai level prefix (Bangkok's
    แขวง/เขต as written)."""
    name = gazetteer.name_of(code, lang) or gazetteer.name_of(code, "th") or code
    if lang == "en":
        return name
    level = gazetteer.level_of_code(code)
    if code.startswith("10") and level == "tambon":
        return "แขวง" + name
    if level == "district" and name.startswith("เขต"):
        return name
    return _PREFIX_TH[level] + name if level != "province" or name != "กรุงเทพมหานคร" else name


def _region_name(code: str, lang: str) -> str:
    region = gazetteer.REGION_BY_ID.get(code)
    return region.name.get(lang) if region else code


@cache
def parents_of(code: str, lang: str) -> str | None:
    if len(code) <= 2:
        return None
    parts = [short_name(code[:n], lang) for n in (4, 2) if n < len(code)]
    return (" " if lang == "th" else ", ").join(parts)


# ---------------------------------------------------------------------------------------
# Geometry files
# ---------------------------------------------------------------------------------------

# Layers cut per province past the coarse tier (a province's tambons at high detail are
# 20-60 KB; the country's 1.2 MB).
PER_PROVINCE = frozenset({"district", "tambon"})
LANGS = ("th", "en")
URL_PREFIX = "_geo"


def chunk_of(level: str, detail: str, code: str) -> str:
    """The file holding area ``code`` of ``level`` at ``detail``: its province, or ``all``."""
    return code[:2] if level in PER_PROVINCE and detail != "low" else "all"


def area_name(code: str, lang: str) -> str:
    """An area's name as its tooltip titles it: ``ต.ตลาด``, or a CODI region's name."""
    return short_name(code, lang) if gazetteer.is_current(code) else _region_name(code, lang)


def area_parents(code: str, lang: str) -> str:
    """The district and province under an area's name in its tooltip ("" for none)."""
    return (parents_of(code, lang) or "") if gazetteer.is_current(code) else ""


@lru_cache(maxsize=256)
def file_codes(
    level: str, detail: str, chunk: str, cache_dir: Path | None = None
) -> tuple[str, ...]:
    """The areas of a geometry file, in its order."""
    encoded = encoded_layer(level, detail, cache_dir)
    codes = tuple(c for c in encoded if chunk == "all" or c[:2] == chunk)
    if not codes:
        raise KeyError(f"no {level} areas in {chunk!r}")
    return codes


@lru_cache(maxsize=256)
def geo_file(
    level: str, detail: str, chunk: str, cache_dir: Path | None = None
) -> tuple[bytes, str]:
    """The geometry file of ``level`` at ``detail`` for ``chunk`` (a province code or
    ``all``) and the hash that names it: JSON ``{f: decimals, c: codes, g: encoded parts per
    area, n: {lang: names}, p: {lang: parents}}``. Built once per process."""
    encoded = encoded_layer(level, detail, cache_dir)
    codes = file_codes(level, detail, chunk, cache_dir)
    body = {
        "f": web_decimals(detail),
        "c": codes,
        "g": [encoded[c] for c in codes],
        "n": {lang: [html.escape(area_name(c, lang)) for c in codes] for lang in LANGS},
        "p": {lang: [html.escape(area_parents(c, lang)) for c in codes] for lang in LANGS},
    }
    data = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return data, hashlib.sha256(data).hexdigest()[:16]


def geo_name(level: str, detail: str, chunk: str, cache_dir: Path | None = None) -> str:
    """``<level>/<detail>/<chunk>.<hash>.json``: the file's path below ``URL_PREFIX``."""
    return f"{level}/{detail}/{chunk}.{geo_file(level, detail, chunk, cache_dir)[1]}.json"


def files_for(
    level: str, detail: str, codes: Sequence[str], cache_dir: Path | None = None
) -> tuple[list[str], list[int] | None]:
    """The geometry files that hold ``codes`` (``geo_name``s, in the order of their first
    area) and where each code is among those files' areas taken in order (None when the
    codes are all of them, in that order)."""
    chunks = list(dict.fromkeys(chunk_of(level, detail, c) for c in codes))
    held: list[str] = []
    for chunk in chunks:
        held.extend(file_codes(level, detail, chunk, cache_dir))
    names = [geo_name(level, detail, chunk, cache_dir) for chunk in chunks]
    if list(codes) == held:
        return names, None
    where = {code: i for i, code in enumerate(held)}
    return names, [where[c] for c in codes]


def file_for(path: str) -> bytes | None:
    """The content of a ``geo_name`` path, or None when it names no current file (an
    unknown layer or detail, a hash of another build)."""
    parts = path.split("/")
    if len(parts) != 3 or not parts[2].endswith(".json"):
        return None
    level, detail, leaf = parts
    chunk, _, digest = leaf[: -len(".json")].partition(".")
    if detail not in DETAILS or not _known_level(level):
        return None
    try:
        data, version = geo_file(level, detail, chunk)
    except (KeyError, ValueError, OSError):
        return None
    return data if version == digest else None


def _known_level(level: str) -> bool:
    """A layer a map can draw: an administrative level, or CODI's regions as one of the
    region table's periods named them (``region_level``); not any year a request makes up,
    whose regions would be dissolved anew for it."""
    if level in ("province", "district", "tambon", "region"):
        return True
    head, _, year = level.partition("@")
    return head == "region" and year.isdigit() and region_level(int(year)) == level


# Keyed on ``cache_dir=None`` for "the configured cache": forgotten with the settings.
for _cached in (region_frame, encoded_layer, file_codes, geo_file):
    on_clear(_cached.cache_clear)
