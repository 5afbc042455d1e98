"""ภาพรวม / Overview: targets vs results, a choropleth of a chosen figure, a per-region
summary, and the details of a clicked area."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from codi_geo.maps import builders, figures, views
from codi_geo.places import gazetteer
from codi_geo.programmes import get_programme
from codi_geo.text import t
from codi_geo.ui import loaders, widgets
from codi_geo.ui import state as ui_state

view = widgets.page_start("page_overview")
lang = view.lang
if not view.present:
    st.caption(t("app_caption", lang))

# --- targets vs results -------------------------------------------------------------------
try:
    table = figures.progress(loaders.indicators(view.fiscal_year), view.fiscal_year,
                              view.quarter)
    rows_all = figures.filter_period(loaders.results(None, view.fiscal_year), None,
                                      view.quarter)
except Exception as error:  # the store cannot be read: say so, keep the page usable
    st.error(f"{t('store_error', lang)}\n\n`{error}`")
    table, rows_all = pd.DataFrame(), pd.DataFrame()

if view.present:
    pass  # presentation mode: the map only
elif table.empty:
    st.subheader(t("targets_vs_results", lang))
    st.info(t("no_indicators", lang, fy=view.fiscal_year))
else:
    st.subheader(t("targets_vs_results", lang))

    def programme_name(programme_id: object) -> str:
        if isinstance(programme_id, str) and programme_id:
            try:
                declared = get_programme(programme_id)
            except KeyError:
                return programme_id
            return declared.name.get(lang)
        return ""

    shown = pd.DataFrame({
        t("indicator", lang): table["name_th"],
        t("programme", lang): [programme_name(p) for p in table["programme"]],
        t("progress", lang): [None if pd.isna(v) else float(v) * 100 for v in table["share"]],
        t("result", lang): [builders.fmt_number(v, lang) for v in table["result"]],
        t("target", lang): [builders.fmt_number(v, lang) for v in table["target"]],
        t("unit", lang): table["unit_th"].fillna(""),
        t("quarter", lang): [t("quarter_n", lang, n=int(q)) if pd.notna(q) else ""
                             for q in table["quarter"]],
        t("source", lang): [":".join(str(x) for x in (d, line) if isinstance(x, str) and x)
                            for d, line in zip(table["source_doc"], table["source_line"],
                                               strict=True)],
    })
    st.dataframe(
        shown, hide_index=True, width="stretch", height=min(38 + 35 * len(shown), 320),
        column_config={t("progress", lang): st.column_config.ProgressColumn(
            t("progress", lang), format="%.0f%%", min_value=0, max_value=100)})
    st.caption(t("indicators_note", lang, n=builders.fmt_number(len(shown), lang)))

# --- the map --------------------------------------------------------------------------------
if not widgets.maps_ready(lang):
    st.stop()

choices = figures.metric_choices(rows_all)
map_column, side_column = widgets.map_columns(view)
layer = None
with map_column:
    if not choices:
        st.subheader(t("national_map", lang))
        st.caption(t("provinces_map_caption", lang))
        if rows_all.empty:
            st.info(t("empty_filtered", lang))
        m = builders.national_province_map(lang, view.basemap,
                                       base_url_path=widgets.base_url_path())
        widgets.handle_click(view, widgets.show_map(m, key="overview_regions"))
    else:
        keys = [f"{p.id}:{metric or views.COUNT}" for p, metric in choices]

        def label(key: str) -> str:
            programme_id, metric_id = key.split(":")
            return views.metric_label(get_programme(programme_id), metric_id, lang)

        chosen = view.metric if view.metric in keys else keys[0]
        if not view.present:
            picked = st.selectbox(t("indicator", lang), keys, index=keys.index(chosen),
                                  format_func=label, key="w_metric")
            if picked != chosen:
                ui_state.go(replace(view, metric=picked))
        programme = get_programme(chosen.split(":")[0])
        natural = builders.view_for(view.scope, view.within, programme.level).level
        level = widgets.level_choice(view, natural)
        layer = views.overview_layer(rows_all, view, chosen, level, lang)
        with st.spinner(t("loading_map", lang)):
            m = views.draw(layer, lang, view.basemap, selected=view.area,
                               base_url_path=widgets.base_url_path(),
                               large_legend=view.present)
        if not layer.has_data:
            st.info(t("no_figures_at_level", lang))
        widgets.handle_click(view, widgets.show_map(m, key="overview"),
                             drill=level != "tambon")
        widgets.download_area(layer, view)

if side_column is None:
    st.stop()

with side_column:
    widgets.details_panel(view, rows_all)
    st.subheader(t("region_summary", lang))
    if rows_all.empty:
        st.info(t("empty_filtered", lang))
    else:
        summary = {}
        for programme in figures.programmes_with_rows(rows_all):
            own = rows_all[rows_all["programme"] == programme.id]
            metric = next((m.id for m in programme.metrics if m.id in own
                           and pd.to_numeric(own[m.id], errors="coerce").notna().any()), None)
            totals = figures.region_summary(own, metric)
            unit = ""
            if metric:
                declared = programme.metric(metric)
                unit = declared.unit.get(lang)
            name = programme.name.get(lang)
            summary[f"{name} ({unit or t('row_count', lang)})"] = [
                builders.fmt_number(v, lang) for v in totals
            ]
        regions = [r.name.get(lang) for r in gazetteer.CODI_REGIONS]
        frame = pd.DataFrame(summary, index=regions).T
        st.dataframe(frame, width="stretch")
        st.caption(t("region_summary_note", lang))
