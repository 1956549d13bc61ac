"""Review meetings in an IRO's calendar, through the webhook and the worker (issue 6, behaviours 1-2)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from rules.model import FactKind
from tests.app.world import CASE, IRO, MANAGER, SW, TM, World

# looked after 5 Jan 2026: first review due on the 20th working day after (reg 33; docs/domain.md s2)
ON_TIME = datetime(2026, 1, 28, 10, tzinfo=UTC)
LATE = datetime(2026, 2, 9, 10, tzinfo=UTC)


def test_review_booked_records_fact_and_drafts_the_record(world: World):
    world.book("evt-1", ON_TIME)
    booked = world.facts(FactKind.REVIEW_BOOKED)
    assert [f.data["event_id"] for f in booked] == ["evt-1"]
    assert any("review-record" in name for name in world.documents())
    assert world.problems() == []


def test_duplicate_and_reordered_notifications_change_nothing(world: World):
    world.book("evt-1", ON_TIME, change_type="updated")  # an update seen before its creation
    before = (len(world.svc.store.facts()), world.documents(), len(world.teams.posted))
    world.notify(f"Users/{IRO}/Events/evt-1", "created")
    world.notify(f"Users/{IRO}/Events/evt-1", "updated")
    assert (len(world.svc.store.facts()), world.documents(), len(world.teams.posted)) == before


def test_moved_then_cancelled_and_rebooked(world: World):
    world.book("evt-1", ON_TIME)
    world.book("evt-1", datetime(2026, 1, 29, 10, tzinfo=UTC), change="c2")
    assert [f.data["start"][:10] for f in world.facts(FactKind.REVIEW_MOVED)] == ["2026-01-29"]
    world.book("evt-1", ON_TIME, change="c3", cancelled=True)
    world.book("evt-2", ON_TIME)
    assert [f.data["event_id"] for f in world.facts(FactKind.REVIEW_CANCELLED)] == ["evt-1"]
    assert {f.data["event_id"] for f in world.facts(FactKind.REVIEW_BOOKED)} == {"evt-1", "evt-2"}


def test_deleted_event_cancels_the_booking(world: World):
    world.book("evt-1", ON_TIME)
    world.svc.outlook.events.clear()
    world.notify(f"Users/{IRO}/Events/evt-1", "deleted")
    assert len(world.facts(FactKind.REVIEW_CANCELLED)) == 1


def test_events_that_are_not_reviews_leave_no_trace(world: World):
    before = world.svc.store.facts()
    world.book("evt-9", ON_TIME, subject="Dentist")
    assert world.svc.store.facts() == before and world.problems() == []


def test_review_without_case_reference_is_recorded_for_a_person(world: World):
    world.book("evt-3", ON_TIME, subject="CLA review for the Smith children")
    [problem] = world.problems()
    assert "no case reference" in problem.reason and "Smith" not in problem.reason
    assert "case reference" in problem.what_to_do


def test_review_for_a_case_not_on_the_roster_is_recorded(world: World):
    world.book("evt-4", ON_TIME, subject="CLA review CLA-999999")
    [problem] = world.problems()
    assert problem.case_ref == "CLA-999999" and "not on the roster" in problem.reason


def test_a_review_overdue_before_go_live_is_history_when_booked(world: World):
    """Nothing due before go-live is alerted: a review that was already late when the app went live is booked
    without a late-booking alert or problem (the annual report still counts it out of timescale)."""
    world.svc.alerts_from = LATE.date()  # live from the booking day: the review fell due before it
    world.book("evt-1", LATE)
    assert "review_booked_late" not in world.heard(MANAGER) and "review_booked_late" not in world.heard(IRO)
    assert world.problems() == []


def test_review_booked_after_its_due_date_alerts_and_asks_for_the_reason(world: World):
    world.book("evt-1", LATE)
    assert world.heard(MANAGER)["review_booked_late"] == {"digest"} == world.heard(IRO)["review_booked_late"]
    [problem] = world.problems()
    assert "after its due date" in problem.reason and "annual report" in problem.what_to_do
    world.notify(f"Users/{IRO}/Events/evt-1", "updated")  # redelivered: no second alert, no second problem
    assert len(world.problems()) == 1
    # What to do is the email itself, with the council's codes: the IRO sends it as written, one code chosen.
    asked = problem.what_to_do
    assert "policy" not in asked and all(code in asked for code in world.svc.policy.report.late_reasons)
    subject = asked.split("email '")[1].split("'")[0].replace("CODE", "placement_move")
    assert subject.startswith(f"Late review {problem.case_ref} review ") and world.svc.service_mailbox in asked
    world.email(IRO, f"Late review {problem.case_ref} review 2020-01-06 reason other", "")  # another review's
    assert len(world.problems()) == 1
    world.email(IRO, subject, "")
    [reason] = [f for f in world.svc.store.facts(problem.case_ref, ["review_late_reason"])
                if f.data["reason"] != "other"]
    assert reason.data["reason"] == "placement_move"
    assert world.problems() == []  # the demand is met: the late-booking problem is resolved, by whom and how
    [met] = world.svc.store.problems(open_only=False, case_ref=problem.case_ref)
    assert met.resolved_by == "iro by email" and met.resolution_note == "late reason recorded: placement_move"
    from function_app.notices.deliver import pending_notes

    [note] = pending_notes(world.svc, MANAGER)
    assert "after it was due on" in note["what"] and note["who"] == "Ada Iro, IRO"


def test_sweep_after_the_meeting_records_it_held_and_drafts_decisions(world: World):
    world.book("evt-1", ON_TIME)
    world.sweep(date(2026, 1, 29))
    held = world.facts(FactKind.REVIEW_HELD)
    assert [(f.on, f.data["event_id"]) for f in held] == [(date(2026, 1, 28), "evt-1")]
    names = world.documents()
    assert any("review-decisions" in n for n in names) and any("child-decisions" in n for n in names)
    world.sweep(date(2026, 1, 30))
    assert len(world.facts(FactKind.REVIEW_HELD)) == 1


def test_decisions_email_starts_the_dispute_window_and_tells_the_tm(world: World):
    world.book("evt-1", ON_TIME)
    world.sweep(date(2026, 1, 29))
    world.clock.set(date(2026, 2, 2))
    world.email(IRO, f"Review decisions {CASE} review 2026-01-28")
    [sent] = world.facts(FactKind.DECISIONS_SENT)
    assert sent.data["review_date"] == "2026-01-28"
    assert world.heard(TM)["decisions_issued"] == {"digest"}  # a line of the TM's digest (the policy's choice)
    world.channels("decisions_issued", tm="card")  # a council that wants a card of its own
    world.email(IRO, f"Review decisions {CASE} review 2026-01-28", "Resent.")
    assert "decisions_issued" in world.teams.kinds(TM)


def test_tm_dispute_is_recorded_and_everyone_told(world: World):
    world.email(IRO, f"Review decisions {CASE} review 2026-01-28")
    world.email(TM, f"RE: Review decisions {CASE} review 2026-01-28", "I dispute decision 3: no placement yet.")
    assert len(world.facts(FactKind.DECISIONS_DISPUTED)) == 1
    disputed = [m for m in world.svc.mail.sent if m.subject.startswith("Review decisions disputed")]
    assert sorted(m.to for m in disputed) == [(IRO,), (SW,)]  # in writing; the TM (who wrote it) in the digest
    assert world.heard(IRO)["decisions_disputed"] == {"email"} and world.heard(TM)["decisions_disputed"] == {"digest"}
    assert "Cara Manager, the team manager, has disputed" in disputed[0].body_html


def test_an_acknowledging_reply_is_not_a_dispute(world: World):
    world.email(TM, f"RE: Review decisions {CASE} review 2026-01-28", "Thank you, noted.")
    assert world.facts(FactKind.DECISIONS_DISPUTED) == [] and world.problems() == []


def test_a_decision_done_by_email_is_the_fallback_of_the_teams_card(world: World):
    """'Decision done CLA-… review DATE no N' from the named person (or the IRO) meets the decision's clock;
    a number not on record, a subject without one, or another sender is a problem naming what to write."""
    from rules.model import Fact

    decision = Fact(FactKind.DECISION_RECORDED, CASE, date(2026, 1, 28), "record:2026-01-28-2",
                    {"decision_id": "2026-01-28-2", "text": "Dental check", "named_person": "Ben Worker",
                     "due": "2026-03-02"})
    world.svc.store.record(decision)
    world.email(TM, f"Decision done {CASE} review 2026-01-28 no 2")          # not the named person
    world.email(SW, f"Decision done {CASE} review 2026-01-28")                # which decision?
    world.email(SW, f"Decision done {CASE} review 2026-01-28 no 7")          # not on record
    world.email(SW, f"Decision done {CASE} review 2026-02-30 no 2")          # a date that does not exist
    assert world.facts(FactKind.DECISION_DONE) == []
    reasons = [p.reason for p in world.problems()]
    assert any("not from the person it names" in r for r in reasons)
    assert any("but not which" in r for r in reasons) and any("not on record" in r for r in reasons)
    assert any("does not exist" in r for r in reasons)
    assert all("Dental" not in r for r in reasons)                            # no decision text in a problem
    world.email(SW, f"Decision done {CASE} review 2026-01-28 no 2", "Booked for next week.")
    [done] = world.facts(FactKind.DECISION_DONE)
    assert done.data["decision_id"] == "2026-01-28-2" and done.data["from_role"] == "sw"
    assert "number" not in done.data and "review_date" not in done.data
