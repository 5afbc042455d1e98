"""No fact of the shipped data counts twice.

A named fact (a community, a cooperative, a network …) belongs to one programme's file with
its figures; another programme that is about the same fact keeps a row without the figure
and links to it in the note. Rows that are a part of a total shipped beside them (a national
network inside the national figure, a stage inside a target group) say so: their note begins
"part of", names the total's figure, and that figure stands on a row of the same programme.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from decimal import Decimal
from functools import cache
from pathlib import Path

from codi_geo.programmes import PROGRAMME_BY_ID, get_programme

DATA_DIR = Path(__file__).resolve().parents[1] / "data" / "programmes"
PART_OF = re.compile(r"^part of the ([^0-9]*?)([\d,]+)")


@cache
def shipped() -> dict[str, list[dict[str, str]]]:
    files = {}
    for path in sorted(DATA_DIR.glob("*.csv")):
        if path.stem in PROGRAMME_BY_ID:
            with path.open(encoding="utf-8", newline="") as f:
                files[path.stem] = list(csv.DictReader(f))
    assert len(files) >= 15, "too few programme files found"
    return files


def _name(text: str) -> str:
    return " ".join(text.split())


def _is_part(row: dict[str, str]) -> bool:
    return row["note"].startswith("part of ")


def _fact(programme: str, row: dict[str, str]) -> tuple[str, ...]:
    """What makes two rows the same fact: a named row is its name in its place and period,
    whichever programme ships it; an unnamed row is its programme's own figure."""
    where = (row["fiscal_year"], row["quarter"], row["level"], row["code"])
    if row["name"].strip():
        return ("named", *where, _name(row["name"]))
    return ("own", programme, *where, row["category"])


def test_every_total_across_programmes_counts_each_fact_once() -> None:
    """For every metric, the sum over all programmes' rows (parts of a shipped total left
    out) equals the sum over distinct facts."""
    totals: dict[str, Decimal] = defaultdict(Decimal)
    facts: dict[str, dict[tuple[str, ...], list[tuple[str, Decimal]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for programme, rows in shipped().items():
        metrics = [m.id for m in get_programme(programme).metrics]
        for row in rows:
            if _is_part(row):
                continue
            for metric in metrics:
                if row[metric]:
                    value = Decimal(row[metric])
                    totals[metric] += value
                    facts[metric][_fact(programme, row)].append((programme, value))
    twice = {
        (metric, key[-1]): found
        for metric, by_fact in facts.items()
        for key, found in by_fact.items()
        if len(found) > 1
    }
    assert twice == {}, f"facts with figures in more than one row: {twice}"
    for metric, by_fact in facts.items():
        distinct = sum((found[0][1] for found in by_fact.values()), Decimal(0))
        assert totals[metric] == distinct, metric
    assert len(totals) >= 10


def test_the_known_overlaps_are_stored_once() -> None:
    """The facts the audit found under two programmes keep their figure in one file only."""
    cases = {  # name -> (metric, the one programme with the figure, the other one)
        "ชุมชนสุริยมณี": ("households", "rail_housing", "land"),
        "ชุมชนเลียบคลองสอง โชน 3": ("households", "prem_prachakorn_canal", "land"),
        "ชุมชนมิตรตากามร่วมใจ": ("households", "housing_loan", "land"),
        "สหกรณ์เคหสถานปทุมธานีโมเดล จำกัด": ("households", "baan_mankong_urban", "land"),
    }
    for name, (metric, owner, other) in cases.items():
        own = [r for r in shipped()[owner] if _name(r["name"]) == name]
        linked = [r for r in shipped()[other] if _name(r["name"]) == name]
        assert len(own) == 1 and own[0][metric], (name, owner)
        assert len(linked) == 1 and not linked[0][metric], (name, other)
        assert f"{owner}.csv" in linked[0]["note"], (name, other)


def test_parts_say_what_they_are_part_of() -> None:
    parts = 0
    for programme, rows in shipped().items():
        metrics = [m.id for m in get_programme(programme).metrics]
        for row in rows:
            if not _is_part(row):
                continue
            parts += 1
            match = PART_OF.match(row["note"])
            assert match, row["note"]
            total = Decimal(match.group(2).replace(",", ""))
            same_year = [
                r for r in rows if r["fiscal_year"] == row["fiscal_year"] and not _is_part(r)
            ]
            holders = [r for r in same_year for m in metrics if r[m] and Decimal(r[m]) == total]
            assert holders, f"{programme} {row['name']}: no row holds the total {total}"
            for m in metrics:
                if row[m]:
                    assert Decimal(row[m]) <= total, (programme, row["name"], m)
    assert parts >= 4
