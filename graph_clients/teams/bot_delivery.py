"""Delivery through the app's own bot: cards people can answer, posted proactively (Bot Framework connector).

```python
BotDelivery(store, send, channel_ids={"team-T1": "19:...@thread.tacv2"}, prepare=None, fallback=None)
```
- A person's card goes to their 1:1 chat with the bot, through the conversation reference the bot stored
  when the app was installed for them (function_app/bot/host.py). The app reaches everyone only if it is
  installed for them: publish it to the org catalog and install it proactively with Graph
  (`POST /users/{id}/teamwork/installedApps`, permission `TeamsAppInstallation.ReadWriteSelfForUser.All`);
  docs/teams.md says how.
- A channel's card goes to the channel the configuration maps the channel key to (`channel_ids`, setting
  IRO_TEAMS_BOT_CHANNELS), through the reference stored when the app was added to that team.
- `prepare(card, route)` turns a notice's card into the answerable one (function_app/bot/delivery.py) and
  `send(ref, card)` posts it (`sdk_sender` below: the Teams SDK's connector client).
- Without a reference for the route the card goes to `fallback` (the Workflows delivery: links only, as a
  tenant without the bot gets them), else DeliveryError says to install the app for that person or team.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from graph_clients.ports import CardRoute, TeamsCards
from rules.errors import DeliveryError
from store.records import ConversationRef

log = logging.getLogger("iro.teams.bot")
Sender = Callable[[ConversationRef, dict[str, Any]], str]


class BotDelivery:
    def __init__(self, store: Any, send: Sender, channel_ids: Mapping[str, str] | None = None,
                 prepare: Callable[[dict[str, Any], CardRoute], dict[str, Any]] | None = None,
                 fallback: TeamsCards | None = None) -> None:
        self.store, self.send, self.channel_ids = store, send, dict(channel_ids or {})
        self.prepare, self.fallback = prepare, fallback

    def reference(self, route: CardRoute) -> ConversationRef | None:
        if route.person:
            return self.store.conversation(f"person:{route.person.lower()}")
        channel_id = self.channel_ids.get(route.channel)
        return self.store.conversation(f"channel:{channel_id}") if channel_id else None

    def post(self, route: CardRoute, card: dict[str, Any]) -> None:
        ref = self.reference(route)
        if ref is None:
            if self.fallback is not None:
                self.fallback.post(route, card)
                return
            where = f"person {route.person}" if route.person else f"channel '{route.channel}'"
            raise DeliveryError(f"the bot has no conversation with {where}",
                                "install the Teams app for them (docs/teams.md, proactive installation) or map "
                                "the channel in IRO_TEAMS_BOT_CHANNELS")
        sent = self.prepare(card, route) if self.prepare else card
        self.send(ref, sent)
        log.info("card posted by the bot to %s", "a person" if route.person else route.channel)


def sdk_sender(api: Any, run: Callable[[Any], Any]) -> Sender:
    """A Sender on the Teams SDK's ApiClient (`api`), running its coroutines with `run`."""

    def send(ref: ConversationRef, card: dict[str, Any]) -> str:
        from microsoft_teams.api import (
            Account,
            Attachment,
            ConversationAccount,
            ConversationReference,
            MessageActivityInput,
        )
        from microsoft_teams.apps.activity_send import send_or_update_activity

        from graph_clients.teams.envelope import CARD_CONTENT_TYPE

        activity = MessageActivityInput(attachments=[Attachment(content_type=CARD_CONTENT_TYPE, content=card)])
        conversation = ConversationReference(channel_id="msteams", service_url=ref.service_url,
                                             bot=Account(id=ref.bot_id or "bot"),
                                             conversation=ConversationAccount(id=ref.conversation_id))
        return run(send_or_update_activity(api, activity, conversation)).id

    return send
