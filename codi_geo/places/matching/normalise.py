"""Name text in the forms names are compared in: cleaned text, exact keys (Thai letters only,
or folded romanisation), skeletons without tone marks, and the short and colloquial names of
provinces."""

from __future__ import annotations

import re

from codi_geo.thai import clean_text


def clean_place(text: object) -> str:
    """``thai.clean_text`` and no stray punctuation at either end."""
    return clean_text(text).strip(" ,;:.-–—()[]{}\"'“”‘’*•")


_THAI_CHAR = re.compile("[\u0e01-\u0e5b]")
_NOT_THAI_LETTER = re.compile("[^\u0e01-\u0e4e]+")


def is_thai(text: str) -> bool:
    return _THAI_CHAR.search(text) is not None


def thai_key(text: str) -> str:
    """Thai letters only: spaces, dots, hyphens, digits and Latin garble dropped."""
    return _NOT_THAI_LETTER.sub("", text)


_LATIN_FOLDS = (
    ("sri", "si"),
    ("ph", "p"),
    ("th", "t"),
    ("kh", "k"),
    ("ch", "c"),
    ("bh", "b"),
    ("dh", "d"),
    ("ue", "u"),
    ("oe", "o"),
    ("j", "c"),
)


def _latin_key(text: str) -> str:
    """Lower-case letters with the usual romanisation variants folded together, so that
    Chonburi/Chon Buri, Petchaburi/Phetchaburi and Nakhon Sri/Si Thammarat meet."""
    key = re.sub(r"[^a-z]", "", text.lower())
    for old, new in _LATIN_FOLDS:
        key = key.replace(old, new)
    return re.sub(r"(.)\1+", r"\1", key)


def name_key(text: str) -> str:
    """The form in which two names are compared for an exact match."""
    return thai_key(text) if is_thai(text) else _latin_key(text)


def skeleton_key(key: str) -> str:
    """A key without tone marks and silent-letter marks, the marks most often dropped."""
    return key.translate(_SKELETON_DROP)


_SKELETON_DROP = dict.fromkeys(map(ord, "\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c"), None)


# Short and colloquial province names. Weak ones are also ordinary tambon names, so they count
# only where the text says it is a province (จ./จังหวัด or the province column).
PROVINCE_ALIASES: dict[str, str] = {
    "กทม": "10",
    "กรุงเทพ": "10",
    "บางกอก": "10",
    "Bangkok": "10",
    "BKK": "10",
    "Krung Thep": "10",
    "Krung Thep Maha Nakhon": "10",
    "โคราช": "30",
    "Korat": "30",
    "Khorat": "30",
    "อยุธยา": "14",
    "กรุงศรีอยุธยา": "14",
    "กรุงเก่า": "14",
    "Ayutthaya": "14",
    "Ayudhya": "14",
    "Ayuthaya": "14",
    "อุบล": "34",
    "Ubon": "34",
    "อุดร": "41",
    "Udon": "41",
    "นครศรี": "80",
    "สุราษฎร์": "84",
    "สุราษ": "84",
    "Surat": "84",
    "สุพรรณ": "72",
    "กาญจน์": "71",
    "ประจวบ": "77",
}
WEAK_PROVINCE_ALIASES: dict[str, str] = {"ปากน้ำ": "11", "แปดริ้ว": "24", "เมืองคอน": "80"}
CAPITAL_WORDS = ("เมือง", "Mueang", "Muang")  # อ.เมือง = the capital district, code XX01
