"""ข้อมูล / Data: import a results file, the batch list with undo, and the data-quality
view (rows that could not be placed, boundary gaps). Internal only (not in public mode)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from codi_geo import boundaries, gazetteer, map_data
from codi_geo.map_text import pick, t
from codi_geo.programmes import PROGRAMMES, get_programme
from codi_geo.ui import loaders, widgets

view = widgets.page_start("page_data", areas=False)
lang = view.lang

try:
    store = loaders.store()
except Exception as error:
    st.error(f"{t('store_error', lang)}\n\n`{error}`")
    st.stop()

import_tab, batches_tab, quality_tab = st.tabs(
    [t("import", lang), t("batches", lang), t("quality", lang)])

# --- import ---------------------------------------------------------------------------------
with import_tab:
    st.caption(t("import_help", lang))
    programme_id = st.selectbox(
        t("programme", lang), [p.id for p in PROGRAMMES], key="w_import_programme",
        format_func=lambda i: pick(get_programme(i).name_th, get_programme(i).name_en, lang))
    upload = st.file_uploader(t("import_file", lang),
                              type=["csv", "xlsx", "geojson", "json", "kml", "kmz"],
                              key="w_import_file")
    valid_only = st.checkbox(t("valid_only", lang), key="w_valid_only")
    columns = st.columns(2)
    check = columns[0].button(t("check_only", lang), disabled=upload is None)
    store_it = columns[1].button(t("import_now", lang), type="primary", disabled=upload is None)
    if upload is not None and (check or store_it):
        from codi_geo import importers

        with st.spinner(t("importing", lang)):
            try:
                report = importers.import_file(
                    store, upload.getvalue(), upload.name, programme_id,
                    dry_run=not store_it, valid_only=valid_only,
                    fiscal_year=view.fiscal_year)
            except Exception as error:  # unreadable file: say so, in the user's words
                st.error(f"{t('import_failed', lang)}: {error}")
                report = None
        if report is not None:
            message = report.message_en if lang == "en" else report.message_th
            (st.success if report.ok else st.error)(message)
            if report.issues:
                issues = pd.DataFrame([
                    {t("row", lang): i.row, t("column", lang): i.column, t("value", lang): i.value,
                     t("severity", lang): i.severity,
                     t("problem", lang): i.message_en if lang == "en" else i.message_th}
                    for i in report.issues])
                st.dataframe(issues, hide_index=True, width="stretch", height=260)
            if report.rows_rejected:
                st.download_button(t("download_rejects", lang), report.rejects_csv_bytes(),
                                   file_name=f"rejected_{upload.name}.csv", mime="text/csv")
            if report.status == "stored":
                loaders.clear_data_caches()

# --- batches --------------------------------------------------------------------------------
with batches_tab:
    batches = store.batches()
    if not batches:
        st.info(t("no_batches", lang))
    for batch in batches[:200]:
        with st.container(border=True):
            columns = st.columns([4, 1])
            programme = PROGRAMMES[[p.id for p in PROGRAMMES].index(batch.programme)] \
                if batch.programme in {p.id for p in PROGRAMMES} else None
            name = pick(programme.name_th, programme.name_en, lang) if programme \
                else batch.programme
            status = t("active", lang) if batch.active else t("undone", lang)
            columns[0].markdown(
                f"**#{batch.id} · {name}** · `{batch.file_name}` · {status}  \n"
                f"{t('rows_stored', lang, n=batch.rows_stored, total=batch.rows_total)} · "
                f"{batch.created_at:%Y-%m-%d %H:%M}")
            if batch.active and columns[1].button(t("undo", lang), key=f"undo_{batch.id}"):
                store.undo(batch.id)
                loaders.clear_data_caches()
                st.rerun()

# --- data quality ---------------------------------------------------------------------------
with quality_tab:
    st.subheader(t("unmatched_title", lang))
    rows = loaders.results(None, view.fiscal_year)
    lost = map_data.unmatched(rows)
    if lost.empty:
        st.success(t("all_placed", lang))
    else:
        st.dataframe(lost[["programme", "fiscal_year", "quarter", "level", "code",
                           "place_text", "name", "source_doc", "source_line"]],
                     hide_index=True, width="stretch")
    st.subheader(t("boundary_gaps", lang))
    if not boundaries.is_built():
        widgets.boundary_cache_missing(lang)
    else:
        report = boundaries.load_manifest().get("reconciliation", {})
        gaps = pd.DataFrame(report.get("dopa_codes_without_polygon", []))
        if gaps.empty:
            st.success(t("no_gaps", lang))
        else:
            gaps["name"] = [gazetteer.full_name(c, lang) if gazetteer.is_current(c) else c
                            for c in gaps["code"]]
            st.caption(t("gaps_help", lang, n=len(gaps)))
            st.dataframe(gaps[["code", "name", "resolution"]], hide_index=True,
                         width="stretch")
        retired = pd.DataFrame(report.get("polygons_with_retired_codes", []))
        if not retired.empty:
            st.caption(t("retired_help", lang))
            st.dataframe(retired, hide_index=True, width="stretch")
    if loaders.shipped_report:
        st.subheader(t("shipped_title", lang))
        for item in loaders.shipped_report:
            text = item.text() if hasattr(item, "text") else f"{type(item).__name__}: {item}"
            st.text(text)
