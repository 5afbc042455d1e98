"""The map of a page's view as areas with values, for what leaves the browser: briefing
images and slides (``outputs.briefing``), GeoJSON and the downloads' dots and outlines. The
same ``PageMap`` the page draws, so a file cannot disagree with the map on screen."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from codi_geo.maps import scales
from codi_geo.maps.base import Extent, boundaries
from codi_geo.maps.pagemaps import COUNT, PIN_COLOUR, PageMap, page_pins
from codi_geo.maps.shapes import region_frame
from codi_geo.text import t


def print_detail(extent: Extent) -> str:
    """Boundary detail for a printed map: finer than on screen for provinces, coarse for
    thousands of tambons (a slide cannot show more)."""
    if extent.scope in ("province", "district"):
        return "high"
    if extent.level in ("province", "region"):
        return "medium"
    return "low"


def value_column(page_map: PageMap) -> str:
    """The column of ``areas`` that holds the map's values."""
    return "category" if page_map.kind == "category" else (page_map.metric or COUNT)


def areas(page_map: PageMap, detail: str | None = None) -> gpd.GeoDataFrame:
    """Every area of the map's extent (all of them, also those without data: the scales
    do not depend on areas without a value) with the map's values in ``value_column``."""
    detail = detail or print_detail(page_map.extent)
    if page_map.extent.level == "region":
        frame = region_frame(detail, fiscal_year=page_map.extent.fiscal_year)
        if page_map.extent.within:  # one region chosen: the slide is about it alone
            frame = frame[frame["code"] == page_map.extent.within]
    else:
        frame = boundaries(
            page_map.extent.level,
            detail,
            within=page_map.extent.within,
            fiscal_year=page_map.extent.fiscal_year,
        )
    frame = frame[["code", "name_th", "name_en", "geometry"]].copy()
    values = page_map.values.reindex(frame["code"].to_numpy())
    column = value_column(page_map)
    if page_map.kind == "category":
        frame[column] = pd.Series(values.to_numpy(), index=frame.index, dtype=object)
    else:
        frame[column] = pd.to_numeric(
            pd.Series(values.to_numpy(), index=frame.index), errors="coerce"
        ).astype("float64")
    return gpd.GeoDataFrame(frame.reset_index(drop=True), geometry="geometry", crs=frame.crs)


def marked_areas(page_map: PageMap, frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame | None:
    """The areas of ``frame`` the map marks with a thick outline (None: none)."""
    if not page_map.marked:
        return None
    return frame[frame["code"].isin(list(page_map.marked))]


def outlines(page_map: PageMap) -> gpd.GeoDataFrame | None:
    """Parent outlines drawn over finer areas (provinces over districts or tambons)."""
    if page_map.extent.level == "province":
        return None
    if page_map.extent.level == "region":
        return boundaries(
            "province",
            "low",
            within=page_map.extent.within,
            fiscal_year=page_map.extent.fiscal_year,
        )
    if page_map.extent.scope in ("national", "region"):
        return boundaries(
            "province",
            "low" if page_map.extent.scope == "national" else "medium",
            within=page_map.extent.within,
            fiscal_year=page_map.extent.fiscal_year,
        )
    if page_map.extent.level == "tambon" and page_map.extent.scope == "province":
        return boundaries("district", "high", within=page_map.extent.within)
    return None


def dots(
    page_map: PageMap, frame: gpd.GeoDataFrame, public: bool, lang: str = "th"
) -> pd.DataFrame | None:
    """Points drawn over a briefing (``latitude``, ``longitude``, ``colour``): a dot in the
    area's own colour on each small area with data when the screen map draws only those (so
    a few tambons stay visible nationally), and on internal pages the map's pinned rows in
    their category colour (grey without one, as on the screen) with the category's name in
    ``label`` (the slide's legend of dot kinds). A public briefing never gets single rows'
    coordinates."""
    parts = []
    column = value_column(page_map)
    if page_map.only_with_data and page_map.extent.level in ("district", "tambon"):
        scheme = (
            scales.categorical(page_map.programme)
            if page_map.kind == "category"
            else scales.classify(list(frame[column]), n=5)
        )
        with_data = frame[frame[column].notna()]
        if len(with_data):
            point = with_data.geometry.representative_point()
            parts.append(
                pd.DataFrame(
                    {
                        "latitude": point.y.to_numpy(),
                        "longitude": point.x.to_numpy(),
                        "colour": [scheme.colour_of(v) for v in with_data[column]],
                    }
                )
            )
    pins = None if public else page_pins(page_map)
    if pins is not None and not pins.empty:
        categories = pins["category"] if "category" in pins else [None] * len(pins)
        colours, labels = [], []
        for category in categories:
            declared = page_map.programme.category(category) if isinstance(category, str) else None
            colours.append(declared.colour if declared else PIN_COLOUR)
            labels.append(declared.name.get(lang) if declared else t("other_kind", lang))
        parts.append(
            pd.DataFrame(
                {
                    "latitude": pins["latitude"].to_numpy(dtype=float),
                    "longitude": pins["longitude"].to_numpy(dtype=float),
                    "colour": colours,
                    "label": labels,
                }
            )
        )
    if not parts:
        return None
    return pd.concat(parts, ignore_index=True)
