"""Cell values as CODI's files write them: numbers, fiscal years, quarters, dates and
coordinates (pure functions). Thai text rules and the fiscal calendar are ``codi_geo.thai``'s.

- Years: a year below 2400 is Gregorian (CE) and gets +543. A two-digit year is Buddhist Era
  (``69`` = 2569), except after ``FY`` (``FY26`` = 2026 CE = 2569).
- Coordinates outside Thailand are rejected; latitude and longitude given the wrong way round
  are put right (the two ranges cannot overlap in Thailand).
- A ``-`` or empty cell in a number column means "no figure", not zero.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Any

from rapidfuzz import fuzz

from codi_geo.results.imports.mapping import header_key
from codi_geo.results.imports.problems import CellValueError
from codi_geo.thai import BE_OFFSET, MONTHS_EN, MONTHS_TH, buddhist_year, clean_text

# Thailand's extent with a small margin (Ko Kut to Mae Sai, Betong to Ubon's eastern tip).
LAT_RANGE = (5.5, 20.6)
LON_RANGE = (97.3, 105.7)


_EMPTY_MARKS = {"", "-", "–", "—", "n/a", "na", "none", "null", "nan", "ไม่มี", "ไม่ระบุ"}
_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?$")
_WORD_SCALES = (("ล้านบาท", 1e6), ("ล้าน", 1e6), ("million", 1e6), ("ลบ", 1e6))


def no_figure(text: str | None) -> bool:
    """Empty, or a mark that says "no figure" (``-``, ``ไม่มี``, ``n/a`` …)."""
    return clean_text(text).casefold().strip() in _EMPTY_MARKS


def parse_number(text: str | None) -> tuple[float | None, bool]:
    """A figure as CODI's spreadsheets write it: ``1,234``, ``๑,๒๓๔``, ``675,000 บาท``,
    ``1.5 ล้าน``; ``-`` or empty is no figure (None). Returns (value, scaled_in_cell)."""
    text = clean_text(text).casefold().replace("฿", "").strip()
    if text in _EMPTY_MARKS:
        return None, False
    match = re.match(r"^([+-]?[\d,]*\.?\d+)(\s*)(.*)$", text)
    # A unit may follow: Thai words (``675,000บาท``) or an English word after a space;
    # ``12o`` is a typing slip, not twelve.
    if not match or not _is_unit(match.group(3), bool(match.group(2))):
        raise CellValueError("not_a_number")
    digits, unit = match.group(1), match.group(3).strip(" .")
    if "%" in unit or "ร้อยละ" in unit:
        raise CellValueError("percentage")
    if not _NUMBER.match(digits) or digits in ("", "+", "-"):
        raise CellValueError("unclear_number")
    value = float(digits.replace(",", ""))
    for word, scale in _WORD_SCALES:
        if unit.startswith(word):
            return value * scale, True
    return value, False


def _is_unit(text: str, spaced: bool) -> bool:
    text = text.strip(" .")
    if not text or text in ("%", "ร้อยละ"):
        return True
    if re.fullmatch(r"[\u0e00-\u0e7f .]+", text):
        return True
    return spaced and bool(re.fullmatch(r"[a-z][a-z .]+", text))


def header_scale(header: str) -> float:
    """Figures under ``งบประมาณ (ล้านบาท)`` or ``(ลบ.)`` are millions of baht."""
    key = header_key(header)
    if "ล้าน" in key or "million" in key or key.endswith("ลบ"):
        return 1e6
    if "พันบาท" in key or "thousand" in key:
        return 1e3
    return 1.0


def _check_fiscal_year(year: int) -> int:
    if not 2500 <= year <= 2700:
        raise CellValueError("implausible_fiscal_year")
    return year


def parse_fiscal_year(text: str | None) -> int | None:
    """``2569``, ``๒๕๖๙``, ``ปีงบประมาณ 2569``, ``พ.ศ. 2569``, ``2026``, ``FY2026``, ``69``."""
    cleaned = clean_text(text).casefold()
    if cleaned in _EMPTY_MARKS:
        return None
    numbers = re.findall(r"\d+(?:\.0+)?", cleaned)
    if len(numbers) != 1 or len(numbers[0].split(".")[0]) not in (2, 4):
        raise CellValueError("fiscal_year")
    year = int(float(numbers[0]))
    return _check_fiscal_year(buddhist_year(year, two_digit_is_ce="fy" in cleaned))


_QUARTER = re.compile(
    r"^(?:q|qtr|quarter|ไตรมาสที่|ไตรมาส|ไตรมาศ|ที่)?([1-4])"
    r"(?:(?:/|-|ปีงบประมาณ|ปีงบ|ปี|fy|พศ)*(\d{2}|\d{4}))?$"
)


def parse_quarter(text: str | None) -> tuple[int | None, int | None]:
    """``Q2``, ``ไตรมาส 2``, ``ไตรมาสที่ ๒``, ``2``, ``Q2/2569``: (quarter, fiscal year or None)."""
    cleaned = clean_text(text).casefold()
    if cleaned in _EMPTY_MARKS:
        return None, None
    key = re.sub(r"^(\d)\.0+$", r"\1", cleaned)  # 2.0 from a spreadsheet number
    key = re.sub(r"[\s.]+", "", key)
    match = _QUARTER.match(key)
    if not match:
        raise CellValueError("quarter")
    year = match.group(2)
    fiscal_year = None
    if year:
        fiscal_year = _check_fiscal_year(buddhist_year(int(year), "fy" in key))
    return int(match.group(1)), fiscal_year


# Full Thai month names; the short forms (``พ.ย.``) and English names come from codi_geo.thai.
_THAI_MONTH_NAMES = (
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
)
_THAI_MONTHS = {
    **{name: i + 1 for i, name in enumerate(_THAI_MONTH_NAMES)},
    **{short.replace(".", ""): i + 1 for i, short in enumerate(MONTHS_TH)},
}
_EN_MONTHS = {name.casefold(): i + 1 for i, name in enumerate(MONTHS_EN)}


def _calendar_year(year: int) -> int:
    """A year in a date, as CE: BE (>= 2400) less 543; two digits: >= 40 BE, else CE."""
    if year < 100:
        year = 2500 + year if year >= 40 else 2000 + year
    return year - BE_OFFSET if year >= 2400 else year


_NUMERIC_DATE = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})")


def _strip_time(text: str) -> str:
    cleaned = clean_text(text).casefold()
    return re.sub(r"[ ,t]+\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?.*$", "", cleaned).strip(" ,")


def day_first(texts: Sequence[str]) -> bool:
    """Whether a column writes day/month (Thai usage) or month/day (a US-English form
    export): month/day only if some date has a second number above 12 and none a first."""
    firsts, seconds = [], []
    for text in texts:
        numeric = _NUMERIC_DATE.fullmatch(_strip_time(text))
        if numeric:
            firsts.append(int(numeric.group(1)))
            seconds.append(int(numeric.group(2)))
    return not (any(s > 12 for s in seconds) and not any(f > 12 for f in firsts))


def parse_date(text: str | None, day_first: bool = True) -> date | None:
    """Dates as Thai staff and Google Forms write them: ``15/11/2568``, ``15/11/2025
    10:22:33``, ``2025-11-15``, ``15 พ.ย. 2568``, ``15 พฤศจิกายน 2568``, ``15 Nov 2025``.
    ``d/m/y`` unless ``day_first`` is False (see ``day_first()``) or the day cannot be first
    (``11/26/2025``)."""
    if clean_text(text).casefold() in _EMPTY_MARKS:
        return None
    cleaned = _strip_time(text or "")
    try:
        iso = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", cleaned)
        if iso:
            y, m, d = (int(g) for g in iso.groups())
            return date(_calendar_year(y), m, d)
        numeric = _NUMERIC_DATE.fullmatch(cleaned)
        if numeric:
            first, second, y = (int(g) for g in numeric.groups())
            month_first = (second > 12 >= first) or (not day_first and first <= 12)
            d, m = (second, first) if month_first else (first, second)
            return date(_calendar_year(y), m, d)
        words = re.fullmatch(r"(\d{1,2})\s*([^\d\s]+)\s*(\d{2}|\d{4})", cleaned)
        if words:
            month = _month_number(words.group(2))
            if month:
                return date(_calendar_year(int(words.group(3))), month, int(words.group(1)))
    except ValueError:
        pass
    raise CellValueError("date")


def _month_number(word: str) -> int | None:
    key = re.sub(r"[.\s]", "", word)
    if key in _THAI_MONTHS:
        return _THAI_MONTHS[key]
    return _EN_MONTHS.get(key[:3])


_FLOAT = r"[+-]?\d+(?:\.\d+)?"
_DMS = re.compile(
    r"(\d+(?:\.\d+)?)\s*°\s*(?:(\d+(?:\.\d+)?)\s*['′]\s*)?(?:(\d+(?:\.\d+)?)\s*[\"″]\s*)?([nsewนตอ])?"
)


def parse_coordinate(text: str | None) -> float | None:
    """One coordinate: ``13.7563``, ``๑๓.๗๕๖๓``, ``13,7563`` (decimal comma), or
    degrees-minutes-seconds ``13°45'22.7"N``."""
    cleaned = clean_text(text).casefold()
    if cleaned in _EMPTY_MARKS:
        return None
    if re.fullmatch(r"[+-]?\d+,\d+", cleaned):
        cleaned = cleaned.replace(",", ".")
    if re.fullmatch(_FLOAT, cleaned):
        return float(cleaned)
    dms = _DMS.fullmatch(cleaned.replace(" ", ""))
    if dms:
        degrees, minutes, seconds, hemisphere = dms.groups()
        value = float(degrees) + float(minutes or 0) / 60 + float(seconds or 0) / 3600
        return -value if hemisphere in ("s", "w") else value
    raise CellValueError("coordinate")


