"""The app's side of subscription upkeep: graph_clients/graph/upkeep.py decides what to create, renew or
delete (against any Subscriptions port); this module remembers which mailbox each subscription serves
(notifications name the mailbox by id, and a removed subscription is no longer listed) and marks the
mailboxes that lost notifications for a delta catch-up.
"""

from __future__ import annotations

from datetime import datetime

from function_app.services import Services
from graph_clients.graph import upkeep


def want(svc: Services) -> list[tuple[str, str]]:
    drives = svc.drives if svc.drive_subscriptions else ()
    return upkeep.wanted([p.email for p in svc.store.people("iro")], svc.service_mailbox, drives)


def mailboxes(svc: Services) -> list[str]:
    return sorted({m for m in (upkeep.mailbox_of(resource) for resource, _ in want(svc)) if m})


def ensure(svc: Services, now: datetime) -> dict[str, int]:
    assert svc.subscriptions is not None
    report = upkeep.keep_alive(svc.subscriptions, want(svc), now, svc.subscription_lifetime, svc.notification_url)
    _after(svc, report)
    return {"created": len(report.created), "renewed": len(report.renewed), "deleted": len(report.deleted)}


def on_lifecycle(svc: Services, subscription_id: str, event: str) -> list[str]:
    """Renew, recreate or note lost notifications; returns the mailboxes to catch up through delta."""
    assert svc.subscriptions is not None
    report = upkeep.on_lifecycle(svc.subscriptions, event, subscription_id, want(svc), svc.now(),
                                 svc.subscription_lifetime, svc.notification_url)
    _after(svc, report)
    return report.reconcile


def _after(svc: Services, report: upkeep.UpkeepReport) -> None:
    for sub in svc.subscriptions.list():
        svc.store.set_state(f"sub:{sub.id}", upkeep.source_of(sub.resource))
    for mailbox in report.reconcile:
        svc.store.set_state(f"catch-up:{mailbox}", svc.now().isoformat())


def mailbox_of(svc: Services, subscription_id: str) -> str | None:
    return svc.store.get_state(f"sub:{subscription_id}") or None
