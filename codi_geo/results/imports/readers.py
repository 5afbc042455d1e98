"""Reading files into a grid of text cells: CSV (UTF-8, UTF-8 with BOM, UTF-16, or Thai
Windows cp874 / TIS-620, detected), XLSX (first or named sheet, merged cells), GeoJSON, KML
and KMZ, with the row numbers the user sees. ``read_table`` is the entry point.

Our own readers, not a library's: charset-normalizer read a mostly-English cp874 CSV as
cp932, ``csv.Sniffer`` raises on a title row, GDAL's KML driver mangled Thai field names.
Every reader stays within ``limits`` (checked before the work: file and unpacked sizes, a
sheet's real extent, rows, columns, cells) and reads XML through defusedxml, streaming.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
import re
import sys
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException

from codi_geo.programmes import Programme
from codi_geo.results.imports import limits
from codi_geo.results.imports.delimited import read_records, sniff_delimiter
from codi_geo.results.imports.headers import combine_headers, find_header_rows
from codi_geo.results.imports.limits import MAX_FILE_BYTES, check_table_size, local
from codi_geo.results.imports.mapping import field_vocabulary
from codi_geo.results.imports.problems import ImportFileError, Issue

__all__ = ["MAX_FILE_BYTES", "RawTable", "file_sha256", "read_table"]


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


def file_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def detect_kind(data: bytes, filename: str) -> str:
    """csv | xlsx | geojson | kml | kmz, from the content first and the name second."""
    suffix = Path(filename).suffix.casefold()
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ImportFileError("old_excel", file=filename)
    if data[:4] == b"PK\x03\x04":
        return "kmz" if suffix == ".kmz" else "xlsx"
    # Named as a zip format but not one: read as text it would be a puzzling encoding error.
    if suffix in (".xlsx", ".xlsm"):
        raise ImportFileError("xlsx", file=filename)
    if suffix == ".kmz":
        raise ImportFileError("archive_damaged", file=filename)
    head = data[:2000].lstrip(b"\xef\xbb\xbf \t\r\n")
    if suffix in (".geojson", ".json") or head.startswith(b"{"):
        return "geojson"
    if suffix == ".kml" or (head.startswith(b"<") and b"<kml" in head):
        return "kml"
    return "csv"


def decode_text(data: bytes, filename: str) -> tuple[str, str]:
    """(text, encoding): UTF-8 with or without BOM, UTF-16 or UTF-32 with BOM, else Thai Windows
    (cp874, a superset of TIS-620, what Excel on Thai Windows writes). Bytes that are none of
    these (GB18030, Shift-JIS …) are refused rather than read as garbled Thai, and so are
    zero bytes, which no text file has (UTF-16 without its byte-order mark, binary data)."""
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        try:
            return data.decode("utf-32"), "utf-32"
        except UnicodeDecodeError as error:
            raise ImportFileError(
                "encoding_bom_unicode", file=filename, encoding="UTF-32", byte=error.start
            ) from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as error:
            raise ImportFileError(
                "encoding_bom_unicode", file=filename, encoding="UTF-16", byte=error.start
            ) from None
    zero = data.find(b"\x00")
    if zero >= 0:
        raise ImportFileError("not_text", file=filename, byte=zero)
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
        except UnicodeDecodeError as error:
            raise ImportFileError("encoding_bom", file=filename, byte=error.start + 3) from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp874")
    except UnicodeDecodeError as error:
        raise ImportFileError("encoding", file=filename, byte=error.start) from None
    garbled = _garbled_thai(text)
    if garbled:
        raise ImportFileError("encoding_unknown", file=filename, sample=garbled)
    return text, "cp874"


# Thai spelling that real text never has: a vowel or tone mark written above or below with
# no consonant before it, a leading vowel (เ แ โ ใ ไ) with no consonant after it, or a
# character cp874 only has for compatibility. Other encodings' bytes read as cp874 make
# these all the time (GB18030 Chinese: about one character in three).
_MARKS = "\u0e31\u0e34-\u0e3a\u0e47-\u0e4e"
_BAD_THAI = re.compile(
    rf"(?:^|(?<=[^\u0e01-\u0e2e{_MARKS}]))[{_MARKS}]"  # a mark with no consonant before it
    r"|[\u0e40-\u0e44](?![\u0e01-\u0e2e])"  # a leading vowel with no consonant after it
    r"|[\u0080-\u009f\u20ac\u2026\u2018\u2019\u201c\u201d\u2022\u2013\u2014]"
    r"(?=[\u0e00-\u0e7f])"  # Windows punctuation glued to Thai: multi-byte debris
)


def _garbled_thai(text: str) -> str:
    """A sample of the text around the first impossible Thai spelling if there are many
    ("" for text that reads as Thai)."""
    thai = sum(1 for c in text if "\u0e00" <= c <= "\u0e7f")
    if not thai:
        return ""
    bad = list(_BAD_THAI.finditer(text))
    # Real files have the odd typing slip (a doubled tone mark); garbled ones have many.
    if len(bad) <= max(2, thai // 100):
        return ""
    at = bad[0].start()
    return text[max(0, at - 8) : at + 8].replace("\n", " ")


def _read_csv(data: bytes, filename: str) -> tuple[list[list[str]], list[int], str]:
    text, encoding = decode_text(data, filename)
    delimiter = sniff_delimiter(text)
    records: list[list[str]] = []
    cells = 0
    for record in read_records(io.StringIO(text, newline=""), filename, delimiter):
        records.append(record)
        cells += len(record)
        # Checked as it reads: a 20 MB file of commas is ten million empty cells.
        if len(record) > limits.MAX_COLUMNS or cells > limits.MAX_CELLS:
            check_table_size(len(records), len(record), filename)
            raise ImportFileError("too_many_cells", file=filename, limit=f"{limits.MAX_CELLS:,}")
        if len(records) > limits.MAX_ROWS + limits.HEADER_ALLOWANCE:
            check_table_size(text.count("\n") + 1, 0, filename)
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
    """The sheet's cells as text. Its XML is scanned first (``limits.scan_sheet``: real
    extent, merged ranges) so openpyxl, in read-only mode, reads only the real extent and
    never builds a cell per position of a merged range or of the claimed dimension."""
    # here, not at the top: openpyxl (0.3 s: lxml, PIL) only for XLSX files; the isolated
    # reader loads it before its memory cap
    import openpyxl

    archive = limits.open_archive(data, filename, damaged="xlsx")
    # Shared strings longer than a cell may be: refused at the first cell that uses one.
    long_strings: dict[int, int] = {}
    for name in archive.namelist():
        if name.casefold().endswith("sharedstrings.xml"):
            with limits.open_member(archive, name, filename) as source:
                long_strings.update(limits.scan_shared_strings(source, filename, name))
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except MemoryError:
        raise
    except ImportFileError:
        raise
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise _xlsx_error(error, filename, archive) from None
    try:
        names = workbook.sheetnames
        if sheet is not None and sheet not in names:
            raise ImportFileError("sheet", file=filename, sheet=sheet, sheets=", ".join(names))
        if not workbook.worksheets:
            raise ImportFileError("no_header", file=filename)
        worksheet = workbook[sheet] if sheet is not None else workbook.worksheets[0]
        # openpyxl keeps where a read-only sheet's XML is; a chart sheet has none.
        path = getattr(worksheet, "_worksheet_path", None)
        if path is None:
            raise ImportFileError("sheet_not_table", file=filename, sheet=worksheet.title)
        with limits.open_member(archive, path, filename) as source:
            scan = limits.scan_sheet(source, filename, worksheet.title, long_strings, part=path)
        grid: list[list[str]] = []
        if scan.max_row and scan.max_column:
            for row in worksheet.iter_rows(
                min_row=1,
                max_row=scan.max_row,
                min_col=1,
                max_col=scan.max_column,
                values_only=True,
            ):
                grid.append([cell_text(v) for v in row])
        title = worksheet.title
    except (ImportFileError, MemoryError):
        raise
    except Exception as error:  # a damaged sheet found while reading it
        raise _xlsx_error(error, filename, archive) from None
    finally:
        workbook.close()
    width = scan.max_column
    grid = [r + [""] * (width - len(r)) for r in grid]
    # A merged cell holds its value in the top-left cell only; give it to the whole range,
    # remembering where it came from (a figure must not count once per row it spans).
    merged_from: dict[tuple[int, int], int] = {}
    for top, left, bottom, right in scan.merged:
        value = grid[top - 1][left - 1]
        for r in range(top - 1, bottom):
            for c in range(left - 1, right):
                if (r, c) != (top - 1, left - 1):
                    grid[r][c] = value
                    if r != top - 1:
                        merged_from[(r, c)] = top
    return grid, list(range(1, len(grid) + 1)), title, names, merged_from


def _xlsx_error(error: BaseException, filename: str, archive: zipfile.ZipFile) -> ImportFileError:
    """openpyxl's error as ours, without its words (they name its internals): XML that
    defusedxml refused (openpyxl reads through it) is said as such, a part that is not
    well-formed by its name, line and column; else the workbook is damaged."""
    cause: BaseException | None = error
    while cause is not None:
        if isinstance(cause, DefusedXmlException):
            return ImportFileError("xml_entities", file=filename)
        cause = cause.__cause__ or cause.__context__
    return limits.first_xml_fault(archive, filename) or ImportFileError("xlsx", file=filename)


GEOMETRY_LAT = "latitude (geometry)"
GEOMETRY_LON = "longitude (geometry)"

# What a feature's reader found: its properties, its point (lon, lat), and a problem
# (a problem id of ``PROBLEMS`` with its values) when it has no usable point.
Feature = tuple[dict[str, str], tuple[float, float] | None, tuple[str, dict[str, str]] | None]


def _features_table(
    features: Sequence[Feature], kind: str, label: tuple[str, str], filename: str
) -> RawTable:
    check_table_size(len(features), 0, filename)
    headers: list[str] = []
    seen: set[str] = set()
    for properties, _, _ in features:
        for key in properties:
            if key not in seen:
                seen.add(key)
                headers.append(key)
        if len(headers) > limits.MAX_COLUMNS:
            check_table_size(len(features), len(headers), filename)
    headers += [GEOMETRY_LAT, GEOMETRY_LON]
    rows, issues = [], {}
    for number, (properties, point, problem) in enumerate(features, start=1):
        lon, lat = point if point else ("", "")
        rows.append([properties.get(h, "") for h in headers[:-2]] + [str(lat), str(lon)])
        if problem:
            name, values = problem
            issues[number] = [
                Issue.of(name, number, None, next(iter(values.values()), ""), **values)
            ]
    return RawTable(
        headers=headers,
        rows=rows,
        row_numbers=list(range(1, len(rows) + 1)),
        kind=kind,
        encoding="utf-8",
        row_label_th=label[0],
        row_label_en=label[1],
        row_issues=issues,
        geometry_columns={"latitude": GEOMETRY_LAT, "longitude": GEOMETRY_LON},
    )


def _property_text(value: Any) -> str:
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, float):
        return cell_text(value) if math.isfinite(value) else ""
    return "" if value is None else str(value)


def _read_geojson(data: bytes, filename: str) -> RawTable:
    text, _ = decode_text(data, filename)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportFileError(
            "geojson_invalid", file=filename, line=error.lineno, column=error.colno
        ) from None
    except RecursionError:
        raise ImportFileError("geojson_too_deep", file=filename) from None
    except ValueError:  # an integer beyond Python's limit on digits
        raise _long_number(text, filename) from None
    if isinstance(document, dict) and document.get("type") == "Feature":
        document = {"type": "FeatureCollection", "features": [document]}
    if not isinstance(document, dict) or not isinstance(document.get("features"), list):
        raise ImportFileError("geojson_not_features", file=filename)
    check_table_size(len(document["features"]), 0, filename)
    return _features_table(
        [_geojson_feature(f) for f in document["features"]],
        "geojson",
        ("ลำดับที่", "feature"),
        filename,
    )


def _long_number(text: str, filename: str) -> ImportFileError:
    limit = sys.get_int_max_str_digits()
    found = re.search(rf"[0-9]{{{limit + 1},}}", text)
    line = text.count("\n", 0, found.start()) + 1 if found else 1
    return ImportFileError("geojson_number_too_long", file=filename, line=line, limit=f"{limit:,}")


def _geojson_feature(feature: Any) -> Feature:
    if not isinstance(feature, dict):
        return {}, None, ("feature_invalid", {"detail": f"{_short(feature)}: not an object"})
    raw = feature.get("properties")
    properties = (
        {str(k): _property_text(v) for k, v in raw.items()} if isinstance(raw, dict) else {}
    )
    if raw is not None and not isinstance(raw, dict):
        return properties, None, ("feature_invalid", {"detail": "properties"})
    geometry = feature.get("geometry")
    if geometry is None:
        return properties, None, None
    if not isinstance(geometry, dict):
        return properties, None, ("geometry_invalid", {"detail": "geometry"})
    point, problem = _geojson_point(geometry)
    return properties, point, problem


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _position(value: Any) -> tuple[float, float] | None:
    if not isinstance(value, list) or len(value) < 2:
        return None
    lon, lat = _number(value[0]), _number(value[1])
    return None if lon is None or lat is None else (lon, lat)


def _geojson_point(
    geometry: dict[str, Any],
) -> tuple[tuple[float, float] | None, tuple[str, dict[str, str]] | None]:
    kind = geometry.get("type")
    coordinates = geometry.get("coordinates")
    if not kind:
        return None, None
    if kind == "Point":
        point = _position(coordinates)
        if point is None:
            return None, ("geometry_invalid", {"detail": f"Point {_short(coordinates)}"})
        return point, None
    if kind == "MultiPoint" and isinstance(coordinates, list) and len(coordinates) == 1:
        point = _position(coordinates[0])
        if point is None:
            return None, ("geometry_invalid", {"detail": f"MultiPoint {_short(coordinates)}"})
        return point, None
    return None, ("geometry", {"shape": _short(kind)})


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
    return text if len(text) <= 60 else text[:57] + "…"


def _read_kml(source: IO[bytes], filename: str, part: str | None = None) -> RawTable:
    """Placemarks streamed (defusedxml, no DTDs or entities): each read, then dropped.
    ``part``: the KML's name inside a KMZ, for messages."""
    features: list[Feature] = []
    open_elements: list[Element] = []
    folders: list[str | None] = []  # the names of the Folders we are in
    saw_root = False
    for event, element in limits.iter_xml(source, filename, ("start", "end"), part):
        tag = local(element.tag)
        if event == "start":
            saw_root = True
            open_elements.append(element)
            if tag == "Folder":
                folders.append(None)
            continue
        open_elements.pop()
        parent = local(open_elements[-1].tag) if open_elements else ""
        if tag == "name" and parent == "Folder" and folders and folders[-1] is None:
            folders[-1] = (element.text or "").strip()
        elif tag == "Folder":
            folders.pop()
        elif tag == "Placemark":
            folder = next((f for f in reversed(folders) if f), "")
            features.append(_placemark(element, folder))
            if len(features) > limits.MAX_ROWS:
                check_table_size(len(features), 0, filename)
            if open_elements:
                open_elements[-1].remove(element)
    if not saw_root:
        raise ImportFileError("xml_empty", file=filename)
    return _features_table(features, "kml", ("หมุดที่", "placemark"), filename)


