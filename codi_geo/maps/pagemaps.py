"""What each page's map shows, computed once: the interactive map, the briefing image and the
downloads are all made from the same ``PageMap``, so they cannot disagree.

A page builds its ``PageMap`` with the function named after it (``overview``,
``model_tambons``, ``integrated_provinces``, ``housing``, ``disasters``) from the rows it
loaded and the view in the URL (``ViewState``), draws it with ``draw`` and offers the files
of ``codi_geo.outputs.downloads``. Pure: no Streamlit here.

Words: a ``PageMap`` is a page's whole map as data; its ``extent`` (``base.Extent``) is which
areas it draws; a *layer* is only ever something drawn on the Leaflet map
(``codi_geo.maps.layers``); the *view* is the user's choice in the URL.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import folium
import pandas as pd
from branca.element import Template

from codi_geo.maps import figures, periods, pins, scales
from codi_geo.maps.areas import category_map, choropleth_map, region_count_map
from codi_geo.maps.base import (
    Extent,
    MapOptions,
    extent_for,
)
from codi_geo.maps.layers import PlainRender
from codi_geo.maps.markers import pin_rows, points_layer, points_map, warm_area_points
from codi_geo.maps.shapes import chunk_of, geo_file, warm_layer
from codi_geo.maps.viewstate import ViewState
from codi_geo.places import gazetteer
from codi_geo.programmes import Programme, get_programme
from codi_geo.results.points import PIN_LIMIT
from codi_geo.text import t

Kind = Literal["choropleth", "category", "region_counts", "points", "heat", "change"]
COUNT = "rows"  # the metric key of "how many results" (no declared metric)
ALL_MODEL_TAMBONS = "new+follow_up"  # the model tambons of the year: new plus followed-up
PRESENT_MAP_HEIGHT = 700
PIN_COLOUR = "#9e9e9e"  # a pinned row without a declared category (``point_styles``)


@dataclass(frozen=True, eq=False)
class PageMap:
    """One page's map: ``values`` per area code of ``extent.level`` (numbers, or category ids
    for ``kind="category"``), the rows behind it (for the data downloads) and how to draw it.

    ``kind``: ``choropleth`` (classed numbers), ``category`` (declared categories),
    ``region_counts`` (the five CODI regions shaded by a number), ``points`` / ``heat``
    (pinned rows; the briefing then shades the areas by how many results each has),
    ``change`` (a figure now minus the same figure in the period ``compare``, on a diverging
    scale; ``rows`` are the rows of both periods).
    """

    programme: Programme
    kind: Kind
    extent: Extent
    values: pd.Series
    title: str
    rows: pd.DataFrame
    unit: str = ""
    metric: str | None = None  # a declared metric id, COUNT, or None (categories)
    only_with_data: bool = False
    fit_to_data: bool = False
    marked: tuple[str, ...] = ()
    marked_label: str = ""  # what the thick outline of ``marked`` means (legend, slide)
    extra_rows: tuple[tuple[str, pd.Series], ...] = ()
    legend_note: str = ""
    points: pd.DataFrame | None = None  # ``pin_rows`` output drawn on the map
    # The rows are pinpoints, each marked on the slide: their pins (``page_pins``) are made
    # only when a slide is. A session keeps its page map until it next runs (the downloads),
    # and the pins of a million-pin year are 2 MB a session.
    pinned_rows: bool = False
    count_label: tuple[str, str] | None = None  # (name, unit) of COUNT in the page language
    pin_overlay: bool = False  # draw ``points`` over a choropleth (housing communities)
    # The pins over the choropleth are counted by the store for the browser's view
    # (``maps.pins``) and come as their own layer: the map draws only their legend.
    counted_pins: bool = False
    compare: tuple[int, int | None] | None = None  # ``change``: the period compared with

    @property
    def level(self) -> str:
        return self.extent.level

    @property
    def has_data(self) -> bool:
        return bool(self.values.notna().any()) if len(self.values) else False


# ---------------------------------------------------------------------------------------
# Labels
# ---------------------------------------------------------------------------------------


def metric_label(programme: Programme, metric: str | None, lang: str) -> str:
    """``บ้านมั่นคงเมือง: ครัวเรือน``; the result count reads ``…: จำนวนแถวข้อมูล``; a running
    total says since when."""
    name = programme.name.get(lang)
    if metric is None or metric == COUNT:
        return f"{name}: {t('row_count', lang)}"
    declared = programme.metric(metric)
    if declared.running_total:  # a stock since a start date, never the period's own figure
        return f"{name}: {declared.name.get(lang)} ({declared.since.get(lang)})"
    return f"{name}: {declared.name.get(lang)}"


def metric_unit(programme: Programme, metric: str | None, lang: str) -> str:
    if metric is None or metric == COUNT:
        return ""
    declared = programme.metric(metric)
    return declared.unit.get(lang)


def filter_labels(state: ViewState, lang: str) -> tuple[tuple[str, str], ...]:
    """The area filters of a view as (label, value) pairs, for a briefing or a workbook."""
    if state.district:
        return ((t("district", lang), gazetteer.full_name(state.district, lang)),)
    if state.province:
        return ((t("province", lang), gazetteer.name_of(state.province, lang) or state.province),)
    if state.region:
        region = gazetteer.REGION_BY_ID[state.region]
        return ((t("region", lang), region.name.get(lang)),)
    return ((t("region", lang), t("whole_country", lang)),)


# ---------------------------------------------------------------------------------------
# The maps of the pages
# ---------------------------------------------------------------------------------------


def overview(rows: pd.DataFrame, state: ViewState, key: str, level: str, lang: str) -> PageMap:
    """Overview: one programme's figure (``key`` = ``programme:metric`` or
    ``programme:rows``) summed per area of ``level``."""
    programme_id, metric_id = key.split(":")
    programme = get_programme(programme_id)
    metric = None if metric_id == COUNT else metric_id
    own = figures.within(figures.kept(rows, rows["programme"] == programme_id), state.within)
    return PageMap(
        programme,
        "choropleth",
        extent_for(state.scope, state.within, level=level, fiscal_year=state.fiscal_year),
        figures.aggregate(own, metric, level),
        metric_label(programme, metric, lang),
        own,
        unit=metric_unit(programme, metric, lang),
        metric=metric or COUNT,
        count_label=(t("row_count", lang), t("rows", lang)),
    )


def best_overview_key(keys: list[str], areas_with_data: dict[str, int]) -> str | None:
    """Of ``keys`` (``programme:metric``), the one to open with, given how many areas have
    figures for each: a declared figure (households, tambons …) before a mere count of
    results; among them, the one on the most areas; ties in declaration order. None when no
    key has figures."""
    best, best_rank = None, None
    for order, key in enumerate(keys):
        found = areas_with_data.get(key, 0)
        if not found:
            continue
        rank = (key.split(":")[1] != COUNT, found, -order)
        if best_rank is None or rank > best_rank:
            best, best_rank = key, rank
    return best


def period_name(period: tuple[int, int | None], lang: str) -> str:
    """``ปีงบ 2568`` / ``ปีงบ 2569 ไตรมาส 1`` (short, for titles and choosers)."""
    fiscal_year, quarter = period
    if quarter:
        return t("period_fy_q", lang, fy=fiscal_year, q=quarter)
    return t("period_fy", lang, fy=fiscal_year)


def change(rows: pd.DataFrame, state: ViewState, key: str, level: str, lang: str) -> PageMap | None:
    """Change over time: one programme's figure (``key`` as in ``overview``) per area of
    ``level`` in the view's period minus the same in ``state.compare``, on a diverging scale.
    ``rows``: the programme's rows of every period. None without a period to compare with."""
    if state.compare is None or state.fiscal_year is None:
        return None
    programme_id, metric_id = key.split(":")
    programme = get_programme(programme_id)
    metric = None if metric_id == COUNT else metric_id
    own = figures.within(figures.kept(rows, rows["programme"] == programme_id), state.within)
    now = periods.period_rows(own, (state.fiscal_year, state.quarter))
    then = periods.period_rows(own, state.compare)
    label = metric_label(programme, metric, lang)
    title = t("change_title", lang, what=label, then=period_name(state.compare, lang))
    note = t(
        "change_note",
        lang,
        now=period_name((state.fiscal_year, state.quarter), lang),
        then=period_name(state.compare, lang),
    )
    return PageMap(
        programme,
        "change",
        extent_for(state.scope, state.within, level=level, fiscal_year=state.fiscal_year),
        periods.change(now, then, metric, level),
        title,
        pd.concat([now, then]),
        unit=metric_unit(programme, metric, lang),
        metric=metric or COUNT,
        count_label=(t("row_count", lang), t("rows", lang)),
        legend_note=note,
        compare=state.compare,
    )


