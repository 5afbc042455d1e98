"""ข้อมูล / Data: import a results file, the batch list with undo, the data-quality view
(rows that could not be placed, boundary gaps) and, for admins, the audit log. Internal only
(not in public mode). Roles (``codi_geo.access.rules``): a viewer cannot import or undo; a
regional editor imports and undoes rows of its CODI region only; an admin does everything.
Imports and undos go through ``codi_geo.access.service``, which applies those rules."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from codi_geo.access import audit, rules, service
from codi_geo.errors import CodiGeoError
from codi_geo.maps import figures
from codi_geo.places import boundaries, gazetteer
from codi_geo.programmes import PROGRAMMES
from codi_geo.results import documents, imports
from codi_geo.text import t
from codi_geo.ui import category_words, guard, labels, loaders, signin, widgets

view = widgets.page_start("page_data", areas=False)
lang = view.lang
widgets.require_internal(lang)
user = signin.current_user()
if user is None:  # only reachable when the entrypoint did not sign anyone in
    st.error(t("not_allowed", lang))
    st.stop()

store = loaders.store()

tab_names = [t("import", lang), t("batches", lang), t("quality", lang)]
if user.can("audit"):
    tab_names.append(t("audit", lang))
tabs = st.tabs(tab_names)
import_tab, batches_tab, quality_tab = tabs[:3]


# --- import ---------------------------------------------------------------------------------
with import_tab:
    if not user.can("import"):
        st.info(t("viewer_no_import", lang))
    else:
        st.caption(t("import_help", lang))
        if user.role == "regional_editor":
            region = gazetteer.REGION_BY_ID[user.region or ""]
            st.caption(t("editor_region_note", lang, region=region.name.get(lang)))
        programme_id = st.selectbox(
            t("programme", lang),
            [p.id for p in PROGRAMMES],
            key="w_import_programme",
            format_func=labels.programme_name(lang),
        )
        upload = st.file_uploader(
            t("import_file", lang),
            type=["csv", "xlsx", "geojson", "json", "kml", "kmz"],
            key="w_import_file",
        )
        visibility = st.radio(
            t("visibility", lang),
            ["internal", "public"],
            horizontal=True,
            key="w_import_visibility",
            format_func=labels.text("visibility_", lang),
        )
        # One unknown word must not cost the file's other rows: valid rows by default.
        valid_only = st.checkbox(t("valid_only", lang), value=True, key="w_valid_only")
        columns = st.columns(2)
        check = columns[0].button(t("check_only", lang), disabled=upload is None)
        store_it = columns[1].button(t("import_now", lang), type="primary", disabled=upload is None)
        if upload is not None and (check or store_it):
            report, offending = None, []
            with st.spinner(t("importing", lang)):
                try:
                    options = imports.ImportOptions(
                        fiscal_year=view.fiscal_year,
                        visibility=visibility,
                        valid_only=valid_only,
                        dry_run=not store_it,
                        isolate=True,
                    )
                    outcome = service.import_batch(
                        user,
                        upload.getvalue(),
                        upload.name,
                        programme_id,
                        options,
                        store,
                        note=visibility,
                    )
                    report, offending = outcome.report, outcome.offending
                except CodiGeoError as error:  # the file or the store refused: their words
                    st.error(f"{t('import_failed', lang)}: {guard.plain(error.message(lang))}")
                except Exception as error:  # a fault of ours: a log reference, no library text
                    guard.show_error(error, lang)
            if offending:  # a regional editor's rows outside the region: nothing stored
                st.error(rules.refusal_message(user, offending, lang=lang))
                st.dataframe(
                    pd.DataFrame(
                        [
                            {
                                t("row", lang): o.source_row if o.source_row is not None else o.row,
                                t("place", lang): o.province_th or o.code or "",
                                t("region", lang): o.region_th or "",
                                t("problem", lang): o.reason.get(lang),
                            }
                            for o in offending
                        ]
                    ),
                    hide_index=True,
                    width="stretch",
                )
            if report is not None:
                message = report.message.get(lang)
                # A file refused whole says why, and where, in the alert itself.
                message += "".join(f"\n\n{i.message.get(lang)}" for i in report.file_errors)
                (st.success if report.ok else st.error)(guard.plain(message))
                if report.issues:
                    issues = pd.DataFrame(
                        [
                            {
                                t("row", lang): i.row,
                                t("column", lang): i.column,
                                t("value", lang): i.value,
                                t("severity", lang): i.severity,
                                t("problem", lang): i.message.get(lang),
                            }
                            for i in report.issues
                        ]
                    )
                    st.dataframe(issues, hide_index=True, width="stretch", height=260)
                if report.rows_rejected:
                    st.download_button(
                        t("download_rejects", lang),
                        report.rejects_csv_bytes(),
                        file_name=f"rejected_{upload.name}.csv",
                        mime="text/csv",
                    )
                if report.status == "stored":
                    loaders.clear_data_caches()
            category_words.note_unknown(report, programme_id)
        category_words.mapper(store, user, lang)

# --- batches --------------------------------------------------------------------------------
with batches_tab:
    batches = store.batches()
    if not batches:
        st.info(t("no_batches", lang))
    shown_batches = batches[:200]
    undoable = service.undoable(user, shown_batches, store)
    for batch in shown_batches:
        with st.container(border=True):
            columns = st.columns([4, 1])
            programme = (
                PROGRAMMES[[p.id for p in PROGRAMMES].index(batch.programme)]
                if batch.programme in {p.id for p in PROGRAMMES}
                else None
            )
            name = programme.name.get(lang) if programme else batch.programme
            status = t("active", lang) if batch.active else t("undone", lang)
            # File and user names are user text: escaped, so Markdown in them shows as typed.
            who = (
                [t("imported_by", lang, who=guard.plain(batch.created_by))]
                if batch.created_by
                else []
            )
            if batch.undone_by:
                who.append(t("undone_by", lang, who=guard.plain(batch.undone_by)))
            columns[0].markdown(
                f"**#{batch.id} · {guard.plain(name)}** · {guard.plain(batch.file_name)} · "
                f"{status}  \n"
                f"{t('rows_stored', lang, n=batch.rows_stored, total=batch.rows_total)} · "
                f"{batch.created_at:%Y-%m-%d %H:%M}" + "".join(f" · {w}" for w in who)
            )
            if not batch.active or not user.can("undo"):
                continue
            if batch.id not in undoable:
                columns[1].caption(t("undo_outside_region", lang))
            elif columns[1].button(t("undo", lang), key=f"undo_{batch.id}"):
                service.undo_batch(user, batch.id, store)
                loaders.clear_data_caches()
                st.rerun()

# --- data quality ---------------------------------------------------------------------------
with quality_tab:
    st.subheader(t("unmatched_title", lang))
    rows = loaders.results(None, view.fiscal_year)
    lost = figures.unmatched(rows)
    if lost.empty:
        st.success(t("all_placed", lang))
    else:
        lost = lost.assign(
            source=[
                documents.cite(d, line, lang)
                for d, line in zip(lost["source_doc"], lost["source_line"], strict=True)
            ]
        )
        st.dataframe(
            lost[
                [
                    "programme",
                    "fiscal_year",
                    "quarter",
                    "level",
                    "code",
                    "place_text",
                    "name",
                    "source",
                ]
            ],
            hide_index=True,
            width="stretch",
        )
    st.subheader(t("boundary_gaps", lang))
    if not boundaries.is_built():
        widgets.boundary_cache_missing(lang)
    else:
        report = boundaries.load_manifest().get("reconciliation", {})
        gaps = pd.DataFrame(report.get("dopa_codes_without_polygon", []))
        if gaps.empty:
            st.success(t("no_gaps", lang))
        else:
            gaps["name"] = [
                gazetteer.full_name(c, lang) if gazetteer.is_current(c) else c for c in gaps["code"]
            ]
            st.caption(t("gaps_help", lang, n=len(gaps)))
            st.dataframe(gaps[["code", "name", "resolution"]], hide_index=True, width="stretch")
        retired = pd.DataFrame(report.get("polygons_with_retired_codes", []))
        if not retired.empty:
            st.caption(t("retired_help", lang))
            st.dataframe(retired, hide_index=True, width="stretch")
    shipped_report = loaders.load_shipped()
    if shipped_report:
        st.subheader(t("shipped_title", lang))
        for item in shipped_report:
            text = item.text() if hasattr(item, "text") else f"{type(item).__name__}: {item}"
            st.text(text)

# --- audit log (admins) ---------------------------------------------------------------------
if user.can("audit"):
    with tabs[3]:
        st.caption(t("audit_help_db", lang))
        records = audit.read_audit(store, limit=2000)
        if not records:
            st.info(t("audit_empty", lang))
        else:
            st.dataframe(
                pd.DataFrame(
                    [
                        {
                            t("when", lang): r.at.strftime("%Y-%m-%d %H:%M:%S") if r.at else "",
                            t("who", lang): r.who,
                            t("action", lang): r.action,
                            t("batch", lang): r.batch_id,
                            t("programme", lang): r.programme,
                            t("rows", lang): r.row_count,
                            t("region", lang): r.region or "",
                            t("client", lang): r.client or "",
                            t("detail", lang): r.detail,
                        }
                        for r in reversed(records)
                    ]
                ),
                hide_index=True,
                width="stretch",
            )