def _placemark(element: Element, folder: str) -> Feature:
    properties: dict[str, str] = {}
    if folder:
        properties["folder"] = folder
    point: tuple[float, float] | None = None
    problem: tuple[str, dict[str, str]] | None = None
    for node in element.iter():
        tag = local(node.tag)
        if node is element:
            continue
        if tag in ("name", "description") and tag not in properties:
            properties[tag] = (node.text or "").strip()
        elif tag == "Data":
            value = next((c.text for c in node if local(c.tag) == "value"), "")
            properties[node.get("name", "")] = (value or "").strip()
        elif tag == "SimpleData":
            properties[node.get("name", "")] = (node.text or "").strip()
        elif tag == "Point" and point is None:
            text = next((c.text for c in node if local(c.tag) == "coordinates"), "") or ""
            point = _kml_point(text)
            if point is None:
                problem = ("geometry_invalid", {"detail": f"Point {_short(text.strip())}"})
        elif tag in ("Polygon", "LineString", "LinearRing") and point is None and not problem:
            problem = ("geometry", {"shape": tag})
    return properties, point, None if point else problem


def _kml_point(text: str) -> tuple[float, float] | None:
    parts = text.strip().split()[0].split(",") if text.strip() else []
    if len(parts) < 2:
        return None
    try:
        lon, lat = float(parts[0]), float(parts[1])
    except ValueError:
        return None
    return (lon, lat) if math.isfinite(lon) and math.isfinite(lat) else None


