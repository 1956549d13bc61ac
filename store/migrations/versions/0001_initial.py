"""Initial schema: fact log, action log, problems, state, roster (children, people, teams).

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer, "sqlite")  # SQLite autoincrements INTEGER PRIMARY KEY only


def upgrade() -> None:
    op.create_table(
        "facts",
        sa.Column("id", _ID, primary_key=True, autoincrement=True),
        sa.Column("key", sa.String(400), nullable=False),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("case_ref", sa.String(64), nullable=False),
        sa.Column("on", sa.Date, nullable=False),
        sa.Column("data", sa.Text, nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("key", name="uq_facts_key"),
    )
    op.create_index("ix_facts_case_on", "facts", ["case_ref", "on", "id"])
    op.create_table(
        "actions",
        sa.Column("key", sa.String(400), primary_key=True),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("case_ref", sa.String(64), nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("result", sa.Text, nullable=True),
    )
    op.create_index("ix_actions_pending", "actions", ["completed_at"])
    op.create_table(
        "problems",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("source", sa.String(400), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("what_to_do", sa.Text, nullable=False),
        sa.Column("case_ref", sa.String(64), nullable=True),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("raised_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_problems_fingerprint", "problems", ["fingerprint"])
    op.create_table(
        "state",
        sa.Column("key", sa.String(400), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    op.create_table(
        "children",
        sa.Column("case_ref", sa.String(64), primary_key=True),
        sa.Column("looked_after_since", sa.Date, nullable=False),
        sa.Column("legal_status", sa.String(32), nullable=False, server_default=""),
        sa.Column("iro", sa.String(320), nullable=False, server_default=""),
        sa.Column("sw", sa.String(320), nullable=False, server_default=""),
        sa.Column("tm", sa.String(320), nullable=False, server_default=""),
        sa.Column("team", sa.String(64), nullable=False, server_default=""),
        sa.Column("case_folder", sa.String(1000), nullable=False, server_default=""),
        sa.Column("in_proceedings", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    op.create_index("ix_children_iro", "children", ["iro"])
    op.create_table(
        "people",
        sa.Column("email", sa.String(320), primary_key=True),
        sa.Column("display_name", sa.String(200), nullable=False, server_default=""),
        sa.Column("role", sa.String(32), nullable=False, server_default=""),
        sa.Column("fte", sa.Float, nullable=False, server_default="1.0"),
    )
    op.create_table(
        "teams",
        sa.Column("team_id", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("tm", sa.String(320), nullable=False, server_default=""),
        sa.Column("hos", sa.String(320), nullable=False, server_default=""),
        sa.Column("link_iro", sa.String(320), nullable=False, server_default=""),
        sa.Column("channel", sa.String(200), nullable=False, server_default=""),
    )


def downgrade() -> None:
    for table in ("teams", "people", "children", "state", "problems", "actions", "facts"):
        op.drop_table(table)
