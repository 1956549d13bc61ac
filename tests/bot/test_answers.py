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
    # one email to each person the policy names (notifications.notices.decisions_disputed); the TM who
    # disputed has it in their digest
    told = {line.removeprefix("To: ").strip() for m in dispute for line in m.splitlines() if line.startswith("To: ")}
    assert {IRO, SW} <= told and all("the team manager, has disputed" in m for m in dispute)


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
    assert past.fact is None and "past the cap of 20 working days (Mon 30 Mar 2026)" in notice(past.card)
    ok = press(world, "more_time", "resolution", resolution, TM, v=1, until="2026-03-20")
    assert ok.fact.kind == FactKind.RESOLUTION_TIME_ASKED and ok.fact.data["until"] == "2026-03-20"
    assert "More time asked by Cara Manager" in json.dumps(ok.card)


def _response_due(world: World, resolution: str):
    from function_app import case_view

    clock = world.svc.policy.resolution.stages["stage1"].response_clock
    return next(d for d in case_view.case_deadlines(world.svc, CASE) if d.clock == clock and d.subject == resolution)


def test_more_time_moves_the_stages_response_date_within_the_policys_cap(world: World, resolution: str):
    from rules.model import Status

    assert _response_due(world, resolution).due == date(2026, 3, 16)  # 10 working days from Mon 2 March
    world.clock.set(date(2026, 3, 10))
    before = press(world, "more_time", "resolution", resolution, TM, until="2026-03-09")
    assert before.fact is None and "Mon 9 Mar 2026 is not after today" in notice(before.card)
    past = press(world, "more_time", "resolution", resolution, TM, until="2026-03-31")
    assert past.fact is None and "past the cap of 20 working days (Mon 30 Mar 2026)" in notice(past.card)
    ok = press(world, "more_time", "resolution", resolution, TM, until="2026-03-20")
    assert ok.fact is not None and ok.fact.kind == FactKind.RESOLUTION_TIME_ASKED
    assert "Respond by: Fri 20 Mar 2026" in " ".join(f"{x['title']}: {x['value']}" for b in ok.card["body"]
                                                     if b["type"] == "FactSet" for x in b["facts"])
    # the resolution clock owes the response on the granted date: not overdue on the 18th, overdue after the 20th
    world.clock.set(date(2026, 3, 18))
    moved = _response_due(world, resolution)
    assert moved.due == date(2026, 3, 20) and moved.status == Status.OPEN
    world.clock.set(date(2026, 3, 23))
    assert _response_due(world, resolution).status == Status.OVERDUE


def test_the_more_time_cap_is_the_policys(world: World, resolution: str):
    cap = world.svc.policy.resolution.cap_clock
    clocks = world.svc.policy.clocks
    world.svc.policy = world.svc.policy.model_copy(
        update={"clocks": {**clocks, cap: clocks[cap].model_copy(update={"amount": 15})}})
    world.clock.set(date(2026, 3, 10))
    past = press(world, "more_time", "resolution", resolution, TM, until="2026-03-24")
    assert past.fact is None and "past the cap of 15 working days (Mon 23 Mar 2026)" in notice(past.card)
    assert press(world, "more_time", "resolution", resolution, TM, until="2026-03-23").fact is not None


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
    assert "The button pressed is not an answer to this card" in notice(wrong.card)


def test_a_card_from_cards_py_opens_the_answerable_view(world: World, sent: str):
    """The first card a notice sends (cards.decisions_issued) carries `acknowledge`: pressing it draws the
    bot's card with the real choices and records nothing."""
    a = Answer.from_invoke("acknowledge", {"kind": "decisions_issued", "case_ref": CASE, "subject": sent}, TM)
    out = answer(world.svc, world.bus, a)
    assert out.fact is None and {"accept", "dispute"} <= set(card_verbs(valid(out.card)))


def test_every_verb_is_exercised_here():
    tested = Path(__file__).read_text()
    assert all(f'"{verb}"' in tested for verb in VERBS)


