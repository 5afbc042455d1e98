"""Hostile files, made small on disk by a script (for tests and ``bench/bench_hostile.py``):
an XLSX that claims a huge sheet, one with a merged range over the whole sheet, one with a
1 GB shared string in 1 MB, a KMZ holding a 1.6 GB KML in 1.5 MB, a sheet of 200,000 rows.

A deflate stream of a repeated block is built once per block: after a full flush the
compressor starts afresh, so the block's compressed bytes can be repeated as often as
wanted (a gigabyte costs a second of CRC, not a minute of compression).
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from dataclasses import dataclass

import openpyxl

# Run as ``python -c MEASURE_SCRIPT FILE NAME`` in a fresh process: reads FILE, prints JSON
# with the outcome, the seconds and the peak memory the read added (kB: the kernel's peak
# resident size, reset just before the read, less the resident size then).
MEASURE_SCRIPT = """
import json, sys, time
from codi_geo.results.imports import read_table
from codi_geo.results.imports.problems import ImportFileError

def memory():
    status = dict(line.split(":", 1) for line in open("/proc/self/status"))
    return int(status["VmRSS"].split()[0]), int(status["VmHWM"].split()[0])

data = open(sys.argv[1], "rb").read()
read_table(b"a,b\\n1,2\\n", "warm.csv")  # imports done before the baseline
open("/proc/self/clear_refs", "w").write("5")  # peak reset to now (Linux)
before = memory()[0]
started = time.perf_counter()
try:
    table = read_table(data, sys.argv[2])
    outcome = {"rows": len(table.rows)}
except ImportFileError as error:
    outcome = {"kind": error.kind, "en": error.en, "th": error.th}
outcome["seconds"] = time.perf_counter() - started
outcome["peak_kb"] = memory()[1] - before
print(json.dumps(outcome))
"""

XML_HEAD = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
MAIN_NS = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


@dataclass
class Member:
    """A zip member as raw deflate bytes, with the sizes its directory will state."""

    name: str
    compressed: bytes
    crc: int
    size: int


def deflated(data: bytes, name: str) -> Member:
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    return Member(name, compressor.compress(data) + compressor.flush(), zlib.crc32(data), len(data))


def repeated(name: str, head: bytes, block: bytes, times: int, tail: bytes) -> Member:
    """``head + block * times + tail`` deflated, without compressing it all."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    start = compressor.compress(head) + compressor.flush(zlib.Z_FULL_FLUSH)
    packed = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    again = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    assert packed == again  # the same bytes every time after a full flush
    end = compressor.compress(tail) + compressor.flush()
    crc = zlib.crc32(head)
    for _ in range(times):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(tail, crc)
    return Member(
        name,
        start + packed * (times - 1) + again + end,
        crc,
        len(head) + len(block) * times + len(tail),
    )


def zip_bytes(members: list[Member]) -> bytes:
    """A zip archive written by hand (so a member's stated size can be anything)."""
    out = io.BytesIO()
    directory = []
    for member in members:
        offset = out.tell()
        name = member.name.encode()
        sizes = (member.crc, len(member.compressed), member.size & 0xFFFFFFFF)
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, *sizes, len(name), 0))
        out.write(name)
        out.write(member.compressed)
        directory.append(
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                20,
                20,
                0,
                8,
                0,
                0x21,
                *sizes,
                len(name),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + name
        )
    start = out.tell()
    for entry in directory:
        out.write(entry)
    out.write(
        struct.pack(
            "<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), out.tell() - start, start, 0
        )
    )
    return out.getvalue()


