"""Importers on real files shaped like CODI staff's (``tests/data/imports``), stored in a real
SQLite file and a real PostgreSQL database, through the real place matcher and the boundary
cache built from the OCHA archive."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from codi_geo.programmes import get_programme
from codi_geo.results import imports
from codi_geo.results.imports import (
    CellValueError,
    ImportOptions,
    adjust_mapping,
    guess_mapping,
    import_file,
    prepare_import,
    read_table,
    store_import,
)
from codi_geo.results.imports.values import (
    check_coordinates,
    parse_coordinate_pair,
    parse_date,
    parse_fiscal_year,
    parse_number,
    parse_quarter,
)
from codi_geo.results.store import Store
from codi_geo.thai import fiscal_period
from tests.helpers import BACKENDS, empty_store, table_contents

FIXTURES = Path(__file__).resolve().parent / "data" / "imports"
THAI = re.compile("[\u0e00-\u0e7f]")


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """An empty store on SQLite, then on PostgreSQL."""
    with empty_store(request.param, tmp_path) as opened:
        yield opened


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def issues_by_row(report: imports.ImportReport) -> dict[int | None, list[imports.Issue]]:
    found: dict[int | None, list[imports.Issue]] = {}
    for issue in report.issues:
        found.setdefault(issue.row, []).append(issue)
    return found


def assert_bilingual(issue: imports.Issue) -> None:
    assert THAI.search(issue.message_th), issue
    assert issue.message_en and not THAI.search(issue.message_en.split("'")[0]), issue


# -- values as CODI's files write them ----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,234", 1234.0),
        ("๑,๒๓๔", 1234.0),
        ("675,000 บาท", 675000.0),
        ("675,000บาท", 675000.0),
        ("1.5 ล้าน", 1_500_000.0),
        ("12.5", 12.5),
        ("-", None),
        ("", None),
        (" 45 ", 45.0),
        ("120 ครัวเรือน", 120.0),
        ("3 hh", 3.0),
    ],
)
def test_numbers(text: str, expected: float | None) -> None:
    assert parse_number(text)[0] == expected


@pytest.mark.parametrize("text", ["12o", "1,23", "abc", "10%", "1,2,3", "5 6"])
def test_not_numbers(text: str) -> None:
    with pytest.raises(CellValueError):
        parse_number(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2569", 2569),
        ("๒๕๖๙", 2569),
        ("ปีงบประมาณ 2569", 2569),
        ("พ.ศ. 2569", 2569),
        ("2026", 2569),
        ("FY2026", 2569),
        ("69", 2569),
        ("FY26", 2569),
        ("2569.0", 2569),
        ("", None),
    ],
)
def test_fiscal_years(text: str, expected: int | None) -> None:
    assert parse_fiscal_year(text) == expected


@pytest.mark.parametrize("text", ["1800", "2569-2570", "หนึ่ง", "123"])
def test_not_fiscal_years(text: str) -> None:
    with pytest.raises(CellValueError):
        parse_fiscal_year(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Q2", (2, None)),
        ("q2", (2, None)),
        ("ไตรมาส 2", (2, None)),
        ("ไตรมาสที่ ๒", (2, None)),
        ("2", (2, None)),
        ("2.0", (2, None)),
        ("Q2/2569", (2, 2569)),
        ("ไตรมาส 1 ปี 69", (1, 2569)),
        ("", (None, None)),
    ],
)
def test_quarters(text: str, expected: tuple[int | None, int | None]) -> None:
    assert parse_quarter(text) == expected


@pytest.mark.parametrize("text", ["5", "Q0", "ไตรมาส", "first"])
def test_not_quarters(text: str) -> None:
    with pytest.raises(CellValueError):
        parse_quarter(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("15/11/2568", date(2025, 11, 15)),
        ("15/11/2025", date(2025, 11, 15)),
        ("26/11/2025, 14:05:11", date(2025, 11, 26)),
        ("11/26/2025 14:05:11", date(2025, 11, 26)),
        ("2025-11-15", date(2025, 11, 15)),
        ("2026-01-28T10:30:00+07:00", date(2026, 1, 28)),
        ("15 พ.ย. 2568", date(2025, 11, 15)),
        ("28 พฤศจิกายน 2568", date(2025, 11, 28)),
        ("15 Nov 2025", date(2025, 11, 15)),
        ("๕/๒/๒๕๖๙", date(2026, 2, 5)),
    ],
)
def test_dates(text: str, expected: date) -> None:
    assert parse_date(text) == expected


def test_fiscal_period_starts_in_october() -> None:
    assert fiscal_period(date(2025, 9, 30)) == (2568, 4)
    assert fiscal_period(date(2025, 10, 1)) == (2569, 1)
    assert fiscal_period(date(2025, 12, 31)) == (2569, 1)
    assert fiscal_period(date(2026, 1, 1)) == (2569, 2)
    assert fiscal_period(date(2026, 4, 30)) == (2569, 3)
    assert fiscal_period(date(2026, 7, 1)) == (2569, 4)


def test_coordinates() -> None:
    assert parse_coordinate_pair("13.75, 100.5") == (13.75, 100.5)
    assert parse_coordinate_pair("(13.75 100.5)") == (13.75, 100.5)
    assert parse_coordinate_pair("https://www.google.com/maps/@13.75,100.5,15z") == (13.75, 100.5)
    assert parse_coordinate_pair("""13°45'00"N 100°30'00"E""") == (13.75, 100.5)
    assert check_coordinates(13.75, 100.5) == (13.75, 100.5, False)
    assert check_coordinates(100.5, 13.75) == (13.75, 100.5, True)
    for lat, lon in ((0, 0), (35.0, 139.0), (13.75, 120.0)):
        with pytest.raises(CellValueError):
            check_coordinates(lat, lon)


