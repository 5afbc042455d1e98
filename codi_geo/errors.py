"""One error base for everything a person can act on: Thai and English text as separate
fields, never a ``"th / en"`` string split apart again.

``str(error)`` is ``"Thai / English"`` for logs and the command line; pages show
``error.text.get(lang)``.
"""

from __future__ import annotations

from codi_geo.text import Bilingual


class CodiGeoError(Exception):
    """An error with a Thai and an English message. Subclasses name the domain."""

    def __init__(self, th: str, en: str | None = None) -> None:
        self.text = Bilingual(th, en if en is not None else th)
        super().__init__(str(self))

    @property
    def th(self) -> str:
        return self.text.th

    @property
    def en(self) -> str:
        return self.text.en

    def message(self, lang: str = "th") -> str:
        return self.text.get(lang)

    def __str__(self) -> str:
        th, en = self.text.th, self.text.en
        return th if not en or en == th else f"{th} / {en}"


class SettingsError(CodiGeoError):
    """A ``CODI_GEO_*`` setting that cannot be used."""