def model_tambon_criteria(region_rows: pd.DataFrame, programme: Programme) -> list[str]:
    """The region-count criteria a model-tambon map can show (all model tambons first)."""
    present = set(region_rows["category"].dropna())
    keys = [c.id for c in programme.categories if c.id in present]
    if {"new", "follow_up"} <= present:
        keys.insert(0, ALL_MODEL_TAMBONS)
    return keys


def _counted_model_tambons(
    tambon_rows: pd.DataFrame,
    cohorts: pd.Series,
    state: ViewState,
    lang: str,
    criterion: str | None,
) -> PageMap:
    """Model tambons of ``criterion`` (a cohort, or new and followed-up together) counted per
    province or district (``COUNTED_LEVEL``), from ``cohorts`` (tambon code → cohort)."""
    programme = get_programme("model_tambon")
    keys = model_tambon_criteria(tambon_rows, programme)
    chosen = criterion if criterion in keys else keys[0]
    wanted = ("new", "follow_up") if chosen == ALL_MODEL_TAMBONS else (chosen,)
    level = COUNTED_LEVEL[state.scope]
    counted = cohorts[cohorts.isin(wanted)]
    width = 2 if level == "province" else 4
    values = counted.groupby(counted.index.str[:width]).size().astype("float64")
    return PageMap(
        programme,
        "choropleth",
        extent_for(state.scope, state.within, level=level, fiscal_year=state.fiscal_year),
        values,
        criterion_label(programme, chosen, lang),
        tambon_rows[tambon_rows["category"].isin(wanted)],
        unit=t("tambons_count", lang),
        metric="tambons",
        count_label=(t("tambons_count", lang), t("tambons_count", lang)),
        legend_note=t("model_tambons_counted_note", lang),
    )


