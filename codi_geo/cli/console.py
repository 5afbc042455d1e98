"""What the commands share on the console: their exit codes, and printing lines that stops
quietly when the reader goes away. Light on purpose (no pandas, no store): ``programmes``
uses it too."""

from __future__ import annotations

import os
import sys

EXIT_OK, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2


def print_lines(lines: list[str]) -> None:
    """Print, quietly stopping if the reader goes away (``... | head``)."""
    try:
        for line in lines:
            print(line)
        sys.stdout.flush()
    except BrokenPipeError:
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - nothing more will be written
