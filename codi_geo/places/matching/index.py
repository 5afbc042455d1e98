"""The register's names, indexed once per process, and how a piece of text is looked up in
them: exact forms everywhere, tone-mark slips, abbreviations, then typos within the context."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from codi_geo.places import gazetteer
from codi_geo.places.gazetteer import CODE_LENGTH, LEVELS, Level
from codi_geo.places.matching.normalise import (
    CAPITAL_WORDS,
    PROVINCE_ALIASES,
    WEAK_PROVINCE_ALIASES,
    clean_place,
    is_thai,
    name_key,
    skeleton_key,
    thai_key,
)

# --- the index -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Area:
    code: str
    level: Level
    name_th: str
    name_en: str
    current: bool
    successors: tuple[str, ...] = ()


@dataclass
class Index:
    areas: dict[str, Area]
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
def area_index() -> Index:
    areas: dict[str, Area] = {}
    exact: dict[str, list[str]] = {}
    pools: dict[tuple[str, str, bool], tuple[list[str], list[str]]] = {}

    def add(key: str, code: str) -> None:
        if key and code not in exact.setdefault(key, []):
            exact[key].append(code)

    def pool(level: str, scopes: Iterable[str], name: str, code: str) -> None:
        thai, skeleton = is_thai(name), skeleton_key(name_key(name))
        for scope in scopes:
            keys, codes = pools.setdefault((level, scope, thai), ([], []))
            keys.append(skeleton)
            codes.append(code)

    for level in LEVELS:
        frame = gazetteer.areas(level)
        for code, name_th, name_en in zip(
            frame["code"], frame["name_th"], frame["name_en"], strict=True
        ):
            areas[code] = Area(code, level, name_th, name_en, current=True)
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
        areas[code] = Area(code, area.level, area.name_th, "", False, area.successors)
        add(name_key(area.name_th), code)
    for alias, code in PROVINCE_ALIASES.items():
        add(name_key(alias), code)
        pool("province", [""], alias, code)
    for province_code in gazetteer.provinces()["code"]:
        capital = province_code + "01"
        if province_code == "10" or capital not in areas:
            continue  # Bangkok has no capital district
        for word in CAPITAL_WORDS:
            add(name_key(word), capital)
            pool("district", [province_code], word, capital)
        for alias, code in PROVINCE_ALIASES.items():
            if code == province_code and is_thai(alias):
                add(name_key("เมือง" + alias), capital)  # อ.เมืองโคราช
    skeletons: dict[str, list[str]] = {}
    for key, codes in exact.items():
        for code in codes:
            if areas[code].current and code not in skeletons.setdefault(skeleton_key(key), []):
                skeletons[skeleton_key(key)].append(code)
    marker_words = frozenset(
        key for key in exact if any(m in key for m in ("ตำบล", "อำเภอ", "แขวง", "จังหวัด"))
    )
    return Index(
        areas=areas,
        exact={k: tuple(v) for k, v in exact.items()},
        weak={name_key(k): (v,) for k, v in WEAK_PROVINCE_ALIASES.items()},
        skeletons={k: tuple(v) for k, v in skeletons.items()},
        pools=pools,
        marker_words=marker_words,
    )


_LEVEL_BY_LENGTH: dict[int, Level] = {n: level for level, n in CODE_LENGTH.items()}


def level_of(code: str) -> Level:
    return _LEVEL_BY_LENGTH[len(code)]


# --- looking names up ----------------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    code: str
    similarity: float  # 100 exact, 97 tone marks only, 95 abbreviation, else fuzzy ratio
    edits: int  # 0 for exact forms
    how: str  # exact / tone / abbreviation / typo


def lookup(
    text: str,
    levels: Sequence[Level],
    scopes: Iterable[str] = (),
    *,
    weak_aliases: bool = False,
    fuzzy: bool = True,
) -> list[Hit]:
    """Areas at ``levels`` whose name fits ``text``: exact forms everywhere, abbreviations and
    typos only inside ``scopes`` (codes the context allows) or, without scopes, nationwide."""
    return list(_lookup_cached(text, tuple(levels), tuple(scopes), weak_aliases, fuzzy))


@lru_cache(maxsize=100_000)  # the same province and district names recur on every row
def _lookup_cached(
    text: str, levels: tuple[Level, ...], scopes: tuple[str, ...], weak_aliases: bool, fuzzy: bool
) -> tuple[Hit, ...]:
    index = area_index()
    abbreviated = text.rstrip().endswith("ฯ") or (is_thai(text) and re.search(r"[A-Za-z]", text))
    key = name_key(text.replace("ฯ", ""))
    if not key:
        return ()
    codes = list(index.exact.get(key, ()))
    if weak_aliases:
        codes += index.weak.get(key, ())
    hits = [Hit(c, 100, 0, "exact") for c in codes if index.areas[c].level in levels]
    if hits:
        return tuple(hits)
    skeleton = skeleton_key(key)
    hits = [
        Hit(c, 97, 0, "tone") for c in index.skeletons.get(skeleton, ()) if level_of(c) in levels
    ]
    if hits:
        return tuple(hits)
    if abbreviated:
        # อุบลฯ, นครศรีฯ: the start of exactly one name; a Latin garble inside Thai text
        # (ทับปrik) leaves only its readable start, so it is read the same way.
        return tuple(_prefix_hits(skeleton, levels, scopes))
    if not fuzzy:
        return ()
    return tuple(typo_hits(skeleton, is_thai(text), levels, scopes))


_Pool = tuple[list[str], list[str]]  # skeleton keys, codes


def _pools(
    levels: Sequence[Level], scopes: tuple[str, ...], thai: bool
) -> Iterator[tuple[Level, str, _Pool]]:
    """The name pools to search: each level inside each scope (nationwide without scopes)."""
    index = area_index()
    for level in levels:
        for scope in scopes or ("",):
            if len(scope) >= CODE_LENGTH[level]:
                # a district scope for a district-level name: search its province instead
                scope = scope[: CODE_LENGTH[level] - 2]
            found = index.pools.get((level, scope, thai))
            if found:
                yield level, scope, found


def _prefix_hits(prefix: str, levels: Sequence[Level], scopes: tuple[str, ...]) -> list[Hit]:
    for level in levels:  # levels come in order of preference
        codes: set[str] = set()
        for _, _, (keys, pool_codes) in _pools([level], scopes, True):
            codes.update(c for k, c in zip(keys, pool_codes, strict=True) if k.startswith(prefix))
        if len(codes) == 1:
            return [Hit(codes.pop(), 95, 0, "abbreviation")]
        if codes:
            return [Hit(c, 90, 0, "abbreviation") for c in sorted(codes)]
    return []


# First words shared by hundreds of place names (each starts 40+ DOPA names). A typo is judged
# on what follows them: หนองปรือ vs หนองปรง is two edits in "ปรือ", not two in eight letters.
_GENERIC_WORDS = (
    "หนอง บ้าน บาง นา ห้วย ท่า วัง แม่ คลอง เมือง ทุ่ง โคก โนน เขา ดอน ศรี ป่า น้ำ ปาก ดง เกาะ หัว "
    "กุด บ่อ ลำ โพน พระ สาม โพธิ์ วัด บึง สระ ยาง"
)
_GENERIC_HEADS = tuple(
    sorted({skeleton_key(thai_key(w)) for w in _GENERIC_WORDS.split(" ")}, key=len, reverse=True)
)


def _allowed_edits(query: str, name: str) -> int:
    """How many edits a typo may have: judged on the part after a shared generic first word,
    none for one letter, one up to six letters, two from seven."""
    for head in _GENERIC_HEADS:
        if query.startswith(head) and name.startswith(head):
            query, name = query[len(head) :], name[len(head) :]
            break
    longest = max(len(query), len(name))
    return 0 if longest <= 1 else 1 if longest <= 6 else 2


def typo_hits(
    skeleton: str, thai: bool, levels: Sequence[Level], scopes: tuple[str, ...]
) -> list[Hit]:
    hits: dict[str, Hit] = {}
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
                hits[code] = Hit(code, similarity, int(edits), "typo")
        if level == "province" and not hits:
            hits.update({h.code: h for h in _province_by_ratio(skeleton, keys, codes)})
    return list(hits.values())


def _province_by_ratio(skeleton: str, keys: list[str], codes: list[str]) -> list[Hit]:
    """Province names are long and few: a clear best ratio (ตราราด -> ตราด) is enough."""
    best = process.extract(skeleton, keys, scorer=fuzz.ratio, limit=3)
    if not best or best[0][1] < 75:
        return []
    runner_up = next((s for _, s, i in best[1:] if codes[i] != codes[best[0][2]]), 0)
    if best[0][1] - runner_up < 15:
        return []
    return [Hit(codes[best[0][2]], round(best[0][1], 1), 2, "typo")]