def parse_coordinate_pair(text: str | None) -> tuple[float, float] | None:
    """One cell with both: ``13.75, 100.5``, ``13.75 100.5``, ``(13.75,100.5)``, or a Google
    Maps link (``@13.75,100.5`` / ``q=13.75,100.5``). Returns (first, second) as written."""
    cleaned = clean_text(text)
    if cleaned.casefold() in _EMPTY_MARKS:
        return None
    link = re.search(rf"(?:@|[?&](?:q|ll|query)=)({_FLOAT}),\s*({_FLOAT})", cleaned)
    if link:
        return float(link.group(1)), float(link.group(2))
    pair = re.fullmatch(rf"\(?\s*({_FLOAT})\s*[,;\s]\s*({_FLOAT})\s*\)?", cleaned)
    if pair:
        return float(pair.group(1)), float(pair.group(2))
    dms = [m for m in _DMS.finditer(cleaned.casefold().replace(" ", "")) if m.group(0)]
    if len(dms) == 2:
        first, second = (parse_coordinate(m.group(0)) for m in dms)
        if first is not None and second is not None:
            return first, second
    raise CellValueError("coordinate_pair")


def _in_thailand(lat: float, lon: float) -> bool:
    return LAT_RANGE[0] <= lat <= LAT_RANGE[1] and LON_RANGE[0] <= lon <= LON_RANGE[1]


