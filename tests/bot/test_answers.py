"""Every verb on the cards people answer in Teams, every refusal, and duplicates (function_app/bot/answers.py).

Driven through the same bus as production (bootstrap's handler table); the world's earlier facts arrive as
Outlook mail would bring them, or are recorded as the readers of review records would record them.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import jsonschema
import pytest

from function_app.bot.answers import VERBS, Answer, answer
from graph_clients.teams.actions import verbs as card_verbs
from rules.model import Fact, FactKind, Person
from tests.app.world import CASE, HOS, IRO, MANAGER, SW, TM, World

SCHEMA = json.loads((Path(__file__).parents[1] / "teams" / "adaptive-card-1.5.schema.json").read_text("utf-8"))
OTHER_TM = "tm.other@council.example"
STRANGER = "someone@elsewhere.example"


def valid(card: dict) -> dict:
    errors = list(jsonschema.Draft6Validator(SCHEMA).iter_errors(card))
    assert not errors, [e.message[:200] for e in errors[:3]]
    return card


def notice(card: dict) -> str:
    return next((b["text"] for b in card["body"] if b.get("id") == "notice"), "")


def press(world: World, verb: str, kind: str, subject: str, who: str, v: int | None = 0, **inputs: str):
    a = Answer(verb, kind, CASE, subject, v, inputs, who, activity_id=f"act-{verb}")
    out = answer(world.svc, world.bus, a, user_ids=("29:tm",))
    valid(out.card)
    return out


@pytest.fixture
def sent(world: World) -> str:
    """Decisions of the review of 2 March 2026 sent to the TM on 3 March (a Tuesday)."""
    world.svc.store.upsert_person(Person(OTHER_TM, "Olu Other", "tm"))
    world.clock.set(date(2026, 3, 3))
    world.email(IRO, f"Review decisions {CASE} review 2026-03-02")
    assert world.facts(FactKind.DECISIONS_SENT)
    return "2026-03-02"


def test_tm_accepts_and_the_card_says_who_and_when(world: World, sent: str):
    out = press(world, "accept", "decisions", sent, TM)
    assert out.fact and out.fact.kind == FactKind.DECISIONS_ACCEPTED and out.fact.data["by"] == TM
    assert notice(out.card) == "Recorded: Accept."
    text = json.dumps(out.card)
    assert "Accepted by Cara Manager, Tue 3 Mar 2026 09:00" in text
    assert card_verbs(out.card) == ["refresh"]  # answered: no buttons left, only the refresh for the TM
    assert out.card["refresh"]["userIds"] == ["29:tm"]


def test_dispute_needs_a_reason_and_tells_the_iro_and_attendees(world: World, sent: str):
    empty = press(world, "dispute", "decisions", sent, TM, reason="  ")
    assert empty.fact is None and "The reason is empty" in notice(empty.card)
    out = press(world, "dispute", "decisions", sent, TM, reason="Contact plan was never discussed.")
    assert out.fact.kind == FactKind.DECISIONS_DISPUTED and out.fact.data["reason"].startswith("Contact plan")
    mails = list((world.root / "mail-outbox").rglob("*.eml"))
    dispute = [m.read_text() for m in mails if "disputed" in m.read_text()]
    assert dispute and all(who in dispute[0] for who in (IRO, SW, TM))


def test_the_dispute_window_is_shown_and_enforced(world: World, sent: str):
    first = press(world, "refresh", "decisions", sent, TM)
    assert "Tue 10 Mar 2026" in json.dumps(first.card)  # 5 working days after Tue 3 March
    assert {"accept", "dispute"} <= set(card_verbs(first.card))
    world.clock.set(date(2026, 3, 11))
    late = press(world, "dispute", "decisions", sent, TM, reason="Too late?")
    assert late.fact is None and "closed on Tue 10 Mar 2026" in notice(late.card)


def test_people_not_entitled_are_refused_in_the_card(world: World, sent: str):
    other = press(world, "accept", "decisions", sent, OTHER_TM)
    assert other.fact is None and "Only the child's team manager" in notice(other.card)
    assert set(card_verbs(other.card)) == {"refresh"}  # the read-only view
    stranger = press(world, "accept", "decisions", sent, STRANGER)
    assert "not on the IRO service's roster" in notice(stranger.card)
    assert not world.facts(FactKind.DECISIONS_ACCEPTED)


def test_double_click_and_retried_invoke_record_one_fact(world: World, sent: str):
    a = press(world, "accept", "decisions", sent, TM, v=0)
    b = press(world, "accept", "decisions", sent, TM, v=0)  # the same card pressed again
    assert a.fact is not None and b.fact is None
    assert len(world.facts(FactKind.DECISIONS_ACCEPTED)) == 1
    assert "changed since it was sent" in notice(b.card)
    retry = Answer("accept", "decisions", CASE, sent, 0, {}, TM, "act-accept")
    from function_app.bot.answers import _fact
    from function_app.bot.views import load

    assert _fact(world.svc, load(world.svc, "decisions", CASE, sent), retry, FactKind.DECISIONS_ACCEPTED,
                 {}).key != a.fact.key  # a later version would be a new key ...
    world.svc.store.record(a.fact)  # ... while the same one, recorded again, is a no-op
    assert len(world.facts(FactKind.DECISIONS_ACCEPTED)) == 1


@pytest.fixture
def resolution(world: World) -> str:
    world.clock.set(date(2026, 3, 2))
    world.email(IRO, f"Resolution {CASE} category 4 stage 1", "Decisions from the last review not carried out.")
    return f"R-{CASE}-1"


def test_owner_responds_and_asks_for_more_time_within_the_cap(world: World, resolution: str):
    world.clock.set(date(2026, 3, 4))
    card = press(world, "refresh", "resolution", resolution, TM).card
    assert {"respond", "more_time"} <= set(card_verbs(card)) and "resolved" not in card_verbs(card)
    out = press(world, "respond", "resolution", resolution, TM, response="Plan agreed at panel.")
    assert out.fact.kind == FactKind.RESOLUTION_RESPONDED and out.fact.data["stage"] == "stage1"
    past = press(world, "more_time", "resolution", resolution, TM, v=1, until="2026-04-30")
    assert past.fact is None and "past the 20-working-day cap (Mon 30 Mar 2026)" in notice(past.card)
    ok = press(world, "more_time", "resolution", resolution, TM, v=1, until="2026-03-20")
    assert ok.fact.kind == FactKind.RESOLUTION_TIME_ASKED and ok.fact.data["until"] == "2026-03-20"
    assert "More time asked by Cara Manager" in json.dumps(ok.card)


def test_iro_resolves_escalates_and_records_good_practice(world: World, resolution: str):
    iro_card = press(world, "refresh", "resolution", resolution, IRO).card
    assert {"resolved", "not_resolved", "escalate_now", "good_practice"} <= set(card_verbs(iro_card))
    assert "respond" not in card_verbs(iro_card)
    gp = press(world, "good_practice", "resolution", resolution, IRO, practice="Quick panel date.")
    assert gp.fact.kind == FactKind.GOOD_PRACTICE and gp.fact.data["about"] == resolution
    up = press(world, "not_resolved", "resolution", resolution, IRO, v=1)
    assert up.fact.data["to_stage"] == "stage2"
    assert "resolution_escalation" in world.teams.kinds(HOS)  # the next stage's owner is told
    hos_card = press(world, "refresh", "resolution", resolution, HOS).card
    assert "respond" in card_verbs(hos_card)
    now = press(world, "escalate_now", "resolution", resolution, IRO, v=2)
    assert now.fact.data["to_stage"] == "stage3"
    done = press(world, "resolved", "resolution", resolution, IRO, v=3)
    assert done.fact.kind == FactKind.RESOLUTION_RESOLVED
    assert "closed" in json.dumps(press(world, "refresh", "resolution", resolution, IRO).card)
    assert press(world, "respond", "resolution", resolution, TM, v=4, response="x").fact is None


def test_significant_change_convene_or_no_review_with_a_reason(world: World):
    world.clock.set(date(2026, 3, 2))
    world.email(SW, f"Significant change {CASE}", "The placement ended unexpectedly last night.", mailbox=IRO)
    subject = "2026-03-02"
    assert press(world, "no_review_needed", "significant_change", subject, IRO, no_review_reason="").fact is None
    assert press(world, "convene_review", "significant_change", subject, SW).fact is None  # only the IRO
    out = press(world, "no_review_needed", "significant_change", subject, IRO,
                no_review_reason="Planned move, reviewed last month.")
    assert out.fact.kind == FactKind.EARLY_REVIEW_DECIDED and out.fact.data["convene"] is False
    assert "No review needed by Ada Iro" in json.dumps(out.card)
    again = press(world, "convene_review", "significant_change", subject, IRO, v=1)
    assert again.fact is None and "The IRO has decided." in notice(again.card)


def test_significant_change_convene(world: World):
    world.clock.set(date(2026, 3, 2))
    world.email(SW, f"Significant change {CASE}", "The placement ended unexpectedly last night.", mailbox=IRO)
    out = press(world, "convene_review", "significant_change", "2026-03-02", IRO)
    assert out.fact.data["convene"] is True


def _decision(world: World, named: str = "Ben Worker") -> str:
    world.svc.store.record(Fact(FactKind.DECISION_RECORDED, CASE, date(2026, 3, 2), "rec:D1",
                                {"decision_id": "D1", "text": "Arrange sibling contact", "named_person": named,
                                 "due": "2026-04-01"}))
    return "D1"


def test_decision_done_update_confirm_and_reopen(world: World):
    d = _decision(world)
    assert press(world, "done", "decision", d, TM).fact is None  # not the named person
    assert "The update is empty" in notice(press(world, "update", "decision", d, SW, progress="").card)
    upd = press(world, "update", "decision", d, SW, progress="First contact booked.")
    assert upd.fact.kind == FactKind.DECISION_UPDATED
    assert "confirm" not in card_verbs(press(world, "refresh", "decision", d, IRO).card)  # nothing done yet
    done = press(world, "done", "decision", d, SW, v=1)
    assert done.fact.kind == FactKind.DECISION_DONE and done.fact.data["decision_id"] == d
    assert "done (the IRO may confirm or reopen it)" in json.dumps(done.card)
    world.clock.set(date(2026, 3, 10))
    reopen = press(world, "reopen", "decision", d, IRO, v=2)
    assert reopen.fact.kind == FactKind.DECISION_REOPENED
    from function_app import case_view

    [clock] = [x for x in case_view.case_deadlines(world.svc, CASE, date(2026, 4, 2)) if x.clock == "decision"]
    assert clock.status == "overdue"  # reopened: the earlier "done" no longer meets it
    world.clock.set(date(2026, 3, 12))
    press(world, "done", "decision", d, SW, v=3)
    confirm = press(world, "confirm", "decision", d, IRO, v=4)
    assert confirm.fact.kind == FactKind.DECISION_CONFIRMED
    assert "done, confirmed by the IRO" in json.dumps(confirm.card)


def test_breach_acknowledged_by_the_service_manager_with_a_note(world: World):
    assert press(world, "acknowledge", "breach", "first_review", TM).fact is None
    out = press(world, "acknowledge", "breach", "first_review", MANAGER, note="Spoke to the team manager.")
    assert out.fact.kind == FactKind.BREACH_ACKNOWLEDGED and out.fact.data["note"].startswith("Spoke")
    assert "Acknowledged by Eve Service" in json.dumps(out.card)


def test_unknown_cards_and_verbs_are_refused_plainly(world: World, sent: str):
    gone = answer(world.svc, world.bus, Answer("accept", "decisions", CASE, "2025-01-01", 0, {}, TM))
    assert gone.fact is None and "no decisions sent" in json.dumps(gone.card)
    wrong = press(world, "resolved", "decisions", sent, TM)
    assert "'resolved' is not an answer to this card" in notice(wrong.card)


def test_a_card_from_cards_py_opens_the_answerable_view(world: World, sent: str):
    """The first card a notice sends (cards.decisions_issued) carries `acknowledge`: pressing it draws the
    bot's card with the real choices and records nothing."""
    a = Answer.from_invoke("acknowledge", {"kind": "decisions_issued", "case_ref": CASE, "subject": sent}, TM)
    out = answer(world.svc, world.bus, a)
    assert out.fact is None and {"accept", "dispute"} <= set(card_verbs(valid(out.card)))


def test_every_verb_is_exercised_here():
    tested = Path(__file__).read_text()
    assert all(f'"{verb}"' in tested for verb in VERBS)


def test_a_recorded_decision_is_carded_once_to_its_named_person(world: World):
    from function_app.messages import FactRecorded

    f = Fact(FactKind.DECISION_RECORDED, CASE, date(2026, 3, 2), "rec:D9",
             {"decision_id": "D9", "text": "Dental check to be booked", "named_person": SW, "due": "2026-04-01"})
    world.bus.handle(FactRecorded(f, world.svc.store.record(f)))
    world.bus.handle(FactRecorded(f, world.svc.store.record(f)))  # redelivered: no second card
    cards = [c for r, c in world.teams.posted if r.person == SW and c["body"][0]["id"] == "card-answer_decision"]
    assert len(cards) == 1 and {"done", "update"} <= set(card_verbs(valid(cards[0])))


def test_the_workflows_route_keeps_the_link_and_drops_the_answer_forms(world: World, sent: str):
    from graph_clients.teams.actions import for_workflows

    card = press(world, "refresh", "decisions", sent, TM).card
    posted = valid(for_workflows(card))
    assert [a["type"] for a in posted["actions"]] == ["Action.OpenUrl"]
