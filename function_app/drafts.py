"""Documents the app drafts into a child's case folder: doc_templates.builders makes each context from the
domain, doc_templates.render the .docx; this module says what the app knows at each moment and saves it.

Drafts (the review record, the review decisions and the child's version, the midway oversight, the link
meeting agenda) are for a person to complete: each is marked DRAFT (title, every page's header, the file
name) and holds only what is known and true: the people and their contact details from the roster, who was
invited (the review's Outlook event), the next review's due date from the review clocks, earlier decisions
in their own words with their named persons (read back from the completed records), the last link meeting
on record. What only the IRO can write, or what has not happened yet (attendance, decisions, the date the
record is completed), is marked DRAFT, never filled in. The introduction letter, the consultation forms and
the resolution entry are issued as they are. The child's name is not on the roster, so documents name the
child by initials where known; the IRO adds the name in Word. File names carry the case reference and
document type only (doc_templates.render.document_name).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from function_app import case_view
from function_app.services import LONDON, Services
from graph_clients.ports import DocumentMeta
from rules.clocks import deadlines, due_date
from rules.decisions import counted_dones
from rules.errors import IROError
from rules.model import Decision, Fact, FactKind, Person, Status, Team
from rules.policy import Policy
from rules.resolution import FINAL, Resolution
from rules.roles import AD_QA, OTHER_STATES, RESPONDING_STAGES, stage_label

STEP_WORDS = {"respond": "Written response received", "meeting": "Resolution meeting held",
              "resolve": OTHER_STATES["resolved"], "good_practice": OTHER_STATES["good_practice"],
              "discuss_cafcass": "Cafcass referral discussed", "refer_cafcass": "Referred to Cafcass"}


def step_words(policy: Policy, event: str) -> str:
    """A resolution step in the entry's log; stage moves name the stage as the policy does (rules.roles)."""
    if event == "to_stage1":
        return f"Raised at {stage_label(policy, 'stage1')}"
    if event.startswith("to_") or event == "escalate_ad_qa":
        return f"Escalated to {stage_label(policy, AD_QA if event == 'escalate_ad_qa' else event[3:])}"
    return STEP_WORDS.get(event, event)


def _builders():
    from doc_templates import builders  # docxtpl and pydantic contexts: only when a document is made

    return builders


def save(svc: Services, kind: str, context, review_date: date | None = None, suffix: str = "") -> dict:
    """`suffix` tells apart several documents of one kind on one day (three consultation forms, two
    resolutions); a draft's name ends in DRAFT and its metadata says "draft", anything else "final"."""
    from doc_templates.render import document_name, render

    content = render(kind, context, branding=svc.branding)
    name = document_name(kind, context.case_ref, context.document_date, part=suffix, draft=context.draft,
                         mark=svc.policy.case_folder.draft_mark)  # the mark the completion rule looks for
    meta = DocumentMeta(context.case_ref, kind, review_date, "draft" if context.draft else "final")
    stored = svc.folders.save(meta, name, content)
    return {"name": stored.name, "url": stored.url}


def _people(svc: Services) -> dict[str, Person]:
    return {p.email: p for p in svc.store.people()}


def child_label(svc: Services, case_ref: str) -> str:
    return svc.display_initials.get(case_ref) or "the child"


def _review_number(svc: Services, case_ref: str, on: date) -> int:
    held = {f.data.get("event_id") or f.key for f in svc.store.facts(case_ref, [FactKind.REVIEW_HELD]) if f.on < on}
    return len(held) + 1


def next_review_after(svc: Services, case_ref: str, held_on: date) -> date | None:
    """When the review after the one held (or to be held) on `held_on` falls due, by the review clocks."""
    facts = svc.store.facts(case_ref)
    if not any(f.kind == FactKind.REVIEW_HELD and f.on == held_on for f in facts):  # as if held that day
        facts.append(Fact(FactKind.REVIEW_HELD, case_ref, held_on, f"projected:{held_on.isoformat()}", {}))
    found = deadlines(case_ref, facts, svc.policy, svc.cal, held_on)
    return min((d.due for d in found if d.clock in case_view.REVIEW_CLOCKS and d.started_on == held_on
                and d.status in (Status.OPEN, Status.OVERDUE)), default=None)


