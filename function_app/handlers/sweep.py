"""The sweep: deadlines become lines of each person's daily digest before they fall due and after.

Run daily for every case (and for one case after each of its facts). First it records reviews that have
happened: a booked review whose day has passed and that was not cancelled is taken as held on its day
(the IRO cancels the event when a review does not take place). Then, for each deadline the rules derive:
- open, on or after one of its reminder days (rules.clocks.reminder_dates): the consultation forms go to
  the social worker, the midway oversight record is drafted for the IRO;
- a resolution stage's response overdue -> the resolution escalates to the next stage (004 s5.2, App. 3),
  and past the 20-working-day cap to the AD (QA) (004 App. 1).
Whole sweeps then send each person's digest (notices/digests.py): their deadlines due soon (from the first
reminder day) and overdue, and the breaches the policy tells them of. Deadlines due before go-live (the
IRO_ALERTS_FROM setting, else the day of the first sweep) are neither alerted nor listed: `iro due`
reports them. (The first sweep of all follows the first fact the app handles.)
"""

from __future__ import annotations

from datetime import date

from function_app import case_view, drafts
from function_app.bus import uses
from function_app.go_live import go_live_day
from function_app.messages import FactRecorded, Message, Sweep, origin_of
from function_app.notices import digests, events
from function_app.once import current, isolated, once, sent_to
from function_app.services import Services
from rules.clocks import deadlines, reminder_dates
from rules.model import Deadline, Fact, FactKind, Status


@uses("alerts_from", "branding", "cal", "display_initials", "done_actions", "folders", "mail", "now",
      "policy", "service_mailbox", "store", "teams", "today", "tracker_url")
def on_sweep(msg: Sweep, svc: Services) -> list[Message]:
    out: list[Message] = []
    everything: list[Deadline] = []
    decisions: dict[str, list[Fact]] = {}
    go_live = go_live_day(svc, msg.today)
    run = current()
    whole = run.origin
    for case_ref, facts in svc.store.facts_by_case(msg.case_refs):
        # Isolated: a failing case is a problem (or a retried action) and the sweep goes on with the others;
        # its actions record the one-case sweep as their origin, so the re-drive repeats only that case.
        run.origin = origin_of(Sweep(msg.today, (case_ref,)))
        isolated(svc, "the daily sweep", case_ref, lambda c=case_ref, f=facts: _case(
            c, f, msg.today, go_live, svc, out, everything, decisions))
    run.origin = whole
    if msg.case_refs is None:
        digests.daily(svc, everything, decisions, msg.today)
    return out


def _case(case_ref: str, facts: list[Fact], today: date, go_live: date, svc: Services, out: list[Message],
          everything: list[Deadline], decisions: dict[str, list[Fact]]) -> None:
    held = _held_reviews(case_ref, facts, today, svc)
    out += [FactRecorded(f, svc.store.record(f)) for f in held]  # kept even if an action below fails
    found = deadlines(case_ref, [*facts, *held], svc.policy, svc.cal, today, only_open=True)
    found = [d for d in found if d.due >= go_live]  # before go-live: reported by `iro due`, never alerted
    everything += found
    if any(d.clock == "decision" for d in found):
        decisions[case_ref] = [f for f in facts if f.kind == FactKind.DECISION_RECORDED]
    for d in found:
        out += _act(d, today, svc)


def _held_reviews(case_ref: str, facts: list[Fact], today: date, svc: Services) -> list[Fact]:
    """Reviews held (inferred), to record; and recent ones recorded by a sweep that died before their
    reaction (the decision drafts) was done: they go round again (reactions are once-only)."""
    known = {f.key: f for f in facts}
    out = []
    for event, day in case_view.bookings(case_ref, facts, today).items():
        key = f"{event}:held"
        if day >= today:
            continue
        if key not in known:
            out.append(Fact(FactKind.REVIEW_HELD, case_ref, day, key, {"event_id": event, "inferred": True}))
        elif (today - day).days <= REACTED_WITHIN_DAYS and not _reacted(svc, f"{key}:decision-drafts"):
            out.append(known[key])
    return out


REACTED_WITHIN_DAYS = 14  # how far back a held review's reaction is checked (a sweep's retry comes in minutes)


def _reacted(svc: Services, key: str) -> bool:
    from function_app.once import bounded

    if bounded(key) in svc.done_actions:
        return True
    record = svc.store.action(bounded(key))
    if record is not None and record.done:
        svc.done_actions.add(bounded(key))
        return True
    return False


def _act(d: Deadline, today: date, svc: Services) -> list[Message]:
    ident = f"{d.case_ref}:{d.clock}:{d.subject}:{d.due.isoformat()}"
    if d.status == Status.OPEN:
        return _before(d, ident, today, svc)
    if d.status != Status.OVERDUE:
        return []
    escalation = case_view.escalation_for(svc, d, today)
    return [FactRecorded(escalation, svc.store.record(escalation))] if escalation else []


def _before(d: Deadline, ident: str, today: date, svc: Services) -> list[Message]:
    reached = [day for day in reminder_dates(d, svc.policy, svc.cal) if day <= today]
    if not reached:
        return []
    if d.clock == "consultation":
        # The app sends the consultation forms itself (003; code of practice 2.1-2.2), so the clock is met.
        review_day = _review_day(svc, d)
        once(svc, f"consult:{ident}", "documents", d.case_ref,
             lambda: events.consultation(svc, d.case_ref, f"consult:{ident}", review_day, d.due))
        if not sent_to(svc, f"consult:{ident}"):  # a fact says only what happened: the forms went by email
            return []
        fact = Fact(FactKind.CONSULTATION_SENT, d.case_ref, today, f"consult:{ident}", {"subject": d.subject})
        return [FactRecorded(fact, svc.store.record(fact))]
    if d.clock == "midway_oversight" and d.started_on:
        started = d.started_on
        once(svc, f"midway-draft:{d.case_ref}:{d.subject}:{d.due.isoformat()}", "document", d.case_ref,
             lambda: drafts.midway_oversight(svc, d.case_ref, started, today))
    return []


def _review_day(svc: Services, d: Deadline) -> date:
    event = d.subject.removeprefix("event-")
    start = svc.store.get_state(f"event-start:{event}")
    return case_view.day_of(start) if start else d.due
