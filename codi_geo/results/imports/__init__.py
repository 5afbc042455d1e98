"""Importers: the spreadsheets, form exports and pinpoint files CODI staff produce, turned
into result rows for the store, with a report a person can act on.

Three steps, each usable alone (the app's data page calls them with the uploaded bytes):

1. ``read_table(data, filename)`` (``readers``): CSV, XLSX, GeoJSON, KML / KMZ as a grid of
   text cells with the row numbers the user sees, the header found below any title rows
   (``headers``).
2. ``guess_mapping(headers, programme)`` (``mapping``): Thai or English headers -> fields
   (and the programme's metrics, from its declaration). The caller may pass its own mapping
   instead (``ImportOptions.mapping``).
3. ``prepare_import(...)`` (``pipeline``) converts and checks every row (``rows``, ``values``;
   places through the matcher once and points placed in their tambon, ``places``; ``checks``
   across rows) and ``store_import`` stores the accepted rows as one batch. ``import_file``
   does both. Every problem it can report is in ``problems.PROBLEMS``.
"""

from codi_geo.results.imports.mapping import (
    MappingResult,
    adjust_mapping,
    guess_mapping,
    mappable_fields,
)
from codi_geo.results.imports.pipeline import (
    ImportOptions,
    PreparedImport,
    import_file,
    prepare_import,
    store_import,
)
from codi_geo.results.imports.problems import CellValueError, ImportFileError, Issue
from codi_geo.results.imports.readers import RawTable, read_table
from codi_geo.results.imports.report import ImportReport

__all__ = [
    "CellValueError",
    "ImportFileError",
    "ImportOptions",
    "ImportReport",
    "Issue",
    "MappingResult",
    "PreparedImport",
    "RawTable",
    "adjust_mapping",
    "guess_mapping",
    "import_file",
    "mappable_fields",
    "prepare_import",
    "read_table",
    "store_import",
]
