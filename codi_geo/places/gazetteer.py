"""The name authority: DOPA codes, Thai/English names and parents, and CODI's regions.

Names and codes come from the pinned ``geothai`` package (DOPA's register). Shapes come from
the boundary archive (see ``boundaries``); the two are joined on DOPA codes only.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from typing import Literal

import geothai
import pandas as pd
from geothai import abolished as geothai_abolished

from codi_geo.settings import REGIONS_CSV
from codi_geo.text import Bilingual

Level = Literal["province", "district", "tambon"]
LEVELS: tuple[Level, ...] = ("province", "district", "tambon")
CODE_LENGTH: dict[Level, int] = {"province": 2, "district": 4, "tambon": 6}


@dataclass(frozen=True)
class CodiRegion:
    id: str
    name: Bilingual


# CODI's own five regions, in the order its FY2569 report lists them
# (000_91d7f34609a7394f.txt:282-290). Not the official six-region grouping.
CODI_REGIONS: tuple[CodiRegion, ...] = (
    CodiRegion("north", Bilingual("ภาคเหนือ", "North")),
    CodiRegion("northeast", Bilingual("ภาคตะวันออกเฉียงเหนือ", "Northeast")),
    CodiRegion("south", Bilingual("ภาคใต้", "South")),
    CodiRegion("central_west", Bilingual("ภาคกลางและตะวันตก", "Central-West")),
    CodiRegion("bangkok_east", Bilingual("ภาคกรุงเทพ ปริมณฑล และตะวันออก", "Bangkok-vicinity-East")),
)
REGION_BY_ID: dict[str, CodiRegion] = {r.id: r for r in CODI_REGIONS}


def level_of_code(code: str) -> Level:
    """The level a DOPA code names, from its length (2, 4 or 6 digits)."""
    for level, length in CODE_LENGTH.items():
        if len(code) == length and code.isdigit():
            return level
    raise ValueError(f"not a DOPA code: {code!r} (expected 2, 4 or 6 digits)")


def parent_code(code: str, level: Level) -> str:
    """The code of the area at ``level`` that contains ``code`` (itself if same level)."""
    return code[: CODE_LENGTH[level]]


@dataclass(frozen=True)
class RegionAssignment:
    """One province in one CODI region for the fiscal years ``from_fy`` to ``to_fy`` (None:
    until a report says otherwise), with the seed line(s) that say so (``source``,
    ``document:line[,line]``). ``evidence``: ``listed`` (the cited lines name the province
    under the region), ``other_year`` (named there in another year's report) or ``inferred``
    (not named; the cited lines give the region's size and the note gives the reasoning)."""

    province_code: str
    region: str
    from_fy: int
    to_fy: int | None
    evidence: str
    source: str
    note: str

    def holds(self, fiscal_year: int) -> bool:
        return self.from_fy <= fiscal_year and (self.to_fy is None or fiscal_year <= self.to_fy)


EVIDENCE = ("listed", "other_year", "inferred")


@cache
def region_assignments() -> tuple[RegionAssignment, ...]:
    """Every row of ``data/codi_regions.csv``: CODI's regions change over the years (the
    FY2560 report groups provinces differently from the FY2569 one)."""
    with REGIONS_CSV.open(encoding="utf-8") as f:
        found = tuple(
            RegionAssignment(
                row["province_code"],
                row["codi_region"],
                int(row["from_fy"]),
                int(row["to_fy"]) if row["to_fy"] else None,
                row["evidence"],
                row["source"],
                row["note"],
            )
            for row in csv.DictReader(f)
        )
    unknown = {a.region for a in found} - set(REGION_BY_ID)
    if unknown:
        raise ValueError(f"{REGIONS_CSV}: unknown CODI region id(s) {sorted(unknown)}")
    if {a.evidence for a in found} - set(EVIDENCE):
        raise ValueError(f"{REGIONS_CSV}: evidence must be one of {EVIDENCE}")
    return found


def region_periods() -> tuple[tuple[int, int | None], ...]:
    """The periods (from_fy, to_fy) of the region table, oldest first."""
    return tuple(sorted({(a.from_fy, a.to_fy) for a in region_assignments()}))


def region_period(fiscal_year: int | None = None) -> tuple[int, int | None]:
    """The period whose table holds ``fiscal_year``. None, and a year no report gives a
    table for (e.g. 2561-2568), get the current table (the open-ended, latest period)."""
    periods = region_periods()
    if fiscal_year is not None:
        for start, end in periods:
            if start <= fiscal_year and (end is None or fiscal_year <= end):
                return start, end
    return max(periods, key=lambda p: (p[1] is None, p[0]))


@cache
def province_regions(fiscal_year: int | None = None) -> dict[str, str]:
    """Province code -> CODI region id in ``fiscal_year`` (Buddhist Era; None: the current
    table), from the versioned table ``data/codi_regions.csv``."""
    period = region_period(fiscal_year)
    table: dict[str, str] = {}
    for a in region_assignments():
        if (a.from_fy, a.to_fy) != period:
            continue
        if a.province_code in table:
            raise ValueError(f"{REGIONS_CSV}: province {a.province_code} twice in {period}")
        table[a.province_code] = a.region
    return table


def is_current_regions(fiscal_year: int | None) -> bool:
    """True when ``fiscal_year`` uses the current region table."""
    return region_period(fiscal_year) == region_period(None)


@cache
def provinces() -> pd.DataFrame:
    """All 77 provinces: code, name_th, name_en, region (CODI region id)."""
    regions = province_regions()
    frame = pd.DataFrame(
        [(p.code, p.name_th, p.name_en) for p in geothai.provinces()],
        columns=["code", "name_th", "name_en"],
    )
    frame["region"] = frame["code"].map(regions)
    return frame


@cache
def districts() -> pd.DataFrame:
    """All 928 districts: code, name_th, name_en, province_code."""
    rows = [
        (d.code, d.name_th, d.name_en, d.province_code)
        for p in geothai.provinces()
        for d in geothai.districts(p.code)
    ]
    return pd.DataFrame(rows, columns=["code", "name_th", "name_en", "province_code"])


@cache
def tambons() -> pd.DataFrame:
    """All current tambons (7,436): code, name_th, name_en, district_code, province_code."""
    rows = [
        (s.code, s.name_th, s.name_en, s.district_code, s.province_code)
        for d in districts()["code"]
        for s in geothai.subdistricts(d)
    ]
    return pd.DataFrame(
        rows, columns=["code", "name_th", "name_en", "district_code", "province_code"]
    )


def areas(level: Level) -> pd.DataFrame:
    """The gazetteer table of one level."""
    return {"province": provinces, "district": districts, "tambon": tambons}[level]()


@cache
def _names() -> dict[str, tuple[str, str]]:
    names: dict[str, tuple[str, str]] = {}
    for level in LEVELS:
        frame = areas(level)
        names.update(
            zip(frame["code"], zip(frame["name_th"], frame["name_en"], strict=False), strict=False)
        )
    return names


def name_of(code: str, lang: str = "th") -> str | None:
    """The current name of a DOPA code in Thai (``th``) or English (``en``), or None."""
    found = _names().get(code)
    if found is None:
        return None
    return found[0] if lang == "th" else found[1]


def full_name(code: str, lang: str = "th") -> str:
    """A tambon, district or province name with its parents, e.g. ``ต.ตลาด อ.เมือง จ.สุราษฎร์ธานี``."""
    parts: list[str] = []
    level = level_of_code(code)
    prefixes = {"th": ("ต.", "อ.", "จ."), "en": ("", "", "")}[lang if lang == "en" else "th"]
    finest_first: tuple[Level, ...] = ("tambon", "district", "province")
    for lvl, prefix in zip(finest_first, prefixes, strict=False):
        if CODE_LENGTH[lvl] > CODE_LENGTH[level]:
            continue
        name = name_of(parent_code(code, lvl), lang)
        if name is None:
            continue
        if lang == "th" and lvl == "district" and name.startswith("เขต"):
            parts.append(name)
        elif lang == "th" and lvl == "tambon" and code.startswith("10"):
            parts.append("แขวง" + name)
        else:
            parts.append(prefix + name)
    return " ".join(parts) if lang == "th" else ", ".join(parts)


def is_current(code: str) -> bool:
    """True if DOPA lists this code today."""
    return code in _names()


@dataclass(frozen=True)
class AbolishedArea:
    code: str
    name_th: str
    level: Level
    abolished_on: str
    successors: tuple[str, ...]
    source: str | None


@cache
def abolished_areas() -> dict[str, AbolishedArea]:
    """Codes DOPA has retired, with the current codes that replaced them where known."""
    level_names: dict[str, Level] = {
        "province": "province",
        "district": "district",
        "subdistrict": "tambon",
    }
    return {
        a.code: AbolishedArea(
            a.code,
            a.name_th,
            level_names[a.level],
            a.abolished_on,
            tuple(a.successors),
            a.successors_source,
        )
        for a in geothai_abolished.abolished_areas()
    }
