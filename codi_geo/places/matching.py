"""Messy Thai/English place names -> DOPA codes (province 2, district 4, tambon 6 digits).

``match_place("ต.ตลาด อ.เมือง จ.สุราษฎร์ธานี")`` reads the prefixes, splits the string into its
tambon, district and province parts, looks each part up in geothai's register (current names,
English names, short forms such as กทม./โคราช/อุบลฯ, abolished units) and keeps only the
areas that agree with every part. Typos are forgiven only when a name is one or two edits
away and no other area in the narrowed set is as close: a confident wrong code is worse than
no code, so anything less certain is ``ambiguous`` with its candidates.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

import pandas as pd
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from codi_geo.places import gazetteer
from codi_geo.places.gazetteer import CODE_LENGTH, LEVELS, Level
from codi_geo.thai import clean_text

MATCHED, AMBIGUOUS, UNMATCHED = "matched", "ambiguous", "unmatched"
STATUSES = (MATCHED, AMBIGUOUS, UNMATCHED)
OUTPUT_COLUMNS = ("code", "level", "status", "score", "candidates")
MAX_CANDIDATES = 8


@dataclass(frozen=True)
class Candidate:
    code: str
    level: str
    name_th: str
    name_en: str
    full_name: str
    score: float


@dataclass(frozen=True)
class MatchResult:
    code: str | None
    level: str | None
    status: str  # "matched" | "ambiguous" | "unmatched"
    score: float
    candidates: tuple[Candidate, ...]
    note: str = ""


class MatchInputError(ValueError):
    """A table that cannot be matched (e.g. no place column); the message is Thai + English."""


# --- text clean-up -------------------------------------------------------------------------

def clean_place(text: object) -> str:
    """``thai.clean_text`` and no stray punctuation at either end."""
    return clean_text(text).strip(" ,;:.-–—()[]{}\"'“”‘’*•")


_THAI_CHAR = re.compile("[\u0e01-\u0e5b]")
_NOT_THAI_LETTER = re.compile("[^\u0e01-\u0e4e]+")


def _is_thai(text: str) -> bool:
    return _THAI_CHAR.search(text) is not None


def _thai_key(text: str) -> str:
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
    return _thai_key(text) if _is_thai(text) else _latin_key(text)


def _skeleton(key: str) -> str:
    """A key without tone marks and silent-letter marks, the marks most often dropped."""
    return key.translate(_SKELETON_DROP)


_SKELETON_DROP = dict.fromkeys(map(ord, "\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c"), None)

# First words shared by hundreds of place names (each starts 40+ DOPA names). A typo is judged
# on what follows them: หนองปรือ vs หนองปรง is two edits in "ปรือ", not two in eight letters.
_GENERIC_WORDS = (
    "หนอง บ้าน บาง นา ห้วย ท่า วัง แม่ คลอง เมือง ทุ่ง โคก โนน เขา ดอน ศรี ป่า น้ำ ปาก ดง เกาะ หัว "
    "กุด บ่อ ลำ โพน พระ สาม โพธิ์ วัด บึง สระ ยาง"
)
_GENERIC_HEADS = tuple(
    sorted({_skeleton(_thai_key(w)) for w in _GENERIC_WORDS.split(" ")}, key=len, reverse=True)
)

# Short and colloquial province names. Weak ones are also ordinary tambon names, so they count
# only where the text says it is a province (จ./จังหวัด or the province column).
_PROVINCE_ALIASES: dict[str, str] = {
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
_WEAK_PROVINCE_ALIASES: dict[str, str] = {"ปากน้ำ": "11", "แปดริ้ว": "24", "เมืองคอน": "80"}
_CAPITAL_WORDS = ("เมือง", "Mueang", "Muang")  # อ.เมือง = the capital district, code XX01


# --- the index -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Area:
    code: str
    level: Level
    name_th: str
    name_en: str
    current: bool
    successors: tuple[str, ...] = ()


@dataclass
class _Index:
    areas: dict[str, _Area]
    exact: dict[str, tuple[str, ...]]  # name key -> codes (current, abolished and aliases)
    weak: dict[str, tuple[str, ...]]  # province-only aliases
    skeletons: dict[str, tuple[str, ...]]  # skeleton key -> current codes
    # (level, scope code or "", thai?) -> (skeleton keys, codes); current areas only
    pools: dict[tuple[str, str, bool], tuple[list[str], list[str]]]
    marker_words: frozenset[str]  # keys of names that contain a level word (สามตำบล)


def _name_variants(name: str) -> list[str]:
    """A name, and its parts when it carries an alternative in brackets: ปอภาร (ปอพาน)."""
    variants = [name]
    inner = re.findall(r"\(([^)]*)\)", name) if "(" in name else []
    if not inner:
        return variants
    variants.append(re.sub(r"\([^)]*\)", "", name))
    variants.extend(inner)
    return [v for v in (clean_place(v) for v in variants) if v]


@cache
def _index() -> _Index:
    areas: dict[str, _Area] = {}
    exact: dict[str, list[str]] = {}
    pools: dict[tuple[str, str, bool], tuple[list[str], list[str]]] = {}

    def add(key: str, code: str) -> None:
        if key and code not in exact.setdefault(key, []):
            exact[key].append(code)

    def pool(level: str, scopes: Iterable[str], name: str, code: str) -> None:
        thai, skeleton = _is_thai(name), _skeleton(name_key(name))
        for scope in scopes:
            keys, codes = pools.setdefault((level, scope, thai), ([], []))
            keys.append(skeleton)
            codes.append(code)

    for level in LEVELS:
        frame = gazetteer.areas(level)
        for code, name_th, name_en in zip(
            frame["code"], frame["name_th"], frame["name_en"], strict=True
        ):
            areas[code] = _Area(code, level, name_th, name_en, current=True)
            names = _name_variants(name_th) + _name_variants(name_en)
            if level == "district" and name_th.startswith("เขต"):
                names.append(name_th[len("เขต") :])  # Bangkok: เขตบางกะปิ is written บางกะปิ
            scopes = [""] + [code[:n] for n in (2, 4) if n < CODE_LENGTH[level]]
            for name in names:
                add(name_key(name), code)
                pool(level, scopes, name, code)
    for code, area in gazetteer.abolished_areas().items():
        if code in areas:
            continue
        areas[code] = _Area(code, area.level, area.name_th, "", False, area.successors)
        add(name_key(area.name_th), code)
    for alias, code in _PROVINCE_ALIASES.items():
        add(name_key(alias), code)
        pool("province", [""], alias, code)
    for province_code in gazetteer.provinces()["code"]:
        capital = province_code + "01"
        if province_code == "10" or capital not in areas:
            continue  # Bangkok has no capital district
        for word in _CAPITAL_WORDS:
            add(name_key(word), capital)
            pool("district", [province_code], word, capital)
        for alias, code in _PROVINCE_ALIASES.items():
            if code == province_code and _is_thai(alias):
                add(name_key("เมือง" + alias), capital)  # อ.เมืองโคราช
    skeletons: dict[str, list[str]] = {}
    for key, codes in exact.items():
        for code in codes:
            if areas[code].current and code not in skeletons.setdefault(_skeleton(key), []):
                skeletons[_skeleton(key)].append(code)
    marker_words = frozenset(
        key for key in exact if any(m in key for m in ("ตำบล", "อำเภอ", "แขวง", "จังหวัด"))
    )
    return _Index(
        areas=areas,
        exact={k: tuple(v) for k, v in exact.items()},
        weak={name_key(k): (v,) for k, v in _WEAK_PROVINCE_ALIASES.items()},
        skeletons={k: tuple(v) for k, v in skeletons.items()},
        pools=pools,
        marker_words=marker_words,
    )


_LEVEL_BY_LENGTH: dict[int, Level] = {n: level for level, n in CODE_LENGTH.items()}


def _level_of(code: str) -> Level:
    return _LEVEL_BY_LENGTH[len(code)]


# --- parsing -------------------------------------------------------------------------------

TAMBON, DISTRICT, PROVINCE = "tambon", "district", "province"
MUNICIPALITY, COMMUNITY = "municipality", "community"
_ROLE_LEVEL = {PROVINCE: 1, DISTRICT: 2, MUNICIPALITY: 2.5, TAMBON: 3}

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
class _Segment:
    role: str | None  # tambon/district/province/municipality/community, None = not labelled
    text: str


def _segments(text: str) -> list[_Segment]:
    """Split a place string at its level words: ``ต.ตลาด อ.เมือง`` -> tambon, district."""
    text = _NOISE_RE.sub(" ", text)
    segments = _thai_segments(text) if _is_thai(text) else _latin_segments(text)
    tidy = (_Segment(s.role, _tidy(s.text)) for s in segments)
    return [s for s in tidy if s.text or s.role]


def _tidy(text: str) -> str:
    return " ".join(text.split()).strip(" ,;:.-–—()[]{}\"'“”‘’*•")


def _thai_segments(text: str) -> list[_Segment]:
    segments: list[_Segment] = []
    role: str | None = None
    start = 0
    for found in _THAI_MARKER_RE.finditer(text):
        before = text[start : found.start()]
        if _marker_is_part_of_name(before, found.group()):
            continue
        for i, piece in enumerate(before.split(",")):
            segments.append(_Segment(role if i == 0 else None, piece))
        group = found.lastgroup or ""
        markers = _THAI_LONG_MARKERS if group.startswith("L") else _THAI_SHORT_MARKERS
        role = markers[int(group[1:])][1]
        start = found.end()
    for i, piece in enumerate(text[start:].split(",")):
        segments.append(_Segment(role if i == 0 else None, piece))
    return [s for s in segments if s.text.strip() or s.role]


def _marker_is_part_of_name(before: str, marker: str) -> bool:
    """True for the ตำบล of สามตำบล: the word before it plus the marker is a known name."""
    words = before.split()
    if not words or before[-1:].isspace():
        return False
    return _thai_key(words[-1] + marker) in _index().marker_words


def _latin_segments(text: str) -> list[_Segment]:
    text = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", text)  # TambonPhimun, BanHaetDistrict
    segments: list[_Segment] = []
    for piece in text.split(","):
        role: str | None = None
        start = 0
        parts: list[_Segment] = []
        for found in _LATIN_PREFIX_RE.finditer(piece):
            following = _LATIN_SUFFIX_RE.sub("", " " + piece[found.end() :]).strip()
            if not following or _LATIN_PREFIX_RE.match(following):
                continue  # "Sanam Chai Khet District": Khet ends the name here
            parts.append(_Segment(role, piece[start : found.start()]))
            role = _LATIN_ROLES[re.sub(r"\s+", "", found.group("m").lower())]
            start = found.end()
        parts.append(_Segment(role, piece[start:]))
        for part in parts:
            suffix = _LATIN_SUFFIX_RE.search(part.text.strip())
            if part.role is None and suffix:
                part = _Segment(
                    _LATIN_ROLES[suffix.group("m").lower()], part.text.strip()[: suffix.start()]
                )
            if part.text.strip() or part.role:
                segments.append(part)
    return segments


# --- looking names up ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Hit:
    code: str
    similarity: float  # 100 exact, 97 tone marks only, 95 abbreviation, else fuzzy ratio
    edits: int  # 0 for exact forms
    how: str  # exact / tone / abbreviation / typo


def _lookup(
    text: str,
    levels: Sequence[Level],
    scopes: Iterable[str] = (),
    *,
    weak_aliases: bool = False,
    fuzzy: bool = True,
) -> list[_Hit]:
    """Areas at ``levels`` whose name fits ``text``: exact forms everywhere, abbreviations and
    typos only inside ``scopes`` (codes the context allows) or, without scopes, nationwide."""
    return list(_lookup_cached(text, tuple(levels), tuple(scopes), weak_aliases, fuzzy))


@lru_cache(maxsize=100_000)  # the same province and district names recur on every row
def _lookup_cached(
    text: str, levels: tuple[Level, ...], scopes: tuple[str, ...], weak_aliases: bool, fuzzy: bool
) -> tuple[_Hit, ...]:
    index = _index()
    abbreviated = text.rstrip().endswith("ฯ") or (_is_thai(text) and re.search(r"[A-Za-z]", text))
    key = name_key(text.replace("ฯ", ""))
    if not key:
        return ()
    codes = list(index.exact.get(key, ()))
    if weak_aliases:
        codes += index.weak.get(key, ())
    hits = [_Hit(c, 100, 0, "exact") for c in codes if index.areas[c].level in levels]
    if hits:
        return tuple(hits)
    skeleton = _skeleton(key)
    hits = [
        _Hit(c, 97, 0, "tone") for c in index.skeletons.get(skeleton, ()) if _level_of(c) in levels
    ]
    if hits:
        return tuple(hits)
    if abbreviated:
        # อุบลฯ, นครศรีฯ: the start of exactly one name; a Latin garble inside Thai text
        # (ทับปrik) leaves only its readable start, so it is read the same way.
        return tuple(_prefix_hits(skeleton, levels, scopes))
    if not fuzzy:
        return ()
    return tuple(_typo_hits(skeleton, _is_thai(text), levels, scopes))


_Pool = tuple[list[str], list[str]]  # skeleton keys, codes


def _pools(
    levels: Sequence[Level], scopes: tuple[str, ...], thai: bool
) -> Iterator[tuple[Level, str, _Pool]]:
    """The name pools to search: each level inside each scope (nationwide without scopes)."""
    index = _index()
    for level in levels:
        for scope in scopes or ("",):
            if len(scope) >= CODE_LENGTH[level]:
                # a district scope for a district-level name: search its province instead
                scope = scope[: CODE_LENGTH[level] - 2]
            found = index.pools.get((level, scope, thai))
            if found:
                yield level, scope, found


def _prefix_hits(prefix: str, levels: Sequence[Level], scopes: tuple[str, ...]) -> list[_Hit]:
    for level in levels:  # levels come in order of preference
        codes: set[str] = set()
        for _, _, (keys, pool_codes) in _pools([level], scopes, True):
            codes.update(c for k, c in zip(keys, pool_codes, strict=True) if k.startswith(prefix))
        if len(codes) == 1:
            return [_Hit(codes.pop(), 95, 0, "abbreviation")]
        if codes:
            return [_Hit(c, 90, 0, "abbreviation") for c in sorted(codes)]
    return []


def _allowed_edits(query: str, name: str) -> int:
    """How many edits a typo may have: judged on the part after a shared generic first word,
    none for one letter, one up to six letters, two from seven."""
    for head in _GENERIC_HEADS:
        if query.startswith(head) and name.startswith(head):
            query, name = query[len(head) :], name[len(head) :]
            break
    longest = max(len(query), len(name))
    return 0 if longest <= 1 else 1 if longest <= 6 else 2


def _typo_hits(
    skeleton: str, thai: bool, levels: Sequence[Level], scopes: tuple[str, ...]
) -> list[_Hit]:
    hits: dict[str, _Hit] = {}
    for level, scope, (keys, codes) in _pools(levels, scopes, thai):
        nationwide = scope == "" and level != "province"
        found = process.extract(
            skeleton, keys, scorer=Levenshtein.distance, score_cutoff=2, limit=None
        )
        for name, edits, position in found:
            allowed = _allowed_edits(skeleton, name)
            if nationwide:  # without context, only one slip in a name of five letters or more
                allowed = min(allowed, 1 if len(skeleton) >= 5 else 0)
            if edits > allowed:
                continue
            code = codes[position]
            similarity = round(fuzz.ratio(skeleton, name), 1)
            if code not in hits or hits[code].edits > edits:
                hits[code] = _Hit(code, similarity, int(edits), "typo")
        if level == "province" and not hits:
            hits.update({h.code: h for h in _province_by_ratio(skeleton, keys, codes)})
    return list(hits.values())


def _province_by_ratio(skeleton: str, keys: list[str], codes: list[str]) -> list[_Hit]:
    """Province names are long and few: a clear best ratio (ตราราด -> ตราด) is enough."""
    best = process.extract(skeleton, keys, scorer=fuzz.ratio, limit=3)
    if not best or best[0][1] < 75:
        return []
    runner_up = next((s for _, s, i in best[1:] if codes[i] != codes[best[0][2]]), 0)
    if best[0][1] - runner_up < 15:
        return []
    return [_Hit(codes[best[0][2]], round(best[0][1], 1), 2, "typo")]


# --- the query -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Part:
    """One piece of context: the codes it may mean, with how well each fits."""

    text: str
    role: str | None
    hits: dict[str, float]

    def fit(self, code: str) -> float:
        """How well an area agrees with this part: 0 when it lies elsewhere."""
        return max(
            (s for c, s in self.hits.items() if code.startswith(c) or c.startswith(code)),
            default=0.0,
        )


@lru_cache(maxsize=20_000)
def _context_part(text: str, role: str | None, scopes: tuple[str, ...]) -> _Part:
    """Resolve a province/district piece (or an unlabelled one, which may be either)."""
    if text.isdigit():
        return _Part(text, role, {text: 100.0} if gazetteer.is_current(text) else {})
    if role == PROVINCE:
        hits = _lookup(text, ["province"], weak_aliases=True)
    elif role == DISTRICT:
        hits = _lookup(text, ["district"], scopes)
        if not hits and scopes:
            hits = _lookup(text, ["district"], fuzzy=False)
    else:
        hits = _lookup(text, ["province"], fuzzy=False) + _lookup(text, ["district"], scopes)
        if not hits:
            hits = _lookup(text, ["province"])
    best = max((h.similarity for h in hits), default=0)
    return _Part(text, role, {h.code: h.similarity for h in hits if h.similarity >= best - 10})


@dataclass(frozen=True)
class _Scored:
    hit: _Hit
    fits: tuple[float, ...]

    @property
    def code(self) -> str:
        return self.hit.code

    @property
    def consistent(self) -> bool:
        return all(f > 0 for f in self.fits)

    @property
    def agreeing(self) -> int:
        return sum(f > 0 for f in self.fits)

    @property
    def total(self) -> float:
        return round((2 * self.hit.similarity + sum(self.fits)) / (2 + len(self.fits)), 1)


def _main_levels(
    role: str | None, level: str | None, finer_than: float = 0, context_rank: float = 0
) -> list[Level]:
    """Levels the main name may have, most likely first. An unlabelled name is read as the
    largest unit finer than its context (a district column makes "หาดใหญ่" the tambon), and
    only then as the context's own level or above."""
    if role in (TAMBON, DISTRICT, PROVINCE):
        return [role]  # type: ignore[list-item]
    if role in (MUNICIPALITY, COMMUNITY):
        return ["tambon", "district"]
    if level is not None:
        return [level]  # type: ignore[list-item]
    levels = [lv for lv in ("province", "district", "tambon") if _ROLE_LEVEL[lv] > finer_than]
    finer = [lv for lv in levels if _ROLE_LEVEL[lv] > context_rank]
    return finer + [lv for lv in reversed(levels) if lv not in finer]  # type: ignore[misc]


