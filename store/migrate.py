"""Bring a database's schema to Alembic head, from code (no alembic.ini).

`upgrade(engine)` is called by `open_store`. On PostgreSQL it first takes a transaction-scoped
advisory lock, so two workers starting together do not both migrate. The migration scripts are in
`store/migrations/versions/`; create a new one with `python -m store.migrate revision "message"`.
"""

from __future__ import annotations

import sys
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_LOCK_ID = 0x1A0_5701E  # any fixed 64-bit number: "the IRO store migrates"


def alembic_config(connection: sa.Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def upgrade(engine: sa.Engine, revision: str = "head") -> None:
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(sa.text("SELECT pg_advisory_xact_lock(:id)"), {"id": _LOCK_ID})
        command.upgrade(alembic_config(connection), revision)


def downgrade(engine: sa.Engine, revision: str) -> None:
    with engine.begin() as connection:
        command.downgrade(alembic_config(connection), revision)


def main(argv: list[str]) -> None:
    """`python -m store.migrate revision "message"`: write a new, empty migration script."""
    if len(argv) != 2 or argv[0] != "revision":
        sys.exit('usage: python -m store.migrate revision "what changes"')
    command.revision(alembic_config(), message=argv[1])


if __name__ == "__main__":
    main(sys.argv[1:])
