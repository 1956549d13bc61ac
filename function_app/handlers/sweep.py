"""The sweep: deadlines become reminders before they fall due, breach alerts and escalations after.

Run daily for every case (and for one case after each of its facts). First it records reviews that have
happened: a booked review whose day has passed and that was not cancelled is taken as held on its day
(the IRO cancels the event when a review does not take place). Then, for each deadline the rules derive:
- open, on or after one of its reminder days (rules.clocks.reminder_dates) -> a reminder, once per day;
- overdue -> a breach alert to the clock's on_breach roles, once per deadline;
- a resolution stage's response overdue -> the resolution escalates to the next stage (004 s5.2, App. 3),
  and past the 20-working-day cap to the AD (QA) (004 App. 1).
Digests (whole sweeps only) go to each team's channel and the service's, once a day.
"""

from __future__ import annotations

from datetime import date

from function_app import case_view, notices
from function_app.messages import FactRecorded, Message, Sweep
from function_app.once import once
from function_app.services import Services
from rules.clocks import deadlines, reminder_dates
from rules.model import Deadline, Fact, FactKind, Status


def on_sweep(msg: Sweep, svc: Services) -> list[Message]:
    out: list[Message] = []
    everything: list[Deadline] = []
    for case_ref, facts in svc.store.facts_by_case(msg.case_refs):
        held = _held_reviews(case_ref, facts, msg.today, svc)
        out += [FactRecorded(f, svc.store.record(f)) for f in held]
        found = deadlines(case_ref, [*facts, *held], svc.policy, svc.cal, msg.today, only_open=True)
        if svc.alerts_from:  # before go-live: reported by `iro due`, neither alerted on nor in digests
            found = [d for d in found if d.due >= svc.alerts_from]
        everything += found
        for d in found:
            out += _act(d, msg.today, svc)
    if msg.case_refs is None and msg.today.weekday() in svc.digest_weekdays:
        notices.digests(svc, everything, msg.today)
    return out


def _held_reviews(case_ref: str, facts: list[Fact], today: date, svc: Services) -> list[Fact]:
    known = {f.key for f in facts}
    return [Fact(FactKind.REVIEW_HELD, case_ref, day, f"{event}:held", {"event_id": event, "inferred": True})
            for event, day in case_view.bookings(case_ref, facts, today).items()
            if day < today and f"{event}:held" not in known]


def _act(d: Deadline, today: date, svc: Services) -> list[Message]:
    ident = f"{d.case_ref}:{d.clock}:{d.subject}:{d.due.isoformat()}"
    if d.status == Status.OPEN:
        return _before(d, ident, today, svc)
    if d.status != Status.OVERDUE:
        return []
    once(svc, f"breach:{ident}", "breach_alert", d.case_ref, lambda: notices.breach(svc, d))
    escalation = case_view.escalation_for(svc, d, today)
    return [FactRecorded(escalation, svc.store.record(escalation))] if escalation else []


def _before(d: Deadline, ident: str, today: date, svc: Services) -> list[Message]:
    reached = [day for day in reminder_dates(d, svc.policy, svc.cal) if day <= today]
    if not reached:
        return []
    if d.clock == "consultation":
        # The app sends the consultation forms itself (003; code of practice 2.1-2.2), so the clock is met.
        once(svc, f"consult:{ident}", "mail", d.case_ref, lambda: notices.consultation(svc, d))
        fact = Fact(FactKind.CONSULTATION_SENT, d.case_ref, today, f"consult:{ident}", {"subject": d.subject})
        return [FactRecorded(fact, svc.store.record(fact))]
    once(svc, f"remind:{ident}:{reached[-1].isoformat()}", "reminder", d.case_ref, lambda: notices.reminder(svc, d))
    return []