def test_a_recorded_decision_reaches_its_named_person_with_an_answer_button(world: World):
    """By default a line of the named person's next digest, in words, whose Answer opens the decision's card
    (Done / Update); a council may choose a card of its own per decision (notifications.decision_recorded)."""
    from function_app.messages import FactRecorded
    from graph_clients.teams.layout import kind_of

    f = Fact(FactKind.DECISION_RECORDED, CASE, date(2026, 3, 2), "rec:D9",
             {"decision_id": "D9", "text": "Dental check to be booked", "named_person": SW, "due": "2026-04-01"})
    world.bus.handle(FactRecorded(f, world.svc.store.record(f)))
    world.bus.handle(FactRecorded(f, world.svc.store.record(f)))  # redelivered: told once
    assert not [c for r, c in world.teams.posted if r.person == SW and kind_of(c) == "answer_decision"]
    world.sweep(date(2026, 3, 3))
    [digest] = [c for r, c in world.teams.posted if r.person == SW and kind_of(c) == "digest"]
    text = json.dumps(digest)
    assert text.count("New decision for you: Dental check to be booked") == 1
    opens = [a for a in _executes(digest) if a["verb"] == "open"]
    assert {"kind": "decision", "case_ref": CASE, "subject": "D9"} in [a["data"] for a in opens]
    opened = press(world, "open", "decision", "D9", SW, v=None)   # the press, as the invoke carries it
    assert opened.fact is None and kind_of(opened.card) == "answer_decision"
    assert {"done", "update"} <= set(card_verbs(opened.card))
    world.channels("decision_recorded", owner="card")
    g = Fact(FactKind.DECISION_RECORDED, CASE, date(2026, 3, 2), "rec:D10",
             {"decision_id": "D10", "text": "Contact plan", "named_person": SW, "due": "2026-04-02"})
    world.bus.handle(FactRecorded(g, world.svc.store.record(g)))
    world.bus.handle(FactRecorded(g, world.svc.store.record(g)))
    cards = [c for r, c in world.teams.posted if r.person == SW and kind_of(c) == "answer_decision"]
    assert len(cards) == 1 and {"done", "update"} <= set(card_verbs(valid(cards[0])))


def _executes(node) -> list[dict]:
    if isinstance(node, dict):
        here = [node] if node.get("type") == "Action.Execute" else []
        return here + [a for v in node.values() for a in _executes(v)]
    return [a for v in node for a in _executes(v)] if isinstance(node, list) else []


def test_the_workflows_route_keeps_the_link_and_drops_the_answer_forms(world: World, sent: str):
    from graph_clients.teams.actions import for_workflows

    card = press(world, "refresh", "decisions", sent, TM).card
    posted = valid(for_workflows(card))
    assert [a["type"] for a in posted["actions"]] == ["Action.OpenUrl"]


def test_refusals_are_shown_and_recorded_as_problems_without_what_was_typed(world: World, sent: str,
                                                                             resolution: str):
    def teams_problems() -> list:
        return [p for p in world.svc.store.problems() if p.source == "teams"]

    stranger = press(world, "accept", "decisions", sent, STRANGER)
    again = press(world, "accept", "decisions", sent, STRANGER)  # pressed twice: one problem
    other = press(world, "accept", "decisions", sent, OTHER_TM)
    assert "not on the IRO service's roster" in notice(stranger.card) and again.fact is None
    assert "Only the child's team manager" in notice(other.card)
    typed = "Contact with the birth mother was never discussed"
    empty = press(world, "dispute", "decisions", sent, TM, reason="   ")
    assert "The reason is empty" in notice(empty.card)
    world.clock.set(date(2026, 3, 10))
    past = press(world, "more_time", "resolution", resolution, TM, until="2026-04-30")
    bad = press(world, "more_time", "resolution", resolution, TM, until=typed)
    assert "past the cap" in notice(past.card) and "is not a date" in notice(bad.card)
    found = teams_problems()
    assert len(found) == 5, [p.reason for p in found]
    by_who = {p.payload["who"] for p in found}
    assert {"not on the roster", "tm, not entitled to this card", "tm", "owner"} == by_who
    assert all(p.case_ref == CASE and p.what_to_do for p in found)
    assert {p.payload["card"] for p in found} == {"decisions", "resolution"}
    text = json.dumps([(p.reason, p.what_to_do, dict(p.payload)) for p in found])
    assert typed not in text and STRANGER not in text and OTHER_TM not in text and TM not in text
    assert any("past the cap of 20 working days" in p.reason for p in found)
    assert any("The reason is empty" in p.reason for p in found)


def _facts_of(card: dict) -> dict[str, str]:
    return {x["title"]: x["value"] for b in card["body"] if b["type"] == "FactSet" for x in b["facts"]}


