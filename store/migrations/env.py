"""Alembic environment, driven from code (no alembic.ini): see `store.migrate.upgrade`.

The caller passes an open connection in `config.attributes["connection"]`; migrations run inside
that connection's transaction, so on PostgreSQL an advisory lock taken by the caller keeps two
workers starting at once from migrating twice.
"""

from __future__ import annotations

from alembic import context

from store.schema import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite's ALTER TABLE is limited
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