def check_coordinates(lat: float, lon: float) -> tuple[float, float, bool]:
    """(latitude, longitude, swapped). Swapped pairs are put right: in Thailand a latitude
    (5-21) can never be a longitude (97-106). Anything else outside Thailand is an error."""
    if _in_thailand(lat, lon):
        return lat, lon, False
    if _in_thailand(lon, lat):
        return lon, lat, True
    raise CellValueError("outside_thailand", lat=lat, lon=lon)


_TOTAL_ROW = re.compile(
    r"^(รวม(ทั้งสิ้น|ทั้งหมด|ทั้งประเทศ|ทุกภาค)?|ผลรวม|ยอดรวม|grand total|total|sum)"
    r"(\s|\d|$|:)",
    re.IGNORECASE,
)


def is_total_label(text: str) -> bool:
    """``รวม``, ``รวมทั้งสิ้น``, ``Total``: a totals row, not a fact (``รวมไทยพัฒนา`` is a
    tambon, so the word must stand alone)."""
    return bool(_TOTAL_ROW.match(clean_text(text)))


# -- category words --------------------------------------------------------------------
# Offices write a category their own way. A word that is not one of the declared words is
# read as the nearest category only when the match is clear: a typo or spacing (one word of
# one category at least CLEAR_SCORE alike, every other category at least CLEAR_MARGIN less),
# or shared words (space-separated words that only one category's words contain).
CLEAR_SCORE = 80
CLEAR_MARGIN = 15
_WORD_SPLIT = re.compile(r"[\s()\[\]{}.,:;/\\\-_*#\"'’‘“”?]+")


def _category_scores(text: str, categories: Sequence[Any]) -> list[tuple[float, str]]:
    """(best likeness of any of its words, category id) per category, best first."""
    key = header_key(text)
    scores = []
    for category in categories:
        words = (category.id, category.name.th, category.name.en, *category.aliases)
        scores.append((max(fuzz.ratio(key, header_key(w)) for w in words), category.id))
    return sorted(scores, reverse=True)


def _words(text: str) -> set[str]:
    return {w for w in _WORD_SPLIT.split(clean_text(text).casefold()) if len(w) >= 2}


def nearest_category(text: str, categories: Sequence[Any]) -> str | None:
    """The category an undeclared word clearly means (a typo, spacing, shared words), else
    None: the user decides (``category_suggestions``)."""
    if not categories:
        return None
    scores = _category_scores(text, categories)
    best, best_id = scores[0]
    runner_up = scores[1][0] if len(scores) > 1 else 0.0
    if best >= CLEAR_SCORE and best - runner_up >= CLEAR_MARGIN:
        return best_id
    own = _words(text)
    sharing = [
        c.id
        for c in categories
        if own & set().union(*(_words(w) for w in (c.name.th, c.name.en, *c.aliases)))
    ]
    return sharing[0] if len(sharing) == 1 else None


def category_suggestions(text: str, categories: Sequence[Any], limit: int = 3) -> list[str]:
    """The category ids most like ``text``, most alike first (for the user to choose)."""
    return [
        category_id
        for score, category_id in _category_scores(text, categories)[:limit]
        if score > 0
    ]
