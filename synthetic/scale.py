"""CODI-like volumes, generated from a seed, for benchmarks and tests only (never shipped in
``data/``, never loaded by default): every tambon-level programme over several fiscal years,
and disaster / COPIN pinpoints clustered around communities, with Thai names.

    .venv/bin/python synthetic/scale.py --pins 100000 --out /tmp/scale      # CSV files
    .venv/bin/python synthetic/scale.py --pins 1000000 --store sqlite:////tmp/big.sqlite

Pins: communities are placed at tambon centres (a few provinces weigh more, as floods and
fires gather along rivers and in cities), each community's size follows a heavy tail, and a
community's pins scatter about a kilometre around it. Each pin has a date in its fiscal year
(so a quarter), a kind, households and people. Tambon rows: about 3,000 model tambons a year
and a few hundred per other tambon-level programme, with their metrics.

Needs the boundary cache (tambon centres and placing each pin in its tambon).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np

PROJECT_DIR = Path(__file__).resolve().parents[1]
if str(PROJECT_DIR) not in sys.path:
    sys.path.insert(0, str(PROJECT_DIR))

FIRST_YEAR = 2562  # eight fiscal years: 2562..2569
PIN_KINDS = ("flood", "fire", "storm", "landslide", "border_conflict", "copin")
PIN_KIND_WEIGHTS = (0.45, 0.15, 0.15, 0.05, 0.05, 0.15)
# Provinces where disasters gather (Bangkok, Ayutthaya, Ubon, Nakhon Si Thammarat, Chiang
# Mai, Songkhla, Nakhon Ratchasima, Surat Thani): ten times the weight of the others.
HOT_PROVINCES = ("10", "14", "34", "80", "50", "90", "30", "84")
NAME_PARTS = ("บ้าน", "ชุมชน", "หมู่บ้าน")
NAME_WORDS = (
    "หนองแวง",
    "ริมน้ำ",
    "คลองใหม่",
    "ดอนแก้ว",
    "ท่าช้าง",
    "โพธิ์ทอง",
    "ป่าสัก",
    "บางกระดี่",
    "สามัคคี",
    "ร่วมใจ",
    "ทุ่งทอง",
    "ห้วยทราย",
    "นาคำ",
    "บ่อแก้ว",
    "ศรีสะอาด",
    "วังน้ำเย็น",
)
PIN_HEADERS = ("วันที่", "ละติจูด", "ลองจิจูด", "ประเภทภัย", "ชื่อชุมชน", "ครัวเรือน", "จำนวนคน")
# Tambon-level programmes: rows a year and the metrics they carry.
TAMBON_PROGRAMMES: dict[str, tuple[int, tuple[str, ...]]] = {
    "model_tambon": (3000, ("tambons", "budget_baht")),
    "eco_tambon": (400, ("tambons", "budget_baht")),
    "baan_mankong_rural": (600, ("households", "communities", "tambons", "budget_baht")),
    "baan_por_piang": (800, ("households", "tambons", "budget_baht")),
    "community_council": (1500, ("tambons", "communities")),
    "welfare_fund": (2000, ("funds", "members", "budget_baht", "tambons")),
    "cooperation": (300, ("partners", "villages", "households")),
}
# Tambon-level programmes whose rows carry a category, and how often each comes up.
TAMBON_CATEGORIES: dict[str, tuple[tuple[str, ...], tuple[float, ...]]] = {
    "model_tambon": (("new", "follow_up", "met_all"), (0.4, 0.45, 0.15)),
}


def years(count: int) -> list[int]:
    return list(range(FIRST_YEAR + 8 - count, FIRST_YEAR + 8))


@dataclass(frozen=True)
class Tambons:
    codes: np.ndarray  # 6-digit DOPA codes
    lon: np.ndarray
    lat: np.ndarray
    weight: np.ndarray  # chance of a community


def tambons(boundary_dir: Path | None = None) -> Tambons:
    """Every tambon's inner point, from the boundary cache."""
    from codi_geo.places.boundaries import load_layer

    layer = load_layer("tambon", "medium", boundary_dir)
    inner = layer.geometry.representative_point()
    codes = layer["code"].astype(str).to_numpy()
    weight = np.where(np.isin([c[:2] for c in codes], HOT_PROVINCES), 10.0, 1.0)
    return Tambons(codes, inner.x.to_numpy(), inner.y.to_numpy(), weight / weight.sum())


def _name(rng: np.random.Generator, index: int) -> str:
    return f"{NAME_PARTS[index % 3]}{NAME_WORDS[rng.integers(len(NAME_WORDS))]} {index % 97 + 1}"