def _evaluate(
    main: _Segment, levels: list[Level], context: list[_Part], notes: list[str]
) -> MatchResult:
    scopes = _scopes(context)
    hits = _municipality_capital(main.text, context) if main.role == MUNICIPALITY else []
    if main.role == COMMUNITY:  # only a community named exactly after a place counts
        for name in (main.text, re.sub(r"^(?:บ้าน|ban)\s*", "", main.text, flags=re.I)):
            hits = hits or _lookup(name, levels, scopes, fuzzy=False)
    elif not hits:
        hits = _lookup(main.text, levels, scopes, weak_aliases=main.role == PROVINCE)
    scored = [_Scored(h, _fits(h, context)) for h in hits]
    if not scored:
        return _unmatched([*notes, f"no area named '{main.text}'"])
    consistent = [s for s in scored if s.consistent]
    if not consistent and context and main.role != COMMUNITY:
        # ต.สาคร จ.ภูเก็ต: สาคร exists, but in Satun; Phuket's สาคู is one letter away
        near = _typo_hits(_skeleton(name_key(main.text)), _is_thai(main.text), levels, scopes)
        consistent = [s for h in near if (s := _Scored(h, _fits(h, context))).consistent]
    if consistent:
        return _decide(consistent, levels, notes, main.text)
    return _relax(scored, context, notes)