def _workbook_members(with_text: bool = True) -> dict[str, bytes]:
    """A real one-sheet workbook's parts (openpyxl writes them), to swap parts into."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["จังหวัด", "ครัวเรือน"] if with_text else [1, 2])
    buffer = io.BytesIO()
    workbook.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def xlsx_with_sheet(sheet_xml: bytes) -> bytes:
    parts = _workbook_members()
    parts["xl/worksheets/sheet1.xml"] = sheet_xml
    return zip_bytes([deflated(data, name) for name, data in parts.items()])


def sheet_xml(rows: bytes, dimension: str = "A1:B2", merges: bytes = b"") -> bytes:
    return (
        XML_HEAD
        + b"<worksheet "
        + MAIN_NS
        + b'><dimension ref="'
        + dimension.encode()
        + b'"/><sheetData>'
        + rows
        + b"</sheetData>"
        + merges
        + b"</worksheet>"
    )


def inline_row(number: int, *values: str) -> bytes:
    cells = b"".join(
        f'<c r="{chr(65 + i)}{number}" t="inlineStr"><is><t>{v}</t></is></c>'.encode()
        for i, v in enumerate(values)
    )
    return f'<row r="{number}">'.encode() + cells + b"</row>"


HEADER_AND_ROW = inline_row(1, "จังหวัด", "ปีงบประมาณ", "ครัวเรือน") + inline_row(2, "ตรัง", "2569", "5")


def xlsx_claiming_huge_sheet() -> bytes:
    """1.6 KB: a few real cells, the whole sheet claimed, a value in its last cell."""
    last = b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    return xlsx_with_sheet(sheet_xml(HEADER_AND_ROW + last, "A1:XFD1048576"))


def xlsx_claiming_with_styled_cells() -> bytes:
    """Real content of two rows; the dimension and a styled empty cell claim the sheet."""
    last = b'<row r="1048576"><c r="XFD1048576" s="0"/></row>'
    return xlsx_with_sheet(sheet_xml(HEADER_AND_ROW + last, "A1:XFD1048576"))


def xlsx_merged_over_sheet() -> bytes:
    """A merged range over every cell of the sheet (openpyxl would make 17 billion)."""
    merges = b'<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>'
    return xlsx_with_sheet(sheet_xml(HEADER_AND_ROW, "A1:XFD1048576", merges))


def xlsx_many_merges(count: int) -> bytes:
    merges = b"".join(f'<mergeCell ref="A{i}:B{i}"/>'.encode() for i in range(3, count + 3))
    return xlsx_with_sheet(
        sheet_xml(HEADER_AND_ROW, "A1:C3", b"<mergeCells>" + merges + b"</mergeCells>")
    )


def xlsx_huge_shared_string(gigabytes: float = 1.0) -> bytes:
    """About 1 MB holding a shared string of ``gigabytes`` GB."""
    parts = _workbook_members()
    members = [
        deflated(data, name) for name, data in parts.items() if name != "xl/sharedStrings.xml"
    ]
    block = b"A" * 2**20
    members.append(
        repeated(
            "xl/sharedStrings.xml",
            XML_HEAD + b"<sst " + MAIN_NS + b' count="2" uniqueCount="2"><si><t>',
            block,
            int(gigabytes * 1024),
            b"</t></si><si><t>x</t></si></sst>",
        )
    )
    return zip_bytes(members)


def xlsx_rows(count: int) -> bytes:
    """A sheet of ``count`` rows of three cells (200,000 rows: about 10 MB unpacked)."""
    rows = [inline_row(1, "จังหวัด", "ปีงบประมาณ", "ครัวเรือน")]
    rows += [
        f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>ตรัง</t></is></c>'
        f'<c r="B{n}"><v>2569</v></c><c r="C{n}"><v>{n}</v></c></row>'.encode()
        for n in range(2, count + 2)
    ]
    return xlsx_with_sheet(sheet_xml(b"".join(rows), f"A1:C{count + 1}"))


KML_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document>'
)
PLACEMARK = (
    "<Placemark><name>ชุมชน</name>".encode()
    + b"<Point><coordinates>100.5,13.75</coordinates></Point></Placemark>"
)


def kmz_bomb(gigabytes: float = 1.6, stated_size: int | None = None) -> bytes:
    """About 1.5 MB holding a KML of ``gigabytes`` GB; ``stated_size`` makes the zip
    directory lie about it."""
    block = PLACEMARK * (2**20 // len(PLACEMARK))
    member = repeated(
        "doc.kml", KML_HEAD, block, int(gigabytes * 2**30 / len(block)), b"</Document></kml>"
    )
    if stated_size is not None:
        member.size = stated_size
    return zip_bytes([member])
