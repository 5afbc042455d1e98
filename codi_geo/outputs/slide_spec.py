"""What a briefing slide shows, decided before anything is drawn: the request (programme,
period, metric, filters, size), and from it every text, the legend entries and the colour of
each area (``briefing_spec``). Pure: no matplotlib here; ``codi_geo.outputs.briefing`` draws
and renders the spec. Classes and colours come from ``codi_geo.maps.scales``, exactly as on
the interactive map.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Literal

import pandas as pd

from codi_geo.maps import scales
from codi_geo.maps.scales import LegendEntry
from codi_geo.places.sources import ATTRIBUTION
from codi_geo.programmes import Metric, Programme
from codi_geo.text import Bilingual
from codi_geo.thai import BE_OFFSET, MONTHS_EN, MONTHS_TH, quarter_months

# The areas a summary counts ("12 of 77 provinces with data").
LEVEL_NAMES: dict[str, Bilingual] = {
    "region": Bilingual("ภาค", "regions"),
    "province": Bilingual("จังหวัด", "provinces"),
    "district": Bilingual("อำเภอ", "districts"),
    "tambon": Bilingual("ตำบล", "tambons"),
}
CODI = Bilingual(
    "สถาบันพัฒนาองค์กรชุมชน (องค์การมหาชน)", "Community Organizations Development Institute (CODI)"
)
# Above this many areas the no-data hatch turns into noise; plain grey is clearer.
MAX_HATCHED_AREAS = 1500


@dataclass(frozen=True)
class SlideRequest:
    """What a slide is asked to show: the programme, period, metric (None: the declared
    categories), filters as (label, value) pairs, and the image's size. (The page's *view*
    is its URL state, ``ViewState``; ``downloads.slide_request`` turns one into this.)"""

    programme: str
    fiscal_year: int | None  # Buddhist Era, e.g. 2569
    quarter: int | None = None
    cumulative: bool = False  # figures are to the end of ``quarter``, not for it alone
    metric: str | None = None
    level: str | None = None  # province / district / tambon (from the codes if None)
    title: str | None = None
    filters: tuple[tuple[str, str], ...] = ()
    source: str | None = None
    lang: Literal["th", "en"] = "th"
    n_classes: int = 5
    breaks: tuple[float, ...] | None = None
    demo: bool = False
    # ``metric=COUNT_METRIC``: the number of results per area; (name, unit) in ``lang``
    count_label: tuple[str, str] | None = None
    # the legend entry of the thick outline drawn round ``marked`` areas (e.g. the provinces
    # that met all criteria); empty: nothing is marked
    marked_label: str = ""
    width_px: int = 1920
    height_px: int = 1080
    dpi: int = 150
    # The values are changes between two periods (``pagemaps.change``): a diverging scale
    # (``scales.diverging``), signed totals
    change: bool = False


# ``SlideRequest.metric`` for a map of how many results each area has (no declared metric).
COUNT_METRIC = "rows"


def request_metric(programme: Programme, request: SlideRequest) -> Metric | None:
    """The metric the request maps: a declared one, the result count (``COUNT_METRIC``), or
    None (the declared categories)."""
    if not request.metric:
        return None
    if request.metric == COUNT_METRIC:
        en = request.lang == "en"
        name, unit = request.count_label or (
            ("Results", "results") if en else ("จำนวนรายการ", "รายการ")
        )
        return Metric(COUNT_METRIC, Bilingual(name, name), Bilingual(unit, unit))
    return programme.metric(request.metric)


def period_label(
    fiscal_year: int | None, quarter: int | None, lang: str = "th", cumulative: bool = False
) -> str:
    """``ปีงบประมาณ 2569 ไตรมาส 2 (ม.ค.–มี.ค. 2569)``; cumulative:
    ``ปีงบประมาณ 2569 สะสมถึงไตรมาส 2 (ต.ค. 2568–มี.ค. 2569)``."""
    if fiscal_year is None:
        return ""
    en = lang == "en"
    ce = fiscal_year - BE_OFFSET
    text = (
        f"Fiscal year {fiscal_year} BE ({ce - 1}/{str(ce)[-2:]})"
        if en
        else (f"ปีงบประมาณ {fiscal_year}")
    )
    if quarter is None:
        return text
    (first, first_year), (last, last_year) = quarter_months(fiscal_year, quarter)
    if cumulative:
        first, first_year = 10, fiscal_year - 1
    months = MONTHS_EN if en else MONTHS_TH
    if en:
        start = f"{months[first - 1]}" + (
            f" {first_year - BE_OFFSET}" if first_year != last_year else ""
        )
        span = f"{start}–{months[last - 1]} {last_year - BE_OFFSET}"
        what = f"to the end of Q{quarter}" if cumulative else f"Q{quarter}"
        return f"{text}, {what} ({span})"
    start = months[first - 1] + (f" {first_year}" if first_year != last_year else "")
    span = f"{start}–{months[last - 1]} {last_year}"
    what = f"สะสมถึงไตรมาส {quarter}" if cumulative else f"ไตรมาส {quarter}"
    return f"{text} {what} ({span})"


def _level_of(areas: pd.DataFrame, request: SlideRequest) -> str:
    if request.level:
        return request.level
    lengths = {len(str(c)) for c in areas["code"]} if "code" in areas.columns else set()
    return {2: "province", 4: "district", 6: "tambon"}.get(
        next(iter(lengths)) if len(lengths) == 1 else 0, "province"
    )


def _number(value: float) -> str:
    return scales.format_number(value, 0 if float(value).is_integer() else 1)


@dataclass(frozen=True)
class BriefingSpec:
    """Everything the image shows, decided before drawing (inspect it in tests)."""

    width_px: int
    height_px: int
    dpi: int
    lang: str
    level: str
    title: str
    period: str
    filters: str
    summary: tuple[str, ...]
    legend_title: str
    legend: tuple[LegendEntry, ...]
    legend_counts: tuple[int, ...]
    face_colours: tuple[str, ...]  # one per area, in the order of ``areas``
    hatches: tuple[str | None, ...]
    footer: tuple[str, ...]
    watermark: str | None = None
    point_colours: tuple[str, ...] = field(default_factory=tuple)
    # (label, colour) of each kind of dot, for the legend (a dot in an area's own colour
    # has no label: the classes say it)
    point_legend: tuple[tuple[str, str], ...] = field(default_factory=tuple)
    marked_label: str = ""

    @property
    def extra_labels(self) -> tuple[str, ...]:
        """Legend rows after the classes: the marked outline, then the kinds of dots."""
        marked = (self.marked_label,) if self.marked_label else ()
        return (*marked, *(label for label, _ in self.point_legend))

    @property
    def legend_labels(self) -> tuple[str, ...]:
        return tuple(
            f"{e.label.get(self.lang)} ({scales.format_number(n)})"
            for e, n in zip(self.legend, self.legend_counts, strict=True)
        )

    @property
    def texts(self) -> tuple[str, ...]:
        """Every text drawn (to check fonts cover them)."""
        return (
            self.title,
            self.period,
            self.filters,
            *self.summary,
            self.legend_title,
            *self.legend_labels,
            *self.extra_labels,
            *self.footer,
            *((self.watermark,) if self.watermark else ()),
        )


def briefing_spec(
    areas: pd.DataFrame,
    programme: Programme,
    request: SlideRequest,
    column: str | None = None,
    points: pd.DataFrame | None = None,
) -> BriefingSpec:
    """The texts, legend and colours of a briefing image.

    ``areas``: one row per area in the request (``code`` and the ``column`` to map: a metric
    value, or the category id when ``request.metric`` is None). Areas without a value are drawn
    as "no data". ``points``: dots with ``latitude``/``longitude`` and a ``colour``, or a
    ``category`` (coloured as declared); single rows' coordinates on internal pages only.
    """
    en = request.lang == "en"
    column = column or request.metric or "category"
    if column not in areas.columns:
        raise KeyError(f"areas have no column {column!r}")
    level = _level_of(areas, request)
    values = list(areas[column])
    metric = request_metric(programme, request)
    scheme: scales.Scheme
    if metric is not None:
        unit = metric.unit.get(request.lang)
        name = metric.name.get(request.lang)
        if request.change:
            scheme = scales.diverging(values)
            name = f"{'Change in' if en else 'การเปลี่ยนแปลง'} {name}"
        else:
            scheme = scales.classify(values, n=request.n_classes, breaks=request.breaks)
        legend_title = f"{name} ({unit})" if unit and unit != name else name
    else:
        scheme = scales.categorical(programme)
        legend_title = programme.category_label.get(request.lang)
    keys = [scheme.key_of(v) for v in values]
    counts = Counter(keys)
    entries = tuple(e for e in scheme.legend(include_no_data=True) if counts[e.key])

    programme_name = programme.name.get(request.lang)
    if request.title:
        title = request.title
    elif metric is not None:
        title = f"{programme_name}: {metric.name.get(request.lang)}"
    else:
        title = programme_name
    filters = "  ·  ".join(f"{label}: {value}" for label, value in request.filters)

    with_data = sum(n for k, n in counts.items() if k != scales.NO_DATA_KEY)
    level_name = LEVEL_NAMES[level].get(request.lang) if level in LEVEL_NAMES else level
    summary: list[str] = []
    if metric is not None:
        numbers = [float(v) for v in values if not scales.is_missing(v)]
        total = sum(numbers)
        unit = metric.unit.get(request.lang)
        if request.change:
            rises = sum(1 for n in numbers if n > 0)
            falls = sum(1 for n in numbers if n < 0)
            signed = scales.signed(total, 0 if float(total).is_integer() else 1)
            summary.append(f"{'Net change' if en else 'เปลี่ยนแปลงสุทธิ'} {signed} {unit}".strip())
            areas_th = LEVEL_NAMES[level].th if level in LEVEL_NAMES else ""
            summary.append(
                f"{rises:,} up · {falls:,} down"
                if en
                else f"เพิ่มขึ้น {rises:,} · ลดลง {falls:,} {areas_th}"
            )
        else:
            summary.append(f"{'Total' if en else 'รวม'} {_number(total)} {unit}".strip())
    of = (
        f"{with_data:,} of {len(values):,} {level_name} with data"
        if en
        else (f"มีข้อมูล {with_data:,} จาก {len(values):,} {level_name}")
    )
    summary.append(of)

    source = request.source or CODI.get(request.lang)
    footer = (
        f"{'Source' if en else 'ที่มา'}: {source}",
        ATTRIBUTION.get("en" if en else "th"),
    )
    watermark = None
    if request.demo:
        watermark = "DEMO DATA, NOT REAL RESULTS" if en else "ข้อมูลตัวอย่าง ไม่ใช่ผลจริง"
    point_colours: tuple[str, ...] = ()
    if points is not None and len(points) and "colour" in points.columns:
        point_colours = tuple(str(c) for c in points["colour"])  # decided by the caller
    elif points is not None and len(points):
        point_scheme = scales.categorical(programme) if programme.categories else None
        cats = points["category"] if "category" in points.columns else [None] * len(points)
        point_colours = tuple(
            point_scheme.colour_of(c) if point_scheme else "#e6550d" for c in cats
        )
    point_legend: list[tuple[str, str]] = []
    if points is not None and len(points) and "label" in points.columns and point_colours:
        for label, colour in zip(points["label"], point_colours, strict=True):
            if isinstance(label, str) and label and (label, colour) not in point_legend:
                point_legend.append((label, colour))
    hatches = [scheme.hatch_of(v) for v in values]
    if len(values) > MAX_HATCHED_AREAS:  # plain grey, in the legend too
        hatches = [None] * len(values)
        entries = tuple(LegendEntry(e.key, e.label, e.colour, None) for e in entries)
    return BriefingSpec(
        request.width_px,
        request.height_px,
        request.dpi,
        request.lang,
        level,
        title,
        period_label(request.fiscal_year, request.quarter, request.lang, request.cumulative),
        filters,
        tuple(summary),
        legend_title,
        entries,
        tuple(counts[e.key] for e in entries),
        tuple(scheme.colour_of(v) for v in values),
        tuple(hatches),
        footer,
        watermark,
        point_colours,
        tuple(point_legend),
        request.marked_label,
    )
