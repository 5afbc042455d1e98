"""Files and imports: uploads that never crash, never explode, never run formulas.

Hostile files are made by ``synthetic/bombs.py`` (small on disk); their time and peak memory are
measured in a fresh child process (the kernel's peak resident size, reset before the read,
less the resident size then), so the rest of the test session can neither hide nor inflate
them.
"""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from codi_geo.places import boundaries
from codi_geo.programmes import get_programme
from codi_geo.results import sheets
from codi_geo.results.imports import ImportOptions, import_file, limits, prepare_import, read_table
from codi_geo.results.imports.isolated import read_table_isolated
from codi_geo.results.imports.problems import ImportFileError
from codi_geo.results.store import ResultRow, Store
from synthetic import bombs
from tests.helpers import BACKENDS, empty_store

PROJECT = Path(__file__).resolve().parent.parent
THAI = re.compile("[\u0e00-\u0e7f]")


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path):
    with empty_store(request.param, tmp_path) as opened:
        yield opened


def _bilingual(th: str, en: str) -> None:
    assert THAI.search(th) and en and not THAI.search(en.split("'")[0]), (th, en)


# -- bombs: refused within seconds and well under 1 GB ---------------------------------------


def _measured_read(data: bytes, name: str, tmp_path: Path) -> dict:
    path = tmp_path / name
    path.write_bytes(data)
    done = subprocess.run(
        [sys.executable, "-c", bombs.MEASURE_SCRIPT, str(path), name],
        capture_output=True,
        text=True,
        cwd=PROJECT,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


BOMBS = {
    # name: (maker, what the refusal must name)
    "claimed_sheet.xlsx": (bombs.xlsx_claiming_huge_sheet, "XFD1048576"),
    "huge_shared_string.xlsx": (bombs.xlsx_huge_shared_string, "100 MB"),
    "rows_200000.xlsx": (lambda: bombs.xlsx_rows(200_000), "100,050 rows"),
    "many_merges.xlsx": (lambda: bombs.xlsx_many_merges(limits.MAX_MERGED + 1), "merged"),
    "kml_1_6_gb.kmz": (bombs.kmz_bomb, "100 MB"),
    "lying_directory.kmz": (lambda: bombs.kmz_bomb(stated_size=5_000_000), "damaged"),
}


@pytest.mark.parametrize("name", list(BOMBS))
def test_bombs_are_refused_within_seconds_and_memory(name: str, tmp_path: Path) -> None:
    maker, named = BOMBS[name]
    data = maker()
    assert len(data) < 8 * 2**20  # small on disk
    outcome = _measured_read(data, name, tmp_path)
    assert "kind" in outcome, outcome
    assert named in outcome["en"], outcome
    _bilingual(outcome["th"], outcome["en"])
    assert outcome["seconds"] < 15, outcome
    assert outcome["peak_kb"] < 300 * 1024, outcome  # well under 1 GB


def test_a_claimed_or_merged_sheet_with_little_content_reads_fast(tmp_path: Path) -> None:
    for name, maker in (
        ("styled.xlsx", bombs.xlsx_claiming_with_styled_cells),
        ("merged.xlsx", bombs.xlsx_merged_over_sheet),
    ):
        outcome = _measured_read(maker(), name, tmp_path)
        assert outcome.get("rows") == 1, outcome
        assert outcome["seconds"] < 5 and outcome["peak_kb"] < 100 * 1024, outcome


def test_the_upload_limit_matches_the_importer() -> None:
    config = tomllib.loads((PROJECT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["maxUploadSize"] * limits.MB == limits.MAX_FILE_BYTES
    too_big = b"a,b\n" + b"1,2\n" * (limits.MAX_FILE_BYTES // 4 + 1)
    report = prepare_import(too_big, "big.csv", "disaster").report
    assert report.file_errors[0].kind == "too_big"
    assert "20 MB" in report.file_errors[0].message_en


def test_csv_rows_and_cells_are_bounded() -> None:
    rows = "จังหวัด,ครัวเรือน\n" + "ตรัง,1\n" * (limits.MAX_ROWS + 100)
    with pytest.raises(ImportFileError, match="100,000 rows"):
        read_table(rows.encode(), "rows.csv")
    wide = ("a," * (limits.MAX_COLUMNS + 5) + "\n").encode()
    with pytest.raises(ImportFileError, match="500 columns"):
        read_table(wide, "wide.csv")


def test_isolated_read_returns_the_table_and_caps_memory() -> None:
    text = "จังหวัด,ปีงบประมาณ,ครัวเรือน\nตรัง,2569,5\n"
    table = read_table_isolated(text.encode(), "a.csv", None, "temporary_housing")
    assert table.headers == ["จังหวัด", "ปีงบประมาณ", "ครัวเรือน"] and table.rows == [
        ["ตรัง", "2569", "5"]
    ]
    # Within every limit, but more than 64 MB to hold as text cells: the cap stops it.
    big = (
        "a,b,c,d,e,f,g,h\n"
        + "".join(",".join(f"{n:08d}-{c:012d}" for c in range(8)) + "\n" for n in range(95_000))
    ).encode()
    assert len(big) < limits.MAX_FILE_BYTES
    with pytest.raises(ImportFileError, match="64 MB") as refused:
        read_table_isolated(big, "big.csv", memory_mb=64)
    assert refused.value.kind == "limit"
    # The same error comes back from the child as the reader raised it.
    with pytest.raises(ImportFileError, match="empty"):
        read_table_isolated(b"", "e.csv")


# -- XML through defusedxml, whatever the encoding --------------------------------------------

LAUGHS = (
    '<?xml version="1.0" encoding="{enc}"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    "<kml><Placemark><name>&lol2;</name></Placemark></kml>"
)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_entities_are_refused_in_any_encoding(encoding: str) -> None:
    data = LAUGHS.format(enc=encoding.upper()).encode(encoding)
    report = prepare_import(data, "laughs.kml", "disaster").report
    assert [i.kind for i in report.file_errors] == ["xml"]
    sheet = bombs.xlsx_with_sheet(
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><worksheet '
        + bombs.MAIN_NS
        + b'><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&a;</t></is></c></row>'
        b"</sheetData></worksheet>"
    )
    with pytest.raises(ImportFileError, match="DOCTYPE"):
        read_table(sheet, "laughs.xlsx")


# -- no traceback: every input fault a message ---------------------------------------------------

_POINT = {"type": "Point", "coordinates": [100.5, 13.75]}
MALFORMED_GEOJSON = [
    b"not json at all",
    b"[1, 2, 3]",
    b'"a string"',
    b'{"type": "FeatureCollection", "features": {"a": 1}}',
    b'{"type": "FeatureCollection", "features": ["a feature?", null, 5]}',
    json.dumps(
        {
            "type": "FeatureCollection",
            "features": [{"type": "Feature", "properties": ["a", "list"], "geometry": _POINT}],
        }
    ).encode(),
    json.dumps(
        {
            "type": "FeatureCollection",
            "features": [{"type": "Feature", "properties": {}, "geometry": "POINT(100 13)"}],
        }
    ).encode(),
    json.dumps(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {},
                    "geometry": {"type": "Point", "coordinates": ["x", "y"]},
                }
            ],
        }
    ).encode(),
    json.dumps(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {},
                    "geometry": {"type": "Point", "coordinates": 100.5},
                }
            ],
        }
    ).encode(),
    json.dumps(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {},
                    "geometry": {"type": "Point", "coordinates": [[100.5, 13.7]]},
                }
            ],
        }
    ).encode(),
    b'{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {},'
    b' "geometry": {"type": "Point", "coordinates": [NaN, Infinity]}}]}',
    json.dumps(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {},
                    "geometry": {"type": "Point", "coordinates": [True, False]},
                }
            ],
        }
    ).encode(),
    b"[" * 100_000 + b"]" * 100_000,
    json.dumps(
        {
            "type": "FeatureCollection",
            "features": [
                {"type": "Feature", "properties": {f"p{i}": 1}, "geometry": _POINT}
                for i in range(limits.MAX_COLUMNS + 1)
            ],
        }
    ).encode(),
]


