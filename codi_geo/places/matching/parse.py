"""A place string split at its level words: ``ต.ตลาด อ.เมือง`` -> a tambon part and a district
part; Latin prefixes and suffixes (Tambon X, Y District) alike."""

from __future__ import annotations

import re
from dataclasses import dataclass

from codi_geo.places.matching.index import area_index
from codi_geo.places.matching.normalise import is_thai, thai_key

TAMBON, DISTRICT, PROVINCE = "tambon", "district", "province"
MUNICIPALITY, COMMUNITY = "municipality", "community"
ROLE_LEVEL = {PROVINCE: 1, DISTRICT: 2, MUNICIPALITY: 2.5, TAMBON: 3}

# Long markers may sit right after other text ("ตำบลช่องแคบจังหวัดตาก"); short forms and เขต
# must start a word, because เขต ends names such as อีสานเขต and อ/จ/ต start many names.
_THAI_LONG_MARKERS = (
    ("องค์การบริหารส่วนตำบล", TAMBON),
    ("เทศบาลตำบล", MUNICIPALITY),
    ("เทศบาลเมือง", MUNICIPALITY),
    ("เทศบาลนคร", MUNICIPALITY),
    ("เทศบาล", MUNICIPALITY),
    ("กิ่งอำเภอ", DISTRICT),
    ("จังหวัด", PROVINCE),
    ("อำเภอ", DISTRICT),
    ("ตำบล", TAMBON),
    ("แขวง", TAMBON),
    ("หมู่บ้าน", COMMUNITY),
    ("ชุมชน", COMMUNITY),
)
_THAI_SHORT_MARKERS = (
    ("อบต.", TAMBON),
    ("อบต", TAMBON),
    ("ทต.", MUNICIPALITY),
    ("ทม.", MUNICIPALITY),
    ("ทน.", MUNICIPALITY),
    ("กิ่ง อ.", DISTRICT),
    ("ต.", TAMBON),
    ("อ.", DISTRICT),
    ("จ.", PROVINCE),
    ("เขต", DISTRICT),
)
_THAI_MARKER_RE = re.compile(
    "|".join(
        [f"(?P<L{i}>{re.escape(m)})" for i, (m, _) in enumerate(_THAI_LONG_MARKERS)]
        + [
            f"(?<![\u0e01-\u0e4e.])(?P<S{i}>{re.escape(m)})"
            for i, (m, _) in enumerate(_THAI_SHORT_MARKERS)
        ]
    )
)
_LATIN_PREFIX_RE = re.compile(
    r"\b(?P<m>king\s+amphoe|tambon|khwaeng|kwaeng|amphoe|amphur|khet|changwat)\b\.?",
    re.IGNORECASE,
)
_LATIN_SUFFIX_RE = re.compile(
    r"\s+(?P<m>sub-?district|district|province|municipality)$", re.IGNORECASE
)
_LATIN_ROLES = {
    "tambon": TAMBON,
    "khwaeng": TAMBON,
    "kwaeng": TAMBON,
    "subdistrict": TAMBON,
    "sub-district": TAMBON,
    "amphoe": DISTRICT,
    "amphur": DISTRICT,
    "khet": DISTRICT,
    "district": DISTRICT,
    "kingamphoe": DISTRICT,
    "changwat": PROVINCE,
    "province": PROVINCE,
    "municipality": MUNICIPALITY,
}
# Village numbers, postcodes and other figures are never part of a name.
_NOISE_RE = re.compile(r"(?:หมู่ที่|หมู่|ม\.)\s*\d+|\b\d+\b|ฯลฯ")


@dataclass(frozen=True)
class Segment:
    role: str | None  # tambon/district/province/municipality/community, None = not labelled
    text: str


def split_place(text: str) -> list[Segment]:
    """Split a place string at its level words: ``ต.ตลาด อ.เมือง`` -> tambon, district."""
    text = _NOISE_RE.sub(" ", text)
    segments = _thai_segments(text) if is_thai(text) else _latin_segments(text)
    tidy = (Segment(s.role, _tidy(s.text)) for s in segments)
    return [s for s in tidy if s.text or s.role]


def _tidy(text: str) -> str:
    return " ".join(text.split()).strip(" ,;:.-–—()[]{}\"'“”‘’*•")


def _thai_segments(text: str) -> list[Segment]:
    segments: list[Segment] = []
    role: str | None = None
    start = 0
    for found in _THAI_MARKER_RE.finditer(text):
        before = text[start : found.start()]
        if _marker_is_part_of_name(before, found.group()):
            continue
        for i, piece in enumerate(before.split(",")):
            segments.append(Segment(role if i == 0 else None, piece))
        group = found.lastgroup or ""
        markers = _THAI_LONG_MARKERS if group.startswith("L") else _THAI_SHORT_MARKERS
        role = markers[int(group[1:])][1]
        start = found.end()
    for i, piece in enumerate(text[start:].split(",")):
        segments.append(Segment(role if i == 0 else None, piece))
    return [s for s in segments if s.text.strip() or s.role]


def _marker_is_part_of_name(before: str, marker: str) -> bool:
    """True for the ตำบล of สามตำบล: the word before it plus the marker is a known name."""
    words = before.split()
    if not words or before[-1:].isspace():
        return False
    return thai_key(words[-1] + marker) in area_index().marker_words


def _latin_segments(text: str) -> list[Segment]:
    text = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", text)  # TambonPhimun, BanHaetDistrict
    segments: list[Segment] = []
    for piece in text.split(","):
        role: str | None = None
        start = 0
        parts: list[Segment] = []
        for found in _LATIN_PREFIX_RE.finditer(piece):
            following = _LATIN_SUFFIX_RE.sub("", " " + piece[found.end() :]).strip()
            if not following or _LATIN_PREFIX_RE.match(following):
                continue  # "Sanam Chai Khet District": Khet ends the name here
            parts.append(Segment(role, piece[start : found.start()]))
            role = _LATIN_ROLES[re.sub(r"\s+", "", found.group("m").lower())]
            start = found.end()
        parts.append(Segment(role, piece[start:]))
        for part in parts:
            suffix = _LATIN_SUFFIX_RE.search(part.text.strip())
            if part.role is None and suffix:
                part = Segment(
                    _LATIN_ROLES[suffix.group("m").lower()], part.text.strip()[: suffix.start()]
                )
            if part.text.strip() or part.role:
                segments.append(part)
    return segments