def pins(
    count: int,
    fiscal_years: list[int],
    seed: int = 9,
    chunk: int = 100_000,
    boundary_dir: Path | None = None,
) -> Iterator[dict[str, np.ndarray]]:
    """``count`` pins in chunks (columns as arrays): ``fiscal_year``, ``date``, ``lat``,
    ``lon``, ``kind``, ``name``, ``households``, ``people``. Same seed, same pins."""
    rng = np.random.default_rng(seed)
    places = tambons(boundary_dir)
    communities = max(1, count // 30)
    home = rng.choice(len(places.codes), size=communities, p=places.weight)
    centre_lon = places.lon[home] + rng.normal(0, 0.004, communities)
    centre_lat = places.lat[home] + rng.normal(0, 0.004, communities)
    size = rng.pareto(1.3, communities) + 1.0  # a few communities with very many pins
    share = size / size.sum()
    names = [_name(rng, i) for i in range(communities)]
    made = 0
    while made < count:
        n = min(chunk, count - made)
        which = rng.choice(communities, size=n, p=share)
        year = rng.choice(fiscal_years, size=n)
        day = rng.integers(0, 365, size=n)
        yield {
            "fiscal_year": year,
            "date": np.array(
                [
                    (date(y - 544, 10, 1) + timedelta(days=int(d))).isoformat()
                    for y, d in zip(year, day, strict=True)
                ]
            ),
            "lat": np.round(centre_lat[which] + rng.normal(0, 0.008, n), 6),
            "lon": np.round(centre_lon[which] + rng.normal(0, 0.008, n), 6),
            "kind": rng.choice(PIN_KINDS, size=n, p=PIN_KIND_WEIGHTS),
            "name": np.array([names[c] for c in which], dtype=object),
            "households": rng.integers(1, 60, size=n),
            "people": rng.integers(1, 200, size=n),
        }
        made += n


def write_pins_csv(
    path: Path, count: int, fiscal_years: list[int], seed: int = 9, boundary_dir: Path | None = None
) -> Path:
    """A COPIN-like CSV (Thai headers, Gregorian ISO dates as exports give them)."""
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(PIN_HEADERS)
        for part in pins(count, fiscal_years, seed, boundary_dir=boundary_dir):
            writer.writerows(
                zip(
                    part["date"],
                    part["lat"],
                    part["lon"],
                    part["kind"],
                    part["name"],
                    part["households"],
                    part["people"],
                    strict=True,
                )
            )
    return path


def tambon_rows(
    programme: str, fiscal_years: list[int], seed: int = 11, boundary_dir: Path | None = None
) -> Iterator[dict[str, object]]:
    """A tambon-level programme's rows: a different sample of tambons each year (the model
    tambons each in a cohort, ``TAMBON_CATEGORIES``)."""
    per_year, metrics = TAMBON_PROGRAMMES[programme]
    categories, weights = TAMBON_CATEGORIES.get(programme, ((), ()))
    rng = np.random.default_rng(seed + sum(map(ord, programme)))
    codes = tambons(boundary_dir).codes
    for year in fiscal_years:
        for code in rng.choice(codes, size=min(per_year, len(codes)), replace=False):
            values = {m: float(rng.integers(1, 5 if m == "tambons" else 300)) for m in metrics}
            if "budget_baht" in values:
                values["budget_baht"] = float(rng.integers(50, 2000) * 1000)
            category = str(rng.choice(categories, p=weights)) if categories else None
            yield {
                "fiscal_year": year,
                "quarter": int(rng.integers(1, 5)),
                "code": str(code),
                "metrics": values,
                "category": category,
                "visibility": "public",
            }


HOUSING_PROGRAMME = "baan_mankong_urban"  # the housing programme whose projects are pinned
HOUSING_UNLOCATED = 10  # one housing project in this many has a name but no coordinates


def housing_rows(
    count: int, fiscal_years: list[int], seed: int = 13, boundary_dir: Path | None = None
) -> Iterator[dict[str, object]]:
    """``count`` named housing projects (``HOUSING_PROGRAMME``), each in its tambon, placed
    as the pins are (communities, a heavy tail); one in ``HOUSING_UNLOCATED`` has no
    coordinates (pinned inside its tambon by the maps)."""
    from codi_geo.places.boundaries import locate_points

    made = 0
    for part in pins(count, fiscal_years, seed, boundary_dir=boundary_dir):
        codes = locate_points(part["lon"], part["lat"], cache_dir=boundary_dir)
        for i, code in enumerate(codes):
            made += 1
            if code is None:
                continue  # in the sea
            located = made % HOUSING_UNLOCATED != 0
            yield {
                "fiscal_year": int(part["fiscal_year"][i]),
                "quarter": int(made % 4 + 1),
                "code": str(code),
                "latitude": float(part["lat"][i]) if located else None,
                "longitude": float(part["lon"][i]) if located else None,
                "name": f"{part['name'][i]} โครงการที่ {made}",  # one fact each
                "metrics": {"households": float(part["households"][i]), "communities": 1.0},
            }


def load_store(
    url: str,
    pin_count: int,
    year_count: int = 8,
    seed: int = 9,
    boundary_dir: Path | None = None,
    log=print,
    housing_count: int = 0,
) -> dict[str, float]:
    """Fill the store at ``url``: every tambon programme over ``year_count`` years,
    ``pin_count`` disaster pins over the same years (one batch per 100,000 pins), each pin
    placed in its tambon, and ``housing_count`` named housing projects (``housing_rows``).
    Returns row counts and seconds."""
    from codi_geo.places.boundaries import locate_points
    from codi_geo.results.store import ResultRow, open_store

    store = open_store(url)
    fys = years(year_count)
    started = time.perf_counter()
    counts: dict[str, float] = {}
    for programme in TAMBON_PROGRAMMES:
        rows = [
            ResultRow(
                programme,
                r["fiscal_year"],
                r["quarter"],
                "tambon",
                r["code"],  # type: ignore[arg-type]
                r["metrics"],
                category=r["category"],
                visibility="public",  # type: ignore[arg-type]
                source_row=i,
            )
            for i, r in enumerate(tambon_rows(programme, fys, seed, boundary_dir), 2)
        ]
        store.store_results(_meta(programme, f"scale-{programme}.csv", len(rows)), rows)
        counts[programme] = len(rows)
    from codi_geo.thai import fiscal_period

    stored = 0
    for number, part in enumerate(pins(pin_count, fys, seed, boundary_dir=boundary_dir)):
        codes = locate_points(part["lon"], part["lat"], cache_dir=boundary_dir)
        rows = []
        for i in range(len(codes)):
            if codes[i] is None:
                continue  # scattered into the sea: a real import rejects these too
            fy, quarter = fiscal_period(date.fromisoformat(part["date"][i]))
            rows.append(
                ResultRow(
                    "disaster",
                    fy,
                    quarter,
                    "point",
                    str(codes[i]),
                    {
                        "households": float(part["households"][i]),
                        "people": float(part["people"][i]),
                    },
                    latitude=float(part["lat"][i]),
                    longitude=float(part["lon"][i]),
                    category=str(part["kind"][i]),
                    name=str(part["name"][i]),
                    visibility="public",
                    source_row=stored + i + 2,
                )
            )
        store.store_results(_meta("disaster", f"scale-pins-{number}.csv", len(rows)), rows)
        stored += len(part["lat"])
        counts["disaster"] = counts.get("disaster", 0) + len(rows)
        log(f"  pins stored: {int(counts['disaster']):,}")
    if housing_count:
        projects = [
            ResultRow(
                HOUSING_PROGRAMME,
                r["fiscal_year"],  # type: ignore[arg-type]
                r["quarter"],  # type: ignore[arg-type]
                "tambon",
                r["code"],  # type: ignore[arg-type]
                r["metrics"],  # type: ignore[arg-type]
                latitude=r["latitude"],  # type: ignore[arg-type]
                longitude=r["longitude"],  # type: ignore[arg-type]
                name=r["name"],  # type: ignore[arg-type]
                visibility="public",
                source_row=i,
            )
            for i, r in enumerate(housing_rows(housing_count, fys, seed + 4, boundary_dir), 2)
        ]
        store.store_results(_meta(HOUSING_PROGRAMME, "scale-housing.csv", len(projects)), projects)
        counts[HOUSING_PROGRAMME] = len(projects)
    counts["seconds"] = round(time.perf_counter() - started, 1)
    store.close()
    return counts


def _meta(programme: str, name: str, rows: int):
    from codi_geo.results.store import NewBatch

    digest = hashlib.sha256(f"scale:{programme}:{name}".encode()).hexdigest()
    return NewBatch(
        programme=programme,
        file_name=name,
        file_sha256=digest,
        mode="all",
        rows_total=rows,
        note="synthetic benchmark data (synthetic/scale.py)",
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pins", type=int, default=100_000)
    parser.add_argument("--years", type=int, default=8)
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--housing", type=int, default=0, help="named housing projects")
    parser.add_argument("--out", type=Path, help="write the pins as CSV into this folder")
    parser.add_argument("--store", help="load everything into the store at this URL")
    args = parser.parse_args(argv)
    if not args.out and not args.store:
        parser.error("give --out and/or --store")
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        path = write_pins_csv(
            args.out / f"pins_{args.pins}.csv", args.pins, years(args.years), args.seed
        )
        print(f"{path}: {path.stat().st_size / 2**20:.1f} MB")
    if args.store:
        print(load_store(args.store, args.pins, args.years, args.seed, housing_count=args.housing))
    return 0


if __name__ == "__main__":
    sys.exit(main())
