"""Command line: ``python -m codi_geo COMMAND``.

The commands and their options are a stable interface used from outside the project.
Each subcommand lives with its module; this file only wires them up.
"""

from __future__ import annotations

import argparse
import importlib
import secrets
import sys
import traceback
from collections.abc import Callable, Sequence
from datetime import datetime

from codi_geo.errors import CodiGeoError
from codi_geo.settings import get_settings

# Each entry: command name -> (module, help). The module provides
# ``add_arguments(parser)`` and ``run(args) -> int`` for that command.
COMMANDS: dict[str, tuple[str, str]] = {
    "boundaries": ("codi_geo.cli.boundary_cache", "build or inspect the boundary cache"),
    "match": ("codi_geo.cli.matching", "match free-text place names in a CSV to DOPA codes"),
    "programmes": ("codi_geo.cli.programmes", "list the declared programmes"),
    "import": ("codi_geo.cli.data:import", "import a results file into the store"),
    "export": ("codi_geo.cli.data:export", "export a programme's stored rows as CSV"),
    "batches": ("codi_geo.cli.data:batches", "list import batches"),
    "undo": ("codi_geo.cli.data:undo", "undo an import batch"),
    "audit": ("codi_geo.cli.data:audit", "print the audit trail as JSON Lines"),
    "load-shipped": ("codi_geo.cli.data:load_shipped", "load the data shipped in data/programmes"),
    "users": ("codi_geo.cli.users", "add or change a user of the internal app's users file"),
    "campaigns": ("codi_geo.cli.campaigns:campaigns", "create or list pin campaign links"),
    "pins": ("codi_geo.cli.campaigns:pins", "anonymise the community pins of closed campaigns"),
}


def _load(target: str) -> tuple[Callable[[argparse.ArgumentParser], None], Callable[..., int]]:
    module_name, _, command = target.partition(":")
    module = importlib.import_module(module_name)
    if command:
        return module.COMMANDS[command]
    return module.add_arguments, module.run


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(prog="python -m codi_geo", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    # Only the chosen command's module is imported: `match` must not pay for geopandas.
    chosen = argv[0] if argv and argv[0] in COMMANDS else None
    runners: dict[str, Callable[..., int]] = {}
    for name, (target, help_text) in COMMANDS.items():
        command_parser = sub.add_parser(name, help=help_text)
        if name == chosen:
            add_arguments, runners[name] = _load(target)
            add_arguments(command_parser)
    args = parser.parse_args(argv)
    try:
        return runners[args.command](args)
    except CodiGeoError as error:
        # Something a person can act on (a bad setting, a damaged boundary cache, a store
        # URL that is not one): the message, not a traceback; 1, since the usage was right.
        print(str(error), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # a fault of ours: a reference to quote, not a traceback
        print(unexpected_fault(error), file=sys.stderr)
        return 1


def unexpected_fault(error: BaseException) -> str:
    """The message for an unexpected fault: a short reference, and where its traceback was
    written (``cli-errors.log`` in the data folder; the reference alone if that file cannot
    be written). Nothing of the traceback reaches the terminal."""
    ref = secrets.token_hex(4)
    where = ""
    try:
        log = get_settings().data_dir / "cli-errors.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("a", encoding="utf-8") as out:
            out.write(
                f"{datetime.now().isoformat(timespec='seconds')} [ref {ref}] "
                f"{' '.join(sys.argv)}\n{''.join(traceback.format_exception(error))}\n"
            )
        where = f" ({log})"
    except Exception:  # no log to write to: the reference alone
        pass
    return f"ข้อผิดพลาดที่ไม่คาดคิด รหัสอ้างอิง {ref}{where} / an unexpected fault, reference {ref}{where}"


if __name__ == "__main__":
    sys.exit(main())
