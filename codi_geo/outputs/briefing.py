"""Briefing images: the map a page shows as a PNG or PDF ready for a slide, made on the
server with matplotlib (no browser).

Three steps, so each can be checked on its own:

1. ``briefing_spec(areas, programme, request)`` — pure: every text, the legend entries, the
   colour of each area. Classes and colours come from ``codi_geo.maps.scales``, exactly as on the
   interactive map.
2. ``draw_briefing(spec, areas, …)`` — a matplotlib ``Figure`` (object API, no pyplot, so
   it is safe in Streamlit's threads).
3. ``render_briefing(…)`` — PNG or PDF bytes, with the Thai glyphs checked.

Thai text needs a Thai font: ``codi_geo.outputs.fonts`` finds it.
"""

from __future__ import annotations

import io
import math
import threading
import time
import warnings
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Literal

import geopandas as gpd
import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from codi_geo.maps import scales
from codi_geo.maps.scales import LegendEntry
from codi_geo.outputs.fonts import MISSING_GLYPH_PATTERN, font_properties
from codi_geo.places.sources import ATTRIBUTION
from codi_geo.programmes import Metric, Programme
from codi_geo.thai import BE_OFFSET, MONTHS_EN, MONTHS_TH, quarter_months

LEVEL_TH = {"region": "ภาค", "province": "จังหวัด", "district": "อำเภอ", "tambon": "ตำบล"}
LEVEL_EN = {
    "region": "regions",
    "province": "provinces",
    "district": "districts",
    "tambon": "tambons",
}
CODI_TH = "สถาบันพัฒนาองค์กรชุมชน (องค์การมหาชน)"
CODI_EN = "Community Organizations Development Institute (CODI)"

# Matplotlib's rcParams and warning filters are process-wide: one render at a time.
_RENDER_LOCK = threading.Lock()


# ---------------------------------------------------------------------------------------
# The slide request and its texts
# ---------------------------------------------------------------------------------------


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
        return Metric(COUNT_METRIC, name, name, unit, unit)
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
            f"{e.label(self.lang)} ({scales.format_number(n)})"
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
        unit = metric.unit_en if en else metric.unit_th
        name = metric.name_en if en else metric.name_th
        if request.change:
            scheme = scales.diverging(values)
            name = f"{'Change in' if en else 'การเปลี่ยนแปลง'} {name}"
        else:
            scheme = scales.classify(values, n=request.n_classes, breaks=request.breaks)
        legend_title = f"{name} ({unit})" if unit and unit != name else name
    else:
        scheme = scales.categorical(programme)
        legend_title = programme.category_label_en if en else programme.category_label_th
    keys = [scheme.key_of(v) for v in values]
    counts = Counter(keys)
    entries = tuple(e for e in scheme.legend(include_no_data=True) if counts[e.key])

    programme_name = programme.name_en if en else programme.name_th
    if request.title:
        title = request.title
    elif metric is not None:
        title = f"{programme_name}: {metric.name_en if en else metric.name_th}"
    else:
        title = programme_name
    filters = "  ·  ".join(f"{label}: {value}" for label, value in request.filters)

    with_data = sum(n for k, n in counts.items() if k != scales.NO_DATA_KEY)
    level_name = (LEVEL_EN if en else LEVEL_TH).get(level, level)
    summary: list[str] = []
    if metric is not None:
        numbers = [float(v) for v in values if not scales.is_missing(v)]
        total = sum(numbers)
        unit = metric.unit_en if en else metric.unit_th
        if request.change:
            rises = sum(1 for n in numbers if n > 0)
            falls = sum(1 for n in numbers if n < 0)
            signed = scales.signed(total, 0 if float(total).is_integer() else 1)
            summary.append(f"{'Net change' if en else 'เปลี่ยนแปลงสุทธิ'} {signed} {unit}".strip())
            summary.append(f"{rises:,} up · {falls:,} down" if en
                           else f"เพิ่มขึ้น {rises:,} · ลดลง {falls:,} {LEVEL_TH.get(level, '')}")
        else:
            summary.append(f"{'Total' if en else 'รวม'} {_number(total)} {unit}".strip())
    of = (
        f"{with_data:,} of {len(values):,} {level_name} with data"
        if en
        else (f"มีข้อมูล {with_data:,} จาก {len(values):,} {level_name}")
    )
    summary.append(of)

    source = request.source or (CODI_EN if en else CODI_TH)
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
        entries = tuple(LegendEntry(e.key, e.label_th, e.label_en, e.colour, None) for e in entries)
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


