"""Thai text and the Thai calendar: text clean-up, Thai digits, Buddhist Era years and the
fiscal calendar. The one place for these rules; everything else asks here.

Thailand's fiscal year starts on 1 October: fiscal year 2569 (BE) runs from October 2568 to
September 2569, and October–December are quarter 1 of the next fiscal year. "Today" is a day
in Bangkok (UTC+7), whatever the server's clock zone.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from zoneinfo import ZoneInfo

BANGKOK = ZoneInfo("Asia/Bangkok")
BE_OFFSET = 543

THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
# Thai marks that sit above/below a consonant; PDFs sometimes emit tone before vowel, and
# write ำ as nikhahit + aa.
_UPPER_VOWELS = "\u0e31\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a\u0e47"
_TONES = "\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e4d"
_MARK_RUN = re.compile(f"[{_UPPER_VOWELS}{_TONES}]{{2,}}")
_SARA_AM, _NIKHAHIT_AA = "\u0e33", "\u0e4d\u0e32"

MONTHS_TH = (
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
)
MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def clean_text(value: object) -> str:
    """NFC text without zero-width characters, Thai digits as 0-9, ำ written as one letter,
    vowel marks before tone marks, single spaces, no spaces at either end."""
    if value is None or (isinstance(value, float) and value != value):  # None or NaN
        return ""
    text = str(value)
    if text.isascii():  # none of the rules below touches ASCII: only the spaces (most cells)
        return " ".join(text.split())
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    text = text.translate(THAI_DIGITS).replace(_NIKHAHIT_AA, _SARA_AM)
    text = _MARK_RUN.sub(lambda m: "".join(sorted(m.group(), key=_mark_rank)), text)
    return " ".join(text.split())


def _mark_rank(mark: str) -> int:
    return 0 if mark in _UPPER_VOWELS else 1


def buddhist_year(year: int, two_digit_is_ce: bool = False) -> int:
    """A year as Buddhist Era: below 2400 it is CE (+543); two digits are BE short forms
    (``69`` → 2569) unless ``two_digit_is_ce`` (``fy26`` → 2569)."""
    if year < 100:
        return (2000 + year + BE_OFFSET) if two_digit_is_ce else 2500 + year
    return year + BE_OFFSET if year < 2400 else year


def today(now: datetime | None = None) -> date:
    """The date in Bangkok now (or at ``now``, which must be timezone-aware)."""
    return (now or datetime.now(BANGKOK)).astimezone(BANGKOK).date()


def fiscal_year_of(day: date) -> int:
    """The fiscal year (BE) containing ``day``: October starts the next one."""
    return day.year + BE_OFFSET + (1 if day.month >= 10 else 0)


def quarter_of(day: date) -> int:
    """The fiscal quarter of ``day`` (Q1 = Oct–Dec)."""
    return (day.month - 10) % 12 // 3 + 1


def fiscal_period(day: date) -> tuple[int, int]:
    """(fiscal year BE, quarter) of a date."""
    return fiscal_year_of(day), quarter_of(day)


def quarter_months(fiscal_year: int, quarter: int) -> tuple[tuple[int, int], tuple[int, int]]:
    """((first month, its BE year), (last month, its BE year)) of a fiscal quarter."""
    if not 1 <= quarter <= 4:
        raise ValueError(f"quarter must be 1–4, not {quarter}")
    first = (10 + 3 * (quarter - 1) - 1) % 12 + 1
    last = (first + 1) % 12 + 1
    first_year = fiscal_year - 1 if first >= 10 else fiscal_year
    last_year = fiscal_year - 1 if last >= 10 else fiscal_year
    return (first, first_year), (last, last_year)


def header_key(text: str) -> str:
    """Text reduced for comparison (column headers, category words): case, spaces and
    punctuation removed. The store keys remembered category words by it, the importer
    compares by it."""
    return re.sub(r"[\s()\[\]{}.,:;/\\\-_*#\"'’‘“”?]+", "", clean_text(text).casefold())
