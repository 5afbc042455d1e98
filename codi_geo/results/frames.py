"""Result rows as frames of numbers: one numeric column per declared metric, and rows
summed per area of a level (region, province, district, tambon).

Pure pandas on rows as ``Store.results()`` returns them (one column per metric, ``code``,
``level`` …) or with a ``metrics`` column of dicts (the ``ResultRow`` shape). The maps, the
downloads and the public frames all count from here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from codi_geo.places import gazetteer
from codi_geo.programmes import Metric, Programme, is_running_total

# What makes two rows the same fact seen in two periods (a running total's rows).
FACT_KEYS: tuple[str, ...] = ("programme", "level", "code", "category", "name")


def metric_frame(frame: pd.DataFrame, programme: Programme) -> pd.DataFrame:
    """``frame`` with one numeric column per declared metric (from a ``metrics`` column of
    dicts when there is one). Undeclared metric keys are not added."""
    out = frame.copy()
    dicts = out["metrics"] if "metrics" in out.columns else None
    for metric in programme.metrics:
        if metric.id in out.columns:
            values = out[metric.id]
        elif dicts is not None:
            values = pd.Series(
                [d.get(metric.id) if isinstance(d, Mapping) else None for d in dicts],
                index=out.index,
                dtype=object,
            )
        else:
            continue
        out[metric.id] = pd.to_numeric(values, errors="coerce").astype("Float64")
    return out.drop(columns=["metrics"], errors="ignore")


def period_order(rows: pd.DataFrame) -> pd.Series:
    """A sortable number per row for its period: fiscal year, then quarter (a whole-year row,
    no quarter, before the year's quarters)."""
    years = (
        pd.to_numeric(rows["fiscal_year"], errors="coerce")
        if "fiscal_year" in rows
        else pd.Series(0.0, index=rows.index)
    )
    quarters = (
        pd.to_numeric(rows["quarter"], errors="coerce")
        if "quarter" in rows
        else pd.Series(0.0, index=rows.index)
    )
    return (years.astype("float64") * 10 + quarters.astype("float64").fillna(0.0)).fillna(0.0)


def running_rows(rows: pd.DataFrame, metric_id: str, programme_id: str | None = None) -> pd.Series:
    """True where the row's ``metric_id`` is a running total of its programme (the rows'
    ``programme`` column, else ``programme_id``)."""
    if "programme" in rows.columns:
        flags = {p: is_running_total(str(p), metric_id) for p in rows["programme"].unique()}
        return rows["programme"].map(flags).fillna(False).astype(bool)
    return pd.Series(is_running_total(programme_id or "", metric_id), index=rows.index, dtype=bool)


def countable(
    rows: pd.DataFrame,
    metric_id: str,
    groups: pd.Series | None = None,
    programme_id: str | None = None,
) -> pd.Series:
    """The values of ``metric_id`` that a total of each group (area, category …) may add up.

    A figure of its period counts as it is. A running total counts once per fact (same
    programme, place, category and name): its value of the latest period with a value in the
    group, never the sum of the periods (two quarters of a running total are one stock seen
    twice). ``groups`` None: the rows are one group."""
    values = pd.to_numeric(rows[metric_id], errors="coerce").astype("float64")
    running = running_rows(rows, metric_id, programme_id)
    if rows.empty or not bool((running & values.notna()).any()):
        return values
    group = groups if groups is not None else pd.Series("", index=rows.index)
    keys = [group.astype(object).where(group.notna(), None)] + [
        rows[k].astype(object).where(rows[k].notna(), "") for k in FACT_KEYS if k in rows.columns
    ]
    order = period_order(rows).where(running & values.notna())
    latest = order.groupby(keys, dropna=True).transform("max")
    return values.where(~running | (order == latest))


def present_metrics(frame: pd.DataFrame, programme: Programme) -> list[Metric]:
    return [m for m in programme.metrics if m.id in frame.columns]


def parent_code(row_level: str, code: object, level: str) -> str | None:
    """The code of the area at ``level`` (region id, or 2/4/6-digit DOPA code) holding a row
    of ``row_level`` with ``code``; None when the row is coarser than ``level``."""
    if not isinstance(code, str) or not code:
        return None
    if row_level == "region":
        return code if level == "region" else None
    if not code.isdigit():
        return None
    if level == "region":
        return gazetteer.province_regions().get(code[:2])
    # level is a DOPA level here ("region" answered above)
    length = gazetteer.CODE_LENGTH[level]  # type: ignore[index]
    return code[:length] if len(code) >= length else None


# The area columns ``Store.results()`` and the public frames carry, per area level.
AREA_COLUMNS = {
    "region": "region",
    "province": "province_code",
    "district": "district_code",
    "tambon": "tambon_code",
}
# Public frames stand for several stored results per row (points counted per tambon): this
# column says how many. Rows without it stand for one result each.
ROWS_COLUMN = "rows"


def area_of(frame: pd.DataFrame, level: str) -> pd.Series:
    """The code of the area of ``level`` holding each row, None where the row is coarser.
    Rows as ``Store.results()`` returns them carry it in their area columns (the region as
    CODI grouped the provinces in the row's fiscal year); other rows (``level`` and ``code``
    alone) get it from ``parent_code``."""
    column = AREA_COLUMNS[level]
    if column in frame.columns:
        return frame[column]
    if "code" not in frame.columns:
        return pd.Series(None, index=frame.index, dtype=object)
    levels = frame["level"] if "level" in frame.columns else pd.Series(None, frame.index)
    codes = [parent_code(str(lv), c, level) for lv, c in zip(levels, frame["code"], strict=True)]
    return pd.Series(codes, index=frame.index, dtype=object)


def sum_per_area(
    frame: pd.DataFrame, metrics: Sequence[str], level: str, programme_id: str | None = None
) -> pd.DataFrame:
    """The one rule for totals per area, which the maps, the downloads and the SQL path
    (``queries.area_totals``, tested against this) all give: one row per area of ``level``
    (index: its code, sorted) with ``rows``, the number of results (a public row counts its
    own ``rows``), and each metric of ``metrics`` summed (missing where no row had a value:
    a missing value is not a zero); a running total adds its latest period only
    (``countable``; ``programme_id`` for rows without a ``programme`` column). Rows coarser
    than ``level`` cannot be split and are left out; metrics the frame lacks are left out
    too."""
    metrics = [m for m in metrics if m in frame.columns]
    area = area_of(frame, level) if not frame.empty else pd.Series(dtype=object)
    placed = area.notna()
    if not bool(placed.any()):
        return pd.DataFrame(columns=["rows", *metrics], index=pd.Index([], dtype=object))
    data = frame[placed]
    keys = area[placed]
    if ROWS_COLUMN in data.columns:
        counts = pd.to_numeric(data[ROWS_COLUMN], errors="coerce").fillna(0).astype("int64")
        out = pd.DataFrame({"rows": counts.groupby(keys, sort=True).sum()})
    else:
        out = pd.DataFrame({"rows": keys.groupby(keys, sort=True).size()})
    for metric_id in metrics:
        values = countable(data, metric_id, keys, programme_id)
        out[metric_id] = values.groupby(keys, sort=True).sum(min_count=1)
    return out


def aggregate_to_level(frame: pd.DataFrame, programme: Programme, level: str) -> pd.DataFrame:
    """``sum_per_area`` of the programme's metrics as a table: one row per area of ``level``
    (``region``, ``province``, ``district``, ``tambon``) with ``code``, ``rows``, each metric
    (empty when no row had it), and ``category`` when all the area's rows share one (else
    empty).

    Filter to one period first: rows of several quarters are summed, except running totals
    (``countable``: the latest period's value).
    """
    data = metric_frame(frame, programme)
    metrics = [m.id for m in present_metrics(data, programme)]
    columns = ["code", "rows", *metrics, "category"]
    out = sum_per_area(data, metrics, level, programme.id)
    if out.empty:
        return pd.DataFrame(columns=columns)
    for metric_id in metrics:
        out[metric_id] = out[metric_id].astype("Float64")
    if "category" in data.columns:
        area = area_of(data, level)
        placed = area.notna()
        out["category"] = data.loc[placed, "category"].groupby(area[placed]).agg(_single_value)
    else:
        out["category"] = None
    out.index.name = "code"
    return out.reset_index()[columns]


def _single_value(values: pd.Series) -> Any:
    distinct = values.dropna().unique()
    return distinct[0] if len(distinct) == 1 else None
