"""Importers: the spreadsheets, form exports and pinpoint files CODI staff produce, turned
into result rows for the store, with a report a person can act on.

Three steps, each usable alone (the app's data page calls them with the uploaded bytes):

1. ``read_table(data, filename)``: CSV (UTF-8, UTF-8 with BOM, UTF-16, or Thai Windows
   cp874 / TIS-620, detected), XLSX (first or named sheet, the header row found below any
   title rows, two-row merged headers joined), GeoJSON, KML / KMZ: a grid of text cells with
   the row numbers the user sees.
2. ``guess_mapping(headers, programme)``: Thai or English headers -> fields (and the
   programme's metrics, from its declaration). The caller may pass its own mapping instead.
3. ``prepare_import(...)`` converts and checks every row (places through the matcher once,
   points placed in their tambon) and ``store_import`` stores the accepted rows as one batch.
   ``import_file`` does both.

Conventions (also in the README):
- Years: a year below 2400 is Gregorian (CE) and gets +543. A two-digit year is Buddhist Era
  (``69`` = 2569), except after ``FY`` (``FY26`` = 2026 CE = 2569).
- A date gives the fiscal year and quarter it falls in: October to December belong to the next
  fiscal year (15 Nov 2025 = FY2569 quarter 1; 15 Feb 2026 = FY2569 quarter 2). A fiscal-year
  or quarter column, when present, wins over the date.
- Coordinates outside Thailand are rejected; latitude and longitude given the wrong way round
  are put right (the two ranges cannot overlap in Thailand) and reported as a warning.
- A ``-`` or empty cell in a number column means "no figure", not zero.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import xml.etree.ElementTree as ElementTree
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

from codi_geo.places import gazetteer
from codi_geo.programmes import Programme, get_programme
from codi_geo.results.store import (
    RESULT_LEVELS,
    DuplicateFileError,
    NewBatch,
    ResultRow,
    Store,
    StoreError,
    natural_key,
)
from codi_geo.thai import buddhist_year, clean_text, fiscal_period

Severity = Literal["error", "warning", "skipped"]

# Thailand's extent with a small margin (Ko Kut to Mae Sai, Betong to Ubon's eastern tip).
LAT_RANGE = (5.5, 20.6)
LON_RANGE = (97.3, 105.7)
HEADER_SEARCH_ROWS = 30
MAX_FILE_BYTES = 50 * 1024 * 1024


# ---------------------------------------------------------------------------------------
# Report values
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Issue:
    """One thing the user should know, at a row (as they see it) and column of their file.
    ``row`` is None for the whole file."""

    row: int | None
    column: str | None
    value: str
    severity: Severity
    kind: str
    message_th: str
    message_en: str
    candidates: tuple[str, ...] = ()


class ImportFileError(ValueError):
    """The file as a whole cannot be used; the message says why in Thai and English."""

    def __init__(self, kind: str, message_th: str, message_en: str) -> None:
        self.kind = kind
        self.message_th = message_th
        self.message_en = message_en
        super().__init__(f"{message_th} / {message_en}")


@dataclass
class RawTable:
    """A file as a grid of text cells, with the row numbers (or feature numbers) the user
    sees in their program, and how it was read."""

    headers: list[str]
    rows: list[list[str]]
    row_numbers: list[int]
    kind: str
    encoding: str | None = None
    sheet: str | None = None
    sheets: list[str] = field(default_factory=list)
    header_rows: tuple[int, ...] = ()
    row_label_th: str = "แถว"
    row_label_en: str = "row"
    # (data row index, column index) -> the row number a merged cell's value belongs to.
    merged_from: dict[tuple[int, int], int] = field(default_factory=dict)
    # Problems found while reading a row (e.g. a feature that is not a point).
    row_issues: dict[int, list[Issue]] = field(default_factory=dict)
    # Columns filled from a file's geometry rather than its attributes.
    geometry_columns: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class MappingResult:
    """Field -> column header, plus what the guesser chose to leave alone and why."""

    columns: dict[str, str]
    ignored: dict[str, str]  # header -> reason (Thai / English)


@dataclass
class ImportReport:
    file_name: str
    file_sha256: str
    programme: str
    file_kind: str = ""
    encoding: str | None = None
    sheet: str | None = None
    sheets: list[str] = field(default_factory=list)
    header_rows: tuple[int, ...] = ()
    mapping: dict[str, str] = field(default_factory=dict)
    ignored_columns: dict[str, str] = field(default_factory=dict)
    rows_total: int = 0
    rows_accepted: int = 0
    rows_rejected: int = 0
    rows_skipped: int = 0
    issues: list[Issue] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)
    rejected_rows: list[tuple[int, list[str]]] = field(default_factory=list)
    row_label_th: str = "แถว"
    row_label_en: str = "row"
    dry_run: bool = True
    valid_only: bool = False
    # stored | valid (dry run, would store) | already_stored (same file) | failed
    status: str = "failed"
    batch_id: int | None = None
    duplicate_of: int | None = None
    message_th: str = ""
    message_en: str = ""

    @property
    def ok(self) -> bool:
        """True if the rows were stored, would be stored (dry run), or already are."""
        return self.status != "failed"

    @property
    def errors(self) -> list[Issue]:
        return [issue for issue in self.issues if issue.severity == "error"]

    @property
    def warnings(self) -> list[Issue]:
        return [issue for issue in self.issues if issue.severity == "warning"]

    @property
    def file_errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error" and i.row is None]

    def to_csv_bytes(self) -> bytes:
        """The report as a CSV file (UTF-8 with BOM, opens in Thai Excel)."""
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow([
            f"{self.row_label_th} ({self.row_label_en})", "คอลัมน์ (column)", "ค่า (value)",
            "ระดับ (severity)", "ประเภท (kind)", "เหตุผล", "reason", "ตัวเลือก (candidates)",
        ])
        for issue in self.issues:
            writer.writerow([
                "" if issue.row is None else issue.row, issue.column or "", issue.value,
                issue.severity, issue.kind, issue.message_th, issue.message_en,
                " | ".join(issue.candidates),
            ])
        return ("\ufeff" + out.getvalue()).encode("utf-8")

    def rejects_csv_bytes(self) -> bytes:
        """The rejected rows as they were in the file (same columns, same values), with the
        row number and the reasons added, so they can be fixed and imported again."""
        reasons: dict[int, list[Issue]] = {}
        for issue in self.errors:
            if issue.row is not None:
                reasons.setdefault(issue.row, []).append(issue)
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow([
            *self.headers, f"{self.row_label_th}ในไฟล์เดิม ({self.row_label_en} in file)",
            "เหตุผลที่ไม่รับ", "reason rejected",
        ])
        for row_number, values in self.rejected_rows:
            found = reasons.get(row_number, [])
            writer.writerow([
                *values, row_number,
                "; ".join(issue_text(i, "th", self.row_label_th) for i in found),
                "; ".join(issue_text(i, "en", self.row_label_en) for i in found),
            ])
        return ("\ufeff" + out.getvalue()).encode("utf-8")

    def text(self, limit: int | None = 200) -> str:
        """A printable summary in Thai and English."""
        where = self.file_kind.upper()
        if self.encoding:
            where += f", {self.encoding}"
        if self.sheet:
            where += f", sheet {self.sheet!r}"
        if self.header_rows:
            where += f", header row {'-'.join(str(r) for r in self.header_rows)}"
        lines = [f"ไฟล์ / file: {self.file_name} ({where})", f"แผนงาน / programme: {self.programme}"]
        if self.mapping:
            pairs = "; ".join(f"{column!r} → {fld}" for fld, column in self.mapping.items())
            lines.append(f"คอลัมน์ / columns: {pairs}")
        for header, reason in self.ignored_columns.items():
            lines.append(f"  ไม่ใช้ / not used: {header!r}: {reason}")
        lines.append(
            f"รับ {self.rows_accepted} แถว ไม่รับ {self.rows_rejected} แถว ข้าม "
            f"{self.rows_skipped} แถว จากทั้งหมด {self.rows_total} / accepted "
            f"{self.rows_accepted}, rejected {self.rows_rejected}, skipped "
            f"{self.rows_skipped} of {self.rows_total} rows"
        )
        lines.append(f"{self.message_th} / {self.message_en}")
        shown = self.issues if limit is None else self.issues[:limit]
        for issue in shown:
            th = issue_text(issue, "th", self.row_label_th)
            en = issue_text(issue, "en", self.row_label_en)
            lines.append(f"  [{issue.severity}] {th} / {en}")
        hidden = len(self.issues) - len(shown)
        if hidden:
            lines.append(f"  … อีก {hidden} รายการ / {hidden} more (see --report)")
        return "\n".join(lines)


def issue_text(issue: Issue, lang: str, row_label: str | None = None) -> str:
    """``แถว 4 คอลัมน์ 'ตำบล': ...`` / ``row 4, column 'ตำบล': ...``."""
    if lang == "th":
        where = "ทั้งไฟล์" if issue.row is None else f"{row_label or 'แถว'} {issue.row}"
        if issue.column:
            where += f" คอลัมน์ {issue.column!r}"
        text = f"{where}: {issue.message_th}"
        if issue.candidates:
            text += " (ตัวเลือก: " + ", ".join(issue.candidates) + ")"
        return text
    where = "file" if issue.row is None else f"{row_label or 'row'} {issue.row}"
    if issue.column:
        where += f", column {issue.column!r}"
    text = f"{where}: {issue.message_en}"
    if issue.candidates:
        text += " (candidates: " + ", ".join(issue.candidates) + ")"
    return text


@dataclass
class PreparedImport:
    """Checked rows ready to store, with the report; ``store_import`` stores them."""

    report: ImportReport
    rows: list[ResultRow]
    replaces: tuple[int, ...] = ()
    mode: str = "all"


# ---------------------------------------------------------------------------------------
# Text normalisation, numbers, years, quarters, dates, coordinates (pure functions)
# ---------------------------------------------------------------------------------------




def header_key(text: str) -> str:
    """A header reduced for comparison: case, spaces and punctuation removed."""
    return re.sub(r"[\s()\[\]{}.,:;/\\\-_*#\"'’‘“”?]+", "", clean_text(text).casefold())


class CellValueError(ValueError):
    """A cell that cannot be read as the field needs; carries Thai and English text."""

    def __init__(self, kind: str, message_th: str, message_en: str) -> None:
        self.kind = kind
        self.message_th = message_th
        self.message_en = message_en
        super().__init__(message_en)


_EMPTY_MARKS = {"", "-", "–", "—", "n/a", "na", "none", "null", "nan", "ไม่มี", "ไม่ระบุ"}
_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?$")
_WORD_SCALES = (("ล้านบาท", 1e6), ("ล้าน", 1e6), ("million", 1e6), ("ลบ", 1e6))


def parse_number(text: str | None) -> tuple[float | None, bool]:
    """A figure as CODI's spreadsheets write it: ``1,234``, ``๑,๒๓๔``, ``675,000 บาท``,
    ``1.5 ล้าน``; ``-`` or empty is no figure (None). Returns (value, scaled_in_cell)."""
    text = clean_text(text).casefold().replace("฿", "").strip()
    if text in _EMPTY_MARKS:
        return None, False
    match = re.match(r"^([+-]?[\d,]*\.?\d+)(\s*)(.*)$", text)
    # A unit may follow: Thai words (``675,000บาท``) or an English word after a space;
    # ``12o`` is a typing slip, not twelve.
    if not match or not _is_unit(match.group(3), bool(match.group(2))):
        raise CellValueError("number", "ไม่ใช่ตัวเลข", "not a number")
    digits, unit = match.group(1), match.group(3).strip(" .")
    if "%" in unit or "ร้อยละ" in unit:
        raise CellValueError("number", "เป็นร้อยละ ไม่ใช่จำนวน", "a percentage, not a count")
    if not _NUMBER.match(digits) or digits in ("", "+", "-"):
        raise CellValueError(
            "number", "ตัวเลขอ่านไม่ชัด (จุลภาคผิดที่)", "unclear number (misplaced comma)"
        )
    value = float(digits.replace(",", ""))
    for word, scale in _WORD_SCALES:
        if unit.startswith(word):
            return value * scale, True
    return value, False


def _is_unit(text: str, spaced: bool) -> bool:
    text = text.strip(" .")
    if not text or text in ("%", "ร้อยละ"):
        return True
    if re.fullmatch(r"[\u0e00-\u0e7f .]+", text):
        return True
    return spaced and bool(re.fullmatch(r"[a-z][a-z .]+", text))


def header_scale(header: str) -> float:
    """Figures under ``งบประมาณ (ล้านบาท)`` or ``(ลบ.)`` are millions of baht."""
    key = header_key(header)
    if "ล้าน" in key or "million" in key or key.endswith("ลบ"):
        return 1e6
    if "พันบาท" in key or "thousand" in key:
        return 1e3
    return 1.0



def _check_fiscal_year(year: int) -> int:
    if not 2500 <= year <= 2700:
        raise CellValueError(
            "fiscal_year", "ปีงบประมาณไม่สมเหตุผล", "not a plausible fiscal year"
        )
    return year


def parse_fiscal_year(text: str | None) -> int | None:
    """``2569``, ``๒๕๖๙``, ``ปีงบประมาณ 2569``, ``พ.ศ. 2569``, ``2026``, ``FY2026``, ``69``."""
    cleaned = clean_text(text).casefold()
    if cleaned in _EMPTY_MARKS:
        return None
    numbers = re.findall(r"\d+(?:\.0+)?", cleaned)
    if len(numbers) != 1 or len(numbers[0].split(".")[0]) not in (2, 4):
        raise CellValueError("fiscal_year", "อ่านปีงบประมาณไม่ได้", "cannot read the fiscal year")
    year = int(float(numbers[0]))
    return _check_fiscal_year(buddhist_year(year, two_digit_is_ce="fy" in cleaned))


_QUARTER = re.compile(
    r"^(?:q|qtr|quarter|ไตรมาสที่|ไตรมาส|ไตรมาศ|ที่)?([1-4])"
    r"(?:(?:/|-|ปีงบประมาณ|ปีงบ|ปี|fy|พศ)*(\d{2}|\d{4}))?$"
)


def parse_quarter(text: str | None) -> tuple[int | None, int | None]:
    """``Q2``, ``ไตรมาส 2``, ``ไตรมาสที่ ๒``, ``2``, ``Q2/2569``: (quarter, fiscal year or None)."""
    cleaned = clean_text(text).casefold()
    if cleaned in _EMPTY_MARKS:
        return None, None
    key = re.sub(r"^(\d)\.0+$", r"\1", cleaned)  # 2.0 from a spreadsheet number
    key = re.sub(r"[\s.]+", "", key)
    match = _QUARTER.match(key)
    if not match:
        raise CellValueError(
            "quarter", "อ่านไตรมาสไม่ได้ (ต้องเป็น 1-4)", "cannot read the quarter (must be 1-4)"
        )
    year = match.group(2)
    fiscal_year = None
    if year:
        fiscal_year = _check_fiscal_year(buddhist_year(int(year), "fy" in key))
    return int(match.group(1)), fiscal_year


_THAI_MONTHS = {
    "มกราคม": 1, "มค": 1, "กุมภาพันธ์": 2, "กพ": 2, "มีนาคม": 3, "มีค": 3, "เมษายน": 4,
    "เมย": 4, "พฤษภาคม": 5, "พค": 5, "มิถุนายน": 6, "มิย": 6, "กรกฎาคม": 7, "กค": 7,
    "สิงหาคม": 8, "สค": 8, "กันยายน": 9, "กย": 9, "ตุลาคม": 10, "ตค": 10, "พฤศจิกายน": 11,
    "พย": 11, "ธันวาคม": 12, "ธค": 12,
}
_EN_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
    )
}


def _calendar_year(year: int) -> int:
    """A year in a date, as CE: BE (>= 2400) -1 543; two digits: >= 40 BE, else CE."""
    if year < 100:
        year = 2500 + year if year >= 40 else 2000 + year
    return year - 543 if year >= 2400 else year


_NUMERIC_DATE = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})")


def _strip_time(text: str) -> str:
    cleaned = clean_text(text).casefold()
    return re.sub(r"[ ,t]+\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?.*$", "", cleaned).strip(" ,")


def day_first(texts: Sequence[str]) -> bool:
    """Whether a column writes day/month (Thai usage) or month/day (a US-English form
    export): month/day only if some date has a second number above 12 and none a first."""
    firsts, seconds = [], []
    for text in texts:
        numeric = _NUMERIC_DATE.fullmatch(_strip_time(text))
        if numeric:
            firsts.append(int(numeric.group(1)))
            seconds.append(int(numeric.group(2)))
    return not (any(s > 12 for s in seconds) and not any(f > 12 for f in firsts))


def parse_date(text: str | None, day_first: bool = True) -> date | None:
    """Dates as Thai staff and Google Forms write them: ``15/11/2568``, ``15/11/2025
    10:22:33``, ``2025-11-15``, ``15 พ.ย. 2568``, ``15 พฤศจิกายน 2568``, ``15 Nov 2025``.
    ``d/m/y`` unless ``day_first`` is False (see ``day_first()``) or the day cannot be first
    (``11/26/2025``)."""
    if clean_text(text).casefold() in _EMPTY_MARKS:
        return None
    cleaned = _strip_time(text or "")
    try:
        iso = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", cleaned)
        if iso:
            y, m, d = (int(g) for g in iso.groups())
            return date(_calendar_year(y), m, d)
        numeric = _NUMERIC_DATE.fullmatch(cleaned)
        if numeric:
            first, second, y = (int(g) for g in numeric.groups())
            month_first = (second > 12 >= first) or (not day_first and first <= 12)
            d, m = (second, first) if month_first else (first, second)
            return date(_calendar_year(y), m, d)
        words = re.fullmatch(r"(\d{1,2})\s*([^\d\s]+)\s*(\d{2}|\d{4})", cleaned)
        if words:
            month = _month_number(words.group(2))
            if month:
                return date(_calendar_year(int(words.group(3))), month, int(words.group(1)))
    except ValueError:
        pass
    raise CellValueError("date", "อ่านวันที่ไม่ได้", "cannot read the date")


def _month_number(word: str) -> int | None:
    key = re.sub(r"[.\s]", "", word)
    if key in _THAI_MONTHS:
        return _THAI_MONTHS[key]
    return _EN_MONTHS.get(key[:3])



_FLOAT = r"[+-]?\d+(?:\.\d+)?"
_DMS = re.compile(
    r"(\d+(?:\.\d+)?)\s*°\s*(?:(\d+(?:\.\d+)?)\s*['′]\s*)?(?:(\d+(?:\.\d+)?)\s*[\"″]\s*)?([nsewนตอ])?"
)


def parse_coordinate(text: str | None) -> float | None:
    """One coordinate: ``13.7563``, ``๑๓.๗๕๖๓``, ``13,7563`` (decimal comma), or
    degrees-minutes-seconds ``13°45'22.7"N``."""
    cleaned = clean_text(text).casefold()
    if cleaned in _EMPTY_MARKS:
        return None
    if re.fullmatch(r"[+-]?\d+,\d+", cleaned):
        cleaned = cleaned.replace(",", ".")
    if re.fullmatch(_FLOAT, cleaned):
        return float(cleaned)
    dms = _DMS.fullmatch(cleaned.replace(" ", ""))
    if dms:
        degrees, minutes, seconds, hemisphere = dms.groups()
        value = float(degrees) + float(minutes or 0) / 60 + float(seconds or 0) / 3600
        return -value if hemisphere in ("s", "w") else value
    raise CellValueError("coordinates", "อ่านพิกัดไม่ได้", "cannot read the coordinate")