def _read_kmz(data: bytes, filename: str) -> RawTable:
    archive = limits.open_archive(data, filename)
    kml_names = [n for n in archive.namelist() if n.casefold().endswith(".kml")]
    if not kml_names:
        raise ImportFileError("kmz", file=filename)
    with limits.open_member(archive, kml_names[0], filename) as source:
        table = _read_kml(source, filename, kml_names[0])
    table.kind = "kmz"
    return table


def read_table(
    data: bytes, filename: str, sheet: str | None = None, programme: Programme | None = None
) -> RawTable:
    """Read a file into a ``RawTable``: headers found (below any title rows), cells as text,
    row numbers as the user sees them. Raises ``ImportFileError`` for an unusable file."""
    if not data:
        raise ImportFileError("empty", file=filename)
    if len(data) > MAX_FILE_BYTES:
        raise ImportFileError(
            "too_big", file=filename, size=limits._mb(len(data)), mb=MAX_FILE_BYTES // limits.MB
        )
    kind = detect_kind(data, filename)
    if kind == "geojson":
        return _read_geojson(data, filename)
    if kind == "kml":
        return _read_kml(io.BytesIO(data), filename)
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
        raise ImportFileError("no_header", file=filename)
    headers = combine_headers(grid, header_at, upper_at)
    first_data = header_at + 1
    data_rows: list[list[str]] = []
    data_numbers: list[int] = []
    merged: dict[tuple[int, int], int] = {}
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
        headers=headers,
        rows=data_rows,
        row_numbers=data_numbers,
        kind=kind,
        encoding=encoding,
        sheet=sheet_name,
        sheets=sheets,
        header_rows=header_rows,
        merged_from=merged,
    )