def _fits(hit: _Hit, context: list[_Part]) -> tuple[float, ...]:
    return tuple(p.fit(hit.code) for p in context)


def _scopes(context: list[_Part]) -> tuple[str, ...]:
    """The narrowest set of codes every context part allows (all of them if they clash)."""
    resolved = [set(p.hits) for p in context if p.hits]
    if not resolved:
        return ()
    candidates = set.union(*resolved)
    agreed = {
        c
        for c in candidates
        if all(any(c.startswith(o) or o.startswith(c) for o in r) for r in resolved)
    }
    if agreed:
        narrowest = max(len(c) for c in agreed)
        return tuple(sorted(c for c in agreed if len(c) == narrowest))
    return tuple(sorted(candidates))


def _municipality_capital(text: str, context: list[_Part]) -> list[_Hit]:
    """เทศบาลนครเชียงใหม่: a municipality named after its province is the provincial town,
    which lies in the capital district (XX01)."""
    hits = []
    for hit in _lookup(text, ["province"], fuzzy=False):
        capital = hit.code + "01"
        if hit.code != "10" and all(p.fit(capital) > 0 for p in context):
            hits.append(_Hit(capital, hit.similarity, 0, "capital"))
    return hits


def _decide(
    consistent: list[_Scored], levels: list[Level], notes: list[str], text: str
) -> MatchResult:
    exact = [s for s in consistent if s.hit.edits == 0]
    if exact:
        preferred = _by_preference(exact, levels)
        best = max(s.total for s in preferred)
        top = [s for s in preferred if s.total == best]
        how = {s.hit.how for s in top}
        if len(top) == 1 and how & {"tone", "abbreviation"}:
            name = gazetteer.name_of(_successor_key(top[0])[0])
            read = "tone marks differ" if "tone" in how else "read as an abbreviation"
            notes = [*notes, f"{read}: '{text}' -> {name}"]
        return _finish(top, preferred, notes)
    fewest = min(s.hit.edits for s in consistent)
    closest = _by_preference([s for s in consistent if s.hit.edits == fewest], levels)
    ranked = sorted(consistent, key=lambda s: (s.hit.edits, -s.total))
    if len({_successor_key(s) for s in closest}) == 1:
        fixed = _successor_key(closest[0])
        name = gazetteer.name_of(fixed[0]) if len(fixed) == 1 else None
        return _finish(closest[:1], ranked, [*notes, f"typo corrected: '{text}' -> {name}"])
    return _ambiguous(ranked, [*notes, f"'{text}' is equally close to several names"])


