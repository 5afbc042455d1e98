"""Bounds on the work one uploaded file may cause, checked before the work is done.

A file is refused, with a message naming the limit, when it is bigger than ``MAX_FILE_BYTES``;
when an archive member (XLSX, KMZ) would unpack to more than ``MAX_UNPACKED_BYTES`` by the
zip directory (Python's ``zipfile`` never unpacks a member beyond the size its directory
states, so the directory is a bound and not only a claim); when a sheet's *real* content
(the cells that hold a value, not the ``<dimension>`` it claims, nor styled empty cells)
reaches beyond ``MAX_ROWS`` rows or ``MAX_COLUMNS`` columns; when it holds more than
``MAX_CELLS`` cells or ``MAX_MERGED`` merged ranges; or when one cell or shared string is
longer than Excel's own limit of 32,767 characters.

The XML of XLSX and KML is read with defusedxml (no DTDs, entities or external references),
streaming: memory stays near the size of one row, whatever the file claims.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any
from xml.etree.ElementTree import Element, ParseError
from xml.parsers import expat

from defusedxml import DefusedXmlException
from defusedxml.common import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import iterparse

from codi_geo.results.imports.problems import ImportFileError

MB = 2**20
# ``server.maxUploadSize`` in .streamlit/config.toml is this, in MB (a test checks it).
MAX_FILE_BYTES = 20 * MB
MAX_UNPACKED_BYTES = 100 * MB  # per archive member and per archive
MAX_ROWS = 100_000  # rows (features, placemarks) with data
MAX_COLUMNS = 500
MAX_CELLS = 2_000_000  # cells holding a value, and the merged area they may spread over
MAX_CELL_ELEMENTS = 5_000_000  # cells in the sheet's XML, empty ones too (they cost time)
MAX_MERGED = 20_000
MAX_CELL_CHARS = 32_767  # Excel's own limit for one cell
# The rows above the header a file may have (titles, notes) besides its MAX_ROWS data rows.
HEADER_ALLOWANCE = 50


def _mb(size: int) -> str:
    return f"{size / MB:,.1f}"


# -- archives ------------------------------------------------------------------------------


def open_archive(data: bytes, filename: str, damaged: str = "archive_damaged"
                 ) -> zipfile.ZipFile:
    """The zip inside an XLSX or KMZ, its directory checked against the limits; ``damaged``
    is the problem to report for a zip that cannot be opened."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as error:
        raise ImportFileError(damaged, file=filename, error=error) from None
    total = 0
    for member in members:
        if member.file_size > MAX_UNPACKED_BYTES:
            raise ImportFileError(
                "archive_member_too_big", file=filename, member=member.filename,
                size=_mb(member.file_size), limit=MAX_UNPACKED_BYTES // MB)
        total += member.file_size
    if total > MAX_UNPACKED_BYTES:
        raise ImportFileError("archive_too_big", file=filename, size=_mb(total),
                              limit=MAX_UNPACKED_BYTES // MB)
    return archive


def open_member(archive: zipfile.ZipFile, name: str, filename: str) -> IO[bytes]:
    try:
        return archive.open(name)
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, KeyError,
            ValueError, EOFError) as error:
        # RuntimeError: an encrypted member; NotImplementedError: an unknown compression.
        raise ImportFileError("archive_damaged", file=filename, error=error) from None


def iter_xml(source: IO[bytes], filename: str, events: tuple[str, ...] = ("end",)
             ) -> Iterator[tuple[str, Element]]:
    """``(event, element)`` of an XML stream through defusedxml; damage and forbidden XML
    (DTDs, entities) become ``ImportFileError``."""
    try:
        yield from iterparse(source, events=events, forbid_dtd=True)
    except DefusedXmlException:
        raise ImportFileError("xml_entities", file=filename) from None
    except ParseError as error:
        raise ImportFileError("xml_invalid", file=filename, error=error) from None
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError) as error:
        # A member whose data does not match its directory entry (CRC, truncated stream).
        raise ImportFileError("archive_damaged", file=filename, error=error) from None


def local(tag: str) -> str:
    """A tag without its namespace (``{uri}c``) or prefix (``x:c``)."""
    return tag.rsplit("}", 1)[-1].rsplit(":", 1)[-1]


