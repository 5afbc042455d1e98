"""The tables the pages show beside their maps, as DataFrames with the page language's
headers and numbers written Thai style. Pure: pages call these and hand the result to
``st.dataframe``; no Streamlit here.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from codi_geo.maps import figures, scales
from codi_geo.maps.base import fmt_number
from codi_geo.places import gazetteer
from codi_geo.programmes import Programme, get_programme
from codi_geo.results import frames
from codi_geo.results.documents import cite
from codi_geo.text import t


def _quarter(value: object, lang: str, missing: str = "") -> str:
    # a cell of the quarter column: a number unless NA
    return t("quarter_n", lang, n=int(value)) if pd.notna(value) else missing  # type: ignore[call-overload]


def _category_name(
    programme: Programme, category_id: object, lang: str, unknown: str | None = None
) -> str:
    """The name of one of the programme's categories; ``unknown`` for any other value (an
    error when None: those rows were checked against the programme on import)."""
    found = programme.category(category_id) if isinstance(category_id, str) else None
    if found is not None:
        return found.name.get(lang)
    if unknown is None:
        raise KeyError(f"programme {programme.id} has no category {category_id!r}")
    return unknown


def _source(doc: object, line: object, lang: str) -> str:
    """A citation by the document's title, fiscal year and quarter, and the line."""
    return cite(doc, line, lang)


def _regions(lang: str) -> list[str]:
    return [r.name.get(lang) for r in gazetteer.CODI_REGIONS]


# ---------------------------------------------------------------------------------------
# Overview
# ---------------------------------------------------------------------------------------


def targets_vs_results(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Targets vs results (``figures.progress`` output): indicator, programme, progress in
    percent (for a progress bar), result, target, unit, quarter, source."""

    def programme_name(programme_id: object) -> str:
        if isinstance(programme_id, str) and programme_id:
            try:
                declared = get_programme(programme_id)
            except KeyError:
                return programme_id
            return declared.name.get(lang)
        return ""

    return pd.DataFrame(
        {
            t("indicator", lang): table["name_th"],
            t("programme", lang): [programme_name(p) for p in table["programme"]],
            t("progress", lang): [None if pd.isna(v) else float(v) * 100 for v in table["share"]],
            t("result", lang): [fmt_number(v, lang) for v in table["result"]],
            t("target", lang): [fmt_number(v, lang) for v in table["target"]],
            t("unit", lang): table["unit_th"].fillna(""),
            t("quarter", lang): [_quarter(q, lang) for q in table["quarter"]],
            t("source", lang): [
                _source(d, line, lang)
                for d, line in zip(table["source_doc"], table["source_line"], strict=True)
            ],
        }
    )


def region_summary(rows: pd.DataFrame, lang: str, region: str | None = None) -> pd.DataFrame:
    """Per programme (rows) and CODI region (columns): the programme's first metric with
    figures, else its result count. With ``region``: that region's column only (the
    region filter means the same on every table)."""
    items = []
    for programme in figures.programmes_with_rows(rows):
        own = rows[rows["programme"] == programme.id]
        metric = next(
            (
                m.id
                for m in programme.metrics
                if m.id in own and pd.to_numeric(own[m.id], errors="coerce").notna().any()
            ),
            None,
        )
        items.append((programme, metric, figures.region_summary(own, metric)))
    return region_summary_table(items, lang, region)


def region_summary_table(items: list, lang: str, region: str | None = None) -> pd.DataFrame:
    """The region summary from (programme, metric or None, totals per region) items, as
    ``region_summary`` counts them from rows or ``results.queries.region_summary`` in SQL.
    With ``region``: that region's column only (the region filter means the same on every
    table)."""
    summary = {}
    for programme, metric, totals in items:
        unit = ""
        if metric:
            declared = programme.metric(metric)
            unit = declared.unit.get(lang)
        name = programme.name.get(lang)
        summary[f"{name} ({unit or t('row_count', lang)})"] = [fmt_number(v, lang) for v in totals]
    frame = pd.DataFrame(summary, index=_regions(lang)).T
    if region in gazetteer.REGION_BY_ID:
        frame = frame[[gazetteer.REGION_BY_ID[region].name.get(lang)]]
    return frame


def area_details(rows: pd.DataFrame, code: str, lang: str) -> pd.DataFrame:
    """Every programme's figures for the area ``code`` (empty when it has none)."""
    table = figures.area_details(rows, code, lang)
    if table.empty:
        return table
    return pd.DataFrame(
        {
            t("programme", lang): table["programme"],
            t("figure", lang): table["metric"],
            t("value", lang): [fmt_number(v, lang) for v in table["value"]],
            t("rows", lang): table["rows"],
        }
    )


