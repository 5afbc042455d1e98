"""One piece of user-facing text in Thai and English (``Bilingual``), and the languages."""

from __future__ import annotations

from dataclasses import dataclass

LANGS = ("th", "en")
# Each language by its own name, as a switch between them shows it.
LANGUAGE_NAMES = {"th": "ภาษาไทย", "en": "English"}


@dataclass(frozen=True)
class Bilingual:
    """One piece of text in Thai and English. ``get(lang)`` falls back to the other language
    when the asked one is empty, so a declaration with only a Thai name still shows."""

    th: str
    en: str = ""

    def get(self, lang: str = "th") -> str:
        if lang == "en":
            return self.en or self.th or ""
        return self.th or self.en or ""

    def __str__(self) -> str:
        return self.get("th")
