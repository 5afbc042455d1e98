"""The one formula-safe spreadsheet writer: every CSV and XLSX the project writes (page
downloads, the command line's ``export`` and ``match``, the import report and the rejected
rows) goes through here, so a cell a spreadsheet would run as a formula never leaves us live.

The rule (OWASP "CSV injection"): a text cell that starts with ``=``, ``+``, ``-``, ``@``, a
tab or a carriage return (or their full-width forms, which some Excel locales also read as
formula starts) is written as text: in CSV with a leading apostrophe, which Excel and
LibreOffice show as "this is text"; in XLSX as a string cell with the quote-prefix style.
Numbers stay numbers: a number value is written as a number, and text that *is* a plain
number (``-12.5``, a coordinate in a rejected row) is left as it is, since no spreadsheet runs
it. A lone dash, CODI's "no figure" mark, is not a formula either and stays ``-``.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_DASHES = re.compile(r"[-–—]+")


def needs_guard(value: Any) -> bool:
    """True for text a spreadsheet would run as a formula."""
    return (
        isinstance(value, str)
        and value.startswith(FORMULA_STARTS)
        and not _PLAIN_NUMBER.fullmatch(value)
        and not _DASHES.fullmatch(value)
    )


def safe_cell(value: Any) -> Any:
    """``value`` as a CSV may hold it: formula-like text gets a leading apostrophe."""
    return "'" + value if needs_guard(value) else value


def csv_bytes(header: Sequence[Any] | None, rows: Iterable[Sequence[Any]]) -> bytes:
    """Rows as CSV: UTF-8 with a byte-order mark (so Excel on Thai Windows reads Thai), CRLF
    line ends, every cell through ``safe_cell``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    if header is not None:
        writer.writerow([safe_cell(v) for v in header])
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def frame_csv_bytes(frame: pd.DataFrame, float_format: str | None = "%.15g") -> bytes:
    """A data frame as CSV (see ``csv_bytes``): text columns guarded, numbers as numbers."""
    safe = frame.copy()
    safe.columns = [safe_cell(str(c)) for c in safe.columns]
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(safe_cell)
    text = safe.to_csv(index=False, lineterminator="\r\n", float_format=float_format)
    return ("\ufeff" + text).encode("utf-8")


def write_frame_csv(frame: pd.DataFrame, path: Path) -> None:
    """``frame_csv_bytes`` written to ``path`` (OSError to the caller)."""
    Path(path).write_bytes(frame_csv_bytes(frame))


def guard_worksheet(sheet: Any) -> None:
    """Make every formula-like text cell of an openpyxl worksheet a plain string cell.

    openpyxl turns any assigned text starting with ``=`` into a formula cell; this undoes it
    and marks the cell with Excel's quote prefix, so editing it in Excel keeps it text."""
    for row in sheet.iter_rows():
        for cell in row:
            if cell.data_type == "f" or (cell.data_type == "s" and needs_guard(cell.value)):
                cell.data_type = "s"
                cell.quotePrefix = True
