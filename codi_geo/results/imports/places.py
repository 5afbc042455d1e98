"""Where a row is: a DOPA code, a CODI region, names through the place matcher (each
distinct name once), or coordinates checked to be in Thailand and placed in their tambon
(all of a file's points at once)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from codi_geo.places import gazetteer
from codi_geo.places.matching import match_place
from codi_geo.results.imports.context import Cells, PendingRow, RowContext
from codi_geo.results.imports.mapping import header_key
from codi_geo.results.imports.problems import CellValueError, Issue
from codi_geo.results.imports.values import (
    check_coordinates,
    no_figure,
    parse_coordinate,
    parse_coordinate_pair,
)
from codi_geo.results.records import RESULT_LEVELS
from codi_geo.settings import get_settings
from codi_geo.thai import clean_text

_LEVEL_WORDS = {
    "national": "national",
    "ประเทศ": "national",
    "ทั้งประเทศ": "national",
    "ระดับประเทศ": "national",
    "region": "region",
    "ภาค": "region",
    "province": "province",
    "จังหวัด": "province",
    "district": "district",
    "อำเภอ": "district",
    "เขต": "district",
    "tambon": "tambon",
    "ตำบล": "tambon",
    "แขวง": "tambon",
    "subdistrict": "tambon",
    "point": "point",
    "จุด": "point",
    "พิกัด": "point",
    "หมุด": "point",
}
_REGION_WORDS = {
    "เหนือ": "north",
    "อีสาน": "northeast",
    "ตะวันออกเฉียงเหนือ": "northeast",
    "ใต้": "south",
    "กลาง": "central_west",
    "กลางและตะวันตก": "central_west",
    "ตะวันตก": "central_west",
    "กรุงเทพ": "bangkok_east",
    "กรุงเทพปริมณฑลและตะวันออก": "bangkok_east",
    "กรุงเทพและปริมณฑล": "bangkok_east",
    "ตะวันออก": "bangkok_east",
    "กทม": "bangkok_east",
    "กรุงเทพปริมณฑลตะวันออก": "bangkok_east",
    "กลางตะวันตก": "central_west",
    "กทมตะวันออก": "bangkok_east",
    "กทมปริมณฑลและตะวันออก": "bangkok_east",
}


def region_id(text: str) -> str | None:
    """A CODI region from its id, Thai or English name, or a usual short form."""
    key = header_key(text)
    for region in gazetteer.CODI_REGIONS:
        if key in (header_key(region.id), header_key(region.name.th), header_key(region.name.en)):
            return region.id
    key = key.removeprefix("ภาค")
    return _REGION_WORDS.get(key)


def parse_area_code(text: str, level_text: str = "") -> tuple[str, str | None]:
    """(level, code) from a code cell: a current DOPA code (``TH`` prefix and Thai digits
    allowed) or a CODI region; ``level_text``, if given, must agree."""
    code = re.sub(r"^th", "", clean_text(text).casefold()).strip()
    if re.fullmatch(r"\d+(\.0+)?", code):
        code = code.split(".")[0]
        try:
            level = gazetteer.level_of_code(code)
        except ValueError:
            raise CellValueError("code_digits") from None
        if not gazetteer.is_current(code):
            abolished = gazetteer.abolished_areas().get(code)
            if abolished is not None:
                raise CellValueError(
                    "code_abolished", code=code, successors=", ".join(abolished.successors) or "-"
                )
            raise CellValueError("code_unknown", code=code)
        if level_text and level_text != level:
            raise CellValueError("code_level", level=level_text, code=code, code_level=level)
        return level, code
    region = region_id(text)
    if region is not None:
        return "region", region
    raise CellValueError("code_invalid")


def _candidates(result: Any) -> tuple[str, ...]:
    return tuple(f"{c.code} {c.full_name}" for c in getattr(result, "candidates", ())[:8])


def _match(ctx: RowContext, text: str, province: str, district: str, level: str | None) -> Any:
    key = (text, province, district, level)
    if key not in ctx.match_cache:
        ctx.match_cache[key] = match_place(
            text, province=province or None, district=district or None, level=level
        )
    return ctx.match_cache[key]


def _area_level(level: str) -> str | None:
    """The matcher's level hint from a level column (None: let the matcher decide)."""
    return level if level in gazetteer.LEVELS else None