def parse_coordinate_pair(text: str | None) -> tuple[float, float] | None:
    """One cell with both: ``13.75, 100.5``, ``13.75 100.5``, ``(13.75,100.5)``, or a Google
    Maps link (``@13.75,100.5`` / ``q=13.75,100.5``). Returns (first, second) as written."""
    cleaned = clean_text(text)
    if cleaned.casefold() in _EMPTY_MARKS:
        return None
    link = re.search(rf"(?:@|[?&](?:q|ll|query)=)({_FLOAT}),\s*({_FLOAT})", cleaned)
    if link:
        return float(link.group(1)), float(link.group(2))
    pair = re.fullmatch(rf"\(?\s*({_FLOAT})\s*[,;\s]\s*({_FLOAT})\s*\)?", cleaned)
    if pair:
        return float(pair.group(1)), float(pair.group(2))
    dms = [m for m in _DMS.finditer(cleaned.casefold().replace(" ", "")) if m.group(0)]
    if len(dms) == 2:
        first, second = (parse_coordinate(m.group(0)) for m in dms)
        assert first is not None and second is not None
        return first, second
    raise CellValueError(
        "coordinates",
        "อ่านพิกัดไม่ได้ (ควรเป็น ละติจูด, ลองจิจูด เช่น 13.75, 100.50)",
        "cannot read the coordinates (expected latitude, longitude, e.g. 13.75, 100.50)",
    )


