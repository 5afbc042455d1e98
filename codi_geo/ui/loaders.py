"""Cached loaders: the boundary cache is read once per process (``boundaries.load_layer`` is
itself lru-cached and shared by every session); the store is opened once per process; result
frames are cached per query and cleared when data is imported or undone.

Two rules hold for every loader here:
- what is public is asked once, ``guard.serving_public()``, and that answer is part of every
  cache key and every filter handed to the store (an internal app that fails closed serves
  public frames, and must never be handed internal frames cached before or after it closed);
- which community pins the run's user sees exactly is asked once too, ``_exact()``
  (``public.exact_provinces`` of ``guard.viewer()``), and handed down the same way: the
  frames count the others per tambon (``public.seen_rows``), the map leaves them out;
- a store that cannot be read raises ``guard.StoreUnavailableError`` (the database's own text
  stays in the server log), which every page reports through ``guard.store_unavailable``.
"""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from typing import ParamSpec, TypeVar

import pandas as pd
import sqlalchemy as sa
import streamlit as st

from codi_geo.access import public
from codi_geo.maps import base, figures, pagemaps, pins, viewstate
from codi_geo.places import boundaries, gazetteer, search
from codi_geo.programmes import PROGRAMMES, get_programme
from codi_geo.results import points, queries, shipped
from codi_geo.results import store as store_module
from codi_geo.results.database import DatabaseError, database_url
from codi_geo.results.exact import Exact
from codi_geo.ui.guard import StoreUnavailableError, log_error, serving_public, viewer

P = ParamSpec("P")
R = TypeVar("R")


def reads_store(function: Callable[P, R]) -> Callable[P, R]:
    """``function`` reads the store: a database that cannot be reached or read becomes
    ``StoreUnavailableError`` (its cause kept for the log), never the driver's message nor
    the store's own ``DatabaseError``, which names the host and database for operators."""

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return function(*args, **kwargs)
        except (DatabaseError, sa.exc.SQLAlchemyError, OSError) as error:
            raise StoreUnavailableError() from error

    return wrapper


def boundary_cache_ready() -> bool:
    return boundaries.is_built()


@reads_store
def store():
    """The results store, opened once per process (per database URL)."""
    return _store(database_url())


@st.cache_resource(show_spinner=False)
def _store(url: str):
    return store_module.open_store(url)


@reads_store
def load_shipped() -> list:
    """Load the figures shipped in ``data/programmes/`` into the store, once per process.
    Called by the entry point of the internal app only: a public deployment never writes (it
    may use a read-only database role). What loading said (``ShippedLoad`` results, or the
    error) is kept for the Data page."""
    return _load_shipped(database_url())


@st.cache_resource(show_spinner=False)
def _load_shipped(url: str) -> list:
    opened = _store(url)  # an unreachable store raises here, so a later start tries again
    try:
        return list(shipped.ensure_shipped(opened))
    except Exception as error:  # shipped figures that cannot load must not hide the rest
        return [error]


# Every cache key holds the store's data version (asked on each call), so an import or undo
# shows at once whatever the cache's age: the time limit only hands memory back. An hour, so
# the first visitor every few minutes does not pay for reading a year's rows again.
CACHE_SECONDS = 3600


def _url() -> str:
    return database_url()


# One data version per page run: every loader keys its cache on it, and asking the store
# for each one was a query per loader (seven a run on the overview, a tenth of a filter
# change). Only a thread that ``start_run`` marked keeps it; any other (the warm-up, a slide
# pack built on a click) asks each time.
_run = threading.local()


def start_run() -> None:
    """Called by the entry point at the start of each page run, before any loader: the run
    asks the store for its data version once, on first use."""
    _run.active, _run.version = True, None


def data_version() -> str:
    """What the store holds now (``Store.data_version``): part of every cache key, so an
    import or undo made in another process (the internal app beside a public one) shows at
    once: from the next page run on, or at once after ``clear_data_caches``."""
    if getattr(_run, "active", False):
        if _run.version is None:
            _run.version = _store_version()
        return _run.version
    return _store_version()


def _store_version() -> str:
    try:
        return store().data_version()
    except Exception:  # an unreachable store: the pages report it where data is needed
        return "unreachable"


def _public() -> bool:
    return serving_public()


def _exact() -> Exact:
    """The provinces whose community pins this run's user sees exactly (None: all). Asked
    here only; a public run counts every point anyway."""
    return None if _public() else public.exact_provinces(viewer())


def exact_scope() -> Exact:
    """``_exact()`` for a file made later, outside the run (with ``public_only``)."""
    return _exact()


