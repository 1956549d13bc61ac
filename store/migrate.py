"""Bring a database's schema to Alembic head, from code (no alembic.ini).

`upgrade(engine)` is called by `open_store`. On PostgreSQL it first takes a transaction-scoped
advisory lock, so two workers starting together do not both migrate. The migration scripts are in
`store/migrations/versions/`; create a new one with `python -m store.migrate revision "message"`.

A store already at head is not handed to Alembic (importing it costs a third of a second, on every cold
start of every function): `heads()` reads the scripts' `revision` / `down_revision` lines, and only when the
database's `alembic_version` is not exactly those heads does Alembic run (inside the same lock).
"""

from __future__ import annotations

import re
import sys
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_LOCK_ID = 0x1A0_5701E  # any fixed 64-bit number: "the IRO store migrates"


def alembic_config(connection: sa.Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def upgrade(engine: sa.Engine, revision: str = "head") -> None:
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(sa.text("SELECT pg_advisory_xact_lock(:id)"), {"id": _LOCK_ID})
        if revision == "head" and current(connection) == heads():
            return
        from alembic import command

        command.upgrade(alembic_config(connection), revision)


def downgrade(engine: sa.Engine, revision: str) -> None:
    from alembic import command

    with engine.begin() as connection:
        command.downgrade(alembic_config(connection), revision)


_LINE = re.compile(r"^(revision|down_revision)\s*(?::[^=]*)?=\s*(.+)$", re.M)


@cache
def heads() -> frozenset[str]:
    """The revisions no script names as its down_revision (what Alembic calls head)."""
    revisions, downs = set(), set()
    for script in (MIGRATIONS / "versions").glob("*.py"):
        for name, value in _LINE.findall(script.read_text(encoding="utf-8")):
            found = set(re.findall(r"[\"']([^\"']+)[\"']", value))
            (revisions if name == "revision" else downs).update(found)
    return frozenset(revisions - downs)


def current(connection: sa.Connection) -> frozenset[str]:
    """The revisions the database is at (none when it has no alembic_version table yet)."""
    if not sa.inspect(connection).has_table("alembic_version"):
        return frozenset()
    return frozenset(r for (r,) in connection.execute(sa.text("SELECT version_num FROM alembic_version")))


def main(argv: list[str]) -> None:
    """`python -m store.migrate revision "message"`: write a new, empty migration script."""
    from alembic import command

    if len(argv) != 2 or argv[0] != "revision":
        sys.exit('usage: python -m store.migrate revision "what changes"')
    command.revision(alembic_config(), message=argv[1])


if __name__ == "__main__":
    main(sys.argv[1:])
