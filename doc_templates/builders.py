"""Contexts from domain objects: one builder per kind, returning that kind's validated context model.

The roster (`people`: email -> rules.model.Person) supplies names, roles and contact details; rules.model
Child supplies the case reference and who is allocated; review decisions are rules.model Decision; due
dates may be given as a date or as the rules.model Deadline the clocks derived. A child's name is not in
the domain model (references only), so each builder takes it as `child_name`, for the document's own text.
Resolutions arrive as plain values (id, category number, stage, concern, respond-by, history, outcome).

A draft (`draft=True`) is marked DRAFT in its title, its pages' header and its file name, and holds only
what is known: narrative sections the IRO writes (views, placement, health...) default to DRAFT, a draft with
no decisions yet gets PLACEHOLDER_DECISION rows (marked, undated: `iro decisions` refuses them), and
attendees are as invited (INVITED), not as attended. The IRO completes it in Word. Every builder raises
MissingFields (template and field paths) when something the document needs is absent, e.g. a decision with
no named person in a document that is not a draft (000 standard 5).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from doc_templates import DRAFT_MARK, Kind
from doc_templates.contexts import (
    Attendee,
    ChildDecisions,
    ConsultationForm,
    Contact,
    IntroductionLetter,
    LinkMeetingAgenda,
    MidwayOversight,
    ResolutionEntry,
    ReviewDecisions,
    ReviewRecord,
    validate_context,
)
from rules.errors import UnknownPerson
from rules.model import Child, Deadline, Decision, Person, Team
from rules.roles import ROLES, role_in_text, role_label

People = Mapping[str, Person]
DRAFT = f"{DRAFT_MARK}: to be completed by the Independent Reviewing Officer."
#: The row a draft's decisions table starts with: visibly unfinished, with no date (none is known yet).
PLACEHOLDER_DECISION = Decision(f"{DRAFT_MARK}: write each decision here: what is to be done. Every decision "
                                "needs a named person and a date.", f"{DRAFT_MARK}: named person", None,
                                f"{DRAFT_MARK}: date", "1")
CHILD_PLACEHOLDER = {"what": f"{DRAFT_MARK}: each decision in words the child understands",
                     "who": f"{DRAFT_MARK}: who will do it", "when": f"{DRAFT_MARK}: by when"}
#: A draft's attendance column: who was invited, for the IRO to turn into who came.
INVITED = f"Invited ({DRAFT_MARK}: attended, or sent apologies?)"

# Role words, category labels and stage names are not defined here: they are the policy's, through rules/roles.py
# (role_label) and the caller (function_app/drafts.py passes the policy's category label and stage name).


def contact(person: Person) -> Contact:
    return Contact(name=person.display_name or person.email, role=role_label(person.role),
                   email=person.email, phone=person.phone)


def _lookup(people: People, email: str, what: str, case_ref: str) -> Person:
    if email in people:
        return people[email]
    words = role_in_text(what) if what in ROLES else what
    raise UnknownPerson(f"the {words} ({email or 'none'}) is not on the roster", "add them to the roster",
                        case_ref)


def _contact(people: People, who: Person | str, what: str, case_ref: str) -> Contact:
    return contact(who if isinstance(who, Person) else _lookup(people, who, what, case_ref))


def _date(value: date | Deadline | None) -> date | None:
    return value.due if isinstance(value, Deadline) else value


def decision_rows(decisions: Sequence[Decision]) -> list[dict[str, Any]]:
    """Decisions as rows of the decisions table; a None named person or due date is left for validation
    to report (MissingFields: decisions[i].named_person), never filled in."""
    return [
        {"ref": d.decision_id or str(i), "text": d.text, "named_person": d.named_person, "due_by": d.due,
         "timescale": d.timescale or ""}
        for i, d in enumerate(decisions, start=1)
    ]


def _progress(items: Sequence[tuple[Decision, str]]) -> list[dict[str, Any]]:
    # No. = the decision's id and Done? prefilled when the app knows it is done: read back by record_fields
    return [{"ref": d.decision_id, "decision": d.text, "named_person": d.named_person or "", "due_by": d.due,
             "done": "Done" if progress.lower().startswith("recorded as done") else "", "progress": progress}
            for d, progress in items]


def _attendees(people: People, attendees: Sequence[Attendee | Person | str], case_ref: str,
               draft: bool = False) -> list[Attendee]:
    """Roster people (or addresses) as attendees; in a draft they are as invited, not as attended. An address
    the roster does not know (a parent, a carer) is named by its address, for the IRO to complete."""
    out = []
    for a in attendees:
        if isinstance(a, Attendee):
            out.append(a)
            continue
        known = a if isinstance(a, Person) else people.get(a)
        if known is None and not draft:
            known = _lookup(people, str(a), "attendee", case_ref)  # raises UnknownPerson
        c = contact(known) if known else Contact(name=str(a))
        out.append(Attendee(name=c.name, role=c.role, **({"attendance": INVITED} if draft else {})))
    return out


def _decisions(decisions: Sequence[Decision], draft: bool) -> list[dict[str, Any]]:
    return decision_rows(decisions or ([PLACEHOLDER_DECISION] if draft else []))


def review_decisions(child: Child, people: People, *, child_name: str, review_date: date, review_number: int,
                     decisions: Sequence[Decision], attendees: Sequence[Attendee | Person | str],
                     dispute_by: date | Deadline, on: date, dispute_window: str,
                     next_review: date | Deadline | None = None, draft: bool = False) -> ReviewDecisions:
    """004 s3.1: sent to the TM within 5 working days; `dispute_by` ends the TM's window, `dispute_window` says
    how long it is (the policy's tm_dispute_window: Clock.span)."""
    ref = child.case_ref
    return validate_context(Kind.REVIEW_DECISIONS, {
        "case_ref": ref, "document_date": on, "child_name": child_name, "review_date": review_date,
        "review_number": review_number, "iro": _contact(people, child.iro, "iro", ref),
        "team_manager": _contact(people, child.tm, "tm", ref),
        "social_worker": _contact(people, child.sw, "sw", ref) if child.sw else None,
        "attendees": _attendees(people, attendees, ref, draft), "decisions": _decisions(decisions, draft),
        "dispute_window": dispute_window, "dispute_by": _date(dispute_by), "next_review": _date(next_review),
        "draft": draft,
    })


def child_decisions(child: Child, people: People, *, child_name: str, review_date: date,
                    decisions: Sequence[Decision], on: date, in_child_words: Mapping[str, str] | None = None,
                    next_review: date | Deadline | None = None,
                    advocacy: Contact | None = None, draft: bool = False) -> ChildDecisions:
    """003; code of practice 3.4. `in_child_words` maps a decision_id to the IRO's child-friendly wording.
    A draft with no decisions gets one CHILD_PLACEHOLDER row."""
    words = in_child_words or {}
    rows = [{"what": words.get(d.decision_id, d.text), "who": d.named_person, "by_when": d.due} for d in decisions]
    if draft and not rows:
        rows = [CHILD_PLACEHOLDER]
    return validate_context(Kind.CHILD_DECISIONS, {
        "case_ref": child.case_ref, "document_date": on, "child_name": child_name, "review_date": review_date,
        "iro": _contact(people, child.iro, "iro", child.case_ref), "decisions": rows,
        "next_review": _date(next_review), "advocacy": advocacy, "draft": draft,
    })


NARRATIVE = ("child_views", "participation", "placement", "health", "education", "family_time", "permanency_plan")


def review_record(child: Child, people: People, *, child_name: str, review_date: date, review_number: int,
                  decisions: Sequence[Decision], attendees: Sequence[Attendee | Person | str], on: date,
                  previous: Sequence[tuple[Decision, str]] = (), narrative: Mapping[str, Any] | None = None,
                  venue: str = "", next_review: date | Deadline | None = None,
                  draft: bool = False) -> ReviewRecord:
    """The IRO's record. `narrative` may give child_views, participation, placement, health, education,
    pep_date, family_time, permanency_plan; what it omits is DRAFT. `previous`: (decision, progress)."""
    ref = child.case_ref
    fields = {name: DRAFT for name in NARRATIVE} | dict(narrative or {})
    return validate_context(Kind.REVIEW_RECORD, fields | {
        "case_ref": ref, "document_date": on, "child_name": child_name, "review_date": review_date,
        "review_number": review_number, "venue": venue, "legal_status": child.legal_status,
        "looked_after_since": child.looked_after_since, "iro": _contact(people, child.iro, "iro", ref),
        "social_worker": _contact(people, child.sw, "sw", ref),
        "team_manager": _contact(people, child.tm, "tm", ref),
        "attendees": _attendees(people, attendees, ref, draft), "previous_decisions": _progress(previous),
        "decisions": _decisions(decisions, draft), "next_review": _date(next_review), "draft": draft,
    })


def resolution_entry(child: Child, people: People, *, child_name: str, resolution_id: str, category: int,
                     stage: str, concern: str, respond_by: date | Deadline, respond_to: Person | str,
                     raised_on: date, on: date, category_label: str,
                     raised_by: Person | str | None = None, history: Sequence[tuple[date, str]] = (),
                     outcome: str | None = None) -> ResolutionEntry:
    """004 s5: the entry as it stands; `history` is (date, what happened), `outcome` None while open. `stage`
    and `category_label` are the policy's words (rules.roles.stage_label; policy.categories)."""
    ref = child.case_ref
    return validate_context(Kind.RESOLUTION_ENTRY, {
        "case_ref": ref, "document_date": on, "resolution_id": resolution_id, "child_name": child_name,
        "category_number": category, "category_label": category_label, "stage": stage, "raised_on": raised_on,
        "raised_by": _contact(people, raised_by or child.iro, "iro", ref), "concern": concern,
        "respond_to": _contact(people, respond_to, "manager who must respond", ref),
        "respond_by": _date(respond_by), "history": [{"on": d, "what": w} for d, w in history],
        "outcome": outcome or "",
    })


def midway_oversight(child: Child, people: People, *, child_name: str, last_review_date: date, on: date,
                     decisions_progress: Sequence[tuple[Decision, str]] = (), care_plan_progress: str = DRAFT,
                     child_contact: str = DRAFT, concerns: str = "", actions: Sequence[Decision] = (),
                     next_review: date | Deadline | None = None, resolution_raised: str = "",
                     draft: bool = False) -> MidwayOversight:
    """000 standard 10: once between reviews."""
    return validate_context(Kind.MIDWAY_OVERSIGHT, {
        "case_ref": child.case_ref, "document_date": on, "child_name": child_name,
        "iro": _contact(people, child.iro, "iro", child.case_ref), "last_review_date": last_review_date,
        "next_review": _date(next_review), "decisions_progress": _progress(decisions_progress),
        "care_plan_progress": care_plan_progress, "child_contact": child_contact, "concerns": concerns,
        "actions": decision_rows(actions), "resolution_raised": resolution_raised, "draft": draft,
    })


def consultation_form(child: Child, people: People, *, child_name: str, audience: str, recipient_name: str,
                      review_date: date, return_by: date | Deadline, on: date, review_time: str = "",
                      venue: str = "") -> ConsultationForm:
    """003: one form each for the child, the parents and the carers, in good time before the review."""
    ref = child.case_ref
    return validate_context(Kind.CONSULTATION_FORM, {
        "case_ref": ref, "document_date": on, "audience": audience, "recipient_name": recipient_name,
        "child_name": child_name, "review_date": review_date, "review_time": review_time, "venue": venue,
        "return_by": _date(return_by), "iro": _contact(people, child.iro, "iro", ref),
        "social_worker": _contact(people, child.sw, "sw", ref) if child.sw else None,
    })


def introduction_letter(child: Child, people: People, *, child_name: str, on: date,
                        first_review: date | Deadline | None = None) -> IntroductionLetter:
    """002 (NAIRO pledge at the start of the care episode); 000 standard 3."""
    return validate_context(Kind.INTRODUCTION_LETTER, {
        "case_ref": child.case_ref, "document_date": on, "child_name": child_name,
        "iro": _contact(people, child.iro, "iro", child.case_ref), "first_review": _date(first_review),
    })


def link_meeting_agenda(team: Team, people: People, *, meeting_date: date, on: date,
                        open_resolutions: Sequence[Mapping[str, Any]] = (),
                        overdue_decisions: Sequence[tuple[str, Decision]] = (), themes: Sequence[str] = (),
                        good_practice: Sequence[str] = (), last_meeting: date | None = None,
                        meeting_time: str = "", venue: str = "", draft: bool = False, every: str,
                        team_meeting_every: str) -> LinkMeetingAgenda:
    """000 standard 14; `every` and `team_meeting_every` are the policy's intervals in words (LinkMeetings.interval
    and .team_meeting_interval). `open_resolutions`: plain values with case_ref, resolution_id, category (number),
    category_label and stage (the policy's words) and respond_by; overdue when respond_by is before `on`.
    `overdue_decisions`: (case_ref, decision). The file is named by the team id, not a case."""
    resolutions = []
    for r in open_resolutions:
        number, due = r["category"], _date(r["respond_by"])
        resolutions.append({
            "case_ref": r["case_ref"], "resolution_id": r["resolution_id"],
            "category": f"{number} {r['category_label']}".strip(), "stage": r["stage"],
            "respond_by": due, "overdue": due < on,
        })
    overdue = [{"case_ref": ref, "decision": d.text, "named_person": d.named_person or "", "due_by": d.due}
               for ref, d in overdue_decisions]
    return validate_context(Kind.LINK_MEETING_AGENDA, {
        "case_ref": team.team_id, "document_date": on, "team_name": team.name,
        "team_manager": _contact(people, team.tm, "tm", team.team_id),
        "iro": _contact(people, team.link_iro, "link IRO", team.team_id), "meeting_date": meeting_date,
        "meeting_time": meeting_time, "venue": venue, "last_meeting": last_meeting,
        "open_resolutions": resolutions, "overdue_decisions": overdue, "themes": list(themes),
        "good_practice": list(good_practice), "draft": draft, "link_every": every,
        "team_meeting_every": team_meeting_every,
    })
