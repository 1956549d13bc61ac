"""Application settings from the environment (App Settings in Azure, local.settings.json locally).

Standard library only: the webhook reads `client_states()` on every request.
"""

from __future__ import annotations

import os
from datetime import date

QUEUE = "graph-notifications"           # the worker's queue; Functions moves a message to QUEUE-poison after
POISON_QUEUE = f"{QUEUE}-poison"        # host.json's maxDequeueCount (5) failures
STORAGE = "AzureWebJobsStorage"


def client_states() -> tuple[str, ...]:
    """Accepted clientState secrets: IRO_CLIENT_STATE, comma-separated while one is rotated out."""
    raw = os.environ.get("IRO_CLIENT_STATE", "")
    return tuple(s.strip() for s in raw.split(",") if s.strip())


GO_LIVE = "IRO_ALERTS_FROM"


def go_live() -> date | None:
    """IRO_ALERTS_FROM (YYYY-MM-DD): the day the service went live. Deadlines due before it are history: they are
    neither alerted on nor listed as overdue (`iro due --overdue`), though `iro due` still reports them."""
    raw = os.environ.get(GO_LIVE, "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        from rules.errors import InputError

        raise InputError(f"{GO_LIVE} is not a date", f"set {GO_LIVE} to the go-live day as YYYY-MM-DD") from None
