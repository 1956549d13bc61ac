"""The weekly escalations card: through the timer's runtime call, exactly once per ISO week, with the page saved
in the service's folder and linked; no card in a week with nothing open (issue 14)."""

from __future__ import annotations

import json
from datetime import date

from function_app import escalations, runtime
from graph_clients.teams.layout import kind_of
from tests.app.world import CASE, IRO, MANAGER


def _cards(world):
    return [(r, c) for r, c in world.teams.posted if kind_of(c) == "escalations"]


def test_once_a_week_to_the_iro_service_manager_with_the_page(world):
    world.channels("escalations", iro_manager="card")  # a council that wants the week's card of its own
    world.email(IRO, f"Resolution {CASE} cat 4 stage 1", "Decisions from the last review not carried out.")
    assert world.svc.store.facts(CASE, ["resolution_raised"])
    world.clock.set(date(2026, 1, 12), 8)            # a Monday
    assert runtime.weekly_escalations(bus=world.bus) is True
    assert runtime.weekly_escalations(bus=world.bus) is False   # the timer fired twice: one card
    world.clock.set(date(2026, 1, 16), 8)            # later the same ISO week
    assert runtime.weekly_escalations(bus=world.bus) is False
    ((route, card),) = _cards(world)
    assert route.person == MANAGER and not route.channel  # every card goes to a person's chat
    assert "1 open, 0 past the cap" in card["body"][0]["items"][1]["text"]
    page = world.root / "local" / "case-folders"
    saved = list(world.root.rglob(escalations.PAGE))
    assert saved, f"no {escalations.PAGE} under {page}"
    assert card["actions"][0]["url"] == saved[0].resolve().as_uri()
    assert CASE in saved[0].read_text(encoding="utf-8")
    world.clock.set(date(2026, 1, 19), 8)            # the next week: a new card
    assert runtime.weekly_escalations(bus=world.bus) is True
    assert len(_cards(world)) == 2


def test_by_default_the_week_is_a_line_of_the_managers_digest(world):
    world.email(IRO, f"Resolution {CASE} cat 4 stage 1", "Decisions from the last review not carried out.")
    world.clock.set(date(2026, 1, 12), 5)            # a Monday, before the daily sweep
    assert runtime.weekly_escalations(bus=world.bus) is True
    assert _cards(world) == []                       # no card of its own: one message a day for managers
    world.sweep(date(2026, 1, 12))
    digests = [c for r, c in world.teams.posted if r.person == MANAGER and kind_of(c) == "digest"]
    text = json.dumps(digests[-1])
    assert "Escalations this week: 1 open, 0 past the cap" in text
    assert list(world.root.rglob(escalations.PAGE))[0].resolve().as_uri() in text  # the dashboard's link


def test_no_card_when_nothing_is_open(world):
    world.clock.set(date(2026, 1, 12), 8)
    assert runtime.weekly_escalations(bus=world.bus) is True    # the week's action is done ...
    assert _cards(world) == []                                  # ... without a card saying "0"
    assert world.svc.store.action(escalations.week_key(date(2026, 1, 12))).done


def test_an_iro_records_why_a_review_is_late_by_email(world):
    """The reason a late booking asks for (reactions: 'record the reason') has a way in: an email."""
    world.email(IRO, f"Late review {CASE} review 2026-02-10 reason Child_Unwell", "She had flu.")
    (fact,) = world.svc.store.facts(CASE, ["review_late_reason"])
    assert (fact.data["reason"], fact.data["review_date"]) == ("child_unwell", "2026-02-10")
    world.email(IRO, f"Late review {CASE} reason because", "")
    assert any("no known reason for the late review" in p.reason and "child_unwell" in p.what_to_do
               for p in world.problems())
