"""The shipped housing and disaster figures (``data/programmes/*.csv``) against CODI's reports.

Every row must trace to the seed document and line it cites: each metric value stands as a
number on that line, and the place (and name) as written stand there too. Codes must be valid
DOPA codes (or CODI region ids) at the stated level. The tables the rows come from are checked
against their stated totals; the disagreements found in the sources are listed in
``KNOWN_DISAGREEMENTS`` and explained in ``data/programmes/SOURCES_housing_disaster.md``.

Seeds: ``../shared/seeds`` beside the project, or ``CODI_GEO_SEEDS_DIR``.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest

from codi_geo.places.gazetteer import CODE_LENGTH, REGION_BY_ID, is_current, name_of, provinces
from codi_geo.programmes import get_programme

from .seeds import normalise_digits, seed_line

PROJECT_DIR = Path(__file__).resolve().parents[1]
DATA_DIR = PROJECT_DIR / "data" / "programmes"
SOURCES_MD = DATA_DIR / "SOURCES_housing_disaster.md"

PROGRAMME_IDS = (
    "baan_mankong_urban",
    "baan_mankong_rural",
    "baan_por_piang",
    "prem_prachakorn_canal",
    "rail_housing",
    "temporary_housing",
    "land",
    "disaster",
    "housing_loan",
    "homeless_housing",
)
BASE_COLUMNS = (
    "fiscal_year",
    "quarter",
    "level",
    "code",
    "place_text",
    "latitude",
    "longitude",
    "category",
    "name",
)
TAIL_COLUMNS = ("visibility", "source_doc", "source_line", "note")
LEVELS = {"region", "province", "district", "tambon", "point", "national"}

D0 = "000_91d7f34609a7394f.txt"  # FY2569 Q2 report
D1 = "001_eb24b48048d2af6d.txt"  # FY2560 Q2 report

NUMBER = re.compile(r"\d+(?:\.\d+)?")
MILLION = re.compile(r"\s*ล้าน")
LINE_REFERENCE = re.compile(r"\b(place_text|name) on line (\d+)")


def normalise(text: str) -> str:
    """Figures as written compare equal; runs of whitespace become one space."""
    return re.sub(r"\s+", " ", normalise_digits(text))


@cache
def numbers_on(doc: str, number: int) -> frozenset[Decimal]:
    """The numbers standing on a seed line; a number written before ``ล้าน`` counts also in
    units (``202.53 ล้านบาท`` is 202,530,000 baht)."""
    text = normalise(seed_line(doc, number))
    found: set[Decimal] = set()
    for match in NUMBER.finditer(text):
        value = Decimal(match.group())
        found.add(value)
        if MILLION.match(text, match.end()):
            found.add(value * 1_000_000)
    return frozenset(found)


def figure(text: str) -> Decimal:
    return Decimal(normalise(text))


@cache
def load(programme_id: str) -> tuple[list[str], list[dict[str, str]]]:
    path = DATA_DIR / f"{programme_id}.csv"
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or []), list(reader)


def metric_ids(programme_id: str) -> list[str]:
    return [m.id for m in get_programme(programme_id).metrics]


def referenced_lines(note: str, kind: str) -> list[int]:
    return [int(n) for k, n in LINE_REFERENCE.findall(note) if k == kind]


def where(programme_id: str, index: int, row: dict[str, str]) -> str:
    return f"{programme_id}.csv row {index + 2} ({row['source_doc']}:{row['source_line']})"


# ------------------------------------------------------------------ per-file structure


@pytest.mark.parametrize("programme_id", PROGRAMME_IDS)
def test_columns_in_contract_order(programme_id: str) -> None:
    columns, rows = load(programme_id)
    expected = [*BASE_COLUMNS, *metric_ids(programme_id), *TAIL_COLUMNS]
    assert columns == expected
    assert rows, f"{programme_id}.csv has no rows"
    for row in rows:
        assert None not in row, f"{programme_id}.csv: a row has more fields than the header"


@pytest.mark.parametrize("programme_id", PROGRAMME_IDS)
def test_values_are_valid(programme_id: str) -> None:
    _, rows = load(programme_id)
    programme = get_programme(programme_id)
    categories = {c.id for c in programme.categories}
    errors: list[str] = []
    for i, row in enumerate(rows):
        at = where(programme_id, i, row)
        if not (row["fiscal_year"].isdigit() and 2540 <= int(row["fiscal_year"]) <= 2600):
            errors.append(f"{at}: fiscal_year {row['fiscal_year']!r} is not a BE year")
        if row["quarter"] not in {"", "1", "2", "3", "4"}:
            errors.append(f"{at}: quarter {row['quarter']!r}")
        level, code = row["level"], row["code"]
        if level not in LEVELS:
            errors.append(f"{at}: level {level!r}")
        elif level == "national":
            if code:
                errors.append(f"{at}: a national row has code {code!r}")
        elif level == "region":
            if code not in REGION_BY_ID:
                errors.append(f"{at}: {code!r} is not a CODI region id")
        elif level == "point":
            errors.append(f"{at}: the reports give no coordinates, so no point rows")
        elif not code:
            # The store needs a place: a row whose place the report does not give is a
            # national row ("place not given" in the note).
            errors.append(f"{at}: a {level} row without a code")
        elif not (len(code) == CODE_LENGTH[level] and code.isdigit() and is_current(code)):
            errors.append(f"{at}: {code!r} is not a current DOPA {level} code")
        if level != "point" and (row["latitude"] or row["longitude"]):
            errors.append(f"{at}: coordinates on a {level} row")
        if row["category"] and row["category"] not in categories:
            errors.append(f"{at}: category {row['category']!r} not declared for {programme_id}")
        if row["visibility"] not in {"public", "internal"}:
            errors.append(f"{at}: visibility {row['visibility']!r}")
        if row["source_doc"] not in {D0, D1}:
            errors.append(f"{at}: source_doc {row['source_doc']!r}")
        if not row["source_line"].isdigit():
            errors.append(f"{at}: source_line {row['source_line']!r}")
        for metric in metric_ids(programme_id):
            value = row[metric]
            if value and not re.fullmatch(r"\d+(?:\.\d+)?", value):
                errors.append(f"{at}: {metric} {value!r} is not a plain number")
    assert not errors, "\n".join(errors)


@pytest.mark.parametrize("programme_id", PROGRAMME_IDS)
def test_rows_are_distinct(programme_id: str) -> None:
    _, rows = load(programme_id)
    keys = Counter(
        (r["fiscal_year"], r["quarter"], r["level"], r["code"], r["category"], r["name"])
        for r in rows
    )
    assert [k for k, n in keys.items() if n > 1] == []


# ------------------------------------------------------------------ traceability


@pytest.mark.parametrize("programme_id", PROGRAMME_IDS)
def test_every_figure_stands_on_its_cited_line(programme_id: str) -> None:
    _, rows = load(programme_id)
    errors: list[str] = []
    for i, row in enumerate(rows):
        numbers = numbers_on(row["source_doc"], int(row["source_line"]))
        for metric in metric_ids(programme_id):
            if row[metric] and Decimal(row[metric]) not in numbers:
                errors.append(
                    f"{where(programme_id, i, row)}: {metric} {row[metric]} "
                    f"is not on the cited line"
                )
    assert not errors, "\n".join(errors)


@pytest.mark.parametrize("programme_id", PROGRAMME_IDS)
def test_place_and_name_stand_in_the_source(programme_id: str) -> None:
    """``place_text`` and ``name`` stand on the cited line, or on the line the note names
    (``place_text on line N`` / ``name on line N``) when the figure and the place are apart."""
    _, rows = load(programme_id)
    errors: list[str] = []
    for i, row in enumerate(rows):
        doc = row["source_doc"]
        for kind in ("place_text", "name"):
            text = row[kind]
            if not text:
                continue
            lines = [int(row["source_line"]), *referenced_lines(row["note"], kind)]
            if not any(normalise(text) in normalise(seed_line(doc, n)) for n in lines):
                errors.append(
                    f"{where(programme_id, i, row)}: {kind} {text!r} not on line(s) {lines}"
                )
        if row["level"] not in {"national", "region"} and row["code"] and not row["place_text"]:
            errors.append(f"{where(programme_id, i, row)}: a coded row without place_text")
    assert not errors, "\n".join(errors)


@pytest.mark.parametrize("programme_id", PROGRAMME_IDS)
def test_code_names_the_place_written(programme_id: str) -> None:
    """The DOPA name of each code appears in the place as written or in the note (where the
    note explains a correction), so a mistyped code cannot pass unnoticed."""
    _, rows = load(programme_id)
    errors: list[str] = []
    for i, row in enumerate(rows):
        if row["level"] not in {"province", "district", "tambon"} or not row["code"]:
            continue
        dopa = name_of(row["code"])
        assert dopa is not None
        dopa = dopa.removeprefix("เขต")
        if dopa not in row["place_text"] and dopa not in row["note"]:
            errors.append(
                f"{where(programme_id, i, row)}: DOPA name {dopa!r} of {row['code']} "
                f"in neither place_text nor note"
            )
    assert not errors, "\n".join(errors)


# ------------------------------------------------------------------ source tables


@dataclass(frozen=True)
class TableCheck:
    """Figures of a source table (line, figure as written) and the total the source states."""

    id: str
    doc: str
    parts: tuple[tuple[int, str], ...]
    total: tuple[int, str]


TEMP_Q1 = (
    (613, "1"),
    (614, "1"),
    (615, "3"),
    (616, "3"),
    (617, "4"),
    (618, "25"),
    (619, "8"),
    (620, "10"),
    (621, "39"),
)
TEMP_Q2_FIRE = ((623, "20"), (624, "1"), (625, "2"), (626, "1"), (627, "1"), (628, "1"), (629, "2"))
BPP_2560 = {  # 001 lines 94-98: provinces, tambons, households approved, completed
    94: ("15", "276", "2,064", "225"),
    95: ("19", "172", "2,070", "265"),
    96: ("14", "65", "2,077", "82"),
    97: ("16", "178", "2,161", "694"),
    98: ("10", "57", "2,000", "253"),
}


def _bpp_column(index: int) -> tuple[tuple[int, str], ...]:
    return tuple((line, values[index]) for line, values in BPP_2560.items())


TABLE_CHECKS = (
    # FY2569 Q2 report
    TableCheck(
        "bm_2569_urban_rural_households", D0, ((481, "334"), (481, "2,763")), (481, "3,097")
    ),
    TableCheck("bm_2569_urban_rural_communities", D0, ((481, "6"), (481, "103")), (481, "109")),
    TableCheck("bm_2569_quarters", D0, ((1569, "1,754"), (1569, "1,343")), (1569, "3,097")),
    TableCheck(
        "canal_target_group_by_district",
        D0,
        ((516, "2,695"), (517, "2,519"), (518, "402"), (519, "770")),
        (514, "6,386"),
    ),
    TableCheck("canal_target_group_communities", D0, ((514, "32"), (514, "6")), (514, "38")),
    TableCheck(
        "canal_since_2563_by_stage",
        D0,
        ((523, "2,239"), (524, "215"), (525, "143")),
        (521, "2,597"),
    ),
    TableCheck(
        "canal_2569_table_households", D0, ((530, "122"), (531, "11"), (532, "18")), (533, "151")
    ),
    TableCheck("canal_2569_table_preparing", D0, ((530, "98"),), (533, "98")),
    TableCheck("canal_2569_table_relocating", D0, ((530, "24"), (532, "18")), (533, "42")),
    TableCheck("canal_2569_table_building", D0, ((531, "11"),), (533, "11")),
    TableCheck("canal_2569_table_row_122", D0, ((530, "98"), (530, "24")), (530, "122")),
    TableCheck("rail_2569_quarters", D0, ((1584, "335"), (1293, "1,550")), (1293, "1,885")),
    TableCheck("bpp_2569_quarters", D0, ((1597, "483"), (1597, "16,681")), (1597, "17,164")),
    TableCheck("temp_2569_q1_provinces", D0, TEMP_Q1, (612, "94")),
    TableCheck("temp_2569_q1_kinds", D0, ((613, "12"), (613, "25"), (613, "57")), (612, "94")),
    TableCheck("temp_2569_q1_fire_rows", D0, TEMP_Q1[:5], (613, "12")),
    TableCheck("temp_2569_q1_awaiting_rows", D0, TEMP_Q1[5:6], (613, "25")),
    TableCheck("temp_2569_q1_flood_rows", D0, TEMP_Q1[6:], (613, "57")),
    TableCheck("temp_2569_q2_fire_rows", D0, TEMP_Q2_FIRE, (623, "28")),
    TableCheck("temp_2569_q2_kinds", D0, ((1605, "28"), (1605, "1"), (1605, "1")), (622, "30")),
    TableCheck("temp_2569_q1_plus_q2", D0, ((609, "94"), (609, "30")), (609, "124")),
    TableCheck(
        "temp_2569_q2_budget",
        D0,
        ((1605, "621,000"), (1605, "27,000"), (1605, "27,000")),
        (609, "675,000"),
    ),
    TableCheck(
        "temp_2569_quarter_targets",
        D0,
        ((1605, "45"), (1605, "40"), (1605, "40"), (1605, "40")),
        (1605, "165"),
    ),
    TableCheck(
        "rail_land_leases_by_group",
        D0,
        ((1281, "6"), (1283, "32"), (1285, "7"), (1287, "8")),
        (1279, "53"),
    ),
    # FY2560 Q2 report
    TableCheck(
        "bm_2560_by_region_and_network",
        D1,
        ((21, "81"), (21, "330"), (21, "116"), (21, "109"), (21, "381"), (21, "63")),
        (21, "1,080"),
    ),
    TableCheck("bpp_2560_provinces", D1, _bpp_column(0), (99, "74")),
    TableCheck("bpp_2560_tambons", D1, _bpp_column(1), (99, "748")),
    TableCheck("bpp_2560_households", D1, _bpp_column(2), (99, "10,372")),
    TableCheck("bpp_2560_completed", D1, _bpp_column(3), (99, "1,519")),
    TableCheck("bpp_2560_tambons_line_807", D1, _bpp_column(1), (807, "74")),
    TableCheck("bpp_2560_tambons_line_859", D1, _bpp_column(1), (859, "547")),
    TableCheck(
        "housing_2560_by_programme",
        D1,
        ((799, "1,080"), (800, "2,034"), (801, "10,372")),
        (798, "13,486"),
    ),
    TableCheck("housing_2560_quarters", D1, ((794, "4,234"), (794, "9,252")), (794, "13,486")),
    TableCheck(
        "housing_2560_targets",
        D1,
        ((794, "5,000"), (794, "4,696"), (807, "9,000")),
        (794, "18,696"),
    ),
    TableCheck(
        "housing_2560_quarter_targets",
        D1,
        ((794, "3,739"), (794, "5,609"), (794, "5,609"), (794, "3,739")),
        (794, "18,696"),
    ),
    TableCheck("chao_phraya_communities", D1, ((64, "8"), (64, "4")), (62, "12")),
    TableCheck("chao_phraya_households", D1, ((64, "114"), (64, "195")), (64, "309")),
    TableCheck("temp_2560_q2", D1, ((818, "22"), (818, "13")), (818, "35")),
    TableCheck(
        "temp_2560_quarter_targets",
        D1,
        ((818, "216"), (818, "325"), (818, "325"), (818, "216")),
        (818, "1,082"),
    ),
)

# Tables whose parts do not add up to the total the source states (see the .md).
KNOWN_DISAGREEMENTS = {
    # 001 line 807 gives the Baan Por Piang approval as 74 tambons; the regional table
    # (lines 94-99) and line 90 give 748.
    "bpp_2560_tambons_line_807",
    # 001 line 859 gives the same programme as 547 tambons in 74 provinces.
    "bpp_2560_tambons_line_859",
}


@pytest.mark.parametrize("check", TABLE_CHECKS, ids=lambda c: c.id)
def test_source_tables_add_up(check: TableCheck) -> None:
    for line, written in (*check.parts, check.total):
        assert figure(written) in numbers_on(check.doc, line), (
            f"{check.doc}:{line} does not hold {written}"
        )
    total = sum((figure(w) for _, w in check.parts), Decimal(0))
    stated = figure(check.total[1])
    if check.id in KNOWN_DISAGREEMENTS:
        assert total != stated, f"{check.id} now adds up: drop it from KNOWN_DISAGREEMENTS"
    else:
        assert total == stated, f"{check.id}: parts add up to {total}, the source says {stated}"


def test_known_disagreements_are_checks_and_documented() -> None:
    ids = {c.id for c in TABLE_CHECKS}
    assert set(KNOWN_DISAGREEMENTS) <= ids
    text = SOURCES_MD.read_text(encoding="utf-8")
    for check_id in KNOWN_DISAGREEMENTS | {"fire_2569_q2_province_count"}:
        assert check_id in text, f"{check_id} is not explained in {SOURCES_MD.name}"


def test_fire_2569_q2_province_count() -> None:
    """000 line 1605 says the 28 fire households were in 7 provinces but names 6; the table
    (lines 623-629) has 7, the seventh being นราธิวาส (known disagreement
    ``fire_2569_q2_province_count``)."""
    text = seed_line(D0, 1605)
    start = text.index("(1) กรณี")
    segment = text[start : text.index("(2) กรณี", start)]
    assert "28 ครัวเรือนใน 7 จังหวัด" in segment
    named = [p for p in provinces()["name_th"] if p in segment]
    assert len(named) == 6
    assert "นราธิวาส" not in named
    table = {seed_line(D0, n).split("\t")[1] for n, _ in TEMP_Q2_FIRE}
    assert table == {*named, "นราธิวาส"}


# ------------------------------------------------------------------ shipped rows vs totals


def _rows(programme_id: str, **where_: str) -> list[dict[str, str]]:
    _, rows = load(programme_id)
    return [r for r in rows if all(r[k] == v for k, v in where_.items())]


def _sum(rows: list[dict[str, str]], metric: str) -> Decimal:
    return sum((Decimal(r[metric]) for r in rows if r[metric]), Decimal(0))


def _one(rows: list[dict[str, str]], metric: str) -> Decimal:
    assert len(rows) == 1, rows
    return Decimal(rows[0][metric])


def test_temporary_housing_rows_add_up() -> None:
    p = "temporary_housing"
    for quarter in ("1", "2"):
        kinds = _rows(p, fiscal_year="2569", quarter=quarter, level="national", name="")
        for kind in ("fire", "flood", "awaiting_permanent"):
            national = _one([r for r in kinds if r["category"] == kind], "households")
            by_province = _rows(
                p, fiscal_year="2569", quarter=quarter, level="province", category=kind
            )
            assert _sum(by_province, "households") == national, (quarter, kind)
    q1 = _rows(p, fiscal_year="2569", quarter="1", level="national")
    assert _sum([r for r in q1 if r["category"]], "households") == _one(
        [r for r in q1 if not r["category"]], "households"
    )
    q2 = _rows(p, fiscal_year="2569", quarter="2", level="national")
    q2_alone = [r for r in q2 if r["category"]]
    cumulative = _one([r for r in q2 if not r["category"]], "households")
    assert (
        _one([r for r in q1 if not r["category"]], "households") + _sum(q2_alone, "households")
        == cumulative
    )
    assert _sum(q2_alone, "budget_baht") == Decimal(675000)
    fy2560 = _rows(p, fiscal_year="2560", quarter="2")
    national = _one([r for r in fy2560 if r["level"] == "national" and not r["name"]], "households")
    assert (
        _sum([r for r in fy2560 if r["level"] == "region" or r["name"]], "households") == national
    )


def test_baan_por_piang_2560_regions_add_up() -> None:
    rows = _rows("baan_por_piang", fiscal_year="2560", quarter="2")
    national = [r for r in rows if r["level"] == "national"]
    regions = [r for r in rows if r["level"] == "region"]
    assert {r["code"] for r in regions} == set(REGION_BY_ID)
    for metric in ("households", "tambons", "provinces", "households_completed"):
        assert _sum(regions, metric) == _one(national, metric), metric


def test_baan_mankong_2560_parts_add_up() -> None:
    rows = _rows("baan_mankong_urban", fiscal_year="2560", quarter="2")
    national = _one([r for r in rows if r["level"] == "national" and not r["name"]], "households")
    parts = [
        r
        for r in rows
        if r["level"] == "region"
        or (r["level"] == "national" and r["name"])
        or (r["code"] == "10" and r["name"].endswith("แม่น้ำเจ้าพระยา"))
    ]
    # No Northeast figure in the source (001 line 21).
    assert "northeast" not in {r["code"] for r in parts}
    assert _sum(parts, "households") == national


def test_baan_mankong_2569_urban_and_rural_make_the_stated_total() -> None:
    urban = _rows("baan_mankong_urban", fiscal_year="2569", quarter="2", level="national")
    rural = _rows("baan_mankong_rural", fiscal_year="2569", quarter="2", level="national")
    assert _one(urban, "households") + _one(rural, "households") == Decimal(3097)
    assert _one(urban, "communities") + _one(rural, "communities") == Decimal(109)


def test_canal_target_group_by_district_adds_up() -> None:
    rows = _rows(
        "prem_prachakorn_canal", fiscal_year="2569", quarter="", category="prem_prachakorn"
    )
    national = [r for r in rows if r["level"] == "national" and r["target_group_households"]]
    districts = [r for r in rows if r["level"] == "district"]
    assert {r["code"] for r in districts} == {"1036", "1041", "1030", "1301"}
    assert _sum(districts, "target_group_households") == _one(national, "target_group_households")


def test_the_store_takes_every_row(tmp_path: Path) -> None:
    """The files load whole through the app's own shipped-data loader."""
    import shutil

    from codi_geo.results.shipped import load_shipped
    from codi_geo.results.store import open_store

    folder = tmp_path / "programmes"
    folder.mkdir()
    for programme_id in PROGRAMME_IDS:
        shutil.copy(DATA_DIR / f"{programme_id}.csv", folder)
    store = open_store(f"sqlite:///{tmp_path / 'store.sqlite'}")
    loads = load_shipped(store, folder)
    assert [(load.path.stem, load.status) for load in loads] == [
        (p, "loaded") for p in sorted(PROGRAMME_IDS)
    ], "\n".join(load.text() for load in loads)
    assert [load.rows for load in loads] == [len(load_rows(p)) for p in sorted(PROGRAMME_IDS)]


def load_rows(programme_id: str) -> list[dict[str, str]]:
    return load(programme_id)[1]


def test_internal_rows_are_the_ones_naming_people() -> None:
    internal = [
        (p, r["source_line"])
        for p in PROGRAMME_IDS
        for r in load(p)[1]
        if r["visibility"] == "internal"
    ]
    # The one row about a named individual's family (000 line 583).
    assert internal == [("baan_por_piang", "583")]
