"""The SQL aggregation path (``results.queries``) against the pandas path (``maps.figures``)
on one CI-size store: 20,000 generated pins over two fiscal years, every tambon-level
programme, region rows, demo and internal rows, on SQLite and PostgreSQL. What SQL counts
must be what the pages counted from rows, and the totals must add up to the stored rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from codi_geo.access import public
from codi_geo.maps import figures
from codi_geo.outputs import tables
from codi_geo.results import queries, within
from codi_geo.results.queries import RowFilter
from codi_geo.results.store import NewBatch, ResultRow, Store
from synthetic import scale
from tests.helpers import BACKENDS, empty_store

PINS = 20_000
YEARS = [2568, 2569]


def _meta(programme: str, name: str, rows: int) -> NewBatch:
    return scale._meta(programme, name, rows)


@pytest.fixture(scope="module", params=BACKENDS)
def big_store(
    request: pytest.FixtureRequest, boundary_cache: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Store]:
    with empty_store(request.param, tmp_path_factory.mktemp("queries")) as store:
        url = store.engine.url.render_as_string(hide_password=False)
        counts = scale.load_store(
            url, PINS, year_count=2, boundary_dir=boundary_cache, log=lambda _m: None
        )
        assert counts["disaster"] > PINS * 0.95
        # Rows the filters must tell apart: region rows, a whole-year row, demo, internal.
        extra = [
            ResultRow(
                "model_tambon",
                2569,
                2,
                "region",
                "north",
                {"tambons": 120},
                category="criterion_1_plan",
                source_line="r1",
                visibility="public",
            ),
            ResultRow(
                "model_tambon",
                2569,
                None,
                "tambon",
                "500101",
                {"tambons": 3},
                category="new",
                source_line="y1",
                visibility="public",
            ),
            ResultRow(
                "model_tambon",
                2569,
                2,
                "tambon",
                "500102",
                {"tambons": 7},
                is_demo=True,
                source_line="d1",
                visibility="public",
            ),
            ResultRow(
                "model_tambon",
                2569,
                2,
                "tambon",
                "300101",
                {"tambons": 5},
                source_line="i1",
                visibility="internal",
            ),
            ResultRow(
                "model_tambon",
                2569,
                2,
                "province",
                "30",
                {"budget_baht": 1e6},
                source_line="p1",
                visibility="public",
            ),
        ]
        store.store_results(_meta("model_tambon", "extra.csv", len(extra)), extra)
        yield store


def _filters() -> list[RowFilter]:
    return [
        RowFilter("disaster", 2569),
        RowFilter("disaster", 2569, 2),
        RowFilter("disaster", 2569, within="northeast"),
        RowFilter("disaster", None),
        RowFilter("model_tambon", 2569, 2),
        RowFilter("model_tambon", 2569, within="50"),
        RowFilter("welfare_fund", 2568, within="5001"),
        RowFilter("disaster", 2569, public_only=True),
    ]


def _rows(store: Store, f: RowFilter) -> pd.DataFrame:
    """The pandas path: every row of the programme and year, filtered in pandas."""
    rows = store.results(f.programme, fiscal_year=f.fiscal_year, public_only=f.public_only)
    if f.public_only:
        rows = public.public_results(rows)
    return figures.within(figures.filter_period(rows, None, f.quarter), f.within)


@pytest.mark.parametrize("f", _filters(), ids=str)
def test_area_totals_equal_the_pandas_aggregate(big_store: Store, f: RowFilter) -> None:
    rows = _rows(big_store, f)
    assert not rows.empty
    programme = f.programme or ""
    metric = "households" if programme == "disaster" else "tambons"
    for level in ("province", "district", "tambon"):
        for chosen in (None, metric):
            expected = figures.aggregate(rows, chosen, level).sort_index()
            found = queries.area_series(big_store, f, chosen, level).sort_index()
            expected = expected.dropna() if chosen else expected
            pd.testing.assert_series_equal(
                found, expected, check_names=False, check_index_type=False
            )


@pytest.mark.parametrize("f", _filters(), ids=str)
def test_totals_add_up_to_the_stored_rows(big_store: Store, f: RowFilter) -> None:
    rows = _rows(big_store, f)
    placed = figures.row_count(rows[rows["province_code"].notna()])
    assert queries.count_rows(big_store, f) == figures.row_count(rows)
    for level in ("region", "province"):
        totals = queries.area_totals(big_store, f, level)
        assert int(totals["rows"].sum()) == placed
    if f.programme == "disaster":
        households = queries.area_totals(big_store, f, "tambon")["households"].sum()
        assert households == pytest.approx(float(rows["households"].sum()))


@pytest.mark.parametrize("public_only", [False, True])
@pytest.mark.parametrize("quarter", [None, 2])
def test_overview_choices_and_region_summary_equal_the_pandas_path(
    big_store: Store, public_only: bool, quarter: int | None
) -> None:
    f = RowFilter(None, 2569, quarter, public_only=public_only)
    rows = _rows(big_store, f)
    expected = [(p.id, m) for p, m in figures.metric_choices(rows)]
    assert [(p.id, m) for p, m in queries.metric_choices(big_store, f)] == expected
    for lang in ("th", "en"):
        pd.testing.assert_frame_equal(
            tables.region_summary_table(queries.region_summary(big_store, f), lang),
            tables.region_summary(rows, lang),
        )


@pytest.mark.parametrize(
    "f",
    [
        RowFilter(None, 2569),
        RowFilter(None, 2569, 2, within="northeast"),
        RowFilter(None, 2569, within="50"),
        RowFilter(None, 2569, public_only=True),
    ],
    ids=str,
)
def test_areas_with_figures_are_what_area_series_gives_each_figure(
    big_store: Store, f: RowFilter
) -> None:
    """The overview ranks its figures by the areas each fills: one query for every figure
    must count what one ``area_series`` per figure counts."""
    pairs = [(p.id, m) for p, m in queries.metric_choices(big_store, f)]
    assert len({p for p, _ in pairs}) > 1 and any(m for _, m in pairs)
    for level in ("province", "district", "tambon"):
        found = queries.areas_with_figures(big_store, f, pairs, level)
        expected = {
            (programme, metric): int(
                queries.area_series(big_store, replace(f, programme=programme), metric, level)
                .notna()
                .sum()
            )
            for programme, metric in pairs
        }
        assert found == expected, level
    assert queries.areas_with_figures(big_store, f, [], "province") == {}
    with pytest.raises(ValueError):
        queries.areas_with_figures(big_store, f, pairs, "region")


@pytest.mark.parametrize("area", ["northeast", "bangkok_east", "10", "5001", "500101", "north"])
def test_results_within_an_area_are_the_pandas_within(big_store: Store, area: str) -> None:
    every = big_store.results(None, fiscal_year=2569)
    narrow = big_store.results(None, fiscal_year=2569, within=area)
    expected = figures.within(every, area)
    assert not expected.empty
    assert list(narrow["id"]) == list(expected["id"])
    pd.testing.assert_frame_equal(
        tables.area_details(narrow, area, "th"), tables.area_details(every, area, "th")
    )


def test_fiscal_years_and_quarters(big_store: Store) -> None:
    every = big_store.results()
    assert queries.fiscal_years(big_store) == sorted(set(every["fiscal_year"]), reverse=True)
    assert queries.fiscal_years(big_store) == YEARS[::-1]
    assert queries.quarters(big_store, RowFilter("disaster", 2569)) == [1, 2, 3, 4]


def test_next_prefix_ranges() -> None:
    assert within._next_prefix("10") == "11"
    assert within._next_prefix("1099") == "1100"
    assert within._next_prefix("99") is None
