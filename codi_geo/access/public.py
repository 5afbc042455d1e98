"""Public mode: what community networks may see without signing in.

``CODI_GEO_MODE=public`` serves read-only pages: no import, no batch list, no internal rows,
no personal or beneficiary fields, figures at tambon level or above (point results become
counts per tambon; no coordinates of single households ever leave the server).

Which fields are public comes from the programme declarations (``Metric.public``,
``Programme.public_fields``), never from page code. Everything here is an allow-list: a
column, page or action not named as public is internal.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

import pandas as pd

from codi_geo.access.rules import User
from codi_geo.errors import CodiGeoError, SettingsError
from codi_geo.places import gazetteer
from codi_geo.programmes import PROGRAMME_BY_ID, Programme
from codi_geo.results import frames
from codi_geo.results.exact import Exact, counted_mask
from codi_geo.results.frames import metric_frame
from codi_geo.results.records import area_codes
from codi_geo.settings import Settings, get_settings

Mode = Literal["internal", "public"]

# Pages (by id: the page file's name without its number prefix, hyphens as underscores:
# ``app_pages/2_model_tambons.py`` and the URL path ``model-tambons`` -> ``model_tambons``;
# the app's page list is ``codi_geo.ui.widgets.PAGES``) a public deployment serves. Every
# other page is internal only.
PUBLIC_PAGES: frozenset[str] = frozenset(
    {
        "overview",
        "model_tambons",
        "integrated_provinces",
        "housing",
        "disasters",
        "sources",
        "change",
    }  # change over time: public rows only, through the same loaders
)
# Pages that must never be served in public mode: the data page (import, batch list, row
# table), and any page for users or the audit log.
INTERNAL_PAGES: frozenset[str] = frozenset(
    {"data", "import", "batches", "matching", "users", "audit", "review"}
)

# Columns that describe where a row is and when; always safe, derived from the DOPA code.
PLACE_COLUMNS: tuple[str, ...] = (
    "programme",
    "fiscal_year",
    "quarter",
    "level",
    "code",
    "region",
    "province_code",
    "district_code",
    "tambon_code",
)
# Never public, whatever a declaration says: exact coordinates, provenance of single rows,
# store internals.
NEVER_PUBLIC: frozenset[str] = frozenset(
    {
        "latitude",
        "longitude",
        "lat",
        "lon",
        "id",
        "batch",
        "batch_id",
        "batch_file_name",
        "source_doc",
        "source_line",
        "source_row",
        "natural_key",
        "active",
        "visibility",
        "metrics",
    }
)
POINT_LEVEL = "point"
ROWS_COLUMN = frames.ROWS_COLUMN


class PublicModeError(CodiGeoError, ValueError):
    """The app is misconfigured for public mode, or a frame cannot be made public."""


def app_mode(environ: Mapping[str, str] | None = None) -> Mode:
    """``public`` or ``internal`` from ``CODI_GEO_MODE`` (unset or empty: internal).
    A value that is neither is refused, so a typo never silently serves internal pages."""
    try:
        settings = get_settings() if environ is None else Settings.from_env(environ)
    except SettingsError as error:
        raise PublicModeError(error.th, error.en) from error
    return "public" if settings.mode == "public" else "internal"


def page_id(path: str | Path) -> str:
    """A page's id from its file or URL path: ``app_pages/2_model_tambons.py`` and
    ``model-tambons`` -> ``model_tambons``."""
    stem = Path(str(path)).stem if str(path).endswith(".py") else Path(str(path)).name
    return re.sub(r"^\d+[_\- ]*", "", stem).lower().replace("-", "_")


def page_allowed(page: str | Path, public: bool) -> bool:
    """May this page (id, file or URL path) be served? Internal mode serves every page;
    public mode only ``PUBLIC_PAGES``."""
    name = page_id(page)
    return (not public) or (name in PUBLIC_PAGES and name not in INTERNAL_PAGES)


def public_columns(programme: Programme) -> list[str]:
    """The columns a public frame of this programme may have, in order: place and period,
    the declaration's ``public_fields`` (never coordinates, provenance or store internals),
    its public metrics, and ``rows`` (how many results a row stands for)."""
    fields = [
        f for f in programme.public_fields if f not in NEVER_PUBLIC and f not in PLACE_COLUMNS
    ]
    return [*PLACE_COLUMNS, *fields, *programme.public_metric_ids, ROWS_COLUMN]


def _year(fiscal_year: object) -> int | None:
    """A fiscal year from a frame cell (a NumPy integer, a float, or missing)."""
    if fiscal_year is None or pd.isna(fiscal_year):
        return None
    return int(fiscal_year)  # type: ignore[call-overload]


def _tambon_of(code: object) -> str | None:
    if isinstance(code, str) and len(code) >= 6 and code[:6].isdigit():
        return code[:6]
    return None


def public_rows(
    frame: pd.DataFrame, programme: Programme, *, include_demo: bool = False
) -> pd.DataFrame:
    """The rows a public page may show, from rows as ``Store.results()`` returns them.

    - rows whose ``visibility`` is not ``public`` are dropped (a frame without the column is
      refused: it cannot be checked); demo rows too unless ``include_demo``;
    - only the place columns, the declaration's ``public_fields`` and public metrics stay;
      coordinates, notes, provenance and any other column never do;
    - point rows become one row per (period, tambon, category when public): ``rows`` counts
      the points, public metrics are summed; names of single points are dropped. Points
      without a tambon code are left out (they cannot be shown without coordinates).
    """
    if "visibility" not in frame.columns:
        raise PublicModeError(
            "แถวข้อมูลไม่มีคอลัมน์ visibility จึงตรวจการเผยแพร่ไม่ได้",
            "rows without a 'visibility' column cannot be made public (pass Store.results() rows)",
        )
    data = metric_frame(frame, programme)
    keep = data["visibility"].astype("string").str.strip().str.lower().eq("public")
    keep = keep.fillna(False).astype(bool)
    if not include_demo and "is_demo" in data.columns:
        keep &= ~data["is_demo"].fillna(True).astype(bool)
    data = data[keep]
    if "programme" in data.columns:
        data = data[data["programme"].astype("string").eq(programme.id).fillna(False)]
    levels = (
        data["level"].astype("string")
        if "level" in data.columns
        else pd.Series(programme.level, index=data.index, dtype="string")
    )
    is_point = levels.eq(POINT_LEVEL).fillna(False).astype(bool)
    area_part = _public_area_rows(data[~is_point], programme)
    point_part = _public_point_rows(data[is_point], programme)
    parts = [p for p in (area_part, point_part) if not p.empty]
    columns = public_columns(programme)
    if include_demo:
        columns.append("is_demo")
    if not parts:
        return pd.DataFrame(columns=columns)
    out = pd.concat(parts, ignore_index=True, sort=False)
    return out[[c for c in columns if c in out.columns]]


def _public_area_rows(data: pd.DataFrame, programme: Programme) -> pd.DataFrame:
    if data.empty:
        return pd.DataFrame()
    allowed = [*public_columns(programme), "is_demo"]
    out = data[[c for c in allowed if c in data.columns]].copy()
    out[ROWS_COLUMN] = 1
    return out


def _public_point_rows(data: pd.DataFrame, programme: Programme) -> pd.DataFrame:
    if data.empty:
        return pd.DataFrame()
    tambons = data["code"].map(_tambon_of) if "code" in data.columns else None
    if tambons is None:
        return pd.DataFrame()
    data = data.assign(_tambon=tambons)[tambons.notna()]
    if data.empty:
        return pd.DataFrame()
    keys = [k for k in ("programme", "fiscal_year", "quarter") if k in data.columns]
    keys.append("_tambon")
    if "category" in programme.public_fields and "category" in data.columns:
        keys.append("category")
    if "is_demo" in data.columns:
        keys.append("is_demo")
    metrics = [m for m in programme.public_metric_ids if m in data.columns]
    grouped = data.groupby(keys, dropna=False, sort=True)
    out = grouped.size().rename(ROWS_COLUMN).to_frame()
    for metric_id in metrics:
        out[metric_id] = grouped[metric_id].sum(min_count=1).astype("Float64")
    out = out.reset_index().rename(columns={"_tambon": "code"})
    out = _suppress_small_counts(out, programme)
    out["level"] = "tambon"
    if "programme" not in out.columns:
        out["programme"] = programme.id
    years = out["fiscal_year"] if "fiscal_year" in out else [None] * len(out)
    # the same area columns as the store's rows, regions as CODI grouped them in each year
    codes = pd.DataFrame(
        [area_codes("tambon", c, _year(y)) for c, y in zip(out["code"], years, strict=True)],
        index=out.index,
    )
    return pd.concat([out, codes], axis=1)


def _suppress_small_counts(counts: pd.DataFrame, programme: Programme) -> pd.DataFrame:
    """``counts`` without the tambon counts of sensitive classes (vulnerable households)
    below ``CODI_GEO_SMALL_COUNT_THRESHOLD``: two pins of vulnerable people in a small
    tambon point at the households themselves."""
    sensitive = [c.id for c in programme.categories if c.sensitive]
    if not sensitive or "category" not in counts.columns:
        return counts
    small = counts["category"].isin(sensitive) & (
        counts[ROWS_COLUMN] < get_settings().small_count_threshold
    )
    return counts[~small]


def check_public_frame(frame: pd.DataFrame, programme: Programme) -> list[str]:
    """Problems that make ``frame`` unfit for a public page (empty list: fit). For a last
    check in the page layer before anything is drawn or offered for download."""
    problems = []
    allowed = set(public_columns(programme)) | {"is_demo"}
    extra = [c for c in frame.columns if c not in allowed]
    if extra:
        problems.append(f"columns not public for {programme.id}: {extra}")
    if "level" in frame.columns and frame["level"].astype("string").eq(POINT_LEVEL).any():
        problems.append("point rows (single locations) present")
    return problems


# Columns the pages read from ``Store.results()`` frames that a public frame never fills: they
# are added empty so the same page code runs in both modes (nothing is ever put in them).
EMPTY_PAGE_COLUMNS: tuple[str, ...] = (
    "id",
    "batch_id",
    "name",
    "category",
    "latitude",
    "longitude",
    "place_text",
    "visibility",
    "is_demo",
    "note",
    "source_doc",
    "source_line",
    "source_row",
    "batch_file_name",
)


def public_results(frame: pd.DataFrame) -> pd.DataFrame:
    """Every programme's public rows in one frame, for the pages of a public deployment:
    ``public_rows`` per programme (each checked with ``check_public_frame``), rows of an
    undeclared programme dropped, then the internal columns pages expect added empty (see
    ``EMPTY_PAGE_COLUMNS``). ``rows`` says how many stored results each row stands for."""
    parts = []
    programmes = frame["programme"].dropna().unique() if "programme" in frame.columns else []
    for programme_id in programmes:
        programme = PROGRAMME_BY_ID.get(str(programme_id))
        if programme is None:  # not declared: nothing of it is public
            continue
        part = public_rows(frame[frame["programme"] == programme_id], programme)
        problems = check_public_frame(part, programme)
        if problems:
            raise PublicModeError(
                f"{programme.id}: ข้อมูลนี้เผยแพร่ไม่ได้: {'; '.join(problems)}",
                f"{programme.id}: {'; '.join(problems)}",
            )
        if not part.empty:
            parts.append(part)
    out = (
        pd.concat(parts, ignore_index=True, sort=False)
        if parts
        else pd.DataFrame(columns=[*PLACE_COLUMNS, ROWS_COLUMN])
    )
    for column in EMPTY_PAGE_COLUMNS:
        if column not in out.columns:
            out[column] = pd.Series([None] * len(out), index=out.index, dtype=object)
    out["quarter"] = out["quarter"].astype("Int64")
    out[ROWS_COLUMN] = out[ROWS_COLUMN].astype("int64")
    return out


# -- community pins inside the app ----------------------------------------------------------


def exact_provinces(user: User | None) -> Exact:
    """The one rule of who sees community pins (approved COPIN pins) exactly, as their
    points, notes and photos (Thailand's PDPA: people's locations and conditions): admins
    every pin (None); staff of a CODI region the pins in its provinces; anyone else (a
    viewer without a region, nobody signed in) none (an empty tuple). The pins a user does
    not see exactly it sees counted per tambon and kind, as public pages show them
    (``seen_rows``). Other rows are not concerned: staff see them as stored."""
    if user is None or not user.can("view"):
        return ()
    if user.role == "admin":
        return None
    if not user.region:
        return ()
    regions = gazetteer.province_regions()
    return tuple(sorted(p for p, region in regions.items() if region == user.region))


def sees_exactly(user: User | None, row: Mapping[str, object]) -> bool:
    """May ``user`` see this stored row (a ``Store.results()`` row) exactly?"""
    frame = pd.DataFrame([dict(row)])
    return not bool(counted_mask(frame, exact_provinces(user)).iloc[0])


def seen_rows(frame: pd.DataFrame, exact: Exact) -> pd.DataFrame:
    """Internal rows (``Store.results()``) as a viewer who sees the community pins of the
    provinces ``exact`` exactly (``exact_provinces``) sees them: the other community pins
    counted per tambon and kind by ``public_results`` (no point, note, name or source line;
    small counts of vulnerable groups hidden), every other row as stored. ``rows`` says how
    many results a row stands for. ``frame`` itself when nothing is hidden."""
    hidden = counted_mask(frame, exact)
    if not hidden.any():
        return frame
    counted = public_results(frame[hidden])
    counted = counted.assign(visibility="public", is_demo=False, active=True)
    kept = frame[~hidden]
    if ROWS_COLUMN not in kept.columns:
        kept = kept.assign(**{ROWS_COLUMN: 1})
    parts = [p for p in (kept, counted) if not p.empty]
    if not parts:
        return kept
    out = pd.concat(parts, ignore_index=True, sort=False)
    out[ROWS_COLUMN] = out[ROWS_COLUMN].fillna(1).astype("int64")
    return out


def public_indicators(frame: pd.DataFrame) -> pd.DataFrame:
    """Indicators (national targets and results) for a public page: the figures stay, the
    provenance and notes are emptied."""
    out = frame.copy()
    for column in ("source_doc", "source_line", "source_row", "note", "batch_id"):
        if column in out.columns:
            out[column] = None
    return out
