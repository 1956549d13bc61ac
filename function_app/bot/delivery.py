"""What the bot sends: a notice's card turned into the answerable card, with the people it concerns.

`prepare(svc)` is BotDelivery's `prepare`: a card built by graph_clients/teams/cards.py names its kind and
carries its case reference and subject on its buttons; the bot posts instead the answerable view of the same
question (answers.draw) for the recipient, with `refresh.userIds` set to the Teams ids of everyone concerned,
so each of them sees their own buttons and everyone else the read-only view. Other cards go as they are.
"""

from __future__ import annotations

from typing import Any

from function_app.bot.answers import CARD_KINDS, draw
from function_app.bot.views import load
from function_app.services import Services
from graph_clients.ports import CardRoute


def concerned_ids(svc: Services, kind: str, case_ref: str, subject: str) -> tuple[str, ...]:
    """The Teams ids of the people a question concerns who have the app (stored conversation references)."""
    q = load(svc, kind, case_ref, subject)
    refs = (svc.store.conversation(f"person:{email}") for email in sorted(q.concerned()))
    return tuple(r.user_id for r in refs if r is not None and r.user_id)


def prepare(svc: Services):
    def upgrade(card: dict[str, Any], route: CardRoute) -> dict[str, Any]:
        from graph_clients.teams.layout import kind_of

        named = kind_of(card)  # a notice's card (cards.py), or one the bot drew (answer_<kind>): drawn afresh
        kind = CARD_KINDS.get(named) or (named.removeprefix("answer_") if named.startswith("answer_") else None)
        data = _first_execute_data(card)
        if kind is None or not data:
            return card
        q = load(svc, kind, str(data.get("case_ref", "")), str(data.get("subject", "")))
        ids = concerned_ids(svc, kind, q.case_ref, q.subject)
        return draw(svc, q, route.person.lower(), ids)

    return upgrade


def _first_execute_data(node: Any) -> dict[str, Any] | None:
    if isinstance(node, dict):
        if node.get("type") == "Action.Execute" and isinstance(node.get("data"), dict):
            return node["data"]
        children = node.values()
    elif isinstance(node, list):
        children = node
    else:
        return None
    for child in children:
        found = _first_execute_data(child)
        if found:
            return found
    return None