def _successor_key(scored: _Scored) -> tuple[str, ...]:
    area = _index().areas[scored.code]
    return (area.code,) if area.current else area.successors


def _by_preference(scored: list[_Scored], levels: list[Level]) -> list[_Scored]:
    """Keep the most likely level present, and current areas over abolished ones."""
    for level in levels:
        at_level = [s for s in scored if _level_of(s.code) == level]
        if at_level:
            current = [s for s in at_level if _index().areas[s.code].current]
            successors = {c for s in current for c in _successor_key(s)}
            abolished = [
                s
                for s in at_level
                if not _index().areas[s.code].current and not set(_successor_key(s)) <= successors
            ]
            return current + abolished
    return scored


def _finish(top: list[_Scored], ranked: list[_Scored], notes: list[str]) -> MatchResult:
    """Matched if the top areas come down to one current code, else ambiguous."""
    codes: dict[str, float] = {}
    for scored in top:
        for code in _successor_key(scored):
            codes.setdefault(code, scored.total)
        area = _index().areas[scored.code]
        if not area.current:
            notes = [*notes, _abolished_note(area)]
    others = _candidates_of(ranked, exclude=set(codes))
    if len(codes) == 1:
        code, score = next(iter(codes.items()))
        return MatchResult(
            code,
            _level_of(code),
            MATCHED,
            score,
            (_candidate(code, score), *others)[:MAX_CANDIDATES],
            "; ".join(notes),
        )
    if not codes:
        return _unmatched(notes)
    candidates = tuple(_candidate(c, s) for c, s in codes.items()) + others
    return MatchResult(
        None,
        None,
        AMBIGUOUS,
        max(codes.values()),
        candidates[:MAX_CANDIDATES],
        "; ".join([*notes, f"{len(codes)} areas fit"]),
    )


