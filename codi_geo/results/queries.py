"""What the pages ask the store for when they need totals, not rows: SQL ``GROUP BY`` on the
server (SQLite or PostgreSQL), so a million stored rows never travel into pandas to be
counted.

Every function takes a ``RowFilter`` (programme, fiscal year, quarter, area, public or not)
whose meaning is the pandas path's (``maps.figures.filter_period``, ``figures.within``,
``Store.results(public_only=...)``), and answers what the same rows would give there: the
tests check each against ``maps.figures`` on the same store. Metrics live in the JSON
``metrics`` column and are summed with the database's JSON operators.

Which rows lie in an area is ``within``'s rule, the one ``Store.results(within=...)`` uses.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import pandas as pd
import sqlalchemy as sa

from codi_geo.places import gazetteer
from codi_geo.programmes import PROGRAMME_BY_ID, Programme, is_running_total
from codi_geo.results.frames import FACT_KEYS, countable
from codi_geo.results.schema import batches_table, indicators_table, results_table
from codi_geo.results.store import Store
from codi_geo.results.within import PLACED_LEVELS, area_condition

_r = results_table.c


@dataclass(frozen=True)
class RowFilter:
    """Which stored rows count. ``quarter`` keeps rows of that quarter and rows that cover
    the whole year (no quarter), as the pages do; ``within`` is a CODI region id or a
    province / district / tambon code; ``public_only`` keeps public, real rows (what a public
    deployment may show), else demo rows are left out unless ``include_demo``."""

    programme: str | None = None
    fiscal_year: int | None = None
    quarter: int | None = None
    within: str | None = None
    public_only: bool = False
    include_demo: bool = False


def conditions(f: RowFilter) -> list[sa.ColumnElement[bool]]:
    """The WHERE clauses of a filter (active rows only)."""
    where: list[sa.ColumnElement[bool]] = [_r.active]
    if f.programme is not None:
        where.append(_r.programme == f.programme)
    if f.fiscal_year is not None:
        where.append(_r.fiscal_year == f.fiscal_year)
    if f.quarter is not None:
        where.append(sa.or_(_r.quarter.is_(None), _r.quarter == f.quarter))
    if f.public_only:
        where += [_r.visibility == "public", sa.not_(_r.is_demo)]
        # A public deployment shows declared programmes only.
        where.append(_r.programme.in_(sorted(PROGRAMME_BY_ID)))
    elif not f.include_demo:
        where.append(sa.not_(_r.is_demo))
    if f.within:
        where.append(area_condition(f.within, f.fiscal_year))
    return where


def _metric(metric_id: str) -> sa.ColumnElement[float]:
    return _r.metrics[metric_id].as_float()


def _metric_ids(programme: Programme, public_only: bool) -> list[str]:
    return list(programme.public_metric_ids) if public_only else [m.id for m in programme.metrics]


def _read(store: Store, query: sa.Select) -> list[sa.Row]:
    with store.engine.connect() as connection:
        return list(connection.execute(query))


# ---------------------------------------------------------------------------------------
# Periods and counts
# ---------------------------------------------------------------------------------------


def fiscal_years(store: Store, public_only: bool = False) -> list[int]:
    """Fiscal years that have active results or indicators, newest first."""
    results = sa.select(_r.fiscal_year).where(*conditions(RowFilter(public_only=public_only)))
    i = indicators_table.c
    indicators = sa.select(i.fiscal_year).where(i.active)
    query = sa.union(results.distinct(), indicators.distinct())
    years = {int(year) for (year,) in _read(store, sa.select(query.subquery()))}
    return sorted(years, reverse=True)


def quarters(store: Store, f: RowFilter) -> list[int]:
    """The quarters the filtered rows give (whole-year rows give none)."""
    query = sa.select(_r.quarter).where(*conditions(f), _r.quarter.is_not(None)).distinct()
    return sorted(int(q) for (q,) in _read(store, query))


def count_rows(store: Store, f: RowFilter = RowFilter()) -> int:
    query = sa.select(sa.func.count()).select_from(results_table).where(*conditions(f))
    return int(_read(store, query)[0][0])


def counts_by_programme(store: Store, f: RowFilter = RowFilter()) -> dict[str, int]:
    query = sa.select(_r.programme, sa.func.count()).where(*conditions(f)).group_by(_r.programme)
    return {programme: int(n) for programme, n in _read(store, query)}


def data_version(store: Store) -> str:
    """The same as ``Store.data_version`` (newest batch id and how many are undone)."""
    b = batches_table.c
    query = sa.select(sa.func.max(b.id), sa.func.count().filter(b.status != "active"))
    newest, undone = _read(store, query)[0]
    return f"{newest or 0}:{undone}"


# ---------------------------------------------------------------------------------------
# Totals per area
# ---------------------------------------------------------------------------------------


def area_totals(
    store: Store, f: RowFilter, level: str, metrics: Sequence[str] | None = None
) -> pd.DataFrame:
    """One row per area of ``level`` (``province``, ``district``, ``tambon``, or ``region``):
    ``code``, ``rows`` (results counted) and each metric summed (NaN where no row had it).
    Rows coarser than ``level`` cannot be split and are left out, as in
    ``figures.aggregate``; regions count the rows placed in their provinces (as CODI grouped
    them in each row's fiscal year), not region-level rows (``figures.region_summary``).

    ``metrics``: metric ids (default: the filter's programme's metrics; its public ones when
    ``public_only``)."""
    if metrics is None:
        programme = PROGRAMME_BY_ID.get(f.programme or "")
        metrics = _metric_ids(programme, f.public_only) if programme else []
    length = 2 if level == "region" else gazetteer.CODE_LENGTH[level]  # type: ignore[index]
    key = sa.func.substr(_r.code, 1, length).label("code")
    # A running total is summed over its latest period only (``_running_totals``): the SQL
    # sum leaves out the rows of the programmes where the metric is one.
    running = _running_programmes(f, metrics)
    sums = [
        sa.func.sum(
            sa.case((_r.programme.in_(running[m]), None), else_=_metric(m))
            if running.get(m)
            else _metric(m)
        ).label(m)
        for m in metrics
    ]
    query = sa.select(key, sa.func.count().label("rows"), *sums).where(
        *conditions(f),
        _r.level.in_(PLACED_LEVELS),
        _r.code.is_not(None),
        sa.func.length(_r.code) >= length,
    )
    if level == "region":  # a province's region depends on the row's fiscal year
        query = query.add_columns(_r.fiscal_year).group_by(key, _r.fiscal_year)
    else:
        query = query.group_by(key)
    found = pd.DataFrame(
        [tuple(row) for row in _read(store, query.order_by(key))],
        columns=["code", "rows", *metrics] + (["fiscal_year"] if level == "region" else []),
    )
    if level == "region" and not found.empty:
        found["code"] = [
            gazetteer.province_regions(int(y)).get(c)
            for c, y in zip(found["code"], found["fiscal_year"], strict=True)
        ]
        found = found.dropna(subset=["code"]).drop(columns="fiscal_year")
        found = (
            found.groupby("code", sort=True)
            .agg({"rows": "sum", **{m: lambda s: s.sum(min_count=1) for m in metrics}})
            .reset_index()
        )
    found["rows"] = found["rows"].astype("int64")
    for metric_id in metrics:
        found[metric_id] = pd.to_numeric(found[metric_id], errors="coerce").astype("float64")
    for metric_id, programmes in running.items():
        if programmes:
            found = _add_running(
                found, _running_totals(store, f, level, length, metric_id, programmes), metric_id
            )
    return found.reset_index(drop=True)


def _running_programmes(f: RowFilter, metrics: Sequence[str]) -> dict[str, list[str]]:
    """metric id -> the programmes (of the filter) where it is a running total."""
    candidates = [f.programme] if f.programme else list(PROGRAMME_BY_ID)
    return {m: [p for p in candidates if is_running_total(p, m)] for m in metrics}


def _running_totals(
    store: Store, f: RowFilter, level: str, length: int, metric_id: str, programmes: list[str]
) -> pd.Series:
    """Per area code of ``level``: the running total ``metric_id`` of ``programmes``, each
    fact's latest period (``frames.countable``) added up. Few rows carry a running total, so
    they are read one per fact and period."""
    fact = [getattr(_r, k) for k in FACT_KEYS]
    area = sa.func.substr(_r.code, 1, length)
    query = (
        sa.select(
            area.label("area"), *fact, _r.fiscal_year, _r.quarter, sa.func.sum(_metric(metric_id))
        )
        .where(
            *conditions(f),
            _r.level.in_(PLACED_LEVELS),
            _r.code.is_not(None),
            sa.func.length(_r.code) >= length,
            _r.programme.in_(programmes),
            _metric(metric_id).is_not(None),
        )
        .group_by(area, *fact, _r.fiscal_year, _r.quarter)
    )
    rows = pd.DataFrame(
        [tuple(r) for r in _read(store, query)],
        columns=["area", *FACT_KEYS, "fiscal_year", "quarter", metric_id],
    )
    if rows.empty:
        return pd.Series(dtype="float64")
    if level == "region":
        rows["area"] = [
            gazetteer.province_regions(int(y)).get(c)
            for c, y in zip(rows["area"], rows["fiscal_year"], strict=True)
        ]
        rows = rows.dropna(subset=["area"])
    values = countable(rows, metric_id, rows["area"])
    return values.groupby(rows["area"]).sum(min_count=1).dropna()


def _add_running(found: pd.DataFrame, totals: pd.Series, metric_id: str) -> pd.DataFrame:
    """``found`` with the running totals added to ``metric_id`` (NaN + x = x)."""
    if totals.empty:
        return found
    indexed = found.set_index("code")
    for code in totals.index.difference(indexed.index):  # only running-total rows there
        indexed.loc[code] = {c: (0 if c == "rows" else float("nan")) for c in indexed.columns}
    current = indexed[metric_id].astype("float64")
    added = totals.reindex(indexed.index)
    indexed[metric_id] = current.where(added.isna(), current.fillna(0.0) + added.fillna(0.0))
    indexed.index.name = "code"
    return indexed.sort_index().reset_index()


def area_series(store: Store, f: RowFilter, metric: str | None, level: str) -> pd.Series:
    """``figures.aggregate`` from SQL: per area code of ``level``, the sum of ``metric`` (or
    the result count when None), areas without a value left out."""
    totals = area_totals(store, f, level, [] if metric is None else [metric])
    column = "rows" if metric is None else metric
    if totals.empty:
        return pd.Series(dtype="float64")
    series = totals.set_index("code")[column].astype("float64")
    series.index.name = None
    return series.dropna() if metric is not None else series


def areas_with_figures(
    store: Store, f: RowFilter, figures: Sequence[tuple[str, str | None]], level: str
) -> dict[tuple[str, str | None], int]:
    """For each (programme, metric id or None for the result count) of ``figures``: how many
    areas of ``level`` (``province``, ``district`` or ``tambon``) ``area_series`` would give
    a value, the rows of ``f`` taken for that programme. One scan grouped by programme and
    area answers every pair: the overview ranks some seventy of them to pick its first
    figure, and one ``area_series`` each read a year's rows seventy times over. An area has a
    value when one of its rows has the metric (a running total's latest period is one of
    them), so counting those rows tells it without summing."""
    if level not in gazetteer.CODE_LENGTH:
        raise ValueError(f"areas are counted at province, district or tambon level, not {level}")
    length = gazetteer.CODE_LENGTH[level]
    programmes = sorted({programme for programme, _ in figures})
    metrics = sorted({metric for _, metric in figures if metric})
    if not programmes:
        return {}
    area = sa.func.substr(_r.code, 1, length)
    counts = [sa.func.count(_metric(m)) for m in metrics]
    query = (
        sa.select(_r.programme, area, *counts)
        .where(
            *conditions(replace(f, programme=None)),
            _r.programme.in_(programmes),
            _r.level.in_(PLACED_LEVELS),
            _r.code.is_not(None),
            sa.func.length(_r.code) >= length,
        )
        .group_by(_r.programme, area)
    )
    found: dict[tuple[str, str | None], int] = dict.fromkeys(figures, 0)
    for programme, _area, *with_metric in _read(store, query):
        if (programme, None) in found:  # every area with a row has a count
            found[(programme, None)] += 1
        for metric, n in zip(metrics, with_metric, strict=True):
            if n and (programme, metric) in found:
                found[(programme, metric)] += 1
    return found


# ---------------------------------------------------------------------------------------
# What the overview offers and summarises
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProgrammeFigures:
    """One programme's rows under a filter: how many, how many lie in a province, and the
    metrics that have at least one value."""

    programme: Programme
    rows: int
    placed_rows: int
    metrics_with_values: tuple[str, ...]


def programme_figures(store: Store, f: RowFilter) -> list[ProgrammeFigures]:
    """Per declared programme with rows (in declaration order): what ``figures.
    metric_choices`` and ``tables.region_summary`` need, in one query per programme."""
    counts = counts_by_programme(store, f)
    out = []
    for programme_id, programme in PROGRAMME_BY_ID.items():
        if not counts.get(programme_id):
            continue
        own = RowFilter(
            programme_id, f.fiscal_year, f.quarter, f.within, f.public_only, f.include_demo
        )
        metric_ids = _metric_ids(programme, f.public_only)
        placed = sa.and_(_r.level.in_(PLACED_LEVELS), _r.code.is_not(None))
        columns: list[sa.ColumnElement[int]] = [sa.func.count().filter(placed)]
        columns += [sa.func.count(_metric(m)) for m in metric_ids]
        found = _read(store, sa.select(*columns).where(*conditions(own)))[0]
        with_values = tuple(m for m, n in zip(metric_ids, found[1:], strict=True) if n)
        out.append(ProgrammeFigures(programme, counts[programme_id], int(found[0]), with_values))
    return out


def metric_choices(
    store: Store,
    f: RowFilter,
    figures: Sequence[ProgrammeFigures] | None = None,
) -> list[tuple[Programme, str | None]]:
    """``figures.metric_choices`` from SQL: (programme, metric id) pairs with mappable data
    (None = number of rows), for programmes with rows placed in a province. ``figures``:
    ``programme_figures`` of the same filter, when the caller has them already."""
    choices: list[tuple[Programme, str | None]] = []
    for figures_of in figures if figures is not None else programme_figures(store, f):
        if not figures_of.placed_rows:
            continue
        choices += [(figures_of.programme, m) for m in figures_of.metrics_with_values]
        choices.append((figures_of.programme, None))
    return choices


def region_summary(
    store: Store,
    f: RowFilter,
    figures: Sequence[ProgrammeFigures] | None = None,
) -> list[tuple[Programme, str | None, pd.Series]]:
    """Per programme with rows: the metric ``tables.region_summary`` shows (the first with
    values, else None for the result count) and its total per CODI region (every region
    listed, NaN = none), counting rows placed in a province. ``figures`` as in
    ``metric_choices``. What ``area_series`` gives each programme at region level, from one
    scan for them all (a running total, rare, is asked for apart: its latest periods)."""
    regions = list(gazetteer.REGION_BY_ID)
    chosen = {
        figures_of.programme.id: (
            figures_of.metrics_with_values[0] if figures_of.metrics_with_values else None
        )
        for figures_of in (figures if figures is not None else programme_figures(store, f))
    }
    summed = {p: m for p, m in chosen.items() if not (m and is_running_total(p, m))}
    totals = _region_totals(store, f, summed)
    out = []
    for programme_id, metric in chosen.items():
        found = totals.get(programme_id)
        if found is None:
            found = area_series(store, replace(f, programme=programme_id), metric, "region")
        out.append((PROGRAMME_BY_ID[programme_id], metric, found.reindex(regions).astype(float)))
    return out


def _region_totals(
    store: Store, f: RowFilter, metrics: dict[str, str | None]
) -> dict[str, pd.Series]:
    """programme -> the sum of its metric in ``metrics`` (None: its result count) per CODI
    region, regions without a value left out (``area_series`` at region level), for the rows
    of ``f`` of each programme; a province's region is the one of the row's fiscal year."""
    if not metrics:
        return {}
    province = sa.func.substr(_r.code, 1, 2)
    summed = [(_r.programme == p, _metric(m)) for p, m in metrics.items() if m]
    value = sa.case(*summed, else_=None) if summed else sa.cast(sa.null(), sa.Float)
    query = (
        sa.select(_r.programme, province, _r.fiscal_year, sa.func.count(), sa.func.sum(value))
        .where(
            *conditions(replace(f, programme=None)),
            _r.programme.in_(list(metrics)),
            _r.level.in_(PLACED_LEVELS),
            _r.code.is_not(None),
            sa.func.length(_r.code) >= 2,
        )
        .group_by(_r.programme, province, _r.fiscal_year)
    )
    found = pd.DataFrame(
        [tuple(row) for row in _read(store, query)],
        columns=["programme", "code", "fiscal_year", "rows", "value"],
    )
    found["region"] = [
        gazetteer.province_regions(int(y)).get(c)
        for c, y in zip(found["code"], found["fiscal_year"], strict=True)
    ]
    found["value"] = pd.to_numeric(found["value"], errors="coerce").astype("float64")
    found = found.dropna(subset=["region"])
    out = {}
    for programme_id, metric in metrics.items():
        own = found[found["programme"] == programme_id]
        if metric is None:
            series = own.groupby("region")["rows"].sum().astype("float64")
        else:
            series = own.groupby("region")["value"].sum(min_count=1).dropna()
        series.index.name = None
        out[programme_id] = series
    return out
