"""เปรียบเทียบช่วงเวลา / Change over time: one programme's figure in the chosen period minus
the same figure in another stored period (fiscal year or quarter), as a map on a diverging
scale; the CODI regions' figures in every fiscal year with a sparkline each; targets
against results in both periods. The comparison is in the URL (``vs``) and on the slide."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from codi_geo.maps import base, figures, pagemaps, periods
from codi_geo.outputs import tables
from codi_geo.programmes import get_programme
from codi_geo.text import t
from codi_geo.ui import labels, loaders, widgets
from codi_geo.ui import state as ui_state

view = widgets.page_start("page_change")
lang = view.lang

everything = loaders.results(None, None)
indicators = loaders.indicators(None)
if not widgets.maps_ready(lang):
    st.stop()

current = (view.fiscal_year or 0, view.quarter)
choices = figures.metric_choices(everything)
if not choices:
    st.info(t("empty_filtered", lang))
    st.stop()
keys = [f"{p.id}:{metric or pagemaps.COUNT}" for p, metric in choices]
with_rows_now = set(periods.period_rows(everything, current)["programme"])
chosen = (
    view.metric
    if view.metric in keys
    else next((k for k in keys if k.split(":")[0] in with_rows_now), keys[0])
)
programme = get_programme(chosen.split(":")[0])
own = everything[everything["programme"] == programme.id]
options = [p for p in periods.stored_periods(own) if p != current]
compare = (
    view.compare
    if view.compare in options
    else periods.default_compare(periods.stored_periods(own), current)
)
if compare != view.compare:  # the comparison shown is the one in the URL (and a shared link)
    view = replace(view, compare=compare)
    ui_state.write(view)

if not view.present:
    left = right = widgets.controls()
    left.selectbox(
        t("indicator", lang),
        keys,
        format_func=labels.indicator(lang),
        **widgets.url_choice(view, "w_change_metric", "metric", chosen, compare=None),
    )
    if options:
        then = compare if compare in options else options[0]
        right.selectbox(
            t("compare_with", lang),
            options,
            format_func=labels.period(lang),
            **widgets.url_choice(view, "w_compare", "compare", then),
        )

if compare is None:
    st.info(t("compare_none", lang))
    st.stop()

map_column, side_column = widgets.map_columns(view)
page_map = None
with map_column:
    natural = base.extent_for(view.scope, view.within, programme.level).level
    level = widgets.level_choice(view, natural)
    page_map = pagemaps.change(everything, view, chosen, level, lang)
    missing = [
        p
        for p in (current, compare)
        if figures.within(periods.period_rows(own, p), view.within).empty
    ]
    for period in missing:
        st.info(
            t(
                "change_empty",
                lang,
                what=programme.name.get(lang),
                period=pagemaps.period_name(period, lang),
            )
        )
    if page_map is not None:
        with st.spinner(t("loading_map", lang)):
            m = pagemaps.draw(
                page_map,
                lang,
                view.basemap,
                selected=view.area,
                base_url_path=ui_state.base_url_path(),
                large_legend=view.present,
            )
        widgets.handle_click(view, widgets.show_map(m, key="change"), drill=level != "tambon")
        st.subheader(page_map.title)
        st.caption(t("change_caption", lang))
        widgets.download_area(page_map, view)

if side_column is None:
    st.stop()

with side_column:
    metric = None if chosen.split(":")[1] == pagemaps.COUNT else chosen.split(":")[1]
    st.subheader(t("change_by_region", lang))
    series = periods.region_series(own, metric, view.quarter)
    now = figures.region_summary(periods.period_rows(own, current), metric)
    before = figures.region_summary(periods.period_rows(own, compare), metric)
    names = (pagemaps.period_name(current, lang), pagemaps.period_name(compare, lang))
    st.dataframe(
        tables.region_trends(series, now, before, names, lang),
        hide_index=True,
        width="stretch",
        column_config={t("trend", lang): st.column_config.LineChartColumn(t("trend", lang))},
    )
    years = ", ".join(str(y) for y in series.columns)
    st.caption(
        f"{t('trend', lang)}: {years} · "
        + pagemaps.metric_label(programme, metric, lang)
        + " · "
        + t("region_summary_note", lang)
    )

    st.subheader(t("targets_over_time", lang))
    targets = periods.targets_over_periods(
        indicators, programme.id, [current, compare], region=view.region
    )
    if targets.empty:
        st.caption(t("targets_over_time_none", lang))
    else:
        shown = tables.targets_over_time(targets, lang)
        st.dataframe(
            shown,
            hide_index=True,
            width="stretch",
            column_config={
                t("progress", lang): st.column_config.ProgressColumn(
                    t("progress", lang), format="%.0f%%", min_value=0, max_value=100
                )
            },
        )
    widgets.details_panel(
        view, periods.period_rows(everything, current) if not everything.empty else pd.DataFrame()
    )