def test_headers_map_to_fields_and_metrics() -> None:
    programme = get_programme("baan_mankong_rural")
    headers = [
        "ตำบล",
        "จำนวนตำบล",
        "แขวง/ตำบล",
        "หลังคาเรือน",
        "งบประมาณ (ล้านบาท)",
        "ชื่อผู้ประสานงาน",
        "เป้าหมาย (ครัวเรือน)",
        "ร้อยละครัวเรือน",
        "ปีงบประมาณ",
    ]
    guess = guess_mapping(headers, programme)
    assert guess.columns == {
        "tambon": "ตำบล",
        "tambons": "จำนวนตำบล",
        "households": "หลังคาเรือน",
        "budget_baht": "งบประมาณ (ล้านบาท)",
        "fiscal_year": "ปีงบประมาณ",
    }
    assert "personal" in guess.ignored["ชื่อผู้ประสานงาน"]
    assert "target" in guess.ignored["เป้าหมาย (ครัวเรือน)"]
    assert "percentage" in guess.ignored["ร้อยละครัวเรือน"]
    assert "already used" in guess.ignored["แขวง/ตำบล"]
    adjusted = adjust_mapping(guess.columns, {"tambon": "แขวง/ตำบล", "tambons": None})
    assert adjusted["tambon"] == "แขวง/ตำบล" and "tambons" not in adjusted


# -- reading every kind of file -------------------------------------------------------------


def test_thai_excel_csv_is_read_as_cp874_below_its_title_row() -> None:
    data = fixture("baan_mankong_rural_thai_excel.csv")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    table = read_table(data, "x.csv", programme=get_programme("baan_mankong_rural"))
    assert (table.kind, table.encoding, table.header_rows) == ("csv", "cp874", (2,))
    assert table.headers[3:6] == ["จังหวัด", "อำเภอ", "ตำบล"]
    assert table.row_numbers == [3, 4, 5, 6, 7, 8]


