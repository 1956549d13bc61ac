"""Persisting delta links between reconciliation runs, and one delta round that uses them.

The link is the only state a delta needs: keep it per (kind, mailbox). FileDeltaLinks writes a small
JSON file atomically (the embedded default); anything with get/put (e.g. the fact store) will do.
A link Graph no longer accepts (410 SyncStateNotFound -> NotFound) restarts from scratch.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
from pathlib import Path
from typing import Protocol

from graph_clients.ports import DeltaResult, DeltaSource
from rules.errors import NotFound


class DeltaLinks(Protocol):
    def get(self, kind: str, mailbox: str) -> str | None: ...
    def put(self, kind: str, mailbox: str, link: str) -> None: ...


class FileDeltaLinks:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()

    def _read(self) -> dict[str, str]:
        try:
            return json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}

    def get(self, kind: str, mailbox: str) -> str | None:
        with self._lock:
            return self._read().get(f"{kind}:{mailbox.lower()}")

    def put(self, kind: str, mailbox: str, link: str) -> None:
        with self._lock:
            data = self._read()
            data[f"{kind}:{mailbox.lower()}"] = link
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".delta-")
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(data, out, indent=1, sort_keys=True)
            os.replace(tmp, self.path)


def sync(source: DeltaSource, kind: str, mailbox: str, links: DeltaLinks) -> DeltaResult:
    """Changes since the stored link (everything on the first run); stores the new link afterwards,
    so a crash mid-way repeats the round rather than losing it (handlers are idempotent)."""
    result = delta_or_restart(source, mailbox, links.get(kind, mailbox))
    links.put(kind, mailbox, result.delta_link)
    return result


def delta_or_restart(source: DeltaSource, mailbox: str, link: str | None) -> DeltaResult:
    """source.delta, starting again from scratch when Graph no longer knows `link` (410 -> NotFound)."""
    try:
        return source.delta(mailbox, link)
    except NotFound:
        if link is None:
            raise
        return source.delta(mailbox, None)