@pytest.mark.parametrize("number", range(len(MALFORMED_GEOJSON)))
def test_malformed_geojson_gives_a_message(number: int) -> None:
    report = prepare_import(
        MALFORMED_GEOJSON[number], "bad.geojson", "disaster", ImportOptions(fiscal_year=2569)
    ).report
    assert report.errors  # the file, or its one feature, refused with a reason
    for issue in report.errors:
        _bilingual(issue.message_th, issue.message_en)


def test_damaged_archives_give_a_message() -> None:
    kml = (
        "<kml><Placemark><name>ชุมชน</name><Point><coordinates>100.5,13.75</coordinates>"
        "</Point></Placemark></kml>"
    ).encode()
    good = bombs.zip_bytes([bombs.deflated(kml, "doc.kml")])
    cases = {
        "truncated.kmz": good[: len(good) // 2],
        "bad_crc.kmz": bombs.zip_bytes(
            [bombs.Member("doc.kml", bombs.deflated(kml, "x").compressed, 1234, len(kml))]
        ),
        "bad_kml.kmz": bombs.zip_bytes([bombs.deflated(b"<kml><Placemark>", "doc.kml")]),
        "no_kml.kmz": bombs.zip_bytes([bombs.deflated(b"x", "readme.txt")]),
        "garbage.kmz": b"PK\x03\x04" + b"\x00" * 50,
        "truncated.xlsx": bombs.xlsx_claiming_with_styled_cells()[:3000],
    }
    for name, data in cases.items():
        report = prepare_import(data, name, "disaster").report
        assert report.status == "failed" and len(report.file_errors) == 1, name
        error = report.file_errors[0]
        assert name in error.message_en, name
        _bilingual(error.message_th, error.message_en)


def test_encodings_are_read_or_refused_never_garbled() -> None:
    bad_bom = b"\xef\xbb\xbf\xe0\xb8\x88\xe0\xb8\xb1,b\n\xff\xfe,2\n"
    report = prepare_import(bad_bom, "bom.csv", "disaster").report
    assert (
        report.file_errors[0].kind == "encoding" and "byte 12" in report.file_errors[0].message_en
    )
    chinese = "省份,受灾家庭,纬度,经度\n广东省,35,23.1,113.2\n北京市,12,39.9,116.4\n"
    report = prepare_import(chinese.encode("gb18030"), "gb.csv", "disaster").report
    assert [i.kind for i in report.file_errors] == ["encoding"]
    assert "UTF-8" in report.file_errors[0].message_en
    thai = "จังหวัด,อำเภอ,ตำบล,ปีงบประมาณ,จำนวนครัวเรือน\nสระแก้ว,โคกสูง,หนองแวง,๒๕๖๙,๑๒๐\n"
    table = read_table(thai.encode("cp874"), "thai.csv")
    assert table.encoding == "cp874" and table.rows[0][2] == "หนองแวง"


def test_a_dash_in_both_coordinate_cells_means_no_coordinates() -> None:
    text = (
        "ตำบล,อำเภอ,จังหวัด,ประเภทภัย,ครัวเรือน,ละติจูด,ลองจิจูด,ปีงบประมาณ\n"
        "คลองแดน,ระโนด,สงขลา,น้ำท่วม,12,-,-,2569\n"
    )
    prepared = prepare_import(text.encode(), "dash.csv", "disaster")
    assert not prepared.report.errors, prepared.report.text()
    assert [(r.level, r.code, r.latitude) for r in prepared.rows] == [("tambon", "900702", None)]


def test_damaged_boundary_cache_says_how_to_rebuild(tmp_path: Path, boundary_cache: Path) -> None:
    damaged = tmp_path / "boundaries"
    damaged.mkdir()
    (damaged / boundaries.MANIFEST_NAME).write_text("{not json", encoding="utf-8")
    boundaries.layer_file(damaged, "tambon", "full").write_bytes(b"PAR1 not a parquet")
    with pytest.raises(boundaries.BoundaryError, match="boundaries build"):
        boundaries.load_manifest(damaged)
    text = "ชื่อ,ประเภทภัย,ครัวเรือน,ละติจูด,ลองจิจูด,ปีงบประมาณ\nก,น้ำท่วม,1,13.75,100.5,2569\n"
    report = prepare_import(
        text.encode(), "pins.csv", "disaster", ImportOptions(boundary_dir=damaged)
    ).report
    assert [i.kind for i in report.errors] == ["boundaries"]
    assert "boundaries build" in report.errors[0].message_en
    done = subprocess.run(
        [sys.executable, "-m", "codi_geo", "boundaries", "info", "--cache-dir", str(damaged)],
        capture_output=True,
        text=True,
        cwd=PROJECT,
        check=False,
    )
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "boundaries build" in done.stderr + done.stdout


@pytest.mark.parametrize("url", ["postgresql://u:secret@db:notaport/x", "postgresq://x", "x"])
def test_a_bad_database_url_is_a_message(url: str, tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "codi_geo", "batches"],
        capture_output=True,
        text=True,
        cwd=PROJECT,
        check=False,
        env={
            "PATH": "/usr/bin:/bin",
            "CODI_GEO_DATABASE_URL": url,
            "CODI_GEO_DATA_DIR": str(tmp_path),
        },
    )
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr and "CODI_GEO_DATABASE_URL" in done.stderr
    assert "secret" not in done.stderr


