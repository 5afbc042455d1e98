"""One place and its context (the other parts of its text, the province and district columns)
scored into one answer: matched, ambiguous with candidates, or unmatched, with a note why."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import cast

from codi_geo.errors import CodiGeoError
from codi_geo.places import gazetteer
from codi_geo.places.gazetteer import CODE_LENGTH, LEVELS, Level
from codi_geo.places.matching.index import Area, Hit, area_index, level_of, lookup, typo_hits
from codi_geo.places.matching.normalise import clean_place, is_thai, name_key, skeleton_key
from codi_geo.places.matching.parse import (
    COMMUNITY,
    DISTRICT,
    MUNICIPALITY,
    PROVINCE,
    ROLE_LEVEL,
    TAMBON,
    Segment,
    split_place,
)

MATCHED, AMBIGUOUS, UNMATCHED = "matched", "ambiguous", "unmatched"
STATUSES = (MATCHED, AMBIGUOUS, UNMATCHED)
MAX_CANDIDATES = 8


@dataclass(frozen=True)
class Candidate:
    code: str
    level: Level
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


class MatchInputError(CodiGeoError, ValueError):
    """Input that cannot be matched: a table without its place column, an unknown level.
    Also a ``ValueError``, so callers that catch a bad argument as one still catch it."""


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
        hits = lookup(text, ["province"], weak_aliases=True)
    elif role == DISTRICT:
        hits = lookup(text, ["district"], scopes)
        if not hits and scopes:
            hits = lookup(text, ["district"], fuzzy=False)
    else:
        hits = lookup(text, ["province"], fuzzy=False) + lookup(text, ["district"], scopes)
        if not hits:
            hits = lookup(text, ["province"])
    best = max((h.similarity for h in hits), default=0)
    return _Part(text, role, {h.code: h.similarity for h in hits if h.similarity >= best - 10})


@dataclass(frozen=True)
class _Scored:
    hit: Hit
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
    role: str | None, level: Level | None, finer_than: float = 0, context_rank: float = 0
) -> list[Level]:
    """Levels the main name may have, most likely first. An unlabelled name is read as the
    largest unit finer than its context (a district column makes "หาดใหญ่" the tambon), and
    only then as the context's own level or above."""
    if role in (TAMBON, DISTRICT, PROVINCE):
        return [cast(Level, role)]
    if role in (MUNICIPALITY, COMMUNITY):
        return ["tambon", "district"]
    if level is not None:
        return [level]
    levels = [lv for lv in LEVELS if ROLE_LEVEL[lv] > finer_than]
    finer = [lv for lv in levels if ROLE_LEVEL[lv] > context_rank]
    return finer + [lv for lv in reversed(levels) if lv not in finer]


def _evaluate(
    main: Segment, levels: list[Level], context: list[_Part], notes: list[str]
) -> MatchResult:
    scopes = _scopes(context)
    hits = _municipality_capital(main.text, context) if main.role == MUNICIPALITY else []
    if main.role == COMMUNITY:  # only a community named exactly after a place counts
        for name in (main.text, re.sub(r"^(?:บ้าน|ban)\s*", "", main.text, flags=re.I)):
            hits = hits or lookup(name, levels, scopes, fuzzy=False)
    elif not hits:
        hits = lookup(main.text, levels, scopes, weak_aliases=main.role == PROVINCE)
    scored = [_Scored(h, _fits(h, context)) for h in hits]
    if not scored:
        return _unmatched([*notes, f"no area named '{main.text}'"])
    consistent = [s for s in scored if s.consistent]
    if not consistent and context and main.role != COMMUNITY:
        # ต.สาคร จ.ภูเก็ต: สาคร exists, but in Satun; Phuket's สาคู is one letter away
        near = typo_hits(skeleton_key(name_key(main.text)), is_thai(main.text), levels, scopes)
        consistent = [s for h in near if (s := _Scored(h, _fits(h, context))).consistent]
    if consistent:
        return _decide(consistent, levels, notes, main.text)
    return _relax(scored, context, notes)


def _fits(hit: Hit, context: list[_Part]) -> tuple[float, ...]:
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


