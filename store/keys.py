"""Keys of bounded length: the one rule for every key the store keeps (facts, actions, state, conversations).

A key is made from ids Graph and Teams give us (event ids, message ids, drive item ids) and our own words;
Graph's ids have no documented maximum, and the key columns are VARCHAR(KEY_WIDTH) (PostgreSQL refuses a
longer value, which would poison the message). A longer key keeps a readable prefix and a SHA-256 of the
whole, so two long keys that differ anywhere stay different and the same long key always maps the same.
"""

from __future__ import annotations

import hashlib

KEY_WIDTH = 400   # the key columns' width (store/schema.py)
_HASH = 64        # hex digits of SHA-256
_MARK = "#sha256:"


def bounded_key(key: str, width: int = KEY_WIDTH) -> str:
    """`key` itself when it fits in `width` characters, else its prefix, "#sha256:" and the whole key's hash."""
    if len(key) <= width:
        return key
    return f"{key[:width - _HASH - len(_MARK)]}{_MARK}{hashlib.sha256(key.encode()).hexdigest()}"