@pytest.mark.parametrize(
    ("encoding", "name"), [("utf-8-sig", "utf-8-sig"), ("utf-16", "utf-16"), ("utf-8", "utf-8")]
)
def test_the_same_csv_in_other_encodings_reads_the_same(encoding: str, name: str) -> None:
    text = fixture("baan_mankong_rural_thai_excel.csv").decode("cp874")
    programme = get_programme("baan_mankong_rural")
    original = read_table(fixture("baan_mankong_rural_thai_excel.csv"), "a.csv", None, programme)
    again = read_table(text.encode(encoding), "b.csv", None, programme)
    assert again.encoding == name
    assert (again.headers, again.rows, again.row_numbers) == (
        original.headers,
        original.rows,
        original.row_numbers,
    )


def test_xlsx_two_row_merged_header_on_row_3() -> None:
    table = read_table(
        fixture("temporary_housing_report.xlsx"),
        "r.xlsx",
        programme=get_programme("temporary_housing"),
    )
    assert table.sheet == "ผลการดำเนินงาน" and table.sheets == ["ผลการดำเนินงาน", "ไตรมาส 1"]
    assert table.header_rows == (3, 4)
    assert table.headers == [
        "ลำดับ",
        "ภาค",
        "จังหวัด",
        "สาเหตุ",
        "ไตรมาส",
        "ผลการดำเนินงาน / ครัวเรือน",
        "ผลการดำเนินงาน / งบประมาณ (บาท)",
    ]
    assert table.row_numbers == [5, 6, 7, 8, 9, 10]
    # The province merged over rows 5-6 belongs to both rows.
    assert table.rows[1][2] == "กรุงเทพมหานคร"


def test_a_text_only_first_row_is_data_not_a_second_header() -> None:
    text = "จังหวัด,สาเหตุ,หมายเหตุ\nตรัง,ไฟไหม้,ครัวเรือนยากจน งบประมาณจากท้องถิ่น\n"
    table = read_table(text.encode(), "t.csv", programme=get_programme("temporary_housing"))
    assert table.header_rows == (1,) and table.row_numbers == [2]
    assert table.headers == ["จังหวัด", "สาเหตุ", "หมายเหตุ"]


def test_unusable_files_say_why() -> None:
    cases = {
        ("empty.csv", b""): "empty",
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100): "old_excel",
        ("bad.geojson", b'{"type": "FeatureCollection", "features": [}'): "geojson",
        ("bad.kml", b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><kml/>'): "xml",
        ("bad.xlsx", b"PK\x03\x04 not really a workbook"): "xlsx",
    }
    for (name, data), kind in cases.items():
        report = prepare_import(data, name, "disaster").report
        assert report.status == "failed", name
        assert [i.kind for i in report.file_errors] == [kind], name
        assert name in report.file_errors[0].message_en
        assert_bilingual(report.file_errors[0])


# -- importing into the store (SQLite and PostgreSQL) -------------------------------------


def test_thai_excel_csv_imports(store: Store) -> None:
    report = import_file(
        store,
        fixture("baan_mankong_rural_thai_excel.csv"),
        "baan_mankong_rural_thai_excel.csv",
        "baan_mankong_rural",
    )
    assert report.status == "stored", report.text()
    assert (report.rows_accepted, report.rows_rejected, report.rows_skipped) == (5, 0, 1)
    skipped = issues_by_row(report)[8]
    assert [i.kind for i in skipped] == ["total_row"]
    frame = store.results("baan_mankong_rural")
    assert frame["code"].tolist() == ["270803", "901104", "500108", "400115", "130206"]
    assert frame["fiscal_year"].tolist() == [2569] * 5  # ๒๕๖๙, 2569 and 2026 CE alike
    assert frame["quarter"].tolist() == [1, 2, 2, 2, 2]
    assert frame["households"].tolist()[:4] == [120, 45, 30, 1020]
    assert frame["households"].isna().tolist()[4]  # "-" is no figure
    assert frame["budget_baht"].tolist() == [2_400_000, 1_125_000, 750_000, 25_500_000, 270_000]
    assert frame["source_row"].tolist() == [3, 4, 5, 6, 7]
    assert frame["place_text"].tolist()[0] == "หนองแวง, โคกสูง, สระแก้ว"
    assert frame["note"].tolist()[2] == "ต่อเนื่องจากปี 2568"
    assert frame["visibility"].tolist() == ["internal"] * 5
    batch = store.batch(report.batch_id or 0)
    assert batch is not None and batch.file_name == "baan_mankong_rural_thai_excel.csv"
    assert (batch.rows_total, batch.rows_stored, batch.rows_skipped) == (6, 5, 1)