def _in_thailand(lat: float, lon: float) -> bool:
    return LAT_RANGE[0] <= lat <= LAT_RANGE[1] and LON_RANGE[0] <= lon <= LON_RANGE[1]


def check_coordinates(lat: float, lon: float) -> tuple[float, float, bool]:
    """(latitude, longitude, swapped). Swapped pairs are put right: in Thailand a latitude
    (5-21) can never be a longitude (97-106). Anything else outside Thailand is an error."""
    if _in_thailand(lat, lon):
        return lat, lon, False
    if _in_thailand(lon, lat):
        return lon, lat, True
    raise CellValueError(
        "outside_thailand",
        f"พิกัด ({lat}, {lon}) อยู่นอกประเทศไทย",
        f"coordinates ({lat}, {lon}) are outside Thailand",
    )


_TOTAL_ROW = re.compile(r"^(รวม(ทั้งสิ้น|ทั้งหมด|ทั้งประเทศ|ทุกภาค)?|ผลรวม|ยอดรวม|grand total|total|sum)"
                        r"(\s|\d|$|:)", re.IGNORECASE)


def is_total_label(text: str) -> bool:
    """``รวม``, ``รวมทั้งสิ้น``, ``Total``: a totals row, not a fact (``รวมไทยพัฒนา`` is a
    tambon, so the word must stand alone)."""
    return bool(_TOTAL_ROW.match(clean_text(text)))


# ---------------------------------------------------------------------------------------
# Reading files into a grid
# ---------------------------------------------------------------------------------------


def file_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def detect_kind(data: bytes, filename: str) -> str:
    """csv | xlsx | geojson | kml | kmz, from the content first and the name second."""
    suffix = Path(filename).suffix.casefold()
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ImportFileError(
            "old_excel",
            f"{filename}: เป็นไฟล์ Excel รุ่นเก่า (.xls) กรุณาบันทึกเป็น .xlsx หรือ CSV",
            f"{filename}: an old Excel file (.xls); save it as .xlsx or CSV",
        )
    if data[:4] == b"PK\x03\x04":
        return "kmz" if suffix == ".kmz" else "xlsx"
    head = data[:2000].lstrip(b"\xef\xbb\xbf \t\r\n")
    if suffix in (".geojson", ".json") or head.startswith(b"{"):
        return "geojson"
    if suffix == ".kml" or (head.startswith(b"<") and b"<kml" in head):
        return "kml"
    return "csv"


def decode_text(data: bytes, filename: str) -> tuple[str, str]:
    """(text, encoding): UTF-8 with or without BOM, UTF-16 with BOM, else Thai Windows
    (cp874, a superset of TIS-620, what Excel on Thai Windows writes)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp874"), "cp874"
    except UnicodeDecodeError as error:
        raise ImportFileError(
            "encoding",
            f"{filename}: อ่านรหัสอักขระไม่ได้ (ไม่ใช่ UTF-8 หรือ TIS-620/cp874) ที่ไบต์ {error.start}",
            f"{filename}: unknown text encoding (neither UTF-8 nor TIS-620/cp874), "
            f"at byte {error.start}",
        ) from None


def _sniff_delimiter(text: str) -> str:
    sample = text.splitlines()[:40]
    best, best_score = ",", -1
    for delimiter in (",", "\t", ";", "|"):
        counts = [len(r) for r in csv.reader(sample, delimiter=delimiter) if any(r)]
        if not counts:
            continue
        modal = max(set(counts), key=counts.count)
        score = counts.count(modal) * (modal - 1)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _read_csv(data: bytes, filename: str) -> tuple[list[list[str]], list[int], str]:
    text, encoding = decode_text(data, filename)
    delimiter = _sniff_delimiter(text)
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        raise ImportFileError(
            "csv", f"{filename}: อ่าน CSV ไม่ได้ ({error})", f"{filename}: cannot read CSV ({error})"
        ) from None
    # A CSV record is a row in Excel, whatever newlines its quoted cells hold.
    return records, list(range(1, len(records) + 1)), encoding


def cell_text(value: Any) -> str:
    """An Excel cell as the text a person sees (integers without ``.0``, dates as ISO)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        if value.time() == datetime.min.time():
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    return str(value)


def _read_xlsx(
    data: bytes, filename: str, sheet: str | None
) -> tuple[list[list[str]], list[int], str, list[str], dict[tuple[int, int], int]]:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise ImportFileError(
            "xlsx",
            f"{filename}: เปิดไฟล์ Excel ไม่ได้ ({error})",
            f"{filename}: cannot open the Excel file ({error})",
        ) from None
    names = workbook.sheetnames
    if sheet is not None and sheet not in names:
        raise ImportFileError(
            "sheet",
            f"{filename}: ไม่มีแผ่นงาน {sheet!r} (มี: {', '.join(names)})",
            f"{filename}: there is no sheet {sheet!r} (sheets: {', '.join(names)})",
        )
    worksheet = workbook[sheet] if sheet is not None else workbook.worksheets[0]
    grid = [[cell_text(v) for v in row] for row in worksheet.iter_rows(values_only=True)]
    width = max((len(r) for r in grid), default=0)
    grid = [r + [""] * (width - len(r)) for r in grid]
    # A merged cell holds its value in the top-left cell only; give it to the whole range,
    # remembering where it came from (a figure must not count once per row it spans).
    merged_from: dict[tuple[int, int], int] = {}
    for merged in worksheet.merged_cells.ranges:
        top, left = merged.min_row - 1, merged.min_col - 1
        if top >= len(grid) or left >= width:
            continue
        value = grid[top][left]
        for r in range(top, min(merged.max_row, len(grid))):
            for c in range(left, min(merged.max_col, width)):
                if (r, c) != (top, left):
                    grid[r][c] = value
                    if r != top:
                        merged_from[(r, c)] = top + 1
    workbook.close()
    return grid, list(range(1, len(grid) + 1)), worksheet.title, names, merged_from


GEOMETRY_LAT = "latitude (geometry)"
GEOMETRY_LON = "longitude (geometry)"


def _features_table(
    features: Sequence[tuple[dict[str, str], tuple[float, float] | None, str | None]],
    kind: str,
    label: tuple[str, str],
) -> RawTable:
    headers: list[str] = []
    for properties, _, _ in features:
        for key in properties:
            if key not in headers:
                headers.append(key)
    headers += [GEOMETRY_LAT, GEOMETRY_LON]
    rows, issues = [], {}
    for number, (properties, point, problem) in enumerate(features, start=1):
        lon, lat = point if point else ("", "")
        rows.append([properties.get(h, "") for h in headers[:-2]] + [str(lat), str(lon)])
        if problem:
            issues[number] = [
                Issue(number, None, problem, "error", "geometry",
                      f"รูปทรงเป็น {problem} ไม่ใช่จุด", f"the geometry is a {problem}, not a point")
            ]
    return RawTable(
        headers=headers, rows=rows, row_numbers=list(range(1, len(rows) + 1)), kind=kind,
        encoding="utf-8", row_label_th=label[0], row_label_en=label[1], row_issues=issues,
        geometry_columns={"latitude": GEOMETRY_LAT, "longitude": GEOMETRY_LON},
    )


def _property_text(value: Any) -> str:
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, float):
        return cell_text(value)
    return "" if value is None else str(value)


def _read_geojson(data: bytes, filename: str) -> RawTable:
    text, _ = decode_text(data, filename)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportFileError(
            "geojson",
            f"{filename}: GeoJSON ไม่ถูกต้อง บรรทัด {error.lineno} ({error.msg})",
            f"{filename}: invalid GeoJSON at line {error.lineno} ({error.msg})",
        ) from None
    if isinstance(document, dict) and document.get("type") == "Feature":
        document = {"type": "FeatureCollection", "features": [document]}
    if not isinstance(document, dict) or not isinstance(document.get("features"), list):
        raise ImportFileError(
            "geojson",
            f"{filename}: ไม่ใช่ GeoJSON FeatureCollection",
            f"{filename}: not a GeoJSON FeatureCollection",
        )
    features = []
    for feature in document["features"]:
        properties = {
            str(k): _property_text(v) for k, v in (feature.get("properties") or {}).items()
        }
        geometry = feature.get("geometry") or {}
        point, problem = _geojson_point(geometry)
        features.append((properties, point, problem))
    return _features_table(features, "geojson", ("ลำดับที่", "feature"))


def _geojson_point(geometry: dict[str, Any]) -> tuple[tuple[float, float] | None, str | None]:
    kind = geometry.get("type")
    coordinates = geometry.get("coordinates")
    if not kind:
        return None, None
    if kind == "Point" and coordinates and len(coordinates) >= 2:
        return (float(coordinates[0]), float(coordinates[1])), None
    if kind == "MultiPoint" and coordinates and len(coordinates) == 1:
        return (float(coordinates[0][0]), float(coordinates[0][1])), None
    return None, str(kind)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _read_kml(data: bytes, filename: str) -> RawTable:
    if b"<!DOCTYPE" in data[:4096] or b"<!ENTITY" in data:
        # Entity definitions have no place in KML and are the way to attack an XML parser.
        raise ImportFileError(
            "kml", f"{filename}: KML มี DOCTYPE/ENTITY ซึ่งไม่รับ",
            f"{filename}: KML with DOCTYPE/ENTITY declarations is not accepted",
        )
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as error:
        raise ImportFileError(
            "kml",
            f"{filename}: KML ไม่ถูกต้อง ({error})",
            f"{filename}: invalid KML ({error})",
        ) from None
    features: list[tuple[dict[str, str], tuple[float, float] | None, str | None]] = []

    def walk(element: ElementTree.Element, folder: str) -> None:
        for child in element:
            tag = _local(child.tag)
            if tag in ("Folder", "Document"):
                name = next((c.text for c in child if _local(c.tag) == "name"), None)
                walk(child, (name or folder).strip() if tag == "Folder" else folder)
            elif tag == "Placemark":
                features.append(_placemark(child, folder))

    walk(root, "")
    return _features_table(features, "kml", ("หมุดที่", "placemark"))


def _placemark(
    element: ElementTree.Element, folder: str
) -> tuple[dict[str, str], tuple[float, float] | None, str | None]:
    properties: dict[str, str] = {}
    if folder:
        properties["folder"] = folder
    point, problem = None, None
    for node in element.iter():
        tag = _local(node.tag)
        if node is element:
            continue
        if tag in ("name", "description") and tag not in properties:
            properties[tag] = (node.text or "").strip()
        elif tag == "Data":
            value = next((c.text for c in node if _local(c.tag) == "value"), "")
            properties[node.get("name", "")] = (value or "").strip()
        elif tag == "SimpleData":
            properties[node.get("name", "")] = (node.text or "").strip()
        elif tag == "Point" and point is None:
            text = next((c.text for c in node if _local(c.tag) == "coordinates"), "") or ""
            parts = text.strip().split()[0].split(",") if text.strip() else []
            if len(parts) >= 2:
                point = (float(parts[0]), float(parts[1]))
        elif tag in ("Polygon", "LineString", "LinearRing") and point is None:
            problem = tag
    return properties, point, None if point else problem


