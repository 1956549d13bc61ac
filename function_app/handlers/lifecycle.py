"""Graph lifecycle notifications (ARCHITECTURE.md, "Flows" 3).

reauthorizationRequired -> renew the subscription now; subscriptionRemoved -> create it again (and catch
up through delta, since notifications were lost meanwhile); missed -> catch up through delta.
"""

from __future__ import annotations

import logging

from function_app.messages import Lifecycle, Message, Rejected
from function_app.services import Services

log = logging.getLogger("iro.lifecycle")


def on_lifecycle(msg: Lifecycle, svc: Services) -> list[Message]:
    from function_app import subscriptions  # msgraph only when Graph is in use

    if svc.subscriptions is None:
        return [Rejected("lifecycle", f"lifecycle event {msg.event} but no subscription manager is configured",
                         "set IRO_MODE=graph with the Graph settings", payload={"subscription": msg.subscription_id})]
    if msg.event == "reauthorizationRequired":
        subscriptions.renew_one(svc, msg.subscription_id)
    elif msg.event == "subscriptionRemoved":
        subscriptions.recreate(svc, msg.subscription_id)
    subscriptions.mark_for_catch_up(svc, msg.subscription_id)  # every event may have lost notifications
    log.info("lifecycle %s handled for a subscription", msg.event)
    return []
