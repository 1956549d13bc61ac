"""Exactly-once side effects: claim the action's key in the store, act, mark it done.

A claim left incomplete for longer than LEASE is an attempt that crashed between recording and acting:
the next delivery of the same message (or the sweep) performs it then. Documents are saved with replace
semantics and meetings carry a transaction id, so even that retry does not double them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any

from function_app.services import Services

LEASE = timedelta(minutes=2)
log = logging.getLogger("iro.actions")


def once(svc: Services, key: str, kind: str, case_ref: str, do: Callable[[], Mapping[str, Any] | None],
         detail: Mapping[str, Any] | None = None) -> bool:
    """Run `do` unless the action `key` is already done (or in progress elsewhere); True if it ran."""
    if key in svc.done_actions:  # done stays done: no need to ask the store again in this process
        return False
    claim = {**(detail or {}), "claimed_at": svc.now().isoformat()}  # the app's clock, not the database's
    if not svc.store.claim_action(key, kind, case_ref, claim):
        record = svc.store.action(key)
        if record is not None and record.done:
            svc.done_actions.add(key)
            return False
        if record is None or not _abandoned(svc, record.detail.get("claimed_at")):
            return False
        log.warning("retrying an interrupted action %s for case %s", kind, case_ref)
    result = do() or {}
    svc.store.complete_action(key, dict(result))
    svc.done_actions.add(key)
    return True


def _abandoned(svc: Services, claimed_at: str | None) -> bool:
    if not claimed_at:
        return True
    return svc.now() - datetime.fromisoformat(claimed_at) > LEASE
