"""The Data page's small table for category words a file uses and the programme does not
declare: each unknown word once, with the closest categories first; the user picks one per
word, and the choice is remembered for the programme in the store (audited), so the next
import reads the word as that category (``Store.remember_category_word``)."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from codi_geo.access.auth import User
from codi_geo.programmes import get_programme
from codi_geo.text import t

_PENDING = "category_words_pending"


def note_unknown(report: Any, programme_id: str) -> None:
    """Keep the report's unknown words (``ImportReport.unknown_words``) for the table, which
    outlives the run that imported (a click on its button reruns the page)."""
    words = report.unknown_words() if report is not None else []
    if words:
        st.session_state[_PENDING] = (programme_id, words)
    else:
        st.session_state.pop(_PENDING, None)


def mapper(store: Any, user: User, lang: str) -> None:
    """The table and its button, when the last import left unknown words."""
    pending = st.session_state.get(_PENDING)
    if not pending or not user.can("import"):
        return
    programme_id, words = pending
    programme = get_programme(programme_id)
    names = {c.id: f"{c.id} · {c.name.get(lang)}" for c in programme.categories}
    st.subheader(t("unknown_words", lang))
    st.caption(t("unknown_words_help", lang, programme=programme.name.get(lang)))
    table = pd.DataFrame(
        {
            "word": [word for word, _count, _candidates in words],
            "rows": [count for _word, count, _candidates in words],
            "category": [
                names.get(candidates[0]) if candidates else None
                for _word, _count, candidates in words
            ],
        }
    )
    edited = st.data_editor(
        table,
        hide_index=True,
        width="stretch",
        key="w_unknown_words",
        disabled=["word", "rows"],
        column_config={
            "word": st.column_config.TextColumn(t("value", lang)),
            "rows": st.column_config.NumberColumn(t("rows", lang)),
            "category": st.column_config.SelectboxColumn(
                programme.category_label.get(lang), options=list(names.values())
            ),
        },
    )
    if st.button(t("remember_words", lang), key="w_remember_words"):
        chosen = {
            word: category.split(" · ")[0]
            for word, category in zip(edited["word"], edited["category"], strict=True)
            if isinstance(category, str) and category
        }
        for word, category in chosen.items():
            store.remember_category_word(programme_id, word, category, user.username)
        st.session_state.pop(_PENDING, None)
        st.success(t("words_remembered", lang, n=len(chosen)))
