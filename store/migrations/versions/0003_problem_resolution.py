"""problems.resolved_by and problems.resolution_note: who resolved a problem and what they did
(`iro problems resolve ID --note TEXT`; `resolved_at` comes from the app's clock).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("problems") as batch:
        batch.add_column(sa.Column("resolved_by", sa.String(320), nullable=False, server_default=""))
        batch.add_column(sa.Column("resolution_note", sa.Text, nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("problems") as batch:
        batch.drop_column("resolution_note")
        batch.drop_column("resolved_by")
