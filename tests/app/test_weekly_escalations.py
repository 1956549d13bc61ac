"""The weekly escalations card: through the timer's runtime call, exactly once per ISO week, with the page saved
in the service's folder and linked; no card in a week with nothing open (issue 14)."""

from __future__ import annotations

from datetime import date

from function_app import escalations, runtime
from function_app.notices import SERVICE_CHANNEL
from graph_clients.teams.layout import kind_of
from tests.app.world import CASE, IRO


def _cards(world):
    return [(r, c) for r, c in world.teams.posted if kind_of(c) == "escalations"]


def test_once_a_week_to_the_service_channel_with_the_page(world):
    world.email(IRO, f"Resolution {CASE} cat 4 stage 1", "Decisions from the last review not carried out.")
    assert world.svc.store.facts(CASE, ["resolution_raised"])
    world.clock.set(date(2026, 1, 12), 8)            # a Monday
    assert runtime.weekly_escalations(bus=world.bus) is True
    assert runtime.weekly_escalations(bus=world.bus) is False   # the timer fired twice: one card
    world.clock.set(date(2026, 1, 16), 8)            # later the same ISO week
    assert runtime.weekly_escalations(bus=world.bus) is False
    ((route, card),) = _cards(world)
    assert route.channel == SERVICE_CHANNEL
    assert "1 open, 0 past the cap" in card["body"][0]["items"][1]["text"]
    page = world.root / "local" / "case-folders"
    saved = list(world.root.rglob(escalations.PAGE))
    assert saved, f"no {escalations.PAGE} under {page}"
    assert card["actions"][0]["url"] == saved[0].resolve().as_uri()
    assert CASE in saved[0].read_text(encoding="utf-8")
    world.clock.set(date(2026, 1, 19), 8)            # the next week: a new card
    assert runtime.weekly_escalations(bus=world.bus) is True
    assert len(_cards(world)) == 2


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
