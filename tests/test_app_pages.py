"""Every page under Streamlit's AppTest: opens without exceptions, filters and drill-down
live in the query parameters, and empty or bad data says what happened."""

from __future__ import annotations

import pytest

from codi_geo import settings
from codi_geo.ui.widgets import MAPLESS_PAGES, page_url
from codi_geo.ui.widgets import PAGES as SERVED
from synthetic.sample import fill_store
from tests.helpers import page_texts, point_app_at_store, run_page

# Every page the app serves, and those with a map, from the app's own list.
PAGES = [page_url(path) for path, _, _ in SERVED]
MAP_PAGES = [page for page in PAGES if page not in MAPLESS_PAGES]


@pytest.fixture()
def app_env(boundary_cache, tmp_path, monkeypatch, dev_admin):
    """The app pointed at the test boundary cache and a fresh SQLite store."""
    point_app_at_store(monkeypatch, tmp_path, boundary_cache)
    yield tmp_path
    settings.clear()


@pytest.fixture()
def sample_env(app_env, boundary_cache):
    fill_store(f"sqlite:///{app_env / 'store.sqlite'}", boundary_cache)
    return app_env


@pytest.mark.parametrize("page", PAGES)
def test_every_page_opens_with_the_sample(sample_env, page) -> None:
    at = run_page(page, fy="2569")
    assert not at.exception, at.exception
    assert not [e for e in at.error if "เกิดข้อผิดพลาด" in str(e.value)]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_opens_in_english(sample_env, page) -> None:
    at = run_page(page, fy="2569", lang="en")
    assert not at.exception, at.exception
    assert at.title[0].value in {
        "Overview",
        "Model tambons",
        "Integrated provinces",
        "Housing",
        "Disasters",
        "Change over time",
        "Data",
        "Sources",
        "Review community pins",
    }


@pytest.mark.parametrize("page", MAP_PAGES)
def test_pages_with_an_empty_store_say_so(app_env, page, monkeypatch) -> None:
    # no shipped figures either: an empty programme folder
    from codi_geo.results import shipped

    empty = app_env / "programmes"
    empty.mkdir()
    monkeypatch.setattr(settings, "PROGRAMME_DATA_DIR", empty)
    monkeypatch.setattr(shipped, "PROGRAMME_DATA_DIR", empty)
    at = run_page(page, fy="2569")
    assert not at.exception, at.exception
    text = page_texts(at)
    assert "ไม่มีข้อมูลตามตัวกรองที่เลือก" in text or "ยังไม่มีตัวชี้วัด" in text


def test_filters_go_to_the_url(sample_env) -> None:
    at = run_page("overview", fy="2569")
    at.selectbox(key="w_region").set_value("northeast").run()
    assert not at.exception
    assert at.query_params["region"] == "northeast"
    at.selectbox(key="w_province").set_value("30").run()
    assert at.query_params["province"] == "30"
    assert "region" not in at.query_params  # implied by the province
    at.selectbox(key="w_district").set_value("3001").run()
    assert at.query_params["district"] == "3001"
    at.selectbox(key="w_q").set_value(2).run()
    assert at.query_params["q"] == "2"


def test_the_indicator_and_level_go_to_the_url_and_stay_with_later_filters(sample_env) -> None:
    """The indicator and the level are written to the URL as they change (one run of the
    page), and a later change of filter keeps them."""
    at = run_page("overview", fy="2569")
    metric = at.selectbox(key="w_metric")
    before = metric.value
    metric.select_index((metric.index + 1) % len(metric.options)).run()
    assert not at.exception
    chosen = at.query_params["metric"]
    assert chosen != before and at.selectbox(key="w_metric").value == chosen
    at.radio(key="w_level").set_value("district").run()
    assert at.query_params["level"] == "district" and at.query_params["metric"] == chosen
    at.selectbox(key="w_q").set_value(2).run()
    assert at.query_params["q"] == "2"
    assert at.query_params["level"] == "district" and at.query_params["metric"] == chosen
    assert at.radio(key="w_level").value == "district"
    assert not at.exception


