"""The store's commands: ``import``, ``export``, ``batches``, ``undo``, ``audit``,
``load-shipped``. A stable interface used from outside the project: options are only ever
added. Every command uses the store at ``CODI_GEO_DATABASE_URL`` (default: the SQLite file
under the data folder).

Exit codes: 0 done (for ``import``: stored, or a dry run that would store, or the same file
is already stored); 1 the data was refused (the report says why); 2 wrong usage.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from codi_geo.access import service
from codi_geo.access.public import exact_provinces, public_rows, seen_rows
from codi_geo.access.rules import User
from codi_geo.cli.console import EXIT_OK, EXIT_REFUSED, EXIT_USAGE, print_lines
from codi_geo.places import gazetteer
from codi_geo.programmes import PROGRAMME_BY_ID, get_programme
from codi_geo.results import imports
from codi_geo.results.dump import csv_bytes, export_frame
from codi_geo.results.imports.stream import headers_of, is_csv
from codi_geo.results.imports.values import parse_fiscal_year
from codi_geo.results.shipped import load_shipped
from codi_geo.results.store import Store, StoreError, open_store


def _fail(message: str, code: int = EXIT_USAGE) -> int:
    print(message, file=sys.stderr)
    return code


def _who(given: str | None) -> str:
    """Who runs a command: ``--who``, else the operating-system user (``somchai@cli``)."""
    if given:
        return given
    try:
        return f"{getpass.getuser()}@cli"
    except Exception:  # no user name in this environment
        return "cli"


def _shell_user(who: str) -> User:
    """The user a command imports or undoes as: an admin, since someone with the server's
    shell can do everything anyway. The app's rules and audit log apply as on the Data page
    (``codi_geo.access.service``)."""
    return User(who, "admin")


def _programme(value: str) -> str:
    if value not in PROGRAMME_BY_ID:
        known = ", ".join(PROGRAMME_BY_ID)
        raise argparse.ArgumentTypeError(
            f"ไม่รู้จักแผนงาน {value!r} / unknown programme {value!r} (known: {known})"
        )
    return value


def _open_store() -> Store:
    return open_store()


# -- import --------------------------------------------------------------------------------


def add_import_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Import a results file (CSV in UTF-8 or Thai Windows encoding, XLSX, GeoJSON, KML) "
        "for one programme. Stored as one batch, whole or not at all."
    )
    parser.add_argument("file", type=Path, help="the file to import")
    parser.add_argument("--programme", required=True, type=_programme, help="programme id")
    parser.add_argument("--dry-run", action="store_true", help="check only, store nothing")
    parser.add_argument("--sheet", help="XLSX sheet name (default: the first sheet)")
    parser.add_argument(
        "--valid-only",
        action="store_true",
        help="store the rows that pass and reject the rest (see --rejects)",
    )
    parser.add_argument("--report", type=Path, help="write the report to this CSV file")
    parser.add_argument(
        "--rejects",
        type=Path,
        help="write the rejected rows, as they were, with the reasons, to this CSV file",
    )
    parser.add_argument(
        "--fiscal-year", type=int, help="fiscal year (พ.ศ. or CE) for rows that give none"
    )
    parser.add_argument(
        "--quarter", type=int, choices=(1, 2, 3, 4), help="quarter for rows that give none"
    )
    parser.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="FIELD=COLUMN",
        help="use COLUMN for FIELD (FIELD= to leave a guessed field out); repeatable",
    )
    parser.add_argument(
        "--map-value",
        action="append",
        default=[],
        metavar="WORD=CATEGORY",
        help="read the category word WORD as CATEGORY (a category id of the programme), now "
        "and in every later import of the programme (remembered, audited); repeatable",
    )
    parser.add_argument(
        "--public",
        action="store_true",
        help="rows without a visibility column are public (default internal)",
    )
    parser.add_argument("--demo", action="store_true", help="mark the rows as demo data")
    parser.add_argument(
        "--who",
        help="who imports (recorded with the batch and in the audit "
        "log; default: the operating-system user)",
    )


def _mapping_changes(pairs: list[str]) -> dict[str, str | None]:
    changes: dict[str, str | None] = {}
    for pair in pairs:
        name, sep, column = pair.partition("=")
        if not sep or not name.strip():
            raise ValueError(
                f"--map ต้องเป็น FIELD=COLUMN ไม่ใช่ {pair!r} / --map wants FIELD=COLUMN, not {pair!r}"
            )
        changes[name.strip()] = column.strip() or None
    return changes


def _category_words(pairs: list[str], programme_id: str) -> dict[str, str]:
    """``--map-value`` pairs as word -> category id, each category declared."""
    programme = get_programme(programme_id)
    words: dict[str, str] = {}
    for pair in pairs:
        word, sep, category = pair.rpartition("=")
        word, category = word.strip(), category.strip()
        if not sep or not word or not category:
            raise ValueError(
                f"--map-value ต้องเป็น คำ=ประเภท / --map-value wants WORD=CATEGORY, not {pair!r}"
            )
        if programme.category(category) is None:
            known = ", ".join(c.id for c in programme.categories) or "-"
            raise ValueError(
                f"แผนงาน {programme.id} ไม่มีประเภท {category!r} / programme "
                f"{programme.id} has no category {category!r} (known: {known})"
            )
        words[word] = category
    return words


def _adjusted_mapping(args: argparse.Namespace, data: bytes | None) -> dict[str, str] | None:
    """The guessed mapping with the user's ``--map`` changes: None without ``--map``, or if
    the file cannot be read (the import then reports why). ``data``: the file's bytes; None
    for a streamed CSV, whose header row is read from disk."""
    if not args.map:
        return None
    changes = _mapping_changes(args.map)
    programme = get_programme(args.programme)
    try:
        if data is None:
            headers, geometry = headers_of(args.file, args.programme), {}
        else:
            table = imports.read_table(data, args.file.name, args.sheet, programme)
            headers, geometry = table.headers, table.geometry_columns
    except imports.ImportFileError:
        return None
    guess = imports.guess_mapping(headers, programme, geometry)
    return imports.adjust_mapping(guess.columns, changes)


# CSV files above this size are streamed from disk in chunks (``imports.stream``): a
# million-row COPIN export imports in bounded memory, still as one batch.
STREAM_FROM_BYTES = 8 * 2**20


def _streamed(args: argparse.Namespace) -> bool:
    return args.file.stat().st_size > STREAM_FROM_BYTES and is_csv(args.file)


def _import_options(args: argparse.Namespace, mapping: dict[str, str] | None) -> Any:
    return imports.ImportOptions(
        mapping=mapping,
        sheet=args.sheet,
        fiscal_year=_fiscal_year(args.fiscal_year),
        quarter=args.quarter,
        visibility="public" if args.public else "internal",
        is_demo=args.demo,
        valid_only=args.valid_only,
        dry_run=args.dry_run,
    )


def run_import(args: argparse.Namespace) -> int:
    if not args.file.is_file():
        return _fail(f"ไม่พบไฟล์ {args.file} / no such file: {args.file}")
    data = None  # a large CSV is streamed from disk (``STREAM_FROM_BYTES``), not read here
    if not _streamed(args):
        try:
            data = args.file.read_bytes()
        except OSError as error:
            return _fail(
                f"อ่านไฟล์ {args.file} ไม่ได้ / cannot read {args.file}: {error.strerror or error}",
                EXIT_REFUSED,
            )
    store = _open_store()
    try:
        user = _shell_user(_who(args.who))
        options = _import_options(args, _adjusted_mapping(args, data))
        words = _category_words(args.map_value, args.programme)
        if words and not args.dry_run:  # a dry run stores nothing, its words neither
            for word, category in words.items():
                store.remember_category_word(args.programme, word, category, _who(args.who))
        options = replace(options, category_words=words)
        if data is None:
            outcome = service.import_csv_stream(
                user, args.file, args.programme, options, store, note="command line"
            )
        else:
            outcome = service.import_batch(
                user, data, args.file.name, args.programme, options, store, note="command line"
            )
    except ValueError as error:
        return _fail(str(error))
    finally:
        store.close()
    return _print_report(outcome.report, args)


def _print_report(report: Any, args: argparse.Namespace) -> int:
    """Print an import's report (a streamed one lists its first 200 issues), write
    ``--report`` and ``--rejects``; the exit code."""
    assert report is not None  # the rules never refuse an admin's import
    print(report.text(limit=None if not report.issues_not_listed else 200))
    try:
        if args.report:
            args.report.write_bytes(report.to_csv_bytes())
            print(f"รายงาน / report: {args.report}")
        if args.rejects and report.rejected_rows:
            args.rejects.write_bytes(report.rejects_csv_bytes())
            print(f"แถวที่ไม่รับ / rejected rows: {args.rejects}")
    except OSError as error:
        return _fail(
            f"เขียนไฟล์ไม่ได้ / cannot write: {error.filename}: {error.strerror or error}", EXIT_REFUSED
        )
    return EXIT_OK if report.ok else EXIT_REFUSED


def _fiscal_year(value: int | None) -> int | None:
    if value is None:
        return None
    return parse_fiscal_year(str(value))


# -- export --------------------------------------------------------------------------------


def add_export_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = "Write a programme's stored rows as CSV (UTF-8 with BOM)."
    parser.add_argument("--programme", required=True, type=_programme, help="programme id")
    parser.add_argument("-o", "--output", required=True, help="CSV file to write (- for stdout)")
    parser.add_argument("--fiscal-year", type=int, help="only this fiscal year (พ.ศ.)")
    parser.add_argument(
        "--public-only", action="store_true", help="only what a public page may show"
    )
    parser.add_argument("--include-demo", action="store_true", help="include demo rows")
    parser.add_argument(
        "--region",
        help="as staff of this CODI region see it: community pins of other regions counted "
        "per tambon, without points or notes (default: everything, as an admin)",
    )


def run_export(args: argparse.Namespace) -> int:
    try:
        fiscal_year = _fiscal_year(args.fiscal_year)
    except ValueError as error:  # not a fiscal year: wrong usage
        return _fail(str(error))
    if args.region is not None and args.region not in gazetteer.REGION_BY_ID:
        known = ", ".join(gazetteer.REGION_BY_ID)
        return _fail(
            f"ไม่รู้จักภาค {args.region!r} / unknown CODI region {args.region!r} (known: {known})"
        )
    store = _open_store()
    try:
        rows = store.results(
            args.programme,
            fiscal_year=fiscal_year,
            public_only=args.public_only,
            include_demo=args.include_demo,
        )
    finally:
        store.close()
    if args.public_only:  # the same rule as the public pages: points counted per tambon
        rows = public_rows(rows, get_programme(args.programme))
    elif args.region is not None:  # the rule of the app's pages for that region's staff
        rows = seen_rows(rows, exact_provinces(User(_who(None), "viewer", region=args.region)))
    frame = export_frame(rows, args.programme)
    data = csv_bytes(frame)
    if args.output == "-":
        sys.stdout.buffer.write(data)
    else:
        try:
            Path(args.output).write_bytes(data)
        except OSError as error:
            return _fail(
                f"เขียนไฟล์ {args.output} ไม่ได้ / cannot write {args.output}: "
                f"{error.strerror or error}",
                EXIT_REFUSED,
            )
    print(f"{len(frame)} แถว / rows -> {args.output}", file=sys.stderr)
    return EXIT_OK


# -- batches / undo ------------------------------------------------------------------------


def add_batches_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = "List import batches, newest first (tab-separated)."
    parser.add_argument("--programme", type=_programme, help="only this programme")


def run_batches(args: argparse.Namespace) -> int:
    store = _open_store()
    try:
        batches = store.batches(programme=args.programme)
    finally:
        store.close()
    columns = (
        "id",
        "status",
        "kind",
        "programme",
        "created_at",
        "rows_stored",
        "rows_total",
        "rows_rejected",
        "mode",
        "file_name",
        "sheet",
        "created_by",
        "file_sha256",
    )
    lines = ["\t".join(columns)]
    for batch in batches:
        values = {**batch.__dict__, "created_at": batch.created_at.isoformat(timespec="seconds")}
        lines.append("\t".join("" if values[c] is None else str(values[c]) for c in columns))
    print_lines(lines)
    return EXIT_OK


def add_undo_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = "Undo a batch: its rows stop counting (they are kept, inactive)."
    parser.add_argument("batch_id", type=int, help="the batch id (see `batches`)")
    parser.add_argument(
        "--who",
        help="who undoes (recorded with the batch and in the audit "
        "log; default: the operating-system user)",
    )


def run_undo(args: argparse.Namespace) -> int:
    store = _open_store()
    try:
        batch = service.undo_batch(
            _shell_user(_who(args.who)), args.batch_id, store, note="command line"
        )
    except StoreError as error:
        return _fail(str(error), EXIT_REFUSED)
    finally:
        store.close()
    print(
        f"ยกเลิกชุดที่ {batch.id} ({batch.file_name}, {batch.rows_stored} แถว) แล้ว / "
        f"undid batch {batch.id} ({batch.file_name}, {batch.rows_stored} rows)"
    )
    return EXIT_OK


# -- load-shipped --------------------------------------------------------------------------


def add_load_shipped_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Load data/programmes/*.csv and indicators.csv into the store. Idempotent: files "
        "already loaded are left alone; a changed file replaces its previous batch."
    )
    parser.add_argument("--dir", type=Path, help="folder to load (default data/programmes)")
    parser.add_argument(
        "--force", action="store_true", help="load again files whose batch someone undid"
    )


def run_load_shipped(args: argparse.Namespace) -> int:
    store = _open_store()
    try:
        results = load_shipped(store, args.dir, force=args.force)
    finally:
        store.close()
    if not results:
        print(f"ไม่มีไฟล์ / no files in {args.dir or 'data/programmes'}")
    for result in results:
        print(result.text())
    return EXIT_OK if all(r.ok for r in results) else EXIT_REFUSED


def add_audit_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Print the audit trail (imports, refused imports, undos, sign-ins), "
        "oldest first, as JSON Lines."
    )
    parser.add_argument("--last", type=int, help="only the newest N events")


def run_audit(args: argparse.Namespace) -> int:
    store = _open_store()
    try:
        events = store.audit_events(args.last)
    finally:
        store.close()
    print_lines([event.to_json() for event in events])
    return EXIT_OK


Command = tuple[Callable[[argparse.ArgumentParser], None], Callable[[argparse.Namespace], int]]
COMMANDS: dict[str, Command] = {
    "import": (add_import_arguments, run_import),
    "export": (add_export_arguments, run_export),
    "batches": (add_batches_arguments, run_batches),
    "undo": (add_undo_arguments, run_undo),
    "load_shipped": (add_load_shipped_arguments, run_load_shipped),
    "audit": (add_audit_arguments, run_audit),
}