def earlier_decisions(svc: Services, case_ref: str, before: date) -> list[tuple[Decision, str]]:
    """The last review's decisions and any earlier ones not done, in the words of the record they came from,
    each with what the system knows of its progress (a DECISION_DONE fact, or none)."""
    latest: dict[str, Fact] = {}   # one per decision: a record edited after completion has later versions
    for f in sorted(svc.store.facts(case_ref, [FactKind.DECISION_RECORDED]), key=lambda f: (f.on, f.key)):
        if f.on < before:
            latest[str(f.data.get("decision_id") or f.key)] = f
    recorded = [f for f in latest.values() if not f.data.get("withdrawn")]
    if not recorded:
        return []
    done = done_on(svc.store.facts(case_ref, [FactKind.DECISION_PROGRESS, FactKind.DECISION_DONE,
                                              FactKind.DECISION_REOPENED]))
    last, records = max(f.on for f in recorded), {}
    return [(d, _progress(done.get(f.data.get("decision_id")), d.due, before))
            for f in recorded if f.on == last or f.data.get("decision_id") not in done
            for d in [in_words(svc, f, records)]]


def done_on(facts: list[Fact]) -> dict[str, date]:
    """decision_id -> the day it was done, as the decision clocks count it (rules/review_clocks.py): a done a
    later version of the record took back, or one on or before the IRO reopened the decision, does not count."""
    reopened: dict[str, date] = {}
    for f in facts:
        if f.kind == FactKind.DECISION_REOPENED:
            key = str(f.data.get("decision_id"))
            reopened[key] = max(f.on, reopened.get(key, f.on))
    return {str(f.data.get("decision_id")): f.on for f in counted_dones(facts)
            if f.on > reopened.get(str(f.data.get("decision_id")), date.min)}


def in_words(svc: Services, f: Fact, records: dict | None = None) -> Decision:
    """A recorded decision (a DECISION_RECORDED fact) with its text and named person as the record has them:
    the fact's own text when it carries one, else read back from the record it names. `records` caches the
    records read. A record that can no longer be read leaves a reference to it, never invented words."""
    records = {} if records is None else records
    decision_id, record = str(f.data.get("decision_id", "")), str(f.data.get("record", ""))
    if record not in records:
        records[record] = _read_back(svc, f.case_ref, record, f.on)
    said = records[record].get(decision_id)
    due = date.fromisoformat(f.data["due"]) if f.data.get("due") else None
    text = f.data.get("text") or (said.text if said else f"Decision {decision_id.rsplit('-', 1)[-1]} of the "
                                  f"review on {f.on:%d %B %Y} (in {record or 'its record'})")
    return Decision(text, f.data.get("named_person") or (said.named_person if said else None), due,
                    decision_id=decision_id)


def _read_back(svc: Services, case_ref: str, record: str, review_date: date) -> dict[str, Decision]:
    """A completed record's decisions by decision id (as handlers.records numbers them), or {} if unreadable."""
    from doc_templates.readback import read_decisions

    try:
        read = read_decisions(svc.folders.read(case_ref, record), review_date, svc.cal)
    except IROError:  # moved, deleted or no longer a record: the entry says where the words are
        return {}
    return {f"{review_date.isoformat()}-{n}": d for n, d in enumerate(read.decisions, start=1)}


def _progress(done_on: date | None, due: date | None, today: date) -> str:
    if done_on is not None:
        return f"Recorded as done on {done_on:%d %B %Y}"
    if due is not None and due < today:
        return "Not recorded as done: overdue"
    return "Not recorded as done yet"