# -- one formula-safe writer -------------------------------------------------------------------

HOSTILE = [
    '=HYPERLINK("http://x","click")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "-2+3",
    "\t=1",
    "\r=1",
    "＝1+1",
]


def _cells(data: bytes) -> list[str]:
    import csv
    import io

    text = data.decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def test_the_writer_guards_text_and_keeps_numbers() -> None:
    for value in HOSTILE:
        assert sheets.safe_cell(value) == "'" + value
    for value in ("-12.5", "+5", "-", "—", "ตรัง", "", "1e5"):
        assert sheets.safe_cell(value) == value
    assert sheets.safe_cell(-5.0) == -5.0
    frame = pd.DataFrame({"name": HOSTILE, "figure": [-1.5, 2, 3, 4, 5, 6, 7]})
    cells = _cells(sheets.frame_csv_bytes(frame))
    assert all(("'" + v) in cells for v in HOSTILE) and "-1.5" in cells


def test_every_writer_neutralises_formulas(tmp_path: Path) -> None:
    from codi_geo.cli.matching import write_csv
    from codi_geo.outputs import exports
    from codi_geo.results.dump import csv_bytes

    frame = pd.DataFrame({"place": HOSTILE, "score": range(len(HOSTILE))})
    outputs = {
        "outputs.exports.to_csv_bytes": exports.to_csv_bytes(frame),
        "results.dump.csv_bytes": csv_bytes(frame),
    }
    write_csv(frame, tmp_path / "m.csv")
    outputs["cli match"] = (tmp_path / "m.csv").read_bytes()
    text = "จังหวัด,ครัวเรือน,ปีงบประมาณ,หมายเหตุ\n" + "".join(
        f'ตรัง,x{i},2569,"{v}"\n'.replace('"=', '"=')
        for i, v in enumerate(h.replace('"', '""') for h in HOSTILE)
    )
    report = prepare_import(text.encode(), "f.csv", "temporary_housing").report
    assert report.rejected_rows
    report.issues = [*report.issues]
    outputs["report"] = report.to_csv_bytes()
    outputs["rejects"] = report.rejects_csv_bytes()
    for where, data in outputs.items():
        cells = _cells(data)
        live = [c for c in cells if c.startswith(sheets.FORMULA_STARTS) and sheets.needs_guard(c)]
        assert not live, (where, live)
    assert any(c == "'" + HOSTILE[0] for c in _cells(outputs["rejects"]))