def test_a_broken_file_is_rejected_row_by_row_and_stores_nothing(store: Store) -> None:
    import_file(store, fixture("baan_mankong_rural_thai_excel.csv"), "ok.csv", "baan_mankong_rural")
    before = table_contents(store)
    report = import_file(
        store, fixture("baan_mankong_rural_broken.csv"), "broken.csv", "baan_mankong_rural"
    )
    assert report.status == "failed" and report.batch_id is None
    assert table_contents(store) == before
    assert (report.rows_accepted, report.rows_rejected) == (2, 7)
    errors = {(i.row, i.column, i.kind) for i in report.errors}
    assert errors == {
        (3, "ไตรมาส", "quarter"),
        (4, "ครัวเรือน", "number"),
        (5, "ตำบล", "place_ambiguous"),
        (6, "ตำบล", "place_unmatched"),
        (7, "ปีงบประมาณ", "fiscal_year"),
        (8, "ครัวเรือน", "negative"),
        (10, None, "duplicate_in_file"),
    }
    for issue in report.errors:
        assert_bilingual(issue)
    ambiguous = issues_by_row(report)[5][0]
    codes = {candidate.split()[0] for candidate in ambiguous.candidates}
    assert {"300101", "301501"} <= codes
    assert "row 9" in issues_by_row(report)[10][0].message_en
    text = report.text()
    assert "แถว 3 คอลัมน์ 'ไตรมาส'" in text and "row 3, column 'ไตรมาส'" in text


def test_valid_only_stores_the_good_rows_and_returns_the_rest_intact(store: Store) -> None:
    report = import_file(
        store,
        fixture("baan_mankong_rural_broken.csv"),
        "broken.csv",
        "baan_mankong_rural",
        ImportOptions(valid_only=True),
    )
    assert report.status == "stored" and report.rows_rejected == 7
    assert store.results("baan_mankong_rural")["source_row"].tolist() == [2, 9]
    assert store.batch(report.batch_id or 0).mode == "valid_only"  # type: ignore[union-attr]
    rejects = report.rejects_csv_bytes()
    assert rejects.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(rejects.decode("utf-8-sig"))))
    original = list(
        csv.reader(io.StringIO(fixture("baan_mankong_rural_broken.csv").decode("utf-8-sig")))
    )
    assert rows[0][:8] == original[0]
    assert [r[8] for r in rows[1:]] == ["3", "4", "5", "6", "7", "8", "10"]
    # The rejected rows come back exactly as they were, with the reasons beside them.
    assert [r[:8] for r in rows[1:]] == [original[n - 1] for n in (3, 4, 5, 6, 7, 8, 10)]
    assert "12o" in rows[2] and "ไม่ใช่ตัวเลข" in rows[2][9] and "not a number" in rows[2][10]


def test_report_csv_lists_every_issue(store: Store) -> None:
    report = import_file(
        store,
        fixture("baan_mankong_rural_broken.csv"),
        "broken.csv",
        "baan_mankong_rural",
        ImportOptions(dry_run=True),
    )
    data = report.to_csv_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][0] == "แถว (row)"
    assert [r[0] for r in rows[1:]] == ["3", "4", "5", "6", "7", "8", "10"]
    assert rows[1][1:5] == ["ไตรมาส", "5", "error", "quarter"]


