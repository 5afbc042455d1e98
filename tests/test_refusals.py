"""Every refusal of a file, whichever library noticed the fault (Python's ``csv``, the text
codecs, ``zipfile``, openpyxl, expat through defusedxml, ``json``), is a named problem of
``imports.problems.PROBLEMS`` in Thai and English with its place: a cell's row and column
and the limit, a byte, an XML or JSON line and column, an archive's part. The command line
prints it and exits 1 with no traceback and none of the library's words; the store is as it
was; the Data page shows it in the user's language.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from codi_geo.__main__ import main, unexpected_fault
from codi_geo.results.imports import limits, prepare_import, read_table
from codi_geo.results.imports.delimited import long_field
from codi_geo.results.imports.isolated import read_table_isolated
from codi_geo.results.imports.problems import ImportFileError
from codi_geo.results.store import open_store
from synthetic import bombs
from tests.helpers import PROJECT_DIR, table_contents

THAI = re.compile("[\u0e00-\u0e7f]")
LIMIT = f"{limits.MAX_CELL_CHARS:,}"
# What the libraries say in their own words, and what a server's insides look like: never
# in a message to a person.
LIBRARY_WORDS = (
    "Traceback",
    "field larger than field limit",
    "_csv.",
    "Error:",
    "zipfile",
    "openpyxl",
    "BadZipFile",
    "Bad CRC",
    "File is not a zip",
    "Expecting",
    "not well-formed (invalid",
    "Exceeds the limit",
    "unknown encoding:",
    "Error tokenizing",
    "codec can't",
    "no element found",
    "DefusedXml",
    str(PROJECT_DIR),
    "/tmp/",
)
HEADER = "จังหวัด,ปีงบประมาณ,ครัวเรือน,หมายเหตุ\n"
GOOD_ROW = "ตรัง,2569,5,ดี\n"


def _csv_with_cell(
    row: int, column: int, length: int, *, quoted: bool = False, lines_of: int = 0, after: int = 0
) -> bytes:
    """A CSV with one cell of ``length`` characters at ``row`` (1 = the header) and
    ``column`` (0-based); ``lines_of``: quoted, with a newline every so many characters."""
    cells = GOOD_ROW.strip().split(",")
    text = "x" * length
    if lines_of:
        text = "\n".join(text[i : i + lines_of] for i in range(0, length, lines_of))
        length_with_newlines = len(text)
        assert length_with_newlines > length
    cells[column] = f'"{text}"' if quoted or lines_of else text
    rows = [HEADER] + [GOOD_ROW] * (row - 2) + [",".join(cells) + "\n"] + [GOOD_ROW] * after
    return "".join(rows).encode()


def _xlsx_inline_cell(length: int) -> bytes:
    """A sheet whose cell C2 holds ``length`` characters (written by hand: openpyxl cuts a
    cell at Excel's limit when it writes)."""
    rows = bombs.inline_row(1, "จังหวัด", "ปีงบประมาณ", "หมายเหตุ") + bombs.inline_row(
        2, "ตรัง", "2569", "y" * length
    )
    return bombs.xlsx_with_sheet(bombs.sheet_xml(rows, "A1:C2"))


def _xlsx_shared_cell(length: int, used: int = 2) -> bytes:
    """A workbook as Excel writes text: in a shared-string table, the third string (of
    ``length`` characters), which cell B3 uses unless ``used`` is another string's index."""
    parts = bombs._workbook_members()
    ns = b"http://schemas.openxmlformats.org/"
    strings = ["จังหวัด", "ตรัง", "z" * length]
    parts["xl/sharedStrings.xml"] = (
        bombs.XML_HEAD
        + b"<sst "
        + bombs.MAIN_NS
        + b">"
        + b"".join(f"<si><t>{s}</t></si>".encode() for s in strings)
        + b"</sst>"
    )
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    )
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Type="' + ns + b"officeDocument/2006/"
        b'relationships/sharedStrings" Target="sharedStrings.xml" Id="rId9"/></Relationships>',
    )
    rows = (
        b'<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>'
        + "หมายเหตุ".encode()
        + b"</t></is></c></row>"
        b'<row r="2"><c r="A2" t="s"><v>1</v></c><c r="B2"><v>1</v></c></row>'
        b'<row r="3"><c r="A3" t="s"><v>1</v></c><c r="B3" t="s"><v>'
        + str(used).encode()
        + b"</v></c></row>"
    )
    parts["xl/worksheets/sheet1.xml"] = bombs.sheet_xml(rows, "A1:B3")
    return bombs.zip_bytes([bombs.deflated(data, name) for name, data in parts.items()])


