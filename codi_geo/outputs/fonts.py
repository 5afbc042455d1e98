"""The Thai font of the briefings: found once per process among the installed fonts (or
named by ``CODI_GEO_THAI_FONT``), with DejaVu Sans behind it for symbols it lacks.

Thai text needs a Thai font (Debian: ``fonts-thai-tlwg``; any other with
``CODI_GEO_THAI_FONT=/path/to/font.ttf`` or a family name). Matplotlib shapes the text with
libraqm, so vowels and tone marks stack correctly.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from matplotlib import font_manager
from matplotlib.font_manager import FontProperties
from matplotlib.ft2font import FT2Font

from codi_geo.errors import CodiGeoError
from codi_geo.settings import VARIABLE_OF, get_settings, on_clear

THAI_FONT_ENV = VARIABLE_OF["thai_font"]
# Preferred families, best first: Sarabun / Noto when someone installed them, then the
# TLWG fonts Debian ships (fonts-thai-tlwg). Waree and Loma are clear sans faces with Latin.
PREFERRED_THAI_FONTS: tuple[str, ...] = (
    "Sarabun",
    "TH Sarabun New",
    "Noto Sans Thai",
    "Noto Sans Thai UI",
    "Waree",
    "Loma",
    "Garuda",
    "Umpush",
    "Tlwg Typo",
    "Norasi",
    "Kinnari",
)
# Consonants, vowels, tone marks and signs a Thai title and legend use.
THAI_PROBE = "กขคฆงจฉชซญฎฏฐฑฒณดตถทธนบปผฝพฟภมยรลวศษสหฬอฮฤะัาำิีึืุูเแโใไ็่้๊๋์ๆฯ"
LATIN_FALLBACK = "DejaVu Sans"
MISSING_GLYPH_PATTERN = re.compile(r"Glyph (\d+) .*missing from font")


class ThaiFontMissingError(CodiGeoError, RuntimeError):
    """No font that can draw Thai is installed: the operator installs one or names it."""


@dataclass(frozen=True)
class ThaiFont:
    family: str
    path: Path


def font_covers(path: str | Path, text: str) -> bool:
    """True if the font file has a glyph for every non-space character of ``text``."""
    try:
        font = FT2Font(str(path))
    except (OSError, RuntimeError):
        return False
    return all(font.get_char_index(ord(c)) != 0 for c in text if not c.isspace())


def _font_entries() -> list[font_manager.FontEntry]:
    return list(font_manager.fontManager.ttflist)


def _choose(entries: Sequence[font_manager.FontEntry], wanted: str | None) -> ThaiFont | None:
    regular = [e for e in entries if e.style == "normal" and e.weight in (400, "normal")]
    regular += [e for e in entries if e not in regular]
    families = [wanted] if wanted else [*PREFERRED_THAI_FONTS, None]
    for family in families:
        for entry in regular:
            if family is not None and entry.name.lower() != family.lower():
                continue
            if font_covers(entry.fname, THAI_PROBE):
                return ThaiFont(entry.name, Path(entry.fname))
    return None


@cache
def thai_font() -> ThaiFont:
    """The Thai font for briefings: ``CODI_GEO_THAI_FONT`` (a file or family name) if set,
    else the first installed of ``PREFERRED_THAI_FONTS``, else any font covering Thai.
    Fonts installed after matplotlib built its font cache are found by a rescan."""
    configured = get_settings().thai_font or ""
    wanted = None
    if configured:
        path = Path(configured).expanduser()
        if path.is_file():
            if not font_covers(path, THAI_PROBE):
                raise ThaiFontMissingError(
                    f"ฟอนต์ {path} ({THAI_FONT_ENV}) ไม่มีอักษรไทยครบ",
                    f"the font {path} ({THAI_FONT_ENV}) lacks Thai glyphs",
                )
            font_manager.fontManager.addfont(str(path))
            return ThaiFont(FT2Font(str(path)).family_name, path)
        wanted = configured
    found = _choose(_font_entries(), wanted)
    if found is None:  # fonts installed after matplotlib cached its list
        for font_file in font_manager.findSystemFonts():
            try:
                font_manager.fontManager.addfont(font_file)
            except (OSError, RuntimeError, ValueError):
                continue
        found = _choose(_font_entries(), wanted)
    if found is None:
        named_th = f" ชื่อ {wanted!r}" if wanted else ""
        named_en = f" named {wanted!r}" if wanted else ""
        raise ThaiFontMissingError(
            f"ไม่พบฟอนต์ภาษาไทย{named_th} จึงสร้างภาพสรุปไม่ได้ ติดตั้งด้วยคำสั่ง "
            f"`apt-get install fonts-thai-tlwg` หรือกำหนด {THAI_FONT_ENV}=/path/to/font.ttf",
            f"no Thai font found{named_en}: install one (Debian: apt-get install "
            f"fonts-thai-tlwg) or set {THAI_FONT_ENV} to a .ttf/.otf file",
        )
    return found


on_clear(thai_font.cache_clear)


def font_properties(size: float, bold: bool = False) -> FontProperties:
    """The Thai font, with DejaVu Sans behind it for any symbol the Thai font lacks."""
    return FontProperties(
        family=[thai_font().family, LATIN_FALLBACK],
        size=size,
        weight="bold" if bold else "normal",
    )