def test_dry_run_stores_nothing(store: Store) -> None:
    before = table_contents(store)
    report = import_file(
        store,
        fixture("baan_mankong_rural_thai_excel.csv"),
        "a.csv",
        "baan_mankong_rural",
        ImportOptions(dry_run=True),
    )
    assert report.status == "valid" and report.ok and report.rows_accepted == 5
    assert "dry run" in report.message_en
    assert table_contents(store) == before


def test_reimporting_a_file_does_not_double_it(store: Store) -> None:
    data = fixture("baan_mankong_rural_thai_excel.csv")
    first = import_file(store, data, "a.csv", "baan_mankong_rural")
    before = table_contents(store)
    again = import_file(store, data, "renamed.csv", "baan_mankong_rural")
    assert again.status == "already_stored" and again.ok
    assert again.duplicate_of == first.batch_id
    assert f"batch {first.batch_id}" in again.message_en
    assert table_contents(store) == before
    # An edited copy: the rows already stored are named, with their batch and row.
    edited = data.decode("cp874").replace("ชุมชนคลองหก", "ชุมชนคลองหกใหม่").encode("cp874")
    overlap = import_file(store, edited, "edited.csv", "baan_mankong_rural")
    assert overlap.status == "failed"
    duplicates = [i for i in overlap.errors if i.kind == "duplicate_stored"]
    assert [i.row for i in duplicates] == [3, 4, 5, 6]
    assert f"batch {first.batch_id}, row 3" in duplicates[0].message_en
    assert table_contents(store) == before
    added = import_file(
        store, edited, "edited.csv", "baan_mankong_rural", ImportOptions(valid_only=True)
    )
    assert added.status == "stored" and store.count_results("baan_mankong_rural") == 6


def test_undo_then_import_again(store: Store) -> None:
    data = fixture("baan_mankong_rural_thai_excel.csv")
    first = import_file(store, data, "a.csv", "baan_mankong_rural")
    store.undo(first.batch_id or 0)
    assert store.count_results() == 0
    second = import_file(store, data, "a.csv", "baan_mankong_rural")
    assert second.status == "stored" and second.batch_id != first.batch_id
    assert store.count_results() == 5


def test_xlsx_report_with_title_rows_and_merged_header(store: Store) -> None:
    data = fixture("temporary_housing_report.xlsx")
    missing_year = import_file(store, data, "r.xlsx", "temporary_housing")
    assert missing_year.status == "failed"
    assert [i.kind for i in missing_year.file_errors] == ["no_fiscal_year_column"]
    report = import_file(
        store, data, "r.xlsx", "temporary_housing", ImportOptions(fiscal_year=2569)
    )
    assert report.status == "stored", report.text()
    assert report.mapping["households"] == "ผลการดำเนินงาน / ครัวเรือน"
    assert (report.rows_accepted, report.rows_skipped) == (5, 1)
    assert issues_by_row(report)[10][0].kind == "total_row"
    frame = store.results("temporary_housing")
    assert frame["level"].tolist() == ["province"] * 5
    assert frame["code"].tolist() == ["10", "10", "72", "74", "20"]
    assert frame["category"].tolist() == ["fire", "eviction", "fire", "awaiting_permanent", "flood"]
    assert frame["households"].tolist() == [12, 4, 3, 1, 1]
    assert frame["budget_baht"].sum() == 567_000
    assert frame["source_row"].tolist() == [5, 6, 7, 8, 9]
    # Another sheet of the same workbook is its own import; ล้านบาท is millions.
    sheet = import_file(store, data, "r.xlsx", "temporary_housing", ImportOptions(sheet="ไตรมาส 1"))
    assert sheet.status == "stored", sheet.text()
    second = store.results("temporary_housing", quarter=1)
    assert second["code"].tolist() == ["92", "70"]
    assert second["budget_baht"].tolist() == [54_000, 27_000]
    assert second["category"].tolist() == ["fire", "other"]
    unknown = import_file(store, data, "r.xlsx", "temporary_housing", ImportOptions(sheet="ไม่มี"))
    problem = unknown.file_errors[0]
    assert problem.kind == "sheet" and "ไตรมาส 1" in problem.message_en


