"""Map classes and colours shared by the interactive map and the briefing images.

Two kinds of scheme, with the same small interface (``colour_of``, ``hatch_of``, ``key_of``,
``legend``):

- ``classify(values, n)``: a classed numeric metric on ColorBrewer ``YlGnBu`` (sequential,
  colour-blind safe, lightness falls steadily so the classes stay apart in greyscale). A value
  of 0 gets its own lightest class, so "none" is never confused with "a few"; missing values
  get ``NO_DATA_COLOUR`` (a neutral grey, hatched in print), never a class colour.
- ``categorical(programme)``: the legend categories and colours of the programme declaration.

Pure functions, no I/O, no matplotlib.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from codi_geo.programmes import Programme
from codi_geo.text import Bilingual

# ColorBrewer YlGnBu (Cynthia Brewer, colorbrewer2.org), by number of classes.
YLGNBU: dict[int, tuple[str, ...]] = {
    3: ("#edf8b1", "#7fcdbb", "#2c7fb8"),
    4: ("#ffffcc", "#a1dab4", "#41b6c4", "#225ea8"),
    5: ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"),
    6: ("#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#2c7fb8", "#253494"),
    7: ("#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#0c2c84"),
}
MIN_CLASSES, MAX_CLASSES = 2, 7  # with a zero class: 6 value classes + zero
# No data: neutral grey (no hue, unlike every class colour) plus a hatch where the medium
# allows it (print, PDF), so it is told apart from the classes in greyscale too.
NO_DATA_COLOUR = "#d9d9d9"
NO_DATA_HATCH = "////"
NO_DATA_KEY = "no_data"
ZERO_KEY = "zero"
NO_DATA = Bilingual("ไม่มีข้อมูล", "No data")

Method = Literal["quantile", "equal"]


@dataclass(frozen=True)
class LegendEntry:
    key: str
    label: Bilingual
    colour: str
    hatch: str | None = None


def is_missing(value: object) -> bool:
    """None, NaN, pandas NA or NaT (a category id or a number is not missing)."""
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # not a scalar
        return False


def format_number(value: float, decimals: int = 0) -> str:
    """``12345.6`` -> ``12,346`` (or with ``decimals``)."""
    return f"{value:,.{decimals}f}"


@dataclass(frozen=True)
class Classes:
    """A classed numeric scheme.

    ``bins`` are the class edges ``e0 <= e1 < … < ek``: class 0 holds ``[e0, e1]``, class i
    holds ``(e_i, e_{i+1}]`` (``e0 == e1`` when each value has its own class). With
    ``zero_class`` a value of exactly 0 has its own class (key ``zero``) and ``bins`` cover
    the positive values only.
    """

    bins: tuple[float, ...]
    colours: tuple[str, ...]
    labels_th: tuple[str, ...]
    labels_en: tuple[str, ...]
    zero_class: bool = False
    zero_colour: str | None = None
    no_data_colour: str = NO_DATA_COLOUR
    no_data_hatch: str = NO_DATA_HATCH

    kind = "classed"

    def index_of(self, value: object) -> int | None:
        """Class number of ``value`` (0 = lowest value class); None for no data or zero."""
        if is_missing(value):
            return None
        number = float(value)  # type: ignore[arg-type]  # a number once not missing
        if self.zero_class and number == 0:
            return None
        if not self.bins:
            return None
        for index in range(len(self.colours)):
            if number <= self.bins[index + 1]:
                return index
        return len(self.colours) - 1  # above the top edge (fixed breaks): top class

    def key_of(self, value: object) -> str:
        if is_missing(value):
            return NO_DATA_KEY
        if self.zero_class and float(value) == 0:  # type: ignore[arg-type]  # not missing
            return ZERO_KEY
        index = self.index_of(value)
        return NO_DATA_KEY if index is None else f"c{index}"

    def colour_of(self, value: object) -> str:
        key = self.key_of(value)
        if key == NO_DATA_KEY:
            return self.no_data_colour
        if key == ZERO_KEY:
            return self.zero_colour or self.no_data_colour
        return self.colours[int(key[1:])]

    def hatch_of(self, value: object) -> str | None:
        return self.no_data_hatch if self.key_of(value) == NO_DATA_KEY else None

    def colours_for(self, values: Iterable[object]) -> list[str]:
        return [self.colour_of(v) for v in values]

    def legend(self, include_no_data: bool = True) -> tuple[LegendEntry, ...]:
        entries: list[LegendEntry] = []
        if self.zero_class and self.zero_colour:
            entries.append(LegendEntry(ZERO_KEY, Bilingual("0", "0"), self.zero_colour))
        entries += [
            LegendEntry(f"c{i}", Bilingual(th, en), colour)
            for i, (th, en, colour) in enumerate(
                zip(self.labels_th, self.labels_en, self.colours, strict=True)
            )
        ]
        if include_no_data:
            entries.append(
                LegendEntry(NO_DATA_KEY, NO_DATA, self.no_data_colour, self.no_data_hatch)
            )
        return tuple(entries)


@dataclass(frozen=True)
class CategoryScheme:
    """The declared categories of a programme; unknown or missing categories are no data."""

    entries: tuple[LegendEntry, ...]
    title: Bilingual
    no_data_colour: str = NO_DATA_COLOUR
    no_data_hatch: str = NO_DATA_HATCH

    kind = "categorical"

    @property
    def colours(self) -> tuple[str, ...]:
        return tuple(e.colour for e in self.entries)

    def key_of(self, value: object) -> str:
        if is_missing(value):
            return NO_DATA_KEY
        text = str(value)
        return text if any(e.key == text for e in self.entries) else NO_DATA_KEY

    def colour_of(self, value: object) -> str:
        key = self.key_of(value)
        for entry in self.entries:
            if entry.key == key:
                return entry.colour
        return self.no_data_colour

    def hatch_of(self, value: object) -> str | None:
        return self.no_data_hatch if self.key_of(value) == NO_DATA_KEY else None

    def colours_for(self, values: Iterable[object]) -> list[str]:
        return [self.colour_of(v) for v in values]

    def legend(self, include_no_data: bool = True) -> tuple[LegendEntry, ...]:
        no_data = LegendEntry(NO_DATA_KEY, NO_DATA, self.no_data_colour, self.no_data_hatch)
        return self.entries + ((no_data,) if include_no_data else ())


# ColorBrewer RdBu (colour-blind safe): decreases red, increases blue, no change a near-white
# neutral, by classes per side (1–3); darkest = largest change either way.
RDBU: dict[int, tuple[tuple[str, ...], str, tuple[str, ...]]] = {
    1: (("#ef8a62",), "#f7f7f7", ("#67a9cf",)),
    2: (("#f4a582", "#ca0020"), "#f7f7f7", ("#92c5de", "#0571b0")),
    3: (("#fddbc7", "#ef8a62", "#b2182b"), "#f7f7f7", ("#d1e5f0", "#67a9cf", "#2166ac")),
}
MAX_SIDE_CLASSES = 3
NO_CHANGE = Bilingual("ไม่เปลี่ยนแปลง (0)", "No change (0)")


def signed(value: float, decimals: int = 0) -> str:
    """``+1,234`` / ``−56`` (a true minus sign) / ``0``."""
    if value == 0:
        return "0"
    text = format_number(abs(value), decimals)
    return f"+{text}" if value > 0 else f"\u2212{text}"


@dataclass(frozen=True)
class Diverging:
    """A change (difference between two periods) classed the same way on both sides of zero:
    ``edges`` are magnitudes ``0 = e0 < e1 < … < ek``; class i holds a change whose size is
    in ``(e_i, e_{i+1}]``, coloured ``positive[i]`` for a rise and ``negative[i]`` for a fall,
    so an equal rise and fall read equally strong. Exactly 0 is "no change" (a neutral),
    missing is no data (grey, hatched), as in ``Classes``."""

    edges: tuple[float, ...]
    negative: tuple[str, ...]
    positive: tuple[str, ...]
    # one per magnitude class: (smallest, largest) size as text, equal for a single value
    labels: tuple[tuple[str, str], ...]
    zero_colour: str
    no_data_colour: str = NO_DATA_COLOUR
    no_data_hatch: str = NO_DATA_HATCH

    kind = "diverging"

    def key_of(self, value: object) -> str:
        if is_missing(value):
            return NO_DATA_KEY
        number = float(value)  # type: ignore[arg-type]  # a number once not missing
        if number == 0 or not self.labels:
            return ZERO_KEY
        size = abs(number)
        index = next(
            (i for i in range(len(self.labels)) if size <= self.edges[i + 1]), len(self.labels) - 1
        )
        return f"{'p' if number > 0 else 'n'}{index}"

    def colour_of(self, value: object) -> str:
        key = self.key_of(value)
        if key == NO_DATA_KEY:
            return self.no_data_colour
        if key == ZERO_KEY:
            return self.zero_colour
        side = self.positive if key[0] == "p" else self.negative
        return side[int(key[1:])]

    def hatch_of(self, value: object) -> str | None:
        return self.no_data_hatch if self.key_of(value) == NO_DATA_KEY else None

    def colours_for(self, values: Iterable[object]) -> list[str]:
        return [self.colour_of(v) for v in values]

    def legend(self, include_no_data: bool = True) -> tuple[LegendEntry, ...]:
        """Largest fall first, no change in the middle, largest rise last."""

        def text(sign: str, low: str, high: str) -> str:
            if low == high:
                return f"{sign}{high}"
            if sign == "+":
                return f"+{low} – +{high}"
            return f"{sign}{high} – {sign}{low}"  # a fall: largest first, as on the axis

        falls = [
            LegendEntry(
                f"n{i}", Bilingual(text("\u2212", *r), text("\u2212", *r)), self.negative[i]
            )
            for i, r in reversed(list(enumerate(self.labels)))
        ]
        rises = [
            LegendEntry(f"p{i}", Bilingual(text("+", *r), text("+", *r)), self.positive[i])
            for i, r in enumerate(self.labels)
        ]
        zero = LegendEntry(ZERO_KEY, NO_CHANGE, self.zero_colour)
        entries = [*falls, zero, *rises]
        if include_no_data:
            entries.append(
                LegendEntry(NO_DATA_KEY, NO_DATA, self.no_data_colour, self.no_data_hatch)
            )
        return tuple(entries)


def diverging(values: Iterable[object], n: int = MAX_SIDE_CLASSES) -> Diverging:
    """Class changes (negative, zero, positive) into at most ``n`` classes a side, the same
    edges for rises and falls (quantiles of the sizes of all non-zero changes)."""
    if not 1 <= n <= MAX_SIDE_CLASSES:
        raise ValueError(f"classes per side must be 1–{MAX_SIDE_CLASSES}, not {n}")
    numbers = _numbers(values)
    sizes = np.abs(numbers[numbers != 0])
    integer = bool(np.all(np.mod(numbers, 1) == 0))
    if len(sizes) == 0:
        return Diverging((), (), (), (), RDBU[1][1])
    edges = _edges(sizes, n, "quantile", integer)
    labels: list[tuple[str, str]] = []
    if edges[0] == edges[1]:  # one class per distinct size: (previous, size]
        uppers = edges[1:]
        edges = [0.0, *uppers]
        decimals = next((d for d in range(4) if all(round(e, d) == e for e in uppers)), 3)
        labels = [(format_number(e, decimals), format_number(e, decimals)) for e in uppers]
    else:
        edges = [0.0, *edges[1:]]
        decimals = 0 if integer else _decimals_for(edges)
        for index in range(len(edges) - 1):
            low, high = edges[index], edges[index + 1]
            low = (low + 1 if integer else low) if index else (1 if integer else 0)
            labels.append((format_number(low, decimals), format_number(high, decimals)))
    count = len(labels)
    negative, zero, positive = RDBU[count]
    return Diverging(tuple(edges), negative, positive, tuple(labels), zero)


Scheme = Classes | CategoryScheme | Diverging


def categorical(programme: Programme) -> CategoryScheme:
    """The scheme of a programme's declared categories (declaration order)."""
    if not programme.categories:
        raise ValueError(f"programme {programme.id} declares no categories")
    return CategoryScheme(
        tuple(LegendEntry(c.id, c.name, c.colour) for c in programme.categories),
        programme.category_label,
    )


