"""A whole table of places matched at once: each distinct row once, the answer in five new
columns."""

from __future__ import annotations

import pandas as pd

from codi_geo.places.matching.normalise import clean_place
from codi_geo.places.matching.resolve import MatchInputError, MatchResult, match_cleaned

OUTPUT_COLUMNS = ("code", "level", "status", "score", "candidates")
CANDIDATES_IN_CELL = 5


def match_frame(
    frame: pd.DataFrame,
    place_column: str = "place",
    province_column: str = "province",
    district_column: str = "district",
) -> pd.DataFrame:
    """A copy of ``frame`` with code, level, status, score and candidates for each row.

    The province and district columns are optional context. Each distinct row is matched once.
    """
    if place_column not in frame.columns:
        found = ", ".join(map(str, frame.columns))
        raise MatchInputError(
            f"ไม่พบคอลัมน์ '{place_column}' (มีคอลัมน์: {found})",
            f"no '{place_column}' column (columns: {found})",
        )
    clash = ", ".join(c for c in OUTPUT_COLUMNS if c in frame.columns)
    if clash:
        raise MatchInputError(
            f"คอลัมน์ {clash} มีอยู่แล้ว เปลี่ยนชื่อก่อน",
            f"the input already has column(s) {clash}: rename them first",
        )

    def column(name: str) -> list[str]:
        if name not in frame.columns:
            return [""] * len(frame)
        return [clean_place(v) for v in frame[name].tolist()]

    rows = list(
        zip(column(place_column), column(province_column), column(district_column), strict=True)
    )
    results = {row: match_cleaned(*row, None) for row in dict.fromkeys(rows)}
    out = frame.copy()
    out["code"] = [results[r].code for r in rows]
    out["level"] = [results[r].level for r in rows]
    out["status"] = [results[r].status for r in rows]
    out["score"] = [results[r].score for r in rows]
    out["candidates"] = [_candidates_text(results[r]) for r in rows]
    return out


def _candidates_text(result: MatchResult) -> str:
    """``code name; code name`` for a table cell."""
    shown = result.candidates[:CANDIDATES_IN_CELL]
    return "; ".join(f"{c.code} {c.full_name}" for c in shown)
