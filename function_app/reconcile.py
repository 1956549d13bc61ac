"""Catching up through delta queries: what changed in a mailbox since the last delta link.

Run daily for every mailbox, and at once for a mailbox whose notifications were lost (`missed`,
`subscriptionRemoved`). Each changed item goes through the same handlers as a notification would, so
the facts' idempotency keys make a catch-up harmless when nothing was lost.
"""

from __future__ import annotations

from function_app.messages import CalendarChanged, DriveChanged, MailArrived, Message
from function_app.services import Services
from graph_clients.graph.upkeep import DRIVE_SOURCE


def changes(svc: Services, mailbox: str) -> list[Message]:
    """`mailbox` may also be "drive:{id}" (a case-folder library): its delta runs in handlers/case_folder.py."""
    if mailbox.startswith(DRIVE_SOURCE):
        return [DriveChanged(mailbox.removeprefix(DRIVE_SOURCE))]
    if svc.delta is None:
        return []
    out: list[Message] = []
    for kind, make in (("events", CalendarChanged), ("messages", MailArrived)):
        key = f"delta:{kind}:{mailbox}"
        ids, link = svc.delta(kind, mailbox, svc.store.get_state(key))
        out += [make(mailbox, item_id) for item_id in ids]
        svc.store.set_state(key, link)
    svc.store.set_state(f"catch-up:{mailbox}", "")
    return out