def test_cli_export_writes_no_live_formula(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    env = {
        "PATH": "/usr/bin:/bin",
        "CODI_GEO_DATABASE_URL": url,
        "CODI_GEO_DATA_DIR": str(tmp_path),
    }
    source = tmp_path / "in.csv"
    source.write_text(
        "รหัส,ชื่อ,ปีงบประมาณ,ครัวเรือน\n"
        + "".join(
            f'92,"{h.replace(chr(34), chr(34) * 2)}",2569,{i + 1}\n'
            for i, h in enumerate(HOSTILE[:4])
        ),
        encoding="utf-8",
    )
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "codi_geo",
            "import",
            str(source),
            "--programme",
            "temporary_housing",
            "--report",
            str(tmp_path / "r.csv"),
        ],
        capture_output=True,
        text=True,
        cwd=PROJECT,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    out = tmp_path / "out.csv"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "codi_geo",
            "export",
            "--programme",
            "temporary_housing",
            "-o",
            str(out),
        ],
        capture_output=True,
        text=True,
        cwd=PROJECT,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    cells = _cells(out.read_bytes())
    for hostile in HOSTILE[:4]:
        assert "'" + hostile in cells and hostile not in cells


# -- forgiving where people are right -------------------------------------------------------------

COASTAL_PROVINCES = ("90", "83", "20", "23", "94")  # Songkhla, Phuket, Chonburi, Trat, Pattani