# -- sheets --------------------------------------------------------------------------------

_CELL_REF = re.compile(r"([A-Z]{1,3})([0-9]{1,7})$")


def column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def column_letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass
class SheetScan:
    """What a sheet really holds: the extent of the cells with a value, and its merged
    ranges clipped to that extent (1-based, inclusive)."""

    max_row: int = 0
    max_column: int = 0
    cells: int = 0
    rows: int = 0  # rows holding a value
    last_row: int = 0
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)


def _refuse_extent(filename: str, sheet: str, row: int, column: int) -> ImportFileError:
    return ImportFileError(
        "sheet_extent", file=filename, sheet=sheet, cell=f"{column_letters(column)}{row}",
        rows=f"{MAX_ROWS + HEADER_ALLOWANCE:,}", columns=MAX_COLUMNS)


class _Stop(Exception):
    """Raised from a parser callback to stop at the first limit passed."""

    def __init__(self, error: ImportFileError) -> None:
        self.error = error


def _expat(source: IO[bytes], filename: str, start: Any, end: Any, chars: Any) -> None:
    """Stream ``source`` through expat with defusedxml's rules (no DTD, no entity
    declarations, no external references): a SAX-style scan that keeps no tree, several
    times faster than ``iterparse`` for counting a sheet's cells."""
    def doctype(name: str, sysid: Any, pubid: Any, internal: Any) -> None:
        raise DTDForbidden(name, sysid, pubid)

    def entity(name: str, *rest: Any) -> None:
        raise EntitiesForbidden(name, None, None, None, None, None)

    def external(context: Any, base: Any, sysid: Any, pubid: Any) -> None:
        raise ExternalReferenceForbidden(context, base, sysid, pubid)

    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = entity
    parser.UnparsedEntityDeclHandler = entity
    parser.ExternalEntityRefHandler = external  # type: ignore[assignment]
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    try:
        parser.ParseFile(source)
    except _Stop as stop:
        raise stop.error from None
    except DefusedXmlException:
        raise ImportFileError("xml_entities", file=filename) from None
    except expat.ExpatError as error:
        raise ImportFileError("xml_invalid", file=filename, error=error) from None
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError) as error:
        raise ImportFileError("archive_damaged", file=filename, error=error) from None


def scan_shared_strings(source: IO[bytes], filename: str) -> None:
    """Refuse a shared-string table with more strings than a sheet may have cells, or a
    string longer than a cell may be."""
    state = {"count": 0, "length": 0}

    def start(name: str, attrs: dict[str, str]) -> None:
        if local(name) == "si":
            state["count"] += 1
            state["length"] = 0
            if state["count"] > MAX_CELLS:
                raise _Stop(ImportFileError("too_many_cells", file=filename,
                                            limit=f"{MAX_CELLS:,}"))

    def chars(text: str) -> None:
        state["length"] += len(text)
        if state["length"] > MAX_CELL_CHARS:
            raise _Stop(ImportFileError(
                "string_too_long", file=filename, index=state["count"],
                chars=f"more than {MAX_CELL_CHARS:,}", limit=f"{MAX_CELL_CHARS:,}"))

    _expat(source, filename, start, lambda name: None, chars)


