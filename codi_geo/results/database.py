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
from codi_geo.settings import VARIABLE_OF, get_settings

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
DEFAULT_SQLITE_NAME = "codi_geo.sqlite"


def database_url(url: str | None = None) -> str:
    """The store URL: ``url``, else ``CODI_GEO_DATABASE_URL``, else the SQLite file under
    the data folder. A bare ``postgresql://`` URL is given the psycopg 3 driver."""
    chosen = url or get_settings().database_url or ""
    if not chosen:
        return f"sqlite:///{get_settings().data_dir / DEFAULT_SQLITE_NAME}"
    return re.sub(r"^postgres(ql)?://", "postgresql+psycopg://", chosen)


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


class DatabaseUrlError(CodiGeoError):
    """A store URL that is not one (a typo in ``CODI_GEO_DATABASE_URL``)."""


def _shown(url: str) -> str:
    """The URL without its password."""
    return re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", url)


def create_engine(url: str) -> sa.Engine:
    try:
        return _create_engine(url)
    except (sa.exc.ArgumentError, sa.exc.NoSuchModuleError, ValueError) as error:
        variable = VARIABLE_OF["database_url"]
        raise DatabaseUrlError(
            f"ที่อยู่ฐานข้อมูล {_shown(url)!r} ไม่ถูกต้อง ตรวจสอบ {variable} "
            f"(เช่น postgresql+psycopg://user:password@host:5432/codi_geo)",
            f"the database URL {_shown(url)!r} is not valid ({type(error).__name__}); check "
            f"{variable} (e.g. postgresql+psycopg://user:password@host:5432/codi_geo)",
        ) from None


def _create_engine(url: str) -> sa.Engine:
    if url.startswith("sqlite"):
        path = sa.engine.make_url(url).database
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(url, connect_args={"timeout": 30})
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        sa.event.listen(engine, "begin", _sqlite_begin)
        return engine
    return sa.create_engine(url, pool_pre_ping=True)


def alembic_config(connection: sa.Connection | None = None) -> Any:
    """The Alembic configuration, built in code (no alembic.ini). To write a new migration:
    ``alembic.command.revision(alembic_config(), "message")``."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def migrate(engine: sa.Engine) -> None:
    """Upgrade the schema to the latest migration (``upgrade head``)."""
    from alembic import command

    with engine.connect() as connection:
        connection = connection.execution_options(codi_geo_write=True)
        with connection.begin():
            command.upgrade(alembic_config(connection), "head")
