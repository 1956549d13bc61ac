"""The fact store (SQLAlchemy 2 + Alembic): facts, actions, problems, state and the roster.

    from store import open_store
    store = open_store()              # IRO_DB_URL, else ./iro.sqlite; schema brought to head
    store.record(fact)                # False if the fact's key is already there (a no-op)

See docs/store.md. Importing this package imports SQLAlchemy: keep it off the webhook's path.
"""

from __future__ import annotations

from store.open import default_url, open_store
from store.records import ActionRecord, Claim, ProblemRecord
from store.store import Store

__all__ = ["ActionRecord", "Claim", "ProblemRecord", "Store", "default_url", "open_store"]