# ---------------------------------------------------------------------------------------
# Drawing
# ---------------------------------------------------------------------------------------

# Layout in figure fractions (16:9): the map fills the left half at full height (Thailand
# is tall); title, period, filters, summary and legend flow down the right column; source
# and attribution run along the bottom.
MAP_BOX = (0.01, 0.075, 0.47, 0.905)  # left, bottom, width, height
RIGHT_X = 0.50
RIGHT_WIDTH = 0.485
TOP_Y = 0.94
EDGE_WIDTH = {"region": 0.6, "province": 0.45, "district": 0.2, "tambon": 0.06}
# The outline of marked areas: the screen map's (``maps.areas.MARKED_STYLE``).
MARKED_COLOUR = "#67000d"
# Above this many areas the no-data hatch turns into noise; plain grey is clearer.
MAX_HATCHED_AREAS = 1500


def _fit(artist: Any, renderer: Any, max_width: float, min_size: float = 9) -> None:
    """Shrink a text artist until it is at most ``max_width`` pixels wide."""
    size = artist.get_fontsize()
    while artist.get_window_extent(renderer).width > max_width and size > min_size:
        size -= 0.5
        artist.set_fontsize(size)


# Legend sizes, largest first: (font size, swatch height, line spacing). The first that
# fits above the footer is used.
LEGEND_SIZES = (
    (14, 1.5, 0.7), (13, 1.3, 0.55), (12, 1.1, 0.45), (11, 1.0, 0.35), (10, 0.9, 0.3),
    (9, 0.8, 0.25), (8, 0.8, 0.2),
)  # fmt: skip
FOOTER_TOP = 0.075


def _legend(
    fig: Figure, renderer: Any, handles: list[Any], spec: BriefingSpec, top: float
) -> Any:
    """The legend below ``top`` in the right column, as large as fits above the footer and
    inside the slide: one column, else two (a programme may declare a dozen categories)."""
    legend = None
    for ncols in (1, 2):
        for size, swatch, spacing in LEGEND_SIZES:
            if legend is not None:
                legend.remove()
            legend = fig.legend(
                handles=handles,
                loc="upper left",
                bbox_to_anchor=(RIGHT_X - 0.006, top),
                title=spec.legend_title,
                prop=font_properties(size),
                title_fontproperties=font_properties(size + 1, bold=True),
                frameon=False,
                alignment="left",
                handlelength=2.4,
                handleheight=swatch,
                labelspacing=spacing,
                borderaxespad=0,
                ncols=ncols,
                columnspacing=1.2,
            )
            legend.set_gid("briefing-legend")
            box = legend.get_window_extent(renderer)
            if box.y0 >= FOOTER_TOP * spec.height_px and box.x1 <= spec.width_px:
                return legend
    return legend