def _abolished_note(area: _Area) -> str:
    if not area.successors:
        return f"abolished code {area.code} ({area.name_th}) has no successor"
    return f"abolished code {area.code} -> {' '.join(area.successors)}"


def _relax(scored: list[_Scored], context: list[_Part], notes: list[str]) -> MatchResult:
    """No area agrees with every part. Accept an exact name that agrees with all but one part
    (the source's wrong district, e.g. ต.แม่ไร่ อ.มะนัง จ.เชียงราย). Otherwise ambiguous, or
    unmatched when no area agrees with any context (ต.หนองปรือ จ.เพชรบุรี: none there)."""
    ranked = sorted(scored, key=lambda s: (-s.agreeing, s.hit.edits, -s.total))
    best = ranked[0]
    near = [s for s in ranked if s.agreeing == best.agreeing and s.hit.edits == 0]
    if (
        best.hit.edits == 0
        and best.agreeing >= 1
        and best.agreeing == len(context) - 1
        and len({_successor_key(s) for s in near}) == 1
    ):
        ignored = [p.text for p, f in zip(context, best.fits, strict=True) if f == 0]
        return _finish([best], ranked, [*notes, f"ignored '{ignored[0]}': it does not fit"])
    if best.agreeing == 0:
        where = ", ".join(f"'{p.text}'" for p in context)
        others = _candidates_of(ranked, exclude=set())
        note = "; ".join([*notes, f"no area of that name in {where}"])
        return MatchResult(None, None, UNMATCHED, 0.0, others, note)
    return _ambiguous(ranked, [*notes, "the name and its context do not agree"])


