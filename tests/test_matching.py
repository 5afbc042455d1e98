"""Place-name matching: one explicit case per difficulty class, and the gold set.

Expected codes come from the register (``gazetteer``), looked up by exact name and parent,
never from the matcher itself. The gold set (``tests/data/place_names_gold.csv``) holds real
strings from CODI's reports, each checked by hand; its citations are checked against the seeds.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from codi_geo.places import gazetteer
from codi_geo.places.matching import (
    AMBIGUOUS,
    MATCHED,
    UNMATCHED,
    MatchInputError,
    match_frame,
    match_place,
)
from codi_geo.thai import clean_text

from .seeds import seed_line

GOLD_CSV = Path(__file__).parent / "data" / "place_names_gold.csv"


def code_of(level: str, name_th: str, within: str = "") -> str:
    """The one current code at ``level`` named ``name_th`` inside the area ``within``."""
    frame = gazetteer.areas(level)  # type: ignore[arg-type]
    found = frame[(frame["name_th"] == name_th) & frame["code"].str.startswith(within)]
    assert len(found) == 1, f"{name_th} in {within!r}: {found['code'].tolist()}"
    return str(found["code"].iloc[0])


def province(name_th: str) -> str:
    return code_of("province", name_th)


def district(name_th: str, province_name: str) -> str:
    return code_of("district", name_th, province(province_name))


def tambon(name_th: str, district_name: str, province_name: str) -> str:
    return code_of("tambon", name_th, district(district_name, province_name))


def assert_matched(result, code: str) -> None:
    assert (result.status, result.code) == (MATCHED, code), result
    assert result.level == gazetteer.level_of_code(code)
    assert result.candidates[0].code == code


# --- prefixes and abbreviations ---------------------------------------------------------


@pytest.mark.parametrize(
    "place",
    [
        "ต.ตลาด อ.เมืองสุราษฎร์ธานี จ.สุราษฎร์ธานี",
        "ตำบลตลาด อำเภอเมืองสุราษฎร์ธานี จังหวัดสุราษฎร์ธานี",
        "ต. ตลาด  อ. เมืองสุราษฎร์ธานี  จ. สุราษฎร์ธานี",
        "ตำบลตลาดอำเภอเมืองสุราษฎร์ธานีจังหวัดสุราษฎร์ธานี",
    ],
)
def test_tambon_district_province_prefixes(place: str) -> None:
    assert_matched(match_place(place), tambon("ตลาด", "เมืองสุราษฎร์ธานี", "สุราษฎร์ธานี"))


@pytest.mark.parametrize("place", ["จ.สงขลา", "จังหวัดสงขลา", "สงขลา", "จ. สงขลา"])
def test_province_prefixes(place: str) -> None:
    assert_matched(match_place(place), province("สงขลา"))


@pytest.mark.parametrize("place", ["อ.หาดใหญ่", "อำเภอหาดใหญ่", "กิ่งอำเภอหาดใหญ่"])
def test_district_prefixes(place: str) -> None:
    assert_matched(match_place(place, province="สงขลา"), district("หาดใหญ่", "สงขลา"))


def test_bangkok_khwaeng_and_khet() -> None:
    expected = tambon("คลองจั่น", "เขตบางกะปิ", "กรุงเทพมหานคร")
    assert_matched(match_place("แขวงคลองจั่น เขตบางกะปิ กรุงเทพฯ 10240"), expected)
    assert_matched(match_place("เขตบางกะปิ"), district("เขตบางกะปิ", "กรุงเทพมหานคร"))
    # the khet's name alone is both a khet and a khwaeng of Huai Khwang: the khet is meant
    assert_matched(match_place("บางกะปิ"), district("เขตบางกะปิ", "กรุงเทพมหานคร"))


def test_tambon_label_restricts_the_level() -> None:
    # หาดใหญ่ names a district and a tambon; the label decides which
    assert_matched(match_place("ต.หาดใหญ่ จ.สงขลา"), tambon("หาดใหญ่", "หาดใหญ่", "สงขลา"))
    assert_matched(match_place("อ.หาดใหญ่ จ.สงขลา"), district("หาดใหญ่", "สงขลา"))
    assert_matched(match_place("หาดใหญ่"), district("หาดใหญ่", "สงขลา"))


def test_a_name_containing_a_level_word_is_not_split() -> None:
    only = code_of("tambon", "สามตำบล")
    assert_matched(match_place("ตำบลสามตำบล"), only)
    ranong_jpr = code_of("tambon", "จ.ป.ร.")
    assert_matched(match_place("ต.จ.ป.ร. จ.ระนอง"), ranong_jpr)
    assert_matched(match_place("ตำบลจปร.", province="จังหวัดระนอง"), ranong_jpr)
    # เขต ends several names; inside a word it is never the Bangkok label
    assert_matched(match_place("ตำบลหลักเขต"), code_of("tambon", "หลักเขต"))
    assert_matched(match_place("ต.อีสานเขต"), code_of("tambon", "อีสานเขต"))


# --- municipalities and communities -----------------------------------------------------


@pytest.mark.parametrize(
    "place",
    [
        "เทศบาลตำบลพะตง",
        "ทต.พะตง",
        "อบต.พะตง",
        "องค์การบริหารส่วนตำบลพะตง",
        "เทศบาลเมืองพะตง",
        "ทม.พะตง",
    ],
)
def test_municipality_forms_are_the_tambon(place: str) -> None:
    expected = tambon("พะตง", "หาดใหญ่", "สงขลา")
    assert_matched(match_place(place, province="สงขลา"), expected)


def test_a_city_named_after_its_province_is_the_capital_district() -> None:
    assert_matched(match_place("เทศบาลนครเชียงใหม่"), district("เมืองเชียงใหม่", "เชียงใหม่"))
    assert_matched(match_place("ทน.เชียงใหม่"), district("เมืองเชียงใหม่", "เชียงใหม่"))
    # ... unless the context puts it elsewhere: Songkhla has a tambon กำแพงเพชร
    assert_matched(match_place("เทศบาลเมืองกำแพงเพชร"), district("เมืองกำแพงเพชร", "กำแพงเพชร"))
    assert_matched(
        match_place("เทศบาลเมืองกำแพงเพชร", province="จังหวัดสงขลา"),
        tambon("กำแพงเพชร", "รัตภูมิ", "สงขลา"),
    )


def test_a_community_is_not_a_place() -> None:
    assert match_place("ชุมชนสุริยมณี").status == UNMATCHED
    assert match_place("ชุมชนบ้านมั่นคงประชาร่วมใจ").status == UNMATCHED
    # ... but the district written after it is
    assert_matched(
        match_place("ชุมชนตาหลังใน อำเภอวังน้ำเย็น จังหวัดสระแก้ว"),
        district("วังน้ำเย็น", "สระแก้ว"),
    )


def test_ban_is_part_of_tambon_names() -> None:
    # บ้าน starts 450 tambon names: it is never stripped as a village prefix
    assert_matched(
        match_place("ตำบลบ้านลาด", province="เพชรบุรี"), tambon("บ้านลาด", "บ้านลาด", "เพชรบุรี")
    )


def test_organisation_words_before_a_tambon_are_ignored() -> None:
    expected = tambon("ห้วยโจด", "วัฒนานคร", "สระแก้ว")
    result = match_place("กองทุนสวัสดิการชุมชนตำบลห้วยโจด อ.วัฒนานคร จ.สระแก้ว")
    assert_matched(result, expected)


# --- colloquial and short names ---------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "official"),
    [
        ("กทม.", "กรุงเทพมหานคร"),
        ("กรุงเทพฯ", "กรุงเทพมหานคร"),
        ("กรุงเทพ", "กรุงเทพมหานคร"),
        ("โคราช", "นครราชสีมา"),
        ("อยุธยา", "พระนครศรีอยุธยา"),
        ("อุบลฯ", "อุบลราชธานี"),
        ("นครศรีฯ", "นครศรีธรรมราช"),
        ("นครศรี", "นครศรีธรรมราช"),
        ("สุราษฎร์", "สุราษฎร์ธานี"),
        ("จ.ปากน้ำ", "สมุทรปราการ"),
    ],
)
def test_colloquial_province_names(written: str, official: str) -> None:
    assert_matched(match_place(written), province(official))


def test_paknam_alone_is_a_tambon_name_not_samut_prakan() -> None:
    result = match_place("ปากน้ำ")
    tambons = gazetteer.tambons()
    named = set(tambons.loc[tambons["name_th"] == "ปากน้ำ", "code"])
    assert result.status == AMBIGUOUS
    assert {c.code for c in result.candidates} <= named
    assert province("สมุทรปราการ") not in {c.code for c in result.candidates}


def test_colloquial_names_inside_addresses() -> None:
    assert_matched(match_place("ต.ไผ่ลิง จ.อยุธยา"), tambon("ไผ่ลิง", "พระนครศรีอยุธยา", "พระนครศรีอยุธยา"))
    assert_matched(match_place("อ.เมืองโคราช"), district("เมืองนครราชสีมา", "นครราชสีมา"))


# --- English ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "official"),
    [
        ("Chonburi", "ชลบุรี"),
        ("Chon Buri", "ชลบุรี"),
        ("Nakhon Sri Thammarat", "นครศรีธรรมราช"),
        ("Korat", "นครราชสีมา"),
        ("Ayutthaya", "พระนครศรีอยุธยา"),
        ("Ayudhya", "พระนครศรีอยุธยา"),
        ("Bangkok", "กรุงเทพมหานคร"),
        ("Lopburi", "ลพบุรี"),
        ("Prachinburi", "ปราจีนบุรี"),
        ("Petchaburi", "เพชรบุรี"),
        ("Phetchaburi", "เพชรบุรี"),
        ("Chiangmai", "เชียงใหม่"),
        ("CHIANG MAI", "เชียงใหม่"),
        ("Phang-nga", "พังงา"),
        ("Nakhon Si Thammarat Province", "นครศรีธรรมราช"),
    ],
)
def test_english_province_spellings(written: str, official: str) -> None:
    assert_matched(match_place(written), province(official))


def test_english_composite_strings() -> None:
    talat = tambon("ตลาด", "เมืองสุราษฎร์ธานี", "สุราษฎร์ธานี")
    assert_matched(match_place("Tambon Talat, Amphoe Mueang Surat Thani, Surat Thani"), talat)
    assert_matched(match_place("Tambon Talat Amphoe Mueang Changwat Surat Thani"), talat)
    assert_matched(match_place("Hat Yai, Songkhla"), district("หาดใหญ่", "สงขลา"))
    assert_matched(match_place("Hatyai District, Songkhla"), district("หาดใหญ่", "สงขลา"))
    # "Khet" here ends a name rather than labelling one
    assert_matched(
        match_place("Sanam Chai Khet District, Chachoengsao"),
        district("สนามชัยเขต", "ฉะเชิงเทรา"),
    )


# --- stray characters -------------------------------------------------------------------


def test_zero_width_spaces_thai_digits_and_punctuation() -> None:
    expected = tambon("ตลาด", "เมืองสุราษฎร์ธานี", "สุราษฎร์ธานี")
    messy = "\ufeff ต.ตลา\u200bด อ.เมือง จ.สุราษฎร์\u200bธานี ๘๔๐๐๐ ."
    assert_matched(match_place(messy), expected)
    assert clean_text("สงขลา\u200b ๙๐๑๑๐") == "สงขลา 90110"


def test_split_sara_am_and_swapped_marks_are_normalised() -> None:
    # PDFs write ำ as nikhahit + aa, and sometimes a tone mark before its vowel
    assert clean_text("ตําบล") == "ตำบล"
    assert clean_text("ก\u0e49\u0e35") == "ก\u0e35\u0e49"
    expected = tambon("ห้วยน้ำขาว", "คลองท่อม", "กระบี่")
    assert_matched(match_place("ตําบลห้วยน\u0e49\u0e4d\u0e32ขาว", province="กระบี่"), expected)


def test_plain_ascii_text_only_loses_its_extra_spaces() -> None:
    # ASCII takes a short way through clean_text: it must give what the full way gives
    assert clean_text("  13.7563,\t 100.5\n") == "13.7563, 100.5"
    assert clean_text("Chiang   Mai") == "Chiang Mai"
    assert clean_text(2569) == "2569"
    assert clean_text(float("nan")) == clean_text(None) == ""
    assert clean_text(" ต.\u200bตลาด  ๑ ") == "ต.ตลาด 1"


def test_stray_space_inside_a_name() -> None:
    assert_matched(match_place("ตำบลบาง เป้า อ.กันตัง จ.ตรัง"), tambon("บางเป้า", "กันตัง", "ตรัง"))


# --- อ.เมือง ------------------------------------------------------------------------------


def test_mueang_is_the_capital_district_of_its_province() -> None:
    capital = district("เมืองเชียงใหม่", "เชียงใหม่")
    assert_matched(match_place("อ.เมือง จ.เชียงใหม่"), capital)
    assert_matched(match_place("อำเภอเมือง", province="เชียงใหม่"), capital)
    assert_matched(match_place("Amphoe Mueang, Chiang Mai"), capital)
    assert_matched(match_place("อำเภอมือง จังหวัดเชียงใหม่"), capital)  # typo in เมือง


def test_mueang_without_a_province_is_ambiguous() -> None:
    result = match_place("อ.เมือง")
    assert result.status == AMBIGUOUS and result.code is None
    assert all(c.code.endswith("01") and c.level == "district" for c in result.candidates)


# --- typos ------------------------------------------------------------------------------


def test_the_seed_typos() -> None:
    # 000_91d7f34609a7394f.txt:215, 264, 284
    assert_matched(match_place("ตำบลหรือเสาะ จังหวัดนราธิวาส"), tambon("รือเสาะ", "รือเสาะ", "นราธิวาส"))
    assert_matched(
        match_place("ตำบลบ้านหลวง อำเภอสนา จังหวัดพระนครศรีอยุธยา"),
        tambon("บ้านหลวง", "เสนา", "พระนครศรีอยุธยา"),
    )
    result = match_place("อุตรธานี")
    assert_matched(result, province("อุดรธานี"))
    assert "typo" in result.note and result.score < 100


@pytest.mark.parametrize(
    ("written", "name"),
    [("คลองท่อมเหนอ", "คลองท่อมเหนือ"), ("คลองท่อมเหนืออ", "คลองท่อมเหนือ"), ("ห้วยน้ำขาง", "ห้วยน้ำขาว")],
)
def test_one_dropped_added_or_changed_letter(written: str, name: str) -> None:
    result = match_place(f"ตำบล{written}", province="กระบี่")
    assert_matched(result, tambon(name, "คลองท่อม", "กระบี่"))
    assert result.score < 100


def test_tone_marks_alone_are_forgiven() -> None:
    result = match_place("ตำบลห้วยตึกชู", province="ศรีสะเกษ")
    assert_matched(result, tambon("ห้วยตึ๊กชู", "ภูสิงห์", "ศรีสะเกษ"))
    assert "tone" in result.note


def test_a_typo_that_is_two_letters_from_the_distinctive_part_is_not_guessed() -> None:
    # Phetchaburi has no หนองปรือ; หนองปรง differs in the part after หนอง by two letters
    result = match_place("ต.หนองปรือ", province="จ.เพชรบุรี")
    assert result.code is None and result.status == UNMATCHED


def test_equally_close_names_are_ambiguous() -> None:
    # one letter from both ระยอง and ระนอง
    result = match_place("ระถอง")
    assert result.status == AMBIGUOUS
    assert {province("ระยอง"), province("ระนอง")} <= {c.code for c in result.candidates}


def test_a_typo_next_to_an_exact_name_elsewhere() -> None:
    # สาคร is a tambon in Satun; in Phuket the text can only mean สาคู
    assert_matched(match_place("ตำบลสาคร", province="จังหวัดภูเก็ต"), tambon("สาคู", "ถลาง", "ภูเก็ต"))


# --- renamed and abolished units --------------------------------------------------------


def _abolished(*, split: bool):
    """An abolished tambon whose old district still exists: either moved to another district
    under the same name (one successor), or split into several tambons (``split``)."""
    tambons = gazetteer.tambons()
    for area in gazetteer.abolished_areas().values():
        old_district = gazetteer.name_of(area.code[:4])
        if area.level != "tambon" or not old_district or not area.successors:
            continue
        if not all(gazetteer.is_current(s) for s in area.successors):
            continue
        namesakes = tambons.loc[
            (tambons["name_th"] == area.name_th) & (tambons["province_code"] == area.code[:2]),
            "code",
        ].tolist()
        moved = namesakes == list(area.successors) and namesakes[0][:4] != area.code[:4]
        if (split and len(area.successors) > 1 and not namesakes) or (not split and moved):
            return area, old_district
    raise AssertionError("no abolished tambon of that kind to test with")


def test_tambon_moved_to_a_new_district_is_found_under_its_old_district() -> None:
    area, old_district = _abolished(split=False)
    place = f"ต.{area.name_th} อ.{old_district} จ.{gazetteer.name_of(area.code[:2])}"
    result = match_place(place)
    assert_matched(result, area.successors[0])
    assert f"abolished code {area.code} -> {area.successors[0]}" in result.note


def test_tambon_split_into_several_is_ambiguous_between_its_successors() -> None:
    area, old_district = _abolished(split=True)
    province_name = gazetteer.name_of(area.code[:2])
    result = match_place(f"แขวง{area.name_th}", district=old_district, province=province_name)
    assert result.status == AMBIGUOUS
    assert {c.code for c in result.candidates} == set(area.successors)
    # the context columns may hold DOPA codes instead of names
    by_code = match_place(area.name_th, district=area.code[:4], province=area.code[:2])
    assert {c.code for c in by_code.candidates} == set(area.successors)


def test_abolished_code_is_read_as_its_successor() -> None:
    area, _ = _abolished(split=False)
    assert_matched(match_place(area.code), area.successors[0])


def test_current_and_unknown_codes() -> None:
    assert_matched(match_place("840101"), "840101")
    assert match_place("999999").status == UNMATCHED


# --- the same name in several places ----------------------------------------------------


def test_same_tambon_name_resolved_by_context() -> None:
    tambons = gazetteer.tambons()
    all_tha_ruea = set(tambons.loc[tambons["name_th"] == "ท่าเรือ", "code"])
    result = match_place("ตำบลท่าเรือ")
    assert result.status == AMBIGUOUS and result.code is None
    assert {c.code for c in result.candidates} <= all_tha_ruea
    assert len(result.candidates) == min(len(all_tha_ruea), 8)
    expected = tambon("ท่าเรือ", "ท่าแพ", "สตูล")
    assert_matched(match_place("ตำบลท่าเรือ", province="สตูล"), expected)
    assert_matched(match_place("ท่าเรือ", province="จังหวัดสตูล", district="ท่าแพ"), expected)
    assert_matched(match_place("ตำบลท่าเรือ อำเภอท่าแพ"), expected)


def test_district_column_makes_an_unlabelled_name_a_tambon() -> None:
    # นาทวี is a district and a tambon; with the district given, the tambon is meant
    assert_matched(match_place("นาทวี", "สงขลา", "นาทวี"), tambon("นาทวี", "นาทวี", "สงขลา"))
    assert_matched(match_place("นาทวี", "สงขลา"), district("นาทวี", "สงขลา"))


def test_context_that_contradicts_the_name() -> None:
    # 000_91d7f34609a7394f.txt:423 gives the wrong district; tambon and province agree
    result = match_place("ตำบลแม่ไร่ อำเภอมะนัง จังหวัดเชียงราย")
    assert_matched(result, tambon("แม่ไร่", "แม่จัน", "เชียงราย"))
    assert "มะนัง" in result.note and result.score < 100
    # a tambon that exists only in another province is not forced into this one
    elsewhere = match_place("ตำบลคอรุม", province="อุดรธานี")
    assert elsewhere.code is None


# --- level restriction, scores, tables --------------------------------------------------


def test_level_restricts_the_answer() -> None:
    place = "ต.ตลาด อ.เมือง จ.สุราษฎร์ธานี"
    assert_matched(match_place(place, level="district"), district("เมืองสุราษฎร์ธานี", "สุราษฎร์ธานี"))
    assert_matched(match_place(place, level="province"), province("สุราษฎร์ธานี"))
    assert match_place("สงขลา", level="tambon").status == UNMATCHED
    assert_matched(match_place("หาดใหญ่", level="tambon"), tambon("หาดใหญ่", "หาดใหญ่", "สงขลา"))
    with pytest.raises(ValueError, match="level"):
        match_place("สงขลา", level="region")


def test_exact_scores_100_and_empty_input_is_unmatched() -> None:
    assert match_place("จังหวัดสงขลา").score == 100
    for empty in ("", "  ", "\u200b"):
        assert match_place(empty).status == UNMATCHED


def test_match_frame_adds_columns_and_keeps_the_input() -> None:
    frame = pd.DataFrame(
        {
            "place": ["ตำบลท่าเรือ", "ตำบลท่าเรือ", "กทม.", None, "ชุมชนสุริยมณี"],
            "province": ["สตูล", "", "", "", ""],
            "note": ["a", "b", "c", "d", "e"],
        }
    )
    out = match_frame(frame)
    assert list(out.columns) == [*frame.columns, "code", "level", "status", "score", "candidates"]
    assert out["note"].tolist() == frame["note"].tolist()
    assert out["status"].tolist() == [MATCHED, AMBIGUOUS, MATCHED, UNMATCHED, UNMATCHED]
    assert out["code"].iloc[0] == tambon("ท่าเรือ", "ท่าแพ", "สตูล")
    assert out["code"].iloc[2] == province("กรุงเทพมหานคร")
    assert out["candidates"].iloc[1].count(";") >= 1  # "code name; code name"


def test_match_frame_without_place_column_says_so_in_thai_and_english() -> None:
    with pytest.raises(MatchInputError, match=r"ไม่พบคอลัมน์ 'ที่ตั้ง'.*no 'ที่ตั้ง' column"):
        match_frame(pd.DataFrame({"place": ["x"]}), place_column="ที่ตั้ง")


# --- the gold set -----------------------------------------------------------------------


def load_gold() -> list[dict[str, str]]:
    with GOLD_CSV.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_gold_set_is_well_formed_and_cites_its_sources() -> None:
    rows = load_gold()
    assert len(rows) >= 150
    statuses = {r["expected_status"] for r in rows}
    assert statuses <= {MATCHED, AMBIGUOUS, UNMATCHED} and AMBIGUOUS in statuses
    for row in rows:
        if row["expected_status"] == MATCHED:
            assert gazetteer.is_current(row["expected_code"]), row
        else:
            assert row["expected_code"] == "", row
        cited = f"{row['source_doc']}:{row['source_line']}"
        line = seed_line(row["source_doc"], int(row["source_line"]))
        for column in ("place", "province", "district"):
            assert row[column] in line, f"{cited} lacks {row[column]!r}"


def test_gold_set_accuracy() -> None:
    rows = load_gold()
    misses, wrong = [], []
    for row in rows:
        result = match_place(row["place"], row["province"] or None, row["district"] or None)
        expected_code = row["expected_code"] or None
        if row["expected_status"] == MATCHED:
            correct = (result.status, result.code) == (MATCHED, expected_code)
        elif row["expected_status"] == AMBIGUOUS:
            correct = result.status == AMBIGUOUS
        else:  # no DOPA unit: any answer without a code is right
            correct = result.code is None
        if result.status == MATCHED and result.code != expected_code:
            wrong.append(row)
        if not correct:
            misses.append(
                f"{row['source_doc']}:{row['source_line']} {row['place']!r} "
                f"(province {row['province']!r}) expected {row['expected_status']} "
                f"{row['expected_code']}, got {result.status} {result.code} [{result.note}]"
            )
    accuracy = 1 - len(misses) / len(rows)
    print(f"gold: {len(rows)} rows, accuracy {accuracy:.1%}, confidently wrong {len(wrong)}")
    report = "\n".join(misses)
    assert accuracy >= 0.95, f"accuracy {accuracy:.1%} < 95%; misses:\n{report}"
    assert len(wrong) <= 0.01 * len(rows), f"{len(wrong)} confidently wrong; misses:\n{report}"