def _kmz(kml: bytes, *, crc: int | None = None, flags: int = 0, method: int = 8) -> bytes:
    member = bombs.deflated(kml, "doc.kml")
    if crc is not None:
        member.crc = crc
    data = bytearray(bombs.zip_bytes([member]))
    central = data.find(b"PK\x01\x02")
    data[6] |= flags
    data[central + 8] |= flags
    data[8] = data[central + 10] = method
    return bytes(data)


def _zip_with(name: str, data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(name, data)
    return out.getvalue()


KML = (
    "<kml><Placemark><name>ชุมชน</name><Point><coordinates>100.5,13.75</coordinates>"
    "</Point></Placemark></kml>"
).encode()
LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 '
    b'"&lol;&lol;&lol;&lol;">]><kml><Placemark><name>&lol2;</name></Placemark></kml>'
)

# file name -> (the bytes, the problem's kind, what the English message must name, and the
# Thai). Each names the place: row and column, byte, line and column, or the archive part.
CASES: dict[str, tuple[Callable[[], bytes], str, tuple[str, ...], tuple[str, ...]]] = {
    "cell_2mb.csv": (
        lambda: _csv_with_cell(2, 3, 2 * 2**20),
        "cell_too_long",
        ("row 2, column D", "2,097,152 characters", f"limit of {LIMIT}"),
        ("แถว 2 คอลัมน์ D", "2,097,152 ตัวอักษร", f"ขีดจำกัด {LIMIT}"),
    ),
    "cell_in_row_60.csv": (
        lambda: _csv_with_cell(60, 3, 300_000, after=5),
        "cell_too_long",
        ("row 60, column D", "300,000 characters"),
        ("แถว 60 คอลัมน์ D", "300,000 ตัวอักษร"),
    ),
    "cell_under_csv_limit.csv": (
        lambda: _csv_with_cell(3, 1, 40_000, quoted=True),
        "cell_too_long",
        ("row 3, column B", "40,000 characters"),
        ("แถว 3 คอลัมน์ B", "40,000 ตัวอักษร"),
    ),
    "cell_of_many_lines.csv": (
        lambda: _csv_with_cell(2, 3, 200_000, lines_of=100),
        "cell_too_long",
        ("row 2, column D", f"more than {LIMIT}"),
        ("แถว 2 คอลัมน์ D", f"มากกว่า {LIMIT}"),
    ),
    "header_cell.csv": (
        lambda: ("x" * 150_000 + ",b\n1,2\n").encode(),
        "cell_too_long",
        ("row 1, column A", "150,000"),
        ("แถว 1 คอลัมน์ A",),
    ),
    "open_quote_to_the_end.csv": (
        lambda: (HEADER + 'ตรัง,2569,5,"' + "q" * 200_000).encode(),
        "cell_too_long",
        ("row 2, column D", "more than"),
        ("แถว 2 คอลัมน์ D", "มากกว่า"),
    ),
    "cell_inline.xlsx": (
        lambda: _xlsx_inline_cell(40_000),
        "cell_too_long",
        ("sheet 'Sheet', cell C2 (row 2, column C)", f"more than {LIMIT}"),
        ("เซลล์ C2 (แถว 2 คอลัมน์ C)", f"มากกว่า {LIMIT}"),
    ),
    "cell_shared.xlsx": (
        lambda: _xlsx_shared_cell(50_000),
        "cell_too_long",
        ("cell B3 (row 3, column B)", "50,000 characters"),
        ("เซลล์ B3 (แถว 3 คอลัมน์ B)", "50,000 ตัวอักษร"),
    ),
    "binary.csv": (
        lambda: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8,
        "encoding",
        ("byte 8", "zero (NUL)"),
        ("ไบต์ที่ 8",),
    ),
    "utf16_without_bom.csv": (
        lambda: "province,households\n".encode("utf-16-le"),
        "encoding",
        ("byte 1",),
        ("ไบต์ที่ 1",),
    ),
    "cp874_undefined_byte.csv": (
        lambda: "จังหวัด,ครัวเรือน\nตรัง,5\n".encode("cp874") + b"\xfc",
        "encoding",
        ("byte 25",),
        ("ไบต์ 25",),
    ),
    "bad_utf16.csv": (
        lambda: "a,b\n1,2\n".encode("utf-16") + b"\x00\xd8" + b"x\x00",
        "encoding",
        ("starts as UTF-16", "byte 18"),
        ("ไบต์ 18",),
    ),
    "gb18030.csv": (
        lambda: "省份,受灾家庭\n广东省,35\n北京市,12\n".encode("gb18030") * 3,
        "encoding",
        ("UTF-8",),
        ("UTF-8",),
    ),
    "empty.csv": (lambda: b"", "empty", ("empty",), ("ไฟล์ว่าง",)),
    "not_a_zip.xlsx": (
        lambda: b"just text, named as a workbook",
        "xlsx",
        ("cannot open the Excel file",),
        ("เปิดไฟล์ Excel ไม่ได้",),
    ),
    "zip_junk.xlsx": (
        lambda: b"PK\x03\x04" + bytes(range(256)) * 4,
        "xlsx",
        ("damaged or not an Excel workbook",),
        ("เปิดไฟล์ Excel ไม่ได้",),
    ),
    "truncated.xlsx": (
        lambda: bombs.xlsx_claiming_with_styled_cells()[:3000],
        "xlsx",
        ("cannot open the Excel file",),
        ("เปิดไฟล์ Excel ไม่ได้",),
    ),
    "broken_sheet.xlsx": (
        lambda: bombs.xlsx_with_sheet(b"<worksheet><sheetData><row>"),
        "xml",
        ("part xl/worksheets/sheet1.xml", "line 1, column 28"),
        ("ส่วน xl/worksheets/sheet1.xml", "บรรทัด 1"),
    ),
    "bad_merge.xlsx": (
        lambda: bombs.xlsx_with_sheet(
            bombs.sheet_xml(
                bombs.HEADER_AND_ROW, "A1:C2", b'<mergeCells><mergeCell ref="A1:??"/></mergeCells>'
            )
        ),
        "xml",
        ("merged range 'A1:??'",),
        ("ช่วงที่ผสาน 'A1:??'",),
    ),
    "entities.xlsx": (
        lambda: bombs.xlsx_with_sheet(
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><worksheet/>'
        ),
        "xml",
        ("DOCTYPE/ENTITY",),
        ("DOCTYPE/ENTITY",),
    ),
    "laughs.kml": (lambda: LAUGHS, "xml", ("DOCTYPE/ENTITY",), ("DOCTYPE/ENTITY",)),
    # Columns count characters from 1: the unclosed "</n" after the Thai name; the "n" of
    # the mismatched "</nme>".
    "cut_short.kml": (lambda: KML[:40], "xml", ("line 1, column 28",), ("บรรทัด 1",)),
    "second_line.kml": (
        lambda: b"<kml>\n<Placemark><name>a</nme></Placemark></kml>",
        "xml",
        ("line 2, column 21",),
        ("บรรทัด 2 ตำแหน่ง 21",),
    ),
    "unknown_encoding.kml": (
        lambda: b'<?xml version="1.0" encoding="x-klingon"?><kml/>',
        "xml",
        ("text encoding that is not known",),
        ("รหัสอักขระ",),
    ),
    "binary.kml": (lambda: bytes(range(256)) * 4, "xml", ("line 1, column 1",), ("บรรทัด 1",)),
    "truncated.kmz": (
        lambda: _zip_with("doc.kml", KML)[:-12],
        "archive",
        ("zip archive is damaged",),
        ("เสียหาย",),
    ),
    "bad_crc.kmz": (
        lambda: _kmz(KML, crc=1234),
        "archive",
        ("part doc.kml of the zip archive is damaged",),
        ("ส่วน doc.kml",),
    ),
    "password.kmz": (
        lambda: _kmz(KML, flags=1),
        "archive",
        ("part doc.kml", "password"),
        ("ส่วน doc.kml", "รหัสผ่าน"),
    ),
    "odd_method.kmz": (
        lambda: _kmz(KML, method=7),
        "archive",
        ("part doc.kml", "compression method"),
        ("ส่วน doc.kml",),
    ),
    "bad_kml_inside.kmz": (
        lambda: _zip_with("doc.kml", b"<kml>\n<Placemark>"),
        "xml",
        ("part doc.kml", "line 2, column 12"),
        ("ส่วน doc.kml", "บรรทัด 2"),
    ),
    "not_a_zip.kmz": (lambda: KML, "archive", ("zip archive is damaged",), ("เสียหาย",)),
    "no_kml.kmz": (lambda: _zip_with("readme.txt", b"x"), "kmz", ("holds no KML",), ("KML",)),
    "bad.geojson": (
        lambda: b'{"type": "FeatureCollection",\n "features": [}',
        "geojson",
        ("line 2, column 15",),
        ("บรรทัด 2 ตำแหน่ง 15",),
    ),
    "long_number.geojson": (
        lambda: (
            b'{"type": "FeatureCollection", "features": [\n\n'
            b'{"type": "Feature", "properties": {"n": ' + b"7" * 5000 + b"}}]}"
        ),
        "geojson",
        ("line 3", "4,300 digits"),
        ("บรรทัด 3",),
    ),
    "deep.geojson": (
        lambda: b"[" * 100_000 + b"]" * 100_000,
        "geojson",
        ("nested too deeply",),
        ("ลึกเกินไป",),
    ),
}


