"""actions: attempts with a claim token (compare-and-set retakes), effects confirmed, the last error kind.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("actions") as batch:
        batch.add_column(sa.Column("token", sa.String(32), nullable=True))
        batch.add_column(sa.Column("attempt", sa.Integer, nullable=False, server_default="1"))
        batch.add_column(sa.Column("effects", sa.Integer, nullable=False, server_default="0"))
        batch.add_column(sa.Column("in_flight", sa.Integer, nullable=False, server_default="0"))
        batch.add_column(sa.Column("error", sa.String(200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("actions") as batch:
        for column in ("error", "in_flight", "effects", "attempt", "token"):
            batch.drop_column(column)
