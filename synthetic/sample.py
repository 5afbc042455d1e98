"""A small, synthetic set of results for the app tests (AppTest and browser) and the load
benchmark: every page has something to draw, and one disaster point carries an HTML-injection
name that must show as text. Not CODI's figures."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np

XSS_NAME = "<img src=x onerror=alert(1)>"


def _meta(programme: str, name: str, rows: int, kind: str = "results"):
    from codi_geo.results.store import NewBatch

    digest = hashlib.sha256(f"{programme}:{name}:{kind}".encode()).hexdigest()
    return NewBatch(
        programme=programme,
        file_name=name,
        file_sha256=digest,
        mode="all",
        rows_total=rows,
        kind=kind,
    )


def sample_rows(boundary_dir: Path | None = None) -> dict[str, list]:
    from codi_geo.places.boundaries import locate_points
    from codi_geo.results.store import ResultRow

    fy, q = 2569, 2
    src = {"source_doc": "sample.txt", "visibility": "public"}
    rows: dict[str, list] = {}
    tiers = {
        "10": "tier_1",
        "30": "tier_1",
        "50": "tier_2",
        "90": "tier_2",
        "40": "tier_3",
        "57": "tier_3",
        "20": "tier_4",
        "71": "tier_4",
    }
    rows["integrated_province"] = [
        ResultRow(
            "integrated_province",
            fy,
            q,
            "province",
            code,
            {"provinces": 1},
            category=tier,
            source_line=str(i),
            **src,
        )
        for i, (code, tier) in enumerate(tiers.items(), 1)
    ] + [
        ResultRow(
            "integrated_province",
            fy,
            q,
            "province",
            code,
            {"criteria_met": 4},
            category="met_all",
            source_line=f"m{code}",
            **src,
        )
        for code in ("30", "50")
    ]
    tambons = {
        "300101": "new",
        "300102": "new",
        "500101": "follow_up",
        "900101": "met_all",
        "400101": "follow_up",
    }
    rows["model_tambon"] = [
        ResultRow(
            "model_tambon",
            fy,
            q,
            "tambon",
            code,
            {"tambons": 1},
            category=cat,
            source_line=code,
            **src,
        )
        for code, cat in tambons.items()
    ] + [
        ResultRow(
            "model_tambon",
            fy,
            q,
            "region",
            region,
            {"tambons": count},
            category="criterion_1_plan",
            source_line=f"r{region}",
            **src,
        )
        for region, count in {
            "north": 120,
            "northeast": 210,
            "south": 95,
            "central_west": 80,
            "bangkok_east": 60,
        }.items()
    ]
    rows["temporary_housing"] = [
        ResultRow(
            "temporary_housing",
            fy,
            q,
            "province",
            code,
            {"households": hh},
            category=cat,
            name=name,
            source_line=code,
            **src,
        )
        for code, hh, cat, name in [
            ("50", 40, "flood", "บ้านพักชั่วคราวน้ำท่วม"),
            ("10", 25, "fire", "ชุมชนไฟไหม้"),
            ("90", 12, "eviction", "ชุมชนถูกไล่รื้อ"),
        ]
    ]
    canal = [
        (13.80, 100.56, "1005", "ชุมชนริมคลองเปรมฯ 1", 120),
        (13.83, 100.57, "1005", "ชุมชนริมคลองเปรมฯ 2", 85),
        (13.87, 100.59, "1041", "ชุมชนริมคลองเปรมฯ 3", 60),
    ]
    rows["prem_prachakorn_canal"] = [
        ResultRow(
            "prem_prachakorn_canal",
            fy,
            q,
            "district",
            code,
            {"households": hh},
            latitude=lat,
            longitude=lon,
            name=name,
            source_line=name,
            **src,
        )
        for lat, lon, code, name, hh in canal
    ]
    rng = np.random.default_rng(7)
    lats = np.concatenate(
        [rng.normal(18.8, 0.3, 40), rng.normal(14.9, 0.4, 40), rng.normal(7.2, 0.3, 20)]
    )
    lons = np.concatenate(
        [rng.normal(99.0, 0.3, 40), rng.normal(102.1, 0.4, 40), rng.normal(100.5, 0.2, 20)]
    )
    codes = locate_points(lons, lats, boundary_dir)
    kinds = ["flood", "fire", "storm", "landslide", "border_conflict"]
    rows["disaster"] = [
        ResultRow(
            "disaster",
            fy,
            (i % 2) + 1,
            "point",
            code,
            {"households": float(i % 9 + 1)},
            latitude=float(lat),
            longitude=float(lon),
            category=kinds[i % 5],
            name=XSS_NAME if i == 0 else f"จุดที่ {i}",
            source_line=str(i),
            **src,
        )
        for i, (lat, lon, code) in enumerate(zip(lats, lons, codes, strict=True))
        if code is not None
    ]
    rows["baan_mankong_urban"] = [
        ResultRow(
            "baan_mankong_urban",
            fy,
            q,
            "district",
            code,
            {"households": hh, "communities": 2},
            source_line=code,
            **src,
        )
        for code, hh in [("1005", 300), ("3001", 150), ("5001", 220), ("9011", 90)]
    ]
    return rows


def sample_indicators():
    from codi_geo.results.store import IndicatorRow

    return [
        IndicatorRow(
            2569,
            2,
            "ind_model_tambon",
            "ตำบลต้นแบบ",
            "national",
            programme="model_tambon",
            unit_th="ตำบล",
            target=500,
            result=320,
            source_doc="sample.txt",
            source_line="10",
        ),
        IndicatorRow(
            2569,
            2,
            "ind_integrated",
            "จังหวัดบูรณาการ",
            "national",
            programme="integrated_province",
            unit_th="จังหวัด",
            target=77,
            result=40,
            source_doc="sample.txt",
            source_line="11",
        ),
        IndicatorRow(
            2569,
            2,
            "ind_housing",
            "ครัวเรือนบ้านมั่นคง",
            "national",
            programme="baan_mankong_urban",
            unit_th="ครัวเรือน",
            target=5000,
            result=None,
            source_doc="sample.txt",
            source_line="12",
        ),
    ]


def fill_store(url: str | None = None, boundary_dir: Path | None = None) -> None:
    """Open the store (CODI_GEO_DATA_DIR or ``url``) and add the sample, once."""
    from codi_geo.results.store import open_store

    store = open_store(url)
    if store.count_results():
        return
    for programme, rows in sample_rows(boundary_dir).items():
        store.store_results(_meta(programme, f"sample_{programme}.csv", len(rows)), rows)
    indicators = sample_indicators()
    store.store_indicators(
        _meta("indicators", "sample_indicators.csv", len(indicators), kind="indicators"), indicators
    )
    store.close()


def fill_previous_year(url: str) -> None:
    """Add (once) a fiscal year before the sample's, for change over time: the urban housing
    districts with fewer households in some, more in one, one district only then; and an
    indicator with its target and result."""
    from codi_geo.results.store import IndicatorRow, ResultRow, open_store

    store = open_store(url)
    if any(b.file_name == "sample_previous_year.csv" for b in store.batches()):
        store.close()
        return
    src = {"source_doc": "sample.txt", "visibility": "public"}
    rows = [
        ResultRow(
            "baan_mankong_urban",
            2568,
            2,
            "district",
            code,
            {"households": hh, "communities": 1},
            source_line=f"prev{code}",
            **src,
        )
        for code, hh in [("1005", 250), ("3001", 180), ("5001", 220), ("4001", 60)]
    ]
    store.store_results(_meta("baan_mankong_urban", "sample_previous_year.csv", len(rows)), rows)
    indicators = [
        IndicatorRow(
            2568,
            2,
            "ind_housing",
            "ครัวเรือนบ้านมั่นคง",
            "national",
            programme="baan_mankong_urban",
            unit_th="ครัวเรือน",
            target=4000,
            result=3000,
            source_doc="sample.txt",
            source_line="13",
        )
    ]
    store.store_indicators(
        _meta("indicators", "sample_previous_indicators.csv", 1, kind="indicators"), indicators
    )
    store.close()


if __name__ == "__main__":
    fill_store()


# ---------------------------------------------------------------------------------------
# What a public page must never show: internal rows, personal fields, single points
# ---------------------------------------------------------------------------------------

# Each string (or number) below is stored somewhere a public page must not reach.
LEAKS = {
    "internal_name": "ชุมชนลับเฉพาะภายใน",  # the name of an internal row
    "internal_note": "บันทึกภายในห้ามเผยแพร่",  # the note of an internal row
    "internal_value": "613572984",  # a figure of an internal row
    "internal_value_shown": "613,572,984",  # as the pages write numbers
    "point_name": "นายสมปอง ผู้ประสบภัยรายเดียว",  # the name of a single public disaster point
    # its exact coordinates (six decimals: boundaries are never sent with more than five)
    "point_latitude": "18.787871",
    "point_longitude": "98.989891",
    "public_note": "โทร 089-333-4444 ผู้ป่วยติดเตียง",  # a note of a public row (notes are internal)
    # an internal row alone in its programme, year and province (Narathiwat), so no total can
    # hide it: a region summary or details panel that shows it has read internal rows
    "internal_alone": "48151623",
    "internal_alone_shown": "48,151,623",
    "undeclared_metric": "86421357",  # a metric no declaration names
    "undeclared_metric_shown": "86,421,357",
    "demo_name": "แถวข้อมูลตัวอย่างเดโม",  # a demo row
    "import_phone": "081-555-6666",  # a phone column of an imported file (never stored)
    "import_beneficiary": "นางสาวมาลัย ผู้รับประโยชน์",  # a note column of an imported file
    "source_doc": "internal_minutes_2569.docx",  # provenance of single rows
    "import_file_name": "ผลบ้านมั่นคง_มีเบอร์โทร.csv",  # the name of an imported file
}
# A public row the public pages do show (so the test knows the pages drew real data).
PUBLIC_COMMUNITY = "ชุมชนเผยแพร่ได้ริมคลอง"
IMPORT_FILE = (
    "ปีงบประมาณ,ไตรมาส,จังหวัด,อำเภอ,ชื่อชุมชน,ครัวเรือน,เบอร์โทรผู้ประสานงาน,หมายเหตุ\n"
    f"2569,2,ขอนแก่น,เมืองขอนแก่น,{PUBLIC_COMMUNITY},35,{LEAKS['import_phone']},"
    f"{LEAKS['import_beneficiary']}\n"
).encode()


def fill_leak_rows(url: str, boundary_dir: Path | None = None) -> None:
    """Add to the store (once) rows that hold everything in ``LEAKS``, beside public rows."""
    from codi_geo.results import imports
    from codi_geo.results.store import ResultRow, open_store

    store = open_store(url)
    if any(b.file_name == "leaks_internal.csv" for b in store.batches()):
        store.close()
        return
    fy, q = 2569, 2
    internal = [
        ResultRow(
            "baan_mankong_urban",
            fy,
            q,
            "district",
            "5001",
            {"households": float(LEAKS["internal_value"])},
            name=LEAKS["internal_name"],
            note=LEAKS["internal_note"],
            visibility="internal",
            source_doc=LEAKS["source_doc"],
            source_line="1",
        ),
        ResultRow(
            "disaster",
            fy,
            q,
            "point",
            "500101",
            {"households": 3.0},
            latitude=18.78,
            longitude=98.98,
            category="flood",
            name=LEAKS["internal_name"] + " จุด",
            visibility="internal",
        ),
        ResultRow(
            "homeless_housing",
            fy,
            q,
            "province",
            "96",
            {"households": float(LEAKS["internal_alone"])},
            visibility="internal",
            source_doc=LEAKS["source_doc"],
            source_line="4",
        ),
    ]
    store.store_results(_meta("baan_mankong_urban", "leaks_internal.csv", len(internal)), internal)
    from codi_geo.places.boundaries import locate_points

    lat, lon = float(LEAKS["point_latitude"]), float(LEAKS["point_longitude"])
    code = locate_points([lon], [lat], boundary_dir)[0]
    public_rows = [
        ResultRow(
            "disaster",
            fy,
            q,
            "point",
            code,
            {"households": 2.0},
            latitude=lat,
            longitude=lon,
            category="fire",
            name=LEAKS["point_name"],
            place_text=LEAKS["point_name"],
            visibility="public",
            source_doc=LEAKS["source_doc"],
            source_line="2",
        ),
        ResultRow(
            "prem_prachakorn_canal",
            fy,
            q,
            "district",
            "1005",
            {"households": 44.0, "beneficiary_count": float(LEAKS["undeclared_metric"])},
            name=PUBLIC_COMMUNITY + " 2",
            note=LEAKS["public_note"],
            visibility="public",
            source_doc=LEAKS["source_doc"],
            source_line="3",
        ),
        ResultRow(
            "temporary_housing",
            fy,
            q,
            "province",
            "30",
            {"households": 5.0},
            category="fire",
            name=LEAKS["demo_name"],
            visibility="public",
            is_demo=True,
        ),
    ]
    for row in public_rows:
        store.store_results(_meta(row.programme, "leaks_public.csv", 1), [row])
    report = imports.import_file(
        store,
        IMPORT_FILE,
        LEAKS["import_file_name"],
        "baan_mankong_urban",
        imports.ImportOptions(visibility="public", boundary_dir=boundary_dir),
    )
    assert report.status == "stored", report.text()
    store.close()
