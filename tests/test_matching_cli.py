"""``python -m codi_geo match INPUT.csv -o OUTPUT.csv`` run as a separate process."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

from codi_geo.places import gazetteer

PROJECT_DIR = Path(__file__).resolve().parents[1]


def run_match(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "codi_geo", "match", *map(str, args)],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )


def write_bom_csv(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(rows)


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def tambon_code(name_th: str, province_name: str) -> str:
    tambons, provinces = gazetteer.tambons(), gazetteer.provinces()
    province = provinces.loc[provinces["name_th"] == province_name, "code"].item()
    found = tambons[(tambons["name_th"] == name_th) & (tambons["province_code"] == province)]
    return str(found["code"].item())


def test_match_writes_codes_and_keeps_the_input(tmp_path: Path) -> None:
    source, output = tmp_path / "places.csv", tmp_path / "out.csv"
    rows = [
        ["place", "province", "ที่มา"],
        ["ต.ตลาด อ.เมือง จ.สุราษฎร์ธานี", "", "แถว 1"],
        ["ตำบลหรือเสาะ", "จังหวัดนราธิวาส", "แถว 2"],
        ["ตำบลท่าเรือ", "", "แถว 3"],
        ["ชุมชนสุริยมณี", "", "แถว 4"],
    ]
    write_bom_csv(source, rows)
    done = run_match(source, "-o", output)
    assert done.returncode == 0, done.stderr
    out = read_csv(output)
    assert list(out[0]) == [*rows[0], "code", "level", "status", "score", "candidates"]
    assert [r["ที่มา"] for r in out] == ["แถว 1", "แถว 2", "แถว 3", "แถว 4"]
    assert [r["place"] for r in out] == [r[0] for r in rows[1:]]
    assert [r["status"] for r in out] == ["matched", "matched", "ambiguous", "unmatched"]
    assert out[0]["code"] == tambon_code("ตลาด", "สุราษฎร์ธานี")
    assert out[1]["code"] == tambon_code("รือเสาะ", "นราธิวาส")
    assert out[0]["level"] == "tambon" and float(out[0]["score"]) == 100
    assert out[2]["code"] == "" and out[3]["code"] == ""
    listed = [c.split(" ", 1) for c in out[2]["candidates"].split("; ")]  # code name; ...
    tambons = gazetteer.tambons()
    tha_ruea = set(tambons.loc[tambons["name_th"] == "ท่าเรือ", "code"])
    assert len(listed) == min(5, len(tha_ruea)) > 1
    assert all(code in tha_ruea and "ต.ท่าเรือ" in name for code, name in listed)
    summary = done.stderr.strip().splitlines()[-1]
    assert summary == "4 rows: matched 2, ambiguous 1, unmatched 1"


def test_other_column_names(tmp_path: Path) -> None:
    source, output = tmp_path / "places.csv", tmp_path / "out.csv"
    write_bom_csv(source, [["ตำบล", "จังหวัด"], ["ท่าเรือ", "สตูล"]])
    done = run_match(source, "-o", output, "--place-column", "ตำบล", "--province-column", "จังหวัด")
    assert done.returncode == 0, done.stderr
    assert read_csv(output)[0]["code"] == tambon_code("ท่าเรือ", "สตูล")


def test_missing_place_column_exits_1_with_thai_and_english(tmp_path: Path) -> None:
    source, output = tmp_path / "no_place.csv", tmp_path / "out.csv"
    write_bom_csv(source, [["name", "province"], ["ท่าเรือ", "สตูล"]])
    done = run_match(source, "-o", output)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "no_place.csv" in done.stderr
    assert "ไม่มีคอลัมน์ 'place'" in done.stderr
    assert "has no 'place' column" in done.stderr
    assert not output.exists()


def test_unreadable_files_exit_1_missing_files_2(tmp_path: Path) -> None:
    not_utf8 = tmp_path / "latin.csv"
    not_utf8.write_bytes("place\nต.ตลาด\n".encode("cp874"))
    done = run_match(not_utf8, "-o", tmp_path / "out.csv")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "UTF-8" in done.stderr and "latin.csv" in done.stderr

    done = run_match(tmp_path / "missing.csv", "-o", tmp_path / "out.csv")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "ไม่พบไฟล์" in done.stderr and "file not found" in done.stderr
