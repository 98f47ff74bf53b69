"""Database plumbing: SQLite connection settings and column types shared by the models."""

import sqlite3
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import DateTime, event, inspect
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.types import TypeDecorator

SQLITE_BUSY_TIMEOUT_MS = 30_000
# The hub's time zone: timestamps are stored in UTC and shown, dated and reported in it.
HUB_TIME_ZONE_NAME = "America/Toronto"
HUB_TIME_ZONE = ZoneInfo(HUB_TIME_ZONE_NAME)


@event.listens_for(Engine, "connect")
def _configure_sqlite(dbapi_connection, _record) -> None:
    """Open every SQLite connection with WAL, a busy timeout and foreign keys enforced.

    The driver's own transaction handling (BEGIN at the first write) is kept: it lost no
    request to "database is locked" under concurrent writers, unlike a deferred BEGIN.
    """
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


def engine_options(uri: str) -> dict:
    """Return engine options suited to the database the URI names."""
    if uri.startswith("sqlite"):
        return {"connect_args": {"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}}
    return {"pool_pre_ping": True}


def not_initialised(error: BaseException, engine: Engine) -> bool:
    """Say whether a database error comes from a database `caseflow init-db` never set up."""
    return isinstance(error, DBAPIError) and not_initialised_database(engine)


def not_initialised_database(engine: Engine) -> bool:
    """Say whether `caseflow init-db` has yet to create the tables of this database."""
    try:
        return not inspect(engine).has_table("alembic_version")
    except DBAPIError:
        return False  # unreachable is another problem, answered where it happens


def utcnow() -> datetime:
    """Return the current time, aware, in UTC."""
    return datetime.now(UTC)


def hub_today() -> date:
    """Return today's date where the hub is (a server on UTC is a day ahead every evening)."""
    return utcnow().astimezone(HUB_TIME_ZONE).date()


class UTCDateTime(TypeDecorator):
    """A timestamp stored in UTC and always read back as an aware datetime."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime refused: give a timezone-aware value")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)