@pytest.mark.parametrize(
    ("page", "key", "param"),
    [
        ("housing", "w_housing", "metric"),
        ("housing", "w_housing_metric", "metric"),
        ("disasters", "w_disaster_mode", "layer"),
        ("change", "w_change_metric", "metric"),
        ("change", "w_compare", "vs"),
        ("model-tambons", "w_criterion", "metric"),
    ],
)
def test_each_choice_is_one_run_of_the_page_and_goes_to_the_url(
    sample_env, monkeypatch, page, key, param
) -> None:
    """A page's own choices (programme, figure, map view, indicator, comparison, criterion)
    are written to the URL by their ``on_change``: one run of the page per change, not a run
    up to the widget and then another."""
    from streamlit.testing.v1.element_tree import ButtonGroup, Radio

    from codi_geo.maps import pagemaps
    from codi_geo.programmes import get_programme
    from codi_geo.ui import loaders

    # the sample's few model tambons are drawn each in its cohort's colour, with no
    # criterion: counted per province from the first tambon on, the criterion is offered
    monkeypatch.setattr(pagemaps, "TAMBON_AREAS_LIMIT", 0)
    at = run_page(page, fy="2569")
    assert not at.exception, at.exception
    widget = next(
        w for kind in ("selectbox", "radio", "button_group") for w in at.get(kind) if w.key == key
    )
    before = at.query_params.get(param)
    runs: list[int] = []
    started = loaders.start_run
    monkeypatch.setattr(loaders, "start_run", lambda: runs.append(1) or started())
    if isinstance(widget, Radio | ButtonGroup):  # set by value: another of the choices
        shown = widget.options if isinstance(widget, Radio) else list(widget.proto.options)
        current = widget.value
        if key == "w_disaster_mode":
            values = ["points", "counts", "heat"]
        else:
            values = [m.id for m in get_programme(at.selectbox(key="w_housing").value).metrics]
        other = next(v for v in values if v != current and widget.format_func(v) in str(shown))
        widget.set_value(other).run()
    else:
        assert len(widget.options) > 1, (key, widget.options)
        widget.select_index((widget.index + 1) % len(widget.options)).run()
    assert not at.exception, at.exception
    assert len(runs) == 1, (key, len(runs))
    assert at.query_params.get(param) not in (None, before), (key, before)


def test_a_shared_url_reproduces_the_view(sample_env) -> None:
    at = run_page("overview", fy="2569", q="2", province="30", lang="en")
    assert not at.exception
    assert at.selectbox(key="w_province").value == "30"
    assert at.selectbox(key="w_region").value == "northeast"
    assert at.selectbox(key="w_q").value == 2
    assert at.title[0].value == "Overview"


def test_selected_area_shows_its_details_and_drills_down(sample_env) -> None:
    at = run_page("overview", fy="2569", area="30")
    assert not at.exception
    text = page_texts(at)
    assert "นครราชสีมา" in text
    drill = next(b for b in at.button if b.key == "drill_into")
    drill.click().run()
    assert at.query_params["province"] == "30"
    back = [b for b in at.button if (b.key or "").startswith("crumb_")]
    assert back, "breadcrumbs lead back up"
    back[0].click().run()
    assert "province" not in at.query_params


def test_bad_query_parameters_are_ignored(sample_env) -> None:
    at = run_page(
        "overview",
        fy="abc",
        q="9",
        province="99",
        district="<script>",
        area="x",
        lang="xx",
        basemap="http://evil",
    )
    assert not at.exception
    assert at.selectbox(key="w_province").value == ""
    assert at.selectbox(key="w_q").value == 0


def test_missing_boundary_cache_says_how_to_build_it(app_env, tmp_path, monkeypatch) -> None:

    monkeypatch.setenv("CODI_GEO_BOUNDARY_DIR", str(tmp_path / "nothing-here"))
    settings.clear()
    at = run_page("overview")
    assert not at.exception
    assert any("python -m codi_geo boundaries build" in c.value for c in at.code)
    assert "ยังไม่มีข้อมูลขอบเขต" in page_texts(at)


def test_language_switch_keeps_the_view(sample_env) -> None:
    at = run_page("integrated-provinces", fy="2569", region="south")
    at.sidebar.segmented_control(key="w_lang").set_value("en").run()
    assert at.query_params["lang"] == "en"
    assert at.query_params["region"] == "south"
    assert at.title[0].value == "Integrated provinces"