def _numbers(values: Iterable[object]) -> np.ndarray:
    # values are table cells: numbers unless missing
    kept = [float(v) for v in values if not is_missing(v)]  # type: ignore[arg-type]
    array = np.asarray(kept, dtype=float)
    if np.isinf(array).any():
        raise ValueError("cannot classify infinite values")
    return array


def _edges(positive: np.ndarray, n: int, method: Method, integer: bool) -> list[float]:
    distinct = np.unique(positive)
    if len(distinct) <= n:  # one class per value: [u0, u0], (u0, u1], …
        return [float(distinct[0]), *(float(u) for u in distinct)]
    low, high = float(positive.min()), float(positive.max())
    if method == "quantile":
        inner = np.quantile(positive, np.linspace(0, 1, n + 1)[1:-1], method="linear")
    elif method == "equal":
        inner = np.linspace(low, high, n + 1)[1:-1]
    else:
        raise ValueError(f"unknown classing method {method!r} (quantile or equal)")
    if integer:
        inner = np.floor(inner)
    edges = [low, *(float(x) for x in inner if low <= x < high), high]
    unique: list[float] = []
    for edge in edges:
        if not unique or edge > unique[-1]:
            unique.append(edge)
    return unique


def _decimals_for(edges: Sequence[float]) -> int:
    span = max(edges) - min(edges)
    if span >= 100:
        return 0
    if span >= 1:
        return 1
    return 2 if span == 0 else min(3, 1 - math.floor(math.log10(span)))