def _coastal_pins(cache: Path, metres: float = 300) -> list[tuple[float, float, str]]:
    """(lat, lon, tambon code) of one pin per coastal province, ``metres`` seaward of a
    tambon's edge (outside every tambon): the generated stand-ins for five coastal
    communities whose pins fall just off the simplified coastline."""
    layer = boundaries.load_layer("tambon", "full", cache)
    pins = []
    for province in COASTAL_PROVINCES:
        found = None
        for code, shape in zip(layer["code"], layer.geometry, strict=True):
            if not code.startswith(province) or found:
                continue
            centre = shape.centroid
            ring = max(getattr(shape, "geoms", [shape]), key=lambda p: p.area).exterior
            for x, y in list(ring.coords)[::7]:
                scale = math.cos(math.radians(y))
                dx, dy = (x - centre.x) * scale, y - centre.y
                length = math.hypot(dx, dy) or 1
                lon = x + dx / length * metres / boundaries.METRES_PER_DEGREE / scale
                lat = y + dy / length * metres / boundaries.METRES_PER_DEGREE
                if boundaries.locate_points([lon], [lat], cache)[0] is not None:
                    continue
                near, distance = boundaries.nearest_tambons([lon], [lat], 1000, cache)
                if near[0] == code and metres * 2 / 3 < distance[0] < metres * 4 / 3:
                    found = (round(lat, 6), round(lon, 6), code)
                    break
        assert found, province
        pins.append(found)
    return pins


