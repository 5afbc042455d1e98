"""Place-name matching: 10,000 messy rows through ``match_frame``, cold and warm.

    python bench/bench_matching.py [ROWS] [SEED]

The rows are real gazetteer names made messy the way CODI's documents are: level prefixes
(ต./ตำบล/อ./จ. ...), อ.เมือง, stray and zero-width spaces, Thai-digit postcodes, one-letter
typos, English spellings with their variants, and context in separate columns. Every row
knows the code it was made from, so the share matched *wrongly* is printed too.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_DIR))

import pandas as pd  # noqa: E402

from codi_geo.places import gazetteer  # noqa: E402

THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
THAI_LETTERS = "กขคงจฉชซญดตถทธนบปผพฟภมยรลวศสหอฮ"


def typo(rng: random.Random, name: str) -> str:
    """Drop, add or change one letter (not the first, as people rarely get that wrong)."""
    if len(name) < 4:
        return name
    i = rng.randrange(1, len(name))
    kind = rng.choice(("drop", "add", "change"))
    if kind == "drop":
        return name[:i] + name[i + 1 :]
    letter = rng.choice(THAI_LETTERS)
    return name[:i] + letter + name[i + (kind == "change") :]


def english_variant(rng: random.Random, name: str) -> str:
    """One of the spellings people use: Chon Buri/Chonburi, Si/Sri, Ph/P, upper case."""
    variants = [name, name.replace(" ", ""), name.replace("Si ", "Sri "), name.upper()]
    variants.append(name.replace("Ph", "P", 1))
    return rng.choice(variants)


def messy(rng: random.Random, text: str) -> str:
    """Stray spaces, a zero-width space, trailing punctuation."""
    if rng.random() < 0.2:
        text = text.replace(" ", "  ")
    if rng.random() < 0.15:
        i = rng.randrange(len(text) + 1)
        text = text[:i] + "\u200b" + text[i:]
    if rng.random() < 0.1:
        text = " " + text + rng.choice([".", ",", " :", ")"])
    return text


def tambon_row(rng: random.Random, row: pd.Series) -> dict[str, str]:
    tambon, district, province = row.name_th, row.district_th, row.province_th
    if rng.random() < 0.15:
        tambon = typo(rng, tambon)
    if row.district_code.endswith("01") and row.province_code != "10" and rng.random() < 0.5:
        district = "เมือง"
    bangkok = row.province_code == "10"
    form = rng.randrange(6)
    place, province_column, district_column = "", "", ""
    if form == 0:
        place = (
            f"แขวง{tambon} {district} กรุงเทพฯ"
            if bangkok
            else f"ต.{tambon} อ.{district} จ.{province}"
        )
    elif form == 1:
        place = f"ตำบล{tambon} อำเภอ{district} จังหวัด{province}"
    elif form == 2:
        place, province_column = f"ตำบล{tambon}", province
    elif form == 3:
        place, province_column, district_column = tambon, province, district
    elif form == 4:
        names = [english_variant(rng, n) for n in (row.name_en, row.district_en, row.province_en)]
        place = "Tambon {}, Amphoe {}, {}".format(*names)
    else:
        postcode = str(rng.randrange(10000, 97000)).translate(THAI_DIGITS)
        place = f"ต.{tambon} อ.{district} จ.{province} {postcode}"
    return {"place": messy(rng, place), "province": province_column, "district": district_column}


def district_row(rng: random.Random, row: pd.Series) -> dict[str, str]:
    name = row.name_th
    if rng.random() < 0.1:
        name = typo(rng, name)
    form = rng.randrange(4)
    if form == 0:
        place = name if row.province_code == "10" else f"อ.{name} จ.{row.province_th}"
        return {"place": messy(rng, place), "province": "", "district": ""}
    if form == 1:
        return {"place": messy(rng, f"อำเภอ{name}"), "province": row.province_th, "district": ""}
    if form == 2:
        place = f"{english_variant(rng, row.name_en)} District, {row.province_en}"
        return {"place": messy(rng, place), "province": "", "district": ""}
    return {"place": messy(rng, name), "province": row.province_th, "district": ""}


def province_row(rng: random.Random, row: pd.Series) -> dict[str, str]:
    form = rng.randrange(4)
    place = [row.name_th, f"จ.{row.name_th}", english_variant(rng, row.name_en)][min(form, 2)]
    if form == 3:
        place = typo(rng, row.name_th)
    return {"place": messy(rng, place), "province": "", "district": ""}


def build_rows(count: int, seed: int) -> pd.DataFrame:
    rng = random.Random(seed)
    provinces = gazetteer.provinces().set_index("code")
    districts = gazetteer.districts().set_index("code")
    tambons = gazetteer.tambons().copy()
    tambons["district_th"] = tambons["district_code"].map(districts["name_th"])
    tambons["district_en"] = tambons["district_code"].map(districts["name_en"])
    tambons["province_th"] = tambons["province_code"].map(provinces["name_th"])
    tambons["province_en"] = tambons["province_code"].map(provinces["name_en"])
    districts = districts.reset_index()
    districts["province_th"] = districts["province_code"].map(provinces["name_th"])
    districts["province_en"] = districts["province_code"].map(provinces["name_en"])
    provinces = provinces.reset_index()
    rows = []
    for _ in range(count):
        pick = rng.random()
        if pick < 0.6:
            row = tambons.iloc[rng.randrange(len(tambons))]
            rows.append({**tambon_row(rng, row), "true_code": row.code})
        elif pick < 0.85:
            row = districts.iloc[rng.randrange(len(districts))]
            rows.append({**district_row(rng, row), "true_code": row.code})
        else:
            row = provinces.iloc[rng.randrange(len(provinces))]
            rows.append({**province_row(rng, row), "true_code": row.code})
    return pd.DataFrame(rows)


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 2569
    frame = build_rows(count, seed)
    print(
        f"rows: {len(frame)} ({frame.drop_duplicates(['place', 'province', 'district']).shape[0]}"
        f" distinct), seed {seed}"
    )

    started = time.perf_counter()
    from codi_geo.places import matching
    from codi_geo.places.matching import index, resolve

    imported = time.perf_counter()
    result = matching.match_frame(frame.drop(columns="true_code"))
    cold = time.perf_counter() - started
    print(
        f"cold (import + index + match): {cold:.2f} s, {len(frame) / cold:,.0f} rows/s "
        f"(import {imported - started:.2f} s)"
    )

    for memo in (resolve.match_cleaned, index._lookup_cached, resolve._context_part):
        memo.cache_clear()  # the index is kept; every row is matched again
    started = time.perf_counter()
    matching.match_frame(frame.drop(columns="true_code"))
    warm = time.perf_counter() - started
    print(f"warm index, empty memo: {warm:.2f} s, {len(frame) / warm:,.0f} rows/s")

    started = time.perf_counter()
    matching.match_frame(frame.drop(columns="true_code"))
    memo = time.perf_counter() - started
    print(f"warm index and memo: {memo:.2f} s, {len(frame) / memo:,.0f} rows/s")

    shares = result["status"].value_counts(normalize=True)
    print("status: " + ", ".join(f"{s} {shares.get(s, 0):.1%}" for s in matching.STATUSES))
    matched = result["status"] == "matched"
    wrong = matched & (result["code"] != frame["true_code"])
    print(
        f"matched to the code the row was made from: {(matched & ~wrong).mean():.1%}; "
        f"matched to another code: {wrong.mean():.2%}"
    )
    for _, row in result[wrong].head(8).iterrows():
        print(f"  wrong: {row.place!r} | {row.province} | {row.district} -> {row.code}")


if __name__ == "__main__":
    main()
