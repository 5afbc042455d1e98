"""Figures across the stored periods: which periods the store holds, the change of a figure
between two of them per area, and series over every fiscal year (an area's profile, the
CODI regions' sparklines, targets against results). Pure functions on the frames of
``Store.results()`` and ``Store.indicators()``; the rules of one period are
``figures.filter_period`` and ``figures.aggregate``, the same as on every map.

A period is ``(fiscal year BE, quarter or None)``; None is the whole fiscal year.
"""

from __future__ import annotations

import pandas as pd

from codi_geo.maps import figures
from codi_geo.places import gazetteer
from codi_geo.programmes import PROGRAMMES, Programme
from codi_geo.results import frames

Period = tuple[int, int | None]


def stored_periods(rows: pd.DataFrame, indicators: pd.DataFrame | None = None) -> list[Period]:
    """Every fiscal year with results (or indicators) as a whole year, and each quarter
    reported in it, newest first (a year before its quarters)."""
    found: set[Period] = set()
    for frame in (rows, indicators):
        if frame is None or frame.empty or "fiscal_year" not in frame:
            continue
        years = pd.to_numeric(frame["fiscal_year"], errors="coerce")
        quarters = (
            pd.to_numeric(frame["quarter"], errors="coerce")
            if "quarter" in frame
            else pd.Series(float("nan"), index=frame.index)
        )
        for year, quarter in zip(years, quarters, strict=True):
            if pd.isna(year):
                continue
            found.add((int(year), None))
            if not pd.isna(quarter):
                found.add((int(year), int(quarter)))
    return sorted(found, key=lambda p: (-p[0], p[1] or 0))


def period_rows(rows: pd.DataFrame, period: Period) -> pd.DataFrame:
    """The rows a map of ``period`` shows (``figures.filter_period``)."""
    return figures.filter_period(rows, period[0], period[1])


def default_compare(periods: list[Period], current: Period) -> Period | None:
    """What to compare ``current`` with when nothing is chosen: the latest earlier period of
    the same kind (a whole year with a whole year, a quarter with a quarter), else any other
    stored period."""

    def order(period: Period) -> tuple[int, int]:
        return period[0], period[1] or 0

    same_kind = [p for p in periods if (p[1] is None) == (current[1] is None)]
    earlier = [p for p in same_kind if order(p) < order(current)]
    if earlier:
        return max(earlier, key=order)
    others = [p for p in periods if p != current]
    return others[0] if others else None


def change(
    rows_now: pd.DataFrame, rows_then: pd.DataFrame, metric: str | None, level: str
) -> pd.Series:
    """``metric`` (None: number of results) per area of ``level`` now minus then. An area
    with figures in one period only counts as 0 in the other (nothing was reported there);
    an area with figures in neither is left out (no data)."""
    now = figures.aggregate(rows_now, metric, level)
    then = figures.aggregate(rows_then, metric, level)
    codes = now.dropna().index.union(then.dropna().index)
    if codes.empty:
        return pd.Series(dtype="float64")
    difference = now.reindex(codes).fillna(0.0) - then.reindex(codes).fillna(0.0)
    return difference.astype("float64")


def fiscal_years(rows: pd.DataFrame) -> list[int]:
    """Fiscal years of the rows, oldest first (the order of a trend)."""
    if rows.empty or "fiscal_year" not in rows:
        return []
    years = pd.to_numeric(rows["fiscal_year"], errors="coerce").dropna().astype(int)
    return sorted(set(years))


def region_series(
    rows: pd.DataFrame,
    metric: str | None,
    quarter: int | None = None,
    years: list[int] | None = None,
) -> pd.DataFrame:
    """One row per CODI region, one column per fiscal year: the figure summed over the rows
    placed in the region's provinces (``figures.region_summary``), NaN where none."""
    years = years if years is not None else fiscal_years(rows)
    columns = {
        year: figures.region_summary(figures.filter_period(rows, year, quarter), metric)
        for year in years
    }
    frame = pd.DataFrame(columns, index=list(gazetteer.REGION_BY_ID))
    frame.columns = list(years)
    return frame


def area_profile(
    rows: pd.DataFrame, code: str, quarter: int | None = None, lang: str = "th"
) -> pd.DataFrame:
    """Every programme's figures for the area ``code`` in every stored fiscal year: one row
    per programme and figure (as ``figures.area_details`` sums them), one column per year
    (oldest first, NaN where the year has none), plus ``programme_id`` and ``metric_id``."""
    years = fiscal_years(figures.within(rows, code))
    keys = ["programme_id", "programme", "metric_id", "metric"]
    if not years:
        return pd.DataFrame(columns=keys)
    lines: dict[tuple[str, str, str, str], dict[int, float]] = {}
    for year in years:
        part = figures.within(figures.filter_period(rows, year, quarter), code)
        for programme in figures.programmes_with_rows(part):
            own = part[part["programme"] == programme.id]
            for metric_id, metric_name, value in _figures_of(own, programme, lang):
                key = (programme.id, programme.name.get(lang), metric_id, metric_name)
                lines.setdefault(key, {})[year] = value
    order = {p.id: i for i, p in enumerate(PROGRAMMES)}
    ordered = sorted(lines, key=lambda k: (order.get(k[0], 99), k[2] == "rows"))
    table = pd.DataFrame(
        [[*key, *(lines[key].get(y) for y in years)] for key in ordered], columns=[*keys, *years]
    )
    return table


def _figures_of(own: pd.DataFrame, programme: Programme, lang: str) -> list[tuple[str, str, float]]:
    """(metric id, name, sum) of each declared metric with figures; the number of results
    when none has (as ``figures.area_details``)."""
    found = []
    for metric in programme.metrics:
        if metric.id not in own:
            continue
        value = frames.countable(own, metric.id).sum(min_count=1)
        if not pd.isna(value):
            found.append((metric.id, metric.name.get(lang), float(value)))
    if not found:
        found.append(("rows", "แถวข้อมูล" if lang == "th" else "rows", float(figures.row_count(own))))
    return found


def targets_over_periods(
    indicators: pd.DataFrame,
    programme: str | None,
    periods: list[Period],
    region: str | None = None,
) -> pd.DataFrame:
    """Targets against results of a programme's indicators (every indicator when None) in
    each of ``periods``: one row per indicator and period with ``target``, ``result`` and
    ``share`` (None without a target), as ``figures.progress`` reads one period. National
    indicators, and with ``region`` that CODI region's own."""
    columns = [
        "indicator_id",
        "name_th",
        "unit_th",
        "level",
        "code",
        "fiscal_year",
        "quarter",
        "target",
        "result",
        "share",
    ]
    parts = []
    for fiscal_year, quarter in periods:
        table = figures.progress(indicators, fiscal_year, quarter)
        if programme is not None and not table.empty:
            table = table[table["programme"] == programme]
        if not table.empty and "level" in table:
            keep = (
                (table["level"] != "region")
                if region is None
                else ((table["level"] != "region") | (table["code"] == region))
            )
            table = table[keep.fillna(True)]
        if table.empty:
            continue
        parts.append(
            table.assign(fiscal_year=fiscal_year, quarter=quarter)[
                [c for c in columns if c in table or c in ("fiscal_year", "quarter")]
            ]
        )
    if not parts:
        return pd.DataFrame(columns=columns)
    return pd.concat(parts, ignore_index=True)
