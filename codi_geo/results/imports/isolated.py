"""Reading an uploaded file in a separate process with a memory cap and a time limit, so one
hostile or huge file cannot starve the app's other users (the Data page imports this way).

The reader itself stays within ``limits``; this is the second wall. The child is started
fresh (``spawn``: no copy of the server's threads or memory), caps its own address space at
what it uses after its imports plus ``CODI_GEO_IMPORT_MEMORY_MB``, reads, and sends back the
``RawTable`` or the problem. A child that runs out of memory or time is ended and the file
refused with a message naming the limit; parsing never holds the server's interpreter lock.
"""

from __future__ import annotations

import logging
import os
import pickle
import resource
import secrets
import subprocess
import sys
import traceback
from typing import Any

from codi_geo.programmes import get_programme
from codi_geo.results.imports.problems import ImportFileError
from codi_geo.results.imports.readers import RawTable, read_table
from codi_geo.settings import PROJECT_DIR, get_settings

TIMEOUT_SECONDS = 120
log = logging.getLogger("codi_geo")


def _address_space_bytes() -> int:
    """This process's virtual memory size now (Linux ``/proc``)."""
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[0])
    return pages * resource.getpagesize()


def _child() -> None:
    """The child's side: the job from stdin, the answer to stdout (both pickled)."""
    data, filename, sheet, programme_id, memory_bytes = pickle.load(sys.stdin.buffer)
    programme = get_programme(programme_id) if programme_id else None
    import openpyxl  # noqa: F401 - loaded before the cap: the cap is for the file's work

    limit = _address_space_bytes() + memory_bytes
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    message: tuple[Any, ...]
    try:
        message = ("ok", read_table(data, filename, sheet, programme))
    except ImportFileError as error:
        message = ("error", error.kind, error.th, error.en)
    except MemoryError:
        message = ("memory",)
    except Exception:  # a reader fault not yet known: logged by the parent, not shown
        message = ("failed", traceback.format_exc(limit=-8))
    del data
    try:
        pickle.dump(message, sys.stdout.buffer, protocol=pickle.HIGHEST_PROTOCOL)
    except MemoryError:
        pickle.dump(("memory",), sys.stdout.buffer)
    sys.stdout.buffer.flush()


def read_table_isolated(
    data: bytes,
    filename: str,
    sheet: str | None = None,
    programme_id: str | None = None,
    *,
    memory_mb: int | None = None,
    timeout: float = TIMEOUT_SECONDS,
) -> RawTable:
    """``read_table`` in a child process with a memory cap (``CODI_GEO_IMPORT_MEMORY_MB``
    unless given) and a time limit. Raises ``ImportFileError`` as ``read_table`` does, and
    for a file that needs more memory or time.

    A plain ``python -m`` child rather than ``multiprocessing``: it does not depend on how
    the server's own main module was started, and shares nothing with the server."""
    mb = memory_mb if memory_mb is not None else get_settings().import_memory_mb
    job = pickle.dumps(
        (data, filename, sheet, programme_id, mb * 2**20), protocol=pickle.HIGHEST_PROTOCOL
    )
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(PROJECT_DIR), env.get("PYTHONPATH")) if p)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "codi_geo.results.imports.isolated"],
            input=job,
            capture_output=True,
            timeout=timeout,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise ImportFileError("too_slow", file=filename, seconds=int(timeout)) from None
    message: tuple[Any, ...]
    try:
        message = pickle.loads(done.stdout)
    except Exception:
        # No answer: the kernel ended the child, or the cap stopped even the reply.
        if b"MemoryError" in done.stderr or done.returncode < 0:
            message = ("memory",)
        else:
            tail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-20:]
            message = ("failed", "\n".join(tail) or f"exit status {done.returncode}")
    if message[0] == "ok":
        table: RawTable = message[1]
        return table
    if message[0] == "error":
        raise ImportFileError.from_text(message[1], message[2], message[3])
    if message[0] == "memory":
        raise ImportFileError("too_much_memory", file=filename, mb=mb)
    # The detail names the library and the server's paths: it goes to the log, under a
    # reference the user can quote.
    ref = secrets.token_hex(4)
    log.error("reading %r failed [ref %s]:\n%s", filename, ref, message[1])
    raise ImportFileError("reader_failed", file=filename, ref=ref)


if __name__ == "__main__":
    _child()