def invited(svc: Services, case_ref: str, day: date) -> list:
    """Who was invited to the review on `day`: the IRO who chairs it and the attendees of its Outlook event.
    If the event cannot be read, the child's IRO, social worker and team manager, marked as not known."""
    from doc_templates import DRAFT_MARK
    from doc_templates.builders import INVITED, contact
    from doc_templates.contexts import Attendee

    c, people = case_view.child(svc, case_ref), _people(svc)

    def attendee(email: str, attendance: str) -> Attendee:
        known = people.get(email.lower())
        who = contact(known) if known else None
        return Attendee(name=who.name if who else email, role=who.role if who else "", attendance=attendance)

    booked = [f for f in svc.store.facts(case_ref, [FactKind.REVIEW_BOOKED, FactKind.REVIEW_MOVED])
              if f.data.get("start") and case_view.day_of(f.data["start"]) == day]
    for f in reversed(booked):
        try:
            event = svc.outlook.get_event(f.data.get("iro") or c.iro, f.data["event_id"])
        except IROError:
            continue
        guests = [e for e in dict.fromkeys(a.lower() for a in event.attendees) if e != event.mailbox.lower()]
        if guests:
            return [attendee(event.mailbox, "Chair"), *(attendee(e, INVITED) for e in guests)]
    unknown = f"{DRAFT_MARK}: invited? attended, or sent apologies?"
    return [attendee(c.iro, "Chair"), *(attendee(e, unknown) for e in (c.sw, c.tm) if e)]


def review_record_draft(svc: Services, case_ref: str, day: date) -> dict:
    c = case_view.child(svc, case_ref)
    ctx = _builders().review_record(
        c, _people(svc), child_name=child_label(svc, case_ref), review_date=day,
        review_number=_review_number(svc, case_ref, day), decisions=[], attendees=invited(svc, case_ref, day),
        on=day, previous=earlier_decisions(svc, case_ref, day), next_review=next_review_after(svc, case_ref, day),
        draft=True)
    return save(svc, "review_record", ctx, review_date=day)


def decision_drafts(svc: Services, case_ref: str, day: date) -> dict:
    """After the review: the decisions letter to the TM and the child's version, dated the day they are drafted.
    The letter's dispute date is the TM's dispute window counted from that date, as the TM's card counts it
    from the day the decisions are sent (rules.clocks.due_date)."""
    c = case_view.child(svc, case_ref)
    b, people, name = _builders(), _people(svc), child_label(svc, case_ref)
    on, window = max(svc.today(), day), svc.policy.clocks["tm_dispute_window"]
    next_review = next_review_after(svc, case_ref, day)
    decisions = save(svc, "review_decisions", b.review_decisions(
        c, people, child_name=name, review_date=day, review_number=_review_number(svc, case_ref, day),
        decisions=[], attendees=invited(svc, case_ref, day), on=on, next_review=next_review, draft=True,
        dispute_by=due_date(svc.policy, svc.cal, "tm_dispute_window", on),
        dispute_window=window.span), review_date=day)
    child = save(svc, "child_decisions", b.child_decisions(
        c, people, child_name=name, review_date=day, decisions=[], on=on, next_review=next_review, draft=True),
        review_date=day)
    return {"decisions": decisions["name"], "child": child["name"]}


def resolution_entry(svc: Services, f: Fact) -> dict:
    """The resolution tool entry, re-rendered with the whole log after every step (004 s5.1)."""
    res = case_view.resolution(svc, f.case_ref, str(f.data.get("resolution_id", "")))
    if res is None:
        return {"skipped": "no such resolution"}
    c = case_view.child(svc, f.case_ref)
    stage = res.stage if res.stage in RESPONDING_STAGES else "stage1"
    category = res.category or 1
    ctx = _builders().resolution_entry(
        c, _people(svc), child_name=child_label(svc, f.case_ref), resolution_id=res.id, category=category,
        stage=stage_label(svc.policy, res.stage), concern=concern_text(svc, f.case_ref, res.id),
        respond_by=respond_by(svc, res), respond_to=case_view.stage_owner(svc, c, stage) or "", raised_on=res.opened_on,
        on=res.opened_on, category_label=svc.policy.categories[category].label,
        history=[(s.on, step_words(svc.policy, s.event)) for s in res.history],
        outcome=OTHER_STATES[res.stage] if res.stage in FINAL else None)
    return save(svc, "resolution_entry", ctx, suffix=res.id)


def respond_by(svc: Services, res: Resolution) -> date:
    """The current stage's response date (case_view.respond_by: the stage's response clock); at the AD (QA),
    which has no timescale of its own, the day it reached them."""
    return case_view.respond_by(svc, res) or res.stage_started_on


