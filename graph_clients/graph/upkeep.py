"""Keeping change-notification subscriptions alive, against any ports.Subscriptions (no msgraph here).

- Wanted: for each IRO, their calendar events (created, updated, deleted) and inbox messages
  (created); the service mailbox's inbox (created); the root of each case-folder library (drive),
  changeType updated, the only one a drive root accepts (issue 13).
- Renew at half-life: a subscription is renewed once less than half its lifetime is left, so one
  missed timer run never lets it lapse (Outlook subscriptions live under 7 days).
- Recreate: anything wanted but missing (Graph removed it: subscriptionRemoved) is created again, and
  its mailbox (or drive, as "drive:{id}") is reported for a delta reconciliation, since notifications
  were lost meanwhile.
- Lifecycle notifications: subscriptionRemoved -> recreate; reauthorizationRequired -> renew;
  missed -> reconcile by delta.
Time is a parameter (`now`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from graph_clients.ports import Subscription, Subscriptions
from rules.errors import InputError, NotFound

EVENTS = "created,updated,deleted"
NEW_MAIL = "created"
DRIVE_CHANGE = "updated"   # graph_clients/graph/drives.py: a drive root accepts only `updated`
DRIVE_SOURCE = "drive:"    # how a drive appears among the sources to reconcile


def wanted(iro_mailboxes: list[str] | tuple[str, ...], service_mailbox: str,
           drives: list[str] | tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """(resource, changeType) pairs this app subscribes to."""
    pairs = []
    for mailbox in iro_mailboxes:
        pairs.append((f"users/{mailbox}/events", EVENTS))
        pairs.append((f"users/{mailbox}/mailFolders('inbox')/messages", NEW_MAIL))
    if service_mailbox:
        pairs.append((f"users/{service_mailbox}/mailFolders('inbox')/messages", NEW_MAIL))
    pairs += [(f"drives/{drive}/root", DRIVE_CHANGE) for drive in drives]
    return pairs


def mailbox_of(resource: str) -> str:
    found = re.match(r"/?users/([^/]+)/", resource)
    return found[1] if found else ""


def source_of(resource: str) -> str:
    """What to reconcile when notifications for `resource` were lost: a mailbox, or "drive:{id}"."""
    found = re.match(r"/?drives/([^/]+)/root$", resource, re.IGNORECASE)
    return f"{DRIVE_SOURCE}{found[1]}" if found else mailbox_of(resource)


def due_for_renewal(sub: Subscription, now: datetime, lifetime: timedelta) -> bool:
    """True once less than half of `lifetime` is left before `sub` expires."""
    return sub.expires - now <= lifetime / 2


@dataclass
class UpkeepReport:
    created: list[str] = field(default_factory=list)      # resources
    renewed: list[str] = field(default_factory=list)      # subscription ids
    deleted: list[str] = field(default_factory=list)      # subscription ids (no longer wanted)
    reconcile: list[str] = field(default_factory=list)    # mailboxes (and "drive:{id}") to run delta for


def keep_alive(port: Subscriptions, want: list[tuple[str, str]], now: datetime, lifetime: timedelta,
               notification_url: str) -> UpkeepReport:
    """One timer run: create what is missing, renew what is past half-life, delete ours no longer wanted.
    Only subscriptions pointing at `notification_url` are ours to delete."""
    if lifetime <= timedelta(0):
        raise InputError("subscription lifetime must be positive", "set IRO_SUBSCRIPTION_MINUTES")
    report = UpkeepReport()
    existing = {s.resource.lstrip("/").lower(): s for s in port.list()}
    wanted_keys = {r.lower() for r, _ in want}
    for resource, change_type in want:
        sub = existing.get(resource.lower())
        if sub is None:
            port.create(resource, change_type, now + lifetime)
            report.created.append(resource)
            report.reconcile.append(source_of(resource))
        elif due_for_renewal(sub, now, lifetime):
            _renew_or_recreate(port, sub, change_type, now, lifetime, report)
    for key, sub in existing.items():
        if key not in wanted_keys and sub.notification_url == notification_url:
            port.delete(sub.id)
            report.deleted.append(sub.id)
    report.reconcile = sorted(set(report.reconcile))
    return report


def _renew_or_recreate(port: Subscriptions, sub: Subscription, change_type: str, now: datetime,
                       lifetime: timedelta, report: UpkeepReport) -> None:
    try:
        port.renew(sub.id, now + lifetime)
        report.renewed.append(sub.id)
    except NotFound:  # removed between list and renew
        port.create(sub.resource, change_type, now + lifetime)
        report.created.append(sub.resource)
        report.reconcile.append(source_of(sub.resource))


def on_lifecycle(port: Subscriptions, event: str, subscription_id: str, want: list[tuple[str, str]],
                 now: datetime, lifetime: timedelta, notification_url: str) -> UpkeepReport:
    """Act on one lifecycle notification (`lifecycleEvent` of the payload)."""
    if event == "subscriptionRemoved":
        return keep_alive(port, want, now, lifetime, notification_url)
    if event == "reauthorizationRequired":
        report = UpkeepReport()
        try:
            port.renew(subscription_id, now + lifetime)
            report.renewed.append(subscription_id)
        except NotFound:
            return keep_alive(port, want, now, lifetime, notification_url)
        return report
    if event == "missed":
        return UpkeepReport(reconcile=sorted({source_of(r) for r, _ in want}))
    raise InputError(f"unknown lifecycle event {event!r}",
                     "expected subscriptionRemoved, reauthorizationRequired or missed")
