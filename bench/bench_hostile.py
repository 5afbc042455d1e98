"""Hostile and large uploads: for each file, its size on disk, the time to refuse
or read it and the peak memory the read added (in a fresh process: the kernel's peak
resident size, reset before the read, less the resident size then), and the time through
the Data page's capped worker.

    python bench/bench_hostile.py
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_DIR))

from codi_geo.results.imports import limits  # noqa: E402
from codi_geo.results.imports.isolated import read_table_isolated  # noqa: E402
from codi_geo.results.imports.problems import ImportFileError  # noqa: E402
from synthetic import bombs  # noqa: E402

FILES = {
    "claimed whole sheet.xlsx": bombs.xlsx_claiming_huge_sheet,
    "merged over the sheet.xlsx": bombs.xlsx_merged_over_sheet,
    "1 GB shared string.xlsx": bombs.xlsx_huge_shared_string,
    "1.6 GB KML.kmz": bombs.kmz_bomb,
    "1.6 GB KML, lying directory.kmz": lambda: bombs.kmz_bomb(stated_size=5_000_000),
    "200,000 rows.xlsx": lambda: bombs.xlsx_rows(200_000),
    "50,000 rows (legitimate).xlsx": lambda: bombs.xlsx_rows(50_000),
    "100,000 rows (at the limit).xlsx": lambda: bombs.xlsx_rows(limits.MAX_ROWS),
}


def main() -> None:
    print(
        f"limits: file {limits.MAX_FILE_BYTES // limits.MB} MB, unpacked "
        f"{limits.MAX_UNPACKED_BYTES // limits.MB} MB, {limits.MAX_ROWS:,} rows, "
        f"{limits.MAX_COLUMNS} columns, {limits.MAX_CELLS:,} cells"
    )
    print(f"{'file':36} {'on disk':>10} {'seconds':>8} {'peak MB':>8}  outcome")
    with tempfile.TemporaryDirectory() as folder:
        for name, make in FILES.items():
            data = make()
            path = Path(folder) / name.replace(" ", "_")
            path.write_bytes(data)
            done = subprocess.run(
                [sys.executable, "-c", bombs.MEASURE_SCRIPT, str(path), name],
                capture_output=True,
                text=True,
                cwd=PROJECT_DIR,
                check=True,
            )
            found = json.loads(done.stdout)
            outcome = (
                f"read {found['rows']:,} rows" if "rows" in found else "refused: " + found["en"]
            )
            print(
                f"{name:36} {len(data) / 1024:>8,.0f} KB {found['seconds']:>8.2f} "
                f"{found['peak_kb'] / 1024:>8.1f}  {outcome[:90]}"
            )
        for name in ("100,000 rows (at the limit).xlsx", "1 GB shared string.xlsx"):
            data = FILES[name]()
            started = time.perf_counter()
            try:
                outcome = f"read {len(read_table_isolated(data, name).rows):,} rows"
            except ImportFileError as error:
                outcome = "refused: " + error.en
            print(f"worker: {name:28} {time.perf_counter() - started:>8.2f} s  {outcome[:80]}")


if __name__ == "__main__":
    main()