def draw_briefing(
    spec: BriefingSpec,
    areas: gpd.GeoDataFrame,
    outlines: gpd.GeoDataFrame | None = None,
    points: pd.DataFrame | None = None,
    marked: gpd.GeoDataFrame | None = None,
) -> Figure:
    """The figure for ``spec``. ``areas`` in the same order as given to ``briefing_spec``;
    ``outlines`` (e.g. provinces over a tambon map) drawn as lines on top; ``points`` with
    ``latitude``/``longitude`` as dots (internal pages only); ``marked`` areas outlined thick
    (as on the screen map, ``maps.areas.MARKED_STYLE``)."""
    if len(areas) != len(spec.face_colours):
        raise ValueError("areas and spec differ in length: build the spec from these areas")
    fig = Figure(
        figsize=(spec.width_px / spec.dpi, spec.height_px / spec.dpi),
        dpi=spec.dpi,
        facecolor="white",
    )
    renderer = FigureCanvasAgg(fig).get_renderer()
    column_px = spec.width_px * RIGHT_WIDTH
    y = TOP_Y

    def flow(
        text: str, size: float, bold: bool = False, colour: str = "#1a1a1a", gap: float = 0.018
    ) -> None:
        nonlocal y
        artist = fig.text(
            RIGHT_X,
            y,
            text,
            fontproperties=font_properties(size, bold),
            va="top",
            ha="left",
            color=colour,
        )
        _fit(artist, renderer, column_px)
        y -= artist.get_window_extent(renderer).height / spec.height_px + gap

    flow(spec.title, 28, bold=True, gap=0.02)
    if spec.period:
        flow(spec.period, 16, colour="#333333")
    if spec.filters:
        flow(spec.filters, 12, colour="#555555")
    y -= 0.025
    for index, line in enumerate(spec.summary):
        big = index == 0 and len(spec.summary) > 1
        flow(line, 24 if big else 14, bold=big, gap=0.015 if big else 0.012)
    y -= 0.015
    handles: list[Any] = [
        Patch(
            facecolor=e.colour,
            edgecolor="#8c8c8c" if e.hatch else "#4d4d4d",
            hatch=e.hatch,
            linewidth=0.6,
            label=label,
        )
        for e, label in zip(spec.legend, spec.legend_labels, strict=True)
    ]
    if spec.marked_label:
        handles.append(Patch(facecolor="none", edgecolor=MARKED_COLOUR, linewidth=2.2,
                             label=spec.marked_label))
    handles.extend(
        Line2D([], [], marker="o", linestyle="", markersize=8, markerfacecolor=colour,
               markeredgecolor="#1a1a1a", markeredgewidth=0.5, label=label)
        for label, colour in spec.point_legend)
    if handles:
        _legend(fig, renderer, handles, spec, y)

    ax = fig.add_axes(MAP_BOX)
    ax.set_axis_off()
    edge = EDGE_WIDTH.get(spec.level, 0.3)
    faces = np.asarray(spec.face_colours, dtype=object)
    hatched = np.array([h is not None for h in spec.hatches], dtype=bool)
    geoms = areas.geometry
    if (~hatched).any():
        gpd.GeoSeries(geoms[~hatched].values, crs=areas.crs).plot(
            ax=ax,
            color=list(faces[~hatched]),
            edgecolor="#ffffff" if edge >= 0.2 else "face",
            linewidth=edge,
        )
    if hatched.any():
        gpd.GeoSeries(geoms[hatched].values, crs=areas.crs).plot(
            ax=ax,
            facecolor=scales.NO_DATA_COLOUR,
            edgecolor="#8c8c8c",
            hatch=scales.NO_DATA_HATCH,
            linewidth=edge,
        )
    if outlines is not None and len(outlines):
        outlines.boundary.plot(ax=ax, color="#4d4d4d", linewidth=0.5)
    if marked is not None and len(marked):
        marked.boundary.plot(ax=ax, color=MARKED_COLOUR, linewidth=2.2, zorder=4)
    if points is not None and len(points) and spec.point_colours:
        ax.scatter(
            points["longitude"],
            points["latitude"],
            s=14,
            c=list(spec.point_colours),
            edgecolors="#1a1a1a",
            linewidths=0.4,
            zorder=5,
        )
    minx, miny, maxx, maxy = areas.total_bounds
    pad_x, pad_y = (maxx - minx) * 0.02 or 0.05, (maxy - miny) * 0.02 or 0.05
    ax.set_xlim(minx - pad_x, maxx + pad_x)
    ax.set_ylim(miny - pad_y, maxy + pad_y)
    ax.set_aspect(1 / math.cos(math.radians((miny + maxy) / 2)), adjustable="box")
    ax.set_anchor("C")

    for index, line in enumerate(spec.footer):
        artist = fig.text(
            0.012,
            0.045 - index * 0.027,
            line,
            fontproperties=font_properties(10),
            va="center",
            color="#555555",
        )
        _fit(artist, renderer, spec.width_px * 0.97, min_size=6)
    if spec.watermark:
        fig.text(
            MAP_BOX[0] + MAP_BOX[2] / 2,
            0.5,
            spec.watermark,
            fontproperties=font_properties(36, bold=True),
            color="#c0392b",
            alpha=0.3,
            rotation=35,
            ha="center",
            va="center",
            zorder=10,
        )
    return fig


