"""Link meetings (000 standard 14), completed review records read back (standard 5), subscriptions."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from function_app import runtime
from function_app.messages import Lifecycle, RecordSaved
from function_app.services import LONDON
from graph_clients.ports import CalendarEvent, DocumentMeta, Subscription
from rules.model import FactKind
from tests.app.world import CASE, IRO, SW, TM, World


def test_link_meeting_booked_in_working_hours_and_not_doubled(world: World):
    # the TM is busy all Monday morning of the target week
    world.svc.outlook.put_event(CalendarEvent("busy-1", TM, "Panel", datetime(2026, 1, 12, 9, tzinfo=UTC),
                                              datetime(2026, 1, 12, 13, tzinfo=UTC)))
    world.clock.set(date(2026, 1, 5))
    runtime.schedule_link_meetings(bus=world.bus)
    runtime.schedule_link_meetings(bus=world.bus)
    booked = {e.id: e for (who, _), e in world.svc.outlook.events.items() if e.subject.startswith("IRO link")}
    assert len(booked) == 1
    [meeting] = booked.values()
    local = meeting.start.astimezone(LONDON)
    lm = world.svc.policy.link_meetings
    assert lm.working_hours_start <= local.strftime("%H:%M") and world.svc.cal.is_working_day(local.date())
    assert not (meeting.start < datetime(2026, 1, 12, 13, tzinfo=UTC) and meeting.end > datetime(2026, 1, 12, 9,
                                                                                                   tzinfo=UTC))
    assert meeting.join_url and TM in meeting.attendees
    assert world.heard(IRO)["link_meeting"] == {"digest"} == world.heard(TM)["link_meeting"]  # the invitation too
    assert world.svc.folders.list("T1")  # agendas are filed under the team id
    # the invitation says how often, as the policy does, and cites the standard by the council's title
    assert f"every {lm.tm_every_months} months (IRO Practice Standards, standard 14)" in meeting.body_text
    assert "000" not in meeting.body_text


def test_link_meetings_recur_every_two_months(world: World):
    days = []
    day = date(2026, 1, 5)
    while day < date(2026, 9, 1):
        world.clock.set(day)
        runtime.schedule_link_meetings(bus=world.bus)
        day += timedelta(days=7)
    held = sorted(f.on for f in world.svc.store.facts("T1", [FactKind.LINK_MEETING_HELD]))
    days = [(b - a).days for a, b in zip(held, held[1:], strict=False)]
    assert len(held) >= 3 and all(40 <= d <= 70 for d in days), held


def _completed_record(world: World, review: date) -> str:
    from doc_templates.render import document_name, render

    person = {"name": "Ben Worker", "role": "sw", "email": "sw.b@council.example"}
    ctx = {"case_ref": CASE, "document_date": review, "child_name": "A.B.", "review_date": review,
           "review_number": 1, "looked_after_since": date(2026, 1, 5), "iro": person, "social_worker": person,
           "team_manager": person, "attendees": [{"name": "Ben Worker"}], "child_views": "x", "participation": "x",
           "placement": "x", "health": "x", "education": "x", "family_time": "x", "permanency_plan": "x",
           "decisions": [
               {"ref": "1", "text": "Health assessment", "named_person": "Ben Worker", "due_by": date(2026, 2, 27)},
               {"ref": "2", "text": "PEP meeting", "named_person": "Cara Manager", "due_by": date(2026, 3, 13)}]}
    name = document_name("review_record", CASE, review)
    world.svc.folders.save(DocumentMeta(CASE, "review_record", review, "final"), name,
                           render("review_record", ctx))
    return name


def test_completed_record_decisions_are_tracked(world: World):
    name = _completed_record(world, date(2026, 1, 28))
    world.bus.handle(RecordSaved(CASE, name, date(2026, 1, 28)))
    recorded = world.facts(FactKind.DECISION_RECORDED)
    assert sorted(f.data["due"] for f in recorded) == ["2026-02-27", "2026-03-13"]
    assert {f.data["named_person"] for f in recorded} == {"Ben Worker", "Cara Manager"}
    world.bus.handle(RecordSaved(CASE, name, date(2026, 1, 28)))
    assert len(world.facts(FactKind.DECISION_RECORDED)) == 2


@dataclass
class FakeSubscriptions:
    subs: dict[str, Subscription] = field(default_factory=dict)
    n: int = 0

    def list(self):
        return list(self.subs.values())

    def create(self, resource, change_type, expires):
        self.n += 1
        sub = Subscription(f"s{self.n}", resource, change_type, expires)
        self.subs[sub.id] = sub
        return sub

    def renew(self, sid, expires):
        old = self.subs[sid]
        self.subs[sid] = Subscription(sid, old.resource, old.change_type, expires)
        return self.subs[sid]

    def delete(self, sid):
        self.subs.pop(sid)


def test_subscriptions_created_renewed_at_half_life_and_recreated(world: World):
    fake = world.svc.subscriptions = FakeSubscriptions()
    now = datetime(2026, 1, 5, tzinfo=UTC)
    world.clock.at = now
    # the IRO's events and inbox, the service inbox, and the case-folder library's root (issue 13)
    assert runtime.renew_subscriptions(bus=world.bus) == {"created": 4, "renewed": 0, "deleted": 0}
    assert "drives/local/root" in {s.resource for s in fake.subs.values()}
    assert runtime.renew_subscriptions(bus=world.bus) == {"created": 0, "renewed": 0, "deleted": 0}
    world.clock.at = now + world.svc.subscription_lifetime / 2 + timedelta(minutes=1)
    assert runtime.renew_subscriptions(bus=world.bus) == {"created": 0, "renewed": 4, "deleted": 0}
    assert all(s.expires - world.clock.at > world.svc.subscription_lifetime * 0.99 for s in fake.subs.values())
    events_sub = next(s for s in fake.subs.values() if s.resource.endswith("/events"))
    fake.delete(events_sub.id)
    world.bus.handle(Lifecycle(events_sub.id, "subscriptionRemoved"))
    assert sum(s.resource.endswith("/events") for s in fake.subs.values()) == 1
    assert world.svc.store.get_state(f"catch-up:{IRO}")


def test_record_complete_email_reads_the_record_back(world: World):
    name = _completed_record(world, date(2026, 1, 28))
    world.clock.set(date(2026, 2, 10))
    world.email(IRO, f"Record complete {CASE} review 2026-01-28", "In the case folder.")
    assert len(world.facts(FactKind.DECISION_RECORDED)) == 2
    assert world.facts(FactKind.RECORD_COMPLETED) and world.facts(FactKind.RECORD_DISTRIBUTED)
    [sent] = [m for m in world.svc.mail.sent if m.subject == f"Review record {CASE}"]
    assert sent.attachments[0].filename == name and sent.to == (SW,)  # to share; the TM hears in the digest
    assert world.heard(TM)["record_distributed"] == {"digest"}


def test_record_complete_without_the_record_is_a_problem(world: World):
    world.email(IRO, f"Record complete {CASE} review 2026-01-28")
    world.email(IRO, f"Record complete {CASE}")
    reasons = " | ".join(p.reason for p in world.problems())
    assert "no review record" in reasons and "gives no review date" in reasons


def test_a_decision_reminder_goes_to_the_person_it_names(world: World):
    name = _completed_record(world, date(2026, 1, 28))
    world.bus.handle(RecordSaved(CASE, name, date(2026, 1, 28)))  # decision 2 names "Cara Manager" (the TM)
    world.sweep(date(2026, 3, 9))  # a few working days before 13 March
    [digest] = world.digests(TM)  # the named person's digest, with the decision in words
    words = json.dumps(digest)
    assert "Carry out: PEP meeting (Cara Manager, by 13 March 2026)" in words and "Cara Manager, Team manager" in words
    assert not world.digests(SW) or "Cara Manager" not in json.dumps(world.digests(SW))


def test_earlier_decisions_undone_on_the_review_day_prompt_a_category4_concern(world: World):
    """004 Appendix 1 category 4: the reaction to record_completed (not the record's handler) prompts the IRO,
    naming the decisions in words; the first record, with nothing carried, prompts nobody."""
    first = _completed_record(world, date(2026, 1, 28))
    world.bus.handle(RecordSaved(CASE, first, date(2026, 1, 28)))
    assert "category4" not in world.heard(IRO)
    world.clock.set(date(2026, 4, 2))
    second = _completed_record(world, date(2026, 4, 1))
    world.bus.handle(RecordSaved(CASE, second, date(2026, 4, 1)))
    [completed] = [f for f in world.facts(FactKind.RECORD_COMPLETED) if f.data["document"] == second]
    assert len(completed.data["carried"]) == 2
    assert world.heard(IRO)["category4"]
    world.bus.handle(RecordSaved(CASE, second, date(2026, 4, 1)))  # a duplicate: no second prompt, one distribution
    assert sum(m.subject == f"Review record {CASE}" for m in world.svc.mail.sent) == 2


def test_a_fact_has_one_handler_and_every_effect_is_a_reaction():
    """One dispatch path: FactRecorded goes to reactions.on_fact alone, and the decision notice is a reaction."""
    from function_app.bootstrap import HANDLERS
    from function_app.handlers import reactions
    from function_app.messages import FactRecorded

    assert HANDLERS[FactRecorded] == [reactions.on_fact]
    assert {FactKind.RECORD_COMPLETED, FactKind.DECISION_RECORDED} <= set(reactions.REACTIONS)
