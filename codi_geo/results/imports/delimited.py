"""CSV records, for the whole-file reader (``readers``) and the streamed import (``stream``):
the delimiter guessed from the first lines, then each record with every cell within Excel's
limit of ``limits.MAX_CELL_CHARS`` characters.

A cell over that limit is refused with its row and column. Python's ``csv`` stops by itself
at its own field limit (131,072 characters, for the whole process) with a message of its
own; the lines of the record it was reading are kept, so the cell is found in them and
named the same way.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator

from codi_geo.results.imports import limits
from codi_geo.results.imports.problems import ImportFileError, chars_over

__all__ = ["read_records", "sniff_delimiter"]

DELIMITERS = (",", "\t", ";", "|")
_SNIFF_LINES = 40


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the most rows of one width. A line
    the ``csv`` module cannot read (a cell over its limit) ends the sample: the reading
    proper names that cell."""
    sample = text.splitlines()[:_SNIFF_LINES]
    best, best_score = ",", -1
    for delimiter in DELIMITERS:
        counts: list[int] = []
        reader = csv.reader(sample, delimiter=delimiter)
        try:
            for record in reader:
                if any(record):
                    counts.append(len(record))
        except csv.Error:
            pass
        if not counts:
            continue
        modal = max(set(counts), key=counts.count)
        score = counts.count(modal) * (modal - 1)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def read_records(lines: Iterable[str], filename: str, delimiter: str) -> Iterator[list[str]]:
    """Each CSV record of ``lines`` (read with ``newline=""``): a row as Excel shows it,
    whatever newlines its quoted cells hold. Raises ``ImportFileError`` for a cell longer
    than ``MAX_CELL_CHARS`` (its row and column) and for a record ``csv`` cannot read."""
    limit = limits.MAX_CELL_CHARS
    pending: list[str] = []  # the lines of the record being read
    size = [0]  # their length: only a record longer than the limit can hold a long cell

    def feed() -> Iterator[str]:
        for line in lines:
            pending.append(line)
            size[0] += len(line)
            yield line

    reader = csv.reader(feed(), delimiter=delimiter)
    row = 0
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error:
            raise _unreadable("".join(pending), row + 1, filename, delimiter) from None
        row += 1
        if size[0] > limit:
            for column, cell in enumerate(record):
                if len(cell) > limit:
                    raise _too_long(filename, row, column, len(cell))
        pending.clear()
        size[0] = 0
        yield record


def _too_long(filename: str, row: int, column: int, length: int | None) -> ImportFileError:
    return ImportFileError(
        "csv_cell_too_long",
        file=filename,
        row=row,
        column=limits.column_letters(column + 1),
        limit=f"{limits.MAX_CELL_CHARS:,}",
        **chars_over(length, limits.MAX_CELL_CHARS),
    )


def _unreadable(text: str, row: int, filename: str, delimiter: str) -> ImportFileError:
    """The error for a record ``csv`` gave up on: the over-long cell if its text holds one
    (the usual cause), else the row."""
    found = long_field(text, delimiter)
    if found is not None:
        column, length = found
        return _too_long(filename, row, column, length)
    return ImportFileError("csv", file=filename, row=row)


def long_field(text: str, delimiter: str, quote: str = '"') -> tuple[int, int | None] | None:
    """``(column index, length)`` of the first field of the record at the start of ``text``
    longer than ``MAX_CELL_CHARS`` (length None if ``text`` ends inside it), as the ``csv``
    module's default dialect splits it (doubled quotes inside quotes); None if none is."""
    limit = limits.MAX_CELL_CHARS
    stops = re.compile(f"[{re.escape(delimiter + quote)}\r\n]")
    column = length = at = 0
    quoted = False
    while True:
        if quoted:
            end = text.find(quote, at)
            if end < 0:
                return (column, None) if length + len(text) - at > limit else None
            length += end - at
            if text.startswith(quote * 2, end):
                length += 1
                at = end + 2
            else:
                quoted, at = False, end + 1
            continue
        found = stops.search(text, at)
        end = found.start() if found else len(text)
        length += end - at
        if found is None:
            return (column, None) if length > limit else None
        char = found.group()
        if char == quote and end == at and length == 0:
            quoted, at = True, end + 1
            continue
        if char == quote:  # a quote inside an unquoted field is text
            length, at = length + 1, end + 1
            continue
        if length > limit:
            return column, length
        if char != delimiter:
            return None  # the record ended
        column, length, at = column + 1, 0, end + 1
