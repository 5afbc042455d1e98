"""ตำบลต้นแบบ / Model tambons: tambons by cohort over province outlines; where only regional
counts exist, the regions shaded with the counts and a plain statement that the tambon lists
are not in the data yet."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from codi_geo.maps import base, pagemaps
from codi_geo.outputs import tables
from codi_geo.programmes import get_programme
from codi_geo.text import t
from codi_geo.ui import guard, labels, loaders, widgets
from codi_geo.ui import state as ui_state

view = widgets.page_start("page_model_tambon")
lang = view.lang
programme = get_programme("model_tambon")

rows = widgets.period_rows_or_stop(programme.id, view)

region_rows = rows[rows["level"] == "region"]
page_map = pagemaps.model_tambons(rows, view, lang, view.metric)
cohorts = page_map.values if page_map is not None and page_map.kind == "category" else pd.Series()

map_column, side_column = widgets.map_columns(view)
with map_column:
    if page_map is None:
        st.info(t("empty_filtered", lang))
    else:
        if page_map.kind != "category" and not view.present:
            # counted per province or district (many tambons), or per region (no list)
            keys = pagemaps.model_tambon_criteria(
                rows[rows["level"] == "tambon"] if page_map.kind == "choropleth" else region_rows,
                programme,
            )
            chosen = view.metric if view.metric in keys else keys[0]
            widgets.controls().selectbox(
                t("criterion", lang),
                keys,
                format_func=labels.criterion(programme, lang),
                **widgets.url_choice(view, "w_criterion", "metric", chosen),
            )
        with st.spinner(t("loading_map", lang)):
            m = pagemaps.draw(
                page_map,
                lang,
                view.basemap,
                selected=view.area,
                base_url_path=ui_state.base_url_path(),
                large_legend=view.present,
            )
        # one key for the three kinds of map: a drill from the country into a province
        # changes the drawing in the same map
        if page_map.kind == "category":
            widgets.handle_click(view, widgets.show_map(m, key="model_tambons"), drill=False)
            st.subheader(t("model_tambons_map", lang))
            st.caption(t("model_tambons_caption", lang, n=base.fmt_number(len(cohorts), lang)))
        elif page_map.kind == "choropleth":  # many tambons: counted per area, a click opens it
            widgets.handle_click(view, widgets.show_map(m, key="model_tambons"))
            st.subheader(t("model_tambons_map", lang))
            st.caption(page_map.legend_note)
        else:
            widgets.handle_click(view, widgets.show_map(m, key="model_tambons"))
            st.subheader(t("model_tambons_by_region", lang))
            # below the map, not above it: the legend says it too
            st.warning(t("tambon_lists_missing", lang))
        widgets.download_area(page_map, view)

if side_column is None:
    st.stop()

with side_column:
    st.subheader(t("model_tambons_per_region", lang))
    table = tables.model_tambons_per_region(
        rows,
        programme,
        lang,
        view.fiscal_year,
        view.region if view.scope == "region" else view.within,
    )
    if not table.empty:
        st.dataframe(table, width="stretch")
        st.caption(guard.plain(tables.source_refs(rows, lang)))
    else:
        st.info(t("empty_filtered", lang))
    if not cohorts.empty:
        st.subheader(t("tambon_list", lang))
        listing = tables.tambon_cohorts(cohorts, programme, lang)
        st.dataframe(listing, hide_index=True, width="stretch", height=300)
    widgets.details_panel(view, loaders.area_rows(view.fiscal_year, view.area))
