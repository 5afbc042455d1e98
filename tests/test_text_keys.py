"""Every entry of ``text.TEXT`` is used by the app: an entry no screen shows is a translation
nobody checks, and it hides which words are really on screen."""

from __future__ import annotations

import re
from pathlib import Path

from codi_geo.access.rules import ROLES
from codi_geo.maps.pagemaps import DISASTER_MODES
from codi_geo.maps.viewstate import BASEMAPS
from codi_geo.places.gazetteer import LEVELS
from codi_geo.results.imports.pipeline import VISIBILITIES
from codi_geo.text import TEXT

ROOT = Path(__file__).resolve().parents[1]

# Keys the app builds from a prefix and a choice (``t(f"basemap_{b}")``,
# ``labels.text("mode_", lang)``): the prefix as written in the code, and the choices it is
# built from. Each member must be in TEXT; nothing else is exempt from the literal search.
DYNAMIC_FAMILIES: dict[str, tuple[str, ...]] = {
    "basemap_{}": BASEMAPS,  # ui/widgets.py: the base map chooser
    "level_{}": LEVELS,  # ui/widgets.py: the level radio
    "place_level_{}": LEVELS,  # ui/explore.py: a found place's level
    "mode_{}": DISASTER_MODES,  # disasters page: pins, heat or counts
    "download_{}": ("png", "pdf", "xlsx", "csv"),  # outputs/downloads.py, ui/explore.py
    "download_{}_help": ("png", "pdf", "xlsx", "csv"),  # outputs/downloads.py
    "role_{}": ROLES,  # ui/signin.py: the signed-in user's role
    "visibility_{}": VISIBILITIES,  # data page: who may see an import
}


def _app_source() -> str:
    files = [
        *ROOT.joinpath("codi_geo").rglob("*.py"),
        ROOT / "app.py",
        *ROOT.joinpath("app_pages").glob("*.py"),
    ]
    # the word tables themselves (``codi_geo/text/``) do not count as a use
    words = ROOT / "codi_geo" / "text"
    return "\n".join(p.read_text(encoding="utf-8") for p in files if words not in p.parents)


def _dynamic_keys(source: str) -> set[str]:
    keys: set[str] = set()
    for family, members in DYNAMIC_FAMILIES.items():
        prefix = family.split("{}")[0]
        # the family is still built in the code: an f-string or a prefix passed on
        assert re.search(rf"""f?["']{re.escape(prefix)}(\{{|["'])""", source), family
        for member in members:
            key = family.format(member)
            assert key in TEXT, f"{key} (of {family}) is missing from text.TEXT"
            keys.add(key)
    return keys


def _unused(keys: list[str], source: str, dynamic: set[str]) -> list[str]:
    """The keys neither written as a string literal in ``source`` nor in ``dynamic``."""
    return [
        key
        for key in keys
        if key not in dynamic and not re.search(rf"""["']{re.escape(key)}["']""", source)
    ]


def test_every_text_key_is_used_by_the_app() -> None:
    source = _app_source()
    unused = _unused(list(TEXT), source, _dynamic_keys(source))
    assert not unused, f"text keys no code uses: {unused}"


def test_an_unused_key_is_found() -> None:
    source = _app_source()
    dynamic = _dynamic_keys(source)
    assert _unused(["no_such_text_key", "page_overview", "basemap_osm"], source, dynamic) == [
        "no_such_text_key"
    ]
    # a key only inside another word is not a use
    assert _unused(["overview"], "t('page_overview', lang)", set()) == ["overview"]