def test_disaster_modes_and_kinds(sample_env) -> None:
    for mode in ("points", "heat", "counts"):
        at = run_page("disasters", fy="2569", layer=mode)
        assert not at.exception, (mode, at.exception)
    at = run_page("disasters", fy="2569")
    at.multiselect(key="w_kinds").set_value([]).run()
    assert not at.exception


def test_data_page_lists_batches_and_undoes_one(sample_env) -> None:
    at = run_page("data", fy="2569")
    undo = [b for b in at.button if (b.key or "").startswith("undo_")]
    assert undo
    undo[0].click().run()
    assert not at.exception
    assert "ยกเลิกแล้ว" in page_texts(at)


def test_bad_data_in_the_store_does_not_break_the_pages(app_env, boundary_cache) -> None:
    """A point with no tambon (outside Thailand), an unknown category and missing metrics."""
    from codi_geo.results.store import NewBatch, ResultRow, open_store

    store = open_store(f"sqlite:///{app_env / 'store.sqlite'}")
    rows = [
        ResultRow(
            "disaster",
            2569,
            2,
            "point",
            None,
            {},
            latitude=35.0,
            longitude=139.0,
            category="not-a-kind",
            name="<b>bold?</b>",
            visibility="public",
        ),
        ResultRow(
            "temporary_housing",
            2569,
            2,
            "province",
            "30",
            {"households": float("nan")},
            category="unknown",
            visibility="public",
        ),
    ]
    for row in rows:
        store.store_results(
            NewBatch(
                row.programme, f"bad_{row.programme}.csv", f"{row.programme:0<64}"[:64], "all", 1
            ),
            [row],
        )
    for page in ("disasters", "housing", "overview", "data"):
        at = run_page(page, fy="2569")
        assert not at.exception, (page, at.exception)


def test_public_mode_serves_no_data_page(sample_env, monkeypatch) -> None:
    monkeypatch.setenv("CODI_GEO_MODE", "public")
    at = run_page("overview", fy="2569")
    assert not at.exception
    labels = [link.label for link in at.sidebar.get("page_link")]
    assert "ข้อมูล" not in labels and "ภาพรวม" in labels


@pytest.mark.parametrize("page", MAP_PAGES)
def test_presentation_mode_shows_the_map_alone(sample_env, page) -> None:
    at = run_page(page, fy="2569", present="1", metric="baan_mankong_urban:households")
    assert not at.exception, at.exception
    assert not at.selectbox and not at.get("download_button") and not at.dataframe
    assert [c.value for c in at.caption if "ปีงบประมาณ 2569" in c.value]
    assert at.main.get("component_instance")  # the map (streamlit-folium)
    assert not at.main.get("radio")  # no level choice either
    exit_button = next(b for b in at.button if b.key == "w_present_exit")
    exit_button.click().run()
    assert "present" not in at.query_params
    assert at.selectbox(key="w_fy").value == 2569
    assert len([b for b in at.get("download_button") if b.key != "briefing_pack"]) == 5


def test_the_sidebar_button_starts_presentation_mode(sample_env) -> None:
    at = run_page("integrated-provinces", fy="2569", region="south")
    next(b for b in at.sidebar.button if b.key == "w_present").click().run()
    assert at.query_params["present"] == "1" and at.query_params["region"] == "south"
    assert not at.selectbox


def test_sessions_share_one_cached_frame_and_a_page_cannot_change_it(sample_env) -> None:
    """Row frames are cached once per process (not a pickled copy per session);
    each caller gets a copy-on-write view, so a page that edits its rows edits only its own."""
    import pandas as pd

    from codi_geo.ui import loaders

    loaders.clear_data_caches()
    first = loaders.results("disaster", 2569)
    assert len(first) > 0
    untouched = first.copy(deep=True)
    first.loc[first.index[0], "name"] = "changed by one page"
    first["extra"] = 1
    second = loaders.results("disaster", 2569)
    pd.testing.assert_frame_equal(second, untouched)
    # one object behind every call: the sessions share it
    key = (loaders._url(), loaders.data_version(), "disaster", 2569, None, loaders._public())
    assert loaders._results(*key) is loaders._results(*key)


