"""Finding the header in a grid: below any title rows, with a row of group labels above it
(``ผลการดำเนินงาน`` over ``ครัวเรือน | งบประมาณ``) joined to it."""

from __future__ import annotations

from collections.abc import Sequence

from codi_geo.results.imports.mapping import GROUP_SEPARATOR, match_header
from codi_geo.results.imports.problems import CellValueError
from codi_geo.results.imports.values import parse_number

# Title rows above a header are few; a header further down is not looked for.
HEADER_SEARCH_ROWS = 30


def _unique_headers(headers: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    unique = []
    for index, header in enumerate(headers):
        name = " ".join(header.split()) or f"column {index + 1}"
        if name in seen:
            seen[name] += 1
            name = f"{name} ({seen[name]})"
        else:
            seen[name] = 1
        unique.append(name)
    return unique


def combine_headers(grid: list[list[str]], header_at: int, upper_at: int | None) -> list[str]:
    lower = grid[header_at]
    if upper_at is None:
        return _unique_headers(lower)
    upper = grid[upper_at]
    combined = []
    for top, bottom in zip(upper, lower, strict=True):
        top, bottom = " ".join(top.split()), " ".join(bottom.split())
        if not bottom or top == bottom:
            combined.append(top or bottom)
        elif not top:
            combined.append(bottom)
        else:
            combined.append(f"{top}{GROUP_SEPARATOR}{bottom}")
    return _unique_headers(combined)


def _looks_numeric(cell: str) -> bool:
    try:
        return parse_number(cell)[0] is not None
    except CellValueError:
        return False


def find_header_rows(
    grid: list[list[str]], vocabulary: Sequence[tuple[str, str, bool]]
) -> tuple[int | None, int | None]:
    """(header row index, upper header row index or None). The header is the row among the
    first rows whose cells name the most known fields; a row of group labels directly above
    it (``ผลการดำเนินงาน`` over ``ครัวเรือน | งบประมาณ``) is joined to it."""
    scores = []
    for index, row in enumerate(grid[:HEADER_SEARCH_ROWS]):
        matched = {match_header(cell, vocabulary) for cell in row if cell.strip()} - {None}
        numbers = sum(_looks_numeric(cell) for cell in row)
        scores.append((len(matched) - numbers, index))
    non_empty = [i for i, row in enumerate(grid) if any(c.strip() for c in row)]
    if not non_empty:
        return None, None
    best_score, best = max(scores, key=lambda s: (s[0], -s[1]))
    if best_score <= 0:
        return non_empty[0], None
    below = best + 1
    if below < len(grid) and _is_subheader(grid[best], grid[below], vocabulary):
        return below, best
    if best > 0 and _is_group_row(grid[best - 1]):
        return best, best - 1
    return best, None


def _is_group_row(row: list[str]) -> bool:
    filled = [c.strip() for c in row if c.strip()]
    # A title (one merged cell spread over the row, or a single cell) is not a group row.
    return len(set(filled)) >= 2 and not any(_looks_numeric(c) for c in filled)


def _is_subheader(
    upper: list[str], lower: list[str], vocabulary: Sequence[tuple[str, str, bool]]
) -> bool:
    """Is ``lower`` the second line of a two-row header? It names fields the upper row does
    not, in columns whose upper cell is a group label (empty, or spread over neighbouring
    columns by a merge) rather than a header of its own; a first data row under an ordinary
    header does neither."""
    filled = [c for c in lower if c.strip()]
    if not filled or any(_looks_numeric(c) for c in filled):
        return False
    upper_fields = {match_header(c, vocabulary) for c in upper if c.strip()} - {None}
    new_fields = set()
    for index, (top, cell) in enumerate(zip(upper, lower, strict=True)):
        top, cell = top.strip(), cell.strip()
        if not cell or cell == top:
            continue
        neighbours = {upper[i].strip() for i in (index - 1, index + 1) if 0 <= i < len(upper)}
        if not top or (top in neighbours and match_header(top, vocabulary) is None):
            new_fields.add(match_header(cell, vocabulary))
    return bool(new_fields - upper_fields - {None})