def scan_sheet(source: IO[bytes], filename: str, sheet: str) -> SheetScan:
    """Stream a worksheet's XML once: its real extent and merged ranges, refusing what is
    beyond the limits as soon as it is seen."""
    scan = SheetScan()
    merged_raw: list[tuple[int, int, int, int]] = []
    # The current row and cell, and whether the cell has a value (text in <v> or <t>).
    state: dict[str, Any] = {"row": 0, "column": 0, "in_value": False, "length": 0,
                             "elements": 0}

    def start(name: str, attrs: dict[str, str]) -> None:
        tag = local(name)
        if tag == "c":
            state["elements"] += 1
            if state["elements"] > MAX_CELL_ELEMENTS:
                raise _Stop(ImportFileError("too_many_cells", file=filename,
                                            limit=f"{MAX_CELL_ELEMENTS:,}"))
            match = _CELL_REF.match(attrs.get("r", ""))
            if match:
                state["row"] = int(match.group(2))
                state["column"] = column_number(match.group(1))
            else:
                state["column"] += 1
            state["length"] = -1  # no value yet
        elif tag in ("v", "t"):
            state["in_value"] = True
        elif tag == "row":
            given = attrs.get("r", "")
            state["row"] = int(given) if given.isdigit() else state["row"] + 1
            state["column"] = 0
        elif tag == "mergeCell":
            merged_raw.append(_range(attrs.get("ref", ""), filename))
            if len(merged_raw) > MAX_MERGED:
                raise _Stop(ImportFileError("too_many_merged", file=filename,
                                            limit=f"{MAX_MERGED:,}"))

    def chars(text: str) -> None:
        if state["in_value"]:
            state["length"] = max(state["length"], 0) + len(text)
            if state["length"] > MAX_CELL_CHARS:
                raise _Stop(_cell_too_long(filename, sheet, state))

    def end(name: str) -> None:
        tag = local(name)
        if tag in ("v", "t"):
            state["in_value"] = False
        elif tag == "c" and state["length"] > 0:
            # A cell with a value; a styled empty cell (Excel writes thousands) is not content.
            try:
                _count_cell(scan, filename, sheet, state["row"], state["column"])
            except ImportFileError as error:
                raise _Stop(error) from None

    _expat(source, filename, start, end, chars)
    area = 0
    for top, left, bottom, right in merged_raw:
        bottom, right = min(bottom, scan.max_row), min(right, scan.max_column)
        if top > bottom or left > right:
            continue  # a merge over empty cells only: nothing to spread
        area += (bottom - top + 1) * (right - left + 1)
        if area > MAX_CELLS:
            raise ImportFileError("too_many_cells", file=filename, limit=f"{MAX_CELLS:,}")
        scan.merged.append((top, left, bottom, right))
    return scan


def _cell_too_long(filename: str, sheet: str, state: dict[str, Any]) -> ImportFileError:
    return ImportFileError(
        "cell_too_long", file=filename, sheet=sheet,
        cell=f"{column_letters(state['column'])}{state['row']}",
        chars=f"more than {MAX_CELL_CHARS:,}", limit=f"{MAX_CELL_CHARS:,}")


def _count_cell(scan: SheetScan, filename: str, sheet: str, row: int, column: int) -> None:
    if row > MAX_ROWS + HEADER_ALLOWANCE or column > MAX_COLUMNS:
        raise _refuse_extent(filename, sheet, row, column)
    scan.cells += 1
    if scan.cells > MAX_CELLS:
        raise ImportFileError("too_many_cells", file=filename, limit=f"{MAX_CELLS:,}")
    if row != scan.last_row:
        scan.last_row = row
        scan.rows += 1
    scan.max_row = max(scan.max_row, row)
    scan.max_column = max(scan.max_column, column)


def _range(ref: str, filename: str) -> tuple[int, int, int, int]:
    start, _, end = ref.upper().partition(":")
    first, last = _CELL_REF.match(start), _CELL_REF.match(end or start)
    if not first or not last:
        raise ImportFileError("xml_invalid", file=filename, error=f"merged range {ref!r}")
    top, left = int(first.group(2)), column_number(first.group(1))
    bottom, right = int(last.group(2)), column_number(last.group(1))
    return min(top, bottom), min(left, right), max(top, bottom), max(left, right)


def check_table_size(rows: int, columns: int, filename: str) -> None:
    """A grid read from CSV, GeoJSON or KML: rows and columns within the limits."""
    if rows > MAX_ROWS + HEADER_ALLOWANCE:
        raise ImportFileError("too_many_rows", file=filename, rows=f"{rows:,}",
                              limit=f"{MAX_ROWS:,}")
    if columns > MAX_COLUMNS:
        raise ImportFileError("too_many_columns", file=filename, columns=f"{columns:,}",
                              limit=MAX_COLUMNS)


def limits_text() -> dict[str, Any]:
    """The limits, for help texts."""
    return {"mb": MAX_FILE_BYTES // MB, "rows": f"{MAX_ROWS:,}", "columns": MAX_COLUMNS}
