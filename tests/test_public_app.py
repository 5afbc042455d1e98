"""Public pages in the running app (AppTest): with internal rows, personal fields, single
points, a demo row and an imported file with a phone column in the store, nothing of them is
in any message a public page sends (every ForwardMsg, serialised), nor in any file its
download buttons make (tables, maps, slides); the data page cannot be reached; no sign-in is
asked for. Both ways the public is served: public mode, and an internal app whose sign-in is
not set up (it fails closed to the same pages)."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pypdf
import pytest
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest, local_script_runner

from codi_geo import settings
from codi_geo.text import t
from codi_geo.ui.widgets import PAGES, pages_for
from synthetic.sample import LEAKS, PUBLIC_COMMUNITY, fill_leak_rows, fill_store
from tests.helpers import APP, TIMEOUT, page_texts, point_app_at_store

# The pages the app serves to the public, from its own list.
PUBLIC_PAGES = [Path(path).name for path, _, _ in pages_for(public=True)]
# How the public is served: public mode, or an internal app without sign-in (fail closed).
SERVING = {"public_mode": {"CODI_GEO_MODE": "public"}, "fail_closed": {}}
# The views a visitor might open: whole country, the provinces and districts the leaking
# rows lie in (with the details panel and region summary of each), every disaster mode and
# housing programme.
VIEWS = [
    {},
    {"province": "50"},
    {"district": "5001"},
    {"district": "1005", "metric": "prem_prachakorn_canal"},
    {"province": "40", "metric": "baan_mankong_urban"},
    {"province": "30", "metric": "temporary_housing"},
    {"layer": "points"},
    {"layer": "heat", "province": "50"},
    {"area": "500101"},
    {"area": "50"},
    {"area": "5001"},
    {"province": "50", "area": "5001", "metric": "baan_mankong_urban"},
    {"area": "96"},
    {"area": "96", "metric": "homeless_housing:households"},
    {"lang": "en", "province": "50"},
]
# An internal app that fails closed runs the same pages after the same one answer
# (``guard.serving_public``): the views that read rows of an area or a region there.
CLOSED_VIEWS = [
    {},
    {"province": "50"},
    {"layer": "points"},
    {"area": "50"},
    {"area": "5001"},
    {"area": "96", "metric": "homeless_housing:households"},
    {"lang": "en", "province": "50"},
]
# The views whose files are made and read too (every file of a view is made from the rows
# the page shows; making all of them for every view costs minutes). A PNG is a picture of
# the map whose figures the PDF holds as text: its bytes have no text to search.
FILE_VIEWS = [
    {},
    {"province": "50"},
    {"district": "1005", "metric": "prem_prachakorn_canal"},
    {"layer": "points"},
    {"area": "96", "metric": "homeless_housing:households"},
]


@pytest.fixture(scope="module", params=list(SERVING))
def served(request, boundary_cache, tmp_path_factory):
    """A store with the leaking rows, served to the public one way or the other (filled once
    per way: the public pages never write to it)."""
    tmp_path = tmp_path_factory.mktemp(request.param)
    # no users file and no OIDC: an internal app has no sign-in and fails closed
    env = {"CODI_GEO_USERS_FILE": str(tmp_path / "no-users.toml"), **SERVING[request.param]}
    with pytest.MonkeyPatch.context() as monkeypatch:
        url = point_app_at_store(monkeypatch, tmp_path, boundary_cache, **env)
        fill_store(url, boundary_cache)
        fill_leak_rows(url, boundary_cache)
        yield request.param
    settings.clear()


@pytest.fixture()
def public_env(boundary_cache, tmp_path, monkeypatch):
    url = point_app_at_store(monkeypatch, tmp_path, boundary_cache, CODI_GEO_MODE="public")
    fill_store(url, boundary_cache)
    fill_leak_rows(url, boundary_cache)
    yield tmp_path
    settings.clear()


@pytest.fixture()
def sent(monkeypatch) -> list[bytes]:
    """Every ForwardMsg the app sends to the browser, serialised."""
    messages: list[bytes] = []
    original = local_script_runner.parse_tree_from_messages

    def record(forward_msgs):
        messages.extend(m.SerializeToString() for m in forward_msgs)
        return original(forward_msgs)

    monkeypatch.setattr(local_script_runner, "parse_tree_from_messages", record)
    return messages


def _open(page: str, *, forget: tuple[list | dict, ...] = (), **params: str) -> AppTest:
    """``page`` of the app with the query ``params``, run once. The first run is the
    overview's (it registers the pages to switch to): what it sent and the files it offered
    are emptied from ``forget`` before the page runs, so they hold the page's own (the
    overview's are checked by its own test, for the same views; making its slide pack again
    for every page cost most of this module's minutes)."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for key, value in {"fy": "2569", **params}.items():
        at.query_params[key] = value
    at.run()
    if page != "1_overview.py":
        assert not at.exception, ("1_overview.py", params, at.exception)
        for gathered in forget:
            gathered.clear()
        at.switch_page(f"app_pages/{page}")
        at.run()
    assert not at.exception, (page, params, at.exception)
    return at


