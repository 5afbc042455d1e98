"""Pinpoints at scale, counted in SQL: a map never gets one marker per stored row.

A map of 100,000 disaster pinpoints asks three questions of the store, each one query that
works the same on SQLite and PostgreSQL:

* ``grid_counts``: how many pins fall in each cell of a square degree grid (cell index
  ``floor((lon + 180) / size)``, ``floor((lat + 90) / size)``) inside a bounding box, with
  the mean position of each cell's pins (a bubble sits where its pins are, not at the cell
  corner) and how many of each category;
* ``pins_in_bbox``: the pins themselves (id, position, category, tambon code, nothing
  else) once a view holds few enough to draw, about 2,000;
* ``pin_detail``: one pin's name, place, figures and source, fetched when it is clicked.

Rows stored without coordinates (a COPIN row that names only its tambon) are counted by
their area code (``unplaced_counts``); ``codi_geo.maps.pins`` places them at a point inside
their area, as ``maps.markers.pin_rows`` does, so the figures add up to the stored rows.

Filters (``PinFilter``) are the page's: programme, fiscal year, quarter, categories, the
area ``within`` (CODI region, province, district or tambon), public/demo rows, and the
community pins the viewer sees exactly.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
import sqlalchemy as sa

from codi_geo.places import gazetteer
from codi_geo.results.exact import Exact, exact_conditions
from codi_geo.results.schema import results_table

# A view with at most this many pins gets the pins themselves; more are counted per cell.
PIN_LIMIT = 2000
# Bounding boxes are (south, west, north, east) in degrees.
BBox = tuple[float, float, float, float]
NO_CATEGORY = ""  # the category key of pins without one


def ticked_kinds(ticked: Sequence[str], offered: Sequence[str]) -> tuple[str, ...] | None:
    """A ``PinFilter``'s categories for a page that offers the kinds ``offered`` (those its
    rows have) with ``ticked`` of them chosen: every pin when it offers none (None), else the
    ticked kinds and the pins without one. One rule for the page and the warm-up that fills
    its cache before the first visit."""
    return (*ticked, NO_CATEGORY) if offered else None


@dataclass(frozen=True)
class PinFilter:
    """Which stored rows a map shows. ``quarter``: rows of that quarter and rows of the whole
    year (no quarter), as the pages cut a period (``figures.filter_period``). ``categories``:
    None for all; a row without a category is kept when ``NO_CATEGORY`` is among them (or all
    are shown). ``within``: a CODI region id (as CODI grouped provinces in ``fiscal_year``) or
    a 2/4/6-digit DOPA code. ``places_only``: only rows that stand for a place of their own,
    with a name or coordinates (a housing community or project), not an area's total."""

    programme: str
    fiscal_year: int | None = None
    quarter: int | None = None
    categories: tuple[str, ...] | None = None
    within: str | None = None
    public_only: bool = False
    places_only: bool = False
    # The provinces whose community pins the viewer sees exactly (``results.exact``; None:
    # every row). A map draws only what its viewer sees exactly: the other community pins
    # are neither drawn, counted in cells nor opened, only counted per tambon in the
    # page's frames.
    exact: Exact = None


def _conditions(pins: PinFilter) -> list[Any]:
    r = results_table.c
    found: list[Any] = [r.programme == pins.programme, r.active, *exact_conditions(pins.exact)]
    if pins.fiscal_year is not None:
        found.append(r.fiscal_year == pins.fiscal_year)
    if pins.quarter is not None:
        found.append(sa.or_(r.quarter == pins.quarter, r.quarter.is_(None)))
    if pins.public_only:
        found += [r.visibility == "public", sa.not_(r.is_demo)]
    else:
        found.append(sa.not_(r.is_demo))
    if pins.places_only:
        found.append(sa.or_(r.name.is_not(None), r.latitude.is_not(None)))
    if pins.categories is not None:
        named = [c for c in pins.categories if c != NO_CATEGORY]
        either = [r.category.in_(named)] if named else []
        if NO_CATEGORY in pins.categories:
            either.append(r.category.is_(None))
        found.append(sa.or_(*either) if either else sa.false())
    if pins.within:
        if pins.within in gazetteer.REGION_BY_ID:
            regions = gazetteer.province_regions(pins.fiscal_year)
            provinces = sorted(p for p, region in regions.items() if region == pins.within)
            found.append(sa.func.substr(r.code, 1, 2).in_(provinces))
        else:
            # A DOPA code is a prefix of the codes inside it (a tambon's code starts with its
            # district's and its province's).
            found.append(r.code.like(f"{pins.within}%"))
    return found


