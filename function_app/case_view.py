"""Reading a case for the handlers: its bookings, next review, resolutions, people and contacts."""

from __future__ import annotations

from datetime import date, datetime

from function_app.services import LONDON, Services
from rules.clocks import deadlines
from rules.errors import UnknownPerson
from rules.model import Child, Deadline, Fact, FactKind, Person, Status
from rules.resolution import FINAL, Resolution, resolutions
from rules.review_clocks import bookings as _bookings  # one reading of bookings, shared with the clocks
from rules.roles import AD_QA, NEXT_STAGE

REVIEW_CLOCKS = ("first_review", "second_review", "later_review")


def day_of(iso: str) -> date:
    """The London calendar day of an ISO datetime (or date) string."""
    value = datetime.fromisoformat(iso)
    return value.astimezone(LONDON).date() if value.tzinfo else value.date()


def bookings(case_ref: str, facts: list[Fact], today: date) -> dict[str, date]:
    """Booked, not cancelled reviews of the case: event id -> the review's day."""
    from rules.facts import CaseFacts

    return _bookings(CaseFacts(case_ref, facts, today))


def case_deadlines(svc: Services, case_ref: str, today: date | None = None) -> list[Deadline]:
    return deadlines(case_ref, svc.store.facts(case_ref), svc.policy, svc.cal, today or svc.today())


def next_review_due(svc: Services, case_ref: str, before: date) -> date | None:
    """Due date of the review the case is waiting for (the earliest review clock not yet met)."""
    waiting = [d.due for d in case_deadlines(svc, case_ref, before)
               if d.clock in REVIEW_CLOCKS and d.status in (Status.OPEN, Status.OVERDUE)]
    return min(waiting, default=None)


def case_resolutions(svc: Services, case_ref: str) -> list[Resolution]:
    return resolutions(case_ref, svc.store.facts(case_ref))


def resolution(svc: Services, case_ref: str, resolution_id: str) -> Resolution | None:
    return next((r for r in case_resolutions(svc, case_ref) if r.id == resolution_id), None)


def open_resolution(svc: Services, case_ref: str) -> bool:
    return any(r.stage not in FINAL for r in case_resolutions(svc, case_ref))


def escalation_for(svc: Services, d: Deadline, today: date) -> Fact | None:
    """An overdue stage response (or the 20-working-day cap) moves the resolution on (004 s5.2, App. 1)."""
    stages = {s.response_clock: name for name, s in svc.policy.resolution.stages.items()}
    if d.clock not in stages and d.clock != svc.policy.resolution.cap_clock:
        return None
    res = resolution(svc, d.case_ref, d.subject)
    if res is None or res.stage in FINAL or res.stage == AD_QA:
        return None
    target = AD_QA if d.clock == svc.policy.resolution.cap_clock else NEXT_STAGE.get(res.stage)
    if target is None or (d.clock in stages and stages[d.clock] != res.stage):
        return None  # an old stage's clock: the resolution has moved on already
    return Fact(FactKind.RESOLUTION_ESCALATED, d.case_ref, today, f"escalate:{res.id}:{res.stage}:{target}",
                {"resolution_id": res.id, "from_stage": res.stage, "to_stage": target, "by": "sweep"})


def child(svc: Services, case_ref: str) -> Child:
    found = svc.store.child(case_ref)
    if found is None:
        raise UnknownPerson(f"case {case_ref} is not on the roster", "add the child to the roster", case_ref=case_ref)
    return found


def person(svc: Services, email: str, role: str = "") -> Person:
    """The roster's person, or a placeholder that still carries the address (never fails a delivery)."""
    return svc.store.person(email.lower()) or Person(email=email, display_name=email, role=role)


def people_in_role(svc: Services, role: str) -> list[Person]:
    return svc.store.people(role)


def stage_owner(svc: Services, c: Child, stage: str) -> Person | None:
    """Who must respond at a stage (004 s4): the policy's owner role for it (notices.recipients decides)."""
    from function_app.notices.recipients import Roster
    from function_app.notices.recipients import stage_owner as owner

    return owner(svc.policy, Roster.read(svc), c, stage)


def respond_by(svc: Services, res: Resolution, stage: str | None = None) -> date | None:
    """The date the stage's written response is due: its response clock's deadline for this resolution (a
    date set in the entry wins, 004 s5.1). None at the AD (QA), which has no timescale of its own."""
    stage = stage or res.stage
    clocks = {name: s.response_clock for name, s in svc.policy.resolution.stages.items()}
    if stage not in clocks:
        return None
    due = [d.due for d in case_deadlines(svc, res.case_ref)
           if d.subject == res.id and d.clock == clocks[stage]
           and (stage != res.stage or d.started_on == res.stage_started_on)]
    return max(due, default=res.respond_by)


def response_words(svc: Services, stage: str) -> str:
    """"10 working days from the day it reached the stage", from the stage's response clock."""
    stages = svc.policy.resolution.stages
    if stage not in stages:
        return "as soon as possible: the resolution is past its timescale"
    clock = svc.policy.clocks[stages[stage].response_clock]
    return f"{clock.span} from the day it reached this stage"
