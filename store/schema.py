"""The store's tables, as SQLAlchemy Core `Table`s (one `MetaData`).

Core rather than the ORM: the hot paths (bulk import, streaming every fact of 84,000 cases for
`iro due` and the daily sweep) move plain rows, and the domain already has its own dataclasses in
`rules.model`. The Alembic migrations in `store/migrations/versions/` create exactly these tables;
`tests/store/test_migrations.py` checks the two agree.

Only references and codes are stored: case references, e-mail addresses of staff, SSDA903 codes.
Never a child's name, date of birth or case notes.
"""

from __future__ import annotations

import sqlalchemy as sa

from store.keys import KEY_WIDTH

metadata = sa.MetaData()

# The append-only fact log. `key` is the idempotency key: recording the same fact twice is a no-op
# (INSERT ... ON CONFLICT DO NOTHING). Rows are never updated or deleted.
facts = sa.Table(
    "facts",
    metadata,
    sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True, autoincrement=True),
    sa.Column("key", sa.String(KEY_WIDTH), nullable=False),
    sa.Column("kind", sa.String(64), nullable=False),
    sa.Column("case_ref", sa.String(64), nullable=False),
    sa.Column("on", sa.Date, nullable=False),
    sa.Column("data", sa.Text, nullable=False),  # JSON text, keys sorted; dates as ISO strings
    sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    sa.UniqueConstraint("key", name="uq_facts_key"),
)
# One ordered scan serves `facts_by_case()`: case, then business date, then arrival order.
sa.Index("ix_facts_case_on", facts.c.case_ref, facts.c.on, facts.c.id)

# Side effects done (documents, cards, e-mails): claimed before acting, completed after
# (function_app/once.py). `token` is the current attempt's claim (NULL: released after a failure, free to
# retake); a retake is an UPDATE guarded by the token and attempt it read (compare-and-set). `effects` counts
# the attempt's external effects confirmed done, `in_flight` names one started whose outcome is unknown.
actions = sa.Table(
    "actions",
    metadata,
    sa.Column("key", sa.String(KEY_WIDTH), primary_key=True),
    sa.Column("kind", sa.String(64), nullable=False),
    sa.Column("case_ref", sa.String(64), nullable=False),
    sa.Column("detail", sa.Text, nullable=False),
    sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("result", sa.Text, nullable=True),
    sa.Column("token", sa.String(32), nullable=True),                                   # migration 0003
    sa.Column("attempt", sa.Integer, nullable=False, server_default="1"),
    sa.Column("effects", sa.Integer, nullable=False, server_default="0"),
    sa.Column("in_flight", sa.Integer, nullable=False, server_default="0"),
    sa.Column("error", sa.String(200), nullable=True),
)
sa.Index("ix_actions_pending", actions.c.completed_at)

# Bad input that a person must see (never swallowed). `fingerprint` folds repeats of the same open
# problem (the same bad row imported twice) into one.
problems = sa.Table(
    "problems",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("source", sa.String(400), nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("what_to_do", sa.Text, nullable=False),
    sa.Column("case_ref", sa.String(64), nullable=True),
    sa.Column("payload", sa.Text, nullable=False),
    sa.Column("fingerprint", sa.String(64), nullable=False),
    sa.Column("raised_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("resolved_by", sa.String(320), nullable=False, server_default=""),  # migration 0003
    sa.Column("resolution_note", sa.Text, nullable=False, server_default=""),     # what was done about it
)
sa.Index("ix_problems_fingerprint", problems.c.fingerprint)

# Small key/value state: Graph delta links, subscription ids.
state = sa.Table(
    "state",
    metadata,
    sa.Column("key", sa.String(KEY_WIDTH), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

# The roster. E-mail addresses are stored lower-case (they are keys).
children = sa.Table(
    "children",
    metadata,
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
sa.Index("ix_children_iro", children.c.iro)

people = sa.Table(
    "people",
    metadata,
    sa.Column("email", sa.String(320), primary_key=True),
    sa.Column("display_name", sa.String(200), nullable=False, server_default=""),
    sa.Column("role", sa.String(32), nullable=False, server_default=""),
    sa.Column("fte", sa.Float, nullable=False, server_default="1.0"),
    sa.Column("phone", sa.String(40), nullable=False, server_default=""),  # migration 0002
)

teams = sa.Table(
    "teams",
    metadata,
    sa.Column("team_id", sa.String(64), primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("tm", sa.String(320), nullable=False, server_default=""),
    sa.Column("hos", sa.String(320), nullable=False, server_default=""),
    sa.Column("link_iro", sa.String(320), nullable=False, server_default=""),
    sa.Column("channel", sa.String(200), nullable=False, server_default=""),
)

# Teams conversation references (migration 0004): captured when the bot is installed for a person or in a
# team, used to post cards proactively (graph_clients/teams/bot_delivery.py). `key` is "person:<upn>" or
# "channel:<Teams channel id>"; ids are Teams' own (no child data). `upn` is lower-case.
conversations = sa.Table(
    "conversations",
    metadata,
    sa.Column("key", sa.String(KEY_WIDTH), primary_key=True),
    sa.Column("upn", sa.String(320), nullable=False, server_default=""),
    sa.Column("user_id", sa.String(400), nullable=False, server_default=""),
    sa.Column("aad_object_id", sa.String(64), nullable=False, server_default=""),
    sa.Column("conversation_id", sa.String(400), nullable=False),
    sa.Column("service_url", sa.String(1000), nullable=False),
    sa.Column("tenant_id", sa.String(64), nullable=False, server_default=""),
    sa.Column("bot_id", sa.String(400), nullable=False, server_default=""),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)
sa.Index("ix_conversations_user_id", conversations.c.user_id)
