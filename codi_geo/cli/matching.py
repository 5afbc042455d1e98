"""``python -m codi_geo match INPUT.csv -o OUTPUT.csv``: place names in a CSV -> DOPA codes.

The output is the input with ``code``, ``level``, ``status``, ``score`` and ``candidates``
added (UTF-8 with BOM, so Excel shows the Thai). A one-line count per status goes to stderr.
Bad input exits with code 2 and a Thai + English message naming the file and column.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import pandas as pd

from codi_geo.errors import CodiGeoError
from codi_geo.places.matching import STATUSES, MatchInputError, match_frame
from codi_geo.results import sheets


class InputFileError(CodiGeoError):
    """An input or output file we cannot use."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("input", type=Path, help="UTF-8 CSV with a place column")
    parser.add_argument("-o", "--output", type=Path, required=True, help="CSV to write")
    parser.add_argument("--place-column", default="place", help="default: place")
    parser.add_argument("--province-column", default="province", help="optional context")
    parser.add_argument("--district-column", default="district", help="optional context")


def run(args: argparse.Namespace) -> int:
    try:
        frame = read_places(args.input, args.place_column)
        result = match_frame(frame, args.place_column, args.province_column, args.district_column)
        write_csv(result, args.output)
    except InputFileError as problem:
        print(f"error: {problem}", file=sys.stderr)
        # 2 is for usage only (a file that does not exist); a file we cannot use is refused.
        return 2 if not args.input.exists() else 1
    except MatchInputError as problem:
        print(f"error: {args.input}: {problem}", file=sys.stderr)
        return 1
    print(summary(result["status"].tolist(), STATUSES), file=sys.stderr)
    return 0


def read_places(path: Path, place_column: str) -> pd.DataFrame:
    """The CSV as text columns (empty cells stay empty), checked for the place column."""
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputFileError(f"ไม่พบไฟล์ {path}", f"file not found: {path}") from None
    except (IsADirectoryError, PermissionError) as error:
        raise InputFileError(
            f"เปิดไฟล์ {path} ไม่ได้", f"cannot open {path}: {error.strerror}"
        ) from None
    except UnicodeDecodeError as error:
        raise InputFileError(
            f"ไฟล์ {path} ไม่ใช่ UTF-8 (ไบต์ที่ {error.start}) บันทึกใหม่เป็น CSV UTF-8",
            f"{path} is not UTF-8 (byte {error.start}); save it again as CSV UTF-8",
        ) from None
    except pd.errors.EmptyDataError:
        raise InputFileError(f"ไฟล์ {path} ว่างเปล่า", f"{path} is empty") from None
    except pd.errors.ParserError as error:
        raise _unreadable_csv(path, str(error)) from None
    if place_column not in frame.columns:
        found = ", ".join(map(str, frame.columns))
        raise InputFileError(
            f"ไฟล์ {path} ไม่มีคอลัมน์ '{place_column}' (มี: {found})",
            f"{path} has no '{place_column}' column (it has: {found})",
        )
    return frame


# pandas' words for the two faults a CSV from a person usually has, and where they are.
_RAGGED = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")
_OPEN_QUOTE = re.compile(r"EOF inside string starting at row (\d+)")


def _unreadable_csv(path: Path, detail: str) -> InputFileError:
    """A CSV pandas cannot read, said in our words with the line pandas names."""
    ragged = _RAGGED.search(detail)
    if ragged:
        expected, line, saw = ragged.groups()
        return InputFileError(
            f"ไฟล์ {path} บรรทัด {line} มี {saw} ช่อง แต่หัวตารางมี {expected} ช่อง",
            f"{path}: line {line} has {saw} cells where the header has {expected}",
        )
    quote = _OPEN_QUOTE.search(detail)
    if quote:
        line = int(quote.group(1)) + 1  # pandas counts the rows from 0
        return InputFileError(
            f'ไฟล์ {path} มีเครื่องหมายคำพูด (") เปิดที่บรรทัด {line} แต่ไม่ได้ปิด',
            f'{path}: a quote (") opened on line {line} is never closed',
        )
    return InputFileError(
        f"อ่าน CSV {path} ไม่ได้ ตรวจว่าเป็นไฟล์ CSV (ข้อความ) จริง",
        f"{path} is not a readable CSV; check that it is a CSV (text) file",
    )


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    try:
        sheets.write_frame_csv(frame, path)
    except OSError as error:
        raise InputFileError(
            f"เขียนไฟล์ {path} ไม่ได้", f"cannot write {path}: {error.strerror or error}"
        ) from None


def summary(statuses: list[str], order: tuple[str, ...]) -> str:
    """``1,200 rows: matched 1,150, ambiguous 30, unmatched 20``."""
    counts = ", ".join(f"{status} {statuses.count(status):,}" for status in order)
    return f"{len(statuses):,} rows: {counts}"
