"""The import report: what was read and how, every issue, the outcome; as text for the
command line and as CSV files (the issues; the rejected rows, to fix and import again)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from codi_geo.errors import CodiGeoError
from codi_geo.results import sheets
from codi_geo.results.imports.problems import Issue
from codi_geo.results.store import DuplicateFileError
from codi_geo.text import Bilingual

# The outcome of an import, as the report's message.
OUTCOMES: dict[str, Bilingual] = {
    "already_stored": Bilingual(
        "ไฟล์นี้นำเข้าแล้วเป็นชุดที่ {batch} ไม่มีอะไรเปลี่ยน",
        "this file is already stored as batch {batch}; nothing changed",
    ),
    "unusable": Bilingual("ใช้ไฟล์นี้ไม่ได้ ไม่ได้บันทึกอะไร", "the file cannot be used; nothing was stored"),
    "rows_failed": Bilingual("มี {rejected} แถวที่ไม่ผ่าน", "{rejected} row(s) did not pass"),
    "no_rows": Bilingual("ไม่มีแถวที่จะบันทึก", "there are no rows to store"),
    "all_passed": Bilingual("ผ่านทั้งหมด {rows} แถว", "all {rows} row(s) passed"),
    "refused": Bilingual(
        "มี {rejected} แถวที่ไม่ผ่าน จึงไม่บันทึกทั้งไฟล์ แก้ไขแล้วนำเข้าใหม่ หรือเลือกบันทึกเฉพาะแถวที่ผ่าน",
        "{rejected} row(s) did not pass, so nothing was stored; fix them and import again, "
        "or choose to store only the valid rows",
    ),
    "no_valid_rows": Bilingual("ไม่มีแถวที่ผ่าน ไม่ได้บันทึก", "no valid rows; nothing stored"),
    "dry_run": Bilingual(
        "ทดลอง: จะบันทึก {rows} แถว (ยังไม่ได้บันทึก) {message_th}",
        "dry run: {rows} row(s) would be stored (nothing stored); {message_en}",
    ),
    "stored": Bilingual("บันทึก {rows} แถว เป็นชุดที่ {batch}", "stored {rows} row(s) as batch {batch}"),
    "stored_some": Bilingual(
        "บันทึก {rows} แถว เป็นชุดที่ {batch} ไม่รับ {rejected} แถว (ดูไฟล์แถวที่ไม่รับ)",
        "stored {rows} row(s) as batch {batch}; {rejected} row(s) rejected (see the rejects file)",
    ),
}


@dataclass
class ImportReport:
    """What an import found and did, for a person: the mapping used, every issue by row and
    column, the rejected rows as they were, and the outcome in Thai and English."""

    file_name: str
    file_sha256: str
    programme: str
    file_kind: str = ""
    encoding: str | None = None
    sheet: str | None = None
    sheets: list[str] = field(default_factory=list)
    header_rows: tuple[int, ...] = ()
    mapping: dict[str, str] = field(default_factory=dict)
    ignored_columns: dict[str, str] = field(default_factory=dict)
    rows_total: int = 0
    rows_accepted: int = 0
    rows_rejected: int = 0
    rows_skipped: int = 0
    issues: list[Issue] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)
    rejected_rows: list[tuple[int, list[str]]] = field(default_factory=list)
    # Problems counted but not listed (a streamed import keeps the first ones: ``stream``).
    issues_not_listed: int = 0
    row_label_th: str = "แถว"
    row_label_en: str = "row"
    dry_run: bool = True
    valid_only: bool = False
    # stored | valid (dry run, would store) | already_stored (same file) | failed
    status: str = "failed"
    batch_id: int | None = None
    duplicate_of: int | None = None
    # The outcome in Thai and English (``.get(lang)``).
    message: Bilingual = field(default_factory=lambda: Bilingual("", ""))

    @property
    def message_th(self) -> str:
        return self.message.th

    @property
    def message_en(self) -> str:
        return self.message.en

    def store_refused(self, error: CodiGeoError) -> ImportReport:
        """The store did not take the batch: this file is stored already
        (``DuplicateFileError``), or the store refused or failed mid-way (nothing stored)."""
        if isinstance(error, DuplicateFileError):
            self.status, self.duplicate_of = "already_stored", error.batch.id
        else:
            self.status = "failed"
        self.message = error.text
        return self

    def stored_as(self, batch_id: int, rows_stored: int) -> ImportReport:
        """The batch is stored: its id and how many rows (and rejected ones) it holds."""
        self.status, self.batch_id = "stored", batch_id
        if self.rows_rejected:
            self.say("stored_some", rows=rows_stored, batch=batch_id, rejected=self.rows_rejected)
        else:
            self.say("stored", rows=rows_stored, batch=batch_id)
        return self

    def say(self, outcome: str, **values: Any) -> None:
        """Set the report's message to one of ``OUTCOMES``."""
        text = OUTCOMES[outcome]
        self.message = Bilingual(text.th.format(**values), text.en.format(**values))

    @property
    def ok(self) -> bool:
        """True if the rows were stored, would be stored (dry run), or already are."""
        return self.status != "failed"

    @property
    def errors(self) -> list[Issue]:
        return [issue for issue in self.issues if issue.severity == "error"]

    @property
    def warnings(self) -> list[Issue]:
        return [issue for issue in self.issues if issue.severity == "warning"]

    @property
    def file_errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error" and i.row is None]

    def unknown_words(self) -> list[tuple[str, int, tuple[str, ...]]]:
        """Each category word the programme does not know, once: (word, rows, the categories
        most like it). The user maps each once (``--map-value`` / the Data page)."""
        found: dict[str, tuple[int, tuple[str, ...]]] = {}
        for issue in self.errors:
            if issue.kind == "category":
                count, _ = found.get(issue.value, (0, ()))
                found[issue.value] = (count + 1, issue.candidates)
        return [(word, count, candidates) for word, (count, candidates) in found.items()]

    def to_csv_bytes(self) -> bytes:
        """The report as a CSV file (UTF-8 with BOM, opens in Thai Excel; the file's own
        values written formula-safe, ``sheets``)."""
        header = [
            f"{self.row_label_th} ({self.row_label_en})",
            "คอลัมน์ (column)",
            "ค่า (value)",
            "ระดับ (severity)",
            "ประเภท (kind)",
            "เหตุผล",
            "reason",
            "ตัวเลือก (candidates)",
        ]
        return sheets.csv_bytes(
            header,
            (
                [
                    "" if issue.row is None else issue.row,
                    issue.column or "",
                    issue.value,
                    issue.severity,
                    issue.kind,
                    issue.message_th,
                    issue.message_en,
                    " | ".join(issue.candidates),
                ]
                for issue in self.issues
            ),
        )

    def rejects_csv_bytes(self) -> bytes:
        """The rejected rows as they were in the file (same columns, same values), with the
        row number and the reasons added, so they can be fixed and imported again."""
        reasons: dict[int, list[Issue]] = {}
        for issue in self.errors:
            if issue.row is not None:
                reasons.setdefault(issue.row, []).append(issue)
        header = [
            *self.headers,
            f"{self.row_label_th}ในไฟล์เดิม ({self.row_label_en} in file)",
            "เหตุผลที่ไม่รับ",
            "reason rejected",
        ]
        rows = []
        for row_number, values in self.rejected_rows:
            found = reasons.get(row_number, [])
            rows.append(
                [
                    *values,
                    row_number,
                    "; ".join(issue_text(i, "th", self.row_label_th) for i in found),
                    "; ".join(issue_text(i, "en", self.row_label_en) for i in found),
                ]
            )
        return sheets.csv_bytes(header, rows)

    def text(self, limit: int | None = 200) -> str:
        """A printable summary in Thai and English."""
        where = self.file_kind.upper()
        if self.encoding:
            where += f", {self.encoding}"
        if self.sheet:
            where += f", sheet {self.sheet!r}"
        if self.header_rows:
            where += f", header row {'-'.join(str(r) for r in self.header_rows)}"
        named = f"{self.file_name} ({where})" if where else self.file_name
        lines = [f"ไฟล์ / file: {named}", f"แผนงาน / programme: {self.programme}"]
        if self.mapping:
            pairs = "; ".join(f"{column!r} → {fld}" for fld, column in self.mapping.items())
            lines.append(f"คอลัมน์ / columns: {pairs}")
        for header, reason in self.ignored_columns.items():
            lines.append(f"  ไม่ใช้ / not used: {header!r}: {reason}")
        lines.append(
            f"รับ {self.rows_accepted} แถว ไม่รับ {self.rows_rejected} แถว ข้าม "
            f"{self.rows_skipped} แถว จากทั้งหมด {self.rows_total} / accepted "
            f"{self.rows_accepted}, rejected {self.rows_rejected}, skipped "
            f"{self.rows_skipped} of {self.rows_total} rows"
        )
        lines.append(f"{self.message_th} / {self.message_en}")
        for word, count, candidates in self.unknown_words():
            lines.append(
                f"  คำที่ไม่รู้จัก / unknown word {word!r}: {count} แถว / row(s); ใกล้เคียง / "
                f'closest: {", ".join(candidates) or "-"} (--map-value "{word}=<category>")'
            )
        shown = self.issues if limit is None else self.issues[:limit]
        for issue in shown:
            th = issue_text(issue, "th", self.row_label_th)
            en = issue_text(issue, "en", self.row_label_en)
            lines.append(f"  [{issue.severity}] {th} / {en}")
        hidden = len(self.issues) - len(shown) + self.issues_not_listed
        if hidden:
            lines.append(f"  … อีก {hidden} รายการ / {hidden} more (see --report)")
        return "\n".join(lines)


# Where an issue is, in each language: (whole file, row, column, candidates).
_WHERE = {
    "th": ("ทั้งไฟล์", "แถว", " คอลัมน์ {!r}", " (ตัวเลือก: {})"),
    "en": ("file", "row", ", column {!r}", " (candidates: {})"),
}


def issue_text(issue: Issue, lang: str, row_label: str | None = None) -> str:
    """``แถว 4 คอลัมน์ 'ตำบล': ...`` / ``row 4, column 'ตำบล': ...``."""
    whole_file, row_word, column, candidates = _WHERE["th" if lang == "th" else "en"]
    where = whole_file if issue.row is None else f"{row_label or row_word} {issue.row}"
    if issue.column:
        where += column.format(issue.column)
    text = f"{where}: {issue.message.get(lang)}"
    if issue.candidates:
        text += candidates.format(", ".join(issue.candidates))
    return text
