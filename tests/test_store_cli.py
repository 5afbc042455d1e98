"""The store's command line (``python -m codi_geo programmes|import|export|batches|undo|
load-shipped``) against a real SQLite file and a real PostgreSQL database, chosen the way
users choose it: ``CODI_GEO_DATABASE_URL``."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from codi_geo.__main__ import main
from codi_geo.programmes import PROGRAMMES
from codi_geo.results.store import open_store
from tests.helpers import BACKENDS, PROJECT_DIR, empty_database

FIXTURES = Path(__file__).resolve().parent / "data" / "imports"
GOOD = FIXTURES / "baan_mankong_rural_thai_excel.csv"
BROKEN = FIXTURES / "baan_mankong_rural_broken.csv"


@pytest.fixture(params=BACKENDS)
def database(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """An empty store, set as ``CODI_GEO_DATABASE_URL`` for the commands."""
    with empty_database(request.param, tmp_path) as url:
        monkeypatch.setenv("CODI_GEO_DATABASE_URL", url)
        yield url


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def read_csv(path: Path) -> list[dict[str, str]]:
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf"), "CSV for Excel must start with a UTF-8 BOM"
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def batch_lines(capsys: pytest.CaptureFixture[str]) -> list[dict[str, str]]:
    code, out, _ = run(capsys, "batches")
    assert code == 0
    return list(csv.DictReader(io.StringIO(out), delimiter="\t"))


def test_programmes_lists_each_declared_programme(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "programmes")
    assert code == 0
    lines = [line.split("\t") for line in out.splitlines()]
    assert [line[0] for line in lines] == [p.id for p in PROGRAMMES]
    assert all(len(line) == 3 for line in lines)
    assert lines[0] == ["model_tambon", "ตำบลต้นแบบ", "tambon"]


def test_import_export_batches_undo(
    database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(
        capsys, "import", str(GOOD), "--programme", "baan_mankong_rural", "--who", "ภาคตะวันออก"
    )
    assert code == 0, out
    assert "stored 5 row(s) as batch 1" in out and "บันทึก 5 แถว เป็นชุดที่ 1" in out

    code, out, _ = run(capsys, "import", str(GOOD), "--programme", "baan_mankong_rural")
    assert code == 0 and "already stored as batch 1" in out

    batches = batch_lines(capsys)
    assert [(b["id"], b["status"], b["rows_stored"], b["created_by"]) for b in batches] == [
        ("1", "active", "5", "ภาคตะวันออก")
    ]

    exported = tmp_path / "export.csv"
    code, _, err = run(capsys, "export", "--programme", "baan_mankong_rural", "-o", str(exported))
    assert code == 0 and "5" in err
    rows = read_csv(exported)
    assert [r["tambon_code"] for r in rows] == ["270803", "901104", "500108", "400115", "130206"]
    assert (rows[0]["province_th"], rows[0]["district_th"], rows[0]["tambon_th"]) == (
        "สระแก้ว",
        "โคกสูง",
        "หนองแวง",
    )
    assert rows[0]["fiscal_year"] == "2569" and rows[0]["quarter"] == "1"
    assert rows[0]["households"] == "120" and rows[3]["budget_baht"] == "25500000"
    assert rows[4]["households"] == ""  # "-" in the file: no figure
    assert rows[0]["batch_file_name"] == GOOD.name and rows[0]["source_row"] == "3"

    code, out, _ = run(capsys, "undo", "1", "--who", "ผู้ดูแล")
    assert code == 0 and "undid batch 1" in out
    code, _, err = run(capsys, "undo", "1")
    assert code == 1 and "already undone" in err
    code, _, err = run(capsys, "undo", "42")
    assert code == 1 and "no batch 42" in err
    assert batch_lines(capsys)[0]["status"] == "undone"
    run(capsys, "export", "--programme", "baan_mankong_rural", "-o", str(exported))
    assert read_csv(exported) == []
    code, out, _ = run(capsys, "audit")  # every import and undo, with who, as JSON Lines
    records = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and [
        (r["who"], r["action"], r["batch_id"], r["row_count"]) for r in records
    ] == [("ภาคตะวันออก", "import", 1, 5), ("ผู้ดูแล", "undo", 1, 5)]
    assert all(r["at"].endswith("+00:00") for r in records)


def test_a_refused_import_exits_1_with_the_report(
    database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report_path = tmp_path / "report.csv"
    code, out, _ = run(
        capsys,
        "import",
        str(BROKEN),
        "--programme",
        "baan_mankong_rural",
        "--report",
        str(report_path),
    )
    assert code == 1
    assert "แถว 3 คอลัมน์ 'ไตรมาส'" in out and "row 3, column 'ไตรมาส'" in out
    assert "row 10" in out and "nothing was stored" in out
    report = list(csv.reader(io.StringIO(report_path.read_bytes().decode("utf-8-sig"))))
    assert [r[0] for r in report[1:]] == ["3", "4", "5", "6", "7", "8", "10"]
    assert batch_lines(capsys) == []


def test_valid_only_writes_the_rejects(
    database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rejects = tmp_path / "rejects.csv"
    code, out, _ = run(
        capsys,
        "import",
        str(BROKEN),
        "--programme",
        "baan_mankong_rural",
        "--valid-only",
        "--rejects",
        str(rejects),
    )
    assert code == 0, out
    assert "stored 2 row(s)" in out and "7 row(s) rejected" in out
    rows = read_csv(rejects)
    assert [r["ตำบล"] for r in rows][:4] == ["คอหงส์", "คอหงส์", "ในเมือง", "ฮฮฮฮฮฮฮฮฮฮ"]
    assert batch_lines(capsys)[0]["mode"] == "valid_only"


def test_dry_run(database: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "import", str(GOOD), "--programme", "baan_mankong_rural", "--dry-run"
    )
    assert code == 0 and "dry run" in out
    code, _, _ = run(
        capsys, "import", str(BROKEN), "--programme", "baan_mankong_rural", "--dry-run"
    )
    assert code == 1
    assert batch_lines(capsys) == []


def test_options_fiscal_year_sheet_map_and_public(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    workbook = FIXTURES / "temporary_housing_report.xlsx"
    code, out, _ = run(capsys, "import", str(workbook), "--programme", "temporary_housing")
    assert code == 1 and "no fiscal-year or date column" in out
    code, out, _ = run(
        capsys,
        "import",
        str(workbook),
        "--programme",
        "temporary_housing",
        "--fiscal-year",
        "2026",
        "--public",
        "--map",
        "note=ภาค",
    )
    assert code == 0, out
    code, out, _ = run(
        capsys, "import", str(workbook), "--programme", "temporary_housing", "--sheet", "ไตรมาส 1"
    )
    assert code == 0, out
    store = open_store(database)
    try:
        frame = store.results("temporary_housing")
    finally:
        store.close()
    assert frame["fiscal_year"].unique().tolist() == [2569]
    assert frame["visibility"].tolist() == ["public"] * 5 + ["internal"] * 2
    assert frame["note"].tolist()[0] == "ภาคกรุงเทพ ปริมณฑล และตะวันออก"


def test_usage_errors_exit_2(database: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["import", str(GOOD), "--programme", "no_such_programme"])
    assert exit_info.value.code == 2
    assert "unknown programme" in capsys.readouterr().err
    code, _, err = run(capsys, "import", "missing.csv", "--programme", "baan_mankong_rural")
    assert code == 2 and "no such file" in err
    code, _, err = run(
        capsys, "import", str(GOOD), "--programme", "baan_mankong_rural", "--map", "nonsense"
    )
    assert code == 2 and "FIELD=COLUMN" in err


# -- through a real process, with the boundary cache for points ----------------------------


def cli(env: dict[str, str], *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "codi_geo", *argv],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def cli_env(database: str, boundary_cache: Path) -> dict[str, str]:
    return {
        **os.environ,
        "CODI_GEO_DATABASE_URL": database,
        "CODI_GEO_BOUNDARY_DIR": str(boundary_cache),
    }


def test_process_exit_codes_and_bom(cli_env: dict[str, str], tmp_path: Path) -> None:
    pins = cli(
        cli_env, "import", str(FIXTURES / "disaster_copin.geojson"), "--programme", "disaster"
    )
    assert pins.returncode == 0, pins.stdout + pins.stderr
    broken = cli(
        cli_env, "import", str(FIXTURES / "disaster_broken.geojson"), "--programme", "disaster"
    )
    assert broken.returncode == 1 and "feature 3" in broken.stdout
    out = tmp_path / "disaster.csv"
    exported = cli(cli_env, "export", "--programme", "disaster", "-o", str(out))
    assert exported.returncode == 0
    rows = read_csv(out)
    assert [r["tambon_code"] for r in rows] == ["901101", "270803", "500108"]
    assert rows[0]["tambon_th"] == "หาดใหญ่" and rows[0]["category_th"] == "อุทกภัย"
    usage = cli(cli_env, "export", "--programme", "nope", "-o", str(out))
    assert usage.returncode == 2


def test_load_shipped_is_idempotent_and_follows_changes(
    cli_env: dict[str, str], database: str, tmp_path: Path
) -> None:
    shipped = tmp_path / "programmes"
    shutil.copytree(FIXTURES / "shipped", shipped)
    first = cli(cli_env, "load-shipped", "--dir", str(shipped))
    assert first.returncode == 0, first.stdout + first.stderr
    assert first.stdout.count(": loaded") == 4
    again = cli(cli_env, "load-shipped", "--dir", str(shipped))
    assert again.returncode == 0 and again.stdout.count(": unchanged") == 4

    store = open_store(database)
    try:
        regions = store.results("model_tambon")
        assert len(regions) == 10 and set(regions["level"]) == {"region"}
        north = regions[regions["code"] == "north"]
        assert sorted(north["tambons"].tolist()) == [51, 57]
        assert north["source_line"].tolist() == ["158", "158"]
        point = store.results("disaster")
        assert point["code"].tolist() == ["270803"] and point["level"].tolist() == ["point"]
        assert store.indicators()["indicator_id"].tolist() == [
            "temporary_housing_households",
            "model_tambon_new",
        ]
        housing_batch = store.results("temporary_housing")["batch_id"].iloc[0]

        # A corrected file replaces its previous batch.
        path = shipped / "temporary_housing.csv"
        path.write_text(
            path.read_text(encoding="utf-8").replace(",28,621000,", ",29,648000,"), encoding="utf-8"
        )
        changed = cli(cli_env, "load-shipped", "--dir", str(shipped))
        assert changed.returncode == 0 and f"replaces {housing_batch}" in changed.stdout
        housing = store.results("temporary_housing")
        assert housing["households"].tolist() == [29, 1, 1]
        assert not store.batch(int(housing_batch)).active  # type: ignore[union-attr]

        # Someone undoes a shipped batch: the next load respects it, --force loads it again.
        model_batch = int(regions["batch_id"].iloc[0])
        store.undo(model_batch)
        after_undo = cli(cli_env, "load-shipped", "--dir", str(shipped))
        assert "model_tambon.csv: undone" in after_undo.stdout
        assert store.results("model_tambon").empty
        forced = cli(cli_env, "load-shipped", "--dir", str(shipped), "--force")
        assert "model_tambon.csv: loaded" in forced.stdout
        assert len(store.results("model_tambon")) == 10
    finally:
        store.close()


def test_load_shipped_reports_bad_rows_and_exits_1(
    cli_env: dict[str, str], database: str, tmp_path: Path
) -> None:
    shipped = tmp_path / "programmes"
    shipped.mkdir()
    header = (FIXTURES / "shipped" / "temporary_housing.csv").read_text(encoding="utf-8")
    lines = header.splitlines()
    (shipped / "temporary_housing.csv").write_text(
        "\n".join([*lines, "2569,2,province,99,ไม่มี,,,fire,,1,1,public,x.txt,1,"]) + "\n",
        encoding="utf-8",
    )
    (shipped / "not_a_programme.csv").write_text(lines[0] + "\n", encoding="utf-8")
    result = cli(cli_env, "load-shipped", "--dir", str(shipped))
    assert result.returncode == 1
    assert "temporary_housing.csv: partial" in result.stdout
    assert "line 5, column 'code': no area has code 99" in result.stdout
    assert "not_a_programme.csv: failed" in result.stdout
    store = open_store(database)
    try:
        assert len(store.results("temporary_housing")) == 3
    finally:
        store.close()