def _ambiguous(ranked: list[_Scored], notes: list[str]) -> MatchResult:
    candidates = _candidates_of(ranked, exclude=set())
    if not candidates:
        return _unmatched(notes)
    return MatchResult(None, None, AMBIGUOUS, candidates[0].score, candidates, "; ".join(notes))


def _candidates_of(ranked: list[_Scored], exclude: set[str]) -> tuple[Candidate, ...]:
    seen = set(exclude)
    found: list[Candidate] = []
    for scored in ranked:
        for code in _successor_key(scored):
            if code not in seen:
                seen.add(code)
                found.append(_candidate(code, scored.total))
    return tuple(found[:MAX_CANDIDATES])


def _candidate(code: str, score: float) -> Candidate:
    return Candidate(code, *_names(code), score=score)


@lru_cache(maxsize=20_000)
def _names(code: str) -> tuple[str, str, str, str]:
    """level, Thai name, English name, full Thai name."""
    th, en = gazetteer.name_of(code) or "", gazetteer.name_of(code, "en") or ""
    return _level_of(code), th, en, gazetteer.full_name(code)


def _unmatched(notes: list[str]) -> MatchResult:
    return MatchResult(None, None, UNMATCHED, 0.0, (), "; ".join(notes))


def _context_notes(context: list[_Part]) -> list[str]:
    notes = [f"'{p.text}' not recognised, ignored" for p in context if not p.hits]
    for part in context:
        if part.hits and max(part.hits.values()) < 97 and len(part.hits) == 1:
            notes.append(f"'{part.text}' read as {gazetteer.name_of(next(iter(part.hits)))}")
    return notes


# --- putting it together -------------------------------------------------------------------


def match_place(
    place: str,
    province: str | None = None,
    district: str | None = None,
    level: str | None = None,
) -> MatchResult:
    """The DOPA code of a place written as free text, with how sure the match is.

    ``province`` and ``district`` are context from other columns; ``level`` restricts the
    answer to "province", "district" or "tambon" (a finer place is answered with its parent).
    """
    if level is not None and level not in LEVELS:
        raise ValueError(
            f"level ต้องเป็น {', '.join(LEVELS)} / level must be one of {', '.join(LEVELS)}, "
            f"not {level!r}"
        )
    return _match_cached(clean_place(place), clean_place(province), clean_place(district), level)


@lru_cache(maxsize=200_000)
def _match_cached(place: str, province: str, district: str, level: str | None) -> MatchResult:
    if re.fullmatch(r"\d{2}|\d{4}|\d{6}", place):
        result = _match_code(place)
    else:
        result = _match_text(place, province, district, level)
    return _restrict(result, level) if level else result


