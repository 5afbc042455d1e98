"""How many of the place-tied figures of the two quarterly reports ship, measured.

A candidate is a line of 000 or 001 that names a place (a province, or a word such as จังหวัด,
อำเภอ, ตำบล, เขต, เทศบาล, ชุมชน) and carries a count or an amount (a number with a unit, or
a number in a table cell); the indicator tables in HTML (national) are not candidates. A
candidate cited by a row finer than national that has a figure is a place-tied figure
shipped; one cited by national rows only is a national figure. Every other candidate is
classified by hand in ``data/place_figures.csv`` (``doc,line,kind,status,reason``): ``place``
lines (``shipped`` from another line, or ``left_out`` with the reason), or why the line is not
a place-tied figure (national, participants, a definition, internal, no figure). The share
shipped must stay at or above 90%.
"""

from __future__ import annotations

import csv
import re
from functools import cache
from pathlib import Path

from codi_geo.programmes import PROGRAMME_BY_ID

from .seeds import normalise_digits, seed_line, seed_lines

PROJECT = Path(__file__).resolve().parents[1]
DATA_DIR = PROJECT / "data" / "programmes"
INVENTORY = PROJECT / "data" / "place_figures.csv"
DOCS = {"000": "000_91d7f34609a7394f.txt", "001": "001_eb24b48048d2af6d.txt"}
KINDS = {"place", "national", "participants", "definition", "internal", "no_figure"}
PLACE_WORD = re.compile(r"(จังหวัด|จ\.|อำเภอ|อ\.|ตำบล|ต\.|เขต|เทศบาล|ชุมชน)\S")
UNIT = re.compile(
    r"[\d,]+(?:\.\d+)?\s*(ครัวเรือน|หลังคาเรือน|หลัง|ราย|คน|บาท|ล้านบาท|ตำบล|ชุมชน"
    r"|องค์กร|กองทุน|ไร่|แปลง|เครือข่าย|หมู่บ้าน|อำเภอ|จังหวัด|โครงการ|สัญญา)"
)
TABLE_NUMBER = re.compile(r"\t\s*[\d,]+(?:\.\d+)?\s*(\t|$)")
MINIMUM_SHARE = 0.90


@cache
def province_names() -> re.Pattern[str]:
    with (PROJECT / "data" / "codi_regions.csv").open(encoding="utf-8", newline="") as f:
        names = {row["province_th"] for row in csv.DictReader(f)}
    return re.compile("|".join(sorted(map(re.escape, names), key=len, reverse=True)))


def candidates(doc: str) -> list[int]:
    found = []
    for line, raw in enumerate(seed_lines(DOCS[doc]), start=1):
        text = normalise_digits(raw)
        if (
            len(text) <= 3000
            and "<td>" not in text
            and "<p>" not in text
            and (PLACE_WORD.search(text) or province_names().search(text))
            and (UNIT.search(text) or TABLE_NUMBER.search(text))
        ):
            found.append(line)
    return found


@cache
def citations() -> dict[tuple[str, int], dict[str, bool]]:
    """(doc, line) -> whether rows citing it (programme files and the indicator table) are
    finer than national, with a figure."""
    cited: dict[tuple[str, int], dict[str, bool]] = {}
    for path in sorted(DATA_DIR.glob("*.csv")):
        if path.stem == "indicators":
            metrics = ["target", "result"]
        elif path.stem in PROGRAMME_BY_ID:
            metrics = [m.id for m in PROGRAMME_BY_ID[path.stem].metrics]
        else:
            continue
        with path.open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                key = (row["source_doc"][:3], int(row["source_line"]))
                seen = cited.setdefault(key, {"placed": False, "placed_figure": False})
                if row["level"] != "national":
                    seen["placed"] = True
                    seen["placed_figure"] |= any(row[m] for m in metrics)
    return cited


def inventory() -> dict[tuple[str, int], dict[str, str]]:
    with INVENTORY.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        assert reader.fieldnames == ["doc", "line", "kind", "status", "reason"]
        rows = list(reader)
    out = {(r["doc"], int(r["line"])): r for r in rows}
    assert len(out) == len(rows), "a line is classified twice"
    return out


def classify() -> dict[tuple[str, int], str]:
    """(doc, line) -> shipped | left_out | not_place."""
    known = inventory()
    out: dict[tuple[str, int], str] = {}
    unclassified = []
    for doc in DOCS:
        for line in candidates(doc):
            key = (doc, line)
            cited = citations().get(key)
            if key in known:
                continue
            if cited is None or (cited["placed"] and not cited["placed_figure"]):
                unclassified.append(key)
            else:
                out[key] = "shipped" if cited["placed_figure"] else "not_place"
    assert unclassified == [], f"candidates neither shipped nor classified: {unclassified}"
    for key, row in known.items():
        out[key] = row["status"] if row["kind"] == "place" else "not_place"
    return out


def test_the_inventory_is_well_formed() -> None:
    for (doc, line), row in inventory().items():
        assert doc in DOCS and line > 0, row
        assert row["kind"] in KINDS, row
        assert row["reason"].strip(), row
        if row["kind"] == "place":
            assert row["status"] in {"shipped", "left_out"}, row
        else:
            assert row["status"] == "", row
        seed_line(DOCS[doc], line)  # the line exists


def test_lines_said_shipped_are_cited() -> None:
    """A line the inventory calls shipped is cited by a row, or names the cited line its
    figures were shipped from."""
    for (doc, line), row in inventory().items():
        if row["status"] != "shipped":
            continue
        if (doc, line) in citations():
            continue
        named = [int(n) for n in re.findall(r"\d+", row["reason"])]
        assert any((doc, n) in citations() for n in named), row


def test_at_least_90_percent_of_place_tied_figures_ship() -> None:
    status = classify()
    place = [k for k, s in status.items() if s in ("shipped", "left_out")]
    shipped = [k for k in place if status[k] == "shipped"]
    share = len(shipped) / len(place)
    assert len(place) >= 100, len(place)
    assert share >= MINIMUM_SHARE, (
        f"{len(shipped)} of {len(place)} place-tied lines shipped ({share:.1%}); left out: "
        f"{sorted(k for k in place if status[k] == 'left_out')}"
    )
