"""`open_store(url)`: choose the database, create the engine, migrate to head."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa

from rules.errors import StoreError
from store.migrate import upgrade
from store.store import Store

ENV_VAR = "IRO_DB_URL"


def default_url() -> str:
    """IRO_DB_URL if set, else the SQLite file `iro.sqlite` in the current directory."""
    return os.environ.get(ENV_VAR) or f"sqlite:///{Path.cwd() / 'iro.sqlite'}"


def _normalise(url: str) -> str:
    # psycopg 3 is the installed driver; a bare postgresql:// URL would ask SQLAlchemy for psycopg2.
    for bare in ("postgresql://", "postgres://"):
        if url.startswith(bare):
            return "postgresql+psycopg://" + url[len(bare) :]
    return url


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    # WAL: readers (the sweep) do not block the writer (a worker recording a fact), and vice versa.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def make_engine(url: str, password: Callable[[], str] | None = None) -> sa.Engine:
    """`password`: called for each new connection (an Entra access token for PostgreSQL, which lives about
    an hour: connections are recycled after 45 minutes so none outlives its token)."""
    try:
        options = {"pool_recycle": 2700, "pool_pre_ping": True} if password else {}
        engine = sa.create_engine(_normalise(url), **options)
    except (sa.exc.ArgumentError, ImportError) as exc:
        raise StoreError(f"cannot use the store URL ({exc}); give sqlite:///FILE or postgresql+psycopg://...") from exc
    if engine.dialect.name == "sqlite":
        sa.event.listen(engine, "connect", _sqlite_pragmas)
    if password is not None:
        sa.event.listen(engine, "do_connect", lambda _d, _r, _a, cparams: cparams.update(password=password()))
    return engine


def open_store(url: str | None = None, now: Callable[[], datetime] | None = None,
               password: Callable[[], str] | None = None, *, create: bool = True) -> Store:
    """Open the store at `url` (None: `default_url()`), bringing its schema to Alembic head.

    create=False (commands that only read, or change what is there): a store that does not exist yet is a
    StoreError naming it and nothing is made: no SQLite file, no tables in an empty PostgreSQL database."""
    engine = make_engine(url or default_url(), password)
    where = engine.url.render_as_string(hide_password=True)
    if not create:
        _must_exist(engine, where)
    try:
        upgrade(engine)
    except sa.exc.SQLAlchemyError as exc:
        engine.dispose()
        raise StoreError(f"cannot open the store at {where}: {type(exc).__name__}: {exc.orig or ''}".strip()) from exc
    return Store(engine, now=now)


_NO_STORE = ("load the roster into it first (`iro import-roster ... --db URL`), or give the store's URL with "
             f"--db or {ENV_VAR}")


def _must_exist(engine: sa.Engine, where: str) -> None:
    database = engine.url.database or ""
    if engine.dialect.name == "sqlite" and database not in ("", ":memory:") and not Path(database).is_file():
        engine.dispose()  # never connect: SQLite would create the file
        raise StoreError(f"there is no store at {where} (no such file); {_NO_STORE}")
    try:
        with engine.connect() as conn:
            found = sa.inspect(conn).has_table("alembic_version")
    except sa.exc.SQLAlchemyError as exc:
        engine.dispose()
        raise StoreError(f"cannot open the store at {where}: {type(exc).__name__}: {exc.orig or ''}".strip()) from exc
    if not found:
        engine.dispose()
        raise StoreError(f"there is no store at {where} (the database has no IRO tables); {_NO_STORE}")
