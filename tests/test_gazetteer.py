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


def region_rows() -> list[dict[str, str]]:
    with REGIONS_CSV.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


PERIODS = {(2569, None), (2560, 2560)}


def test_each_period_puts_every_province_in_exactly_one_codi_region() -> None:
    rows = region_rows()
    assert set(gazetteer.region_periods()) == PERIODS
    for period in PERIODS:
        codes = [
            r["province_code"]
            for r in rows
            if (int(r["from_fy"]), int(r["to_fy"]) if r["to_fy"] else None) == period
        ]
        assert len(codes) == 77 and len(set(codes)) == 77, period
        assert set(codes) == set(gazetteer.provinces()["code"]), period
    assert set(r["codi_region"] for r in rows) == set(gazetteer.REGION_BY_ID)
    assert {r["evidence"] for r in rows} <= set(gazetteer.EVIDENCE)
    assert gazetteer.provinces()["region"].notna().all()


def test_region_sizes_match_the_reports() -> None:
    # FY2569: 000_91d7f34609a7394f.txt:295 gives the targets per region: 17 20 14 13 13 = 77.
    assert Counter(gazetteer.province_regions().values()) == {
        "north": 17,
        "northeast": 20,
        "south": 14,
        "central_west": 13,
        "bangkok_east": 13,
    }
    # FY2560: the North 15 (001:252), ภาคกลาง 16 (001:244), Bangkok-vicinity-East 12
    # (001:288); the Baan Por Piang table (001:94-98) counts 15 and 16 provinces too.
    assert Counter(gazetteer.province_regions(2560).values()) == {
        "north": 15,
        "northeast": 20,
        "south": 14,
        "central_west": 16,
        "bangkok_east": 12,
    }
    for region, size, lines in (
        ("north", 15, (252, 94)),
        ("central_west", 16, (244, 97)),
        ("bangkok_east", 12, (288,)),
    ):
        for line in lines:
            assert str(size) in seed_line(S1, line), (region, line)


def test_the_table_by_fiscal_year() -> None:
    assert gazetteer.province_regions() == gazetteer.province_regions(2569)
    assert gazetteer.province_regions(2575) == gazetteer.province_regions(2569)
    # A year no report gives a table for uses the current one.
    assert gazetteer.province_regions(2565) == gazetteer.province_regions()
    fy2560 = gazetteer.province_regions(2560)
    # 001:288 lists 12 provinces without นครปฐม; 001:244 puts นครสวรรค์ under ภาคกลาง;
    # the North of 15 leaves อุทัยธานี to ภาคกลาง too.
    assert fy2560["73"] == fy2560["60"] == fy2560["61"] == "central_west"
    assert gazetteer.province_regions()["73"] == "bangkok_east"
    assert gazetteer.province_regions()["60"] == gazetteer.province_regions()["61"] == "north"
    assert gazetteer.is_current_regions(2569) and not gazetteer.is_current_regions(2560)


S0 = "000_91d7f34609a7394f.txt"
S1 = "001_eb24b48048d2af6d.txt"
# How the cited lines write a region (the heading of the passage or table row).
REGION_WORDS = {
    "north": ("ภาคเหนือ", "เหนือ"),
    "northeast": ("ภาคตะวันออกเฉียงเหนือ", "อีสาน"),
    "south": ("ภาคใต้",),
    "central_west": ("ภาคกลาง",),
    "bangkok_east": ("ภาคกรุงเทพ",),
}
# Provinces written otherwise on their cited line: (province, from_fy) -> as written.
WRITTEN = {
    ("41", "2569"): "อุตรธานี",
    ("10", "2569"): "กทม.",
    # 001:254 writes จังหวัดอุดรธานี for ตำบลคอรุม อำเภอพิชัย, which is in อุตรดิตถ์.
    ("53", "2560"): "ตำบลคอรุม อำเภอพิชัย",
}


def _cited(row: dict[str, str]) -> tuple[str, str]:
    document, _, numbers = row["source"].partition(":")
    assert document in (S0, S1), row
    return document, " ".join(seed_line(document, int(n)) for n in numbers.split(","))


def test_each_assignment_cites_lines_saying_so_for_its_years() -> None:
    """``listed``: the cited lines name the province and its region, in the report of the
    assignment's years (FY2569: 000, FY2560: 001); ``other_year``: named so in another year's
    report (จันทบุรี, missing from the FY2569 table); ``inferred``: not named, and the cited
    lines give the size of the region that the note's reasoning completes."""
    report = {"2569": S0, "2560": S1}
    inferred: Counter[tuple[str, str]] = Counter()
    for row in region_rows():
        document, text = _cited(row)
        words = REGION_WORDS[row["codi_region"]]
        if row["evidence"] == "inferred":
            assert row["note"].startswith("not named"), row
            inferred[(row["from_fy"], row["codi_region"])] += 1
            assert document == report[row["from_fy"]], row
            continue
        written = WRITTEN.get((row["province_code"], row["from_fy"]), row["province_th"])
        assert written in text, row
        assert any(w in text for w in words), row
        if row["evidence"] == "listed":
            assert document == report[row["from_fy"]], row
        else:
            assert row["evidence"] == "other_year" and document != report[row["from_fy"]], row
            assert "missing" in row["note"], row
    # Only FY2560 provinces the report never places are inferred, each from its region's size.
    assert set(inferred) == {("2560", "north"), ("2560", "central_west")}
    assert inferred[("2560", "north")] == 4 and inferred[("2560", "central_west")] == 10


def test_chanthaburi_is_cited_where_it_is_listed() -> None:
    row = next(r for r in region_rows() if r["province_code"] == "22" and r["from_fy"] == "2569")
    assert row["source"] == f"{S1}:288" and row["evidence"] == "other_year"
    assert "จันทบุรี" in seed_line(S1, 288) and "จันทบุรี" not in seed_line(S0, 290)


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
