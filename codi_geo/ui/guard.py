"""What a visitor may see of the app's insides, and how user text is shown.

- ``plain(text)``: user text (file names, notes, place and user names) escaped so that
  Streamlit's Markdown (``st.markdown``, ``st.caption``, ``st.error`` …) shows it as typed:
  no links, images, HTML, emphasis, LaTeX or ``:icon:`` directives.
- ``set_serving_public`` / ``serving_public``: whether this run serves the public, read-only
  pages (public mode, or an internal app whose sign-in is not configured: it fails closed).
  The one question "is this request served as public?": loaders, pages and widgets ask it
  here, never the ``CODI_GEO_MODE`` setting.
- ``set_viewer`` / ``viewer``: the signed-in user of this run, for the one question of what
  it sees exactly (``access.public.exact_provinces``, asked by the loaders). Unset: nobody,
  who sees no community pin exactly.
- ``show_error`` / ``store_unavailable``: no traceback reaches a user. The detail goes to the
  server log under a short reference the visitor can quote. ``StoreUnavailableError`` is
  what the loaders raise for a store that cannot be read; every page reports it through
  ``store_unavailable``.
"""

from __future__ import annotations

import logging
import re
import secrets

import streamlit as st

from codi_geo.access.rules import User
from codi_geo.errors import CodiGeoError
from codi_geo.text import t

log = logging.getLogger("codi_geo")

# CommonMark lets a backslash escape any ASCII punctuation character, which then shows as
# itself; escaping all of them leaves Markdown nothing to interpret. Except GFM's literal
# autolinks (``https://…``, ``www.…``, ``a@b.org``), found in the text after escapes are
# undone: an invisible WORD JOINER (U+2060) after the scheme or ``www`` and before ``@``
# breaks their pattern (measured in Chromium: escaping alone still made a link).
_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
_AUTOLINK = re.compile(r"(?i)(https?|ftp|mailto|www|xmpp)")
WORD_JOINER = "\u2060"
_PUBLIC_KEY = "_codi_serving_public"
_VIEWER_KEY = "_codi_viewer"


def plain(text: object) -> str:
    """``text`` escaped for Streamlit Markdown: it shows exactly as written, on one line."""
    escaped = _PUNCTUATION.sub(r"\\\1", " ".join(str(text).split()))
    escaped = _AUTOLINK.sub(lambda m: m.group(1) + WORD_JOINER, escaped)
    return escaped.replace("\\@", WORD_JOINER + "\\@")


class StoreUnavailableError(CodiGeoError):
    """The store cannot be reached or read. Its message is generic on purpose: the cause
    (host, port, database, driver text) goes to the server log only."""

    def __init__(self) -> None:
        super().__init__("ขณะนี้อ่านข้อมูลไม่ได้", "The data cannot be read just now.")


def set_serving_public(value: bool) -> None:
    st.session_state[_PUBLIC_KEY] = bool(value)


def serving_public() -> bool:
    """Public pages in this run? Set by the entry point before a page runs. Unset (a page run
    without the entry point) it fails closed: public."""
    return bool(st.session_state.get(_PUBLIC_KEY, True))


def set_viewer(user: User | None) -> None:
    st.session_state[_VIEWER_KEY] = user


def viewer() -> User | None:
    """The signed-in user of this run (set by the entry point), None when nobody is."""
    found = st.session_state.get(_VIEWER_KEY)
    return found if isinstance(found, User) else None


def log_error(error: BaseException, what: str = "page failed") -> str:
    """Log ``error`` with its traceback under a new short reference; return the reference."""
    ref = secrets.token_hex(4)
    log.error("%s [ref %s]", what, ref, exc_info=(type(error), error, error.__traceback__))
    return ref


def show_error(error: BaseException, lang: str) -> None:
    """A failed page: our own errors (written for users, Thai and English) are shown to
    signed-in staff; anything else, and everything on public pages, is a generic message with
    the log reference."""
    if isinstance(error, StoreUnavailableError):
        store_unavailable(error, lang)
        return
    ref = log_error(error)
    if isinstance(error, CodiGeoError) and not serving_public():
        st.error(plain(error.message(lang)))
        st.caption(t("error_reference", lang, ref=ref))
    else:
        st.error(t("error_reference", lang, ref=ref))


def store_unavailable(error: BaseException, lang: str) -> None:
    """The store cannot be read: a generic message (no host, port or user name) with the log
    reference; the one way every page and widget says so."""
    # the log shows the database's own error too: a raised StoreUnavailableError chains it
    st.error(t("store_unavailable", lang, ref=log_error(error, "store unavailable")))
