"""A queue envelope (function_app/envelope.py) -> the bus message it stands for.

Graph names the changed item in `resource`, e.g. "Users/{id}/Events/{id}" or "Users/{id}/Messages/{id}"
(the case varies: compare lowercased). The mailbox is the one the subscription was made for, when the
store knows the subscription, else the user segment of the resource.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from function_app.messages import CalendarChanged, Lifecycle, MailArrived, Message, Rejected

_WHAT_TO_DO = "check the subscription's resource; if this repeats, tell the IRO service's Microsoft 365 administrator"


def to_message(body: str, mailbox_of: Callable[[str], str | None] = lambda _: None) -> Message:
    try:
        env = json.loads(body)
        kind, item = env["kind"], env["item"]
    except (ValueError, KeyError, TypeError):
        return Rejected("queue", "queue message is not an envelope the webhook writes",
                        "look at the message in the poison queue; it did not come from graph_webhook",
                        payload={"raw": body[:2048]})
    if kind == "rejected":
        return Rejected("webhook", env.get("reason", "rejected by the webhook"), _WHAT_TO_DO, payload=item)
    if kind == "lifecycle":
        return Lifecycle(str(item.get("subscriptionId", "")), str(item.get("lifecycleEvent", "")))
    return _change(item, mailbox_of)


def _change(item: dict, mailbox_of: Callable[[str], str | None]) -> Message:
    parts = str(item.get("resource", "")).strip("/").split("/")
    if len(parts) < 4 or parts[0].lower() != "users":
        return Rejected("webhook", "notification resource is not a user's event or message", _WHAT_TO_DO,
                        payload=_safe(item))
    mailbox = mailbox_of(str(item.get("subscriptionId", ""))) or parts[1]
    collection, item_id = parts[-2].lower(), parts[-1]
    change = str(item.get("changeType", "updated"))
    if collection == "events":
        return CalendarChanged(mailbox, item_id, change)
    if collection == "messages":
        return MailArrived(mailbox, item_id)
    return Rejected("webhook", f"notifications for '{parts[-2]}' are not handled", _WHAT_TO_DO, payload=_safe(item))


def _safe(item: dict) -> dict:
    return {k: item.get(k) for k in ("subscriptionId", "changeType", "resource")}
