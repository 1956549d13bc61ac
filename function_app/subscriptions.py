"""Keeps a Graph subscription on every IRO's calendar and inbox and on the service mailbox's inbox.

Outlook subscriptions live at most 10,080 minutes (7 days); we ask for a little less and renew at
half-life, so one failed renewal run still leaves days to spare. After `subscriptionRemoved` the
subscription is created again and the mailbox is marked for a delta catch-up (notifications were lost).
What each subscription is for is kept in the store (`sub:<id>`), so a notification's mailbox is known.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta

from function_app.services import Services

LIFETIME = timedelta(minutes=10_000)          # under Outlook's 10,080-minute maximum
log = logging.getLogger("iro.subscriptions")


def wanted(svc: Services) -> list[tuple[str, str, str]]:
    """(resource, changeType, mailbox) for every subscription the service needs."""
    out = []
    for iro in svc.store.people("iro"):
        out.append((f"users/{iro.email}/events", "created,updated,deleted", iro.email))
        out.append((f"users/{iro.email}/mailFolders('inbox')/messages", "created", iro.email))
    out.append((f"users/{svc.service_mailbox}/mailFolders('inbox')/messages", "created", svc.service_mailbox))
    return out


def ensure(svc: Services, now: datetime) -> dict[str, int]:
    """Create what is missing, renew what is past half-life; returns counts for the log and the bench."""
    assert svc.subscriptions is not None
    existing = {s.resource.lower(): s for s in svc.subscriptions.list()}
    created = renewed = 0
    for resource, change_type, mailbox in wanted(svc):
        sub = existing.get(resource.lower())
        if sub is None:
            _remember(svc, svc.subscriptions.create(resource, change_type, now + LIFETIME).id, resource,
                      change_type, mailbox)
            created += 1
        elif sub.expires - now < LIFETIME / 2:
            svc.subscriptions.renew(sub.id, now + LIFETIME)
            _remember(svc, sub.id, resource, change_type, mailbox)
            renewed += 1
    log.info("subscriptions: %d created, %d renewed", created, renewed)
    return {"created": created, "renewed": renewed}


def _remember(svc: Services, sid: str, resource: str, change_type: str, mailbox: str) -> None:
    svc.store.set_state(f"sub:{sid}", json.dumps({"resource": resource, "change_type": change_type,
                                                   "mailbox": mailbox}))


def about(svc: Services, sid: str) -> dict | None:
    raw = svc.store.get_state(f"sub:{sid}")
    return json.loads(raw) if raw else None


def mailbox_of(svc: Services, sid: str) -> str | None:
    info = about(svc, sid)
    return info["mailbox"] if info else None


def renew_one(svc: Services, sid: str) -> None:
    assert svc.subscriptions is not None
    svc.subscriptions.renew(sid, svc.now() + LIFETIME)


def recreate(svc: Services, sid: str) -> str | None:
    """subscriptionRemoved: the same resource again, under a new id. Unknown ids are left to `ensure`."""
    assert svc.subscriptions is not None
    info = about(svc, sid)
    if info is None:
        ensure(svc, svc.now())
        return None
    new = svc.subscriptions.create(info["resource"], info["change_type"], svc.now() + LIFETIME)
    _remember(svc, new.id, info["resource"], info["change_type"], info["mailbox"])
    return new.id


def mark_for_catch_up(svc: Services, sid: str) -> None:
    mailbox = mailbox_of(svc, sid)
    if mailbox:
        svc.store.set_state(f"catch-up:{mailbox}", svc.now().isoformat())