def test_a_figure_merged_over_rows_counts_once(store: Store, tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["ปีงบประมาณ", "จังหวัด", "สาเหตุ", "ครัวเรือน", "งบประมาณ"])
    sheet.append([2569, "ตรัง", "ไฟไหม้", 2, 54000])
    sheet.append([2569, "ราชบุรี", "ไฟไหม้", 1, None])
    sheet.merge_cells("E2:E3")
    path = tmp_path / "merged.xlsx"
    workbook.save(path)
    report = import_file(store, path.read_bytes(), path.name, "temporary_housing")
    assert report.status == "stored"
    assert [(i.row, i.column, i.kind) for i in report.warnings] == [
        (3, "งบประมาณ", "merged_figure")
    ]
    assert store.results("temporary_housing")["budget_baht"].sum() == 54000


def test_google_forms_export_with_coordinates(store: Store, boundary_cache: Path) -> None:
    report = import_file(
        store,
        fixture("disaster_google_form.csv"),
        "form.csv",
        "disaster",
        ImportOptions(boundary_dir=boundary_cache),
    )
    assert report.status == "stored", report.text()
    assert report.rows_accepted == 4
    assert set(report.ignored_columns) == {"ชื่อผู้กรอกข้อมูล", "เบอร์โทรศัพท์"}
    swapped = [i for i in report.warnings if i.kind == "coordinates_swapped"]
    assert [(i.row, i.column) for i in swapped] == [(3, "พิกัด (ละติจูด, ลองจิจูด)")]
    assert_bilingual(swapped[0])
    frame = store.results("disaster")
    assert frame["level"].tolist() == ["point"] * 4
    assert frame["code"].tolist() == ["901101", "901104", "270803", "130206"]
    assert frame["latitude"].tolist()[1] == pytest.approx(7.01362)
    assert frame["longitude"].tolist()[1] == pytest.approx(100.5077)
    assert list(zip(frame["fiscal_year"], frame["quarter"], strict=True)) == [
        (2569, 1),
        (2569, 1),
        (2569, 2),
        (2569, 2),
    ]
    assert frame["category"].tolist() == ["flood", "flood", "border_conflict", "fire"]
    assert frame["people"].tolist() == [120, 40, 65, 9]
    # The respondents' names and phone numbers are not stored anywhere.
    stored = repr(table_contents(store))
    for private in ("สมชาย", "081-234-5678", "สมหญิง", "089-111-2222"):
        assert private not in stored


def test_english_form_with_latitude_and_longitude_columns(
    store: Store, boundary_cache: Path
) -> None:
    report = import_file(
        store,
        fixture("disaster_form_latlon.csv"),
        "form.csv",
        "disaster",
        ImportOptions(boundary_dir=boundary_cache),
    )
    assert report.status == "stored", report.text()
    assert report.mapping["latitude"] == "Latitude"
    assert report.mapping["category"] == "Type of disaster"
    assert "Email Address" in report.ignored_columns
    frame = store.results("disaster")
    assert frame["code"].tolist() == ["901101", "400115"]
    assert frame["quarter"].tolist() == [1, 2]  # 26 Nov 2025 and 5 Feb 2026 (US dates)
    assert frame["category"].tolist() == ["flood", "fire"]
    assert "a@example.org" not in repr(table_contents(store))


def test_points_checked_against_the_province_given(store: Store, boundary_cache: Path) -> None:
    text = "วันที่,จังหวัด,ละติจูด,ลองจิจูด\n15/11/2568,เชียงใหม่,7.01201,100.47372\n"
    report = import_file(
        store, text.encode(), "p.csv", "disaster", ImportOptions(boundary_dir=boundary_cache)
    )
    assert report.status == "stored"
    assert [(i.row, i.column, i.kind) for i in report.warnings] == [(2, "จังหวัด", "point_elsewhere")]
    assert "Songkhla" in report.warnings[0].message_en
    assert store.results("disaster")["code"].tolist() == ["901101"]


