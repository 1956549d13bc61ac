"""conversations: Teams conversation references for the bot's proactive cards (graph_clients/teams/bot_delivery.py).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "conversations",
        sa.Column("key", sa.String(400), primary_key=True),
        sa.Column("upn", sa.String(320), nullable=False, server_default=""),
        sa.Column("user_id", sa.String(400), nullable=False, server_default=""),
        sa.Column("aad_object_id", sa.String(64), nullable=False, server_default=""),
        sa.Column("conversation_id", sa.String(400), nullable=False),
        sa.Column("service_url", sa.String(1000), nullable=False),
        sa.Column("tenant_id", sa.String(64), nullable=False, server_default=""),
        sa.Column("bot_id", sa.String(400), nullable=False, server_default=""),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_conversations_user_id", "conversations", ["user_id"])


def downgrade() -> None:
    op.drop_index("ix_conversations_user_id", "conversations")
    op.drop_table("conversations")
