"""Proactive delivery through the bot: stored references, channel mapping, the answerable card, fallback."""

from __future__ import annotations

from datetime import date

import pytest

from graph_clients.ports import CardRoute
from graph_clients.teams.bot_delivery import BotDelivery
from rules.errors import DeliveryError
from store.records import ConversationRef
from tests.app.world import CASE, IRO, TM, FakeTeams, World


def refs(world: World) -> None:
    store = world.svc.store
    store.save_conversation(ConversationRef(f"person:{TM}", "a:tm-chat", "https://smba.example/teams", TM, "29:tm"))
    store.save_conversation(ConversationRef(f"person:{IRO}", "a:iro-chat", "https://smba.example/teams", IRO,
                                            "29:iro"))
    store.save_conversation(ConversationRef("channel:19:t1@thread.tacv2", "19:t1@thread.tacv2",
                                            "https://smba.example/teams"))


def test_people_and_channels_with_a_reference_get_the_answerable_card(world: World):
    from function_app.bot.delivery import prepare
    from graph_clients.teams.actions import verbs

    refs(world)
    sent: list[tuple[ConversationRef, dict]] = []
    fallback = FakeTeams()
    bot = BotDelivery(world.svc.store, lambda ref, card: sent.append((ref, card)) or "id",
                      {"team-T1": "19:t1@thread.tacv2"}, prepare(world.svc), fallback)
    world.svc.teams = bot
    world.channels("decisions_issued", tm="card")  # a council that sends the TM a card of its own
    world.clock.set(date(2026, 3, 3))
    world.email(IRO, f"Review decisions {CASE} review 2026-03-02")  # the notice posts to the TM
    [(ref, card)] = sent
    assert ref.conversation_id == "a:tm-chat" and card["body"][0]["id"] == "card-answer_decisions"
    assert {"accept", "dispute"} <= set(verbs(card)) and card["refresh"]["userIds"] == ["29:tm"]
    bot.post(CardRoute(channel="team-T1"), card)  # the channel sees the read-only view
    assert sent[-1][0].key == "channel:19:t1@thread.tacv2" and set(verbs(sent[-1][1])) == {"refresh"}
    bot.post(CardRoute(person="someone@council.example"), card)  # no app installed for them
    bot.post(CardRoute(channel="team-T2"), card)                 # a channel not mapped to the bot
    assert [r for r, _ in fallback.posted][-2:] == [CardRoute(person="someone@council.example"),
                                                     CardRoute(channel="team-T2")]


def test_without_a_reference_or_fallback_the_error_says_what_to_do(world: World):
    bot = BotDelivery(world.svc.store, lambda ref, card: "id")
    with pytest.raises(DeliveryError, match="install the Teams app"):
        bot.post(CardRoute(person=TM), {"type": "AdaptiveCard", "body": []})


def test_the_latest_install_wins_and_ids_find_the_person(world: World):
    store = world.svc.store
    store.save_conversation(ConversationRef(f"person:{TM}", "old", "https://smba.example/teams", TM.upper(), "29:tm"))
    store.save_conversation(ConversationRef(f"person:{TM}", "new", "https://smba.example/teams", TM, "29:tm"))
    assert store.conversation(f"person:{TM}").conversation_id == "new"
    assert store.conversation_of_user("29:tm").upn == TM and store.conversation_of_user("29:nobody") is None
