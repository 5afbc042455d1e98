"""แหล่งข้อมูล / Sources: where every layer comes from, with the attribution."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from codi_geo.maps import figures
from codi_geo.places import boundaries, sources
from codi_geo.programmes import PROGRAMME_BY_ID, get_programme
from codi_geo.results import documents
from codi_geo.text import t
from codi_geo.ui import guard, loaders, widgets

view = widgets.page_start("page_sources", areas=False)
lang = view.lang

st.subheader(t("src_boundaries", lang))
st.markdown(f"{sources.ATTRIBUTION.th}  \n{sources.ATTRIBUTION.en}")
st.markdown(t("src_boundaries_body", lang, page=sources.OCHA_DATASET_PAGE))
if boundaries.is_built():
    manifest = boundaries.load_manifest()
    source = manifest.get("source", {})
    st.caption(
        t(
            "src_cache",
            lang,
            file=source.get("file_name", "?"),
            sha=str(source.get("sha256", ""))[:12],
            verified=source.get("verified_as") or t("src_unverified", lang),
            built=manifest.get("built_at", "?"),
        )
    )
    layers = pd.DataFrame(
        [
            {
                t("src_layer", lang): name,
                t("src_features", lang): info.get("features"),
                t("src_vertices", lang): info.get("vertices"),
                t("src_tolerance", lang): info.get("tolerance_degrees"),
                t("src_decimals", lang): info.get("decimals"),
            }
            for name, info in manifest.get("layers", {}).items()
        ]
    )
    st.dataframe(layers, hide_index=True, width="stretch")
else:
    widgets.boundary_cache_missing(lang)

st.subheader(t("src_names", lang))
st.markdown(t("src_names_body", lang))
st.subheader(t("src_regions", lang))
st.markdown(t("src_regions_body", lang))
st.subheader(t("src_figures", lang))
st.markdown(t("src_figures_body", lang))
try:
    rows = loaders.results()
    if not rows.empty and guard.serving_public():  # public rows carry no provenance
        docs = figures.count_by(rows, "programme").reset_index(name=t("rows", lang))
        st.dataframe(docs, hide_index=True, width="stretch")
    elif not rows.empty:
        # documents by title, fiscal year and quarter (never their file names)
        docs = rows.groupby(["programme", "source_doc"], dropna=False).size().reset_index(name="n")
        st.dataframe(
            pd.DataFrame(
                {
                    t("programme", lang): [
                        get_programme(p).name.get(lang) if p in PROGRAMME_BY_ID else p
                        for p in docs["programme"]
                    ],
                    t("document", lang): [
                        documents.cite(d, None, lang) for d in docs["source_doc"]
                    ],
                    t("rows", lang): docs["n"],
                }
            ),
            hide_index=True,
            width="stretch",
        )
except guard.StoreUnavailableError as error:  # the rest of the page still helps
    guard.store_unavailable(error, lang)
st.subheader(t("src_software", lang))
st.markdown(t("src_software_body", lang))
