"""Application settings from the environment (App Settings in Azure, local.settings.json locally).

Standard library only: the webhook reads `client_states()` on every request.
"""

from __future__ import annotations

import os

QUEUE = "graph-notifications"           # the worker's queue; Functions moves a message to QUEUE-poison after
POISON_QUEUE = f"{QUEUE}-poison"        # host.json's maxDequeueCount (5) failures
STORAGE = "AzureWebJobsStorage"


def client_states() -> tuple[str, ...]:
    """Accepted clientState secrets: IRO_CLIENT_STATE, comma-separated while one is rotated out."""
    raw = os.environ.get("IRO_CLIENT_STATE", "")
    return tuple(s.strip() for s in raw.split(",") if s.strip())
