"""Public mode: nothing internal, personal or point-exact reaches a public page."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from codi_geo.access import public
from codi_geo.outputs import exports
from codi_geo.programmes import Metric, Programme, get_programme
from codi_geo.results.store import NewBatch, ResultRow, open_store
from codi_geo.text import Bilingual

DISASTER = get_programme("disaster")
POR_PIANG = get_programme("baan_por_piang")

# Strings and numbers that must never appear in public output.
SECRETS = {
    "internal_name": "ชุมชนภายในห้ามเผยแพร่",
    "household_head": "นายสมชาย ใจดี",
    "phone": "081-234-5678",
    "address": "บ้านเลขที่ 99 หมู่ 4",
    "note": "หมายเหตุภายใน-ผู้ป่วยติดเตียง",
    "demo": "แถวข้อมูลตัวอย่าง",
    "beneficiary": "นางสาวมาลี ผู้รับประโยชน์",
    "national_id": "1100700123456",
    "file": "รายชื่อผู้ประสบภัย.xlsx",
    "doc": "internal_doc_77.txt",
}
LATITUDE, LONGITUDE = 13.754321, 100.501234
UNDECLARED = 77_777.0


def _point(code: str | None, category: str, households: float, n: int, **extra) -> ResultRow:
    return ResultRow(
        "disaster",
        2569,
        1,
        "point",
        code,
        {"households": households, "people": households * 3, "beneficiary_count": UNDECLARED},
        latitude=LATITUDE + n / 1000,
        longitude=LONGITUDE + n / 1000,
        category=category,
        name=f"{SECRETS['household_head']} {n}",
        place_text=SECRETS["address"],
        visibility=extra.pop("visibility", "public"),
        note=SECRETS["note"],
        source_doc=SECRETS["doc"],
        source_line=str(n),
        source_row=n,
        **extra,
    )


@pytest.fixture(scope="module")
def frames(tmp_path_factory: pytest.TempPathFactory) -> dict[str, pd.DataFrame]:
    store = open_store(f"sqlite:///{tmp_path_factory.mktemp('store') / 'codi.sqlite'}")
    points = [
        _point("100101", "flood", 2, 1),
        _point("100101", "flood", 3, 2),
        _point("100101", "flood", 4, 3),
        _point("100101", "fire", 1, 4),
        _point("500101", "flood", 5, 5),
        _point("100101", "flood", 50, 6, visibility="internal"),
        _point(None, "flood", 9, 7),  # no tambon: cannot be shown without coordinates
        _point("100101", "fire", 60, 8, is_demo=True),
    ]
    store.store_results(NewBatch("disaster", SECRETS["file"], "a" * 64, "all", 8), points)
    areas = [
        ResultRow(
            "baan_por_piang",
            2569,
            1,
            "tambon",
            "500101",
            {"households": 12},
            name="บ้านพอเพียงศรีภูมิ",
            visibility="public",
            source_doc=SECRETS["doc"],
        ),
        ResultRow(
            "baan_por_piang",
            2569,
            1,
            "tambon",
            "500102",
            {"households": 99},
            name=SECRETS["internal_name"],
            visibility="internal",
            note=SECRETS["note"],
        ),
        ResultRow(
            "baan_por_piang",
            2569,
            1,
            "tambon",
            "500103",
            {"households": 5},
            name=SECRETS["demo"],
            visibility="public",
            is_demo=True,
        ),
    ]
    store.store_results(NewBatch("baan_por_piang", SECRETS["file"], "b" * 64, "all", 3), areas)
    out = {}
    for programme in ("disaster", "baan_por_piang"):
        frame = store.results(programme, include_demo=True)
        # columns a page might have joined on: personal data that no declaration names
        frame["beneficiary_name"] = SECRETS["beneficiary"]
        frame["phone"] = SECRETS["phone"]
        frame["national_id"] = SECRETS["national_id"]
        out[programme] = frame
    store.close()
    return out


def _cells(frame: pd.DataFrame) -> list[str]:
    return [str(c) for c in frame.columns] + [str(v) for v in frame.to_numpy().ravel()]


def _assert_nothing_secret(frame: pd.DataFrame) -> None:
    cells = _cells(frame)
    for name, secret in SECRETS.items():
        leaked = [c for c in cells if secret in c or (name == "household_head" and "สมชาย" in c)]
        assert not leaked, (name, leaked)
    numbers = pd.to_numeric(pd.Series(frame.to_numpy().ravel()), errors="coerce").dropna()
    assert not ((numbers - LATITUDE).abs() < 0.01).any()
    assert not ((numbers - LONGITUDE).abs() < 0.01).any()
    assert not (numbers == UNDECLARED).any()
    forbidden = {
        "latitude",
        "longitude",
        "place_text",
        "note",
        "source_doc",
        "source_line",
        "batch_id",
        "batch_file_name",
        "id",
        "visibility",
        "beneficiary_count",
        "beneficiary_name",
        "phone",
        "national_id",
    }
    assert not forbidden & set(frame.columns)


def test_the_input_really_holds_the_secrets(frames) -> None:
    # the control: the checks below would catch these if they leaked
    raw = _cells(frames["disaster"]) + _cells(frames["baan_por_piang"])
    for secret in SECRETS.values():
        assert any(secret in c for c in raw), secret


def test_points_become_counts_per_tambon_with_nothing_internal(frames) -> None:
    out = public.public_rows(frames["disaster"], DISASTER)
    _assert_nothing_secret(out)
    assert "name" not in out.columns and "latitude" not in out.columns
    assert set(out["level"]) == {"tambon"}
    got = {
        (r.code, r.category): (r.rows, r.households, r.people) for r in out.itertuples(index=False)
    }
    assert got == {
        ("100101", "flood"): (3, 9, 27),  # the internal and the demo points left out
        ("100101", "fire"): (1, 1, 3),
        ("500101", "flood"): (1, 5, 15),
    }
    assert out.set_index("code").loc["500101", "region"] == "north"
    assert public.check_public_frame(out, DISASTER) == []
    assert public.check_public_frame(frames["disaster"], DISASTER)  # the raw frame is not fit


def test_area_rows_keep_public_fields_only(frames) -> None:
    out = public.public_rows(frames["baan_por_piang"], POR_PIANG)
    _assert_nothing_secret(out)
    assert out["code"].tolist() == ["500101"]
    assert out["name"].tolist() == ["บ้านพอเพียงศรีภูมิ"]  # declared public
    assert out["households"].tolist() == [12]
    assert set(out.columns) <= set(public.public_columns(POR_PIANG))
    with_demo = public.public_rows(frames["baan_por_piang"], POR_PIANG, include_demo=True)
    assert with_demo["code"].tolist() == ["500101", "500103"]
    assert with_demo["is_demo"].tolist() == [False, True]


def test_public_exports_carry_nothing_internal(frames) -> None:
    out = public.public_rows(frames["disaster"], DISASTER)
    table = exports.export_table(out, DISASTER)
    _assert_nothing_secret(table)
    csv_text = exports.to_csv_bytes(table).decode("utf-8-sig")
    for secret in SECRETS.values():
        assert secret not in csv_text
    assert "ละติจูด" not in table.columns and table["จำนวนรายการ"].sum() == 5


def test_non_public_metrics_and_fields_are_dropped(frames) -> None:
    private = Programme(
        "disaster",
        Bilingual("ภัยพิบัติ", "Disasters"),
        "disaster",
        "point",
        (
            Metric("households", Bilingual("ครัวเรือน", "Households")),
            Metric("people", Bilingual("คน", "People"), public=False),
        ),
        public_fields=("category", "latitude", "note"),  # a careless declaration
    )
    out = public.public_rows(frames["disaster"], private)
    assert "people" not in out.columns and "households" in out.columns
    assert "latitude" not in out.columns  # coordinates are never public
    assert "note" not in out.columns  # point rows are aggregated: no single-row text
    _assert_nothing_secret(out)


def test_rows_without_visibility_are_refused() -> None:
    frame = pd.DataFrame({"level": ["tambon"], "code": ["100101"], "households": [1.0]})
    with pytest.raises(public.PublicModeError, match="visibility"):
        public.public_rows(frame, POR_PIANG)
    odd = pd.DataFrame(
        {
            "level": ["tambon"] * 3,
            "code": ["100101", "100102", "100103"],
            "visibility": ["PUBLIC", None, "publicish"],
            "households": [1.0, 2.0, 3.0],
        }
    )
    assert public.public_rows(odd, POR_PIANG)["code"].tolist() == ["100101"]


def test_mode_from_environment() -> None:
    assert public.app_mode({"CODI_GEO_MODE": "public"}) == "public"
    assert public.app_mode({"CODI_GEO_MODE": " Public "}) == "public"
    assert public.app_mode({}) == "internal"
    assert public.app_mode({"CODI_GEO_MODE": "internal"}) == "internal"
    with pytest.raises(public.PublicModeError, match="CODI_GEO_MODE"):
        public.app_mode({"CODI_GEO_MODE": "publik"})


def test_pages_and_actions_allowed_in_public_mode() -> None:
    assert public.page_id("app_pages/2_model_tambons.py") == "model_tambons"
    assert public.page_id("model-tambons") == public.page_id("model_tambons")
    for page in (
        "overview",
        "app_pages/1_overview.py",
        "integrated-provinces",
        "app_pages/7_sources.py",
    ):
        assert public.page_allowed(page, public=True)
    for page in ("data", "app_pages/6_data.py", "import", "batches", "users", "audit", "new_page"):
        assert not public.page_allowed(page, public=True)
        assert public.page_allowed(page, public=False)
    app_pages = sorted(Path(__file__).resolve().parents[1].joinpath("app_pages").glob("*.py"))
    assert len(app_pages) == 9  # the eight map and data pages and the pin review page
    for path in app_pages:  # every page of the app is classified, none by accident
        assert public.page_id(path) in public.PUBLIC_PAGES | public.INTERNAL_PAGES, path


def test_public_results_for_the_pages(frames) -> None:
    """Every programme's public rows in one frame, the columns pages read present but empty."""
    mixed = pd.concat([frames["disaster"], frames["baan_por_piang"]], ignore_index=True)
    out = public.public_results(mixed)
    padded = set(public.EMPTY_PAGE_COLUMNS) - {"name", "category"}
    assert padded <= set(out.columns)
    assert out[sorted(padded)].isna().all().all()  # never filled
    kept = out.drop(columns=sorted(padded))
    _assert_nothing_secret(kept)
    assert sorted(out["programme"].unique()) == ["baan_por_piang", "disaster"]
    assert out["rows"].sum() == 5 + 1  # five public points and one public area row
    from codi_geo.maps import figures

    assert figures.row_count(out) == 6
    per_tambon = figures.count_by(out[out["programme"] == "disaster"], "tambon_code")
    assert per_tambon.to_dict() == {"100101": 4, "500101": 1}
    counts = figures.aggregate(out[out["programme"] == "disaster"], None, "province")
    assert counts.to_dict() == {"10": 4.0, "50": 1.0}  # counts of points, not of rows
    unknown = mixed.assign(programme="not_declared")
    assert public.public_results(unknown).empty  # an undeclared programme: nothing public


def test_public_indicators_drop_provenance() -> None:
    frame = pd.DataFrame(
        {
            "indicator_id": ["a"],
            "result": [3.0],
            "source_doc": ["x.txt"],
            "source_line": ["7"],
            "note": ["ภายใน"],
        }
    )
    out = public.public_indicators(frame)
    assert out["result"].tolist() == [3.0]
    assert out[["source_doc", "source_line", "note"]].isna().all().all()
    assert frame["source_doc"].tolist() == ["x.txt"]  # the input is not changed