def _place_text_as_written(cells: Cells) -> str:
    place = cells["place"]
    if place:
        return place
    parts = [cells[name] for name in ("tambon", "district", "province", "region")]
    return ", ".join(p for p in parts if p)


def resolve_place(ctx: RowContext, cells: Cells, pending: PendingRow) -> None:
    """Fill ``pending.values`` level/code/place_text, or add issues; coordinates are left in
    ``pending.point`` for placing all points at once."""
    number, issues = pending.row_number, pending.issues
    values = pending.values
    values["place_text"] = _place_text_as_written(cells) or None
    level_text = ctx.once(header_key, cells["level"])
    if level_text:
        level = _LEVEL_WORDS.get(level_text, level_text)
        if level not in RESULT_LEVELS:
            issues.append(
                Issue.of(
                    "unknown_level", number, ctx.mapping.get("level"), level_text, level=level_text
                )
            )
            return
        level_text = level
    point = _coordinates(ctx, cells, pending)
    if point is not None:
        pending.point = point
        values["level"] = "point"
        pending.expected_province = cells["province"] or None
        pending.expected_code = cells["code"] or None
        return
    if any(_given(cells, name) for name in ("latitude", "longitude", "coordinates")):
        return  # coordinates were given but unusable: already reported
    code_text = cells["code"]
    if code_text:
        try:
            values["level"], values["code"] = parse_area_code(code_text, level_text)
        except CellValueError as problem:
            issues.append(problem.issue(number, ctx.mapping.get("code"), code_text))
        return
    if level_text == "national":
        values["level"], values["code"] = "national", None
        return
    written = values["place_text"] or ""
    if written in ctx.place_codes:
        try:
            values["level"], values["code"] = parse_area_code(ctx.place_codes[written], "")
        except CellValueError as problem:
            issues.append(problem.issue(number, None, ctx.place_codes[written]))
        return
    tambon, district, province = (cells[n] for n in ("tambon", "district", "province"))
    place = cells["place"]
    if level_text == "region":
        _resolve_region(ctx, cells["region"] or place, pending)
        return
    for text, hint, column_field in (
        (tambon, "tambon", "tambon"),
        (district, "district", "district"),
        (province, "province", "province"),
        (place, _area_level(level_text), "place"),
    ):
        if not text:
            continue
        context_district = district if hint == "tambon" or hint is None else ""
        context_province = province if hint != "province" else ""
        result = _match(ctx, text, context_province, context_district, hint)
        column = ctx.mapping.get(column_field)
        if result.status == "matched" and result.code:
            values["code"] = result.code
            values["level"] = result.level or gazetteer.level_of_code(result.code)
        else:
            kind = "place_ambiguous" if result.status == "ambiguous" else "place_unmatched"
            issues.append(
                Issue.of(kind, number, column, written, _candidates(result), place=written)
            )
        return
    region_text = cells["region"]
    if region_text:
        _resolve_region(ctx, region_text, pending)
        return
    if any(issue.kind in ("geometry", "feature") for issue in issues):
        return  # the feature's shape is the problem, already reported
    issues.append(Issue.of("no_place", number))


def _resolve_region(ctx: RowContext, text: str, pending: PendingRow) -> None:
    found = region_id(text)
    if found is not None:
        pending.values["level"], pending.values["code"] = "region", found
        return
    column = ctx.mapping.get("region") or ctx.mapping.get("place")
    pending.issues.append(
        Issue.of(
            "region",
            pending.row_number,
            column,
            text,
            region=text,
            names_th=", ".join(r.name.th for r in gazetteer.CODI_REGIONS),
            names_en=", ".join(gazetteer.REGION_BY_ID),
        )
    )


def coordinate_columns(ctx: RowContext) -> str:
    """How a row's coordinates are named in messages: one column, or both."""
    if "latitude" in ctx.mapping or "longitude" in ctx.mapping:
        return f"{ctx.mapping.get('latitude', '?')}, {ctx.mapping.get('longitude', '?')}"
    return ctx.mapping.get("coordinates", "")


def _given(cells: Cells, name: str) -> str:
    """A coordinate cell's text, "" for an empty cell or a "no figure" mark."""
    text = cells[name]
    return "" if no_figure(text) else text


