"""`index.json` beside a local outbox: one row per message (file, to, kind, case_ref, sent_at).

`sent_at` is the app's clock (the demo's simulated one), so a replayed year can be counted per person
per working day. The file stays a valid JSON array after every message: a row is written in place of
the closing bracket, so adding one costs the same at the thousandth message as at the first.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path


class OutboxIndex:
    def __init__(self, folder: Path, now: Callable[[], datetime] | None = None) -> None:
        self.path = Path(folder) / "index.json"
        self.now = now or (lambda: datetime.now(UTC))

    def add(self, file: str, to: str | Sequence[str], kind: str, case_ref: str = "", notice: str = "",
            items: Sequence[str] = (), replaces: bool = False) -> None:
        """`notice`: the policy's notice kind it carries; `items`: the deadlines it lists ("due~CLA-1~clock~
        subject~2025-03-21"; "late~..." for one past its due date); `replaces`: the card as answered, which
        Teams shows in place of the card pressed (Universal Actions), not as a new message."""
        recipients = [to] if isinstance(to, str) else list(to)
        row = json.dumps({"file": file, "to": recipients, "kind": kind or "message", "case_ref": case_ref,
                          "notice": notice or kind, "items": list(items), "sent_at": self.now().isoformat(),
                          **({"replaces": True} if replaces else {})},
                         ensure_ascii=False).encode()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if not self.path.is_file() or self.path.stat().st_size < 3:
            self.path.write_bytes(b"[\n" + row + b"\n]\n")
            return
        with self.path.open("r+b") as out:
            out.seek(-3, 2)  # before "\n]\n"
            out.write(b",\n" + row + b"\n]\n")

    def rows(self) -> list[dict]:
        return json.loads(self.path.read_text(encoding="utf-8")) if self.path.is_file() else []