def _match_code(code: str) -> MatchResult:
    area = _index().areas.get(code)
    if area is None:
        return _unmatched([f"{code} is not a DOPA code"])
    hit = _Scored(_Hit(code, 100, 0, "exact"), ())
    return _finish([hit], [], ["DOPA code"])


def _match_text(place: str, province: str, district: str, level: str | None) -> MatchResult:
    if not place:
        return _unmatched(["empty place"])
    columns = _column_segments(province, PROVINCE) + _column_segments(district, DISTRICT)
    result = _match_segments(_segments(place), columns, level)
    if result.status == UNMATCHED and _index().exact.get(name_key(place)):
        # เขตรอุดมศักดิ์, จ.ป.ร.: a whole name that merely starts like a level word
        whole = _interpret(_Segment(None, place), columns, level, 0)
        if whole.status != UNMATCHED:
            return whole
    return result


def _match_segments(
    place: list[_Segment], columns: list[_Segment], level: str | None
) -> MatchResult:
    """The place is the finest labelled part of the place text (or its first part when nothing
    is labelled); every other part, and the context columns, narrow it down."""
    split = [_split_tail(s) for s in place]
    tails = [t for _, ts in split for t in ts]
    segments = [s for s, _ in split]
    labelled = [s for s in segments if s.role in _ROLE_LEVEL]
    loose = [s for s in segments if s.role is None]
    communities = [s for s in segments if s.role == COMMUNITY]
    context = [*tails, *columns]
    if not labelled:
        if not loose:  # only a community name
            return _match_community(communities, context, level)
        main, *free = loose
        rank = max((_ROLE_LEVEL.get(s.role or "", 0) for s in columns), default=0)
        return _interpret(main, [*free, *context], level, 0, context_rank=rank)
    finest = max(labelled, key=lambda s: _ROLE_LEVEL[s.role or ""])
    notes = [f"'{c.text}' is a community name, ignored" for c in communities if c.text]
    first = segments[0]
    if first.role is None and _ROLE_LEVEL[finest.role or ""] < _ROLE_LEVEL[TAMBON]:
        # "เทพกระษัตรี อำเภอถลาง": unlabelled text before the labels may be the finer place
        around = [*loose[1:], *labelled, *context]
        lead = _interpret(first, around, level, _ROLE_LEVEL[finest.role or ""])
        if lead.status == MATCHED:
            return lead
    rank = _ROLE_LEVEL[finest.role or ""]
    coarser = [s for s in labelled if _ROLE_LEVEL[s.role or ""] < rank]
    notes += [
        f"several places listed, '{s.text}' ignored"
        for s in labelled
        if s is not finest and _ROLE_LEVEL[s.role or ""] >= rank
    ]
    # unlabelled text is context if it names a province or district ("สงขลา อ.หาดใหญ่"),
    # else it is ignored with a note (กองทุนสวัสดิการชุมชนตำบล...)
    return _interpret(finest, [*loose, *coarser, *context], level, 0, notes)


def _interpret(
    main: _Segment,
    around: list[_Segment],
    level: str | None,
    finer_than: float,
    notes: Sequence[str] = (),
    context_rank: float = 0,
) -> MatchResult:
    """Match ``main`` as the place itself and the ``around`` segments as its context."""
    context: list[_Part] = []
    provinces = [s for s in around if s.role == PROVINCE]
    rest = [s for s in around if s.role != PROVINCE]
    for segment in provinces:
        context.append(_context_part(segment.text, PROVINCE, ()))
    province_scopes = _scopes(context)
    for segment in rest:
        role = DISTRICT if segment.role in (DISTRICT, MUNICIPALITY, TAMBON) else segment.role
        context.append(_context_part(segment.text, role, province_scopes))
    used = [p for p in context if p.hits]
    levels = _main_levels(main.role, level, finer_than, context_rank)
    if not levels:
        return _unmatched([*list(notes), f"'{main.text}' is not a place"])
    return _evaluate(main, levels, used, list(notes) + _context_notes(context))


def _column_segments(text: str, role: str) -> list[_Segment]:
    """A context column's text, read like the place (จ.สงขลา), unlabelled parts taking the
    column's level."""
    if not text:
        return []
    if re.fullmatch(r"\d{2}|\d{4}", text):  # a DOPA code in the context column
        return [_Segment(role, text)]
    return [_Segment(s.role or role, s.text) for s in _segments(text) if s.text]