def test_points_without_a_boundary_cache_are_refused(store: Store, tmp_path: Path) -> None:
    text = "วันที่,ละติจูด,ลองจิจูด\n15/11/2568,7.01201,100.47372\n"
    report = import_file(
        store, text.encode(), "p.csv", "disaster", ImportOptions(boundary_dir=tmp_path / "no_cache")
    )
    assert report.status == "failed" and report.file_errors[0].kind == "boundaries"
    assert "boundaries build" in report.file_errors[0].message_en
    assert store.count_results() == 0


def test_copin_geojson(store: Store, boundary_cache: Path) -> None:
    report = import_file(
        store,
        fixture("disaster_copin.geojson"),
        "copin.geojson",
        "disaster",
        ImportOptions(boundary_dir=boundary_cache),
    )
    assert report.status == "stored", report.text()
    assert report.file_kind == "geojson" and report.row_label_en == "feature"
    frame = store.results("disaster")
    assert frame["code"].tolist() == ["901101", "270803", "500108"]
    assert frame["name"].tolist()[0] == "จุดอพยพชุมชนคลองเรียน"
    assert frame["category"].tolist() == ["flood", "border_conflict", "landslide"]
    assert frame["quarter"].tolist() == [1, 2, 2]
    assert frame["people"].isna().tolist() == [False, False, True]
    assert "081-234-5678" not in repr(table_contents(store))


def test_kml_placemarks_in_folders(store: Store, boundary_cache: Path) -> None:
    report = import_file(
        store,
        fixture("disaster_pins.kml"),
        "pins.kml",
        "disaster",
        ImportOptions(boundary_dir=boundary_cache),
    )
    assert report.status == "stored", report.text()
    frame = store.results("disaster")
    assert frame["code"].tolist() == ["901104", "901002", "400115"]
    assert frame["name"].tolist() == ["ชุมชนคอหงส์", "ชุมชนปริก", "ชุมชนบ้านเป็ด"]
    assert frame["category"].tolist() == ["flood", "flood", "fire"]  # from the folders
    assert frame["households"].tolist() == [12, 8, 2]  # ๘ is 8
    assert list(zip(frame["fiscal_year"], frame["quarter"], strict=True)) == [
        (2569, 1),
        (2569, 1),
        (2569, 2),
    ]


def test_broken_geojson_names_each_feature(store: Store, boundary_cache: Path) -> None:
    before = table_contents(store)
    report = import_file(
        store,
        fixture("disaster_broken.geojson"),
        "broken.geojson",
        "disaster",
        ImportOptions(boundary_dir=boundary_cache),
    )
    assert report.status == "failed"
    assert table_contents(store) == before
    assert [(i.row, i.kind) for i in report.errors] == [
        (2, "geometry"),
        (3, "outside_tambons"),
        (4, "outside_tambons"),
        (5, "outside_thailand"),
        (6, "category"),
    ]
    for issue in report.errors:
        assert_bilingual(issue)
    assert "feature 2" in report.text() and "ลำดับที่ 2" in report.text()
    assert "Polygon" in report.errors[0].message_en
    assert "allowed: flood" in report.errors[-1].message_en


def test_explicit_mapping_and_chosen_codes(store: Store) -> None:
    data = fixture("baan_mankong_rural_broken.csv")
    guess = prepare_import(data, "b.csv", "baan_mankong_rural").report.mapping
    # The user says the community column is a note, and picks the tambon for row 5.
    mapping = adjust_mapping(guess, {"note": "ชื่อชุมชน"})
    prepared = prepare_import(
        data,
        "b.csv",
        "baan_mankong_rural",
        ImportOptions(
            mapping=mapping, place_codes={"ในเมือง, นครราชสีมา": "301501"}, valid_only=True
        ),
        store=store,
    )
    assert "name" not in prepared.report.mapping
    rejected = {i.row for i in prepared.report.errors}
    assert 5 not in rejected
    report = store_import(store, prepared)
    frame = store.results("baan_mankong_rural")
    assert "301501" in frame["code"].tolist()
    assert frame["name"].isna().all() and "ชุมชนดี" in frame["note"].tolist()
    assert report.status == "stored"
    bad = prepare_import(
        data, "b.csv", "baan_mankong_rural", ImportOptions(mapping={"colour": "ตำบล"})
    )
    assert bad.report.file_errors[0].kind == "mapping"