def criterion_label(programme: Programme, key: str, lang: str) -> str:
    if key == ALL_MODEL_TAMBONS:
        return t("all_model_tambons", lang)
    category = programme.category(key)
    return category.name.get(lang) if category else key


# Model tambons with a cohort that a national or regional map still draws one by one (each
# a polygon and a dot); more are counted per province (national) or district (region).
TAMBON_AREAS_LIMIT = 300
COUNTED_LEVEL = {"national": "province", "region": "district"}


def model_tambons(
    rows: pd.DataFrame, state: ViewState, lang: str, criterion: str | None = None
) -> PageMap | None:
    """Model tambons by cohort (tambon polygons with data only). Nationally or in a region,
    when they are more than ``TAMBON_AREAS_LIMIT``, the provinces or districts shaded by how
    many tambons of ``criterion`` (a cohort, or all) each has: a drill into a province shows
    its tambons. Where the rows have no tambon list, the CODI regions shaded by the count of
    ``criterion``. None: nothing."""
    programme = get_programme("model_tambon")
    tambon_rows = figures.within(rows[rows["level"] == "tambon"], state.within)
    present = set(tambon_rows["category"].dropna())
    cohorts = figures.category_by_area(
        tambon_rows, "tambon", [c.id for c in programme.categories if c.id in present]
    )
    if len(cohorts) > TAMBON_AREAS_LIMIT and state.scope in COUNTED_LEVEL:
        return _counted_model_tambons(tambon_rows, cohorts, state, lang, criterion)
    if not cohorts.empty:
        return PageMap(
            programme,
            "category",
            extent_for(state.scope, state.within, level="tambon", fiscal_year=state.fiscal_year),
            cohorts,
            programme.name.get(lang),
            tambon_rows,
            only_with_data=True,
        )
    region_rows = rows[rows["level"] == "region"]
    if region_rows.empty:
        return None
    keys = model_tambon_criteria(region_rows, programme)
    chosen = criterion if criterion in keys else keys[0]
    wanted = ("new", "follow_up") if chosen == ALL_MODEL_TAMBONS else (chosen,)
    counts: dict[str, float] = {}
    for key in wanted:
        for region, value in figures.region_counts(region_rows, key, "tambons").items():
            counts[region] = counts.get(region, 0.0) + value
    shown = region_rows[region_rows["category"].isin(wanted)]
    # The region filter means the same here as everywhere: only the chosen region's count
    # (the map zooms to it, the slide's total is its own), not the country's.
    chosen_region = state.region if state.region in gazetteer.REGION_BY_ID else None
    if chosen_region:
        counts = {code: value for code, value in counts.items() if code == chosen_region}
        shown = shown[shown["code"] == chosen_region]
    return PageMap(
        programme,
        "region_counts",
        # The regions of the period shown: FY2560 figures on CODI's FY2560 regions.
        Extent(
            "region" if chosen_region else "national", chosen_region, "region", state.fiscal_year
        ),
        pd.Series(counts, dtype="float64"),
        criterion_label(programme, chosen, lang),
        shown,
        unit=t("tambons_count", lang),
        metric="tambons",
        legend_note=t("tambon_lists_missing", lang),
    )