# ---------------------------------------------------------------------------------------
# Model tambons
# ---------------------------------------------------------------------------------------


def model_tambons_per_region(
    rows: pd.DataFrame, programme: Programme, lang: str, fiscal_year: int | None, within: str | None
) -> pd.DataFrame:
    """Per CODI region: the regional count of each criterion, and how many tambons the rows
    list (as CODI grouped the provinces in ``fiscal_year``). Empty: nothing to count."""
    region_rows = rows[rows["level"] == "region"]
    tambon_rows = figures.within(rows[rows["level"] == "tambon"], within)
    table = {}
    if not region_rows.empty:
        for category_id in dict.fromkeys(region_rows["category"].dropna()):
            category = programme.category(category_id)
            counts = figures.region_counts(region_rows, category_id, "tambons")
            label = category.name.get(lang) if category else category_id
            table[label] = [fmt_number(counts.get(r.id), lang) for r in gazetteer.CODI_REGIONS]
    if not tambon_rows.empty:
        listed = figures.category_by_area(
            rows[rows["level"] == "tambon"], "tambon", [c.id for c in programme.categories]
        )
        by_region = listed.groupby(
            listed.index.map(lambda c: gazetteer.province_regions(fiscal_year).get(c[:2]))
        ).size()
        table[t("tambons_listed", lang)] = [
            fmt_number(by_region.get(r.id, 0), lang) for r in gazetteer.CODI_REGIONS
        ]
    if not table:
        return pd.DataFrame()
    frame = pd.DataFrame(table, index=_regions(lang))
    if within in gazetteer.REGION_BY_ID:  # a region chosen: its own row, not the country's
        frame = frame.loc[[gazetteer.REGION_BY_ID[within].name.get(lang)]]
    return frame


def source_refs(rows: pd.DataFrame, lang: str, most: int = 6) -> str:
    """``ที่มา: รายงานผลการดำเนินงาน ปีงบประมาณ 2569 ไตรมาส 2, บรรทัด 158, 159 …`` for a
    caption: the rows' documents by title, each with its first ``most`` lines."""
    lines: dict[str, list[str]] = {}
    for doc, line in zip(rows["source_doc"], rows["source_line"], strict=True):
        if isinstance(doc, str) and doc:
            found = lines.setdefault(doc, [])
            if pd.notna(line) and str(line) not in found:
                found.append(str(line))
    parts = []
    for doc, found in sorted(lines.items()):
        found.sort(key=lambda x: (not x.isdigit(), int(x) if x.isdigit() else 0, x))
        shown = ", ".join(found[:most]) + (" …" if len(found) > most else "")
        parts.append(cite(doc, shown or None, lang))
    return f"{t('source', lang)}: {'; '.join(parts)}" if parts else ""


def tambon_cohorts(cohorts: pd.Series, programme: Programme, lang: str) -> pd.DataFrame:
    """The listed model tambons (``cohorts``: tambon code → category id) with their cohort."""
    return pd.DataFrame(
        {
            t("tambon", lang): [gazetteer.full_name(c, lang) for c in cohorts.index],
            t("cohort", lang): [_category_name(programme, v, lang) for v in cohorts.to_numpy()],
        }
    )


# ---------------------------------------------------------------------------------------
# Integrated provinces
# ---------------------------------------------------------------------------------------


def integrated_provinces(
    tiers: pd.Series,
    met_all: Iterable[str],
    programme: Programme,
    tier_order: tuple[str, ...],
    lang: str,
    fiscal_year: int | None,
    region: str | None,
) -> pd.DataFrame:
    """The provinces with a support tier (of ``region`` when given, as CODI grouped them in
    ``fiscal_year``), by tier then name: province, tier, met all criteria, region."""
    regions = gazetteer.province_regions(fiscal_year)  # CODI's regions of the year
    met = set(met_all)
    codes = [c for c in tiers.index if not region or regions.get(c) == region]
    order = {tier: i for i, tier in enumerate(tier_order)}
    codes.sort(key=lambda c: (order[tiers[c]], gazetteer.name_of(c, lang) or c))
    return pd.DataFrame(
        {
            t("province", lang): [gazetteer.name_of(c, lang) for c in codes],
            t("support_tier", lang): [_category_name(programme, tiers[c], lang) for c in codes],
            t("met_all_criteria", lang): [t("yes", lang) if c in met else "–" for c in codes],
            t("region", lang): [gazetteer.REGION_BY_ID[regions[c]].name.get(lang) for c in codes],
        }
    )