def _coordinates(ctx: RowContext, cells: Cells, pending: PendingRow) -> tuple[float, float] | None:
    """The row's point (latitude, longitude) checked to be in Thailand, None if it gives
    none; a problem is added to the row's issues (and None returned)."""
    # ``-`` (or another "no figure" mark) in a coordinate cell means no coordinates.
    lat_text, lon_text = _given(cells, "latitude"), _given(cells, "longitude")
    pair_text = _given(cells, "coordinates")
    column = pending.point_column = coordinate_columns(ctx)
    shown = f"{lat_text}, {lon_text}" if (lat_text or lon_text) else pair_text
    try:
        if lat_text or lon_text:
            if not (lat_text and lon_text):
                raise CellValueError("incomplete_coordinates")
            lat, lon = parse_coordinate(lat_text), parse_coordinate(lon_text)
        else:
            pair = parse_coordinate_pair(pair_text)
            if pair is None:
                return None
            lat, lon = pair
        if lat is None or lon is None:  # e.g. ``ไม่มี`` beside a number
            raise CellValueError("incomplete_coordinates")
        lat, lon, swapped = check_coordinates(lat, lon)
    except CellValueError as problem:
        pending.issues.append(problem.issue(pending.row_number, column, shown))
        return None
    if swapped:
        pending.issues.append(
            Issue.of("coordinates_swapped", pending.row_number, column, shown, lat=lat, lon=lon)
        )
    return lat, lon


def place_points(pending: Sequence[PendingRow], ctx: RowContext, boundary_dir: Path | None) -> None:
    """Put every row's point in its tambon (one spatial join for the file); a point in no
    tambon is an error, a tambon or province that disagrees with the given one a warning."""
    with_points = [(p, p.point) for p in pending if p.point is not None and not p.rejected]
    if not with_points:
        return
    # here, not at the top: geopandas (0.4 s, 50 MB) is loaded only for files with points
    from codi_geo.places.boundaries import locate_points, nearest_tambons

    lats = [lat for _, (lat, _lon) in with_points]
    lons = [lon for _, (_lat, lon) in with_points]
    codes = locate_points(lons, lats, cache_dir=boundary_dir)
    # A pin just off the (simplified) coastline, or on a river border, goes to the nearest
    # tambon within the configured distance, with a warning; farther out it is refused.
    outside = [i for i, code in enumerate(codes) if code is None]
    near_codes, near_metres = nearest_tambons(
        [lons[i] for i in outside],
        [lats[i] for i in outside],
        get_settings().near_tambon_metres,
        cache_dir=boundary_dir,
    )
    near = {i: (c, m) for i, c, m in zip(outside, near_codes, near_metres, strict=True)}
    for index, ((item, (lat, lon)), code) in enumerate(zip(with_points, codes, strict=True)):
        if code is None and near[index][0] is not None:
            code, metres = near[index]
            item.issues.append(
                Issue.of(
                    "near_tambon",
                    item.row_number,
                    item.point_column,
                    f"{lat}, {lon}",
                    lat=lat,
                    lon=lon,
                    metres=f"{metres:,.0f}",
                    code=code,
                    name_th=gazetteer.name_of(str(code)) or code,
                    name_en=gazetteer.name_of(str(code), "en") or code,
                    limit=f"{get_settings().near_tambon_metres:,.0f}",
                )
            )
        if code is None:
            item.issues.append(
                Issue.of(
                    "outside_tambons",
                    item.row_number,
                    item.point_column,
                    f"{lat}, {lon}",
                    lat=lat,
                    lon=lon,
                    limit=f"{get_settings().near_tambon_metres:,.0f}",
                )
            )
            continue
        item.values.update(code=str(code), latitude=lat, longitude=lon)
        if item.expected_code and item.expected_code != code:
            item.issues.append(
                Issue.of(
                    "point_code",
                    item.row_number,
                    ctx.mapping.get("code"),
                    item.expected_code,
                    code=code,
                    given=item.expected_code,
                )
            )
        elif item.expected_province:
            _check_point_province(ctx, item, str(code))


def _check_point_province(ctx: RowContext, item: PendingRow, code: str) -> None:
    result = _match(ctx, item.expected_province or "", "", "", "province")
    if result.status == "matched" and result.code and result.code != code[:2]:
        item.issues.append(
            Issue.of(
                "point_elsewhere",
                item.row_number,
                ctx.mapping.get("province"),
                item.expected_province or "",
                province_th=gazetteer.name_of(code[:2]) or code[:2],
                province_en=gazetteer.name_of(code[:2], "en"),
            )
        )
