"""Community pins seen only as counts: the rows of approved community pins (COPIN) a viewer
may not see exactly, as a SQL condition on the results table and as a mask of a frame.

Which provinces a viewer sees exactly is decided once, by ``access.public.exact_provinces``
(staff of the pin's region and admins); here is only how a query or a frame applies that
answer, so the map's SQL and the pages' frames hide the same rows. ``exact`` is a tuple of
province codes whose community pins are shown exactly, or None: every row exactly (an
admin, the command line).
"""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa

from codi_geo.results.schema import results_table

# The source every approved pin's result row cites (``community_pins.result_row``).
COMMUNITY_SOURCE = "COPIN"
Exact = tuple[str, ...] | None

_r = results_table.c


def counted_condition(exact: Exact) -> sa.ColumnElement[bool] | None:
    """Rows to show only counted per tambon (None: no such rows, everything is exact)."""
    if exact is None:
        return None
    community = _r.source_doc == COMMUNITY_SOURCE
    if not exact:
        return community
    return sa.and_(community, sa.func.substr(_r.code, 1, 2).not_in(sorted(exact)))


def exact_conditions(exact: Exact) -> list[sa.ColumnElement[bool]]:
    """The WHERE clauses keeping only rows shown exactly."""
    counted = counted_condition(exact)
    return [] if counted is None else [sa.not_(counted)]


def counted_mask(frame: pd.DataFrame, exact: Exact) -> pd.Series:
    """Which rows of a ``Store.results()`` frame to show only counted per tambon: the
    frame form of ``counted_condition``."""
    if exact is None or frame.empty or "source_doc" not in frame.columns:
        return pd.Series(False, index=frame.index, dtype=bool)
    community = frame["source_doc"].astype("string").eq(COMMUNITY_SOURCE).fillna(False)
    codes = frame["code"].astype("string").str[:2] if "code" in frame.columns else None
    inside = (
        codes.isin(list(exact)).fillna(False)
        if codes is not None
        else pd.Series(False, index=frame.index)
    )
    return (community & ~inside).astype(bool)