def tier_counts(
    tiers: pd.Series, programme: Programme, tier_order: tuple[str, ...], lang: str
) -> str:
    """``ระดับ 1: **12** · …`` (Markdown): how many provinces each tier has."""
    counts = tiers.value_counts()
    return " · ".join(
        f"{_category_name(programme, k, lang)}: **{fmt_number(counts.get(k, 0), lang)}**"
        for k in tier_order
    )


def criteria_per_region(
    rows: pd.DataFrame, programme: Programme, tier_order: tuple[str, ...], lang: str
) -> pd.DataFrame | None:
    """Per criterion (rows) and CODI region (columns): how many provinces met it. None when
    the rows have no regional criteria counts."""
    criteria = rows[
        (rows["level"] == "region") & rows["category"].notna() & ~rows["category"].isin(tier_order)
    ]
    if criteria.empty or "provinces" not in criteria:
        return None
    table = criteria.pivot_table(
        index="category", columns="code", values="provinces", aggfunc="sum"
    )
    table = table.reindex(columns=[r.id for r in gazetteer.CODI_REGIONS])
    table.index = [_category_name(programme, c, lang, c) for c in table.index]
    table.columns = _regions(lang)
    return table.map(lambda v: fmt_number(v, lang))


# ---------------------------------------------------------------------------------------
# Listings: housing and disasters
# ---------------------------------------------------------------------------------------


def by_category(
    rows: pd.DataFrame, programme: Programme, metric: str | None, unit: str, lang: str
) -> pd.DataFrame:
    """Per category of the rows: the sum of ``metric`` (a count of results when None)."""
    counts = (
        frames.countable(rows, metric, rows["category"]).groupby(rows["category"]).sum(min_count=1)
        if metric
        else figures.count_by(rows, "category")
    )
    return pd.DataFrame(
        {
            t("category", lang): [_category_name(programme, c, lang, c) for c in counts.index],
            unit or t("row_count", lang): [fmt_number(v, lang) for v in counts],
        }
    )


def _place(row: pd.Series, lang: str) -> str:
    code = row["code"]
    if isinstance(code, str) and gazetteer.is_current(code):
        return gazetteer.full_name(code, lang)
    text = row.get("place_text")
    if isinstance(text, str) and text:
        return text
    return code if isinstance(code, str) else t("whole_country", lang)


def housing_rows(listing: pd.DataFrame, programme: Programme, lang: str) -> pd.DataFrame:
    """A housing programme's rows: place, name, category, each metric with figures, quarter
    (``plan`` for rows without one), source, note."""
    return pd.DataFrame(
        {
            t("place", lang): [_place(r, lang) for _, r in listing.iterrows()],
            t("name", lang): listing["name"].fillna(""),
            t("category", lang): [
                _category_name(programme, c, lang, "") for c in listing["category"]
            ],
            **{
                m.name.get(lang): [fmt_number(v, lang) for v in listing[m.id]]
                for m in programme.metrics
                if m.id in listing and pd.to_numeric(listing[m.id], errors="coerce").notna().any()
            },
            t("quarter", lang): [_quarter(q, lang, t("plan", lang)) for q in listing["quarter"]],
            t("source", lang): [
                _source(d, s, lang)
                for d, s in zip(listing["source_doc"], listing["source_line"], strict=True)
            ],
            t("note", lang): listing["note"].fillna(""),
        }
    )


def pinpoints_per_tambon(rows: pd.DataFrame, lang: str, limit: int | None = None) -> pd.DataFrame:
    """How many pinpoints each tambon has (empty when no row names a tambon); with ``limit``,
    only the ``limit`` tambons with the most, largest first (only those are named: naming
    7,000 tambons is slow and a table of them too long to send)."""
    # the counted columns only: filtering every column of 30,000 rows takes 50 ms a rerun
    counted = rows[[c for c in ("tambon_code", figures.ROWS_COLUMN) if c in rows]]
    per_tambon = figures.count_by(
        figures.kept(counted, counted["tambon_code"].notna()), "tambon_code"
    )
    if per_tambon.empty:
        return pd.DataFrame()
    if limit is not None and len(per_tambon) > limit:
        per_tambon = per_tambon.sort_values(ascending=False, kind="stable").head(limit)
    return pd.DataFrame(
        {
            t("tambon", lang): [gazetteer.full_name(c, lang) for c in per_tambon.index],
            t("pinpoints", lang): [fmt_number(v, lang) for v in per_tambon],
        }
    )