INTEGRATED_TIERS = ("tier_1", "tier_2", "tier_3", "tier_4")


def integrated_provinces(rows: pd.DataFrame, state: ViewState, lang: str) -> PageMap | None:
    """Integrated provinces by support tier; those that met all criteria marked."""
    programme = get_programme("integrated_province")
    tiers = figures.category_by_area(rows, "province", INTEGRATED_TIERS)
    if tiers.empty:
        return None
    met_all = sorted(figures.category_by_area(rows, "province", ["met_all"]).index)
    if state.region:  # the chosen region's provinces only: its counts, its slide
        region_of = gazetteer.province_regions(state.fiscal_year)
        tiers = tiers[[region_of.get(code) == state.region for code in tiers.index]]
        met_all = [code for code in met_all if region_of.get(code) == state.region]
    marks = pd.Series(dict.fromkeys(met_all, t("yes", lang)), dtype=object)
    scope = state.scope if state.scope in ("national", "region") else "region"
    shown = rows[rows["level"] == "province"]
    if state.region:
        shown = shown[shown["region"] == state.region]
    return PageMap(
        programme,
        "category",
        Extent(scope, state.region, "province", state.fiscal_year),
        tiers,
        programme.name.get(lang),
        shown,
        extra_rows=((t("met_all_criteria", lang), marks),),
        legend_note=t("met_all_note", lang),
        marked=tuple(met_all),
        marked_label=t("met_all_criteria", lang),
    )


def housing(
    rows: pd.DataFrame,
    state: ViewState,
    programme: Programme,
    metric: str | None,
    level: str,
    lang: str,
    counted: bool = False,
) -> PageMap:
    """A housing programme's figure per area of ``level``, its named communities and
    project points pinned (a public frame has no coordinates: pins sit in their area).
    ``counted``: the pins are the store's for the map's view (``maps.pins.pin_view``), drawn
    by the page over this map; else drawn with it when few (``pins_drawn``)."""
    inside = figures.within(rows, state.within)
    placed = figures.kept(inside, inside["province_code"].notna())
    # Counted, the pins are made only when a slide is (``page_pins``): a session keeps its
    # page map, and the pins of every project of the country would be megabytes each.
    pinned = None if counted else pin_rows(_places(placed))
    title = programme.name.get(lang)
    unit = ""
    if metric:
        declared = programme.metric(metric)
        unit = declared.unit.get(lang)
        title = f"{title}: {declared.name.get(lang)}"
    return PageMap(
        programme,
        "choropleth",
        extent_for(state.scope, state.within, level=level, fiscal_year=state.fiscal_year),
        figures.aggregate(placed, metric, level),
        title,
        inside,
        unit=unit,
        metric=metric or COUNT,
        fit_to_data=state.scope == "national",
        only_with_data=level != "province" and state.scope in ("national", "region"),
        points=pinned if pinned is not None and not pinned.empty else None,
        pin_overlay=True,
        counted_pins=counted,
        count_label=(t("row_count", lang), t("rows", lang)),
    )


def _places(rows: pd.DataFrame) -> pd.DataFrame:
    """Rows that stand for a place of their own (a named community, a project point), placed
    in an area: what a housing map pins (``points.PinFilter.places_only`` in the store)."""
    return figures.kept(
        rows, rows["province_code"].notna() & (rows["name"].notna() | rows["latitude"].notna())
    )


DISASTER_MODES = ("points", "heat", "counts")


def disaster_level(scope: str) -> str:
    """The level disaster counts are shaded at unless the visitor picks another (and the
    only one for pins and heat): tambons inside a province or district, provinces above."""
    return "tambon" if scope in ("province", "district") else "province"


def disasters(
    rows: pd.DataFrame, state: ViewState, mode: str, level: str | None, lang: str
) -> PageMap:
    """Disasters: pinpoints (clustered or as heat) or their count per area. The briefing
    always shades the areas by the count."""
    programme = get_programme("disaster")
    if mode not in DISASTER_MODES:
        mode = "counts"
    if mode != "counts" or level is None:
        level = disaster_level(state.scope)
    # mode is one of DISASTER_MODES (checked above): "points" or "heat" unless "counts"
    kind: Kind = "choropleth" if mode == "counts" else mode  # type: ignore[assignment]
    return PageMap(
        programme,
        kind,
        extent_for(state.scope, state.within, level=level, fiscal_year=state.fiscal_year),
        figures.aggregate(rows, None, level),
        t("pinpoints", lang),
        rows,
        unit=t("pinpoints_unit", lang),
        metric=COUNT,
        pinned_rows=True,
        count_label=(t("pinpoints", lang), t("pinpoints_unit", lang)),
    )