def test_coastal_pins_land_in_their_tambons_and_the_open_sea_is_refused(
    store: Store, boundary_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pins = _coastal_pins(boundary_cache)
    lines = [
        f"ชุมชนชายฝั่ง {i},น้ำท่วม,{i + 1},{lat},{lon},2569" for i, (lat, lon, _) in enumerate(pins)
    ]
    text = "ชื่อ,ประเภทภัย,ครัวเรือน,ละติจูด,ลองจิจูด,ปีงบประมาณ\n" + "\n".join(lines) + "\n"
    report = import_file(
        store, text.encode(), "coast.csv", "disaster", ImportOptions(boundary_dir=boundary_cache)
    )
    assert report.status == "stored", report.text()
    assert [i.kind for i in report.warnings] == ["near_tambon"] * 5
    assert "m from" in report.warnings[0].message_en
    assert sorted(store.results("disaster")["code"]) == sorted(code for *_, code in pins)
    sea = text.splitlines()[0] + "\nกลางอ่าวไทย,น้ำท่วม,1,10.5,101.0,2569\n"
    refused = prepare_import(
        sea.encode(), "sea.csv", "disaster", ImportOptions(boundary_dir=boundary_cache)
    ).report
    assert [i.kind for i in refused.errors] == ["outside_tambons"]
    assert "1,000 m" in refused.errors[0].message_en
    monkeypatch.setenv("CODI_GEO_NEAR_TAMBON_METRES", "0")
    from codi_geo import settings

    settings.clear()
    strict = prepare_import(
        text.encode(), "coast2.csv", "disaster", ImportOptions(boundary_dir=boundary_cache)
    ).report
    assert [i.kind for i in strict.errors] == ["outside_tambons"] * 5


def test_nearest_tambon_distance_is_in_metres(boundary_cache: Path) -> None:
    ((lat, lon, code),) = _coastal_pins(boundary_cache, metres=600)[:1]
    near, metres = boundaries.nearest_tambons([lon, 101.0], [lat, 10.5], 1000, boundary_cache)
    assert near[0] == code and 400 < metres[0] < 800
    assert near[1] is None and np.isnan(metres[1])
    # The distance is in metres: just beyond it nothing is near, just within it the tambon.
    found = boundaries.nearest_tambons([lon], [lat], metres[0] + 20, boundary_cache)
    assert found[0][0] == code
    assert boundaries.nearest_tambons([lon], [lat], metres[0] - 20, boundary_cache)[0][0] is None
    # Checked against pyproj's geodesic distance to the nearest point of the shape.
    import pyproj
    import shapely

    layer = boundaries.load_layer("tambon", "full", boundary_cache)
    shape = layer.loc[layer["code"] == code].geometry.iloc[0]
    nearest = shapely.ops.nearest_points(shape, shapely.Point(lon, lat))[0]
    geodesic = pyproj.Geod(ellps="WGS84").inv(lon, lat, nearest.x, nearest.y)[2]
    assert abs(geodesic - metres[0]) < 0.01 * geodesic


EVERYDAY = {
    "น้ำท่วม": "flood",
    "น้ำป่าไหลหลาก": "flood",
    "ไฟไหม้": "fire",
    "ไฟไหม้ชุมชน": "fire",
    "สู้รบชายแดน": "border_conflict",
    "ปะทะ": "border_conflict",
    "ความไม่สงบชายแดนไทย-กัมพูชา": "border_conflict",
    "พายุ": "storm",
    "ดินถล่ม": "landslide",
    "อุทกภัย": "flood",
    "Fire": "fire",
}


def test_everyday_category_words_import() -> None:
    lines = [f"ชุมชน {i},คลองแดน,ระโนด,สงขลา,{word},{i + 1},2569" for i, word in enumerate(EVERYDAY)]
    text = "ชื่อ,ตำบล,อำเภอ,จังหวัด,ประเภทภัย,ครัวเรือน,ปีงบประมาณ\n" + "\n".join(lines) + "\n"
    prepared = prepare_import(text.encode(), "words.csv", "disaster")
    assert not prepared.report.errors, prepared.report.text()
    assert [r.category for r in prepared.rows] == list(EVERYDAY.values())
    # A clear typo is read as the nearest category, with a warning naming both.
    typo = "ตำบล,อำเภอ,จังหวัด,ประเภทภัย,ครัวเรือน,ปีงบประมาณ\nคลองแดน,ระโนด,สงขลา,อุทกภย,1,2569\n"
    prepared = prepare_import(typo.encode(), "typo.csv", "disaster")
    assert [r.category for r in prepared.rows] == ["flood"]
    assert [i.kind for i in prepared.report.warnings] == ["category_guessed"]
    assert "'อุทกภย'" in prepared.report.warnings[0].message_en
    assert "flood (Flood)" in prepared.report.warnings[0].message_en
    # A word too far from every category is refused, with the closest one named.
    unclear = typo.replace("อุทกภย", "น้ำทะลัก")
    report = prepare_import(unclear.encode(), "unclear.csv", "disaster").report
    assert [i.kind for i in report.errors] == ["category"]
    assert "closest: flood" in report.errors[0].message_en
    assert "ใกล้เคียง: อุทกภัย" in report.errors[0].message_th
    housing = get_programme("temporary_housing")
    assert housing.category("fire") and "อัคคีภัย" in housing.category("fire").aliases


def test_the_same_fact_from_another_source_line_is_flagged(store: Store) -> None:
    header = "รหัส,ปีงบประมาณ,ไตรมาส,สาเหตุ,ครัวเรือน,แหล่งที่มา,บรรทัด\n"
    first = header + "92,2569,1,ไฟไหม้,12,รายงาน ไตรมาส 1,L10\n"
    stored = import_file(store, first.encode(), "a.csv", "temporary_housing")
    assert stored.status == "stored", stored.text()
    again = header + "92,2569,1,ไฟไหม้,12,รายงาน ไตรมาส 1,L99\n"
    report = import_file(store, again.encode(), "b.csv", "temporary_housing")
    assert report.status == "failed"
    assert [i.kind for i in report.errors] == ["duplicate_fact"]
    assert "counted twice" in report.errors[0].message_en
    assert store.count_results() == 1
    twice = header + ("92,2569,2,ไฟไหม้,7,ก,L1\n92,2569,2,ไฟไหม้,7,ข,L2\n92,2569,2,ไฟไหม้,8,ค,L3\n")
    report = import_file(
        store, twice.encode(), "c.csv", "temporary_housing", ImportOptions(valid_only=True)
    )
    assert [(i.row, i.kind) for i in report.errors] == [(3, "duplicate_fact")]
    assert report.status == "stored" and store.count_results() == 3


def test_fact_key_ignores_the_citation_only() -> None:
    from codi_geo.results.records import fact_key

    row = ResultRow(
        "disaster",
        2569,
        1,
        "tambon",
        "900702",
        {"households": 12.0},
        category="flood",
        source_doc="a",
        source_line="1",
    )
    same = ResultRow(
        "disaster",
        2569,
        1,
        "tambon",
        "900702",
        {"households": 12},
        category="flood",
        source_doc="b",
        source_line="2",
        source_row=9,
    )
    other = ResultRow("disaster", 2569, 1, "tambon", "900702", {"households": 13}, category="flood")
    assert fact_key(row) == fact_key(same) != fact_key(other)
