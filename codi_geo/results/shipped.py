"""The figures that ship with the app: ``data/programmes/<programme_id>.csv`` and
``data/programmes/indicators.csv``, loaded into the store as batches.

Loading is idempotent: a file whose content (sha256) was loaded before is left alone, even
if someone has since undone its batch (an undo must survive the app's next start; ``force``
loads it again); a changed file replaces its previous batch in one transaction (the old rows
are kept, inactive). Rows carry their citation (``source_doc``, ``source_line``).

Programme file columns: ``fiscal_year,quarter,level,code,place_text,latitude,longitude,
category,name,<the programme's metric ids>,visibility,source_doc,source_line,note``.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from codi_geo.programmes import PROGRAMME_BY_ID, get_programme
from codi_geo.results.imports import (
    CellValueError,
    ImportOptions,
    ImportReport,
    Issue,
    prepare_import,
    store_import,
)
from codi_geo.results.imports.places import parse_area_code
from codi_geo.results.imports.readers import file_sha256
from codi_geo.results.imports.report import issue_text
from codi_geo.results.imports.values import parse_fiscal_year, parse_number, parse_quarter
from codi_geo.results.records import RESULT_LEVELS
from codi_geo.results.store import (
    INDICATORS_PROGRAMME,
    DuplicateFileError,
    IndicatorRow,
    NewBatch,
    Store,
)
from codi_geo.settings import PROGRAMME_DATA_DIR
from codi_geo.text import Bilingual

INDICATORS_FILE = "indicators.csv"
# Places the reports name but no one code fits: a record for the data-quality view, never
# loaded as results (a row that cannot be placed must not reach a map).
UNRESOLVED_FILE = "unresolved_places.csv"
# The documents the rows cite (``codi_geo.results.documents``): a table, not results.
DOCUMENTS_FILE = "documents.csv"
RESULT_BASE_COLUMNS: tuple[str, ...] = (
    "fiscal_year",
    "quarter",
    "level",
    "code",
    "place_text",
    "latitude",
    "longitude",
    "category",
    "name",
    "visibility",
    "source_doc",
    "source_line",
    "note",
)
INDICATOR_FILE_COLUMNS: tuple[str, ...] = (
    "fiscal_year",
    "quarter",
    "plan",
    "indicator_id",
    "programme",
    "name_th",
    "unit_th",
    "target",
    "result",
    "level",
    "code",
    "source_doc",
    "source_line",
    "note",
)
# Column of the file -> field of the importer (the file uses the store's own names).
_FIELD_OF_COLUMN = {"place_text": "place"}


@dataclass
class ShippedLoad:
    """What happened to one shipped file."""

    path: Path
    kind: str  # results | indicators
    # loaded | partial (loaded, some rows rejected) | unchanged | undone (loaded before,
    # then undone by someone) | failed
    status: str
    batch_id: int | None = None
    replaced: tuple[int, ...] = ()
    rows: int = 0
    issues: list[Issue] = field(default_factory=list)
    report: ImportReport | None = None

    @property
    def ok(self) -> bool:
        """Loaded whole, or already there."""
        return self.status in ("loaded", "unchanged", "undone")

    def text(self) -> str:
        head = f"{self.path.name}: {self.status}"
        if self.batch_id is not None:
            head += f" (batch {self.batch_id}, {self.rows} rows"
            head += f", replaces {', '.join(map(str, self.replaced))})" if self.replaced else ")"
        issues = self.report.issues if self.report is not None else self.issues
        return "\n".join(
            [head]
            + [
                f"  [{i.severity}] {issue_text(i, 'th', 'บรรทัด')} / {issue_text(i, 'en', 'line')}"
                for i in issues
            ]
        )


def shipped_files(directory: Path | None = None) -> list[Path]:
    """The programme files of the folder (sorted), then ``indicators.csv`` if present."""
    folder = Path(directory or PROGRAMME_DATA_DIR)
    if not folder.is_dir():
        return []
    files = sorted(
        p
        for p in folder.glob("*.csv")
        if p.name not in (INDICATORS_FILE, UNRESOLVED_FILE, DOCUMENTS_FILE)
    )
    indicators = folder / INDICATORS_FILE
    return [*files, indicators] if indicators.exists() else files


def load_shipped(
    store: Store,
    directory: Path | None = None,
    boundary_dir: Path | None = None,
    who: str | None = None,
    force: bool = False,
) -> list[ShippedLoad]:
    """Load every shipped file into the store (each file its own transaction)."""
    return [
        load_indicators_file(store, path, who, force)
        if path.name == INDICATORS_FILE
        else load_programme_file(store, path, boundary_dir, who, force)
        for path in shipped_files(directory)
    ]


def _previous_batches(store: Store, programme: str, file_name: str, kind: str) -> list[int]:
    return [
        b.id
        for b in store.batches(programme=programme, kind=kind)
        if b.active and b.mode == "shipped" and b.file_name == file_name
    ]


def _loaded_before(
    store: Store, programme: str, path: Path, sha: str, kind: str, force: bool
) -> ShippedLoad | None:
    """The outcome if this very content was loaded before (active: unchanged; undone by
    someone: left undone unless ``force``), else None."""
    for batch in store.batches(programme=programme, kind=kind):
        if batch.file_sha256 != sha or batch.sheet:
            continue
        if batch.active:
            status = "partial" if batch.rows_rejected else "unchanged"
            return ShippedLoad(path, kind, status, batch.id, rows=batch.rows_stored)
        if batch.mode == "shipped" and batch.file_name == path.name and not force:
            return ShippedLoad(path, kind, "undone", batch.id)
    return None


def _header(data: bytes) -> list[str]:
    text = data.decode("utf-8-sig", errors="replace")
    return next(csv.reader(io.StringIO(text)), [])


def _shipped_mapping(header: list[str]) -> dict[str, str]:
    return {_FIELD_OF_COLUMN.get(c, c): c for c in header}


def _file_issue(kind: str, message_th: str, message_en: str, value: str = "") -> Issue:
    return Issue(None, None, value, "error", kind, Bilingual(message_th, message_en))


def load_programme_file(
    store: Store,
    path: Path,
    boundary_dir: Path | None = None,
    who: str | None = None,
    force: bool = False,
) -> ShippedLoad:
    """One ``<programme_id>.csv``: checked like any import; its valid rows stored as one
    batch that replaces the previous version of the same file, the others reported."""
    result = ShippedLoad(path, "results", "failed")
    programme_id = path.stem
    if programme_id not in PROGRAMME_BY_ID:
        result.issues.append(
            _file_issue(
                "programme",
                f"ไม่มีแผนงาน {programme_id!r} ในรายการแผนงาน",
                f"no declared programme is called {programme_id!r}",
            )
        )
        return result
    programme = get_programme(programme_id)
    data = path.read_bytes()
    previous = _previous_batches(store, programme_id, path.name, "results")
    before = _loaded_before(store, programme_id, path, file_sha256(data), "results", force)
    if before is not None:
        if before.status == "partial":
            # Loaded before with rows rejected: say again which, until the file is fixed.
            before.report = prepare_import(
                data,
                path.name,
                programme_id,
                ImportOptions(
                    replaces=(before.batch_id or 0,),
                    mapping=_shipped_mapping(_header(data)),
                    boundary_dir=boundary_dir,
                ),
                store=store,
            ).report
        return before
    header = _header(data)
    metric_ids = [m.id for m in programme.metrics]
    missing = [c for c in RESULT_BASE_COLUMNS if c not in header]
    unknown = [c for c in header if c not in RESULT_BASE_COLUMNS and c not in metric_ids]
    if missing or unknown:
        result.issues.append(
            _file_issue(
                "columns",
                f"คอลัมน์ไม่ตรงรูปแบบ: ขาด {missing} เกิน {unknown}",
                f"columns do not follow the format: missing {missing}, unknown {unknown} "
                f"(metric columns of {programme_id}: {metric_ids})",
                ",".join(header),
            )
        )
        return result
    prepared = prepare_import(
        data,
        path.name,
        programme_id,
        ImportOptions(
            mapping=_shipped_mapping(header),
            replaces=tuple(previous),
            mode="shipped",
            boundary_dir=boundary_dir,
            valid_only=True,
            who=who,
        ),
        store=store,
    )
    # The rows that pass are loaded and the others reported: one unresolved place must not
    # keep a whole programme off the map. `partial` makes the command line fail, so the
    # file gets fixed.
    report = store_import(store, prepared)
    result.report = report
    if report.status == "stored":
        result.status = "partial" if report.rows_rejected else "loaded"
        result.batch_id, result.replaced = report.batch_id, tuple(previous)
        result.rows = report.rows_accepted
    elif report.status == "already_stored":
        result.status, result.batch_id = "unchanged", report.duplicate_of
    return result


def _indicator_row(values: dict[str, str], line: int, issues: list[Issue]) -> IndicatorRow | None:
    found = len(issues)

    def problem(column: str, error: CellValueError) -> None:
        issues.append(error.issue(line, column, values.get(column, "")))

    def required(column: str) -> str:
        text = (values.get(column) or "").strip()
        if not text:
            problem(column, CellValueError("required"))
        return text

    fiscal_year = quarter = None
    try:
        fiscal_year = parse_fiscal_year(required("fiscal_year") or "-")
        quarter, _ = parse_quarter(values.get("quarter"))
    except CellValueError as error:
        problem("quarter" if fiscal_year else "fiscal_year", error)
    figures: dict[str, float | None] = {}
    for column in ("target", "result"):
        try:
            figures[column] = parse_number(values.get(column))[0]
        except CellValueError as error:
            problem(column, error)
    programme = (values.get("programme") or "").strip() or None
    if programme is not None and programme not in PROGRAMME_BY_ID:
        problem("programme", CellValueError("unknown_programme", programme=programme))
    level = (values.get("level") or "").strip() or "national"
    code: str | None = (values.get("code") or "").strip() or None
    if level not in RESULT_LEVELS:
        problem("level", CellValueError("unknown_level", level=level))
    elif code is not None:
        try:
            level, code = parse_area_code(code, level)
        except CellValueError as error:
            problem("code", error)
    indicator_id, name_th = required("indicator_id"), required("name_th")
    if len(issues) > found or fiscal_year is None:
        return None
    return IndicatorRow(
        fiscal_year=fiscal_year,
        quarter=quarter,
        indicator_id=indicator_id,
        name_th=name_th,
        level=level,
        code=code,
        plan=(values.get("plan") or "").strip() or None,
        programme=programme,
        unit_th=(values.get("unit_th") or "").strip() or None,
        target=figures.get("target"),
        result=figures.get("result"),
        source_doc=(values.get("source_doc") or "").strip() or None,
        source_line=(values.get("source_line") or "").strip() or None,
        source_row=line,
        note=(values.get("note") or "").strip() or None,
    )


def load_indicators_file(
    store: Store, path: Path, who: str | None = None, force: bool = False
) -> ShippedLoad:
    """``indicators.csv``: every line checked, stored whole or not at all."""
    result = ShippedLoad(path, "indicators", "failed")
    data = path.read_bytes()
    sha = file_sha256(data)
    before = _loaded_before(store, INDICATORS_PROGRAMME, path, sha, "indicators", force)
    if before is not None:
        return before
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        result.issues.append(_file_issue("encoding", "ไฟล์ต้องเป็น UTF-8", "the file must be UTF-8"))
        return result
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in INDICATOR_FILE_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        result.issues.append(
            _file_issue("columns", f"ขาดคอลัมน์ {missing}", f"missing columns {missing}")
        )
        return result
    rows: list[IndicatorRow] = []
    seen: dict[tuple[object, ...], int] = {}
    for line, values in enumerate(reader, start=2):
        row = _indicator_row(values, line, result.issues)
        if row is None:
            continue
        key = (row.fiscal_year, row.quarter, row.indicator_id, row.level, row.code)
        if key in seen:
            result.issues.append(
                Issue(
                    line,
                    None,
                    row.indicator_id,
                    "error",
                    "duplicate_in_file",
                    Bilingual(f"ซ้ำกับบรรทัด {seen[key]}", f"the same indicator as line {seen[key]}"),
                )
            )
            continue
        seen[key] = line
        rows.append(row)
    if result.issues or not rows:
        if not rows and not result.issues:
            result.issues.append(_file_issue("no_rows", "ไม่มีแถวข้อมูล", "there are no rows"))
        return result
    previous = _previous_batches(store, INDICATORS_PROGRAMME, path.name, "indicators")
    meta = NewBatch(
        programme=INDICATORS_PROGRAMME,
        file_name=path.name,
        file_sha256=sha,
        mode="shipped",
        rows_total=len(rows),
        kind="indicators",
        created_by=who,
    )
    try:
        batch = store.store_indicators(meta, rows, replaces=previous)
    except DuplicateFileError as error:
        result.status, result.batch_id = "unchanged", error.batch.id
        return result
    result.status, result.batch_id = "loaded", batch.id
    result.replaced, result.rows = tuple(previous), batch.rows_stored
    return result


def ensure_shipped(store: Store, boundary_dir: Path | None = None) -> list[ShippedLoad]:
    """For the app's start: load what is new or changed in ``data/programmes`` (cheap when
    nothing changed: one hash and one query per file)."""
    return load_shipped(store, boundary_dir=boundary_dir)
