"""A queue envelope (function_app/envelope.py) -> the bus message it stands for.

Graph names the changed item in `resource`, in any of the forms function_app/resources.py reads; the item's
id is `resourceData.id` when Graph sends it (the documented place for Outlook resources) and otherwise the
last key of the resource path. The mailbox is the one the subscription was made for, when the store knows
the subscription, else the user segment of the resource. Every documented form has a fixture in
tests/app/fixtures/notifications/ saying which documentation page it comes from.

A case-folder library's notification names its drive's root ("drives/{id}/root", or "sites/{id}/drive/root"
and "me/drive/root" as documented) and no item (`resourceData` is null): it becomes DriveChanged for the drive
the subscription was made for (else the one the resource names), and handlers/case_folder.py runs the delta.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from function_app import resources
from function_app.messages import CalendarChanged, DriveChanged, Lifecycle, MailArrived, Message, Rejected

_WHAT_TO_DO = "check the subscription's resource; if this repeats, tell the IRO service's Microsoft 365 administrator"
_ITEMS = ("events", "messages")
_ODATA_TYPES = {"#microsoft.graph.event": "events", "#microsoft.graph.message": "messages"}


def to_message(body: str, mailbox_of: Callable[[str], str | None] = lambda _: None) -> Message:
    try:
        env = json.loads(body)
        kind, item = env["kind"], env["item"]
    except (ValueError, KeyError, TypeError):
        return Rejected("queue", "queue message is not an envelope the webhook writes",
                        "look at the message in the poison queue; it did not come from graph_webhook",
                        payload={"raw": body[:2048]})
    if not isinstance(item, dict):
        return Rejected("queue", "queue message's item is not an object",
                        "look at the message in the poison queue; it did not come from graph_webhook",
                        payload={"kind": str(kind)[:64]})
    if kind == "rejected":
        return Rejected("webhook", env.get("reason", "rejected by the webhook"), _WHAT_TO_DO, payload=item)
    if kind == "lifecycle":
        return Lifecycle(str(item.get("subscriptionId", "")), str(item.get("lifecycleEvent", "")))
    return _change(item, mailbox_of)


def _drive(item: dict, parts: list[resources.Segment], known: str | None) -> Message | None:
    last = parts[-1] if parts else None
    root = last is not None and (last.collection == "root" or (last.collection, (last.key or "").lower()) == (
        "drive", "root"))
    if not root:
        return None
    if known and known.startswith("drive:"):
        return DriveChanged(known.removeprefix("drive:"))
    drive = resources.key_of(parts, "drives")
    if drive:
        return DriveChanged(drive)
    return Rejected("webhook", "a library notification for a subscription the app does not know", _WHAT_TO_DO,
                    payload=_safe(item))


def _change(item: dict, mailbox_of: Callable[[str], str | None]) -> Message:
    parts = resources.segments(str(item.get("resource") or "")) or []
    known = mailbox_of(str(item.get("subscriptionId", "")))
    drive = _drive(item, parts, known)
    if drive is not None:
        return drive
    data = item.get("resourceData") if isinstance(item.get("resourceData"), dict) else {}
    odata = resources.segments(str(data.get("@odata.id") or "")) or []
    where = resources.last_item(parts, _ITEMS) or resources.last_item(odata, _ITEMS)
    collection = where.collection if where else _ODATA_TYPES.get(str(data.get("@odata.type", "")).lower())
    item_id = _text(data.get("id")) or (where.key if where else None)
    user = resources.key_of(parts, "users") or resources.key_of(odata, "users")
    mailbox = (known if known and not known.startswith("drive:") else None) or user
    if collection is None and parts and parts[-1].collection not in ("users", *_ITEMS):
        return Rejected("webhook", f"notifications for '{parts[-1].collection}' are not handled", _WHAT_TO_DO,
                        payload=_safe(item))
    if collection is None or not item_id or not mailbox:
        return Rejected("webhook", "notification resource is not a user's event or message", _WHAT_TO_DO,
                        payload=_safe(item))
    change = str(item.get("changeType", "updated"))
    if collection == "events":
        return CalendarChanged(mailbox, item_id, change)
    return MailArrived(mailbox, item_id)


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _safe(item: dict) -> dict:
    return {k: str(item.get(k))[:512] for k in ("subscriptionId", "changeType", "resource")}
