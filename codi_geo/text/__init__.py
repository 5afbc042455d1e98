"""User-facing words of the app and its maps, Thai first, English when switched.

``t(key, lang, **values)`` formats one entry of ``TEXT``; every entry is one ``Bilingual``
value (``bilingual``), grouped by the screen that shows it (``screens``; the community pin
form and review page in ``pins``). Keep entries short and plain: they are read in
briefings. Data-derived values passed in are not escaped here; callers that build HTML escape
them (see ``maps.esc``).
"""

from __future__ import annotations

from codi_geo.text.bilingual import LANGS, LANGUAGE_NAMES, Bilingual
from codi_geo.text.pins import PINS
from codi_geo.text.screens import SCREENS

__all__ = ["LANGS", "LANGUAGE_NAMES", "TEXT", "Bilingual", "t"]

TEXT: dict[str, Bilingual] = {**SCREENS, **PINS}
if len(TEXT) != len(SCREENS) + len(PINS):  # a key in both would hide one of them
    raise ValueError(f"text keys in both screens and pins: {sorted(set(SCREENS) & set(PINS))}")


def t(key: str, lang: str = "th", **values: object) -> str:
    """The text ``key`` in ``lang`` (``th`` or ``en``), formatted with ``values``."""
    text = TEXT[key].get(lang)
    return text.format(**values) if values else text
