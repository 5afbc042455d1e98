"""Cached loaders: the boundary cache is read once per process (``boundaries.load_layer`` is
itself lru-cached and shared by every session); the store is opened once per process; result
frames are cached per query and cleared when data is imported or undone."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from codi_geo import boundaries


def boundary_cache_ready() -> bool:
    return boundaries.is_built()


def store():
    """The results store, opened once per process (per database URL), with the shipped
    figures loaded."""
    from codi_geo import store as store_module

    return _store(store_module.database_url())


@st.cache_resource(show_spinner=False)
def _store(url: str):
    from codi_geo import store as store_module

    opened = store_module.open_store(url)
    shipped_report.clear()
    try:
        from codi_geo import shipped

        shipped_report.extend(shipped.ensure_shipped(opened))
    except Exception as error:  # shipped figures that cannot load must not hide the rest
        shipped_report.append(error)
    return opened


# What loading the shipped figures said (ShippedLoad results, or the error), for the Data page.
shipped_report: list = []


def _url() -> str:
    from codi_geo import store as store_module

    return store_module.database_url()


def results(
    programme: str | None = None, fiscal_year: int | None = None, quarter: int | None = None
) -> pd.DataFrame:
    return _results(_url(), programme, fiscal_year, quarter)


@st.cache_data(show_spinner=False, ttl=300)
def _results(url: str, programme: str | None, fiscal_year: int | None,
             quarter: int | None) -> pd.DataFrame:
    from codi_geo.public import is_public_mode

    # A public deployment reads public, real rows only (no internal or demo rows).
    return _store(url).results(programme, fiscal_year=fiscal_year, quarter=quarter,
                               public_only=is_public_mode())


def indicators(fiscal_year: int | None = None) -> pd.DataFrame:
    return _indicators(_url(), fiscal_year)


@st.cache_data(show_spinner=False, ttl=300)
def _indicators(url: str, fiscal_year: int | None) -> pd.DataFrame:
    return _store(url).indicators(fiscal_year=fiscal_year)


def fiscal_years() -> list[int]:
    return _fiscal_years(_url())


@st.cache_data(show_spinner=False, ttl=300)
def _fiscal_years(url: str) -> list[int]:
    """Fiscal years that have results or indicators, newest first."""
    try:
        opened = _store(url)
        years = set(opened.results()["fiscal_year"].dropna().astype(int))
        years |= set(opened.indicators()["fiscal_year"].dropna().astype(int))
    except Exception:  # an unreachable store: the pages report it where data is needed
        return []
    return sorted(years, reverse=True)


def clear_data_caches() -> None:
    _results.clear()
    _indicators.clear()
    _fiscal_years.clear()
