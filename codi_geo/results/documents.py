"""CODI's documents the figures cite, by title, fiscal year and quarter
(``data/programmes/documents.csv``), and the one function that turns a citation
(``source_doc``, ``source_line``) into what a page shows:
``รายงานผลการดำเนินงาน ปีงบประมาณ 2569 ไตรมาส 2, บรรทัด 1484``.

Rows cite a document by its file name (``000_91d7f34609a7394f.txt``); a reader cannot tell
what that is, so pages show the title. Downloads keep the file name (it finds the file).
A document not in the table (an imported spreadsheet) is shown by the name it was imported
under: that is the name its owner knows it by.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePath

from codi_geo.settings import PROGRAMME_DATA_DIR
from codi_geo.text import Bilingual, t

DOCUMENTS_FILE = "documents.csv"


@dataclass(frozen=True)
class Document:
    id: str  # the file stem: 000_91d7f34609a7394f
    kind: str  # quarterly_report, agreement, plan_review, action_plan …
    title: Bilingual
    fiscal_year: int | None  # Buddhist Era
    fiscal_year_to: int | None = None  # a document covering several years
    quarter: int | None = None

    def label(self, lang: str = "th") -> str:
        """``รายงานผลการดำเนินงาน ปีงบประมาณ 2569 ไตรมาส 2`` / ``Quarterly results report,
        FY2569 Q2``."""
        parts = [self.title.get(lang)]
        if self.fiscal_year:
            years = str(self.fiscal_year) + (
                f"–{self.fiscal_year_to}" if self.fiscal_year_to else ""
            )
            parts.append(t("doc_fiscal_year", lang, years=years))
        if self.quarter:
            parts.append(t("doc_quarter", lang, n=self.quarter))
        return (" " if lang == "th" else ", ").join(parts)


def _int(text: str | None) -> int | None:
    text = (text or "").strip()
    return int(text) if text.isdigit() else None


@lru_cache(maxsize=4)
def documents(path: Path | None = None) -> dict[str, Document]:
    """The documents table by id, read once per process."""
    file = Path(path or PROGRAMME_DATA_DIR / DOCUMENTS_FILE)
    if not file.exists():
        return {}
    with file.open(encoding="utf-8-sig", newline="") as handle:
        return {
            row["id"].strip(): Document(
                row["id"].strip(),
                row.get("kind", "").strip(),
                Bilingual(row["title_th"].strip(), row.get("title_en", "").strip()),
                _int(row.get("fiscal_year")),
                _int(row.get("fiscal_year_to")),
                _int(row.get("quarter")),
            )
            for row in csv.DictReader(handle)
            if (row.get("id") or "").strip()
        }


def document_of(doc: object) -> Document | None:
    """The document a ``source_doc`` names (with or without its extension)."""
    if not isinstance(doc, str) or not doc.strip():
        return None
    name = doc.strip()
    known = documents()
    return known.get(name) or known.get(PurePath(name).stem)


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    text = str(value).strip()
    return "" if text.lower() in ("nan", "<na>", "none") else text


def cite(doc: object, line: object = None, lang: str = "th") -> str:
    """What a page shows for a citation: the document's title, fiscal year and quarter, and
    the line (``, บรรทัด 1484``); empty when there is no document."""
    name = _text(doc)
    if not name:
        return ""
    found = document_of(name)
    shown = found.label(lang) if found else name
    where = _text(line)
    return f"{shown}, {t('doc_line', lang, line=where)}" if where else shown
