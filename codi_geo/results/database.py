"""Which database the store lives in, its engine, and its schema brought up to date.

An embedded SQLite file (``data/codi_geo.sqlite``) unless ``CODI_GEO_DATABASE_URL`` names a
PostgreSQL server; the schema is owned by the Alembic migrations in
``codi_geo/results/migrations``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from codi_geo.errors import CodiGeoError
from codi_geo.settings import get_settings

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
DEFAULT_SQLITE_NAME = "codi_geo.sqlite"


def database_url(url: str | None = None) -> str:
    """The store URL: ``url``, else ``CODI_GEO_DATABASE_URL``, else the SQLite file under
    the data folder. A bare ``postgresql://`` URL is given the psycopg 3 driver."""
    chosen = url or get_settings().database_url or ""
    if not chosen:
        return f"sqlite:///{get_settings().data_dir / DEFAULT_SQLITE_NAME}"
    return re.sub(r"^postgres(ql)?://", "postgresql+psycopg://", chosen)


class DatabaseError(CodiGeoError):
    """The database cannot be reached or used (a stopped server, a wrong URL, a full disk).
    Says what and where, never the password; the next page view tries again."""


def _where(url: sa.URL) -> str:
    """Where a database is, for a person: the SQLite file, or host:port/name (no password)."""
    if url.get_backend_name() == "sqlite":
        return url.database or ":memory:"
    return f"{url.host or 'localhost'}:{url.port or 5432}/{url.database or ''}"


def _first_line(error: BaseException) -> str:
    text = str(getattr(error, "orig", None) or error).strip()
    return text.splitlines()[0][:300] if text else type(error).__name__


# SQLite says "database or disk is full"; PostgreSQL's class 53 is "insufficient resources"
# (53100 disk_full, 53200 out_of_memory).
_FULL_MARKERS = ("database or disk is full", "no space left on device", "could not extend file")


def database_error(error: BaseException, url: sa.URL) -> DatabaseError:
    """The error a person sees for a database failure: what happened and where."""
    where = _where(url)
    detail = _first_line(error)
    sqlstate = getattr(getattr(error, "orig", None), "sqlstate", None) or ""
    if sqlstate.startswith("53") or any(m in detail.casefold() for m in _FULL_MARKERS):
        return DatabaseError(
            f"พื้นที่เก็บข้อมูลของฐานข้อมูลเต็ม ({where}) ไม่ได้บันทึกอะไร เพิ่มพื้นที่ดิสก์แล้วลองใหม่ ({detail})",
            f"the database's storage is full ({where}); nothing was stored. Free some disk "
            f"space and try again ({detail})",
        )
    return DatabaseError(
        f"เชื่อมต่อฐานข้อมูลไม่ได้ ({where}) ตรวจว่าเซิร์ฟเวอร์ฐานข้อมูลทำงานอยู่และ "
        f"CODI_GEO_DATABASE_URL ถูกต้อง แล้วลองใหม่ ({detail})",
        f"cannot use the database ({where}): check that the database server is running and "
        f"CODI_GEO_DATABASE_URL is right, then try again ({detail})",
    )


def _translate_error(context: Any) -> BaseException | None:
    # Connection failures (a stopped server, a refused login, a full disk) become one clear
    # DatabaseError. Constraint violations and SQL mistakes stay SQLAlchemy's: callers handle
    # them. The pre-ping's own failure is left alone so the pool can reconnect.
    if context.is_pre_ping:
        return None
    error = context.sqlalchemy_exception
    connecting = context.connection is None
    if (
        connecting
        or context.is_disconnect
        or isinstance(error, (sa.exc.OperationalError, sa.exc.InterfaceError))
    ):
        return database_error(error or context.original_exception, context.engine.url)
    return None


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy (not the sqlite3 module) decide when transactions begin, so DDL and
    # reads are inside them too; WAL lets app readers go on while an import writes.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA busy_timeout = 30000")
    cursor.close()


def _sqlite_begin(connection: sa.Connection) -> None:
    # A writer takes the write lock at BEGIN, so its checks and its inserts see one state.
    if connection.get_execution_options().get("codi_geo_write"):
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        connection.exec_driver_sql("BEGIN")


def _bad_url(url: str, reason: str) -> DatabaseError:
    shown = re.sub(r"://([^:/@]*):[^@]*@", r"://\1:***@", url)  # never echo a password
    return DatabaseError(
        f"CODI_GEO_DATABASE_URL ใช้ไม่ได้: {shown} ({reason}) ตัวอย่างที่ถูกต้อง: "
        f"sqlite:////path/to/codi_geo.sqlite หรือ postgresql+psycopg://user:pass@host:5432/name",
        f"CODI_GEO_DATABASE_URL cannot be used: {shown} ({reason}); for example "
        f"sqlite:////path/to/codi_geo.sqlite or postgresql+psycopg://user:pass@host:5432/name",
    )


def _check_sqlite_folder(path: str) -> None:
    """The default store's folder (the data folder) is ours to create; a folder named in a
    URL is not: a typo there must be an error, not a new empty store somewhere else."""
    folder = Path(path).parent
    if folder.is_dir():
        return
    if folder.resolve() == get_settings().data_dir.resolve():
        folder.mkdir(parents=True, exist_ok=True)
        return
    raise DatabaseError(
        f"ไม่มีโฟลเดอร์ {folder} สำหรับไฟล์ฐานข้อมูล SQLite {path} สร้างโฟลเดอร์ก่อน "
        f"หรือแก้ CODI_GEO_DATABASE_URL",
        f"the folder {folder} of the SQLite database {path} does not exist: create it "
        f"or correct CODI_GEO_DATABASE_URL",
    )


def create_engine(url: str) -> sa.Engine:
    """An engine for ``url``; ``DatabaseError`` for a URL that cannot be used. Failures to
    reach the database later raise ``DatabaseError`` too (see ``_translate_error``)."""
    try:
        parsed = sa.engine.make_url(url)
    except (sa.exc.ArgumentError, ValueError):  # ValueError: a port that is not a number
        raise _bad_url(url, "not a database URL") from None
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            _check_sqlite_folder(parsed.database)
        engine = sa.create_engine(parsed, connect_args={"timeout": 30})
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        sa.event.listen(engine, "begin", _sqlite_begin)
    elif parsed.get_backend_name() == "postgresql":
        try:
            # pre-ping: a connection the server dropped (a restart) is replaced on the next
            # checkout, so the app recovers by itself on the next page view.
            engine = sa.create_engine(parsed, pool_pre_ping=True)
        except (sa.exc.ArgumentError, sa.exc.NoSuchModuleError, ImportError) as error:
            raise _bad_url(url, str(error).splitlines()[0]) from None
    else:
        raise _bad_url(url, "only sqlite and postgresql are supported")
    sa.event.listen(engine, "handle_error", _translate_error)
    return engine


def alembic_config(connection: sa.Connection | None = None) -> Any:
    """The Alembic configuration, built in code (no alembic.ini). To write a new migration:
    ``alembic.command.revision(alembic_config(), "message")``."""
    # alembic (0.8 s: mako, pygments) is loaded when a store is opened, not with this module:
    # the import reader's child process (``imports.isolated``) loads it and never migrates
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def migrate(engine: sa.Engine) -> None:
    """Upgrade the schema to the latest migration (``upgrade head``)."""
    from alembic import command  # when needed, as in ``alembic_config``

    with engine.connect() as connection:
        connection = connection.execution_options(codi_geo_write=True)
        with connection.begin():
            command.upgrade(alembic_config(connection), "head")