# ---------------------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rendered:
    data: bytes
    format: str
    missing_glyphs: tuple[str, ...]  # characters no installed font could draw (want: none)
    seconds: float


@contextmanager
def _rendering() -> Iterator[list[warnings.WarningMessage]]:
    """One render at a time (rcParams and warning filters are process-wide), with PDF
    TrueType embedding and the missing-glyph warnings collected."""
    with (
        _RENDER_LOCK,
        warnings.catch_warnings(record=True) as caught,
        mpl.rc_context({"pdf.fonttype": 42, "hatch.linewidth": 0.5}),
    ):
        warnings.simplefilter("always")
        yield caught


def _missing_glyphs(caught: Sequence[warnings.WarningMessage]) -> tuple[str, ...]:
    missing: list[str] = []
    for warning in caught:
        found = MISSING_GLYPH_PATTERN.search(str(warning.message))
        if found and chr(int(found.group(1))) not in missing:
            missing.append(chr(int(found.group(1))))
    return tuple(missing)


def save_figure(fig: Figure, fmt: Literal["png", "pdf"], dpi: int, title: str) -> bytes:
    """PNG or PDF bytes of ``fig``; PDF with TrueType fonts embedded (text selectable) and
    no creation date (same input, same file)."""
    if fmt not in ("png", "pdf"):
        raise ValueError(f"format must be png or pdf, not {fmt!r}")
    buffer = io.BytesIO()
    if fmt == "pdf":
        metadata: dict[str, Any] = {
            "Title": title,
            "Creator": "codi-geo",
            "Producer": "codi-geo (matplotlib)",
            "CreationDate": None,
        }
    else:
        metadata = {"Title": title, "Software": "codi-geo (matplotlib)"}
    fig.savefig(buffer, format=fmt, dpi=dpi, facecolor="white", metadata=metadata)
    return buffer.getvalue()


def render_briefing(
    areas: gpd.GeoDataFrame,
    programme: Programme,
    request: SlideRequest,
    *,
    fmt: Literal["png", "pdf"] = "png",
    column: str | None = None,
    outlines: gpd.GeoDataFrame | None = None,
    points: pd.DataFrame | None = None,
    marked: gpd.GeoDataFrame | None = None,
) -> Rendered:
    """Spec, figure and file in one call (what the page calls). ``points`` only on internal
    pages: public pages pass aggregated areas only."""
    started = time.perf_counter()
    spec = briefing_spec(areas, programme, request, column=column, points=points)
    with _rendering() as caught:
        fig = draw_briefing(spec, areas, outlines=outlines, points=points, marked=marked)
        data = save_figure(fig, fmt, spec.dpi, spec.title)
    return Rendered(data, fmt, _missing_glyphs(caught), time.perf_counter() - started)


def briefing_png(
    areas: gpd.GeoDataFrame, programme: Programme, request: SlideRequest, **kwargs: Any
) -> bytes:
    return render_briefing(areas, programme, request, fmt="png", **kwargs).data


def briefing_pdf(
    areas: gpd.GeoDataFrame, programme: Programme, request: SlideRequest, **kwargs: Any
) -> bytes:
    return render_briefing(areas, programme, request, fmt="pdf", **kwargs).data
