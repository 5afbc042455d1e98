"""What the store holds, as values: a result row, an indicator row, a batch (new and stored),
the keys that make a row the same fact, and the conversions between rows and records/frames.
Pure: no connection here (the ``store`` module reads and writes)."""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from typing import Any

import pandas as pd
import sqlalchemy as sa

from codi_geo.places import gazetteer
from codi_geo.programmes import get_programme
from codi_geo.results.schema import RESULT_COLUMNS

RESULT_LEVELS: tuple[str, ...] = ("national", "region", "province", "district", "tambon", "point")


# ---------------------------------------------------------------------------------------
# Values
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResultRow:
    """One programme result, ready to store. ``code`` is a DOPA code (tambon for points), a
    CODI region id for level ``region``, or None for ``national``."""

    programme: str
    fiscal_year: int
    quarter: int | None
    level: str
    code: str | None
    metrics: dict[str, float] = field(default_factory=dict)
    latitude: float | None = None
    longitude: float | None = None
    category: str | None = None
    name: str | None = None
    place_text: str | None = None
    visibility: str = "internal"
    is_demo: bool = False
    note: str | None = None
    source_doc: str | None = None
    source_line: str | None = None
    source_row: int | None = None


@dataclass(frozen=True)
class IndicatorRow:
    fiscal_year: int
    quarter: int | None
    indicator_id: str
    name_th: str
    level: str
    code: str | None = None
    plan: str | None = None
    programme: str | None = None
    unit_th: str | None = None
    target: float | None = None
    result: float | None = None
    source_doc: str | None = None
    source_line: str | None = None
    source_row: int | None = None
    note: str | None = None


@dataclass(frozen=True)
class NewBatch:
    """What a batch records about where its rows came from."""

    programme: str
    file_name: str
    file_sha256: str
    mode: str
    rows_total: int
    rows_rejected: int = 0
    rows_skipped: int = 0
    kind: str = "results"
    sheet: str = ""
    created_by: str | None = None
    note: str | None = None


@dataclass(frozen=True, kw_only=True)
class Batch(NewBatch):
    """A stored batch: what it recorded when it was made (``NewBatch``) and what the store
    adds (its id, when, how many rows it stored, whether it was undone and by whom)."""

    id: int
    created_at: datetime
    rows_stored: int
    status: str
    undone_at: datetime | None
    undone_by: str | None

    @property
    def active(self) -> bool:
        return self.status == "active"


def _normalise_text(text: str | None) -> str:
    return " ".join((text or "").split()).casefold()


def _place_parts(row: ResultRow) -> list[Any]:
    """Programme, period, place, category and name: what both keys of a row start with."""
    return [
        row.programme,
        row.fiscal_year,
        row.quarter,
        row.level,
        row.code,
        None if row.latitude is None else round(row.latitude, 6),
        None if row.longitude is None else round(row.longitude, 6),
        row.category,
        _normalise_text(row.name),
    ]


def _digest(parts: list[Any]) -> str:
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()


def natural_key(row: ResultRow) -> str:
    """What makes two rows the same fact: programme, period, place, category, name, demo flag
    and the citation when there is one (shipped rows cite a document and line; two lines of a
    report are two facts). Not the figures: the same fact with other figures is a conflict,
    not a new fact. (Stored with every row: the parts and their order are fixed.)"""
    return _digest([*_place_parts(row), row.is_demo, row.source_doc, row.source_line])


def fact_key(row: ResultRow) -> str:
    """What makes two rows the same fact whatever document, line or row they cite: programme,
    period, place, category, name, demo flag and the figures. The same figures for the same
    place and period from another source line are one fact counted twice."""
    figures = sorted((k, round(float(v), 6)) for k, v in (row.metrics or {}).items())
    return _digest([*_place_parts(row), bool(row.is_demo), figures])


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(value: datetime | None) -> datetime | None:
    # SQLite hands back naive datetimes; every timestamp we write is UTC.
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


def _batch_from_row(row: sa.Row) -> Batch:
    values = dict(row._mapping)
    values["created_at"] = _aware(values["created_at"])
    values["undone_at"] = _aware(values["undone_at"])
    return Batch(**values)


def _result_record(row: ResultRow, key: str | None = None) -> dict[str, Any]:
    """The table record of ``row``; ``key``: its ``natural_key`` when already computed."""
    # A shallow copy: ``asdict`` deep-copies every value, a fifth of a large import's time.
    record = {name: getattr(row, name) for name in _RESULT_FIELDS}
    record["metrics"] = {
        key: float(value)
        for key, value in row.metrics.items()
        if value is not None and not math.isnan(value)
    }
    record["natural_key"] = natural_key(row) if key is None else key
    record["active"] = True
    return record


_RESULT_FIELDS = tuple(f.name for f in fields(ResultRow))


def area_codes(
    level: str, code: str | None, fiscal_year: int | None = None
) -> dict[str, str | None]:
    """The region, province, district and tambon a stored row lies in (None where finer than
    the row's level or unknown); the region is CODI's of the row's fiscal year."""
    found: dict[str, str | None] = dict.fromkeys(
        ("region", "province_code", "district_code", "tambon_code")
    )
    if not code or level == "national":
        return found
    if level == "region":
        found["region"] = code
        return found
    length = len(code)
    found["province_code"] = code[:2]
    found["district_code"] = code[:4] if length >= 4 else None
    found["tambon_code"] = code[:6] if length >= 6 else None
    found["region"] = gazetteer.province_regions(fiscal_year).get(code[:2])
    return found


def _results_frame(rows: Sequence[Any], programme: str | None) -> pd.DataFrame:
    metric_ids: list[str] = []
    if programme is not None:
        metric_ids = [m.id for m in get_programme(programme).metrics]
    records = []
    for row in rows:
        record = {key: row[key] for key in ("id", "batch_id", *RESULT_COLUMNS)}
        record["batch_file_name"] = row["batch_file_name"]
        metrics = row["metrics"] or {}
        if isinstance(metrics, str):
            metrics = json.loads(metrics)
        for key in metrics:
            if key not in metric_ids:
                metric_ids.append(key)
        record.update(area_codes(row["level"], row["code"], row["fiscal_year"]))
        record["_metrics"] = metrics
        records.append(record)
    columns = [
        "id",
        "batch_id",
        *(c for c in RESULT_COLUMNS if c != "metrics"),
        "batch_file_name",
        "region",
        "province_code",
        "district_code",
        "tambon_code",
    ]
    frame = pd.DataFrame(records, columns=[*columns, "_metrics"])
    for metric_id in metric_ids:
        frame[metric_id] = pd.array([m.get(metric_id) for m in frame["_metrics"]], dtype="Float64")
    frame = frame.drop(columns="_metrics")
    frame["quarter"] = frame["quarter"].astype("Int64")
    frame["source_row"] = frame["source_row"].astype("Int64")
    frame["is_demo"] = frame["is_demo"].astype(bool)
    return frame
