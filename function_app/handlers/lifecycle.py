"""Graph lifecycle notifications (docs/architecture.md, "Flows" 3): reauthorizationRequired renews,
subscriptionRemoved recreates, and whatever lost notifications is caught up through delta at once."""

from __future__ import annotations

from function_app import reconcile, subscriptions
from function_app.bus import uses
from function_app.messages import Lifecycle, Message, Rejected
from function_app.services import Services


@uses("delta", "drive_subscriptions", "drives", "notification_url", "now", "service_mailbox", "store",
      "subscription_lifetime", "subscriptions")
def on_lifecycle(msg: Lifecycle, svc: Services) -> list[Message]:
    if svc.subscriptions is None:
        return [Rejected("lifecycle", f"lifecycle event {msg.event} but no subscription manager is configured",
                         "set IRO_MODE=graph with the Graph settings (docs/graph.md)",
                         payload={"subscription": msg.subscription_id})]
    out: list[Message] = []
    for mailbox in subscriptions.on_lifecycle(svc, msg.subscription_id, msg.event):
        out += reconcile.changes(svc, mailbox)
    return out