def _leaks_in(data: bytes) -> list[str]:
    return [key for key, value in LEAKS.items() if value.encode("utf-8") in data]


def _file_text(name: str, data: bytes) -> bytes:
    """What a file says, decompressed: PDF text, every XLSX cell, the rest as is."""
    if name.endswith(".pdf"):
        reader = pypdf.PdfReader(io.BytesIO(data))
        return "".join(p.extract_text() for p in reader.pages).encode() + data
    if name.endswith(".pptx"):  # a slide pack: every part of the zip (slide XML is UTF-8)
        with zipfile.ZipFile(io.BytesIO(data)) as pack:
            return b"".join(pack.read(member) for member in pack.namelist())
    if name.endswith(".xlsx"):
        workbook = load_workbook(io.BytesIO(data))
        cells = [
            str(c.value)
            for sheet in workbook
            for row in sheet.iter_rows()
            for c in row
            if c.value is not None
        ]
        return "\n".join(cells).encode()
    return data


def test_the_leaking_rows_are_really_in_the_store(public_env) -> None:
    from codi_geo.results.store import open_store

    everything = (
        open_store(f"sqlite:///{public_env / 'store.sqlite'}")
        .results(include_demo=True)
        .to_csv()
        .encode()
    )
    stored = set(_leaks_in(everything))
    raw = {key for key in LEAKS if not key.endswith("_shown")}
    assert stored == raw - {"import_phone"}  # the phone column is never imported
    assert PUBLIC_COMMUNITY.encode() in everything


def test_the_public_pages_are_every_page_but_data_and_review() -> None:
    assert len(PUBLIC_PAGES) == len(PAGES) - 2
    assert "6_data.py" not in PUBLIC_PAGES and "9_review.py" not in PUBLIC_PAGES


@pytest.mark.parametrize("page", PUBLIC_PAGES)
def test_nothing_internal_reaches_a_public_page(served, sent, captured_downloads, page) -> None:
    shown_public_row = False
    for params in VIEWS if served == "public_mode" else CLOSED_VIEWS:
        sent.clear()
        captured_downloads.clear()
        at = _open(page, forget=(sent, captured_downloads), **params)
        if served == "fail_closed":  # the banner says so, in the visitor's language
            assert t("closed_note", params.get("lang", "th")) in page_texts(at)
        assert not [e for e in at.error if "store" in str(e.value).lower()]
        payload = b"".join(sent)
        assert payload, "the page sent something"
        assert _leaks_in(payload) == [], (page, params)
        shown_public_row |= PUBLIC_COMMUNITY.encode() in payload
        assert not at.sidebar.get("page_link") or all(
            link.label != "ข้อมูล" and link.label != "Data" for link in at.sidebar.get("page_link")
        )
        if params not in FILE_VIEWS:
            continue
        for name, make in captured_downloads.items():
            if not name.endswith(".png"):
                assert _leaks_in(_file_text(name, make())) == [], (page, params, name)
    if page == "4_housing.py":
        assert shown_public_row, "the public rows themselves are shown"