def _labels(edges: Sequence[float], integer: bool) -> list[str]:
    labels: list[str] = []
    decimals = 0 if integer else _decimals_for(edges)
    if len(edges) > 1 and edges[0] == edges[1]:  # one class per value, shown exactly
        exact = next((d for d in range(4) if all(round(e, d) == e for e in edges)), 3)
        return [format_number(e, exact) for e in edges[1:]]
    for index in range(len(edges) - 1):
        low, high = edges[index], edges[index + 1]
        if integer and index > 0:
            low += 1
        if low == high:
            labels.append(format_number(high, decimals))
        else:
            labels.append(f"{format_number(low, decimals)}–{format_number(high, decimals)}")
    return labels


def classify(
    values: Iterable[object],
    n: int = 5,
    method: Method = "quantile",
    breaks: Sequence[float] | None = None,
) -> Classes:
    """Class the values into at most ``n`` classes (fewer when there are fewer distinct
    values), or into the fixed class edges ``breaks`` (e.g. the same classes across years).

    Missing values (None, NaN) are no data; zeros get their own class when there are any;
    negative values are refused (programme results are counts and amounts).
    """
    if not MIN_CLASSES <= n <= MAX_CLASSES:
        raise ValueError(f"number of classes must be {MIN_CLASSES}–{MAX_CLASSES}, not {n}")
    numbers = _numbers(values)
    if (numbers < 0).any():
        raise ValueError("cannot class negative values")
    has_zero = bool((numbers == 0).any())
    positive = numbers[numbers > 0]
    integer = bool(np.all(np.mod(numbers, 1) == 0))
    if breaks is not None:
        edges = [float(b) for b in breaks]
        if len(edges) < 2 or any(b <= a for a, b in itertools.pairwise(edges)):
            raise ValueError("breaks must be at least two strictly increasing edges")
        most = MAX_CLASSES - 1 if has_zero else MAX_CLASSES
        if len(edges) - 1 > most:
            raise ValueError(f"at most {most} classes ({most + 1} edges) for these values")
        integer = integer and all(e.is_integer() for e in edges)
    elif len(positive) == 0:
        edges = []
    else:
        # With a zero class, at most 7 colours in all: the 8-class ramp's two lightest
        # steps are too close to tell apart in greyscale.
        wanted = min(n, MAX_CLASSES - 1) if has_zero else n
        edges = _edges(positive, wanted, method, integer)
    count = max(len(edges) - 1, 0)
    palette = YLGNBU[max(3, count + (1 if has_zero else 0))] if count or has_zero else ()
    if has_zero:
        zero_colour: str | None = palette[0]
        colours = tuple(palette[1 : count + 1]) if count else ()
    else:
        zero_colour = None
        # 1–2 classes take the darker end of the 3-class scheme
        colours = tuple(palette[-count:]) if count else ()
    labels = _labels(edges, integer) if count else []
    return Classes(
        tuple(edges),
        colours,
        tuple(labels),
        tuple(labels),
        zero_class=has_zero,
        zero_colour=zero_colour,
    )


def lightness(colour: str) -> float:
    """CIE L* (0 black … 100 white) of a ``#rrggbb`` colour: what a greyscale print keeps."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    y = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return 116 * (y ** (1 / 3) if y > 216 / 24389 else (24389 / 27 * y + 16) / 116) - 16