# Row frames are cached once per process and shared by every session (``cache_resource``),
# not copied into each session by pickling (``cache_data``: 100,000 pins are tens of
# megabytes a session, and a rerun spent unpickling them). Each caller gets a shallow copy:
# under pandas' copy-on-write (the default since pandas 3) a page that changes its copy
# copies what it changes, and the shared frame stays as read.


@reads_store
def results(
    programme: str | None = None,
    fiscal_year: int | None = None,
    quarter: int | None = None,
    *,
    public_only: bool | None = None,
    exact: Exact | str = "asked",
) -> pd.DataFrame:
    """Stored rows (public ones, in their public form, when the run serves the public; the
    community pins the user may not see exactly counted per tambon). ``public_only`` and
    ``exact``: the answers of ``guard.serving_public()`` and ``exact_scope()`` asked during
    the page run, for a file made later (a download is made when clicked, outside the run
    that offered it)."""
    if public_only is None:
        public_only = _public()
    if isinstance(exact, str):
        exact = None if public_only else _exact()
    url, version = _url(), data_version()
    if exact is None or public_only:
        found = _results(url, version, programme, fiscal_year, quarter, public_only)
    else:
        found = _seen_results(url, version, programme, fiscal_year, quarter, exact)
    return found.copy(deep=False)


@st.cache_resource(show_spinner=False, ttl=CACHE_SECONDS, max_entries=24)
def _results(
    url: str,
    version: str,
    programme: str | None,
    fiscal_year: int | None,
    quarter: int | None,
    public_only: bool,
) -> pd.DataFrame:
    if not public_only:
        return _store(url).results(programme, fiscal_year=fiscal_year, quarter=quarter)
    # A public deployment reads public, real rows only, cut down to the declared public
    # fields and metrics, points counted per tambon (``public.public_results``).
    rows = _store(url).results(
        programme, fiscal_year=fiscal_year, quarter=quarter, public_only=True
    )
    return public.public_results(rows)


@st.cache_resource(show_spinner=False, ttl=CACHE_SECONDS, max_entries=24)
def _seen_results(
    url: str,
    version: str,
    programme: str | None,
    fiscal_year: int | None,
    quarter: int | None,
    exact: tuple[str, ...],
) -> pd.DataFrame:
    """Internal rows as a viewer who sees the community pins of ``exact`` sees them (the
    shared frame itself when it holds no other community pin)."""
    rows = _results(url, version, programme, fiscal_year, quarter, False)
    return public.seen_rows(rows, exact)


@reads_store
def period_results(
    programme: str | None, fiscal_year: int | None, quarter: int | None
) -> pd.DataFrame:
    """``results`` of the fiscal year cut to the quarter as the pages cut it (rows of the
    quarter and whole-year rows: ``figures.filter_period``), the cut made once per process.
    Made per session it would be a copy of every row of the quarter, held by each open
    session's downloads: 10 MB a session for a quarter of a million-pin store."""
    if quarter is None:
        return results(programme, fiscal_year)
    return _period_results(
        _url(), data_version(), programme, fiscal_year, quarter, _public(), _exact()
    ).copy(deep=False)


@st.cache_resource(show_spinner=False, ttl=CACHE_SECONDS, max_entries=24)
def _period_results(
    url: str,
    version: str,
    programme: str | None,
    fiscal_year: int | None,
    quarter: int,
    public_only: bool,
    exact: Exact = None,
) -> pd.DataFrame:
    if exact is None or public_only:
        year = _results(url, version, programme, fiscal_year, None, public_only)
    else:
        year = _seen_results(url, version, programme, fiscal_year, None, exact)
    return figures.filter_period(year, None, quarter)


@reads_store
def indicators(fiscal_year: int | None = None) -> pd.DataFrame:
    return _indicators(_url(), data_version(), fiscal_year, _public()).copy(deep=False)


@st.cache_resource(show_spinner=False, ttl=CACHE_SECONDS, max_entries=16)
def _indicators(url: str, version: str, fiscal_year: int | None, public_only: bool) -> pd.DataFrame:
    found = _store(url).indicators(fiscal_year=fiscal_year)
    return public.public_indicators(found) if public_only else found


@reads_store
def fiscal_years() -> list[int]:
    return _fiscal_years(_url(), data_version(), _public())


@st.cache_data(show_spinner=False, ttl=CACHE_SECONDS, max_entries=8)
def _fiscal_years(url: str, version: str, public_only: bool) -> list[int]:
    """Fiscal years that have results or indicators, newest first (SQL ``DISTINCT``: the
    store's rows are not read)."""
    try:
        return queries.fiscal_years(_store(url), public_only=public_only)
    except Exception:  # an unreachable store: the pages report it where data is needed
        return []


# -- totals and narrow reads: SQL does the counting, pandas sees no bulk rows --------------


