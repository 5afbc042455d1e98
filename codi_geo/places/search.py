"""Finding a place by name for the map pages' search box: what the user typed (Thai or
English, with prefixes, colloquial names, abbreviations or typos) -> a short list of current
provinces, districts and tambons to choose from.

The matcher (``codi_geo.places.matching``) answers first: its confident match leads, its
candidates follow. While the user is still typing a name (``นครราช``), names that start
with the typed text are added, provinces before districts before tambons, so the list is
never empty for half a word. An ambiguous name (``อ.เมือง`` is the capital district of 76
provinces) is flagged, so the page can ask for the province.
"""

from __future__ import annotations

from dataclasses import dataclass

from codi_geo.places import gazetteer
from codi_geo.places.gazetteer import LEVELS, Level
from codi_geo.places.matching import AMBIGUOUS, MATCHED, match_place
from codi_geo.places.matching.index import area_index
from codi_geo.places.matching.normalise import clean_place, is_thai, name_key, skeleton_key
from codi_geo.places.matching.parse import DISTRICT, PROVINCE, TAMBON, split_place

MAX_SUGGESTIONS = 8
MIN_PREFIX = 2  # letters typed before names that start with them are offered
MAX_QUERY = 120  # longer text is not a place name: cut, never an error
_ROLE_LEVEL: dict[str, Level] = {PROVINCE: "province", DISTRICT: "district", TAMBON: "tambon"}


@dataclass(frozen=True)
class Found:
    """What a search found: ``codes`` to offer (best first, current DOPA codes only),
    ``matched`` when the matcher is sure of one, ``ambiguous`` when the name fits several
    areas and more context (a province) would settle it."""

    query: str
    codes: tuple[str, ...]
    matched: str | None = None
    ambiguous: bool = False


def _prefix_codes(text: str, levels: tuple[Level, ...], limit: int) -> list[str]:
    """Current areas whose name starts with ``text``, in level order, then by name."""
    key = skeleton_key(name_key(text))
    if len(key) < MIN_PREFIX:
        return []
    thai = is_thai(text)
    pools = area_index().pools
    found: list[str] = []
    for level in levels:
        pool = pools.get((level, "", thai))
        if not pool:
            continue
        keys, codes = pool
        hits = sorted(
            {c for k, c in zip(keys, codes, strict=True) if k.startswith(key)},
            key=lambda c: (len(gazetteer.name_of(c, "th") or ""), c),
        )
        found += [c for c in hits if c not in found]
        if len(found) >= limit:
            break
    return found[:limit]


def search_places(text: object, limit: int = MAX_SUGGESTIONS) -> Found:
    """Places that ``text`` may name, best first (at most ``limit``)."""
    query = clean_place(text)[:MAX_QUERY]
    if len(query) < MIN_PREFIX:
        return Found(query, ())
    result = match_place(query)
    codes: list[str] = []
    for code in [result.code, *(c.code for c in result.candidates)]:
        if code and gazetteer.is_current(code) and code not in codes:
            codes.append(code)
    segments = split_place(query)
    if len(segments) == 1 and segments[0].text and len(codes) < limit:
        role = segments[0].role
        levels: tuple[Level, ...] = (_ROLE_LEVEL[role],) if role in _ROLE_LEVEL else LEVELS
        for code in _prefix_codes(segments[0].text, levels, limit):
            if code not in codes:
                codes.append(code)
    matched = result.code if result.status == MATCHED and result.code in codes else None
    return Found(query, tuple(codes[:limit]), matched, result.status == AMBIGUOUS)
