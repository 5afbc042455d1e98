"""Reading files into a grid of text cells: CSV (UTF-8, UTF-8 with BOM, UTF-16, or Thai
Windows cp874 / TIS-620, detected), XLSX (first or named sheet, merged cells), GeoJSON, KML
and KMZ, with the row numbers the user sees. ``read_table`` is the entry point.

Our own readers, not a library's: charset-normalizer read a mostly-English cp874 CSV as
cp932, ``csv.Sniffer`` raises on a title row, GDAL's KML driver mangled Thai field names.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import xml.etree.ElementTree as ElementTree
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from codi_geo.programmes import Programme
from codi_geo.results.imports.headers import combine_headers, find_header_rows
from codi_geo.results.imports.mapping import field_vocabulary
from codi_geo.results.imports.problems import ImportFileError, Issue

MAX_FILE_BYTES = 50 * 1024 * 1024


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
        raise ImportFileError("encoding", file=filename, byte=error.start) from None


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
        raise ImportFileError("csv", file=filename, error=error) from None
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
        raise ImportFileError("xlsx", file=filename, error=error) from None
    names = workbook.sheetnames
    if sheet is not None and sheet not in names:
        raise ImportFileError("sheet", file=filename, sheet=sheet, sheets=", ".join(names))
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
            issues[number] = [Issue.of("geometry", number, None, problem, shape=problem)]
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
            "geojson_invalid", file=filename, line=error.lineno, error=error.msg
        ) from None
    if isinstance(document, dict) and document.get("type") == "Feature":
        document = {"type": "FeatureCollection", "features": [document]}
    if not isinstance(document, dict) or not isinstance(document.get("features"), list):
        raise ImportFileError("geojson_not_features", file=filename)
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
        raise ImportFileError("kml_entities", file=filename)
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as error:
        raise ImportFileError("kml_invalid", file=filename, error=error) from None
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
            raise ImportFileError("kmz", file=filename)
        table = _read_kml(archive.read(kml_names[0]), filename)
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
        raise ImportFileError("too_big", file=filename, mb=MAX_FILE_BYTES // 2**20)
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
        headers=headers, rows=data_rows, row_numbers=data_numbers, kind=kind,
        encoding=encoding, sheet=sheet_name, sheets=sheets, header_rows=header_rows,
        merged_from=merged,
    )
