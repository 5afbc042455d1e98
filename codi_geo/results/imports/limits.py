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
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any
from xml.etree.ElementTree import Element, ParseError
from xml.parsers import expat

from defusedxml import DefusedXmlException
from defusedxml.common import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import iterparse

from codi_geo.results.imports.problems import ImportFileError, chars_over

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


def open_archive(data: bytes, filename: str, damaged: str = "archive_damaged") -> zipfile.ZipFile:
    """The zip inside an XLSX or KMZ, its directory checked against the limits; ``damaged``
    is the problem to report for a zip that cannot be opened."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise ImportFileError(damaged, file=filename) from None
    total = 0
    for member in members:
        if member.file_size > MAX_UNPACKED_BYTES:
            raise ImportFileError(
                "archive_member_too_big",
                file=filename,
                member=member.filename,
                size=_mb(member.file_size),
                limit=MAX_UNPACKED_BYTES // MB,
            )
        total += member.file_size
    if total > MAX_UNPACKED_BYTES:
        raise ImportFileError(
            "archive_too_big", file=filename, size=_mb(total), limit=MAX_UNPACKED_BYTES // MB
        )
    return archive


def open_member(archive: zipfile.ZipFile, name: str, filename: str) -> IO[bytes]:
    try:
        return archive.open(name)
    except NotImplementedError:  # before RuntimeError, of which it is a kind
        raise ImportFileError(
            "archive_member_compression", file=filename, member=_short(name)
        ) from None
    except RuntimeError:  # zipfile's word for an encrypted member
        raise ImportFileError(
            "archive_member_encrypted", file=filename, member=_short(name)
        ) from None
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, EOFError):
        raise ImportFileError(
            "archive_member_damaged", file=filename, member=_short(name)
        ) from None


def _short(name: str) -> str:
    """A name from inside the file, short enough for a message."""
    return name if len(name) <= 80 else name[:77] + "…"


# What reading an archive member's stream raises when its data does not match its
# directory entry (CRC, a truncated or corrupt deflate stream).
_STREAM_ERRORS = (zipfile.BadZipFile, OSError, EOFError, RuntimeError, zlib.error)


def _damaged_stream(filename: str, part: str | None) -> ImportFileError:
    if part is None:
        return ImportFileError("archive_damaged", file=filename)
    return ImportFileError("archive_member_damaged", file=filename, member=_short(part))


def _not_well_formed(filename: str, part: str | None, line: int, column: int) -> ImportFileError:
    """XML that is not well-formed, at the line and column (1-based) the parser stopped."""
    if part is None:
        return ImportFileError("xml_invalid", file=filename, line=line, column=column)
    return ImportFileError(
        "xml_invalid_part", file=filename, part=_short(part), line=line, column=column
    )


def iter_xml(
    source: IO[bytes], filename: str, events: tuple[str, ...] = ("end",), part: str | None = None
) -> Iterator[tuple[str, Element]]:
    """``(event, element)`` of an XML stream through defusedxml; damage and forbidden XML
    (DTDs, entities) become ``ImportFileError``. ``part``: the archive member read, for the
    message."""
    try:
        yield from iterparse(source, events=events, forbid_dtd=True)
    except DefusedXmlException:
        raise ImportFileError("xml_entities", file=filename) from None
    except ParseError as error:
        line, column = getattr(error, "position", (1, 0))
        raise _not_well_formed(filename, part, line, column + 1) from None
    except LookupError:  # an encoding Python does not know, declared in the XML
        raise ImportFileError("xml_encoding", file=filename) from None
    except _STREAM_ERRORS:
        raise _damaged_stream(filename, part) from None


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
        "sheet_extent",
        file=filename,
        sheet=sheet,
        cell=f"{column_letters(column)}{row}",
        rows=f"{MAX_ROWS + HEADER_ALLOWANCE:,}",
        columns=MAX_COLUMNS,
    )


class _Stop(Exception):
    """Raised from a parser callback to stop at the first limit passed."""

    def __init__(self, error: ImportFileError) -> None:
        self.error = error


def _expat(
    source: IO[bytes], filename: str, start: Any, end: Any, chars: Any, part: str | None = None
) -> None:
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
    if start is not None:
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
        raise _not_well_formed(filename, part, error.lineno, error.offset + 1) from None
    except LookupError:
        raise ImportFileError("xml_encoding", file=filename) from None
    except _STREAM_ERRORS:
        raise _damaged_stream(filename, part) from None


def first_xml_fault(archive: zipfile.ZipFile, filename: str) -> ImportFileError | None:
    """The first XML part of ``archive`` that is damaged, not well-formed or forbidden (its
    name, line and column), or None: where a library that gave up without saying where
    (openpyxl) met it. Every part is within ``MAX_UNPACKED_BYTES`` (``open_archive``)."""
    for name in archive.namelist():
        if not name.casefold().endswith((".xml", ".rels")):
            continue
        try:
            with open_member(archive, name, filename) as source:
                _expat(source, filename, None, None, None, name)
        except ImportFileError as error:
            return error
    return None


def scan_shared_strings(
    source: IO[bytes], filename: str, part: str | None = None
) -> dict[int, int]:
    """Refuse a shared-string table with more strings than a sheet may have cells; the
    strings longer than a cell may be, ``{index: length}``, so that the first cell using
    one is refused by its place (``scan_sheet``). Memory stays small whatever their length:
    the text is counted, not kept."""
    state = {"count": 0, "length": 0}
    long_strings: dict[int, int] = {}

    def start(name: str, attrs: dict[str, str]) -> None:
        if local(name) == "si":
            state["count"] += 1
            state["length"] = 0
            if state["count"] > MAX_CELLS:
                raise _Stop(
                    ImportFileError("too_many_cells", file=filename, limit=f"{MAX_CELLS:,}")
                )

    def chars(text: str) -> None:
        state["length"] += len(text)
        if state["length"] > MAX_CELL_CHARS:
            long_strings[state["count"] - 1] = state["length"]  # indices start at 0

    _expat(source, filename, start, lambda name: None, chars, part)
    return long_strings


def scan_sheet(
    source: IO[bytes],
    filename: str,
    sheet: str,
    long_strings: dict[int, int] | None = None,
    part: str | None = None,
) -> SheetScan:
    """Stream a worksheet's XML once: its real extent and merged ranges, refusing what is
    beyond the limits as soon as it is seen (a cell using one of ``long_strings``, the
    shared strings longer than a cell may be, among them)."""
    scan = SheetScan()
    long_strings = long_strings or {}
    merged_raw: list[tuple[int, int, int, int]] = []
    # The current row and cell, whether the cell has a value (text in <v> or <t>), and for
    # a shared-string cell the index in its <v>.
    state: dict[str, Any] = {
        "row": 0,
        "column": 0,
        "in_value": False,
        "length": 0,
        "elements": 0,
        "shared": False,
        "index": "",
    }

    def start(name: str, attrs: dict[str, str]) -> None:
        tag = local(name)
        if tag == "c":
            state["elements"] += 1
            if state["elements"] > MAX_CELL_ELEMENTS:
                raise _Stop(
                    ImportFileError("too_many_cells", file=filename, limit=f"{MAX_CELL_ELEMENTS:,}")
                )
            match = _CELL_REF.match(attrs.get("r", ""))
            if match:
                state["row"] = int(match.group(2))
                state["column"] = column_number(match.group(1))
            else:
                state["column"] += 1
            state["length"] = -1  # no value yet
            state["shared"], state["index"] = attrs.get("t") == "s", ""
        elif tag in ("v", "t"):
            state["in_value"] = True
        elif tag == "row":
            given = attrs.get("r", "")
            state["row"] = int(given) if given.isdigit() else state["row"] + 1
            state["column"] = 0
        elif tag == "mergeCell":
            merged_raw.append(_range(attrs.get("ref", ""), filename, sheet))
            if len(merged_raw) > MAX_MERGED:
                raise _Stop(
                    ImportFileError("too_many_merged", file=filename, limit=f"{MAX_MERGED:,}")
                )

    def chars(text: str) -> None:
        if state["in_value"]:
            state["length"] = max(state["length"], 0) + len(text)
            if state["length"] > MAX_CELL_CHARS:
                raise _Stop(_cell_too_long(filename, sheet, state, None))
            if state["shared"] and len(state["index"]) < 12:
                state["index"] += text

    def end(name: str) -> None:
        tag = local(name)
        if tag in ("v", "t"):
            state["in_value"] = False
        elif tag == "c" and state["shared"] and long_strings:
            index = state["index"].strip()
            if index.isdigit() and int(index) in long_strings:
                raise _Stop(_cell_too_long(filename, sheet, state, long_strings[int(index)]))
        if tag == "c" and state["length"] > 0:
            # A cell with a value; a styled empty cell (Excel writes thousands) is not content.
            try:
                _count_cell(scan, filename, sheet, state["row"], state["column"])
            except ImportFileError as error:
                raise _Stop(error) from None

    _expat(source, filename, start, end, chars, part)
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


def _cell_too_long(
    filename: str, sheet: str, state: dict[str, Any], length: int | None
) -> ImportFileError:
    """A cell over ``MAX_CELL_CHARS``: its length, or None when the scan stopped inside it."""
    letters = column_letters(state["column"])
    return ImportFileError(
        "cell_too_long",
        file=filename,
        sheet=sheet,
        cell=f"{letters}{state['row']}",
        row=state["row"],
        column=letters,
        limit=f"{MAX_CELL_CHARS:,}",
        **chars_over(length, MAX_CELL_CHARS),
    )


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


def _range(ref: str, filename: str, sheet: str) -> tuple[int, int, int, int]:
    start, _, end = ref.upper().partition(":")
    first, last = _CELL_REF.match(start), _CELL_REF.match(end or start)
    if not first or not last:
        raise _Stop(
            ImportFileError("merged_range_invalid", file=filename, sheet=sheet, ref=_short(ref))
        )
    top, left = int(first.group(2)), column_number(first.group(1))
    bottom, right = int(last.group(2)), column_number(last.group(1))
    return min(top, bottom), min(left, right), max(top, bottom), max(left, right)


def check_table_size(rows: int, columns: int, filename: str) -> None:
    """A grid read from CSV, GeoJSON or KML: rows and columns within the limits."""
    if rows > MAX_ROWS + HEADER_ALLOWANCE:
        raise ImportFileError(
            "too_many_rows", file=filename, rows=f"{rows:,}", limit=f"{MAX_ROWS:,}"
        )
    if columns > MAX_COLUMNS:
        raise ImportFileError(
            "too_many_columns", file=filename, columns=f"{columns:,}", limit=MAX_COLUMNS
        )