def concern_text(svc: Services, case_ref: str, resolution_id: str) -> str:
    """The concern as the IRO wrote it, read from the raising email (facts keep no free text)."""
    fallback = "See the IRO's email raising this resolution."
    raised = [f for f in svc.store.facts(case_ref, [FactKind.RESOLUTION_RAISED])
              if f.data.get("resolution_id") == resolution_id and f.data.get("message_id")]
    if not raised:
        return fallback
    from rules.errors import GraphError

    try:
        msg = svc.mail.get_message(svc.service_mailbox, raised[0].data["message_id"])
    except GraphError:  # the message may have been moved or deleted; the entry still renders
        return fallback
    return msg.body_text.strip() or fallback


def introduction_letter(svc: Services, case_ref: str, on: date) -> dict:
    c = case_view.child(svc, case_ref)
    first = svc.cal.add_working_days(c.looked_after_since, svc.policy.clocks["first_review"].amount)
    return save(svc, "introduction_letter", _builders().introduction_letter(
        c, _people(svc), child_name=child_label(svc, case_ref), on=on, first_review=first))


def consultation_forms(svc: Services, case_ref: str, review_day: date, on: date) -> dict:
    c = case_view.child(svc, case_ref)
    b, people, name = _builders(), _people(svc), child_label(svc, case_ref)
    names = []
    for audience, recipient in (("child", name), ("parent", "Parent"), ("carer", "Carer")):
        ctx = b.consultation_form(c, people, child_name=name, audience=audience, recipient_name=recipient,
                                  review_date=review_day, return_by=svc.cal.add_working_days(
                                      review_day, -svc.policy.lead_times.consultation_return.working_days), on=on)
        names.append(save(svc, "consultation_form", ctx, review_date=review_day, suffix=audience)["name"])
    return {"forms": names}


def midway_oversight(svc: Services, case_ref: str, last_review: date, on: date) -> dict:
    c = case_view.child(svc, case_ref)
    return save(svc, "midway_oversight", _builders().midway_oversight(
        c, _people(svc), child_name=child_label(svc, case_ref), last_review_date=last_review, on=on,
        decisions_progress=earlier_decisions(svc, case_ref, on + timedelta(days=1)), draft=True,
        next_review=case_view.next_review_due(svc, case_ref, before=on)))


def link_meeting_agenda(svc: Services, team: Team, start: datetime) -> dict:
    """000 standard 14: open resolutions and overdue decisions of the team's children, by case reference."""
    today, open_res, overdue = svc.today(), [], []
    for c in svc.store.children():
        if c.team != team.team_id:
            continue
        for r in case_view.case_resolutions(svc, c.case_ref):
            if r.stage in RESPONDING_STAGES:
                open_res.append({"case_ref": c.case_ref, "resolution_id": r.id, "category": r.category or 1,
                                 "category_label": svc.policy.categories[r.category or 1].label,
                                 "stage": stage_label(svc.policy, r.stage), "respond_by": respond_by(svc, r)})
        recorded, records = {}, {}
        for d in case_view.case_deadlines(svc, c.case_ref):
            if d.clock == "decision" and d.status.value == "overdue":
                if not recorded:
                    recorded = {f.data.get("decision_id"): f
                                for f in svc.store.facts(c.case_ref, [FactKind.DECISION_RECORDED])}
                f = recorded.get(d.subject)
                said = in_words(svc, f, records) if f else Decision(f"Decision {d.subject}", None, d.due)
                overdue.append((c.case_ref, Decision(said.text, said.named_person, d.due)))
    local = start.astimezone(LONDON)
    held = [f.on for f in svc.store.facts(team.team_id, [FactKind.LINK_MEETING_HELD]) if f.on < local.date()]
    ctx = _builders().link_meeting_agenda(team, _people(svc), meeting_date=local.date(), on=today,
                                          open_resolutions=open_res, overdue_decisions=overdue,
                                          meeting_time=local.strftime("%H:%M"), venue="Microsoft Teams",
                                          last_meeting=max(held, default=None), draft=True,
                                          every=svc.policy.link_meetings.interval,
                                          team_meeting_every=svc.policy.link_meetings.team_meeting_interval)
    return save(svc, "link_meeting_agenda", ctx)