def _located(bbox: BBox | None) -> list[Any]:
    r = results_table.c
    found: list[Any] = [r.latitude.is_not(None), r.longitude.is_not(None)]
    if bbox is not None:
        south, west, north, east = (float(v) for v in bbox)
        found += [r.latitude.between(south, north), r.longitude.between(west, east)]
    return found


def _floor(expression: Any, dialect: str) -> Any:
    # PostgreSQL rounds a float cast to integer; SQLite truncates and may lack floor()
    # (only with SQLITE_ENABLE_MATH_FUNCTIONS). The shifted values are never negative, so
    # truncation is floor there.
    if dialect == "sqlite":
        return sa.cast(expression, sa.Integer)
    return sa.cast(sa.func.floor(expression), sa.Integer)


def cell_size(zoom: float, cells_per_tile: int = 4) -> float:
    """The grid's cell size in degrees at map ``zoom``: ``cells_per_tile`` cells across a
    256-pixel tile (4: a cell is about 64 pixels wide). Sizes halve per zoom level, so the
    cells of a finer grid nest in the coarser ones."""
    level = max(0, min(30, int(zoom)))
    return 360.0 / (2**level * cells_per_tile)


def grid_counts(
    engine: sa.Engine, pins: PinFilter, size: float, bbox: BBox | None = None
) -> pd.DataFrame:
    """Located pins per grid cell of ``size`` degrees inside ``bbox``, one query: columns
    ``gx``, ``gy`` (cell indices), ``category`` (``NO_CATEGORY`` for none), ``n`` and
    ``lat_sum``, ``lon_sum`` (for the mean position of a cell's pins), a row per cell and
    category (``cells`` adds them up per cell)."""
    r = results_table.c
    dialect = engine.dialect.name
    gx = _floor((r.longitude + 180.0) / size, dialect).label("gx")
    gy = _floor((r.latitude + 90.0) / size, dialect).label("gy")
    query = (
        sa.select(
            gx,
            gy,
            r.category,
            sa.func.count().label("n"),
            sa.func.sum(r.latitude).label("lat_sum"),
            sa.func.sum(r.longitude).label("lon_sum"),
        )
        .where(*_conditions(pins), *_located(bbox))
        .group_by(gx, gy, r.category)
    )
    with engine.connect() as connection:
        found = connection.execute(query).all()
    frame = pd.DataFrame(found, columns=["gx", "gy", "category", "n", "lat_sum", "lon_sum"])
    frame["category"] = frame["category"].fillna(NO_CATEGORY)
    frame["n"] = frame["n"].astype("int64")
    return frame