def _assert_named(
    th: str, en: str, named_en: tuple[str, ...], named_th: tuple[str, ...], name: str
) -> None:
    for place in named_en:
        assert place in en, (name, en)
    for place in named_th:
        assert place in th, (name, th)
    assert name in en and name in th
    assert THAI.search(th) and not THAI.search(en.replace(name, "")), (th, en)
    for words in LIBRARY_WORDS:
        assert words not in th + en, (name, words, en)


@pytest.mark.parametrize("name", list(CASES))
def test_each_bad_file_is_one_named_problem_with_its_place(name: str) -> None:
    make, kind, named_en, named_th = CASES[name]
    report = prepare_import(make(), name, "temporary_housing").report
    assert report.status == "failed"
    assert [i.kind for i in report.file_errors] == [kind], report.text()
    issue = report.file_errors[0]
    _assert_named(issue.message.th, issue.message.en, named_en, named_th, name)
    assert issue.message.get("en") == issue.message_en and issue.message.get() == issue.message_th


def test_a_cell_at_the_limit_is_read() -> None:
    table = read_table(_csv_with_cell(2, 3, limits.MAX_CELL_CHARS), "at_limit.csv")
    assert len(table.rows[0][3]) == limits.MAX_CELL_CHARS
    table = read_table(_xlsx_shared_cell(limits.MAX_CELL_CHARS), "at_limit.xlsx")
    assert len(table.rows[-1][1]) == limits.MAX_CELL_CHARS


