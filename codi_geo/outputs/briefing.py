"""Briefing images: the map a page shows as a PNG or PDF ready for a slide, made on the
server with matplotlib (no browser).

Three steps, so each can be checked on its own:

1. ``briefing_spec(areas, programme, request)`` — pure: every text, the legend entries, the
   colour of each area (``codi_geo.outputs.slide_spec``, whose names this module re-exports:
   callers ask ``briefing`` for all three steps).
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
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
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
from codi_geo.outputs.fonts import MISSING_GLYPH_PATTERN, font_properties
from codi_geo.outputs.slide_spec import (
    CODI,
    COUNT_METRIC,
    BriefingSpec,
    SlideRequest,
    briefing_spec,
    period_label,
    request_metric,
)
from codi_geo.programmes import Programme

__all__ = [  # step 1 from ``slide_spec``, steps 2 and 3 from here
    "CODI", "COUNT_METRIC", "BriefingSpec", "Rendered", "SlideRequest",
    "briefing_pdf", "briefing_png", "briefing_spec", "draw_briefing", "period_label",
    "render_briefing", "request_metric", "save_figure",
]  # fmt: skip

# Matplotlib's rcParams and warning filters are process-wide: one render at a time.
_RENDER_LOCK = threading.Lock()


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


def _legend(fig: Figure, renderer: Any, handles: list[Any], spec: BriefingSpec, top: float) -> Any:
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
        handles.append(
            Patch(facecolor="none", edgecolor=MARKED_COLOUR, linewidth=2.2, label=spec.marked_label)
        )
    handles.extend(
        Line2D(
            [],
            [],
            marker="o",
            linestyle="",
            markersize=8,
            markerfacecolor=colour,
            markeredgecolor="#1a1a1a",
            markeredgewidth=0.5,
            label=label,
        )
        for label, colour in spec.point_legend
    )
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