def test_codes_regions_and_levels(store: Store) -> None:
    text = "\n".join(
        [
            "ปีงบประมาณ,ระดับ,รหัส,ภาค,จำนวนตำบล",
            "2569,,TH270803,,1",  # 2: a P-code
            "2569,จังหวัด,84,,2",  # 3
            "2569,,,กลาง - ตะวันตก,39",  # 4: a region as CODI's tables write it
            "2569,ประเทศ,,,231",  # 5: national
            "2569,,999999,,1",  # 6: no such code
            "2569,อำเภอ,84,,1",  # 7: level and code disagree
            "2569,,,ภาคกลางตอนบน,1",  # 8: not a CODI region
        ]
    )
    report = import_file(
        store, text.encode(), "codes.csv", "model_tambon", ImportOptions(valid_only=True)
    )
    frame = store.results("model_tambon")
    assert list(zip(frame["level"], frame["code"].fillna(""), strict=True)) == [
        ("tambon", "270803"),
        ("province", "84"),
        ("region", "central_west"),
        ("national", ""),
    ]
    assert [(i.row, i.kind) for i in report.errors] == [(6, "code"), (7, "level"), (8, "region")]


def test_unknown_programme_is_a_usage_error() -> None:
    with pytest.raises(KeyError, match="unknown programme"):
        prepare_import(b"a,b\n", "x.csv", "no_such_programme")


def test_cells_cleaned_a_column_at_a_time_read_as_each_cell_alone() -> None:
    from codi_geo.results.imports.context import RowContext

    headers = ["ตำบล", "จำนวน", "วันที่", "หมายเหตุ"]
    rows = [
        [" ต.\u200bตลาด ", "๑,๒๐๐", "15/11/2568", ""],
        ["ตําบลห้วยน\u0e49\u0e4d\u0e32ขาว", "1,200 ", " 15/11/2568", "a\tb"],
        [" ต.\u200bตลาด ", "-", "15/11/2568", "  "],
    ]
    table = imports.RawTable(headers=headers, rows=rows, row_numbers=[2, 3, 4], kind="csv")
    mapping = {"tambon": "ตำบล", "households": "จำนวน", "date": "วันที่", "note": "หมายเหตุ"}
    ctx = RowContext(
        programme=get_programme("baan_mankong_rural"),
        mapping=mapping,
        column_index={f: headers.index(h) for f, h in mapping.items()},
        default_fiscal_year=None,
        default_quarter=None,
        visibility="internal",
        is_demo=False,
        place_codes={},
    )
    cells = ctx.cells(table)
    for row, row_cells in zip(rows, cells, strict=True):
        assert {name: row_cells[name] for name in mapping} == {
            name: ctx.cell(row, name) for name in mapping
        }
        assert row_cells["province"] == ""  # not mapped
    assert cells[0]["tambon"] == "ต.ตลาด" and cells[0]["households"] == "1,200"
    # A reading that fails is not remembered: each row with that text gets its problem.
    for _ in range(2):
        with pytest.raises(CellValueError):
            ctx.once(parse_number, "12o")
    assert ctx.once(parse_number, "1,200") == (1200.0, False)


def test_imports_run_the_cycle_collector_less_often_and_put_it_back() -> None:
    import gc

    from codi_geo.results.imports.rows import fewer_collections

    before = gc.get_threshold()
    with fewer_collections():
        raised = gc.get_threshold()
        with fewer_collections():  # an import overlapping in another thread
            assert gc.get_threshold() == raised
        assert gc.get_threshold() == raised  # the first one is still running
    assert raised[0] > before[0] and gc.get_threshold() == before