def _split_tail(segment: _Segment) -> tuple[_Segment, list[_Segment]]:
    """``หนองแวง โคกสูง สระแก้ว`` -> the name หนองแวง and the context โคกสูง, สระแก้ว: while the
    text is not itself a name, its last words that name a province or district are peeled off."""
    if segment.role == COMMUNITY:
        return segment, []
    levels = list(LEVELS) if segment.role not in _ROLE_LEVEL else _main_levels(segment.role, None)
    words, tails = segment.text.split(), []
    while len(words) > 1 and not _lookup(" ".join(words), levels, fuzzy=False):
        for cut in range(1, len(words)):
            tail = " ".join(words[cut:])
            if _lookup(tail, ["province", "district"], fuzzy=False):
                tails.append(_Segment(None, tail))
                words = words[:cut]
                break
        else:
            break
    if not tails:
        return segment, []
    return _Segment(segment.role, " ".join(words)), tails


def _match_community(
    communities: list[_Segment], context: list[_Segment], level: str | None
) -> MatchResult:
    """ชุมชนบ้านX: a community, unless what follows the word ชุมชน is itself a place."""
    text = " ".join(c.text for c in communities).strip()
    if not text:
        return _unmatched(["empty place"])
    named = _interpret(_Segment(COMMUNITY, text), context, level, 0)
    if named.status == MATCHED and named.score == 100:
        return MatchResult(
            named.code,
            named.level,
            MATCHED,
            90.0,
            named.candidates,
            f"community named after the place it lies in: {text}",
        )
    return _unmatched([f"'{text}' is a community, not an administrative unit"])


def _restrict(result: MatchResult, level: str) -> MatchResult:
    """Answer at ``level``: a finer area becomes its parent; a coarser one does not fit."""
    if result.code is None:
        candidates = _truncate_candidates(result.candidates, level)
        complete = len(result.candidates) < MAX_CANDIDATES  # else some candidates were cut
        if result.status == AMBIGUOUS and complete and len(candidates) == 1:
            only = candidates[0]
            return MatchResult(
                only.code,
                only.level,
                MATCHED,
                result.score,
                candidates,
                result.note + f"; all candidates lie in {only.full_name}",
            )
        return MatchResult(
            None,
            None,
            result.status if candidates else UNMATCHED,
            result.score,
            candidates,
            result.note,
        )
    found_level = _level_of(result.code)
    if found_level == level:
        return result
    if CODE_LENGTH[found_level] < CODE_LENGTH[level]:  # type: ignore[index]
        return _unmatched([f"{result.code} is a {found_level}, not a {level}"])
    parent = gazetteer.parent_code(result.code, level)  # type: ignore[arg-type]
    note = "; ".join(n for n in (result.note, f"{found_level} {result.code} -> its {level}") if n)
    return MatchResult(
        parent, level, MATCHED, result.score, _truncate_candidates(result.candidates, level), note
    )


def _truncate_candidates(candidates: Iterable[Candidate], level: str) -> tuple[Candidate, ...]:
    seen: dict[str, Candidate] = {}
    for c in candidates:
        if CODE_LENGTH[c.level] < CODE_LENGTH[level]:  # type: ignore[index]
            continue
        code = gazetteer.parent_code(c.code, level)  # type: ignore[arg-type]
        seen.setdefault(code, _candidate(code, c.score))
    return tuple(seen.values())


# --- tables --------------------------------------------------------------------------------


def candidates_text(result: MatchResult, limit: int = 5) -> str:
    """``code name; code name`` for a table cell."""
    return "; ".join(f"{c.code} {c.full_name}" for c in result.candidates[:limit])


def match_frame(
    frame: pd.DataFrame,
    place_column: str = "place",
    province_column: str = "province",
    district_column: str = "district",
) -> pd.DataFrame:
    """A copy of ``frame`` with code, level, status, score and candidates for each row.

    The province and district columns are optional context. Each distinct row is matched once.
    """
    if place_column not in frame.columns:
        raise MatchInputError(
            f"ไม่พบคอลัมน์ '{place_column}' (มีคอลัมน์: {', '.join(map(str, frame.columns))}) / "
            f"no '{place_column}' column (columns: {', '.join(map(str, frame.columns))})"
        )
    clash = [c for c in OUTPUT_COLUMNS if c in frame.columns]
    if clash:
        raise MatchInputError(
            f"คอลัมน์ {', '.join(clash)} มีอยู่แล้ว เปลี่ยนชื่อก่อน / "
            f"the input already has column(s) {', '.join(clash)}: rename them first"
        )

    def column(name: str) -> list[str]:
        if name not in frame.columns:
            return [""] * len(frame)
        return [clean_place(v) for v in frame[name].tolist()]

    rows = list(
        zip(column(place_column), column(province_column), column(district_column), strict=True)
    )
    results = {row: _match_cached(*row, None) for row in dict.fromkeys(rows)}
    out = frame.copy()
    out["code"] = [results[r].code for r in rows]
    out["level"] = [results[r].level for r in rows]
    out["status"] = [results[r].status for r in rows]
    out["score"] = [results[r].score for r in rows]
    out["candidates"] = [candidates_text(results[r]) for r in rows]
    return out
