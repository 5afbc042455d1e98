"""Messy Thai/English place names -> DOPA codes (province 2, district 4, tambon 6 digits).

``match_place("ต.ตลาด อ.เมือง จ.สุราษฎร์ธานี")`` reads the prefixes, splits the string into its
tambon, district and province parts, looks each part up in geothai's register (current names,
English names, short forms such as กทม./โคราช/อุบลฯ, abolished units) and keeps only the
areas that agree with every part. Typos are forgiven only when a name is one or two edits
away and no other area in the narrowed set is as close: a confident wrong code is worse than
no code, so anything less certain is ``ambiguous`` with its candidates.

The steps, each a module: ``normalise`` (name keys and short forms), ``index`` (the register's
names and how a name is looked up), ``parse`` (a place string split at its level words),
``resolve`` (the place and its context scored into one answer), ``table`` (a whole column).
"""

from codi_geo.places.matching.resolve import (
    AMBIGUOUS,
    MATCHED,
    STATUSES,
    UNMATCHED,
    Candidate,
    MatchInputError,
    MatchResult,
    match_place,
)
from codi_geo.places.matching.table import OUTPUT_COLUMNS, match_frame

__all__ = [
    "AMBIGUOUS",
    "MATCHED",
    "OUTPUT_COLUMNS",
    "STATUSES",
    "UNMATCHED",
    "Candidate",
    "MatchInputError",
    "MatchResult",
    "match_frame",
    "match_place",
]