def test_the_breach_card_says_breached_only_when_the_deadline_is_past(world: World):
    # the first review: 20 working days from Mon 5 January 2026 (rules/policies), the child's IRO's deadline
    world.clock.set(date(2026, 1, 20))
    early = press(world, "refresh", "breach", "first_review", MANAGER).card
    assert "Timescale breached" not in json.dumps(early)
    assert early["body"][0]["items"][0]["text"] == "Due Mon 2 Feb 2026"
    facts = _facts_of(early)
    assert facts["Whose deadline"] == "Ada Iro, IRO" and facts["Now"] == "Open: in 13 days"
    world.clock.set(date(2026, 2, 5))
    late = press(world, "refresh", "breach", "first_review", MANAGER).card
    assert late["body"][0]["items"][0]["text"] == "Timescale breached"
    assert _facts_of(late)["Now"] == "Overdue: 3 days late, not done yet"
    assert _facts_of(late)["Whose deadline"] == "Ada Iro, IRO"


def _executes(node) -> list[dict]:
    if isinstance(node, dict):
        found = [node] if node.get("type") == "Action.Execute" else []
        return found + [a for v in node.values() for a in _executes(v)]
    return [a for v in node for a in _executes(v)] if isinstance(node, list) else []


def test_a_managers_digest_breach_line_opens_the_breach_card_to_acknowledge_once(world: World):
    world.sweep(date(2026, 1, 26))  # go-live
    world.sweep(date(2026, 2, 4))  # the first review was due Mon 2 February: overdue, told to the IRO manager
    digest = world.digests(MANAGER)[-1]
    button = next(a for a in _executes(digest) if a["id"] == f"open-breach-{CASE}-first_review")
    assert button["title"] == "Answer" and button["verb"] == "open"
    assert not [a for d in world.digests(IRO) for a in _executes(d) if a["id"].startswith("open-breach-")]
    opened = answer(world.svc, world.bus, Answer.from_invoke(button["verb"], button["data"], MANAGER, "a1"))
    card = valid(opened.card)
    assert opened.fact is None and card["body"][0]["items"][0]["text"] == "Timescale breached"
    assert "acknowledge" in card_verbs(card)
    ack = next(a for a in _executes(card) if a["verb"] == "acknowledge")
    data = {**ack["data"], "note": "Spoke to the IRO: review booked."}
    first = answer(world.svc, world.bus, Answer.from_invoke("acknowledge", data, MANAGER, "a2"))
    again = answer(world.svc, world.bus, Answer.from_invoke("acknowledge", data, MANAGER, "a3"))  # double press
    assert first.fact is not None and first.fact.data["note"] == "Spoke to the IRO: review booked."
    assert again.fact is None
    facts = world.facts(FactKind.BREACH_ACKNOWLEDGED)
    assert len(facts) == 1 and facts[0].data["clock"] == "first_review" and facts[0].data["by"] == MANAGER


def test_who_acknowledges_a_breach_is_the_clocks_on_breach_roles(world: World):
    """A council whose policy tells the team manager of a late first review (on_breach: [tm]): the TM's digest
    line carries the Answer, the TM acknowledges on the card, the IRO service manager gets no Answer for this
    breach, and the card's "Alert to" names the TM in their own role (not "IRO service manager" whatever the role)."""
    policy = world.svc.policy
    clock = policy.clocks["first_review"].model_copy(update={"on_breach": ("tm",)})
    world.svc.policy = policy.model_copy(update={"clocks": {**policy.clocks, "first_review": clock}})
    world.sweep(date(2026, 1, 26))
    world.sweep(date(2026, 2, 4))
    button = next(a for d in world.digests(TM) for a in _executes(d) if a["id"] == f"open-breach-{CASE}-first_review")
    # The manager may still answer other clocks' breaches (the introduction is theirs); not this one.
    mine = f"open-breach-{CASE}-first_review"
    assert not [a for d in world.digests(MANAGER) for a in _executes(d) if a["id"] == mine]
    card = valid(answer(world.svc, world.bus, Answer.from_invoke(button["verb"], button["data"], TM, "b1")).card)
    alert = next(f["value"] for s in card["body"] for f in s.get("facts", ()) if f["title"] == "Alert to")
    assert "team manager" in alert.lower() and "IRO service manager" not in alert
    ack = next(a for a in _executes(card) if a["verb"] == "acknowledge")
    done = answer(world.svc, world.bus, Answer.from_invoke("acknowledge", {**ack["data"], "note": "Booked."}, TM, "b2"))
    assert done.fact is not None and done.fact.data["by"] == TM
    refused = answer(world.svc, world.bus, Answer.from_invoke("acknowledge", {**ack["data"], "note": "x"}, MANAGER,
                                                              "b3"))
    assert refused.fact is None