def disaster_rows(rows: pd.DataFrame, programme: Programme, lang: str) -> pd.DataFrame:
    """Disaster rows: place, kinds, name, quarter, source, note."""
    return pd.DataFrame(
        {
            t("place", lang): [
                gazetteer.full_name(c, lang)
                if isinstance(c, str) and gazetteer.is_current(c)
                else (p if isinstance(p, str) else "")
                for c, p in zip(rows["code"], rows["place_text"], strict=True)
            ],
            t("kinds", lang): [_category_name(programme, c, lang, "") for c in rows["category"]],
            t("name", lang): rows["name"].fillna(""),
            t("quarter", lang): [_quarter(q, lang) for q in rows["quarter"]],
            t("source", lang): [
                _source(d, s, lang)
                for d, s in zip(rows["source_doc"], rows["source_line"], strict=True)
            ],
            t("note", lang): rows["note"].fillna(""),
        }
    )


# ---------------------------------------------------------------------------------------
# Area profile, change over time
# ---------------------------------------------------------------------------------------


def _years_of(frame: pd.DataFrame) -> list:
    return [c for c in frame.columns if isinstance(c, int | np.integer)]


def area_profile(profile: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``periods.area_profile`` for the screen: programme, figure, one column per fiscal year
    (Thai-style numbers, ``–`` for none) and the trend (the values, for a sparkline)."""
    years = _years_of(profile)
    shown = pd.DataFrame(
        {
            t("programme", lang): profile["programme"],
            t("figure", lang): profile["metric"],
        }
    )
    for year in years:
        shown[str(year)] = [fmt_number(v, lang) for v in profile[year]]
    shown[t("trend", lang)] = [
        [None if pd.isna(v) else float(v) for v in values]
        for values in profile[years].itertuples(index=False, name=None)
    ]
    return shown


def area_profile_export(profile: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``periods.area_profile`` for a file: the same columns with numbers as numbers."""
    years = _years_of(profile)
    table = pd.DataFrame(
        {
            t("programme", lang): profile["programme"],
            t("figure", lang): profile["metric"],
        }
    )
    for year in years:
        table[t("period_fy", lang, fy=year)] = pd.to_numeric(profile[year], errors="coerce")
    return table


def region_trends(
    series: pd.DataFrame, now: pd.Series, then: pd.Series, labels: tuple[str, str], lang: str
) -> pd.DataFrame:
    """Per CODI region: the trend over every fiscal year of ``series``
    (``periods.region_series``, for a sparkline), the figure in the two periods compared
    (``labels``: their names) and the change, signed (``–`` where neither has figures)."""
    years = list(series.columns)
    regions = list(series.index)
    now, then = now.reindex(regions), then.reindex(regions)
    either = now.notna() | then.notna()
    change = (now.fillna(0) - then.fillna(0)).where(either)
    return pd.DataFrame(
        {
            t("region", lang): _regions(lang),
            t("trend", lang): [
                [None if pd.isna(v) else float(v) for v in values]
                for values in series[years].itertuples(index=False, name=None)
            ],
            labels[1]: [fmt_number(v, lang) for v in then],
            labels[0]: [fmt_number(v, lang) for v in now],
            t("change_column", lang): [
                "–" if pd.isna(v) else scales.signed(float(v), 0 if float(v).is_integer() else 2)
                for v in change
            ],
        }
    )


def targets_over_time(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``periods.targets_over_periods`` for the screen: period, indicator, progress (percent,
    for a progress bar), result, target, unit; the CODI region for a region's own line."""

    def period(fiscal_year: object, quarter: object) -> str:
        if quarter is None or pd.isna(quarter):
            return t("period_fy", lang, fy=fiscal_year)
        return t("period_fy_q", lang, fy=fiscal_year, q=int(quarter))  # type: ignore[call-overload]

    def where(level: object, code: object) -> str:
        if level == "region" and isinstance(code, str) and code in gazetteer.REGION_BY_ID:
            return gazetteer.REGION_BY_ID[code].name.get(lang)
        return t("whole_country", lang)

    return pd.DataFrame(
        {
            t("period", lang): [
                period(y, q) for y, q in zip(table["fiscal_year"], table["quarter"], strict=True)
            ],
            t("indicator", lang): table["name_th"],
            t("region", lang): [
                where(lv, c) for lv, c in zip(table["level"], table["code"], strict=True)
            ],
            t("progress", lang): [None if pd.isna(v) else float(v) * 100 for v in table["share"]],
            t("result", lang): [fmt_number(v, lang) for v in table["result"]],
            t("target", lang): [fmt_number(v, lang) for v in table["target"]],
            t("unit", lang): table["unit_th"].fillna(""),
        }
    )
