"""Reading a case for the handlers: its bookings, next review, resolutions, people and contacts."""

from __future__ import annotations

from datetime import date, datetime

from function_app.services import LONDON, Services
from rules.clocks import deadlines
from rules.errors import UnknownPerson
from rules.model import Child, Deadline, Fact, FactKind, Person, Status
from rules.resolution import FINAL, Resolution, resolutions
from rules.review_clocks import bookings as _bookings  # one reading of bookings, shared with the clocks

REVIEW_CLOCKS = ("first_review", "second_review", "later_review")
_NEXT_STAGE = {"stage1": "stage2", "stage2": "stage3", "stage3": "ad_qa"}


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
    if res is None or res.stage in FINAL or res.stage == "ad_qa":
        return None
    target = "ad_qa" if d.clock == svc.policy.resolution.cap_clock else _NEXT_STAGE.get(res.stage)
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


def stage_owner(svc: Services, c: Child, stage: str) -> Person:
    """Who must respond at a stage (004 s4): TM, the team's HoS, the Service Director, the AD (QA)."""
    team = svc.store.team(c.team) if c.team else None
    if stage == "stage1":
        return person(svc, c.tm or (team.tm if team else ""), "tm")
    if stage == "stage2" and team and team.hos:
        return person(svc, team.hos, "hos")
    role = {"stage2": "hos", "stage3": "service_director", "ad_qa": "ad_qa"}.get(stage, "iro_manager")
    found = people_in_role(svc, role)
    return found[0] if found else person(svc, svc.service_mailbox, role)