def _read_kmz(data: bytes, filename: str) -> RawTable:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        kml_names = [n for n in archive.namelist() if n.casefold().endswith(".kml")]
        if not kml_names:
            raise ImportFileError(
                "kmz", f"{filename}: ไม่มีไฟล์ KML ใน KMZ", f"{filename}: the KMZ holds no KML"
            )
        table = _read_kml(archive.read(kml_names[0]), filename)
    table.kind = "kmz"
    return table


def read_table(
    data: bytes, filename: str, sheet: str | None = None, programme: Programme | None = None
) -> RawTable:
    """Read a file into a ``RawTable``: headers found (below any title rows), cells as text,
    row numbers as the user sees them. Raises ``ImportFileError`` for an unusable file."""
    if not data:
        raise ImportFileError("empty", f"{filename}: ไฟล์ว่าง", f"{filename}: the file is empty")
    if len(data) > MAX_FILE_BYTES:
        raise ImportFileError(
            "too_big",
            f"{filename}: ไฟล์ใหญ่เกิน {MAX_FILE_BYTES // 2**20} MB",
            f"{filename}: the file is larger than {MAX_FILE_BYTES // 2**20} MB",
        )
    kind = detect_kind(data, filename)
    if kind == "geojson":
        return _read_geojson(data, filename)
    if kind == "kml":
        return _read_kml(data, filename)
    if kind == "kmz":
        return _read_kmz(data, filename)
    merged_from: dict[tuple[int, int], int] = {}
    sheets: list[str] = []
    encoding = sheet_name = None
    if kind == "xlsx":
        grid, numbers, sheet_name, sheets, merged_from = _read_xlsx(data, filename, sheet)
    else:
        grid, numbers, encoding = _read_csv(data, filename)
    width = max((len(r) for r in grid), default=0)
    grid = [r + [""] * (width - len(r)) for r in grid]
    vocabulary = field_vocabulary(programme)
    header_at, upper_at = find_header_rows(grid, vocabulary)
    if header_at is None:
        raise ImportFileError(
            "no_header",
            f"{filename}: ไม่พบแถวหัวตาราง (ไฟล์ว่างหรือไม่มีข้อมูล)",
            f"{filename}: no header row found (the file or sheet is empty)",
        )
    headers = _combine_headers(grid, header_at, upper_at)
    first_data = header_at + 1
    data_rows, data_numbers, merged = [], [], {}
    for index in range(first_data, len(grid)):
        row = grid[index]
        if not any(cell.strip() for cell in row):
            continue  # blank rows are layout, not data
        for column in range(width):
            if (index, column) in merged_from:
                merged[(len(data_rows), column)] = merged_from[(index, column)]
        data_rows.append(row)
        data_numbers.append(numbers[index])
    header_rows = tuple(numbers[i] for i in (upper_at, header_at) if i is not None)
    return RawTable(
        headers=headers, rows=data_rows, row_numbers=data_numbers, kind=kind,
        encoding=encoding, sheet=sheet_name, sheets=sheets, header_rows=header_rows,
        merged_from=merged,
    )


