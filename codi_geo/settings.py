"""One settings object for every ``CODI_GEO_*`` environment variable.

``get_settings()`` reads the environment when first asked and keeps the answer for the
process; ``clear()`` forgets it (tests that change the environment call it). Each option is
declared once in ``OPTIONS`` with its variable, default and meaning: the README's
configuration table is checked against it. Fixed project paths are plain constants here.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from codi_geo.errors import SettingsError

PROJECT_DIR = Path(__file__).resolve().parent.parent
PROGRAMME_DATA_DIR = PROJECT_DIR / "data" / "programmes"
REGIONS_CSV = PROJECT_DIR / "data" / "codi_regions.csv"
MODES = ("internal", "public")


@dataclass(frozen=True)
class Option:
    variable: str
    attribute: str
    default: str  # as the README states it
    doc: str


OPTIONS: tuple[Option, ...] = (
    Option(
        "CODI_GEO_BOUNDARY_SOURCE",
        "boundary_source",
        "the OCHA download",
        "boundary archive (path or URL) for `boundaries build`",
    ),
    Option(
        "CODI_GEO_DATABASE_URL",
        "database_url",
        "SQLite file `data/codi_geo.sqlite`",
        "the results store",
    ),
    Option("CODI_GEO_DATA_DIR", "data_dir", "`data/`", "where the store and downloads live"),
    Option("CODI_GEO_BOUNDARY_DIR", "boundary_dir", "`data/boundaries/`", "the boundary cache"),
    Option("CODI_GEO_MODE", "mode", "`internal`", "`public` serves the read-only public pages"),
    Option(
        "CODI_GEO_USERS_FILE",
        "users_file",
        "`data/users.toml`",
        "users, roles, CODI regions and password hashes",
    ),
    # Sign-in: sessions and the developer shortcut.
    Option(
        "CODI_GEO_SESSION_SECRET",
        "session_secret",
        "a random secret generated once in `data/session_secret` (mode 0600)",
        "the key that sign-in sessions are stored under; the same on every replica",
    ),
    Option(
        "CODI_GEO_DEV_ADMIN",
        "dev_admin",
        "off",
        "`1`: open as admin without sign-in, only when the server listens on 127.0.0.1",
    ),
    Option(
        "CODI_GEO_THAI_FONT", "thai_font", "first installed Thai font", "font for briefing images"
    ),
    # Imports:
    Option(
        "CODI_GEO_IMPORT_MEMORY_MB",
        "import_memory_mb",
        "`1024`",
        "memory an uploaded file may take to read (the Data page reads it in a separate "
        "process capped at this)",
    ),
    Option(
        "CODI_GEO_NEAR_TAMBON_METRES",
        "near_tambon_metres",
        "`1000`",
        "a point outside every tambon but this close to one is placed in it, with a "
        "warning (a pin just off the simplified coastline); `0` refuses it",
    ),
    Option(
        "CODI_GEO_SMALL_COUNT_THRESHOLD",
        "small_count_threshold",
        "`3`",
        "public pages hide a tambon's count of a sensitive pin kind (vulnerable "
        "households) below this",
    ),
    Option(
        "CODI_GEO_PIN_RETENTION_DAYS",
        "pin_retention_days",
        "`90`",
        "days after a campaign ends before `pins anonymise` keeps only tambon counts of its pins",
    ),
    Option(
        "CODI_GEO_PIN_RATE_PER_MINUTE",
        "pin_rate_per_minute",
        "`20`",
        "community pins one address may send in a minute (raise it when a whole village "
        "shares one mobile carrier address)",
    ),
)
VARIABLE_OF: dict[str, str] = {o.attribute: o.variable for o in OPTIONS}


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    boundary_dir: Path
    boundary_source: str | None
    database_url: str | None
    mode: str
    users_file: Path
    thai_font: str | None
    session_secret: str | None
    dev_admin: bool
    import_memory_mb: int = 1024
    near_tambon_metres: float = 1000.0
    small_count_threshold: int = 3
    pin_retention_days: int = 90
    pin_rate_per_minute: int = 20

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ

        def get(attribute: str) -> str | None:
            value = (env.get(VARIABLE_OF[attribute]) or "").strip()
            return value or None

        data_dir = Path(get("data_dir") or PROJECT_DIR / "data")
        mode = (get("mode") or "internal").lower()
        if mode not in MODES:
            variable = VARIABLE_OF["mode"]
            raise SettingsError(
                f"{variable}={mode!r} ไม่ถูกต้อง ใช้ public หรือ internal",
                f"{variable} must be 'public' or 'internal', not {mode!r}",
            )
        return cls(
            data_dir=data_dir,
            boundary_dir=Path(get("boundary_dir") or data_dir / "boundaries"),
            boundary_source=get("boundary_source"),
            database_url=get("database_url"),
            mode=mode,
            users_file=Path(get("users_file") or data_dir / "users.toml"),
            thai_font=get("thai_font"),
            import_memory_mb=int(_number(get, "import_memory_mb", 1024, minimum=64)),
            near_tambon_metres=_number(get, "near_tambon_metres", 1000.0, minimum=0),
            small_count_threshold=int(_number(get, "small_count_threshold", 3, minimum=1)),
            pin_retention_days=int(_number(get, "pin_retention_days", 90, minimum=0)),
            pin_rate_per_minute=int(_number(get, "pin_rate_per_minute", 20, minimum=1)),
            session_secret=get("session_secret"),
            dev_admin=(get("dev_admin") or "").lower() in ("1", "true", "yes", "on"),
        )


def _number(
    get: Callable[[str], str | None], attribute: str, default: float, *, minimum: float
) -> float:
    text = get(attribute)
    if text is None:
        return default
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not value >= minimum:  # also NaN
        variable = VARIABLE_OF[attribute]
        raise SettingsError(
            f"{variable}={text!r} ไม่ถูกต้อง ต้องเป็นตัวเลขตั้งแต่ {minimum:g} ขึ้นไป",
            f"{variable} must be a number of at least {minimum:g}, not {text!r}",
        )
    return value


_current: Settings | None = None
_listeners: list[Callable[[], None]] = []


def get_settings() -> Settings:
    """The settings of this process, read from the environment on first use."""
    global _current
    if _current is None:
        _current = Settings.from_env()
    return _current


def clear() -> None:
    """Forget the settings (and the caches that depend on them): the next
    ``get_settings()`` reads the environment again."""
    global _current
    _current = None
    for listener in _listeners:
        listener()


def on_clear(listener: Callable[[], None]) -> Callable[[], None]:
    """Register a cache-clearing function to run on ``clear()`` (returns it, as a decorator)."""
    _listeners.append(listener)
    return listener
