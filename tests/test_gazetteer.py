"""Gazetteer (geothai) and CODI's region table."""

from __future__ import annotations

import csv
from collections import Counter

import pytest

from codi_geo.places import gazetteer
from codi_geo.settings import REGIONS_CSV

from .seeds import seed_line


def test_levels_have_dopa_counts() -> None:
    assert len(gazetteer.provinces()) == 77
    assert len(gazetteer.districts()) == 928
    assert len(gazetteer.tambons()) == 7436
    tambons = gazetteer.tambons()
    assert (tambons["code"].str[:4] == tambons["district_code"]).all()
    assert set(tambons["district_code"]) == set(gazetteer.districts()["code"])


def test_every_province_is_in_exactly_one_codi_region() -> None:
    with REGIONS_CSV.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    codes = [r["province_code"] for r in rows]
    assert len(codes) == 77 and len(set(codes)) == 77
    assert set(codes) == set(gazetteer.provinces()["code"])
    assert set(r["codi_region"] for r in rows) == set(gazetteer.REGION_BY_ID)
    assert gazetteer.provinces()["region"].notna().all()


def test_region_sizes_match_the_reports_targets() -> None:
    # 000_91d7f34609a7394f.txt:295 gives the FY2569 targets per region: 17 20 14 13 13 = 77.
    sizes = Counter(gazetteer.province_regions().values())
    assert sizes == {
        "north": 17,
        "northeast": 20,
        "south": 14,
        "central_west": 13,
        "bangkok_east": 13,
    }


def test_region_table_cites_lines_that_name_the_province() -> None:
    seed = "000_91d7f34609a7394f.txt"
    with REGIONS_CSV.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        document, _, line_numbers = row["source"].partition(":")
        assert document == seed
        cited = " ".join(seed_line(seed, int(n)) for n in line_numbers.split(","))
        written = {"41": "อุตรธานี", "10": "กทม."}.get(row["province_code"], row["province_th"])
        if row["province_code"] == "22":  # จันทบุรี: missing from the source, said in the note
            assert "missing" in row["note"]
            continue
        assert written in cited, row


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("84", "จ.สุราษฎร์ธานี"),
        ("8405", "อ.เกาะพะงัน จ.สุราษฎร์ธานี"),
        ("840503", "ต.เกาะเต่า อ.เกาะพะงัน จ.สุราษฎร์ธานี"),
        ("100101", "แขวงพระบรมมหาราชวัง เขตพระนคร จ.กรุงเทพมหานคร"),
    ],
)
def test_full_names(code: str, expected: str) -> None:
    assert gazetteer.full_name(code) == expected


def test_level_of_code() -> None:
    assert gazetteer.level_of_code("10") == "province"
    assert gazetteer.level_of_code("1001") == "district"
    assert gazetteer.level_of_code("100101") == "tambon"
    with pytest.raises(ValueError, match="not a DOPA code"):
        gazetteer.level_of_code("TH10")


def test_abolished_codes_name_their_successors() -> None:
    retired = gazetteer.abolished_areas()
    assert retired["530306"].successors == ("530407",)
    assert retired["104701"].level == "tambon"