def _unique_headers(headers: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    unique = []
    for index, header in enumerate(headers):
        name = " ".join(header.split()) or f"column {index + 1}"
        if name in seen:
            seen[name] += 1
            name = f"{name} ({seen[name]})"
        else:
            seen[name] = 1
        unique.append(name)
    return unique


def _combine_headers(grid: list[list[str]], header_at: int, upper_at: int | None) -> list[str]:
    lower = grid[header_at]
    if upper_at is None:
        return _unique_headers(lower)
    upper = grid[upper_at]
    combined = []
    for top, bottom in zip(upper, lower, strict=True):
        top, bottom = " ".join(top.split()), " ".join(bottom.split())
        if not bottom or top == bottom:
            combined.append(top or bottom)
        elif not top:
            combined.append(bottom)
        else:
            combined.append(f"{top} / {bottom}")
    return _unique_headers(combined)


def _looks_numeric(cell: str) -> bool:
    try:
        return parse_number(cell)[0] is not None
    except CellValueError:
        return False


def find_header_rows(
    grid: list[list[str]], vocabulary: Sequence[tuple[str, str, bool]]
) -> tuple[int | None, int | None]:
    """(header row index, upper header row index or None). The header is the row among the
    first rows whose cells name the most known fields; a row of group labels directly above
    it (``ผลการดำเนินงาน`` over ``ครัวเรือน | งบประมาณ``) is joined to it."""
    scores = []
    for index, row in enumerate(grid[:HEADER_SEARCH_ROWS]):
        matched = {match_header(cell, vocabulary) for cell in row if cell.strip()} - {None}
        numbers = sum(_looks_numeric(cell) for cell in row)
        scores.append((len(matched) - numbers, index))
    non_empty = [i for i, row in enumerate(grid) if any(c.strip() for c in row)]
    if not non_empty:
        return None, None
    best_score, best = max(scores, key=lambda s: (s[0], -s[1]))
    if best_score <= 0:
        return non_empty[0], None
    below = best + 1
    if below < len(grid) and _is_subheader(grid[best], grid[below], vocabulary):
        return below, best
    if best > 0 and _is_group_row(grid[best - 1]):
        return best, best - 1
    return best, None


def _is_group_row(row: list[str]) -> bool:
    filled = [c.strip() for c in row if c.strip()]
    # A title (one merged cell spread over the row, or a single cell) is not a group row.
    return len(set(filled)) >= 2 and not any(_looks_numeric(c) for c in filled)


def _is_subheader(
    upper: list[str], lower: list[str], vocabulary: Sequence[tuple[str, str, bool]]
) -> bool:
    """Is ``lower`` the second line of a two-row header? It names fields the upper row does
    not, in columns whose upper cell is a group label (empty, or spread over neighbouring
    columns by a merge) rather than a header of its own; a first data row under an ordinary
    header does neither."""
    filled = [c for c in lower if c.strip()]
    if not filled or any(_looks_numeric(c) for c in filled):
        return False
    upper_fields = {match_header(c, vocabulary) for c in upper if c.strip()} - {None}
    new_fields = set()
    for index, (top, cell) in enumerate(zip(upper, lower, strict=True)):
        top, cell = top.strip(), cell.strip()
        if not cell or cell == top:
            continue
        neighbours = {upper[i].strip() for i in (index - 1, index + 1) if 0 <= i < len(upper)}
        if not top or (top in neighbours and match_header(top, vocabulary) is None):
            new_fields.add(match_header(cell, vocabulary))
    return bool(new_fields - upper_fields - {None})


# ---------------------------------------------------------------------------------------
# Header -> field mapping
# ---------------------------------------------------------------------------------------

# Fields every programme has. Metric fields come from the programme declaration.
BASE_FIELDS: dict[str, tuple[str, ...]] = {
    "fiscal_year": ("fiscal_year", "ปีงบประมาณ", "ปีงบ", "ปีงปม", "ปีงบประมาณพศ", "ปี", "พศ",
                    "fiscal year", "fy", "year", "budget year"),
    "quarter": ("quarter", "ไตรมาส", "ไตรมาสที่", "qtr", "q"),
    "date": ("date", "วันที่", "วันเดือนปี", "วันที่เกิดเหตุ", "วันที่เกิดภัย", "วันที่ดำเนินการ",
             "วันที่สำรวจ", "วันที่ปักหมุด", "event date"),
    "timestamp": ("timestamp", "ประทับเวลา", "เวลาประทับ", "submitted at", "created at"),
    "region": ("region", "ภาค", "ภูมิภาค", "codi region", "ภาค พอช"),
    "province": ("province", "จังหวัด", "จ", "changwat", "province name", "ชื่อจังหวัด"),
    "district": ("district", "อำเภอ", "เขต", "อำเภอ/เขต", "เขต/อำเภอ", "อ", "amphoe", "khet",
                 "ชื่ออำเภอ"),
    "tambon": ("tambon", "ตำบล", "แขวง", "ตำบล/แขวง", "แขวง/ตำบล", "ต", "subdistrict",
               "sub-district", "khwaeng", "ชื่อตำบล"),
    "place": ("place_text", "place", "สถานที่", "พื้นที่", "พื้นที่ดำเนินการ", "พื้นที่เป้าหมาย",
              "ที่ตั้ง", "ที่อยู่", "ที่ตั้งชุมชน", "location", "address", "area", "พื้นที่ตำบล"),
    "code": ("code", "รหัส", "รหัสพื้นที่", "รหัสตำบล", "รหัสอำเภอ", "รหัสจังหวัด", "dopa code",
             "geocode", "pcode", "adm3_pcode", "adm2_pcode", "adm1_pcode", "tambon code",
             "district code", "province code", "subdistrict code", "รหัสมหาดไทย"),
    "level": ("level", "ระดับ", "ระดับพื้นที่"),
    "latitude": ("latitude", "ละติจูด", "ลติจูด", "ละติจูต", "lat", "y"),
    "longitude": ("longitude", "ลองจิจูด", "ลองติจูด", "ลองจิจูต", "long", "lon", "lng", "x"),
    "coordinates": ("coordinates", "พิกัด", "พิกัดที่ตั้ง", "พิกัดชุมชน", "พิกัดgps", "ตำแหน่ง",
                    "coordinate", "latlng", "latlong", "latlon", "gps", "location coordinates",
                    "ละติจูดลองจิจูด", "latitudelongitude"),
    "category": ("category", "ประเภท", "กลุ่ม", "stage", "ระยะ", "ประเภทภัย", "กลุ่มเป้าหมาย",
                 "type", "kind", "folder", "ชั้นข้อมูล"),
    "name": ("name", "ชื่อ", "ชื่อชุมชน", "ชุมชน", "ชื่อโครงการ", "โครงการ", "community",
             "community name", "project", "project name", "ชื่อองค์กร", "ชื่อกองทุน",
             "ชื่อสภาองค์กรชุมชน", "title", "ชื่อจุด", "ชื่อหมุด"),
    "visibility": ("visibility", "การเผยแพร่", "เผยแพร่", "public"),
    "note": ("note", "หมายเหตุ", "notes", "remark", "remarks", "comment", "รายละเอียด",
             "description"),
    "source_doc": ("source_doc", "แหล่งที่มา", "source", "ที่มา", "เอกสารอ้างอิง", "อ้างอิง"),
    "source_line": ("source_line", "บรรทัด", "line", "source line"),
}

# Extra words for metric ids (a vocabulary of metric ids, not of programmes: a new programme
# needs nothing here, its declared Thai and English metric names are used).
METRIC_SYNONYMS: dict[str, tuple[str, ...]] = {
    "households": ("หลังคาเรือน", "ครัวเรือน", "จำนวนครัวเรือน", "จำนวนหลังคาเรือน", "hh",
                   "ครัวเรือนที่ได้รับผลกระทบ", "ครัวเรือนผู้ประสบภัย"),
    "budget_baht": ("งบประมาณ", "วงเงิน", "วงเงินอนุมัติ", "งบประมาณอนุมัติ", "งบ", "budget",
                    "amount", "งบประมาณบาท", "จำนวนเงิน"),
    "people": ("ประชากร", "จำนวนคน", "ผู้ได้รับประโยชน์", "persons", "population",
               "ผู้ได้รับผลกระทบ", "จำนวนผู้ได้รับผลกระทบ"),
    "communities": ("จำนวนชุมชน",),
    "tambons": ("จำนวนตำบล",),
    "provinces": ("จำนวนจังหวัด",),
    "projects": ("จำนวนโครงการ",),
    "members": ("จำนวนสมาชิก",),
    "funds": ("จำนวนกองทุน",),
    "area_rai": ("เนื้อที่", "ไร่", "เนื้อที่ไร่"),
    "criteria_met": ("ผ่านเกณฑ์", "จำนวนข้อที่ผ่านเกณฑ์"),
}

# Headers a guess never maps: they hold personal data (never stored) or are not results.
_PERSONAL_WORDS = ("ผู้ประสานงาน", "ผู้ติดต่อ", "ผู้กรอก", "ผู้รายงาน", "ผู้บันทึก", "เบอร์", "โทร",
                   "phone", "mobile", "email", "อีเมล", "อีเมล์", "contact", "นามสกุล", "ชื่อสกุล",
                   "บัตรประชาชน", "เลขบัตร", "idcard", "yourname", "fullname", "firstname",
                   "lastname", "surname", "หัวหน้าครอบครัว", "เจ้าของบ้าน", "line id", "ไลน์")
_TARGET_WORDS = ("เป้าหมาย", "เป้า", "target", "แผนงบ")
_RATIO_WORDS = ("ร้อยละ", "%", "percent", "สัดส่วน")
_LAT_WORDS = ("latitude", "ละติจูด", "ลติจูด", "lat")
_LON_WORDS = ("longitude", "ลองจิจูด", "ลองติจูด", "long", "lon", "lng")
# Synonyms this short match a whole header only ("x" must not match "tax").
_MIN_CONTAINED = 4


def field_vocabulary(programme: Programme | None) -> list[tuple[str, str, bool]]:
    """(normalised synonym, field, is_metric) for the base fields and the programme's
    metrics (id, Thai and English names, with and without unit and จำนวน)."""
    vocabulary = [
        (header_key(word), name, False) for name, words in BASE_FIELDS.items() for word in words
    ]
    if programme is not None:
        if programme.category_label_th:
            vocabulary.append((header_key(programme.category_label_th), "category", False))
            vocabulary.append((header_key(programme.category_label_en), "category", False))
        for metric in programme.metrics:
            words = [
                metric.id, metric.name_en, metric.name_th, f"จำนวน{metric.name_th}",
                f"{metric.name_th} ({metric.unit_th})", f"{metric.name_en} ({metric.unit_en})",
                f"number of {metric.name_en}", *METRIC_SYNONYMS.get(metric.id, ()),
            ]
            vocabulary += [(header_key(w), metric.id, True) for w in words if header_key(w)]
    return vocabulary


def match_header(
    header: str, vocabulary: Sequence[tuple[str, str, bool]]
) -> str | None:
    """The field a header names: an exact synonym first, else the longest synonym it
    contains; a base field wins a tie with a metric (``ตำบล`` is the place, ``จำนวนตำบล``
    the count)."""
    key = header_key(header)
    if not key:
        return None
    if any(w in key for w in _LAT_WORDS) and any(w in key for w in _LON_WORDS):
        return "coordinates"
    best: tuple[int, int, int] | None = None
    chosen = None
    for word, name, is_metric in vocabulary:
        if not word:
            continue
        if key == word:
            rank = (2, len(word), 0 if is_metric else 1)
        elif len(word) >= _MIN_CONTAINED and word in key:
            rank = (1, len(word), 0 if is_metric else 1)
        else:
            continue
        if best is None or rank > best:
            best, chosen = rank, name
    return chosen


def guess_mapping(
    headers: Sequence[str],
    programme: Programme,
    geometry_columns: Mapping[str, str] | None = None,
) -> MappingResult:
    """Field -> header for the headers a guess can name, leftmost column first; headers that
    look like personal data, targets or percentages are left out, with the reason."""
    vocabulary = field_vocabulary(programme)
    columns: dict[str, str] = {}
    ignored: dict[str, str] = {}
    metric_ids = {m.id for m in programme.metrics}
    for name, header in (geometry_columns or {}).items():
        columns[name] = header
    for header in headers:
        if header in columns.values():
            continue
        key = header_key(header)
        if any(header_key(w) in key for w in _PERSONAL_WORDS):
            ignored[header] = "อาจเป็นข้อมูลส่วนบุคคล ไม่นำเข้า / may be personal data, not imported"
            continue
        # A joined header ("ผลการดำเนินงาน / ครัวเรือน") is named by its own line first; the
        # group label above only helps when that says nothing.
        name = match_header(header.rsplit(" / ", 1)[-1], vocabulary) or match_header(
            header, vocabulary
        )
        if name is None:
            ignored[header] = "ไม่รู้จักคอลัมน์นี้ / not a known column"
            continue
        if name in metric_ids and any(header_key(w) in key for w in _TARGET_WORDS):
            ignored[header] = "เป็นค่าเป้าหมาย ไม่ใช่ผล / a target, not a result"
            continue
        if name in metric_ids and any(w in key for w in _RATIO_WORDS):
            ignored[header] = "เป็นร้อยละ ไม่ใช่จำนวน / a percentage, not a count"
            continue
        if name in columns:
            ignored[header] = (
                f"ใช้คอลัมน์ {columns[name]!r} เป็น {name} แล้ว / "
                f"{columns[name]!r} is already used as {name}"
            )
            continue
        columns[name] = header
    # Separate latitude/longitude columns win over a single coordinates column.
    if "latitude" in columns and "longitude" in columns:
        dropped = columns.pop("coordinates", None)
        if dropped:
            ignored[dropped] = "ใช้คอลัมน์ละติจูด/ลองจิจูดแทน / latitude/longitude columns used"
    return MappingResult(columns, ignored)


def adjust_mapping(
    mapping: Mapping[str, str], changes: Mapping[str, str | None]
) -> dict[str, str]:
    """``mapping`` with some fields pointed at other columns (a column serves one field, so
    it leaves any field it served) or dropped (``None`` or ``""``)."""
    adjusted = dict(mapping)
    for name, header in changes.items():
        adjusted.pop(name, None)
        if header:
            adjusted = {f: h for f, h in adjusted.items() if h != header}
            adjusted[name] = header
    return adjusted


def mappable_fields(programme: Programme) -> list[str]:
    """Every field a mapping may name, base fields then the programme's metrics."""
    return [*BASE_FIELDS, *(m.id for m in programme.metrics)]


def _check_mapping(mapping: Mapping[str, str], headers: Sequence[str], programme: Programme,
                   filename: str) -> None:
    allowed = set(mappable_fields(programme))
    for name, header in mapping.items():
        if name not in allowed:
            raise ImportFileError(
                "mapping",
                f"{filename}: ไม่มีช่องข้อมูล {name!r} (มี: {', '.join(sorted(allowed))})",
                f"{filename}: there is no field {name!r} (fields: {', '.join(sorted(allowed))})",
            )
        if header not in headers:
            raise ImportFileError(
                "mapping",
                f"{filename}: ไม่มีคอลัมน์ {header!r} ในไฟล์ (มี: {', '.join(headers)})",
                f"{filename}: the file has no column {header!r} (columns: {', '.join(headers)})",
            )


# ---------------------------------------------------------------------------------------
# Rows -> result rows
# ---------------------------------------------------------------------------------------

_LEVEL_WORDS = {
    "national": "national", "ประเทศ": "national", "ทั้งประเทศ": "national", "ระดับประเทศ": "national",
    "region": "region", "ภาค": "region", "province": "province", "จังหวัด": "province",
    "district": "district", "อำเภอ": "district", "เขต": "district", "tambon": "tambon",
    "ตำบล": "tambon", "แขวง": "tambon", "subdistrict": "tambon", "point": "point",
    "จุด": "point", "พิกัด": "point", "หมุด": "point",
}
_VISIBILITY_WORDS = {
    "public": "public", "สาธารณะ": "public", "เผยแพร่": "public", "เปิดเผย": "public",
    "เผยแพร่ได้": "public", "yes": "public", "internal": "internal", "ภายใน": "internal",
    "ไม่เผยแพร่": "internal", "ไม่เปิดเผย": "internal", "no": "internal",
}
_REGION_WORDS = {
    "เหนือ": "north", "อีสาน": "northeast", "ตะวันออกเฉียงเหนือ": "northeast", "ใต้": "south",
    "กลาง": "central_west", "กลางและตะวันตก": "central_west", "ตะวันตก": "central_west",
    "กรุงเทพ": "bangkok_east", "กรุงเทพปริมณฑลและตะวันออก": "bangkok_east",
    "กรุงเทพและปริมณฑล": "bangkok_east", "ตะวันออก": "bangkok_east", "กทม": "bangkok_east",
    "กรุงเทพปริมณฑลตะวันออก": "bangkok_east", "กลางตะวันตก": "central_west",
    "กทมตะวันออก": "bangkok_east", "กทมปริมณฑลและตะวันออก": "bangkok_east",
}


def region_id(text: str) -> str | None:
    """A CODI region from its id, Thai or English name, or a usual short form."""
    key = header_key(text)
    for region in gazetteer.CODI_REGIONS:
        if key in (header_key(region.id), header_key(region.name_th), header_key(region.name_en)):
            return region.id
    key = key.removeprefix("ภาค")
    return _REGION_WORDS.get(key)


@dataclass
class _Context:
    programme: Programme
    mapping: dict[str, str]
    column_index: dict[str, int]
    default_fiscal_year: int | None
    default_quarter: int | None
    visibility: str
    is_demo: bool
    place_codes: Mapping[str, str]
    file_name: str
    matcher: Callable[..., Any]
    day_first: dict[str, bool] = field(default_factory=dict)  # per date column
    match_cache: dict[tuple[Any, ...], Any] = field(default_factory=dict)


@dataclass
class _Pending:
    """A row converted as far as it goes before its point is placed."""

    index: int
    row_number: int
    values: dict[str, Any]
    issues: list[Issue]
    point: tuple[float, float] | None = None
    point_column: str | None = None
    expected_province: str | None = None
    expected_code: str | None = None


def _issue(row: int, column: str | None, value: str, problem: CellValueError,
           severity: Severity = "error") -> Issue:
    return Issue(row, column, value, severity, problem.kind, problem.message_th, problem.message_en)


def _cell(ctx: _Context, row: list[str], name: str) -> str:
    index = ctx.column_index.get(name)
    return "" if index is None else clean_text(row[index])


def _period(
    ctx: _Context, row: list[str], number: int, issues: list[Issue]
) -> tuple[int | None, int | None]:
    """(fiscal year, quarter): from their columns, else from a date (or form timestamp),
    else the defaults chosen for the whole file."""
    fiscal_year = quarter = None
    column = ctx.mapping.get("fiscal_year")
    try:
        fiscal_year = parse_fiscal_year(_cell(ctx, row, "fiscal_year"))
    except CellValueError as problem:
        issues.append(_issue(number, column, _cell(ctx, row, "fiscal_year"), problem))
        return None, None
    try:
        quarter, year_in_quarter = parse_quarter(_cell(ctx, row, "quarter"))
        fiscal_year = fiscal_year or year_in_quarter
    except CellValueError as problem:
        text = _cell(ctx, row, "quarter")
        issues.append(_issue(number, ctx.mapping.get("quarter"), text, problem))
        return None, None
    for date_field in ("date", "timestamp"):
        if fiscal_year is not None and quarter is not None:
            break
        text = _cell(ctx, row, date_field)
        if not text:
            continue
        try:
            day = parse_date(text, ctx.day_first.get(date_field, True))
        except CellValueError as problem:
            issues.append(_issue(number, ctx.mapping.get(date_field), text, problem))
            return None, None
        if day is not None:
            date_year, date_quarter = fiscal_period(day)
            if fiscal_year is None:
                fiscal_year, quarter = date_year, quarter or date_quarter
            elif fiscal_year == date_year:
                quarter = quarter or date_quarter
    fiscal_year = fiscal_year or ctx.default_fiscal_year
    if quarter is None:
        quarter = ctx.default_quarter
    if fiscal_year is None:
        issues.append(Issue(
            number, column, "", "error", "fiscal_year",
            "ไม่มีปีงบประมาณ (ใส่ในคอลัมน์ หรือเลือกปีงบประมาณของทั้งไฟล์)",
            "no fiscal year (fill the column, or choose a fiscal year for the whole file)",
        ))
    return fiscal_year, quarter


def _candidates(result: Any) -> tuple[str, ...]:
    return tuple(f"{c.code} {c.full_name}" for c in getattr(result, "candidates", ())[:8])


def _match(ctx: _Context, text: str, province: str, district: str, level: str | None) -> Any:
    key = (text, province, district, level)
    if key not in ctx.match_cache:
        ctx.match_cache[key] = ctx.matcher(
            text, province=province or None, district=district or None, level=level
        )
    return ctx.match_cache[key]


def parse_area_code(text: str, level_text: str = "") -> tuple[str, str | None]:
    """(level, code) from a code cell: a current DOPA code (``TH`` prefix and Thai digits
    allowed) or a CODI region; ``level_text``, if given, must agree."""
    code = re.sub(r"^th", "", clean_text(text).casefold()).strip()
    if re.fullmatch(r"\d+(\.0+)?", code):
        code = code.split(".")[0]
        try:
            level = gazetteer.level_of_code(code)
        except ValueError:
            raise CellValueError(
                "code", "รหัสต้องมี 2, 4 หรือ 6 หลัก", "a code must have 2, 4 or 6 digits"
            ) from None
        if not gazetteer.is_current(code):
            abolished = gazetteer.abolished_areas().get(code)
            if abolished is not None:
                successors = ", ".join(abolished.successors) or "-"
                raise CellValueError(
                    "code_abolished",
                    f"รหัส {code} ถูกยกเลิกแล้ว (รหัสที่ใช้แทน: {successors})",
                    f"code {code} was abolished (replaced by: {successors})",
                )
            raise CellValueError("code", f"ไม่มีรหัส {code} ในทะเบียน", f"no area has code {code}")
        if level_text and level_text != level:
            raise CellValueError(
                "level", f"ระดับ {level_text} ไม่ตรงกับรหัส {code} ({level})",
                f"level {level_text} does not fit code {code} ({level})",
            )
        return level, code
    region = region_id(text)
    if region is not None:
        return "region", region
    raise CellValueError("code", "รหัสพื้นที่ไม่ถูกต้อง", "not an area code or CODI region")


def _area_level(level: str) -> str | None:
    """The matcher's level hint from a level column (None: let the matcher decide)."""
    return level if level in gazetteer.LEVELS else None


def _place_text_as_written(ctx: _Context, row: list[str]) -> str:
    place = _cell(ctx, row, "place")
    if place:
        return place
    parts = [_cell(ctx, row, name) for name in ("tambon", "district", "province", "region")]
    return ", ".join(p for p in parts if p)


def _resolve_place(ctx: _Context, row: list[str], pending: _Pending) -> None:
    """Fill ``pending.values`` level/code/place_text, or add issues; coordinates are left in
    ``pending.point`` for placing all points at once."""
    number, issues = pending.row_number, pending.issues
    values = pending.values
    values["place_text"] = _place_text_as_written(ctx, row) or None
    level_text = header_key(_cell(ctx, row, "level"))
    if level_text:
        level = _LEVEL_WORDS.get(level_text, level_text)
        if level not in RESULT_LEVELS:
            issues.append(Issue(number, ctx.mapping.get("level"), level_text, "error", "level",
                                f"ไม่รู้จักระดับ {level_text!r}", f"unknown level {level_text!r}"))
            return
        level_text = level
    point = _coordinates(ctx, row, pending)
    if point is not None:
        pending.point = point
        values["level"] = "point"
        pending.expected_province = _cell(ctx, row, "province") or None
        pending.expected_code = _cell(ctx, row, "code") or None
        return
    if any(_cell(ctx, row, name) for name in ("latitude", "longitude", "coordinates")):
        return  # coordinates were given but unusable: already reported
    code_text = _cell(ctx, row, "code")
    if code_text:
        try:
            values["level"], values["code"] = parse_area_code(code_text, level_text)
        except CellValueError as problem:
            issues.append(_issue(number, ctx.mapping.get("code"), code_text, problem))
        return
    if level_text == "national":
        values["level"], values["code"] = "national", None
        return
    written = values["place_text"] or ""
    if written in ctx.place_codes:
        try:
            values["level"], values["code"] = parse_area_code(ctx.place_codes[written], "")
        except CellValueError as problem:
            issues.append(_issue(number, None, ctx.place_codes[written], problem))
        return
    tambon, district, province = (_cell(ctx, row, n) for n in ("tambon", "district", "province"))
    place = _cell(ctx, row, "place")
    if level_text == "region":
        _resolve_region(ctx, _cell(ctx, row, "region") or place, pending)
        return
    for text, level, column_field in (
        (tambon, "tambon", "tambon"), (district, "district", "district"),
        (province, "province", "province"), (place, _area_level(level_text), "place"),
    ):
        if not text:
            continue
        context_district = district if level == "tambon" or level is None else ""
        context_province = province if level != "province" else ""
        result = _match(ctx, text, context_province, context_district, level)
        column = ctx.mapping.get(column_field)
        if result.status == "matched" and result.code:
            values["code"] = result.code
            values["level"] = result.level or gazetteer.level_of_code(result.code)
        elif result.status == "ambiguous":
            issues.append(Issue(
                number, column, written, "error", "place_ambiguous",
                f"ชื่อพื้นที่ {written!r} ตรงกับหลายแห่ง ระบุอำเภอ/จังหวัดเพิ่ม หรือเลือกรหัส",
                f"place {written!r} fits several areas: add the district/province or pick a code",
                _candidates(result),
            ))
        else:
            issues.append(Issue(
                number, column, written, "error", "place_unmatched",
                f"ไม่พบชื่อพื้นที่ {written!r} ในทะเบียนของกรมการปกครอง",
                f"place {written!r} is not in DOPA's register",
                _candidates(result),
            ))
        return
    region_text = _cell(ctx, row, "region")
    if region_text:
        _resolve_region(ctx, region_text, pending)
        return
    if any(issue.kind == "geometry" for issue in issues):
        return  # the feature's shape is the problem, already reported
    issues.append(Issue(
        number, None, "", "error", "no_place",
        "ไม่มีพื้นที่ (จังหวัด/อำเภอ/ตำบล รหัส หรือพิกัด)",
        "no place (province/district/tambon, a code, or coordinates)",
    ))


def _resolve_region(ctx: _Context, text: str, pending: _Pending) -> None:
    found = region_id(text)
    if found is not None:
        pending.values["level"], pending.values["code"] = "region", found
        return
    names = ", ".join(r.name_th for r in gazetteer.CODI_REGIONS)
    column = ctx.mapping.get("region") or ctx.mapping.get("place")
    pending.issues.append(Issue(
        pending.row_number, column, text, "error", "region",
        f"ไม่รู้จักภาค {text!r} (ภาคของ พอช.: {names})",
        f"unknown CODI region {text!r} (regions: {', '.join(gazetteer.REGION_BY_ID)})",
    ))


def _coordinate_columns(ctx: _Context) -> str:
    """How a row's coordinates are named in messages: one column, or both."""
    if "latitude" in ctx.mapping or "longitude" in ctx.mapping:
        return f"{ctx.mapping.get('latitude', '?')}, {ctx.mapping.get('longitude', '?')}"
    return ctx.mapping.get("coordinates", "")


def _coordinates(ctx: _Context, row: list[str], pending: _Pending) -> tuple[float, float] | None:
    """The row's point (latitude, longitude) checked to be in Thailand, None if it gives
    none; a problem is added to the row's issues (and None returned)."""
    lat_text, lon_text = _cell(ctx, row, "latitude"), _cell(ctx, row, "longitude")
    pair_text = _cell(ctx, row, "coordinates")
    column = pending.point_column = _coordinate_columns(ctx)
    shown = f"{lat_text}, {lon_text}" if (lat_text or lon_text) else pair_text
    try:
        if lat_text or lon_text:
            if not (lat_text and lon_text):
                raise CellValueError(
                    "coordinates", "มีพิกัดไม่ครบ (ต้องมีทั้งละติจูดและลองจิจูด)",
                    "incomplete coordinates (need both latitude and longitude)",
                )
            lat, lon = parse_coordinate(lat_text), parse_coordinate(lon_text)
        else:
            pair = parse_coordinate_pair(pair_text)
            if pair is None:
                return None
            lat, lon = pair
        assert lat is not None and lon is not None
        lat, lon, swapped = check_coordinates(lat, lon)
    except CellValueError as problem:
        pending.issues.append(_issue(pending.row_number, column, shown, problem))
        return None
    if swapped:
        pending.issues.append(Issue(
            pending.row_number, column, shown, "warning", "coordinates_swapped",
            f"ละติจูดและลองจิจูดสลับกัน ใช้ ({lat}, {lon})",
            f"latitude and longitude were the wrong way round; used ({lat}, {lon})",
        ))
    return lat, lon


def _metrics(ctx: _Context, table: RawTable, index: int, row: list[str], number: int,
             issues: list[Issue]) -> dict[str, float]:
    metrics: dict[str, float] = {}
    for metric in ctx.programme.metrics:
        column_index = ctx.column_index.get(metric.id)
        if column_index is None:
            continue
        header = table.headers[column_index]
        text = row[column_index]
        origin = table.merged_from.get((index, column_index))
        if origin is not None and clean_text(text):
            issues.append(Issue(
                number, header, text, "warning", "merged_figure",
                f"ช่องที่ผสานไว้หลายแถว นับตัวเลขครั้งเดียวที่แถว {origin}",
                f"a cell merged over several rows: the figure counts once, on row {origin}",
            ))
            continue
        try:
            value, scaled = parse_number(text)
        except CellValueError as problem:
            issues.append(_issue(number, header, text, problem))
            continue
        if value is None:
            continue
        if value < 0:
            issues.append(Issue(number, header, text, "error", "negative",
                                "ตัวเลขติดลบ", "a negative figure"))
            continue
        metrics[metric.id] = value if scaled else value * header_scale(header)
    return metrics


def _category(ctx: _Context, row: list[str], number: int, issues: list[Issue]) -> str | None:
    text = _cell(ctx, row, "category")
    if not text:
        return None
    categories = ctx.programme.categories
    if not categories:
        return text
    key = header_key(text)
    for category in categories:
        names = (category.id, category.name_th, category.name_en)
        if key in {header_key(name) for name in names}:
            return category.id
    # "ไฟไหม้ชุมชน" is the category "ไฟไหม้" when no other category name fits.
    contained = [
        c for c in categories
        if len(header_key(c.name_th)) >= 2
        and (header_key(c.name_th) in key or key in header_key(c.name_th))
    ]
    if len(contained) == 1:
        return contained[0].id
    names_th = ", ".join(c.name_th for c in categories)
    names_en = ", ".join(f"{c.id} ({c.name_en})" for c in categories)
    issues.append(Issue(number, ctx.mapping.get("category"), text, "error", "category",
                        f"ไม่รู้จัก{ctx.programme.category_label_th} {text!r} (ใช้ได้: {names_th})",
                        f"unknown {ctx.programme.category_label_en.lower()} {text!r} "
                        f"(allowed: {names_en})"))
    return None


def _visibility(ctx: _Context, row: list[str], number: int, issues: list[Issue]) -> str:
    text = _cell(ctx, row, "visibility")
    if not text:
        return ctx.visibility
    found = _VISIBILITY_WORDS.get(header_key(text))
    if found is None:
        issues.append(Issue(number, ctx.mapping.get("visibility"), text, "error", "visibility",
                            "การเผยแพร่ต้องเป็น public (สาธารณะ) หรือ internal (ภายใน)",
                            "visibility must be public or internal"))
        return ctx.visibility
    return found


def _convert_row(ctx: _Context, table: RawTable, index: int) -> _Pending | Issue:
    """A row converted as far as possible (point placement comes later), or the reason it
    is skipped."""
    row, number = table.rows[index], table.row_numbers[index]
    mapped = {name: _cell(ctx, row, name) for name in ctx.mapping}
    if not any(mapped.values()):
        return Issue(number, None, "", "skipped", "no_data",
                     "ไม่มีข้อมูลในคอลัมน์ที่ใช้", "nothing in the columns used")
    label_fields = ("name", "place", "tambon", "district", "province", "region", "code")
    labels = [mapped.get(n, "") for n in label_fields]
    first_text = next((clean_text(c) for c in row if clean_text(c)), "")
    if any(is_total_label(label) for label in labels if label) or is_total_label(first_text):
        return Issue(number, None, first_text, "skipped", "total_row",
                     "แถวผลรวม ไม่นำเข้า (คำนวณจากแถวอื่นได้)",
                     "a totals row, not imported (it is the sum of other rows)")
    pending = _Pending(index, number, {}, list(table.row_issues.get(number, [])))
    fiscal_year, quarter = _period(ctx, row, number, pending.issues)
    _resolve_place(ctx, row, pending)
    metrics = _metrics(ctx, table, index, row, number, pending.issues)
    category = _category(ctx, row, number, pending.issues)
    visibility = _visibility(ctx, row, number, pending.issues)
    pending.values.update(
        programme=ctx.programme.id, fiscal_year=fiscal_year, quarter=quarter, metrics=metrics,
        category=category, name=_cell(ctx, row, "name") or None, visibility=visibility,
        is_demo=ctx.is_demo, note=_cell(ctx, row, "note") or None,
        # A citation only when the file gives one; the batch and row number say the rest.
        source_doc=_cell(ctx, row, "source_doc") or None,
        source_line=_cell(ctx, row, "source_line") or None, source_row=number,
    )
    return pending


def _place_points(pending: Sequence[_Pending], ctx: _Context, boundary_dir: Path | None) -> None:
    with_points = [p for p in pending if p.point is not None and not _has_errors(p)]
    if not with_points:
        return
    from codi_geo.places.boundaries import locate_points

    lats = [p.point[0] for p in with_points]  # type: ignore[index]
    lons = [p.point[1] for p in with_points]  # type: ignore[index]
    codes = locate_points(lons, lats, cache_dir=boundary_dir)
    for item, code in zip(with_points, codes, strict=True):
        lat, lon = item.point  # type: ignore[misc]
        if code is None:
            item.issues.append(Issue(
                item.row_number, item.point_column, f"{lat}, {lon}", "error", "outside_tambons",
                f"พิกัด ({lat}, {lon}) ไม่อยู่ในตำบลใดของประเทศไทย (ในทะเลหรือนอกพรมแดน?)",
                f"coordinates ({lat}, {lon}) are not inside any Thai tambon (at sea or abroad?)",
            ))
            continue
        item.values.update(code=str(code), latitude=lat, longitude=lon)
        if item.expected_code and item.expected_code != code:
            item.issues.append(Issue(
                item.row_number, ctx.mapping.get("code"), item.expected_code, "warning",
                "point_code", f"พิกัดอยู่ในตำบลรหัส {code} ไม่ใช่ {item.expected_code} (ใช้ตามพิกัด)",
                f"the point lies in tambon {code}, not {item.expected_code} (the point is used)",
            ))
        elif item.expected_province:
            _check_point_province(ctx, item, str(code))


def _check_point_province(ctx: _Context, item: _Pending, code: str) -> None:
    result = _match(ctx, item.expected_province or "", "", "", "province")
    if result.status == "matched" and result.code and result.code != code[:2]:
        found = gazetteer.name_of(code[:2]) or code[:2]
        item.issues.append(Issue(
            item.row_number, ctx.mapping.get("province"), item.expected_province or "",
            "warning", "point_elsewhere",
            f"พิกัดอยู่ในจังหวัด{found} ไม่ใช่จังหวัดที่ระบุ (ใช้ตามพิกัด)",
            f"the coordinates are in {gazetteer.name_of(code[:2], 'en')}, not the province "
            f"given (the coordinates are used)",
        ))


def _has_errors(item: _Pending) -> bool:
    return any(i.severity == "error" for i in item.issues)


def _dedupe(rows: list[tuple[_Pending, ResultRow]], store: Store | None, programme: str,
            replaces: Sequence[int], table: RawTable) -> None:
    keys = [natural_key(row) for _, row in rows]
    stored = store.active_keys(programme, keys, replaces) if store is not None else {}
    seen: dict[str, int] = {}
    for (item, _), key in zip(rows, keys, strict=True):
        if key in seen:
            item.issues.append(Issue(
                item.row_number, None, "", "error", "duplicate_in_file",
                f"ซ้ำกับ{table.row_label_th} {seen[key]} (ปี ไตรมาส พื้นที่ ประเภท และชื่อเดียวกัน)",
                f"the same as {table.row_label_en} {seen[key]} (same year, quarter, place, "
                f"category and name)",
            ))
            continue
        seen[key] = item.row_number
        if key in stored:
            batch_id, source_row = stored[key]
            item.issues.append(Issue(
                item.row_number, None, "", "error", "duplicate_stored",
                f"มีข้อมูลนี้ในคลังแล้ว (ชุดที่ {batch_id} แถว {source_row}) ยกเลิกชุดเดิมก่อนถ้าจะแก้",
                f"already stored (batch {batch_id}, row {source_row}); undo that batch first "
                f"to change it",
            ))


def _file_level_checks(ctx: _Context, table: RawTable) -> list[Issue]:
    issues = []
    mapped = set(ctx.mapping)
    place_fields = {"code", "region", "province", "district", "tambon", "place", "coordinates",
                    "level"}
    if not (mapped & place_fields) and not {"latitude", "longitude"} <= mapped:
        issues.append(Issue(
            None, None, ", ".join(table.headers), "error", "no_place_column",
            "ไม่พบคอลัมน์พื้นที่ (จังหวัด อำเภอ ตำบล รหัส หรือพิกัด) กรุณาระบุคอลัมน์",
            "no place column found (province, district, tambon, code or coordinates); "
            "map one",
        ))
    has_period = bool(mapped & {"fiscal_year", "date", "timestamp"})
    if not has_period and "quarter" in mapped:
        has_period = any(_year_in_quarter(_cell(ctx, row, "quarter")) for row in table.rows)
    if not has_period and ctx.default_fiscal_year is None:
        issues.append(Issue(
            None, None, "", "error", "no_fiscal_year_column",
            "ไม่พบคอลัมน์ปีงบประมาณหรือวันที่ กรุณาเลือกปีงบประมาณของทั้งไฟล์",
            "no fiscal-year or date column; choose the fiscal year of the whole file",
        ))
    if not table.rows:
        issues.append(Issue(None, None, "", "error", "no_rows", "ไม่มีแถวข้อมูล",
                            "there are no data rows"))
    return issues


def _year_in_quarter(text: str) -> bool:
    try:
        return parse_quarter(text)[1] is not None
    except CellValueError:
        return False


def _default_matcher() -> Callable[..., Any]:
    from codi_geo.places.matching import match_place

    return match_place


def prepare_import(
    data: bytes,
    filename: str,
    programme_id: str,
    *,
    store: Store | None = None,
    mapping: Mapping[str, str] | None = None,
    sheet: str | None = None,
    fiscal_year: int | None = None,
    quarter: int | None = None,
    visibility: str = "internal",
    is_demo: bool = False,
    place_codes: Mapping[str, str] | None = None,
    boundary_dir: Path | None = None,
    replaces: Sequence[int] = (),
    mode: str = "all",
    matcher: Callable[..., Any] | None = None,
) -> PreparedImport:
    """Read and check a file for ``programme_id`` without storing anything.

    ``mapping``: field -> column header, replacing the guess (see ``report.mapping`` for the
    guess and ``mappable_fields`` for the fields). ``fiscal_year`` / ``quarter``: for rows that
    give none. ``place_codes``: place text as written -> DOPA code, the user's choice for an
    ambiguous place. ``store``: checked for the same file and for rows already stored.
    """
    programme = get_programme(programme_id)
    if visibility not in ("public", "internal"):
        raise ValueError(f"visibility must be public or internal, not {visibility!r}")
    sha = file_sha256(data)
    report = ImportReport(file_name=filename, file_sha256=sha, programme=programme.id)
    try:
        table = read_table(data, filename, sheet, programme)
        if mapping is None:
            guessed = guess_mapping(table.headers, programme, table.geometry_columns)
            columns, ignored = guessed.columns, guessed.ignored
        else:
            _check_mapping(mapping, table.headers, programme, filename)
            columns = dict(mapping)
            unused = [h for h in table.headers if h not in mapping.values()]
            ignored = dict.fromkeys(unused, "ไม่ได้เลือก / not mapped")
    except ImportFileError as error:
        report.issues.append(Issue(None, None, "", "error", error.kind, error.message_th,
                                   error.message_en))
        return _finish_report(report, [], store, replaces, mode)
    report.file_kind, report.encoding, report.sheet = table.kind, table.encoding, table.sheet
    report.sheets, report.header_rows = table.sheets, table.header_rows
    report.headers = table.headers
    report.row_label_th, report.row_label_en = table.row_label_th, table.row_label_en
    report.mapping, report.ignored_columns = columns, ignored
    ctx = _Context(
        programme=programme, mapping=columns,
        column_index={name: table.headers.index(h) for name, h in columns.items()},
        default_fiscal_year=fiscal_year, default_quarter=quarter, visibility=visibility,
        is_demo=is_demo, place_codes=dict(place_codes or {}), file_name=filename,
        matcher=matcher or _default_matcher(),
    )
    for date_field in ("date", "timestamp"):
        if date_field in ctx.column_index:
            column = ctx.column_index[date_field]
            ctx.day_first[date_field] = day_first([row[column] for row in table.rows])
    report.issues += _file_level_checks(ctx, table)
    if report.file_errors:
        report.rows_total = len(table.rows)
        return _finish_report(report, [], store, replaces, mode)

    pending: list[_Pending] = []
    for index in range(len(table.rows)):
        outcome = _convert_row(ctx, table, index)
        if isinstance(outcome, Issue):
            report.issues.append(outcome)
            report.rows_skipped += 1
        else:
            pending.append(outcome)
    try:
        _place_points(pending, ctx, boundary_dir)
    except Exception as error:  # the boundary cache is missing or unreadable
        from codi_geo.places.boundaries import BoundaryError

        if not isinstance(error, BoundaryError):
            raise
        report.issues.append(Issue(
            None, _coordinate_columns(ctx), "", "error", "boundaries",
            f"วางพิกัดในตำบลไม่ได้: {error}", f"cannot place the points in tambons: {error}",
        ))
        report.rows_total = len(table.rows)
        return _finish_report(report, [], store, replaces, mode)
    converted = [(item, ResultRow(**item.values)) for item in pending if not _has_errors(item)]
    _dedupe(converted, store, programme.id, replaces, table)
    accepted = [row for item, row in converted if not _has_errors(item)]
    for item in pending:
        report.issues += item.issues
        if _has_errors(item):
            report.rejected_rows.append((item.row_number, list(table.rows[item.index])))
    report.rows_total = len(table.rows)
    report.rows_accepted = len(accepted)
    report.rows_rejected = len(report.rejected_rows)
    report.issues.sort(key=lambda i: (-1 if i.row is None else i.row))
    return _finish_report(report, accepted, store, replaces, mode)


def _finish_report(report: ImportReport, rows: list[ResultRow], store: Store | None,
                   replaces: Sequence[int], mode: str) -> PreparedImport:
    report.status = "valid"
    if store is not None:
        existing = store.active_batch_for_file(
            report.programme, report.file_sha256, report.sheet or ""
        )
        if existing is not None and existing.id not in replaces:
            report.status = "already_stored"
            report.duplicate_of = existing.id
            report.message_th = f"ไฟล์นี้นำเข้าแล้วเป็นชุดที่ {existing.id} ไม่มีอะไรเปลี่ยน"
            report.message_en = (
                f"this file is already stored as batch {existing.id}; nothing changed"
            )
            return PreparedImport(report, rows, tuple(replaces), mode)
    if report.file_errors:
        report.status = "failed"
        report.message_th = "ใช้ไฟล์นี้ไม่ได้ ไม่ได้บันทึกอะไร"
        report.message_en = "the file cannot be used; nothing was stored"
    elif report.errors:
        report.message_th = f"มี {report.rows_rejected} แถวที่ไม่ผ่าน"
        report.message_en = f"{report.rows_rejected} row(s) did not pass"
    elif not rows:
        report.status = "failed"
        report.message_th, report.message_en = "ไม่มีแถวที่จะบันทึก", "there are no rows to store"
    else:
        report.message_th = f"ผ่านทั้งหมด {len(rows)} แถว"
        report.message_en = f"all {len(rows)} row(s) passed"
    return PreparedImport(report, rows, tuple(replaces), mode)


def _decide(prepared: PreparedImport, valid_only: bool) -> ImportReport:
    """The report as it stands before storing: may the rows be stored?"""
    report = replace(prepared.report, valid_only=valid_only)
    if report.status in ("failed", "already_stored"):
        return report
    if report.errors and not valid_only:
        report.status = "failed"
        report.message_th = (
            f"มี {report.rows_rejected} แถวที่ไม่ผ่าน จึงไม่บันทึกทั้งไฟล์ แก้ไขแล้วนำเข้าใหม่ "
            f"หรือเลือกบันทึกเฉพาะแถวที่ผ่าน"
        )
        report.message_en = (
            f"{report.rows_rejected} row(s) did not pass, so nothing was stored; fix them and "
            f"import again, or choose to store only the valid rows"
        )
    elif not prepared.rows:
        report.status = "failed"
        report.message_th = "ไม่มีแถวที่ผ่าน ไม่ได้บันทึก"
        report.message_en = "no valid rows; nothing stored"
    return report


def store_import(
    store: Store, prepared: PreparedImport, *, valid_only: bool = False, who: str | None = None,
    dry_run: bool = False,
) -> ImportReport:
    """Store a prepared import as one batch (all of its accepted rows, in one transaction).

    Without ``valid_only`` any rejected row stops the whole file. With it, the accepted rows
    are stored and the rejected ones are in ``report.rejects_csv_bytes()``. Nothing already
    stored is changed by a failed import.
    """
    report = _decide(prepared, valid_only)
    report.dry_run = dry_run
    if report.status != "valid" or dry_run:
        if dry_run and report.status == "valid":
            count = len(prepared.rows)
            report.message_th = f"ทดลอง: จะบันทึก {count} แถว (ยังไม่ได้บันทึก) {report.message_th}"
            report.message_en = (
                f"dry run: {count} row(s) would be stored (nothing stored); {report.message_en}"
            )
        return report
    mode = prepared.mode if prepared.mode != "all" else ("valid_only" if valid_only else "all")
    meta = NewBatch(
        programme=report.programme, file_name=report.file_name,
        file_sha256=report.file_sha256, sheet=report.sheet or "", mode=mode,
        rows_total=report.rows_total,
        rows_rejected=report.rows_rejected, rows_skipped=report.rows_skipped, created_by=who,
    )
    try:
        batch = store.store_results(meta, prepared.rows, replaces=prepared.replaces)
    except DuplicateFileError as error:
        report.status, report.duplicate_of = "already_stored", error.batch.id
        report.message_th, report.message_en = str(error).split(" / ", 1)
        return report
    except StoreError as error:
        report.status = "failed"
        report.message_th, _, report.message_en = str(error).partition(" / ")
        return report
    report.status, report.batch_id = "stored", batch.id
    report.message_th = f"บันทึก {batch.rows_stored} แถว เป็นชุดที่ {batch.id}"
    report.message_en = f"stored {batch.rows_stored} row(s) as batch {batch.id}"
    if report.rows_rejected:
        report.message_th += f" ไม่รับ {report.rows_rejected} แถว (ดูไฟล์แถวที่ไม่รับ)"
        report.message_en += f"; {report.rows_rejected} row(s) rejected (see the rejects file)"
    return report


def import_file(
    store: Store,
    data: bytes,
    filename: str,
    programme_id: str,
    *,
    dry_run: bool = False,
    valid_only: bool = False,
    who: str | None = None,
    **options: Any,
) -> ImportReport:
    """Check and store a file in one go (see ``prepare_import`` for the options)."""
    prepared = prepare_import(data, filename, programme_id, store=store, **options)
    return store_import(store, prepared, valid_only=valid_only, who=who, dry_run=dry_run)


def import_path(store: Store, path: str | Path, programme_id: str, **options: Any) -> ImportReport:
    path = Path(path)
    return import_file(store, path.read_bytes(), path.name, programme_id, **options)


__all__ = [
    "ImportFileError", "ImportReport", "Issue", "MappingResult", "PreparedImport", "RawTable",
    "check_coordinates", "fiscal_period", "guess_mapping", "import_file", "import_path",
    "mappable_fields", "parse_date", "parse_fiscal_year", "parse_number", "parse_quarter",
    "prepare_import", "read_table", "store_import",
]