def test_a_long_shared_string_no_cell_uses_is_no_refusal() -> None:
    table = read_table(_xlsx_shared_cell(40_000, used=1), "unused.xlsx")
    assert table.rows[-1] == ["ตรัง", "ตรัง"]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ('a,"' + "b" * 40_000 + '",c\n', (1, 40_000)),
        ('"' + 'x""' * 20_000 + '",c\n', (0, 40_000)),
        ("a;" + "b" * 40_000 + ";c\n", (1, 40_000)),
        ('a,"' + "b" * 40_000, (1, None)),
        ('a,"' + "b" * 30_000 + '"\n' + "c" * 40_000, None),  # the next record's cell
        ("x" * 40_000 + "\n", (0, 40_000)),
        ("x" * 40_000, (0, None)),  # the text ends inside the cell: its length is not known
    ],
)
def test_long_field_splits_as_csv_does(text: str, found: tuple[int, int | None] | None) -> None:
    delimiter = ";" if text.startswith("a;") else ","
    assert long_field(text, delimiter) == found


# A file streamed from disk names the byte in the file, not in the decoder's last chunk.
LINES = b"\xe0\xb8\x95,1\n" * 600_000  # ต,1 in UTF-8: 3.6 MB, several chunks
STREAMED_ENCODINGS = {
    "cp874.csv": (b"a,b\n" * 600_000 + b"\xe0,\xfc\n", "byte 2400002"),
    "bom.csv": (b"\xef\xbb\xbf" + LINES + b"\xff,1\n", "byte 3600003"),
    "zero.csv": (LINES + b"\x00\n", "byte 3600000"),
    "utf16.csv": (
        "a,b\n".encode("utf-16") + "1,2\n".encode("utf-16-le") * 300_000 + b"\x00\xd8",
        "byte 2400010",
    ),
}


@pytest.mark.parametrize("name", list(STREAMED_ENCODINGS))
def test_a_streamed_csv_names_the_byte_in_the_file(name: str, tmp_path: Path) -> None:
    from codi_geo.results.imports.stream import import_csv_file

    data, byte = STREAMED_ENCODINGS[name]
    path = tmp_path / name
    path.write_bytes(data)
    store = open_store(f"sqlite:///{tmp_path / 'store.sqlite'}")
    try:
        before = table_contents(store)
        report = import_csv_file(store, path, "temporary_housing")
        assert report.status == "failed" and [i.kind for i in report.file_errors] == ["encoding"], (
            report.text()
        )
        assert byte in report.file_errors[0].message_en
        assert table_contents(store) == before
    finally:
        store.close()


