"""จังหวัดบูรณาการ / Integrated provinces: provinces by support tier, those that met all
criteria marked, with the list beside the map."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from codi_geo.maps import base, pagemaps
from codi_geo.outputs import tables
from codi_geo.programmes import get_programme
from codi_geo.text import t
from codi_geo.ui import loaders, widgets
from codi_geo.ui import state as ui_state

view = widgets.page_start("page_integrated")
lang = view.lang
programme = get_programme("integrated_province")
TIERS = pagemaps.INTEGRATED_TIERS

rows = widgets.period_rows_or_stop(programme.id, view)

page_map = pagemaps.integrated_provinces(rows, view, lang)
tiers = page_map.values if page_map is not None else pd.Series(dtype=object)
met_all = set(page_map.marked) if page_map is not None else set()

map_column, side_column = widgets.map_columns(view)
with map_column:
    if page_map is None:
        st.info(t("empty_filtered", lang))
    else:
        with st.spinner(t("loading_map", lang)):
            m = pagemaps.draw(
                page_map,
                lang,
                view.basemap,
                selected=view.area,
                base_url_path=ui_state.base_url_path(),
                large_legend=view.present,
            )
        widgets.handle_click(view, widgets.show_map(m, key="integrated"), drill=False)
        st.caption(
            t(
                "integrated_caption",
                lang,
                tiers=base.fmt_number(len(tiers), lang),
                met=base.fmt_number(len(met_all), lang),
            )
        )
        widgets.download_area(page_map, view)

if side_column is None:
    st.stop()

with side_column:
    st.subheader(t("province_list", lang))
    if not tiers.empty:
        listing = tables.integrated_provinces(
            tiers, met_all, programme, TIERS, lang, view.fiscal_year, view.region
        )
        st.dataframe(listing, hide_index=True, width="stretch", height=420)
        st.markdown(tables.tier_counts(tiers, programme, TIERS, lang))
        criteria = tables.criteria_per_region(rows, programme, TIERS, lang)
        if criteria is not None:
            st.caption(t("criteria_counts", lang))
            st.dataframe(criteria, width="stretch")
    widgets.details_panel(view, loaders.area_rows(view.fiscal_year, view.area))
