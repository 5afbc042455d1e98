"""The view a user has chosen (fiscal year, quarter, CODI region → province → district, the
selected area, language, basemap), to and from URL query parameters.

Pure functions: the URL is the single source of truth, so a shared link reproduces the view.
Anything unknown or inconsistent in a URL is dropped or corrected, never an error.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date

from codi_geo import thai
from codi_geo.places import gazetteer
from codi_geo.text import t

LANGS = ("th", "en")
BASEMAPS = ("plain", "osm", "carto")
# Query parameter names, short and stable (they end up in shared links).
# ``layer`` carries ``ViewState.disaster_mode`` (the name in links already shared).
KEYS = (
    "fy",
    "q",
    "region",
    "province",
    "district",
    "area",
    "lang",
    "basemap",
    "level",
    "metric",
    "layer",
    "present",
    "vs",
)
LEVELS = ("province", "district", "tambon")


@dataclass(frozen=True)
class ViewState:
    fiscal_year: int | None = None  # Buddhist Era, e.g. 2569 = Oct 2025 – Sep 2026
    quarter: int | None = None  # 1–4 of the fiscal year; None = whole year
    region: str | None = None  # CODI region id
    province: str | None = None  # DOPA code, 2 digits
    district: str | None = None  # DOPA code, 4 digits
    area: str | None = None  # the area whose details are open (2, 4 or 6 digits)
    lang: str = "th"
    basemap: str = "plain"
    level: str | None = None  # polygons drawn (None: the scope's natural level)
    metric: str | None = None  # a page's chosen figure, e.g. "baan_mankong_urban:households"
    disaster_mode: str | None = None  # the disasters page: counts, points or heat
    present: bool = False  # presentation mode: full-width map, large legend, no sidebar
    # The period the view is compared with (change over time): (fiscal year BE, quarter or
    # None for the whole year); in the URL as ``vs=2568`` or ``vs=2569q1``.
    compare: tuple[int, int | None] | None = None

    @property
    def scope(self) -> str:
        """What the map shows: the whole country, one region, province or district."""
        if self.district:
            return "district"
        if self.province:
            return "province"
        if self.region:
            return "region"
        return "national"

    @property
    def within(self) -> str | None:
        """The code (or region id) of the area in view, None for the whole country."""
        return self.district or self.province or self.region


def default_fiscal_year(available: list[int] | tuple[int, ...], today: date | None = None) -> int:
    """The latest fiscal year that has data, else the current one."""
    if available:
        return max(available)
    return thai.fiscal_year_of(today or thai.today())


def _first(value: object) -> str | None:
    if isinstance(value, list | tuple):
        value = value[0] if value else None
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _int(value: str | None, low: int, high: int) -> int | None:
    if value is None or not value.isdigit():
        return None
    number = int(value)
    return number if low <= number <= high else None


def _token(value: str | None) -> str | None:
    """A page option: short, letters, digits, ``_ : -`` only (anything else is dropped)."""
    if value is None or len(value) > 80:
        return None
    return value if all(c.isascii() and (c.isalnum() or c in "_:-") for c in value) else None


def _known(code: str | None, length: int) -> str | None:
    if code is None or len(code) != length or not code.isdigit():
        return None
    return code if gazetteer.is_current(code) else None


def parse_period(text: str | None) -> tuple[int, int | None] | None:
    """``2568`` -> (2568, None), ``2569q1`` -> (2569, 1); anything else -> None."""
    if not text:
        return None
    year, marker, quarter = text.lower().partition("q")
    fiscal_year = _int(year, 2500, 2700)
    if fiscal_year is None:
        return None
    if not marker:
        return fiscal_year, None
    number = _int(quarter, 1, 4)
    return (fiscal_year, number) if number else None


def period_token(period: tuple[int, int | None]) -> str:
    """(2569, 1) -> ``2569q1``; (2568, None) -> ``2568`` (the ``vs`` URL value)."""
    fiscal_year, quarter = period
    return f"{fiscal_year}q{quarter}" if quarter else str(fiscal_year)


def normalise(state: ViewState) -> ViewState:
    """Make the hierarchy consistent: a district implies its province, a province its region;
    a selected area outside the view is dropped."""
    province, district, region = state.province, state.district, state.region
    if district and (not province or not district.startswith(province)):
        province = district[:2]
    if province:
        region = gazetteer.province_regions(state.fiscal_year).get(province, region)
    area = state.area
    within = district or province
    if area and within and not area.startswith(within) and not within.startswith(area):
        area = None
    if area and region and gazetteer.province_regions(state.fiscal_year).get(area[:2]) != region:
        area = None
    return replace(state, region=region, province=province, district=district, area=area)


def from_query_params(params: Mapping[str, object], default_fy: int | None = None) -> ViewState:
    """Read a view from query parameters (``st.query_params`` or a parsed URL), tolerating
    junk: unknown codes, wrong levels and bad numbers are ignored."""
    get = {key: _first(params.get(key)) for key in KEYS}
    area = get["area"]
    if area and not (len(area) in (2, 4, 6) and area.isdigit() and gazetteer.is_current(area)):
        area = None
    state = ViewState(
        fiscal_year=_int(get["fy"], 2500, 2700) or default_fy,
        quarter=_int(get["q"], 1, 4),
        region=get["region"] if get["region"] in gazetteer.REGION_BY_ID else None,
        province=_known(get["province"], 2),
        district=_known(get["district"], 4),
        area=area,
        lang=get["lang"] if get["lang"] in LANGS else "th",
        basemap=get["basemap"] if get["basemap"] in BASEMAPS else "plain",
        level=get["level"] if get["level"] in LEVELS else None,
        metric=_token(get["metric"]),
        disaster_mode=_token(get["layer"]),
        present=get["present"] in ("1", "true", "yes"),
        compare=parse_period(get["vs"]),
    )
    return normalise(state)


def to_query_params(state: ViewState, default_fy: int | None = None) -> dict[str, str]:
    """Query parameters for a view; defaults are left out so links stay short."""
    values = {
        "fy": str(state.fiscal_year)
        if state.fiscal_year and state.fiscal_year != default_fy
        else None,
        "q": str(state.quarter) if state.quarter else None,
        "region": state.region if state.region and not state.province else None,
        "province": state.province if state.province and not state.district else None,
        "district": state.district,
        "area": state.area,
        "lang": state.lang if state.lang != "th" else None,
        "basemap": state.basemap if state.basemap != "plain" else None,
        "level": state.level,
        "metric": state.metric,
        "layer": state.disaster_mode,
        "present": "1" if state.present else None,
        "vs": period_token(state.compare) if state.compare else None,
    }
    return {key: value for key, value in values.items() if value}


def drill_down(state: ViewState, code: str) -> ViewState:
    """The view after clicking area ``code``: a province or district opens (its children
    shown) and becomes the selected area; a tambon becomes the selected area."""
    if code in gazetteer.REGION_BY_ID:
        return replace(state, region=code, province=None, district=None, area=None)
    if len(code) == 2:
        return normalise(replace(state, province=code, district=None, area=code))
    if len(code) == 4:
        return normalise(replace(state, province=code[:2], district=code, area=code))
    if len(code) == 6:
        return normalise(replace(state, area=code))
    raise ValueError(f"not a DOPA code or region id: {code!r}")


def go_to_place(state: ViewState, code: str) -> ViewState:
    """The view after choosing a place by name (the place search): the map zooms to it and
    its profile opens. A province or district opens as on a click; a tambon opens its
    district with the tambon selected. The polygon level goes back to the natural one."""
    if len(code) == 6:
        moved = replace(state, province=code[:2], district=code[:4], area=code)
    else:
        moved = drill_down(state, code)
    return normalise(replace(moved, level=None))


def select(state: ViewState, code: str | None) -> ViewState:
    """Open the details of ``code`` without changing the view."""
    return replace(state, area=code)


def drill_up(state: ViewState) -> ViewState:
    """One level up: district → province → region → whole country."""
    if state.district:
        return replace(state, district=None, area=state.province)
    if state.province:
        return replace(state, province=None, district=None, area=None)
    return replace(state, region=None, province=None, district=None, area=None)


def breadcrumbs(state: ViewState, lang: str = "th") -> list[tuple[str, ViewState]]:
    """(label, view) pairs from the whole country down to the current view."""
    crumbs = [
        (
            t("whole_country", lang),
            replace(state, region=None, province=None, district=None, area=None),
        )
    ]
    if state.region:
        info = gazetteer.REGION_BY_ID[state.region]
        crumbs.append(
            (info.name.get(lang), replace(state, province=None, district=None, area=None))
        )
    if state.province:
        crumbs.append(
            (
                gazetteer.name_of(state.province, lang) or state.province,
                replace(state, district=None, area=state.province),
            )
        )
    if state.district:
        crumbs.append(
            (
                gazetteer.name_of(state.district, lang) or state.district,
                replace(state, area=state.district),
            )
        )
    return crumbs