def test_the_isolated_reader_returns_the_same_named_problem() -> None:
    """The Data page reads in a child process: the problem comes back as the reader named
    it, not as the library's text."""
    with pytest.raises(ImportFileError) as refused:
        read_table_isolated(_csv_with_cell(2, 3, 2 * 2**20), "cell_2mb.csv")
    assert refused.value.kind == "cell_too_long"
    _assert_named(
        refused.value.th, refused.value.en, ("row 2, column D",), ("แถว 2",), "cell_2mb.csv"
    )


# -- the command line: exit 1, the named message, no traceback, the store as it was ---------


@pytest.fixture()
def cli_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A SQLite store holding one stored batch, as ``CODI_GEO_DATABASE_URL``."""
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    monkeypatch.setenv("CODI_GEO_DATABASE_URL", url)
    monkeypatch.setenv("CODI_GEO_DATA_DIR", str(tmp_path))
    good = tmp_path / "good.csv"
    good.write_text("รหัส,ปีงบประมาณ,ครัวเรือน\n92,2569,4\n", encoding="utf-8")
    assert main(["import", str(good), "--programme", "temporary_housing"]) == 0
    yield url


def _contents(url: str) -> dict[str, list[tuple]]:
    store = open_store(url)
    try:
        return table_contents(store)
    finally:
        store.close()


@pytest.mark.parametrize("name", list(CASES))
def test_cli_import_refuses_with_the_named_message(
    name: str, cli_store: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make, _, named_en, named_th = CASES[name]
    path = tmp_path / name
    path.write_bytes(make())
    capsys.readouterr()
    before = _contents(cli_store)
    code = main(["import", str(path), "--programme", "temporary_housing"])
    out, err = capsys.readouterr()
    assert code == 1, out + err
    line = next(line for line in out.splitlines() if "[error]" in line)
    th, _, en = line.partition(" / ")
    _assert_named(th, en, named_en, named_th, name)
    for words in LIBRARY_WORDS:
        assert words not in out + err, words
    assert _contents(cli_store) == before


def _cli(env_url: str, data_dir: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "codi_geo", *argv],
        capture_output=True,
        text=True,
        cwd=PROJECT_DIR,
        check=False,
        timeout=300,
        env={
            "PATH": "/usr/bin:/bin",
            "CODI_GEO_DATABASE_URL": env_url,
            "CODI_GEO_DATA_DIR": str(data_dir),
        },
    )


def test_the_2mb_cell_in_a_real_process_and_streamed(cli_store: str, tmp_path: Path) -> None:
    """The reported crash, run as users run it; then the same cell in a CSV large enough
    to be streamed from disk in chunks (``cli.data.STREAM_FROM_BYTES``)."""
    from codi_geo.cli.data import STREAM_FROM_BYTES

    small = tmp_path / "cell_2mb.csv"
    small.write_bytes(_csv_with_cell(2, 1, 2 * 2**20))
    big = tmp_path / "streamed.csv"
    rows_after = STREAM_FROM_BYTES // len(GOOD_ROW.encode()) + 10
    big.write_bytes(_csv_with_cell(1500, 2, 200_000, after=rows_after))
    assert big.stat().st_size > STREAM_FROM_BYTES
    before = _contents(cli_store)
    for path, place in ((small, "row 2, column B"), (big, "row 1500, column C")):
        done = _cli(cli_store, tmp_path, "import", str(path), "--programme", "temporary_housing")
        assert done.returncode == 1, done.stdout + done.stderr
        assert place in done.stdout and f"over the limit of {LIMIT}" in done.stdout
        assert "เกินขีดจำกัด" in done.stdout
        assert "Traceback" not in done.stderr + done.stdout
        assert "field larger" not in done.stderr + done.stdout
    # The whole file checked by the streamed reader's sniffing too: a long cell in line 3.
    head = tmp_path / "streamed_head.csv"
    head.write_bytes(_csv_with_cell(3, 3, 200_000, after=rows_after))
    done = _cli(
        cli_store,
        tmp_path,
        "import",
        str(head),
        "--programme",
        "temporary_housing",
        "--map",
        "notes=",
    )
    assert done.returncode == 1 and "row 3, column D" in done.stdout, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    assert _contents(cli_store) == before


def test_usage_errors_exit_2_in_both_languages(
    cli_store: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "good.csv"
    code = main(["import", str(good), "--programme", "temporary_housing", "--map", "junk"])
    _, err = capsys.readouterr()
    assert code == 2 and "--map ต้องเป็น FIELD=COLUMN" in err and "--map wants" in err
    code = main(
        [
            "export",
            "--programme",
            "temporary_housing",
            "--fiscal-year",
            "99999",
            "-o",
            str(tmp_path / "out.csv"),
        ]
    )
    _, err = capsys.readouterr()
    assert code == 2 and "fiscal year" in err and "ปีงบประมาณ" in err, err
    assert not (tmp_path / "out.csv").exists()


def test_an_unexpected_fault_is_a_reference_and_the_traceback_goes_to_a_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CODI_GEO_DATA_DIR", str(tmp_path))
    try:
        {}["missing"]  # a real fault, with its real traceback
    except KeyError as error:
        message = unexpected_fault(error)
    ref = re.search(r"reference ([0-9a-f]{8})", message)
    assert ref and "ข้อผิดพลาดที่ไม่คาดคิด" in message and "Traceback" not in message
    logged = (tmp_path / "cli-errors.log").read_text(encoding="utf-8")
    assert f"[ref {ref.group(1)}]" in logged and "Traceback" in logged and "KeyError" in logged


MATCH_CASES = {
    "ragged.csv": (b"place,b\nx,1\ny,2,3\n", "line 3 has 3 cells where the header has 2"),
    "open_quote.csv": (b'place,b\n"x,1\n', 'a quote (") opened on line 2 is never closed'),
    "binary.csv": (bytes(range(128, 256)) * 4, "is not UTF-8"),
    "empty.csv": (b"", "is empty"),
}


@pytest.mark.parametrize("name", list(MATCH_CASES))
def test_match_says_what_is_wrong_with_the_csv_in_its_own_words(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data, said = MATCH_CASES[name]
    path = tmp_path / name
    path.write_bytes(data)
    code = main(["match", str(path), "-o", str(tmp_path / "out.csv")])
    _, err = capsys.readouterr()
    assert code == 1 and said in err and THAI.search(err), err
    for words in LIBRARY_WORDS[:-2]:
        assert words not in err, words
    assert not (tmp_path / "out.csv").exists()


def test_users_says_a_file_it_cannot_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "users.toml"
    path.write_bytes(b"\xff\xfe not text")
    code = main(["users", "add", str(path), "somchai", "--role", "viewer", "--no-password"])
    _, err = capsys.readouterr()
    assert code == 1 and "not UTF-8 text" in err and "ไม่ใช่ข้อความ UTF-8" in err, err
    assert path.read_bytes() == b"\xff\xfe not text"


# -- the Data page --------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["th", "en"])
def test_the_data_page_shows_the_named_problem_in_the_users_language(
    lang: str,
    boundary_cache: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    dev_admin: None,
) -> None:
    from tests.helpers import point_app_at_store, run_page

    url = point_app_at_store(monkeypatch, tmp_path, boundary_cache)
    at = run_page("data", **({"lang": "en"} if lang == "en" else {}))
    assert not at.exception, at.exception
    before = _contents(url)  # the app has loaded its shipped figures
    at.get("file_uploader")[0].set_value(
        ("cell_2mb.csv", _csv_with_cell(2, 3, 2 * 2**20), "text/csv")
    )
    at.run()
    check = "Check (store nothing)" if lang == "en" else "ตรวจสอบ (ยังไม่บันทึก)"
    next(b for b in at.button if b.proto.label == check).click().run()
    assert not at.exception, at.exception
    # Shown as typed: Markdown's punctuation escaped (``guard.plain``), undone here.
    shown = "\n".join(str(e.value) for e in at.error).replace("\\", "")
    if lang == "en":
        assert "row 2, column D holds 2,097,152 characters" in shown, shown
        assert "over the limit of 32,767" in shown and not THAI.search(shown), shown
    else:
        assert "แถว 2 คอลัมน์ D ยาว 2,097,152 ตัวอักษร" in shown, shown
        assert "เกินขีดจำกัด 32,767" in shown and "row 2" not in shown, shown
    assert "field larger" not in shown and "Error" not in shown
    problems = at.dataframe[0].value
    assert "2,097,152" in problems.iloc[0].iloc[-1]
    assert _contents(url) == before