def _municipality_capital(text: str, context: list[_Part]) -> list[Hit]:
    """เทศบาลนครเชียงใหม่: a municipality named after its province is the provincial town,
    which lies in the capital district (XX01)."""
    hits = []
    for hit in lookup(text, ["province"], fuzzy=False):
        capital = hit.code + "01"
        if hit.code != "10" and all(p.fit(capital) > 0 for p in context):
            hits.append(Hit(capital, hit.similarity, 0, "capital"))
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
    area = area_index().areas[scored.code]
    return (area.code,) if area.current else area.successors


def _by_preference(scored: list[_Scored], levels: list[Level]) -> list[_Scored]:
    """Keep the most likely level present, and current areas over abolished ones."""
    for level in levels:
        at_level = [s for s in scored if level_of(s.code) == level]
        if at_level:
            current = [s for s in at_level if area_index().areas[s.code].current]
            successors = {c for s in current for c in _successor_key(s)}
            abolished = [
                s
                for s in at_level
                if not area_index().areas[s.code].current
                and not set(_successor_key(s)) <= successors
            ]
            return current + abolished
    return scored


def _finish(top: list[_Scored], ranked: list[_Scored], notes: list[str]) -> MatchResult:
    """Matched if the top areas come down to one current code, else ambiguous."""
    codes: dict[str, float] = {}
    for scored in top:
        for code in _successor_key(scored):
            codes.setdefault(code, scored.total)
        area = area_index().areas[scored.code]
        if not area.current:
            notes = [*notes, _abolished_note(area)]
    others = _candidates_of(ranked, exclude=set(codes))
    if len(codes) == 1:
        code, score = next(iter(codes.items()))
        return MatchResult(
            code,
            level_of(code),
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


def _abolished_note(area: Area) -> str:
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
def _names(code: str) -> tuple[Level, str, str, str]:
    """level, Thai name, English name, full Thai name."""
    th, en = gazetteer.name_of(code) or "", gazetteer.name_of(code, "en") or ""
    return level_of(code), th, en, gazetteer.full_name(code)


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
        raise MatchInputError(
            f"level ต้องเป็น {', '.join(LEVELS)} ไม่ใช่ {level!r}",
            f"level must be one of {', '.join(LEVELS)}, not {level!r}",
        )
    checked = cast("Level | None", level)  # one of LEVELS: checked just above
    return match_cleaned(clean_place(place), clean_place(province), clean_place(district), checked)


@lru_cache(maxsize=200_000)
def match_cleaned(place: str, province: str, district: str, level: Level | None) -> MatchResult:
    if re.fullmatch(r"\d{2}|\d{4}|\d{6}", place):
        result = _match_code(place)
    else:
        result = _match_text(place, province, district, level)
    return _restrict(result, level) if level else result


def _match_code(code: str) -> MatchResult:
    area = area_index().areas.get(code)
    if area is None:
        return _unmatched([f"{code} is not a DOPA code"])
    hit = _Scored(Hit(code, 100, 0, "exact"), ())
    return _finish([hit], [], ["DOPA code"])


def _match_text(place: str, province: str, district: str, level: Level | None) -> MatchResult:
    if not place:
        return _unmatched(["empty place"])
    columns = _column_segments(province, PROVINCE) + _column_segments(district, DISTRICT)
    result = _match_segments(split_place(place), columns, level)
    if result.status == UNMATCHED and area_index().exact.get(name_key(place)):
        # เขตรอุดมศักดิ์, จ.ป.ร.: a whole name that merely starts like a level word
        whole = _interpret(Segment(None, place), columns, level, 0)
        if whole.status != UNMATCHED:
            return whole
    return result


def _match_segments(
    place: list[Segment], columns: list[Segment], level: Level | None
) -> MatchResult:
    """The place is the finest labelled part of the place text (or its first part when nothing
    is labelled); every other part, and the context columns, narrow it down."""
    split = [_split_tail(s) for s in place]
    tails = [t for _, ts in split for t in ts]
    segments = [s for s, _ in split]
    labelled = [s for s in segments if s.role in ROLE_LEVEL]
    loose = [s for s in segments if s.role is None]
    communities = [s for s in segments if s.role == COMMUNITY]
    context = [*tails, *columns]
    if not labelled:
        if not loose:  # only a community name
            return _match_community(communities, context, level)
        main, *free = loose
        rank = max((ROLE_LEVEL.get(s.role or "", 0) for s in columns), default=0)
        return _interpret(main, [*free, *context], level, 0, context_rank=rank)
    finest = max(labelled, key=lambda s: ROLE_LEVEL[s.role or ""])
    notes = [f"'{c.text}' is a community name, ignored" for c in communities if c.text]
    first = segments[0]
    if first.role is None and ROLE_LEVEL[finest.role or ""] < ROLE_LEVEL[TAMBON]:
        # "เทพกระษัตรี อำเภอถลาง": unlabelled text before the labels may be the finer place
        around = [*loose[1:], *labelled, *context]
        lead = _interpret(first, around, level, ROLE_LEVEL[finest.role or ""])
        if lead.status == MATCHED:
            return lead
    rank = ROLE_LEVEL[finest.role or ""]
    coarser = [s for s in labelled if ROLE_LEVEL[s.role or ""] < rank]
    notes += [
        f"several places listed, '{s.text}' ignored"
        for s in labelled
        if s is not finest and ROLE_LEVEL[s.role or ""] >= rank
    ]
    # unlabelled text is context if it names a province or district ("สงขลา อ.หาดใหญ่"),
    # else it is ignored with a note (กองทุนสวัสดิการชุมชนตำบล...)
    return _interpret(finest, [*loose, *coarser, *context], level, 0, notes)


def _interpret(
    main: Segment,
    around: list[Segment],
    level: Level | None,
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


def _column_segments(text: str, role: str) -> list[Segment]:
    """A context column's text, read like the place (จ.สงขลา), unlabelled parts taking the
    column's level."""
    if not text:
        return []
    if re.fullmatch(r"\d{2}|\d{4}", text):  # a DOPA code in the context column
        return [Segment(role, text)]
    return [Segment(s.role or role, s.text) for s in split_place(text) if s.text]


def _split_tail(segment: Segment) -> tuple[Segment, list[Segment]]:
    """``หนองแวง โคกสูง สระแก้ว`` -> the name หนองแวง and the context โคกสูง, สระแก้ว: while the
    text is not itself a name, its last words that name a province or district are peeled off."""
    if segment.role == COMMUNITY:
        return segment, []
    levels = list(LEVELS) if segment.role not in ROLE_LEVEL else _main_levels(segment.role, None)
    words, tails = segment.text.split(), []
    while len(words) > 1 and not lookup(" ".join(words), levels, fuzzy=False):
        for cut in range(1, len(words)):
            tail = " ".join(words[cut:])
            if lookup(tail, ["province", "district"], fuzzy=False):
                tails.append(Segment(None, tail))
                words = words[:cut]
                break
        else:
            break
    if not tails:
        return segment, []
    return Segment(segment.role, " ".join(words)), tails


def _match_community(
    communities: list[Segment], context: list[Segment], level: Level | None
) -> MatchResult:
    """ชุมชนบ้านX: a community, unless what follows the word ชุมชน is itself a place."""
    text = " ".join(c.text for c in communities).strip()
    if not text:
        return _unmatched(["empty place"])
    named = _interpret(Segment(COMMUNITY, text), context, level, 0)
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


def _restrict(result: MatchResult, level: Level) -> MatchResult:
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
    found_level = level_of(result.code)
    if found_level == level:
        return result
    if CODE_LENGTH[found_level] < CODE_LENGTH[level]:
        return _unmatched([f"{result.code} is a {found_level}, not a {level}"])
    parent = gazetteer.parent_code(result.code, level)
    note = "; ".join(n for n in (result.note, f"{found_level} {result.code} -> its {level}") if n)
    return MatchResult(
        parent, level, MATCHED, result.score, _truncate_candidates(result.candidates, level), note
    )


def _truncate_candidates(candidates: Iterable[Candidate], level: Level) -> tuple[Candidate, ...]:
    seen: dict[str, Candidate] = {}
    for c in candidates:
        if CODE_LENGTH[c.level] < CODE_LENGTH[level]:
            continue
        code = gazetteer.parent_code(c.code, level)
        seen.setdefault(code, _candidate(code, c.score))
    return tuple(seen.values())
