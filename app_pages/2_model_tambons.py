"""ตำบลต้นแบบ / Model tambons: tambons by cohort over province outlines; where only regional
counts exist, the regions shaded with the counts and a plain statement that the tambon lists
are not in the data yet."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from codi_geo import gazetteer, map_data, maps
from codi_geo.map_text import pick, t
from codi_geo.programmes import get_programme
from codi_geo.ui import loaders, widgets
from codi_geo.ui import state as ui_state

view = widgets.page_start("page_model_tambon")
lang = view.lang
programme = get_programme("model_tambon")
ALL = "new+follow_up"  # the model tambons of the year: new plus followed-up

try:
    rows = map_data.filter_period(loaders.results(programme.id, view.fiscal_year), None,
                                  view.quarter)
except Exception as error:
    st.error(f"{t('store_error', lang)}\n\n`{error}`")
    st.stop()
if not widgets.maps_ready(lang):
    st.stop()

tambon_rows = map_data.within(rows[rows["level"] == "tambon"], view.within)
present = set(tambon_rows["category"].dropna())
cohorts = map_data.category_by_area(
    tambon_rows, "tambon", [c.id for c in programme.categories if c.id in present])
region_rows = rows[rows["level"] == "region"]

map_column, side_column = st.columns([3, 2])
with map_column:
    if not cohorts.empty:
        st.subheader(t("model_tambons_map", lang))
        map_view = maps.view_for(view.scope, view.within, level="tambon")
        with st.spinner(t("loading_map", lang)):
            m = maps.category_map(map_view, cohorts, programme, lang, view.basemap,
                                  selected=view.area, only_with_data=True,
                                  base_url_path=widgets.base_url_path())
        st.caption(t("model_tambons_caption", lang, n=maps.fmt_number(len(cohorts), lang)))
        widgets.handle_click(view, widgets.show_map(m, key="model_tambons"), drill=False)
    elif not region_rows.empty:
        present = set(region_rows["category"].dropna())
        keys = [c.id for c in programme.categories if c.id in present]
        if {"new", "follow_up"} <= present:
            keys.insert(0, ALL)

        def label(key: str) -> str:
            if key == ALL:
                return t("all_model_tambons", lang)
            category = programme.category(key)
            return pick(category.name_th, category.name_en, lang)

        chosen = view.metric if view.metric in keys else keys[0]
        picked = st.selectbox(t("criterion", lang), keys, index=keys.index(chosen),
                              format_func=label, key="w_criterion")
        if picked != chosen:
            ui_state.go(replace(view, metric=picked))
        counts: dict[str, float] = {}
        for key in (("new", "follow_up") if chosen == ALL else (chosen,)):
            for region, value in map_data.region_counts(region_rows, key, "tambons").items():
                counts[region] = counts.get(region, 0.0) + value
        st.subheader(t("model_tambons_by_region", lang))
        st.warning(t("tambon_lists_missing", lang))
        with st.spinner(t("loading_map", lang)):
            m = maps.region_count_map(counts, label(chosen), lang, t("tambons_count", lang),
                                      view.basemap, note=t("tambon_lists_missing", lang),
                                      base_url_path=widgets.base_url_path())
        widgets.handle_click(view, widgets.show_map(m, key="model_regions"))
    else:
        st.info(t("empty_filtered", lang))

with side_column:
    st.subheader(t("model_tambons_per_region", lang))
    table = {}
    if not region_rows.empty:
        for category_id in dict.fromkeys(region_rows["category"].dropna()):
            category = programme.category(category_id)
            counts = map_data.region_counts(region_rows, category_id, "tambons")
            label = pick(category.name_th, category.name_en, lang) if category else category_id
            table[label] = [maps.fmt_number(counts.get(r.id), lang) for r in gazetteer.CODI_REGIONS]
    if not tambon_rows.empty:
        listed = map_data.category_by_area(rows[rows["level"] == "tambon"], "tambon",
                                           [c.id for c in programme.categories])
        by_region = listed.groupby(listed.index.map(
            lambda c: gazetteer.province_regions().get(c[:2]))).size()
        table[t("tambons_listed", lang)] = [maps.fmt_number(by_region.get(r.id, 0), lang)
                                            for r in gazetteer.CODI_REGIONS]
    if table:
        regions = [pick(r.name_th, r.name_en, lang) for r in gazetteer.CODI_REGIONS]
        st.dataframe(pd.DataFrame(table, index=regions), width="stretch")
        sources = sorted({f"{d}:{line}" for d, line in zip(rows["source_doc"], rows["source_line"],
                                                          strict=True) if d})
        st.caption(f"{t('source', lang)}: {', '.join(sources[:6])}"
                   + (" …" if len(sources) > 6 else ""))
    else:
        st.info(t("empty_filtered", lang))
    if not cohorts.empty:
        st.subheader(t("tambon_list", lang))
        listing = pd.DataFrame({
            t("tambon", lang): [gazetteer.full_name(c, lang) for c in cohorts.index],
            t("cohort", lang): [pick(programme.category(v).name_th,
                                     programme.category(v).name_en, lang)
                                for v in cohorts.to_numpy()],
        })
        st.dataframe(listing, hide_index=True, width="stretch", height=300)
    widgets.details_panel(view, loaders.results(None, view.fiscal_year))
