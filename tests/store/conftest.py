"""The `store` fixture: every store test runs on SQLite (a temp file) and on PostgreSQL.

PostgreSQL tests use the machine's database `test` but work in their own schema (a fresh one per
test, named with this session's id), so engineers running tests at once do not see each other's
rows; each schema is dropped afterwards.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from store import Store, open_store
from tests.support.requires import need_postgres

SESSION = uuid.uuid4().hex[:8]


class FixedClock:
    """A fake clock for bookkeeping timestamps: starts at a fixed instant, moves on 1 s per call."""

    def __init__(self) -> None:
        self.now = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


def _pg_admin(url: str):
    import psycopg

    return psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True)


@pytest.fixture
def pg_url(request) -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a brand-new schema, dropped after the test."""
    base = need_postgres()
    schema = f"t_store_{SESSION}_{uuid.uuid4().hex[:8]}"
    with _pg_admin(base) as admin:
        admin.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield f"{base}?options=-csearch_path%3D{schema}"
    finally:
        with _pg_admin(base) as admin:
            admin.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.sqlite'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def store(store_url) -> Iterator[Store]:
    opened = open_store(store_url, now=FixedClock())
    yield opened
    opened.close()
