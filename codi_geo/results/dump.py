"""A programme's stored rows as a spreadsheet (``python -m codi_geo export``): codes with
their Thai names, period, category, metrics and provenance. Which rows and columns a public
export may hold is not decided here: the caller passes ``access.public.public_rows``."""

from __future__ import annotations

import pandas as pd

from codi_geo.places import gazetteer
from codi_geo.programmes import get_programme
from codi_geo.results import sheets


def _thai_name(code: object) -> str | None:
    return gazetteer.name_of(code) if isinstance(code, str) else None


def _region_name(region: str | None) -> str | None:
    found = gazetteer.REGION_BY_ID.get(region or "")
    return found.name.th if found else None


def export_frame(frame: pd.DataFrame, programme: str) -> pd.DataFrame:
    """A programme's rows (``Store.results()``, or their public form) for a spreadsheet:
    codes with their Thai names (from the gazetteer), period, category, metrics and whatever
    provenance ``frame`` carries."""
    declared = get_programme(programme)
    out = pd.DataFrame(index=frame.index)
    for column in ("programme", "fiscal_year", "quarter", "level", "code", "region"):
        out[column] = frame[column]
    out["region_th"] = frame["region"].map(_region_name)
    for level in ("province", "district", "tambon"):
        codes = frame[f"{level}_code"]
        out[f"{level}_code"] = codes
        out[f"{level}_th"] = codes.map(_thai_name)
    categories = {c.id: c.name.th for c in declared.categories}
    for column in ("latitude", "longitude", "category", "name", "place_text"):
        if column in frame.columns:
            out[column] = frame[column]
            if column == "category":
                out["category_th"] = frame[column].map(lambda c: categories.get(c, c))
    for metric in declared.metrics:
        if metric.id in frame.columns:
            out[metric.id] = _whole_numbers_as_integers(frame[metric.id])
    extra = (
        "rows",  # how many stored results a counted row stands for (public_rows, seen_rows)
        "visibility",
        "is_demo",
        "note",
        "source_doc",
        "source_line",
        "source_row",
        "batch_id",
        "batch_file_name",
    )
    for column in extra:
        if column in frame.columns:
            out[column] = frame[column]
    return out.reset_index(drop=True)


def _whole_numbers_as_integers(values: pd.Series) -> pd.Series:
    """``120`` rather than ``120.0`` in a spreadsheet, when every figure is whole."""
    present = values.dropna()
    if len(present) and (present.astype(float) % 1 == 0).all():
        return values.astype("Int64")
    return values


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 with BOM, so Excel on Thai Windows shows the Thai text; formula-like text as
    text (``sheets``)."""
    return sheets.frame_csv_bytes(frame, float_format=None)