def test_public_downloads_count_points_per_tambon(public_env, captured_downloads) -> None:
    _open("5_disasters.py", forget=(captured_downloads,), province="50")
    csv_name = next(n for n in captured_downloads if n.endswith(".csv"))
    text = captured_downloads[csv_name]().decode("utf-8-sig")
    header = text.splitlines()[0]
    for internal in ("ละติจูด", "ลองจิจูด", "หมายเหตุ", "การเผยแพร่", "สถานที่ตามเอกสาร"):
        assert internal not in header
    assert "จำนวนรายการ" in header  # how many points each tambon row counts
    geojson_name = next(n for n in captured_downloads if n.endswith(".geojson"))
    geojson = json.loads(captured_downloads[geojson_name]())
    assert {f["geometry"]["type"] for f in geojson["features"]} <= {"Polygon", "MultiPolygon"}


def test_the_data_page_cannot_be_reached(public_env, sent) -> None:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["fy"] = "2569"
    at.run()
    labels = [link.label for link in at.sidebar.get("page_link")]
    assert labels == [
        "ภาพรวม",
        "ตำบลต้นแบบ",
        "จังหวัดบูรณาการ",
        "ที่อยู่อาศัย",
        "ภัยพิบัติ",
        "เปรียบเทียบช่วงเวลา",
        "แหล่งข้อมูล",
    ]
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("app_pages/6_data.py")  # not registered: no URL leads to it
    # and the page itself refuses to run in public mode (a second guard)
    sent.clear()
    page = AppTest.from_file(
        str(Path(APP).parent / "app_pages" / "6_data.py"), default_timeout=TIMEOUT
    )
    page.run()
    assert not page.exception
    assert "หน้านี้ไม่เปิดให้บริการในระบบสาธารณะ" in page_texts(page)
    assert not page.get("file_uploader") and not page.tabs
    assert not [b for b in page.button if (b.key or "").startswith("undo_")]
    assert _leaks_in(b"".join(sent)) == []


def test_no_sign_in_and_no_details_on_errors(public_env) -> None:
    at = _open("1_overview.py")
    assert at.title[0].value == "ภาพรวม"
    # no sign-in form (the place search is the only text box)
    assert not [i for i in at.text_input if not str(i.key).startswith("w_find_")]
    assert "ข้อมูลเผยแพร่สาธารณะ" in "\n".join(c.value for c in at.sidebar.caption)
    assert "ยังไม่ได้ตั้งค่าการลงชื่อเข้าใช้" not in page_texts(at)


def test_a_mistyped_mode_serves_nothing(public_env, monkeypatch) -> None:
    monkeypatch.setenv("CODI_GEO_MODE", "publik")
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    assert not at.exception
    assert "CODI_GEO_MODE" in page_texts(at)
    assert not at.sidebar.get("page_link") and not at.title


def test_every_app_page_is_classified() -> None:
    from codi_geo.access import public
    from codi_geo.ui.widgets import page_url

    ids = {public.page_id(page_url(path)) for path, _, _ in PAGES}
    assert ids == public.PUBLIC_PAGES | {"data", "review"}
    assert {"data", "review"} <= public.INTERNAL_PAGES


def test_the_public_app_never_writes(public_env) -> None:
    """Not even the shipped figures at start (so it can use a read-only database role)."""
    from codi_geo.results.store import open_store

    store = open_store(f"sqlite:///{public_env / 'store.sqlite'}")
    before = store.data_version()
    _open("1_overview.py")
    _open("4_housing.py")
    assert store.data_version() == before
    assert not [b for b in store.batches() if b.mode == "shipped"]
