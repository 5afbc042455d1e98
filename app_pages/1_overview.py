"""ภาพรวม / Overview: a choropleth of a chosen figure first, then the details of a clicked
area, targets vs results and a per-region summary below it."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from codi_geo.maps import areas, base, figures, pagemaps
from codi_geo.outputs import tables
from codi_geo.programmes import get_programme
from codi_geo.text import t
from codi_geo.ui import explore, guard, labels, loaders, widgets
from codi_geo.ui import state as ui_state

view = widgets.page_start("page_overview")
lang = view.lang

# --- the figures (shown below the map) ---------------------------------------------------
# Counted in SQL, so a million stored rows never reach pandas: which figures can be mapped,
# the region summary and whether there is anything at all; only the chosen programme's rows
# are read, for its map and downloads.
try:
    table = figures.progress(loaders.indicators(view.fiscal_year), view.fiscal_year, view.quarter)
    has_rows = loaders.row_count(view.fiscal_year, view.quarter) > 0
    choices = loaders.metric_choices(view.fiscal_year, view.quarter)
except guard.StoreUnavailableError as error:  # say so, keep the map of provinces usable
    guard.store_unavailable(error, lang)
    table, has_rows, choices = pd.DataFrame(), False, []

# --- the map --------------------------------------------------------------------------------
if not widgets.maps_ready(lang):
    st.stop()

map_column, side_column = widgets.map_columns(view)
page_map = None
with map_column:
    if not choices:
        if not has_rows:
            st.info(t("empty_filtered", lang))
        m = areas.national_province_map(
            base.MapOptions(lang, view.basemap, base_url_path=ui_state.base_url_path())
        )
        widgets.handle_click(view, widgets.show_map(m, key="overview"))
        st.subheader(t("national_map", lang))
        st.caption(t("provinces_map_caption", lang))
    else:
        keys = [f"{p.id}:{metric or pagemaps.COUNT}" for p, metric in choices]

        chosen = (
            view.metric
            if view.metric in keys
            else (
                loaders.default_overview_key(
                    view.fiscal_year, view.quarter, view.within, keys, base.CHILD_LEVEL[view.scope]
                )
                or keys[0]
            )
        )
        if not view.present:
            widgets.controls().selectbox(
                t("indicator", lang),
                keys,
                format_func=labels.indicator(lang),
                **widgets.url_choice(view, "w_metric", "metric", chosen),
            )
        programme = get_programme(chosen.split(":")[0])
        natural = base.extent_for(view.scope, view.within, programme.level).level
        level = widgets.level_choice(view, natural)
        rows = loaders.period_results(programme.id, view.fiscal_year, view.quarter)
        page_map = pagemaps.overview(rows, view, chosen, level, lang)
        with st.spinner(t("loading_map", lang)):
            m = pagemaps.draw(
                page_map,
                lang,
                view.basemap,
                selected=view.area,
                base_url_path=ui_state.base_url_path(),
                large_legend=view.present,
            )
        if not page_map.has_data:
            st.info(t("no_figures_at_level", lang))
        widgets.handle_click(view, widgets.show_map(m, key="overview"), drill=level != "tambon")
        widgets.download_area(page_map, view)
        explore.briefing_pack_button(view, has_rows)

if side_column is None:
    st.stop()

with side_column:
    widgets.details_panel(
        view,
        figures.filter_period(loaders.area_rows(view.fiscal_year, view.area), None, view.quarter),
    )
    # --- targets vs results (national: the indicators are reported for the whole country) ---
    st.subheader(t("targets_vs_results", lang))
    if table.empty:
        st.info(t("no_indicators", lang, fy=view.fiscal_year))
    else:
        shown = tables.targets_vs_results(table, lang)
        st.dataframe(
            shown,
            hide_index=True,
            width="stretch",
            height=min(38 + 35 * len(shown), 320),
            column_config={
                t("progress", lang): st.column_config.ProgressColumn(
                    t("progress", lang), format="%.0f%%", min_value=0, max_value=100
                )
            },
        )
        st.caption(t("indicators_note", lang, n=base.fmt_number(len(shown), lang)))
    st.subheader(t("region_summary", lang))
    if not has_rows:
        st.info(t("empty_filtered", lang))
    else:
        frame = tables.region_summary_table(
            loaders.region_summary(view.fiscal_year, view.quarter), lang, view.region
        )
        st.dataframe(frame, width="stretch")
        st.caption(t("region_summary_note", lang))
    st.caption(t("app_caption", lang))
