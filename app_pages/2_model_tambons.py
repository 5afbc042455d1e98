"""ตำบลต้นแบบ / Model tambons: tambons by cohort over province outlines; where only regional
counts exist, the regions shaded with the counts and a plain statement that the tambon lists
are not in the data yet."""

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

view = widgets.page_start("page_model_tambon")
lang = view.lang
programme = get_programme("model_tambon")

rows = widgets.period_rows_or_stop(programme.id, view)

tambon_rows = figures.within(rows[rows["level"] == "tambon"], view.within)
region_rows = rows[rows["level"] == "region"]
layer = views.model_tambon_layer(rows, view, lang, view.metric)
cohorts = layer.values if layer is not None and layer.kind == "category" else pd.Series()

map_column, side_column = widgets.map_columns(view)
with map_column:
    if layer is None:
        st.info(t("empty_filtered", lang))
    else:
        if layer.kind == "category":
            st.subheader(t("model_tambons_map", lang))
        else:
            if not view.present:
                keys = views.model_tambon_criteria(region_rows, programme)
                chosen = view.metric if view.metric in keys else keys[0]
                picked = st.selectbox(
                    t("criterion", lang), keys, index=keys.index(chosen), key="w_criterion",
                    format_func=lambda k: views.criterion_label(programme, k, lang))
                if picked != chosen:
                    ui_state.go(replace(view, metric=picked))
            st.subheader(t("model_tambons_by_region", lang))
            st.warning(t("tambon_lists_missing", lang))
        with st.spinner(t("loading_map", lang)):
            m = views.draw(layer, lang, view.basemap, selected=view.area,
                               base_url_path=widgets.base_url_path(),
                               large_legend=view.present)
        if layer.kind == "category":
            st.caption(t("model_tambons_caption", lang,
                         n=builders.fmt_number(len(cohorts), lang)))
            widgets.handle_click(view, widgets.show_map(m, key="model_tambons"), drill=False)
        else:
            widgets.handle_click(view, widgets.show_map(m, key="model_regions"))
        widgets.download_area(layer, view)

if side_column is None:
    st.stop()

with side_column:
    st.subheader(t("model_tambons_per_region", lang))
    table = {}
    if not region_rows.empty:
        for category_id in dict.fromkeys(region_rows["category"].dropna()):
            category = programme.category(category_id)
            counts = figures.region_counts(region_rows, category_id, "tambons")
            label = category.name.get(lang) if category else category_id
            table[label] = [builders.fmt_number(counts.get(r.id), lang)
                            for r in gazetteer.CODI_REGIONS]
    if not tambon_rows.empty:
        listed = figures.category_by_area(rows[rows["level"] == "tambon"], "tambon",
                                           [c.id for c in programme.categories])
        by_region = listed.groupby(listed.index.map(
            lambda c: gazetteer.province_regions().get(c[:2]))).size()
        table[t("tambons_listed", lang)] = [builders.fmt_number(by_region.get(r.id, 0), lang)
                                            for r in gazetteer.CODI_REGIONS]
    if table:
        regions = [r.name.get(lang) for r in gazetteer.CODI_REGIONS]
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
            t("cohort", lang): [programme.category(v).name.get(lang)
                                for v in cohorts.to_numpy()],
        })
        st.dataframe(listing, hide_index=True, width="stretch", height=300)
    widgets.details_panel(view, loaders.results(None, view.fiscal_year))
