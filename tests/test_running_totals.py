"""Running totals (a metric counted since a start date) are never added across periods: a
total takes each fact's latest period, on every path that adds figures up (the map's
``figures.aggregate``, the SQL ``queries.area_totals``, ``frames.aggregate_to_level``, the
region summaries and the change between two periods). Figures of their period still add up.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from codi_geo.maps import figures, pagemaps, periods
from codi_geo.places import gazetteer
from codi_geo.programmes import PROGRAMMES, get_programme, is_running_total
from codi_geo.results import frames, queries
from codi_geo.results.queries import RowFilter
from codi_geo.results.store import NewBatch, ResultRow, Store
from tests.helpers import BACKENDS, empty_store

CANAL = "prem_prachakorn_canal"


def _rows() -> list[ResultRow]:
    def row(
        year: int, quarter: int | None, code: str, metrics: dict[str, float], name: str = ""
    ) -> ResultRow:
        return ResultRow(
            CANAL,
            year,
            quarter,
            "district",
            code,
            metrics,
            category="prem_prachakorn",
            name=name or None,
            visibility="public",
            source_line=f"{year}-{quarter}-{code}-{name}",
        )

    return [
        # เขตดอนเมือง: the stock seen at Q1 and at Q2 of 2569, and at Q2 of 2568.
        row(2569, 1, "1036", {"cumulative_households": 2000, "households": 40}),
        row(2569, 2, "1036", {"cumulative_households": 2500, "households": 60}),
        row(2568, 2, "1036", {"cumulative_households": 1500, "households": 70}),
        # เขตหลักสี่: reported at Q1 only - its Q1 stock still counts in the year.
        row(2569, 1, "1041", {"cumulative_households": 300}),
        # Two facts in one district (two communities), same period: both count.
        row(2569, 2, "1030", {"cumulative_households": 10}, name="ชุมชน ก"),
        row(2569, 2, "1030", {"cumulative_households": 5}, name="ชุมชน ข"),
    ]


@pytest.fixture(scope="module", params=BACKENDS)
def store(
    request: pytest.FixtureRequest, boundary_cache: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Store]:
    with empty_store(request.param, tmp_path_factory.mktemp("running")) as s:
        rows = _rows()
        s.store_results(NewBatch(CANAL, "running.csv", "0" * 64, "all", len(rows)), rows)
        yield s


def test_declarations_say_which_metrics_are_running_totals() -> None:
    for programme in PROGRAMMES:
        for metric in programme.metrics:
            assert is_running_total(programme.id, metric.id) == metric.running_total
            if metric.running_total:
                assert metric.since.get("th") and metric.since.get("en"), (programme.id, metric.id)
    loan = get_programme("housing_loan")
    assert loan.metric("cumulative_loan_baht").running_total
    assert not loan.metric("loan_baht").running_total
    assert is_running_total(CANAL, "cumulative_households")
    assert not is_running_total(CANAL, "households")
    assert not is_running_total("no_such_programme", "households")
    # A map's legend says since when, so a stock never reads as the year's figure.
    label = pagemaps.metric_label(loan, "cumulative_loan_baht", "en")
    assert "since each loan programme began" in label
    assert "(" not in pagemaps.metric_label(loan, "loan_baht", "en")


def test_the_year_shows_the_latest_stock_not_the_sum(store: Store) -> None:
    rows = figures.filter_period(store.results(CANAL), 2569, None)
    totals = figures.aggregate(rows, "cumulative_households", "district")
    # Q2's 2,500, not 2,000 + 2,500; Q1's 300 where no later figure; two facts added.
    assert totals.to_dict() == {"1030": 15.0, "1036": 2500.0, "1041": 300.0}
    # A figure of the period adds up across the year's quarters as before.
    assert figures.aggregate(rows, "households", "district").dropna().to_dict() == {"1036": 100.0}
    province = figures.aggregate(rows, "cumulative_households", "province")
    assert province.to_dict() == {"10": 2815.0}


@pytest.mark.parametrize(
    "f",
    [
        RowFilter(CANAL, 2569),
        RowFilter(CANAL, 2569, 2),
        RowFilter(CANAL, None),
        RowFilter(None, 2569),
    ],
    ids=str,
)
def test_sql_totals_equal_the_pandas_path(store: Store, f: RowFilter) -> None:
    rows = figures.filter_period(
        store.results(f.programme, fiscal_year=f.fiscal_year), None, f.quarter
    )
    for level in ("province", "district", "region"):
        for metric in ("cumulative_households", "households"):
            found = queries.area_series(store, f, metric, level).sort_index()
            if level == "region":
                expected = figures.region_summary(rows, metric).dropna()
            else:
                expected = figures.aggregate(rows, metric, level).dropna().sort_index()
            pd.testing.assert_series_equal(
                found, expected, check_names=False, check_index_type=False
            )
    # What the overview ranks its figures by: the areas each fills, running totals too.
    pairs = [(CANAL, "cumulative_households"), (CANAL, "households"), (CANAL, None)]
    for level in ("province", "district"):
        areas = queries.areas_with_figures(store, replace(f, programme=None), pairs, level)
        assert areas == {
            (programme, metric): int(
                queries.area_series(store, replace(f, programme=programme), metric, level)
                .notna()
                .sum()
            )
            for programme, metric in pairs
        }
    everything = queries.area_totals(store, RowFilter(CANAL, None), "district")
    # Across every stored year: each fact's latest period (2569), never 2568 + 2569.
    assert everything.set_index("code")["cumulative_households"].to_dict() == {
        "1030": 15.0,
        "1036": 2500.0,
        "1041": 300.0,
    }


def test_frames_and_region_views_take_the_latest(store: Store) -> None:
    rows = figures.filter_period(store.results(CANAL), 2569, None)
    by_district = frames.aggregate_to_level(rows, get_programme(CANAL), "district")
    assert by_district.set_index("code")["cumulative_households"].astype(float).to_dict() == {
        "1030": 15.0,
        "1036": 2500.0,
        "1041": 300.0,
    }
    assert figures.region_summary(rows, "cumulative_households")["bangkok_east"] == 2815.0
    details = figures.area_details(rows, "1036", "en").set_index("metric")["value"]
    assert details["Households developed since the programme began"] == 2500.0
    assert details["Households"] == 100.0


def test_the_region_summary_takes_the_latest_stock(store: Store) -> None:
    """A programme whose summary figure is a running total is summed over its latest
    periods, beside one whose figure adds up, in the same summary."""
    from codi_geo.results.queries import ProgrammeFigures

    f = RowFilter(None, 2569)
    canal = get_programme(CANAL)
    for metric in ("cumulative_households", "households"):
        summary = queries.region_summary(store, f, [ProgrammeFigures(canal, 6, 6, (metric,))])
        [(programme, chosen, totals)] = summary
        assert (programme, chosen) == (canal, metric)
        expected = queries.area_series(store, RowFilter(CANAL, 2569), metric, "region")
        assert totals.dropna().to_dict() == expected.to_dict()
        assert len(totals) == len(gazetteer.REGION_BY_ID)
    assert totals["bangkok_east"] == 100.0  # households of their period: 40 + 60
    [(_p, _m, stock)] = queries.region_summary(
        store, f, [ProgrammeFigures(canal, 6, 6, ("cumulative_households",))]
    )
    assert stock["bangkok_east"] == 2815.0


def test_the_change_page_compares_stocks(store: Store) -> None:
    rows = store.results(CANAL)
    now = periods.period_rows(rows, (2569, None))
    then = periods.period_rows(rows, (2568, None))
    change = periods.change(now, then, "cumulative_households", "district")
    assert change["1036"] == 1000.0  # 2,500 now against 1,500 a year before
    series = periods.region_series(rows, "cumulative_households")
    assert series.loc["bangkok_east", 2569] == 2815.0
    assert series.loc["bangkok_east", 2568] == 1500.0