# ---------------------------------------------------------------------------------------
# Drawing
# ---------------------------------------------------------------------------------------


class LargeLegend(PlainRender):
    """Presentation mode: a legend that reads from the back of a meeting room, open, at the
    top right so it shows on a short projector screen too (``codiGeo.Present``; its CSS
    comes with the map, ``controls.MapStyle``)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        new codiGeo.Present().addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "LargeLegend"


def page_pins(page_map: PageMap) -> pd.DataFrame | None:
    """The pins of the map: those it was given, else its rows' own (``pin_rows``) when the
    rows are pinpoints, the map draws points or the store counts its places; None when it
    has none."""
    if page_map.points is not None:
        return page_map.points
    if page_map.counted_pins:
        return pin_rows(_places(page_map.rows))
    if page_map.pinned_rows or page_map.kind in ("points", "heat"):
        return pin_rows(page_map.rows)
    return None


def pins_drawn(page_map: PageMap) -> bool:
    """Whether the pins over a choropleth (housing communities) are drawn one by one: only
    when the view holds few (``PIN_LIMIT``); a national view of every community would be one
    marker and popup each, megabytes. The areas are shaded by their totals either way."""
    return (
        page_map.pin_overlay
        and not page_map.counted_pins
        and page_map.points is not None
        and 0 < len(page_map.points) <= PIN_LIMIT
    )


def draw(
    page_map: PageMap,
    lang: str,
    basemap: str = "plain",
    selected: str | None = None,
    base_url_path: str = "",
    large_legend: bool = False,
) -> folium.Map:
    """The interactive map of ``page_map``."""
    programme = page_map.programme
    options = MapOptions(lang, basemap, selected, base_url_path=base_url_path)
    if page_map.kind == "change":
        m = choropleth_map(
            page_map.extent,
            page_map.values,
            page_map.title,
            options,
            page_map.unit,
            scheme=scales.diverging(list(page_map.values)),
            legend_note=page_map.legend_note,
        )
    elif page_map.kind == "choropleth":
        extra: list = []
        legend_more = ""
        if pins_drawn(page_map):
            drawn, _ = points_layer(page_map.points, programme, lang)
            extra = [drawn]
        elif page_map.counted_pins:
            extra = [pins.CellStyle(base_url_path)]
            legend_more = pins.overlay_legend_html(programme, lang)
        m = choropleth_map(
            page_map.extent,
            page_map.values,
            page_map.title,
            options,
            page_map.unit,
            fit_to_data=page_map.fit_to_data,
            extra=extra,
            only_with_data=page_map.only_with_data,
            legend_note=page_map.legend_note,
            legend_more=legend_more,
        )
    elif page_map.kind == "category":
        m = category_map(
            page_map.extent,
            page_map.values,
            programme,
            options,
            extra_rows=list(page_map.extra_rows),
            only_with_data=page_map.only_with_data,
            legend_note=page_map.legend_note,
            marked=list(page_map.marked),
        )
    elif page_map.kind == "region_counts":
        m = region_count_map(
            page_map.values.dropna().to_dict(),
            page_map.title,
            options,
            page_map.unit,
            note=page_map.legend_note,
            fiscal_year=page_map.extent.fiscal_year,
            within=page_map.extent.within,
        )
    else:
        m = points_map(
            extent_for(
                page_map.extent.scope,
                page_map.extent.within,
                level="province",
                fiscal_year=page_map.extent.fiscal_year,
            ),
            page_pins(page_map),
            programme,
            options,
            mode=page_map.kind,
        )
    if large_legend:
        LargeLegend().add_to(m)
    return m


# The layers the pages' first maps draw: the country's provinces, districts and tambons at
# low detail, the CODI regions, the provinces of a region at medium detail.
WARM_LAYERS = (
    ("province", "low"),
    ("district", "low"),
    ("tambon", "low"),
    ("region", "low"),
    ("province", "medium"),
)


def warm_boundaries() -> None:
    """Boundaries loaded and encoded, and the areas' inner points made, once per process
    (before the first visitor: ``codi_geo.ui.process.warm_caches``)."""
    for level, detail in WARM_LAYERS:
        warm_layer(level, detail)
        if chunk_of(level, detail, "") == "all":
            geo_file(level, detail, "all")  # the file the browser asks for first
    warm_area_points()
