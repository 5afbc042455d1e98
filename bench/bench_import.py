"""Import speed: 10,000 rows with Thai place names (tambon, district, province as written in
CODI's spreadsheets) into a temporary SQLite store, through the matcher.

    python bench/bench_import.py [ROWS]
"""

from __future__ import annotations

import csv
import io
import random
import sys
import tempfile
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_DIR))

from codi_geo.places import gazetteer  # noqa: E402
from codi_geo.results.imports import ImportOptions, prepare_import, store_import  # noqa: E402
from codi_geo.results.store import open_store  # noqa: E402


def sample_file(rows: int, seed: int = 2569) -> bytes:
    """A CSV as a regional team would send it: Thai headers, Thai names, comma numbers."""
    generator = random.Random(seed)
    tambons = gazetteer.tambons()
    districts = gazetteer.districts().set_index("code")["name_th"]
    provinces = gazetteer.provinces().set_index("code")["name_th"]
    picks = tambons.sample(n=rows, replace=True, random_state=seed)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "ลำดับ",
            "ปีงบประมาณ",
            "ไตรมาส",
            "จังหวัด",
            "อำเภอ",
            "ตำบล",
            "ชื่อชุมชน",
            "จำนวนครัวเรือน",
            "งบประมาณ (บาท)",
        ]
    )
    for number, (code, name) in enumerate(zip(picks["code"], picks["name_th"], strict=True)):
        writer.writerow(
            [
                number + 1,
                "2569",
                f"ไตรมาส {generator.randint(1, 4)}",
                provinces[code[:2]],
                districts[code[:4]],
                name,
                f"ชุมชนบ้าน{name}ที่ {number + 1}",
                generator.randint(5, 400),
                f"{generator.randint(10, 900) * 1000:,}",
            ]
        )
    return out.getvalue().encode("utf-8-sig")


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    data = sample_file(rows)
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(f"sqlite:///{Path(folder) / 'bench.sqlite'}")
        started = time.perf_counter()
        prepared = prepare_import(
            data, "bench.csv", "baan_mankong_rural", ImportOptions(valid_only=True), store=store
        )
        checked = time.perf_counter()
        report = store_import(store, prepared)
        finished = time.perf_counter()
        store.close()
    total = finished - started
    print(f"rows in file:     {rows:,} ({len(data) / 1e6:.2f} MB, UTF-8 with BOM)")
    print(
        f"accepted/rejected: {report.rows_accepted:,} / {report.rows_rejected:,} "
        f"(status {report.status})"
    )
    print(f"read + match + check: {checked - started:.2f} s")
    print(f"store (one transaction): {finished - checked:.2f} s")
    print(f"total: {total:.2f} s, {rows / total:,.0f} rows/s")


if __name__ == "__main__":
    main()
