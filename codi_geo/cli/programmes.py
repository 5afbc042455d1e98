"""``python -m codi_geo programmes``: the declared programmes, one line each (id, Thai name,
spatial level, tab-separated). A module of its own, without the store: listing them stays
light (no pandas or SQLAlchemy to load)."""

from __future__ import annotations

import argparse

from codi_geo.cli.console import EXIT_OK, print_lines
from codi_geo.programmes import PROGRAMMES


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = "One line per programme: id, Thai name, spatial level (tab-separated)."


def run(args: argparse.Namespace) -> int:
    print_lines([f"{p.id}\t{p.name.th}\t{p.level}" for p in PROGRAMMES])
    return EXIT_OK