def _filter(
    programme: str | None,
    fiscal_year: int | None,
    quarter: int | None,
    within: str | None = None,
    public_only: bool | None = None,
):
    """The rows a total counts; public ones when the run serves the public (or as
    ``public_only`` says, outside a run: the warm-up)."""
    if public_only is None:
        public_only = _public()
    return queries.RowFilter(programme, fiscal_year, quarter, within, public_only=public_only)


def _snapped(bbox: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    """A view's bounds as the pin cache keys them: small pans snap to the same key."""
    south, west, north, east = (round(float(v), 4) for v in bbox)
    return (south, west, north, east)


@reads_store
def area_rows(fiscal_year: int | None, area: str | None) -> pd.DataFrame:
    """Every programme's rows of the fiscal year inside ``area`` (what a details panel
    shows), read by SQL for that area only; empty without an area."""
    return _area_rows(_url(), data_version(), fiscal_year, area, _public(), _exact()).copy(
        deep=False
    )


@st.cache_resource(show_spinner=False, ttl=CACHE_SECONDS, max_entries=64)
def _area_rows(
    url: str,
    version: str,
    fiscal_year: int | None,
    area: str | None,
    public_only: bool,
    exact: Exact = None,
) -> pd.DataFrame:
    opened = _store(url)
    if not area:  # nothing selected: the panel shows a hint and reads no rows
        return pd.DataFrame()
    if not public_only:
        return public.seen_rows(opened.results(None, fiscal_year=fiscal_year, within=area), exact)
    return public.public_results(
        opened.results(None, fiscal_year=fiscal_year, public_only=True, within=area)
    )


@reads_store
def row_count(fiscal_year: int | None, quarter: int | None, programme: str | None = None) -> int:
    return _row_count(_url(), data_version(), _filter(programme, fiscal_year, quarter))


@st.cache_data(show_spinner=False, ttl=CACHE_SECONDS, max_entries=64)
def _row_count(url: str, version: str, row_filter) -> int:
    return queries.count_rows(_store(url), row_filter)


@reads_store
def metric_choices(fiscal_year: int | None, quarter: int | None) -> list:
    """``figures.metric_choices`` of the period's rows, counted by SQL."""
    return _metric_choices(_url(), data_version(), _filter(None, fiscal_year, quarter))


@st.cache_data(show_spinner=False, ttl=CACHE_SECONDS, max_entries=32)
def _metric_choices(url: str, version: str, row_filter) -> list:
    return queries.metric_choices(
        _store(url), row_filter, _programme_figures(url, version, row_filter)
    )


@st.cache_data(show_spinner=False, ttl=CACHE_SECONDS, max_entries=32)
def _programme_figures(url: str, version: str, row_filter) -> list:
    """What the overview's choices and its region summary both count (one set of queries
    for the two)."""
    return queries.programme_figures(_store(url), row_filter)


@reads_store
def default_overview_key(
    fiscal_year: int | None, quarter: int | None, within: str | None, keys: list[str], level: str
) -> str | None:
    """The overview's first figure (``pagemaps.best_overview_key``), the areas with figures
    of every key counted by SQL at once (``queries.areas_with_figures``), so opening the
    overview reads no bulk rows."""
    every = _filter(None, fiscal_year, quarter, within)
    return _default_overview_key(_url(), data_version(), tuple(keys), every, level)


@st.cache_data(show_spinner=False, ttl=CACHE_SECONDS, max_entries=32)
def _default_overview_key(
    url: str, version: str, keys: tuple[str, ...], row_filter, level: str
) -> str | None:
    pairs = {key: _overview_figure(key) for key in keys}
    found = queries.areas_with_figures(_store(url), row_filter, list(pairs.values()), level)
    return pagemaps.best_overview_key(list(keys), {k: found[pair] for k, pair in pairs.items()})


def _overview_figure(key: str) -> tuple[str, str | None]:
    """An overview key (``programme:metric``, ``pagemaps.COUNT`` for the result count) as
    (programme, metric id or None)."""
    programme, metric = key.split(":")
    return programme, None if metric == pagemaps.COUNT else metric


@reads_store
def region_summary(fiscal_year: int | None, quarter: int | None) -> list:
    """Per programme: the metric and its totals per CODI region (``queries.
    region_summary``), for ``tables.region_summary_table``."""
    return _region_summary(_url(), data_version(), _filter(None, fiscal_year, quarter))


@st.cache_data(show_spinner=False, ttl=CACHE_SECONDS, max_entries=32)
def _region_summary(url: str, version: str, row_filter) -> list:
    return queries.region_summary(
        _store(url), row_filter, _programme_figures(url, version, row_filter)
    )


@reads_store
def pin_view(pin_filter, bbox: tuple[float, float, float, float], zoom: float, heat: bool = False):
    """``maps.pins.pin_view`` of the store, cached per view (every session opening the same
    page asks the same question first; small pans snap to the same cells)."""
    pin_filter = replace(pin_filter, public_only=_public(), exact=_exact())
    return _pin_view(_url(), data_version(), pin_filter, _snapped(bbox), float(zoom), heat)


@st.cache_data(show_spinner=False, ttl=CACHE_SECONDS, max_entries=256)
def _pin_view(
    url: str,
    version: str,
    pin_filter,
    bbox: tuple[float, float, float, float],
    zoom: float,
    heat: bool,
):
    return pins.pin_view(_store(url).engine, pin_filter, bbox, zoom, heat=heat)


@reads_store
def pin_detail(pin_filter, pin_id: int):
    """``points.pin_detail`` of a clicked pin, under the run's public and exact answers (a
    community pin the user may not see exactly has no details: None)."""
    pin_filter = replace(pin_filter, public_only=_public(), exact=_exact())
    return points.pin_detail(store().engine, pin_filter, pin_id)


def clear_data_caches() -> None:
    """After an import or undo in this process (other processes see the data version)."""
    _run.version = None  # the rest of this run reads what was just stored
    _pin_view.clear()
    _results.clear()
    _seen_results.clear()
    _indicators.clear()
    _fiscal_years.clear()
    _area_rows.clear()
    _row_count.clear()
    _metric_choices.clear()
    _programme_figures.clear()
    _region_summary.clear()


def _opening_pin_filters(rows: pd.DataFrame, year: int | None) -> list[points.PinFilter]:
    """The pins the internal pin maps count on their first view of ``year`` (``rows``: every
    programme's rows of that year), as a signed-in admin sees them: the disasters page's
    (every kind present) and, one programme at a time as the housing page shows them, each
    housing programme's places."""
    disaster = get_programme("disaster")
    present = set(rows.loc[rows["programme"] == disaster.id, "category"].dropna())
    kinds = [c.id for c in disaster.categories if c.id in present]
    categories = points.ticked_kinds(kinds, kinds)  # every kind ticked, as a page opens
    found = [points.PinFilter(disaster.id, year, None, categories=categories)]
    stored = set(rows["programme"].unique())
    for programme in PROGRAMMES:
        if programme.family == "housing" and programme.id in stored:
            found.append(points.PinFilter(programme.id, year, None, places_only=True))
    return found


def warm(public_only: bool) -> dict[str, float]:
    """Fill the caches a first visitor to a fresh process would wait for: boundaries and
    their encoded layers, the gazetteer and the place search, and the latest fiscal year's
    rows, counts, the overview's first figure and the pin maps' opening pins (disasters,
    each housing programme), read as this deployment serves them (``public_only``). Run
    before the server reports healthy (``process.warm_caches``), outside any session.
    Returns the seconds of each part; a part that fails is logged and left to the first
    visit."""
    spent: dict[str, float] = {}

    def part(name: str, work: Callable[[], object]) -> None:
        started = time.perf_counter()
        try:
            work()
        except Exception as error:  # the first visit tries again and reports it
            log_error(error, f"warm-up of {name} failed")
        spent[name] = round(time.perf_counter() - started, 2)

    def gazetteer_and_search() -> None:
        gazetteer.provinces(), gazetteer.districts(), gazetteer.province_regions(None)
        search.search_places("กรุงเทพ")

    def data() -> None:
        if not public_only:  # the internal entry point loads them first (a new data version)
            load_shipped()
        url, version = _url(), data_version()
        year = viewstate.default_fiscal_year(_fiscal_years(url, version, public_only))
        _results(url, version, None, year, None, public_only)
        for programme in PROGRAMMES:
            _results(url, version, programme.id, year, None, public_only)
        _indicators(url, version, year, public_only)
        every = _filter(None, year, None, public_only=public_only)
        _row_count(url, version, every)
        _region_summary(url, version, every)
        keys = tuple(
            f"{p.id}:{metric or pagemaps.COUNT}"
            for p, metric in _metric_choices(url, version, every)
        )
        _default_overview_key(url, version, keys, every, base.CHILD_LEVEL["national"])
        if public_only:  # public pages count per area and draw no pins
            return
        # The first view of a pin map is the country (the browser reports its own bounds
        # only once it has drawn): what the disasters and housing pages count first.
        bbox, zoom = pins.opening_view(viewstate.ViewState(fiscal_year=year))
        everything = _results(url, version, None, year, None, False)
        for pin_filter in _opening_pin_filters(everything, year):
            _pin_view(url, version, pin_filter, _snapped(bbox), float(zoom), False)

    part("boundaries", pagemaps.warm_boundaries)
    part("gazetteer", gazetteer_and_search)
    part("data", data)
    return spent
