"""Which stored rows lie within an area, as a SQL condition on the results table: the rule
``Store.results(within=...)`` and the totals in ``queries`` both filter by.

Areas are DOPA code prefixes, searched as ranges (``code >= '10' AND code < '11'``) so the
``ix_results_*`` indices serve them under any collation; a CODI region is its provinces as
CODI grouped them in the fiscal year asked for.
"""

from __future__ import annotations

import sqlalchemy as sa

from codi_geo.places import gazetteer
from codi_geo.results.schema import results_table

_r = results_table.c
# Levels whose code is a DOPA code (a point's is its tambon's): they lie in a province.
PLACED_LEVELS = ("province", "district", "tambon", "point")


def _next_prefix(code: str) -> str | None:
    """The smallest code of the same length after every code starting with ``code`` (None
    past the last): ``'10'`` -> ``'11'``."""
    if not code.isdigit():
        return code[:-1] + chr(ord(code[-1]) + 1)
    following = str(int(code) + 1).zfill(len(code))
    return following if len(following) == len(code) else None


def code_prefix(column: sa.ColumnElement, prefix: str) -> sa.ColumnElement[bool]:
    """``column`` starts with ``prefix``, as an index-friendly range."""
    upper = _next_prefix(prefix)
    lower = column >= prefix
    return lower if upper is None else sa.and_(lower, column < upper)


def area_condition(within: str, fiscal_year: int | None) -> sa.ColumnElement[bool]:
    """Rows inside a CODI region (its region-level rows, and rows in its provinces as CODI
    grouped them in ``fiscal_year``; every year's grouping when None) or inside a province,
    district or tambon (rows at that level or finer)."""
    placed = _r.level.in_(PLACED_LEVELS)
    if within in gazetteer.REGION_BY_ID:
        own = sa.and_(_r.level == "region", _r.code == within)
        province = sa.func.substr(_r.code, 1, 2)
        if fiscal_year is not None:
            in_region: sa.ColumnElement[bool] = province.in_(_provinces_of(within, fiscal_year))
        else:  # each row by its own year's grouping; years no table covers: the current one
            periods: list[tuple[sa.ColumnElement[bool], sa.ColumnElement[bool]]] = []
            for start, end in gazetteer.region_periods():
                years: sa.ColumnElement[bool] = (
                    _r.fiscal_year >= start if end is None else _r.fiscal_year.between(start, end)
                )
                periods.append((years, province.in_(_provinces_of(within, start))))
            in_region = sa.or_(
                *(sa.and_(years, inside) for years, inside in periods),
                sa.and_(
                    sa.not_(sa.or_(*(years for years, _ in periods))),
                    province.in_(_provinces_of(within, None)),
                ),
            )
        return sa.or_(own, sa.and_(placed, in_region))
    return sa.and_(placed, code_prefix(_r.code, within))


def _provinces_of(region: str, fiscal_year: int | None) -> list[str]:
    return sorted(c for c, r in gazetteer.province_regions(fiscal_year).items() if r == region)
