"""จังหวัดบูรณาการ / Integrated provinces: provinces by support tier, those that met all
criteria marked, with the list beside the map."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from codi_geo.maps import builders, views
from codi_geo.places import gazetteer
from codi_geo.programmes import get_programme
from codi_geo.text import t
from codi_geo.ui import loaders, widgets

view = widgets.page_start("page_integrated")
lang = view.lang
programme = get_programme("integrated_province")
TIERS = views.INTEGRATED_TIERS

rows = widgets.period_rows_or_stop(programme.id, view)

layer = views.integrated_layer(rows, view, lang)
tiers = layer.values if layer is not None else pd.Series(dtype=object)
met_all = set(layer.marked) if layer is not None else set()
yes, no = t("yes", lang), "–"

map_column, side_column = widgets.map_columns(view)
with map_column:
    if layer is None:
        st.info(t("empty_filtered", lang))
    else:
        with st.spinner(t("loading_map", lang)):
            m = views.draw(layer, lang, view.basemap, selected=view.area,
                               base_url_path=widgets.base_url_path(),
                               large_legend=view.present)
        st.caption(t("integrated_caption", lang, tiers=builders.fmt_number(len(tiers), lang),
                     met=builders.fmt_number(len(met_all), lang)))
        widgets.handle_click(view, widgets.show_map(m, key="integrated"), drill=False)
        widgets.download_area(layer, view)

if side_column is None:
    st.stop()

with side_column:
    st.subheader(t("province_list", lang))
    if not tiers.empty:
        codes = [c for c in tiers.index if not view.region
                 or gazetteer.province_regions().get(c) == view.region]
        order = {tier: i for i, tier in enumerate(TIERS)}
        codes.sort(key=lambda c: (order[tiers[c]], gazetteer.name_of(c, lang) or c))
        listing = pd.DataFrame({
            t("province", lang): [gazetteer.name_of(c, lang) for c in codes],
            t("support_tier", lang): [programme.category(tiers[c]).name.get(lang)
                                      for c in codes],
            t("met_all_criteria", lang): [yes if c in met_all else no for c in codes],
            t("region", lang): [gazetteer.REGION_BY_ID[r].name.get(lang)
                                for r in (gazetteer.province_regions().get(c) for c in codes)],
        })
        st.dataframe(listing, hide_index=True, width="stretch", height=420)
        counts = tiers.value_counts()
        st.markdown(" · ".join(
            f"{programme.category(k).name.get(lang)}: "
            f"**{builders.fmt_number(counts.get(k, 0), lang)}**" for k in TIERS))
        criteria = rows[(rows["level"] == "region") & rows["category"].notna()
                        & ~rows["category"].isin(TIERS)]
        if not criteria.empty and "provinces" in criteria:
            st.caption(t("criteria_counts", lang))
            table = criteria.pivot_table(index="category", columns="code", values="provinces",
                                         aggfunc="sum")
            table = table.reindex(columns=[r.id for r in gazetteer.CODI_REGIONS])
            table.index = [programme.category(c).name.get(lang) if programme.category(c) else c
                           for c in table.index]
            table.columns = [r.name.get(lang) for r in gazetteer.CODI_REGIONS]
            st.dataframe(table.map(lambda v: builders.fmt_number(v, lang)), width="stretch")
    widgets.details_panel(view, loaders.results(None, view.fiscal_year))