def test_sessions_share_the_rows_of_a_quarter(sample_env) -> None:
    """A quarter's rows are cut once per process and shared (``loaders.period_results``): cut
    per session, each open session would hold a copy of them until its next run."""
    import numpy as np

    from codi_geo.maps import figures
    from codi_geo.ui import loaders

    loaders.clear_data_caches()
    year = loaders.results(None, 2569)
    one, other = (loaders.period_results(None, 2569, 2) for _ in range(2))
    assert one is not other  # each caller its own copy-on-write view ...
    assert np.shares_memory(one["fiscal_year"].to_numpy(), other["fiscal_year"].to_numpy())
    # ... of the rows the pages' own cut gives
    expected = figures.filter_period(year, None, 2)
    assert one["id"].tolist() == expected["id"].tolist() and len(one) < len(year)
    assert loaders.period_results(None, 2569, None)["id"].tolist() == year["id"].tolist()


def test_a_page_run_reads_one_data_version_and_the_next_run_sees_an_import(
    sample_env, boundary_cache
) -> None:
    """Every loader of a page run keys its cache on the same data version, asked of the store
    once in the run; an import elsewhere shows from the next run on (or at once after this
    process's own import clears the caches), and a thread that is no page run asks each time."""
    import threading

    import synthetic.pins
    from codi_geo.ui import loaders

    url = f"sqlite:///{sample_env / 'store.sqlite'}"
    seen: dict[str, str] = {}

    def page_run() -> None:
        loaders.start_run()
        seen["first"] = loaders.data_version()
        synthetic.pins.fill(url, 5, seed=77, cache_dir=boundary_cache)  # another process
        seen["same run"] = loaders.data_version()
        loaders.clear_data_caches()
        seen["after clearing"] = loaders.data_version()

    def next_run() -> None:
        loaders.start_run()
        seen["next run"] = loaders.data_version()

    for work in (page_run, next_run):
        thread = threading.Thread(target=work)
        thread.start()
        thread.join()
    assert seen["same run"] == seen["first"]
    assert seen["after clearing"] != seen["first"]
    outside = loaders.data_version()
    synthetic.pins.fill(url, 5, seed=78, cache_dir=boundary_cache)
    assert loaders.data_version() != outside  # not a page run: asked each time
    assert seen["next run"] == outside


def test_a_filter_change_asks_the_store_its_data_version_once(sample_env, monkeypatch) -> None:
    """A filter's ``on_change`` writes the view before its run begins, outside the run's one
    data version: it takes the default year of the session's last run rather than asking the
    store again, so a change is one question to the store, the run's."""
    from codi_geo.results.store import Store

    at = run_page("overview", fy="2569")
    asked: list[int] = []
    version = Store.data_version
    monkeypatch.setattr(Store, "data_version", lambda self: asked.append(1) or version(self))
    at.selectbox(key="w_q").set_value(2).run()
    assert not at.exception, at.exception
    assert at.query_params["q"] == "2"
    assert len(asked) == 1, len(asked)


def test_a_new_drawing_waits_for_the_browser_only_in_a_frame_it_has(
    sample_env, monkeypatch
) -> None:
    """After a map's drawing the run waits (``widgets.MAP_FIRST_SECONDS``) before the rest
    of the page, when the drawing is for the frame the last run drew (a filter change), not
    for a new frame (a first visit, or a page opened again after another)."""
    from types import SimpleNamespace

    from codi_geo.ui import widgets

    waits: list[float] = []
    monkeypatch.setattr(widgets, "time", SimpleNamespace(sleep=waits.append))
    at = run_page("overview", fy="2569")
    assert not waits  # the first drawing of the page's frame
    at.selectbox(key="w_q").set_value(2).run()
    assert waits == [widgets.MAP_FIRST_SECONDS]
    at.switch_page("app_pages/6_data.py").run()
    at.switch_page("app_pages/1_overview.py").run()
    assert not at.exception, at.exception
    assert waits == [widgets.MAP_FIRST_SECONDS]  # a new frame again: no wait