def cells(parts: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """Rows of ``grid_counts`` shape (several sources) added up per cell: ``gx``, ``gy``,
    ``latitude``, ``longitude`` (the mean of the cell's pins), ``n``, and one count column
    per category named ``k:<category>``."""
    used = [p for p in parts if not p.empty]
    if not used:
        return pd.DataFrame(columns=["gx", "gy", "latitude", "longitude", "n"])
    both = pd.concat(used, ignore_index=True)
    per_cell = both.groupby(["gx", "gy"], sort=True)[["n", "lat_sum", "lon_sum"]].sum()
    kinds = both.pivot_table(
        index=["gx", "gy"], columns="category", values="n", aggfunc="sum", fill_value=0
    )
    kinds.columns = [f"k:{c}" for c in kinds.columns]
    out = per_cell.join(kinds)
    out["latitude"] = out["lat_sum"] / out["n"]
    out["longitude"] = out["lon_sum"] / out["n"]
    out = out.drop(columns=["lat_sum", "lon_sum"]).reset_index()
    return out.astype({c: "int64" for c in out.columns if c == "n" or c.startswith("k:")})


def count_located(engine: sa.Engine, pins: PinFilter, bbox: BBox | None = None) -> tuple[int, int]:
    """How many located pins the filter has, and how many of them lie in ``bbox`` (one
    query)."""
    inside = sa.true() if bbox is None else sa.and_(*_located(bbox))
    query = sa.select(
        sa.func.count(), sa.func.coalesce(sa.func.sum(sa.case((inside, 1), else_=0)), 0)
    ).where(*_conditions(pins), *_located(None))
    with engine.connect() as connection:
        total, in_view = connection.execute(query).one()
    return int(total), int(in_view)


def unplaced_counts(engine: sa.Engine, pins: PinFilter) -> pd.DataFrame:
    """Rows without coordinates, counted per area code and category: ``code``,
    ``category`` (``NO_CATEGORY`` for none), ``n``. Rows without a code are counted under
    an empty code (they have no place on a map)."""
    r = results_table.c
    query = (
        sa.select(r.code, r.category, sa.func.count().label("n"))
        .where(*_conditions(pins), sa.or_(r.latitude.is_(None), r.longitude.is_(None)))
        .group_by(r.code, r.category)
    )
    with engine.connect() as connection:
        found = connection.execute(query).all()
    frame = pd.DataFrame(found, columns=["code", "category", "n"])
    frame["code"] = frame["code"].fillna("")
    frame["category"] = frame["category"].fillna(NO_CATEGORY)
    frame["n"] = frame["n"].astype("int64")
    return frame


def pins_in_bbox(
    engine: sa.Engine, pins: PinFilter, bbox: BBox | None, limit: int = PIN_LIMIT
) -> pd.DataFrame | None:
    """The located pins inside ``bbox`` (``id``, ``latitude``, ``longitude``, ``category``,
    ``code``), or None when there are more than ``limit`` (the caller counts them per cell
    instead). One query: it asks for ``limit + 1`` rows."""
    r = results_table.c
    query = (
        sa.select(r.id, r.latitude, r.longitude, r.category, r.code)
        .where(*_conditions(pins), *_located(bbox))
        .order_by(r.id)
        .limit(limit + 1)
    )
    with engine.connect() as connection:
        found = connection.execute(query).all()
    if len(found) > limit:
        return None
    return pd.DataFrame(found, columns=["id", "latitude", "longitude", "category", "code"])


def unplaced_rows(
    engine: sa.Engine, pins: PinFilter, codes: Sequence[str], limit: int = PIN_LIMIT
) -> pd.DataFrame:
    """Rows without coordinates whose area code is one of ``codes`` (``id``, ``category``,
    ``code``), at most ``limit``."""
    r = results_table.c
    if not codes:
        return pd.DataFrame(columns=["id", "category", "code"])
    query = (
        sa.select(r.id, r.category, r.code)
        .where(
            *_conditions(pins),
            sa.or_(r.latitude.is_(None), r.longitude.is_(None)),
            r.code.in_(sorted(set(codes))),
        )
        .order_by(r.id)
        .limit(limit)
    )
    with engine.connect() as connection:
        found = connection.execute(query).all()
    return pd.DataFrame(found, columns=["id", "category", "code"])


def counts_by_code(engine: sa.Engine, pins: PinFilter, length: int = 6) -> pd.Series:
    """How many rows per area of code ``length`` (6: tambon), largest first; rows without a
    code that long are left out."""
    r = results_table.c
    area = sa.func.substr(r.code, 1, length).label("area")
    query = (
        sa.select(area, sa.func.count().label("n"))
        .where(*_conditions(pins), sa.func.length(r.code) >= length)
        .group_by(area)
    )
    with engine.connect() as connection:
        found = connection.execute(query).all()
    series = pd.Series({code: int(n) for code, n in found}, dtype="int64")
    return series.sort_values(ascending=False, kind="stable")


def pin_detail(engine: sa.Engine, pins: PinFilter, pin_id: int) -> dict[str, Any] | None:
    """One pin as a user sees it when clicking it (None when it is not among the filtered
    rows: an id from another page or a stale click): id, position, code, category, name,
    place text, metrics, quarter, source and note."""
    r = results_table.c
    query = sa.select(
        r.id,
        r.latitude,
        r.longitude,
        r.code,
        r.category,
        r.name,
        r.place_text,
        r.metrics,
        r.quarter,
        r.fiscal_year,
        r.source_doc,
        r.source_line,
        r.note,
    ).where(*_conditions(pins), r.id == int(pin_id))
    with engine.connect() as connection:
        row = connection.execute(query).mappings().first()
    if row is None:
        return None
    found = dict(row)
    if isinstance(found["metrics"], str):
        found["metrics"] = json.loads(found["metrics"])
    return found
