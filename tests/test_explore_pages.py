"""Finding and comparing under Streamlit's AppTest: the place search on the map pages, the
area profile, the change-over-time page with its comparison in the URL, and the slide pack
button."""

from __future__ import annotations

import io

import pytest
from streamlit.testing.v1 import AppTest

from codi_geo import settings
from synthetic.sample import fill_previous_year, fill_store
from tests.helpers import APP, TIMEOUT


@pytest.fixture()
def sample_env(boundary_cache, tmp_path, monkeypatch):
    monkeypatch.setenv("CODI_GEO_BOUNDARY_DIR", str(boundary_cache))
    monkeypatch.setenv("CODI_GEO_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("CODI_GEO_DATABASE_URL", f"sqlite:///{tmp_path / 'store.sqlite'}")
    monkeypatch.setenv("CODI_GEO_USERS_FILE", str(tmp_path / "none.toml"))
    settings.clear()
    fill_store(f"sqlite:///{tmp_path / 'store.sqlite'}", boundary_cache)
    fill_previous_year(f"sqlite:///{tmp_path / 'store.sqlite'}")
    yield tmp_path
    settings.clear()


def _run(page: str = "", **params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if page:
        at.switch_page(f"app_pages/{page}")
        at.run()
    return at


def _search_box(at: AppTest):
    return next(box for box in at.text_input if str(box.key).startswith("w_find_"))


@pytest.mark.parametrize("page", ["", "2_model_tambons.py", "4_housing.py", "8_change.py"])
def test_search_korat_opens_nakhon_ratchasima(sample_env, page) -> None:
    at = _run(page, fy="2569")
    _search_box(at).input("โคราช").run()
    assert not at.exception, at.exception
    suggestions = [b for b in at.button if str(b.key).startswith("find_pick_")]
    assert suggestions[0].key == "find_pick_30" and suggestions[0].label == "จ.นครราชสีมา"
    suggestions[0].click().run()
    assert not at.exception, at.exception
    assert at.query_params["province"] == "30" and at.query_params["area"] == "30"
    assert at.selectbox(key="w_province").value == "30"
    assert any("ข้อมูลพื้นที่ทุกปีงบประมาณ" in m.value for m in at.markdown)
    assert _search_box(at).value == ""  # a fresh box after the choice


def test_search_a_tambon_opens_its_district(sample_env) -> None:
    at = _run("", fy="2569", lang="en")
    _search_box(at).input("Nai Mueang, Mueang Nakhon Ratchasima").run()
    pick = next(b for b in at.button if b.key == "find_pick_300101")
    assert "(tambon)" in pick.label
    pick.click().run()
    assert at.query_params["district"] == "3001" and at.query_params["area"] == "300101"


def test_search_that_finds_nothing_says_so(sample_env) -> None:
    at = _run("", fy="2569")
    _search_box(at).input("ซซซซซซซซ").run()
    assert not at.exception
    assert any("ไม่พบ" in c.value for c in at.caption)
    ambiguous = _run("", fy="2569")
    _search_box(ambiguous).input("อ.เมือง").run()
    assert any("พิมพ์ชื่อจังหวัด" in c.value for c in ambiguous.caption)


def test_area_profile_downloads(sample_env, captured_downloads) -> None:
    at = _run("", fy="2569", province="30", area="30")
    assert not at.exception, at.exception
    assert "codi_profile_30.csv" in captured_downloads
    csv = captured_downloads["codi_profile_30.csv"]().decode("utf-8-sig")
    assert "บ้านมั่นคงเมือง" in csv and "ปีงบ 2568" in csv and "ปีงบ 2569" in csv


def test_change_page_puts_the_comparison_in_the_url(sample_env) -> None:
    at = _run("8_change.py", fy="2569", metric="baan_mankong_urban:households")
    assert not at.exception, at.exception
    assert at.query_params["vs"] == "2568"
    assert at.selectbox(key="w_compare").value == (2568, None)
    assert any("เปลี่ยนแปลงจากปีงบ 2568" in s.value for s in at.subheader)
    frames = [f.value for f in at.dataframe]
    assert any("ปีงบ 2568" in frame.columns for frame in frames)  # region table
    assert any((frame.get("ความก้าวหน้า") is not None) for frame in frames)  # targets


def test_change_page_in_english_with_a_quarter(sample_env) -> None:
    at = _run(
        "8_change.py",
        fy="2569",
        q="2",
        lang="en",
        vs="2568q2",
        metric="baan_mankong_urban:households",
    )
    assert not at.exception, at.exception
    assert at.title[0].value == "Change over time"
    assert at.query_params["vs"] == "2568q2"
    assert any("change since FY 2568 Q2" in s.value for s in at.subheader)
    # a period this programme does not have: the default comparison instead, in the URL
    other = _run(
        "8_change.py", fy="2569", q="2", vs="2500q3", metric="baan_mankong_urban:households"
    )
    assert other.query_params["vs"] == "2568q2"


def test_slide_pack_button_makes_a_pptx(sample_env, captured_downloads) -> None:
    from pptx import Presentation

    at = _run("", fy="2569", region="north")
    assert not at.exception, at.exception
    name = "codi_briefing_2569_north.pptx"
    assert name in captured_downloads
    made = Presentation(io.BytesIO(captured_downloads[name]()))
    assert len(made.slides) >= 2
