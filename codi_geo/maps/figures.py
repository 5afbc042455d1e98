"""What the pages compute from stored rows, as pure functions on DataFrames.

Input frames have the shape ``Store.results()`` returns (``programme``, ``fiscal_year``,
``quarter``, ``level``, ``code``, ``category``, ``name``, metric columns, and the area codes
``region``, ``province_code``, ``district_code``, ``tambon_code``) and ``Store.indicators()``
(``indicator_id``, ``name_th``, ``unit_th``, ``target``, ``result``, ``source_doc`` …).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import pandas as pd

from codi_geo.places import gazetteer
from codi_geo.programmes import PROGRAMMES, Programme
from codi_geo.results import frames

ROWS_COLUMN = frames.ROWS_COLUMN


def row_count(rows: pd.DataFrame) -> int:
    """How many stored results the rows stand for."""
    if ROWS_COLUMN in rows:
        return int(pd.to_numeric(rows[ROWS_COLUMN], errors="coerce").fillna(0).sum())
    return len(rows)


def count_by(rows: pd.DataFrame, key: str | pd.Series) -> pd.Series:
    """Number of stored results per value of ``key`` (a column name or a Series)."""
    if ROWS_COLUMN in rows:
        counts = pd.to_numeric(rows[ROWS_COLUMN], errors="coerce").fillna(0)
        return counts.groupby(rows[key] if isinstance(key, str) else key).sum()
    return rows.groupby(key).size()


def kept(rows: pd.DataFrame, mask: pd.Series) -> pd.DataFrame:
    """``rows[mask]``, or ``rows`` itself when the mask keeps every row. A filter that keeps
    everything then costs nothing, and its result still shares the loaders' cached frame: a
    session that holds a view's rows until it next runs (the downloads) holds no copy of
    the 30,000 rows of a million-pin year."""
    # a count of True, not ``all()``: a missing value (a nullable column) keeps no row
    return rows if int(mask.sum()) == len(mask) else rows[mask]


def filter_period(rows: pd.DataFrame, fiscal_year: int | None, quarter: int | None) -> pd.DataFrame:
    """Rows of the fiscal year; with a quarter, rows of that quarter and rows that cover the
    whole year (no quarter) are both kept only when the quarter matches or is empty."""
    if rows.empty:
        return rows
    out = rows
    if fiscal_year is not None and "fiscal_year" in out:
        out = kept(out, out["fiscal_year"] == fiscal_year)
    if quarter is not None and "quarter" in out:
        out = kept(out, out["quarter"].isna() | (out["quarter"] == quarter))
    return out


def within(rows: pd.DataFrame, area: str | None) -> pd.DataFrame:
    """Rows inside the area (a CODI region id or a province / district / tambon code)."""
    if rows.empty or not area:
        return rows
    if area in gazetteer.REGION_BY_ID:
        return kept(rows, rows["region"] == area)
    key = {2: "province_code", 4: "district_code", 6: "tambon_code"}[len(area)]
    return kept(rows, rows[key] == area)


def in_categories(rows: pd.DataFrame, categories: Iterable[str]) -> pd.DataFrame:
    """Rows of one of ``categories``, and rows with no category (they belong to none that
    could be left out)."""
    if rows.empty or "category" not in rows:
        return rows
    return kept(rows, rows["category"].isin(list(categories)) | rows["category"].isna())


def aggregate(rows: pd.DataFrame, metric: str | None, level: str) -> pd.Series:
    """``frames.sum_per_area`` as the maps want it: the sum of ``metric`` (or the number of
    results when None) per area code at ``level``, as floats."""
    if metric is not None and metric not in rows:
        return pd.Series(dtype="float64")
    totals = frames.sum_per_area(rows, [] if metric is None else [metric], level)
    series = totals["rows" if metric is None else metric].astype("float64")
    series.index.name = None
    return series


def progress(
    indicators: pd.DataFrame, fiscal_year: int | None, quarter: int | None
) -> pd.DataFrame:
    """Targets vs results: one row per indicator (the latest quarter up to ``quarter``), with
    the share done (None when there is no target)."""
    columns = [
        "indicator_id",
        "programme",
        "name_th",
        "unit_th",
        "target",
        "result",
        "share",
        "quarter",
        "source_doc",
        "source_line",
        "level",
        "code",
    ]
    if indicators.empty:
        return pd.DataFrame(columns=columns)
    rows = indicators
    if fiscal_year is not None:
        rows = rows[rows["fiscal_year"] == fiscal_year]
    if quarter is not None:
        rows = rows[rows["quarter"].isna() | (rows["quarter"] <= quarter)]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    order = rows.assign(_q=rows["quarter"].astype("Float64").fillna(0))
    order = order.sort_values("_q").drop_duplicates(["indicator_id", "level", "code"], keep="last")
    order = order.sort_index()
    target = pd.to_numeric(order["target"], errors="coerce")
    result = pd.to_numeric(order["result"], errors="coerce")
    share = [
        None if (math.isnan(t) or t == 0 or math.isnan(r)) else r / t
        for t, r in zip(target, result, strict=True)
    ]
    out = order.assign(share=share)
    return out[[c for c in columns if c in out]].reset_index(drop=True)


def programmes_with_rows(rows: pd.DataFrame) -> list[Programme]:
    present = set(rows["programme"]) if not rows.empty else set()
    return [p for p in PROGRAMMES if p.id in present]


def metric_choices(rows: pd.DataFrame) -> list[tuple[Programme, str | None]]:
    """(programme, metric id) pairs with mappable data (None = number of rows): a metric
    only when rows placed in a province, district or tambon carry it (a figure reported
    per CODI region alone has nothing to shade on an area map, and as the first choice it
    would give an empty first map)."""
    choices: list[tuple[Programme, str | None]] = []
    for programme in programmes_with_rows(rows):
        part = rows[rows["programme"] == programme.id]
        part = part[part["province_code"].notna()]
        if part.empty:
            continue
        for metric in programme.metrics:
            if metric.id in part and pd.to_numeric(part[metric.id], errors="coerce").notna().any():
                choices.append((programme, metric.id))
        choices.append((programme, None))
    return choices


def region_summary(rows: pd.DataFrame, metric: str | None) -> pd.Series:
    """Sum of ``metric`` (or row count) per CODI region over the rows placed in a province,
    district or tambon, every region listed (NaN = none). Region-level rows are left out:
    reports restate them per category (plan, each criterion …), so adding them up would
    count the same tambons several times; the programme pages show them as reported."""
    regions = list(gazetteer.REGION_BY_ID)
    if rows.empty or "region" not in rows:
        return pd.Series(float("nan"), index=regions)
    placed = rows[rows["region"].notna() & rows["province_code"].notna()]
    return aggregate(placed, metric, "region").reindex(regions).astype(float)


def category_by_area(rows: pd.DataFrame, level: str, categories: Iterable[str]) -> pd.Series:
    """code → category for rows at ``level`` whose category is one of ``categories`` (the
    first listed wins when an area has several)."""
    wanted = list(categories)
    if rows.empty:
        return pd.Series(dtype=object)
    part = rows[(rows["level"] == level) & rows["category"].isin(wanted) & rows["code"].notna()]
    if part.empty:
        return pd.Series(dtype=object)
    rank = part["category"].map({c: i for i, c in enumerate(wanted)})
    part = part.assign(_rank=rank).sort_values("_rank").drop_duplicates("code")
    return part.set_index("code")["category"]


def region_counts(rows: pd.DataFrame, category: str | None, metric: str) -> dict[str, float]:
    """region id → value of ``metric`` in region-level rows (optionally of one category)."""
    if rows.empty:
        return {}
    part = rows[rows["level"] == "region"]
    if category is not None:
        part = part[part["category"] == category]
    if part.empty or metric not in part:
        return {}
    values = frames.countable(part, metric, part["code"])
    return values.groupby(part["code"]).sum(min_count=1).dropna().to_dict()


def area_details(rows: pd.DataFrame, code: str, lang: str = "th") -> pd.DataFrame:
    """Every programme's figures for an area: one line per programme and metric, summed over
    the rows that lie in the area (finer rows added up; a running total's latest period),
    with how many rows it took."""

    columns = ["programme", "metric", "value", "rows"]
    part = within(rows, code)
    if part.empty:
        return pd.DataFrame(columns=columns)
    lines = []
    for programme in programmes_with_rows(part):
        own = part[part["programme"] == programme.id]
        name = programme.name.get(lang)
        added = False
        for metric in programme.metrics:
            if metric.id not in own:
                continue
            value = frames.countable(own, metric.id).sum(min_count=1)
            if pd.isna(value):
                continue
            lines.append((name, metric.name.get(lang), float(value), row_count(own)))
            added = True
        if not added:
            lines.append(
                (name, "แถวข้อมูล" if lang == "th" else "rows", float(row_count(own)), row_count(own))
            )
    return pd.DataFrame(lines, columns=columns)


def points(rows: pd.DataFrame) -> pd.DataFrame:
    """Rows with coordinates."""
    if rows.empty or "latitude" not in rows:
        return rows.iloc[0:0]
    return rows[rows["latitude"].notna() & rows["longitude"].notna()]


def unmatched(rows: pd.DataFrame) -> pd.DataFrame:
    """Rows that could not be placed: no area code at their level (points outside every
    tambon, places the matcher could not resolve)."""
    if rows.empty:
        return rows
    no_code = rows["code"].isna() & ~rows["level"].isin(["national"])
    point_outside = (rows["level"] == "point") & rows["tambon_code"].isna()
    return rows[no_code | point_outside]
